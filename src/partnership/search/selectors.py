"""The search: ranked hits over every kind of record, only those the user may see."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db import connection
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from partnership.core.selectors import AnyUser
from partnership.search.models import SearchEntry
from partnership.search.registry import BY_KEY, KINDS, Kind
from partnership.search.text import Term, fts5_query, opening, parse_query, snippet, tsquery

# The best candidates are read from the index at once, best first, and passed through the
# releasability selector in batches until the page is full: a reader who may see few of
# them gets further batches. Past CANDIDATES hits a query is too broad to rank further.
BATCH = 500
CANDIDATES = 3000
MIN_QUERY = 2


class Hit:
    """One record found. Its title, link and snippet are worked out when first read, so
    that a page of 25 hits out of 200 cuts 25 snippets, not 200."""

    def __init__(
        self, *, kind: Kind, record: Any, entry: SearchEntry, terms: list[Term], user: AnyUser
    ) -> None:
        self.kind = kind
        self.record = record
        self.code = entry.code
        self._entry = entry
        self._terms = terms
        self._user = user

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @cached_property
    def title(self) -> str:
        return self.kind.title_of(self.record)

    @cached_property
    def title_marked(self) -> SafeString | str:
        """The title with the query's words marked, where they are in it."""
        return snippet(self.title, self._terms, whole=True) or self.title

    @cached_property
    def url(self) -> str | None:
        return self.kind.url(self._user, self.record)

    @cached_property
    def snippet(self) -> SafeString | str:
        return _snippet(self._entry, self._terms)


def kinds() -> list[tuple[str, str]]:
    """The kinds a search can be narrowed to, as (key, label)."""
    return [(kind.key, kind.label) for kind in KINDS]


def _candidates(
    terms: list[Term], code: str, kind: str, offset: int, size: int
) -> list[tuple[int, str, int]]:
    """(entry id, kind, record id) best first. An entry whose code is the query itself
    (a measure's "1.1.21", a grant's reference) comes before any ranked by its words."""
    kind_sql = "AND e.kind = %s" if kind else ""
    kind_args = [kind] if kind else []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""SELECT e.id, e.kind, e.object_id FROM search_searchentry e,
                        to_tsquery('partnership_search', %s) query
                    WHERE e.document @@ query {kind_sql}
                    ORDER BY (lower(e.code) = lower(%s)) DESC,
                        ts_rank(e.document, query) DESC, e.id
                    LIMIT %s OFFSET %s""",  # only the fixed kind_sql is formatted in
                [tsquery(terms), *kind_args, code, size, offset],
            )
        else:
            cursor.execute(
                f"""SELECT e.id, e.kind, e.object_id FROM search_entry_fts f
                    JOIN search_searchentry e ON e.id = f.rowid
                    WHERE search_entry_fts MATCH %s {kind_sql}
                    ORDER BY (lower(e.code) = lower(%s)) DESC,
                        bm25(search_entry_fts, 10.0, 1.0), e.id
                    LIMIT %s OFFSET %s""",  # only the fixed kind_sql is formatted in
                [fts5_query(terms), *kind_args, code, size, offset],
            )
        return list(cursor.fetchall())


def search(*, user: AnyUser, query: str, kind: str = "", limit: int = 50) -> list[Hit]:
    """Hits for `query` in either language, best first, of records the user may see.

    A record is read only through its kind's releasability selector (`visible_to`); the
    snippet is cut from the record's own indexed text, never from a parent's.
    """
    terms = parse_query(query)
    if len(query.strip()) < MIN_QUERY or not terms or (kind and kind not in BY_KEY):
        return []
    code = query.strip()
    hits: list[Hit] = []
    # One ranked read of the best candidates (ranking is the costly part, so it is not
    # repeated per batch), then batches through the selector until the page is full.
    rows = _candidates(terms, code, kind, 0, CANDIDATES)
    size = min(BATCH, max(2 * limit, 50))
    for start in range(0, len(rows), size):
        hits += _visible_hits(user, rows[start : start + size], terms)
        if len(hits) >= limit:
            break
    return hits[:limit]


def _visible_hits(user: AnyUser, rows: list[tuple[int, str, int]], terms: list[Term]) -> list[Hit]:
    by_kind: dict[str, list[int]] = {}
    for _id, key, object_id in rows:
        by_kind.setdefault(key, []).append(object_id)
    records: dict[tuple[str, int], Any] = {}
    for key, ids in by_kind.items():
        kind = BY_KEY.get(key)
        if kind is None:
            continue  # an entry of a kind no longer searched: the next rebuild drops it
        queryset = kind.model._default_manager.filter(pk__in=ids)
        if kind.related:
            queryset = queryset.select_related(*kind.related)
        for record in kind.visible(user, queryset):
            records[(key, record.pk)] = record
    entries = {
        e.pk: e
        for e in SearchEntry.objects.filter(pk__in=[r[0] for r in rows if (r[1], r[2]) in records])
    }
    hits = []
    for entry_id, key, object_id in rows:
        record = records.get((key, object_id))
        if record is None or entry_id not in entries:
            continue
        hits.append(
            Hit(kind=BY_KEY[key], record=record, entry=entries[entry_id], terms=terms, user=user)
        )
    return hits


def _snippet(entry: SearchEntry, terms: list[Term]) -> SafeString | str:
    """The text around the first hit, in the reader's language first; the opening of the
    text when only the title or code matched."""
    uk = (get_language() or "en").startswith("uk")
    texts = [entry.text_uk, entry.text_en] if uk else [entry.text_en, entry.text_uk]
    for text in texts:
        if text:
            found = snippet(text, terms)
            if found is not None:
                return found
    first = next((t for t in texts if t), "")
    return opening(first)
