"""The ANP as ministries keep it: one row per measure in an XLSX workbook.

Import is two steps: `parse` reads the workbook and lists every row error (row, column, reason)
without saving anything; only a workbook without errors is handed to `services.measures_import`.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from partnership.anp.models import AnnualProgramme, Measure, Status
from partnership.anp.services import IndicatorData, MeasureData
from partnership.core import files
from partnership.core.exceptions import ApplicationError
from partnership.core.models import Marking, Organization, OrganizationKind, localized
from partnership.core.partial_dates import PartialDate

# (key, English header, Ukrainian header); the order is the layout of the exported workbook.
COLUMNS: list[tuple[str, str, str]] = [
    ("chapter", "Chapter", "Розділ"),
    ("goal_code", "Goal code", "Код цілі"),
    ("goal", "Goal", "Ціль"),
    ("code", "Measure code", "Код заходу"),
    ("measure", "Measure", "Захід"),
    ("agency", "Responsible agency", "Відповідальний орган"),
    ("co_executors", "Co-executors", "Співвиконавці"),
    ("deadline", "Deadline", "Термін виконання"),
    ("indicator", "Indicator", "Індикатор"),
    ("unit", "Unit", "Одиниця"),
    ("baseline", "Baseline", "Базове значення"),
    ("target", "Target", "Цільове значення"),
    ("marking", "Marking", "Гриф"),
]
MSG_DEADLINE = _lazy(
    "“%(value)s” is not a deadline (for example Q3 2015, by end 2015, June 2015, 2015-06-30)."
)
REQUIRED = ("chapter", "goal_code", "code", "measure", "agency", "deadline")
MAX_ROWS = 20_000

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER = re.compile(
    r"^(?:q\s*([1-4])|([1-4]|i{1,3}|iv)(?:st|nd|rd|th|-?й)?\s*(?:quarter|кв\.?|квартал[уі]?))"
    r"\s*(?:of\s+)?(\d{4})(?:\s*(?:року|р\.?))?$"
)
_HALF = re.compile(
    r"^(?:h([12])|(first|second|1st|2nd|i|ii)\s*(?:half|півріччя)(?:\s+of)?)\s*(\d{4})"
    r"(?:\s*(?:року|р\.?))?$"
)
_YEAR = re.compile(
    r"^(?:by\s+(?:the\s+)?end\s+(?:of\s+)?|end\s+(?:of\s+)?|during\s+|in\s+|до\s+кінця\s+|"
    r"протягом\s+|у\s+|в\s+)?(\d{4})(?:\s*(?:року|рік|р\.?))?$"
)
_MONTHS = {
    **{m: i for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"], start=1)},
    **{m: i for i, m in enumerate(
        ["січень", "лютий", "березень", "квітень", "травень", "червень", "липень", "серпень",
         "вересень", "жовтень", "листопад", "грудень"], start=1)},
}  # fmt: skip


class DeadlineError(ValueError):
    pass


def deadline_edtf(value: Any) -> str:
    """A deadline as people write it ("Q3 2015", "by end 2015", "June 2015", a date cell) as
    EDTF ("2015-35", "2015", "2015-06", "2015-06-30")."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float) and 1990 < value < 2100 and int(value) == value:
        return str(int(value))
    text = " ".join(str(value or "").strip().lower().split())
    if not text:
        raise DeadlineError(text)
    if m := _QUARTER.match(text):
        q = int(m.group(1)) if m.group(1) else ROMAN.get(m.group(2)) or int(m.group(2))
        return f"{m.group(3)}-{32 + q}"
    if m := _HALF.match(text):
        first = (m.group(1) == "1") or (m.group(2) in ("first", "1st", "i"))
        return f"{m.group(3)}-{40 if first else 41}"
    if m := _YEAR.match(text):
        return m.group(1)
    parts = text.split()
    if len(parts) == 2 and parts[0] in _MONTHS and parts[1].isdigit():
        return f"{parts[1]}-{_MONTHS[parts[0]]:02d}"
    try:
        return PartialDate.parse(text).edtf
    except ValidationError:
        raise DeadlineError(text) from None


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ParsedWorkbook:
    rows: list[MeasureData] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # What the preview shows: (row number, values by column key).
    preview: list[tuple[int, dict[str, Any]]] = field(default_factory=list)


def _header_map(cells: Iterable[Any]) -> dict[str, int]:
    names: dict[str, str] = {}
    for key, en, uk in COLUMNS:
        names[en.lower()] = key
        names[uk.lower()] = key
        names[key] = key
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        column = names.get(str(cell or "").strip().lower())
        if column and column not in found:
            found[column] = index
    return found


