"""Lists people can work with: sorted by any column, filtered, paged, and exported as CSV or
XLSX with the columns the page shows. One helper for every list page (`record_list`).

A page declares its columns once; the same declaration orders the rows, heads the table and
writes the export, so the export never has other columns than the page.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import F
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from partnership.core import files
from partnership.core.selectors import AnyUser

PER_PAGE = 50
# An export holds every filtered row, not one page; past this a narrower filter is asked for.
EXPORT_MAX = 50_000
FORMATS = ("csv", "xlsx")
MSG_EXPORT_TOO_BIG = _("The list has more than %(max)s rows; narrow it with the filters first.")

# Database fields or expressions (Length("code")), or a Python key over the rows.
Order = tuple[Any, ...] | Callable[[Any], Any]


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Codes in the order people count them: 1.3.3 before 1.3.23, "C-M(2015)9" before
    "C-M(2015)10"; numbers compare as numbers, the rest as case-folded text."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part.casefold())
        for part in re.split(r"(\d+)", text or "")
        if part
    )


def marking_text(record: Any, user: AnyUser | None = None) -> str:
    """A record's releasability in an export cell, without a query per row: the marking,
    and for "releasable to" the nations' codes."""
    from partnership.core.models import Marking

    label = str(Marking(record.marking).label)
    codes = getattr(record, "releasable_codes", [])
    return f"{label}: {', '.join(codes)}" if record.marking == Marking.NATIONS and codes else label


def marking_column() -> Column:
    return Column("marking", _("Releasability"), marking_text, ("marking",))


@dataclass(frozen=True)
class Column:
    """One column of a list: its heading, the value exported (and shown, where the page has
    no richer markup for it), and how it sorts — database fields (a partial date by its
    start, then its end: "2014" before "June 2014" before "2015") or a Python key (natural
    order for codes); `None` where the column does not sort."""

    key: str
    label: Any
    value: Callable[[Any, AnyUser], Any]
    order: Order | None = None


@dataclass
class Listing:
    """What a list page renders: its page of rows, its columns and the query it came from."""

    page: Page
    columns: Sequence[Column]
    sort: str
    filters: Any
    query: QueryDict

    def url_with(self, **changes: Any) -> str:
        query = self.query.copy()
        for key, value in changes.items():
            if value in (None, ""):
                query.pop(key, None)
            else:
                query[key] = str(value)
        return "?" + query.urlencode()

    @property
    def headings(self) -> list[dict[str, Any]]:
        out = []
        for column in self.columns:
            current = self.sort.lstrip("-") == column.key
            descending = current and self.sort.startswith("-")
            out.append(
                {
                    "label": column.label,
                    "sortable": column.order is not None,
                    "url": self.url_with(
                        sort=f"-{column.key}" if current and not descending else column.key,
                        page=None,
                    ),
                    "aria_sort": ("descending" if descending else "ascending") if current else "",
                }
            )
        return out

    @property
    def export_csv(self) -> str:
        return self.url_with(export="csv", page=None)

    @property
    def export_xlsx(self) -> str:
        return self.url_with(export="xlsx", page=None)

    @property
    def previous_url(self) -> str:
        return (
            self.url_with(page=self.page.previous_page_number()) if self.page.has_previous() else ""
        )

    @property
    def next_url(self) -> str:
        return self.url_with(page=self.page.next_page_number()) if self.page.has_next() else ""


def _ordered(rows: Any, columns: Sequence[Column], sort: str) -> Any:
    by_key = {c.key: c for c in columns}
    column = by_key.get(sort.lstrip("-"))
    if column is None or column.order is None:
        return rows
    descending = sort.startswith("-")
    if callable(column.order):
        return sorted(rows, key=column.order, reverse=descending)
    # Empty values (an agreement not yet signed) go last whichever way the column sorts.
    expressions = [F(f) if isinstance(f, str) else f for f in column.order]
    fields = [
        e.desc(nulls_last=True) if descending else e.asc(nulls_last=True) for e in expressions
    ]
    if isinstance(rows, models.QuerySet):
        return rows.order_by(*fields, "pk")
    return rows


def record_list(
    request: HttpRequest,
    rows: Any,
    *,
    columns: Sequence[Column],
    default_sort: str = "",
    filterset: type[Any] | None = None,
    filename: str,
    per_page: int = PER_PAGE,
) -> Listing | HttpResponse:
    """The list page's rows as asked by the query string (`sort`, the filters, `page`), or
    its export (`export=csv|xlsx`) of every filtered row in the same columns and order.

    `rows` is what the selector returned (visible to the user already); the filters only
    narrow it. An unknown sort key falls back to the default, an invalid filter value is
    shown on the filter form and filters nothing."""
    filters = None
    if filterset is not None:
        filters = filterset(request.GET or None, queryset=rows, request=request)
        if filters.is_bound and filters.is_valid():
            rows = filters.qs
    keys = {c.key for c in columns if c.order is not None}
    sort = request.GET.get("sort", "") or default_sort
    if sort.lstrip("-") not in keys:
        sort = default_sort
    rows = _ordered(rows, columns, sort)
    fmt = request.GET.get("export", "")
    if fmt in FORMATS:
        return export(rows, columns=columns, user=request.user, fmt=fmt, filename=filename)
    page = Paginator(rows, per_page).get_page(request.GET.get("page"))
    return Listing(page=page, columns=columns, sort=sort, filters=filters, query=request.GET)


def export_rows(rows: Any, *, columns: Sequence[Column], user: AnyUser) -> list[list[Any]]:
    """The header and the rows' values, as the page shows them."""
    values: list[list[Any]] = [[str(c.label) for c in columns]]
    iterable = rows.iterator(chunk_size=2000) if isinstance(rows, models.QuerySet) else rows
    for record in iterable:
        values.append([_cell(c.value(record, user)) for c in columns])
        if len(values) > EXPORT_MAX + 1:
            from partnership.core.exceptions import ApplicationError

            raise ApplicationError(MSG_EXPORT_TOO_BIG % {"max": EXPORT_MAX}, field="export")
    return values


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, int | float) or hasattr(value, "as_tuple"):
        return value  # numbers stay numbers in the workbook
    return str(value)


def export(
    rows: Any, *, columns: Sequence[Column], user: AnyUser, fmt: str, filename: str
) -> HttpResponse:
    """CSV (UTF-8 with a byte-order mark, which spreadsheet programs need to read Cyrillic)
    or XLSX; text that would start a formula stays text in both (`core.files`)."""
    table = export_rows(rows, columns=columns, user=user)
    name = slugify(filename) or "list"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        for row in table:
            writer.writerow([files.text_cell(v) for v in row])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        # Write-only: rows are streamed to the file, so 10,000 rows take a second, not minutes.
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        header = []
        for label in table[0]:
            cell = WriteOnlyCell(sheet, value=label)
            cell.font = Font(bold=True)
            header.append(cell)
        sheet.append(header)
        for row in table[1:]:
            files.write_only_row(sheet, row)
        data = io.BytesIO()
        book.save(data)
        response = HttpResponse(
            data.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
