"""Lists people can work with: sorted by any column, filtered, paged, and exported as CSV or
XLSX with the columns the page shows. One helper for every list page (`record_list`).

A page declares its columns once; the same declaration orders the rows, heads the table and
writes the export, so the export never has other columns than the page.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import F
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from partnership.core import files, formatting
from partnership.core.selectors import AnyUser, read_nations

PER_PAGE = 50
# An export holds every filtered row, not one page; past this a narrower filter is asked for.
EXPORT_MAX = 50_000
FORMATS = ("csv", "xlsx")
MSG_EXPORT_TOO_BIG = _("The list has more than %(max)s rows; narrow it with the filters first.")

# Database fields or expressions (Length("code")), or a Python key over the rows.
Order = tuple[Any, ...] | Callable[[Any], Any]

# What a column's values are, for the export: the CSV writes them as the active language
# does ("2,789,995" / "2 789 995", "€1,500.50" / "€1 500,50", "15/12/2026" / "15.12.2026"), the
# workbook keeps them typed (numbers, dates) with a number format, so they add up and sort.
TEXT = "text"
NUMBER = "number"
MONEY = "money"
PERCENT = "percent"
DATE = "date"
# A moment (a notice sent, a file asked for): in the reader's time zone, to the minute.
DATETIME = "datetime"
KINDS = (TEXT, NUMBER, MONEY, PERCENT, DATE, DATETIME)
# Excel's own codes: the reader's spreadsheet program shows its locale's separators.
XLSX_FORMATS = {
    (NUMBER, 0): "#,##0",
    (MONEY, 0): '"€"#,##0',
    (MONEY, 2): '"€"#,##0.00',
    (PERCENT, 1): "0.0%",
    (DATE, 0): "yyyy-mm-dd",
    (DATETIME, 0): "yyyy-mm-dd hh:mm",
}


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
    value: Callable[[Any, Any], Any]
    order: Order | None = None
    # NUMBER, MONEY, PERCENT (a share: 0.453) or DATE; a TEXT column whose value is a number
    # is exported as a number with its own decimals.
    kind: str = TEXT
    decimals: int = 0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key}: unknown kind {self.kind!r}")


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
    # The page's rows once (as the page itself would on first use), their markings' nations
    # read for all of them.
    page.object_list = list(page.object_list)
    read_nations(page.object_list)
    return Listing(page=page, columns=columns, sort=sort, filters=filters, query=request.GET)


def export_rows(rows: Any, *, columns: Sequence[Column], user: AnyUser | None) -> list[list[Any]]:
    """The header in the active language and the rows' typed values (numbers stay numbers,
    dates dates, the rest text as the page shows it); `None` for an empty cell."""
    values: list[list[Any]] = [[str(c.label) for c in columns]]
    iterable = rows.iterator(chunk_size=2000) if isinstance(rows, models.QuerySet) else rows
    for record in iterable:
        values.append([_cell(c.value(record, user)) for c in columns])
        if len(values) > EXPORT_MAX + 1:
            from partnership.core.exceptions import ApplicationError

            raise ApplicationError(MSG_EXPORT_TOO_BIG % {"max": EXPORT_MAX}, field="export")
    return values


def _cell(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, dt.datetime):
        # A workbook has no time zones: the moment as the reader's clock showed it.
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, int | float | Decimal | dt.date):
        return value  # typed, for the workbook; the CSV formats it
    return str(value)


def _kind(column: Column, value: Any) -> str:
    if column.kind == TEXT and isinstance(value, int | float | Decimal):
        return NUMBER
    if column.kind == TEXT and isinstance(value, dt.datetime):
        return DATETIME
    if column.kind == TEXT and isinstance(value, dt.date):
        return DATE
    return column.kind


def csv_text(column: Column, value: Any) -> str:
    """A cell as people read it in the active language."""
    if value is None:
        return ""
    kind = _kind(column, value)
    if kind == NUMBER and isinstance(value, int | float | Decimal):
        own = column.kind == TEXT and not isinstance(value, int)
        return formatting.number(value, None if own else column.decimals)
    if kind == MONEY and isinstance(value, int | float | Decimal):
        return formatting.money(value, column.decimals)
    if kind == PERCENT and isinstance(value, int | float | Decimal):
        return formatting.percent(value, column.decimals or 1)
    if kind == DATETIME and isinstance(value, dt.datetime):
        return date_format(value, "SHORT_DATETIME_FORMAT", use_l10n=True)
    if kind == DATE and isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT", use_l10n=True)
    return str(files.text_cell(value))


def _xlsx_format(column: Column, value: Any) -> str:
    kind = _kind(column, value)
    if kind in (DATE, DATETIME):
        return XLSX_FORMATS[(kind, 0)]
    if kind == PERCENT:
        return "0." + "0" * (column.decimals or 1) + "%"
    decimals = column.decimals
    if column.kind == TEXT and isinstance(value, float | Decimal):
        decimals = max(0, -int(Decimal(str(value)).normalize().as_tuple().exponent))
    places = "." + "0" * decimals if decimals else ""
    return ('"€"' if kind == MONEY else "") + "#,##0" + places


def write_xlsx(table: list[list[Any]], *, columns: Sequence[Column], sheet_name: str) -> bytes:
    """A write-only workbook (rows are streamed, not kept, so 10,000 rows take a second, not
    minutes): a bold header, typed cells with their number format, text that would start a
    formula kept as text."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name[:31] or "list")
    bold = Font(bold=True)
    header = []
    for label in table[0]:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    # One format per column and kind of value, looked up once, not once per cell.
    formats: dict[tuple[int, type], str] = {}
    for row in table[1:]:
        cells = []
        for index, value in enumerate(row):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                if value.startswith(files.FORMULA_STARTS):
                    cell.data_type = "s"
                    cell.quotePrefix = True
            elif value is not None:
                key = (index, type(value))
                # A text column's own decimals vary from value to value.
                own = columns[index].kind == TEXT and isinstance(value, float | Decimal)
                if key not in formats or own:
                    formats[key] = _xlsx_format(columns[index], value)
                cell.number_format = formats[key]
            cells.append(cell)
        sheet.append(cells)
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def export(
    rows: Any, *, columns: Sequence[Column], user: AnyUser, fmt: str, filename: str
) -> HttpResponse:
    """CSV (UTF-8 with a byte-order mark, which spreadsheet programs need to read Cyrillic)
    with cells as the active language writes them, or XLSX with typed cells; headers in the
    active language; text that would start a formula stays text in both (`core.files`)."""
    table = export_rows(rows, columns=columns, user=user)
    name = slugify(filename) or "list"
    if fmt == "csv":
        out = io.StringIO()
        out.write("\ufeff")
        writer = csv.writer(out)
        writer.writerow([files.text_cell(v) for v in table[0]])
        for row in table[1:]:
            writer.writerow([csv_text(c, v) for c, v in zip(columns, row, strict=True)])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            write_xlsx(table, columns=columns, sheet_name=name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