def _agency_index() -> dict[str, Organization]:
    """Partner institutions by key, abbreviation and both names, in lower case."""
    index: dict[str, Organization] = {}
    for org in Organization.objects.filter(
        Q(kind=OrganizationKind.PARTNER_INSTITUTION) | Q(kind=OrganizationKind.PARTNER)
    ):
        if org.kind != OrganizationKind.PARTNER_INSTITUTION:
            continue
        for name in (org.slug, org.abbreviation, org.name_en, org.name_uk):
            if name:
                index.setdefault(name.strip().lower(), org)
    return index


def _decimal(value: Any) -> Decimal:
    if value is None or value == "":
        raise InvalidOperation
    return Decimal(str(value).replace(" ", "").replace(",", "."))


def parse(data: bytes) -> ParsedWorkbook:
    """Reads a workbook; every problem is listed with its row and column, nothing is saved.
    What it unpacks to, and the sheet's extent, are checked before any cell is read."""
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
        if len(header) >= len(REQUIRED):
            header_row = number
            break
        if number >= 10:
            break
    missing = [key for key in REQUIRED if key not in header]
    if not header_row or missing:
        titles = {key: en for key, en, _uk in COLUMNS}
        out.errors.append(
            RowError(
                header_row or 1,
                "",
                _("The header row lacks the columns: %(columns)s.")
                % {"columns": ", ".join(titles[k] for k in missing or REQUIRED)},
            )
        )
        return out
    agencies = _agency_index()
    titles = {key: en for key, en, _uk in COLUMNS}
    by_code: dict[str, MeasureData] = {}
    count = 0
    for number, cells in enumerate(rows, start=header_row + 1):
        if number > settings.XLSX_MAX_ROWS:
            # Blank rows count too: a sheet of empty rows is still work to read.
            out.errors.append(
                RowError(
                    number,
                    "",
                    str(files.MSG_XLSX_TOO_MANY_ROWS)
                    % {"sheet": sheet.title, "max": settings.XLSX_MAX_ROWS},
                )
            )
            break
        values = {key: (cells[i] if i < len(cells) else None) for key, i in header.items()}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        count += 1
        if count > MAX_ROWS:
            out.errors.append(
                RowError(number, "", _("More than %(max)s rows.") % {"max": MAX_ROWS})
            )
            break
        text = {k: ("" if v is None else str(v).strip()) for k, v in values.items()}
        out.preview.append((number, text))
        errors_before = len(out.errors)

        def error(key: str, message: str, number: int = number) -> None:
            out.errors.append(RowError(number, titles[key], message))

        code = text.get("code", "")
        extra_indicator = code in by_code and not text.get("measure")
        for key in REQUIRED:
            if not text.get(key) and not (extra_indicator and key != "code"):
                error(key, _("This cell is empty."))
        chapter = 0
        if text.get("chapter"):
            try:
                chapter = int(_decimal(values["chapter"]))
                if chapter not in (1, 2, 3, 4, 5):
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                error(
                    "chapter",
                    _("“%(value)s” is not a chapter (1 to 5).") % {"value": text["chapter"]},
                )
        agency = None
        if text.get("agency"):
            agency = agencies.get(text["agency"].lower())
            if agency is None:
                error(
                    "agency",
                    _("“%(value)s” is not a known agency of the partner.")
                    % {"value": text["agency"]},
                )
        co_executors = []
        for name in filter(
            None, (n.strip() for n in re.split(r"[;\n]", text.get("co_executors", "")))
        ):
            org = agencies.get(name.lower())
            if org is None:
                error(
                    "co_executors",
                    _("“%(value)s” is not a known agency of the partner.") % {"value": name},
                )
            else:
                co_executors.append(org)
        deadline = ""
        if text.get("deadline"):
            try:
                deadline = deadline_edtf(values["deadline"])
            except DeadlineError:
                error(
                    "deadline",
                    MSG_DEADLINE % {"value": text["deadline"]},
                )
        marking: str = Marking.PARTNERSHIP
        if text.get("marking"):
            labels = {m.value.lower(): m.value for m in Marking} | {
                str(m.label).lower(): m.value for m in Marking
            }
            marking = labels.get(text["marking"].lower(), "")
            if not marking or marking == Marking.NATIONS:
                error(
                    "marking",
                    _("“%(value)s” is not a marking (PUBLIC, PARTNERSHIP or NATO).")
                    % {"value": text["marking"]},
                )
        indicators = []
        if text.get("indicator"):
            try:
                target = _decimal(values.get("target"))
            except InvalidOperation:
                error("target", _("The target of an indicator must be a number."))
                target = Decimal(0)
            baseline = Decimal(0)
            if text.get("baseline"):
                try:
                    baseline = _decimal(values["baseline"])
                except InvalidOperation:
                    error(
                        "baseline", _("“%(value)s” is not a number.") % {"value": text["baseline"]}
                    )
            indicators.append(
                IndicatorData(
                    name_en=text["indicator"],
                    unit=text.get("unit", ""),
                    baseline=baseline,
                    target=target,
                )
            )
        elif text.get("target") or text.get("baseline"):
            error("indicator", _("A baseline or target needs the indicator's name."))
        if extra_indicator:
            by_code[code].indicators = [*by_code[code].indicators, *indicators]
            continue
        if code in by_code:
            error("code", _("Measure code %(code)s appears twice.") % {"code": code})
        if len(out.errors) > errors_before or agency is None:
            continue
        measure = MeasureData(
            chapter=chapter, goal_code=text["goal_code"], goal_en=text.get("goal", "") or text["goal_code"],
            code=code, text_en=text["measure"], agency=agency, deadline=deadline,
            co_executors=co_executors, indicators=indicators, marking=marking,
        )  # fmt: skip
        by_code[code] = measure
        out.rows.append(measure)
    if not out.errors and not out.rows:
        out.errors.append(RowError(header_row + 1, "", _("The workbook has no measures.")))
    return out


