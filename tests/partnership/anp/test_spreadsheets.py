"""The ANP workbook: every row error listed before anything is saved; export and import agree."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from partnership.anp import services, spreadsheets
from partnership.anp.models import AnnualProgramme, Measure
from partnership.core.models import User

pytestmark = pytest.mark.django_db

HEADER = ["Розділ", "Код цілі", "Ціль", "Код заходу", "Захід", "Відповідальний орган",
          "Співвиконавці", "Термін виконання", "Індикатор", "Одиниця", "Базове значення",
          "Цільове значення"]  # fmt: skip


def workbook(rows: list[list[object]], title: bool = True) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:  # ministries put a title above the table
        sheet.append(["Річна національна програма на 2036 рік"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = [
    [2, "2.1", "Реформа оборони", "2.1.1", "Ухвалити закон про оборонні закупівлі",
     "Ministry of Defence of Ukraine", "", "III квартал 2036", "Закон ухвалено", "", 0, 1],
    [4, "4.2", "Кібербезпека", "4.2.1", "Create the cyber incident response team",
     "ua-nsdc", "ua-mod; State Emergency Service of Ukraine", "by end 2036",
     "Staff trained", "people", 0, 40],
    [4, "4.2", "", "4.2.1", "", "", "", "", "Exercises held", "", 0, "2"],
]  # fmt: skip


def test_a_ministry_workbook_is_read_with_its_deadlines_and_agencies() -> None:
    parsed = spreadsheets.parse(workbook(GOOD))
    assert parsed.errors == []
    first, second = parsed.rows
    assert (first.chapter, first.deadline, first.agency.slug) == (2, "2036-35", "ua-mod")
    assert second.deadline == "2036"
    assert [o.slug for o in second.co_executors] == ["ua-mod", "ua-ses"]
    assert [i.name_en for i in second.indicators] == ["Staff trained", "Exercises held"]


def test_every_row_error_is_listed_with_row_and_column_and_nothing_is_saved() -> None:
    bad = [
        *GOOD[:2],
        [7, "7.1", "", "7.1.1", "Chapter seven", "ua-mod", "", "2036", "", "", "", ""],
        [1, "1.1", "", "1.1.1", "Unknown agency", "Ministry of Magic", "", "someday", "", "", "", ""],
        [1, "1.1", "", "2.1.1", "Duplicate code", "ua-mod", "", "2036", "Count", "", "", "ten"],
        [1, "", "", "", "", "ua-mod", "", "2036", "", "", "", ""],
    ]  # fmt: skip
    parsed = spreadsheets.parse(workbook(bad))
    found = {(e.row, e.column) for e in parsed.errors}
    assert {
        (5, "Chapter"), (6, "Responsible agency"), (6, "Deadline"), (7, "Measure code"),
        (7, "Target"), (8, "Goal code"), (8, "Measure code"), (8, "Measure"),
    } <= found  # fmt: skip
    assert any("Ministry of Magic" in e.message for e in parsed.errors)
    assert not AnnualProgramme.objects.filter(year=2036).exists()


def test_not_a_workbook_and_a_missing_column_are_named() -> None:
    assert "XLSX" in spreadsheets.parse(b"hello").errors[0].message
    parsed = spreadsheets.parse(workbook([], title=False)[:0] or _without_deadline())
    assert "Deadline" in parsed.errors[0].message


def _without_deadline() -> bytes:
    book = Workbook()
    book.active.append([h for h in HEADER if h != "Термін виконання"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_import_then_export_gives_the_same_measures() -> None:
    coordinator = User.objects.get(username="ua-coordinator")
    parsed = spreadsheets.parse(workbook(GOOD))
    programme = services.measures_import(by=coordinator, year=2036, rows=parsed.rows)
    assert programme.measures.count() == 2
    exported = spreadsheets.export_measures(
        Measure.objects.filter(programme=programme).select_related("chapter", "goal", "agency")
    )
    again = spreadsheets.parse(exported)
    assert again.errors == []
    assert [(r.code, r.deadline, r.agency.slug, len(r.indicators)) for r in again.rows] == [
        ("2.1.1", "2036-35", "ua-mod", 1), ("4.2.1", "2036", "ua-nsdc", 2),
    ]  # fmt: skip
    sheet = load_workbook(io.BytesIO(exported)).active
    assert sheet["H2"].value == "Q3 2036"


def test_an_import_into_a_year_that_has_measures_saves_nothing() -> None:
    coordinator = User.objects.get(username="ua-coordinator")
    rows = spreadsheets.parse(workbook(GOOD)).rows
    services.measures_import(by=coordinator, year=2035, rows=rows)
    with pytest.raises(Exception, match="already has measures"):
        services.measures_import(by=coordinator, year=2035, rows=rows)
    assert Measure.objects.filter(programme__year=2035).count() == 2


@pytest.mark.parametrize("edtf", ["2026-36", "2026-40", "2026-06", "2026-06-30", "2026", "2027-24"])
@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_exported_deadline_is_what_the_amend_form_reads_back(edtf: str, language: str) -> None:
    """Given a deadline the export writes ("IV квартал 2026"), when a person types it into
    the amend form, then it is the same deadline, in either language."""
    from partnership.anp.forms import MeasureContentForm

    written = spreadsheets.deadline_text(edtf, language)
    assert spreadsheets.deadline_edtf(written) == edtf
    field = MeasureContentForm.base_fields["deadline"]
    assert field.clean(written) == edtf
