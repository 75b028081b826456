"""The full-text index over the search entries: FTS5 on SQLite, a tsvector on PostgreSQL.

PostgreSQL gets its own text search configuration, `partnership_search`: the `simple`
dictionary (no stemming, which would be English or Russian, never Ukrainian) after
`unaccent`, so that case folding follows the database's Unicode rules (Cyrillic included)
and "Montréal" is found by "montreal". SQLite's FTS5 `unicode61` tokenizer folds case over
all of Unicode (Cyrillic included, where SQLite's own LIKE and lower() do ASCII only) and
drops Latin diacritics.
"""

from typing import Any

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        words_title, words_text, content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(rowid, words_title, words_text)
        VALUES (new.id, new.words_title, new.words_text); END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, words_title, words_text)
        VALUES ('delete', old.id, old.words_title, old.words_text); END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, words_title, words_text)
        VALUES ('delete', old.id, old.words_title, old.words_text);
        INSERT INTO search_entry_fts(rowid, words_title, words_text)
        VALUES (new.id, new.words_title, new.words_text); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_entry_fts",
]
POSTGRESQL = [
    # A trusted extension (PostgreSQL 13+): the database's owner may create it.
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION partnership_search (COPY = simple)",
    """ALTER TEXT SEARCH CONFIGURATION partnership_search
        ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword,
        hword_asciipart, hword_part, hword_numpart WITH unaccent, simple""",
    """ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('partnership_search'::regconfig, words_title), 'A')
        || setweight(to_tsvector('partnership_search'::regconfig, words_text), 'B')
    ) STORED""",
    "CREATE INDEX search_entry_document ON search_searchentry USING gin (document)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS search_entry_document",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS partnership_search",
]


def _run(statements: dict[str, list[str]]) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_entry")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
