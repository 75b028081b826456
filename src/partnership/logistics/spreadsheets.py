"""NATO standards as ministries keep them: one row per standard in an XLSX workbook, with the
partner's status. Import is two steps like the ANP's: `parse` lists every row error (row,
column, reason) and saves nothing; only a workbook without errors goes to
`services.standards_import`, which saves all of it or nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from partnership.core import files, lists
from partnership.core.exceptions import ApplicationError
from partnership.core.services import marking_clean
from partnership.logistics import services
from partnership.logistics.models import (
    AdoptionStatus,
    StandardAdoption,
    StandardArea,
    StandardKind,
)

# (key, English header, Ukrainian header); the order is the layout of the exported workbook.
COLUMNS: list[tuple[str, str, str]] = [
    ("number", "Number", "Номер"),
    ("kind", "Kind", "Вид"),
    ("edition", "Edition", "Редакція"),
    ("title_en", "Title (English)", "Назва (англійською)"),
    ("title_uk", "Title (Ukrainian)", "Назва (українською)"),
    ("custodian", "NATO body responsible", "Відповідальний орган НАТО"),
    ("area", "Area", "Сфера"),
    ("status", "Status", "Статус"),
    ("studied", "Studied", "Вивчено"),
    ("ratified", "Ratified", "Ратифіковано"),
    ("implemented", "Implemented", "Впроваджено"),
    ("reservations", "Reservations", "Застереження"),
    ("national_document", "National document", "Національний документ"),
    ("marking", "Marking", "Гриф"),
]
REQUIRED = ("number", "kind", "title_en", "area")


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedWorkbook:
    rows: list[services.StandardRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _choice_index(choices: Any) -> dict[str, str]:
    """A choice by its key, English label or Ukrainian label, in any case."""
    from django.utils import translation

    index: dict[str, str] = {}
    for value, label in choices:
        index[str(value).lower()] = value
        for language in ("en", "uk"):
            with translation.override(language):
                index[str(label).lower()] = value
    return index


def _header_map(cells: Iterable[Any]) -> dict[str, int]:
    names: dict[str, str] = {}
    for key, en, uk in COLUMNS:
        names[en.lower()] = key
        names[uk.lower()] = key
        names[key] = key
    found: dict[str, int] = {}
    for i, cell in enumerate(cells):
        name = names.get(str(cell or "").strip().lower())
        if name and name not in found:
            found[name] = i
    return found


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse(data: bytes) -> ParsedWorkbook:
    """Reads a workbook; every problem is listed with its row and column, nothing is saved."""
    out = ParsedWorkbook()
    try:
        sheet = files.xlsx_first_sheet(data)
    except ApplicationError as exc:
        out.errors.append(RowError(0, "", str(exc.message)))
        return out
    rows = sheet.iter_rows(values_only=True)
    header: dict[str, int] = {}
    header_row = 0
    for number, cells in enumerate(rows, start=1):
        header = _header_map(cells)
        if all(key in header for key in REQUIRED):
            header_row = number
            break
        if number >= 10:
            break
    if not header_row:
        titles = {key: en for key, en, _uk in COLUMNS}
        out.errors.append(
            RowError(
                1,
                "",
                _("The header row lacks the columns: %(columns)s.")
                % {"columns": ", ".join(titles[k] for k in REQUIRED if k not in header)},
            )
        )
        return out
    ukrainian = (get_language() or "en").startswith("uk")
    titles = {key: (uk if ukrainian else en) for key, en, uk in COLUMNS}
    kinds, areas = _choice_index(StandardKind.choices), _choice_index(StandardArea.choices)
    statuses = _choice_index(AdoptionStatus.choices)
    seen: dict[tuple[str, str], int] = {}
    for number, cells in enumerate(rows, start=header_row + 1):
        values = {k: _text(cells[i]) if i < len(cells) else "" for k, i in header.items()}
        if not any(values.values()):
            continue
        row_errors: list[RowError] = []

        def fail(
            key: str, message: str, _row: int = number, _errors: list[RowError] = row_errors
        ) -> None:
            _errors.append(RowError(_row, titles[key], message))

        for key in REQUIRED:
            if not values.get(key):
                fail(key, _("This field is required."))
        kind = kinds.get(values.get("kind", "").lower(), "")
        if values.get("kind") and not kind:
            fail("kind", _("“%(value)s” is not a kind of standard.") % {"value": values["kind"]})
        area = areas.get(values.get("area", "").lower(), "")
        if values.get("area") and not area:
            fail("area", _("“%(value)s” is not an area.") % {"value": values["area"]})
        status = statuses.get(values.get("status", "").lower(), "")
        if values.get("status") and not status:
            fail("status", str(services.MSG_UNKNOWN_STATUS % {"value": values["status"]}))
        marking = (values.get("marking") or "PUBLIC").upper()
        try:
            marking_clean(marking=marking)
        except ApplicationError as exc:
            fail("marking", str(exc.message))
        pair = (values.get("number", ""), values.get("edition", ""))
        if pair in seen:
            fail(
                "number",
                _("The same standard and edition is on row %(row)s.") % {"row": seen[pair]},
            )
        seen.setdefault(pair, number)
        adoption = None
        if status and not row_errors:
            wanted = services.AdoptionData(
                status=status,
                studied=values.get("studied", ""),
                ratified=values.get("ratified", ""),
                implemented=values.get("implemented", ""),
                reservations=values.get("reservations", ""),
                national_document=values.get("national_document", ""),
            )
            try:
                services.adoption_check(wanted)
            except ApplicationError as exc:
                fail(exc.field if exc.field in titles else "status", str(exc.message))
            adoption = wanted
        if row_errors:
            out.errors.extend(row_errors)
            continue
        out.rows.append(
            services.StandardRow(
                row=number,
                standard=services.StandardData(
                    number=values["number"],
                    kind=kind,
                    edition=values.get("edition", ""),
                    title_en=values["title_en"],
                    title_uk=values.get("title_uk", ""),
                    custodian=values.get("custodian", ""),
                    area=area,
                    marking=marking,
                ),
                adoption=adoption,
            )
        )
    return out


def _adoption(key: str) -> Any:
    def value(row: Any, user: Any) -> Any:
        return getattr(row[1], key) if row[1] else ""

    return value


def _standard(key: str) -> Any:
    def value(row: Any, user: Any) -> Any:
        return getattr(row[0], key)

    return value


ADOPTION_KEYS = {"status", "studied", "ratified", "implemented", "reservations",
                 "national_document"}  # fmt: skip


def export_columns() -> list[lists.Column]:
    """The import's layout as list columns, headed in the active language (the import reads
    either language's headings), values as the import takes them (codes, EDTF dates)."""
    ukrainian = (get_language() or "en").startswith("uk")
    return [
        lists.Column(key, uk if ukrainian else en,
                     _adoption(key) if key in ADOPTION_KEYS else _standard(key))
        for key, en, uk in COLUMNS
    ]  # fmt: skip


def export_standards(adoptions: dict[int, StandardAdoption], standards: Iterable[Any]) -> bytes:
    """The standards the user may see with the partner's status, in the import's layout,
    written by the shared list export (a streamed workbook, formula text kept as text)."""
    columns = export_columns()
    table = lists.export_rows(
        [(standard, adoptions.get(standard.pk)) for standard in standards],
        columns=columns,
        user=None,
    )
    return lists.write_xlsx(table, columns=columns, sheet_name="Standards")
