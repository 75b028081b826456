"""The search: ranked hits over every kind of record, only those the user may see."""

from __future__ import annotations

from collections.abc import Iterable
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
# Hits are read in blocks of a page of the search page (25): records and texts together.
SHOWN = 25
MIN_QUERY = 2


class Hit:
    """One record found. Whether the user may see it is known at once (an id-only read through
    the releasability selector); the record itself, its indexed texts and so its title, link
    and snippet are read when first used, for the block of SHOWN hits it is in, so that a page
    of 25 hits out of 200 reads 25 records and cuts 25 snippets, not 200."""

    _block: _Block  # set by `search` once the hits are known

    def __init__(
        self, *, kind: Kind, object_id: int, code: str, entry_id: int, terms: list[Term]
    ) -> None:
        self.kind = kind
        self.object_id = object_id
        self.code = code
        self.entry_id = entry_id
        self._terms = terms

    @property
    def kind_label(self) -> str:
        return self.kind.label

    @cached_property
    def record(self) -> Any:
        """The record; LookupError if it was deleted or hidden since the search (`present`
        drops such hits before a page is shown)."""
        return self._block.record(self)

    @property
    def present(self) -> bool:
        """Whether the record is still there and still visible to the user."""
        return self._block.has(self)

    @cached_property
    def title(self) -> str:
        return self.kind.title_of(self.record)

    @cached_property
    def title_marked(self) -> SafeString | str:
        """The title with the query's words marked, where they are in it."""
        return snippet(self.title, self._terms, whole=True) or self.title

    @cached_property
    def url(self) -> str | None:
        return self.kind.url(self._block.user, self.record)

    @cached_property
    def snippet(self) -> SafeString | str:
        return _snippet(*self._block.texts(self), self._terms)


class _Block:
    """Up to SHOWN hits in a row, whose records and texts are read together on first use."""

    def __init__(self, user: AnyUser) -> None:
        self.user = user
        self.hits: list[Hit] = []
        self._records: dict[tuple[str, int], Any] | None = None
        self._texts: dict[int, tuple[str, str]] | None = None

    def has(self, hit: Hit) -> bool:
        return (hit.kind.key, hit.object_id) in self._read()

    def record(self, hit: Hit) -> Any:
        found = self._read().get((hit.kind.key, hit.object_id))
        if found is None:  # hidden or deleted since the search was made
            raise LookupError(hit.object_id)
        return found

    def _read(self) -> dict[tuple[str, int], Any]:
        if self._records is None:
            self._records = {}
            by_kind: dict[str, list[int]] = {}
            for h in self.hits:
                by_kind.setdefault(h.kind.key, []).append(h.object_id)
            for key, ids in by_kind.items():
                kind = BY_KEY[key]
                queryset = kind.model._default_manager.filter(pk__in=ids)
                if kind.related:
                    queryset = queryset.select_related(*kind.related)
                # Read through the selector again: the record is what the user may see now.
                for record in kind.visible(self.user, queryset):
                    self._records[(key, record.pk)] = record
        return self._records

    def texts(self, hit: Hit) -> tuple[str, str]:
        """(English, Ukrainian) indexed text of the hit's own record."""
        if self._texts is None:
            self._texts = {
                pk: (en, uk)
                for pk, en, uk in SearchEntry.objects.filter(
                    pk__in=[h.entry_id for h in self.hits]
                ).values_list("pk", "text_en", "text_uk")
            }
        return self._texts.get(hit.entry_id, ("", ""))


def present(hits: Iterable[Hit]) -> list[Hit]:
    """The hits whose record is still there and visible: one deleted or re-marked between the
    id check and the page read is dropped from the page (reading it would be a LookupError)."""
    return [hit for hit in hits if hit.present]


def kinds() -> list[tuple[str, str]]:
    """The kinds a search can be narrowed to, as (key, label)."""
    return [(kind.key, kind.label) for kind in KINDS]


def _candidates(
    terms: list[Term], code: str, kind: str, offset: int, size: int
) -> list[tuple[int, str, int, str]]:
    """(entry id, kind, record id) best first. An entry whose code is the query itself
    (a measure's "1.1.21", a grant's reference) comes before any ranked by its words."""
    kind_sql = "AND e.kind = %s" if kind else ""
    kind_args = [kind] if kind else []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""SELECT e.id, e.kind, e.object_id, e.code FROM search_searchentry e,
                        to_tsquery('partnership_search', %s) query
                    WHERE e.document @@ query {kind_sql}
                    ORDER BY (lower(e.code) = lower(%s)) DESC,
                        ts_rank(e.document, query) DESC, e.id
                    LIMIT %s OFFSET %s""",  # only the fixed kind_sql is formatted in
                [tsquery(terms), *kind_args, code, size, offset],
            )
        else:
            cursor.execute(
                f"""SELECT e.id, e.kind, e.object_id, e.code FROM search_entry_fts f
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
    # repeated per batch), then batches through the selector, ids only, until the page is
    # full: the first batch is the page itself, later ones bigger for a reader who sees few.
    rows = _candidates(terms, code, kind, 0, CANDIDATES)
    start, size = 0, limit
    while start < len(rows) and len(hits) < limit:
        hits += _visible_hits(user, rows[start : start + size], terms, limit - len(hits))
        start, size = start + size, BATCH
    for start in range(0, len(hits), SHOWN):
        block = _Block(user)
        block.hits = hits[start : start + SHOWN]
        for hit in block.hits:
            hit._block = block
    return hits


def _visible_hits(
    user: AnyUser, rows: list[tuple[int, str, int, str]], terms: list[Term], wanted: int
) -> list[Hit]:
    """The first `wanted` of `rows` that the user may see, in their order."""
    by_kind: dict[str, list[int]] = {}
    for _id, key, object_id, _code in rows:
        by_kind.setdefault(key, []).append(object_id)
    visible: set[tuple[str, int]] = set()
    for key, ids in by_kind.items():
        kind = BY_KEY.get(key)
        if kind is None:
            continue  # an entry of a kind no longer searched: the next rebuild drops it
        queryset = kind.visible(user, kind.model._default_manager.filter(pk__in=ids))
        visible.update((key, pk) for pk in queryset.values_list("pk", flat=True))
    hits = []
    for entry_id, key, object_id, entry_code in rows:
        if (key, object_id) not in visible:
            continue
        hits.append(
            Hit(
                kind=BY_KEY[key],
                object_id=object_id,
                code=entry_code,
                entry_id=entry_id,
                terms=terms,
            )
        )
        if len(hits) >= wanted:
            break
    return hits


def _snippet(text_en: str, text_uk: str, terms: list[Term]) -> SafeString | str:
    """The text around the first hit, in the reader's language first; the opening of the
    text when only the title or code matched."""
    uk = (get_language() or "en").startswith("uk")
    texts = [text_uk, text_en] if uk else [text_en, text_uk]
    for text in texts:
        if text:
            found = snippet(text, terms)
            if found is not None:
                return found
    first = next((t for t in texts if t), "")
    return opening(first)