def _sheet(book: Workbook, title: str, headers: list[str]) -> Any:
    """The workbook's one sheet, with its header row in row 1."""
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE5F0")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    return sheet


def export_measures(measures: Iterable[Measure], *, language: str = "en") -> bytes:
    """The import layout, one row per measure and one more per further indicator."""
    book = Workbook()
    headers = [uk if language == "uk" else en for _key, en, uk in COLUMNS]
    sheet = _sheet(book, "ANP", headers)
    for m in measures:
        base = [
            m.chapter.number, m.goal.code, localized(m.goal, "text"), m.code, localized(m, "text"),
            m.agency.name_en, "; ".join(o.name_en for o in m.co_executors.all()),
            PartialDate.parse(m.deadline).render(language),
        ]  # fmt: skip
        indicators = list(m.indicators.all())
        first = indicators[0] if indicators else None
        files.sheet_append(
            sheet,
            [*base, *_indicator_cells(first), m.marking if m.marking != Marking.NATIONS else ""],
        )
        for extra in indicators[1:]:
            files.sheet_append(
                sheet,
                [
                    m.chapter.number,
                    m.goal.code,
                    "",
                    m.code,
                    "",
                    "",
                    "",
                    "",
                    *_indicator_cells(extra),
                    "",
                ],
            )
    for index, width in enumerate([8, 10, 40, 12, 60, 30, 30, 16, 40, 12, 10, 10, 14], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _indicator_cells(indicator: Any) -> list[Any]:
    if indicator is None:
        return ["", "", "", ""]
    return [indicator.name_en, indicator.unit, float(indicator.baseline), float(indicator.target)]


def export_status(
    programme: AnnualProgramme, measures: Iterable[Measure], *, language: str = "en"
) -> bytes:
    """The quarterly status table: each measure's status per quarter, late reports marked."""
    uk = language == "uk"
    book = Workbook()
    headers = [
        "Код заходу" if uk else "Measure code", "Захід" if uk else "Measure",
        "Відповідальний орган" if uk else "Responsible agency", "Термін" if uk else "Deadline",
        *(f"Q{q} {programme.year}" for q in (1, 2, 3, 4)),
        "Поточний статус" if uk else "Current status", "Хід виконання" if uk else "Latest progress",
    ]  # fmt: skip
    sheet = _sheet(book, f"{programme.year}", headers)
    from django.utils import translation

    with translation.override(language):
        labels = {s.value: str(s.label) for s in Status}
        late = str(_("late"))
        for m in measures:
            reports = {r.quarter: r for r in m.reports.all()}
            cells = []
            for q in (1, 2, 3, 4):
                r = reports.get(q)
                cells.append(
                    "" if r is None else labels[r.status] + (f" ({late})" if r.late else "")
                )
            last = reports[max(reports)] if reports else None
            files.sheet_append(sheet, [
                m.code, localized(m, "text"), localized(m.agency, "name"),
                PartialDate.parse(m.deadline).render(language), *cells, labels[m.status],
                localized(last, "progress") if last else "",
            ])  # fmt: skip
    for index, width in enumerate([12, 60, 30, 16, 14, 14, 14, 14, 14, 60], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
