"""The search: ranked hits over every kind of record, only those the user may see."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from partnership.core.selectors import AnyUser, clearance
from partnership.search.models import SearchEntry
from partnership.search.registry import BY_KEY, KINDS, Kind
from partnership.search.text import Term, fts5_query, opening, parse_query, snippet, tsquery

# Hits are read in blocks of a page of the search page (25): records and texts together.
SHOWN = 25
MIN_QUERY = 2


class Hit:
    """One record found, by an index entry the user's clearance lets through. The record itself
    (through `visible_to`, which decides whether it is `present`), its indexed texts and so its
    title, link and snippet are read when first used, for the block of SHOWN hits it is in, so
    that a page of 25 hits out of 200 reads 25 records and cuts 25 snippets, not 200."""

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
    """The hits whose record is still there and visible through `visible_to`: one deleted or
    re-marked since it was indexed (a bulk update sends no signals) is dropped from the page
    (reading it would be a LookupError)."""
    return [hit for hit in hits if hit.present]


def kinds() -> list[tuple[str, str]]:
    """The kinds a search can be narrowed to, as (key, label)."""
    return [(kind.key, kind.label) for kind in KINDS]


def _allowed(user: AnyUser) -> tuple[str, list[Any]] | None:
    """The reader's clearance as SQL on an entry's own and its parent's marking columns: the
    condition `core.selectors.clearance` gives `visible_to`, compiled by Django for the index's
    table, so that the search applies the same rule, not a copy of it. ("", []) when the
    reader sees every marking; None when nothing."""
    allowed = clearance(user)
    query = SearchEntry.objects.filter(allowed.condition() & allowed.condition("parent_")).query
    try:
        sql, params = query.get_compiler(connection=connection).compile(query.where)
    except FullResultSet:
        return "", []
    except EmptyResultSet:
        return None
    return (f"AND ({sql})" if sql else ""), list(params)


def _candidates(
    terms: list[Term], code: str, kind: str, limit: int, allowed: tuple[str, list[Any]]
) -> list[tuple[int, str, int, str]]:
    """(entry id, kind, record id, code) of entries the reader's clearance lets through, best
    first. An entry whose code is the query itself (a measure's "1.1.21", a grant's
    reference) comes before any ranked by its words."""
    kind_sql = "AND search_searchentry.kind = %s" if kind else ""
    kind_args = [kind] if kind else []
    allowed_sql, allowed_args = allowed
    # Only fixed SQL is formatted in: the kind's condition and the compiled clearance, whose
    # values are parameters.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"""SELECT search_searchentry.id, search_searchentry.kind,
                        search_searchentry.object_id, search_searchentry.code
                    FROM search_searchentry, to_tsquery('partnership_search', %s) query
                    WHERE search_searchentry.document @@ query {kind_sql} {allowed_sql}
                    ORDER BY (lower(search_searchentry.code) = lower(%s)) DESC,
                        ts_rank(search_searchentry.document, query) DESC, search_searchentry.id
                    LIMIT %s""",
                [tsquery(terms), *kind_args, *allowed_args, code, limit],
            )
        else:
            cursor.execute(
                f"""SELECT search_searchentry.id, search_searchentry.kind,
                        search_searchentry.object_id, search_searchentry.code
                    FROM search_entry_fts
                    JOIN search_searchentry ON search_searchentry.id = search_entry_fts.rowid
                    WHERE search_entry_fts MATCH %s {kind_sql} {allowed_sql}
                    ORDER BY (lower(search_searchentry.code) = lower(%s)) DESC,
                        bm25(search_entry_fts, 10.0, 1.0), search_searchentry.id
                    LIMIT %s""",
                [fts5_query(terms), *kind_args, *allowed_args, code, limit],
            )
        return list(cursor.fetchall())


def search(*, user: AnyUser, query: str, kind: str = "", limit: int = 50) -> list[Hit]:
    """Hits for `query` in either language, best first, of records the user may see.

    The ranked query itself keeps to the entries the reader's clearance lets through (each
    entry carries its record's marking and its parent's), so a reader who sees few of many
    matches gets the best `limit` they may see in one read. The records are then read only
    through their kind's `visible_to`, for the block of hits a page shows (`present`): one
    hidden or deleted since it was indexed is dropped, never shown. The snippet is cut from
    the record's own indexed text, never from a parent's.
    """
    terms = parse_query(query)
    if len(query.strip()) < MIN_QUERY or not terms or (kind and kind not in BY_KEY):
        return []
    allowed = _allowed(user)
    if allowed is None:
        return []
    hits = [
        Hit(kind=BY_KEY[key], object_id=object_id, code=code, entry_id=entry_id, terms=terms)
        for entry_id, key, object_id, code in _candidates(
            terms, query.strip(), kind, limit, allowed
        )
        # An entry of a kind no longer searched is skipped: the next rebuild drops it.
        if key in BY_KEY
    ]
    for start in range(0, len(hits), SHOWN):
        block = _Block(user)
        block.hits = hits[start : start + SHOWN]
        for hit in block.hits:
            hit._block = block
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
