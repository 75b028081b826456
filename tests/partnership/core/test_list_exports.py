"""The list pages added to the shared list helper, and exports in the reader's language:
headings translated, CSV cells written as the language writes them, XLSX cells typed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from partnership.core.lists import DATE, MONEY, NUMBER, PERCENT, Column, csv_text, write_xlsx
from partnership.core.models import Marking, User
from partnership.logistics.models import CodificationRequest
from partnership.programmes.models import Event, EventKind, Programme


def _csv(response: object) -> list[list[str]]:
    assert response.status_code == 200  # type: ignore[attr-defined]
    text = response.content.decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))


def _sheet(response: object) -> object:
    return load_workbook(io.BytesIO(response.content)).active  # type: ignore[attr-defined]


def _as(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize(
    ("language", "date", "number", "money", "share"),
    [
        ("en", "12/15/2026", "16,747,369", "€1,500.50", "45.3%"),
        ("uk", "15.12.2026", "16\xa0747\xa0369", "€1\xa0500,50", "45,3\xa0%"),
    ],
)
def test_csv_cells_are_written_as_the_language_writes_them(
    language: str, date: str, number: str, money: str, share: str
) -> None:
    # Given columns of each kind
    columns = {
        DATE: Column("d", "d", lambda r, u: r),
        NUMBER: Column("n", "n", lambda r, u: r, kind=NUMBER),
        MONEY: Column("m", "m", lambda r, u: r, kind=MONEY, decimals=2),
        PERCENT: Column("p", "p", lambda r, u: r, kind=PERCENT),
    }
    # When their cells are written in the language
    with translation.override(language):
        # Then each is as people of that language read it
        assert csv_text(columns[DATE], dt.date(2026, 12, 15)) == date
        assert csv_text(columns[NUMBER], Decimal("16747369.22")) == number
        assert csv_text(columns[MONEY], Decimal("1500.5")) == money
        assert csv_text(columns[PERCENT], 0.453) == share
        assert csv_text(columns[NUMBER], None) == ""


def test_an_unknown_column_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown kind"):
        Column("x", "x", lambda r, u: r, kind="colour")


def test_workbook_cells_are_typed_with_a_number_format() -> None:
    # Given a table of a date, an amount, a share and formula-like text
    columns = [
        Column("d", "Date", lambda r, u: r),
        Column("m", "Amount", lambda r, u: r, kind=MONEY, decimals=2),
        Column("p", "Share", lambda r, u: r, kind=PERCENT),
        Column("t", "Note", lambda r, u: r),
    ]
    table = [["Date", "Amount", "Share", "Note"],
             [dt.date(2026, 12, 15), Decimal("1500.5"), 0.453, "=1+1"]]  # fmt: skip
    # When it is written as a workbook
    sheet = load_workbook(io.BytesIO(write_xlsx(table, columns=columns, sheet_name="t"))).active
    assert sheet is not None
    date, amount, share, note = sheet[2]
    # Then numbers and dates are cells of their type with their format, text stays text
    assert date.value.date() == dt.date(2026, 12, 15) and date.number_format == "yyyy-mm-dd"
    assert amount.value == 1500.5 and amount.number_format == '"€"#,##0.00'
    assert share.value == 0.453 and share.number_format == "0.0%"
    assert note.value == "=1+1" and note.data_type == "s"
    assert [c.value for c in sheet[1]] == ["Date", "Amount", "Share", "Note"]
    assert sheet[1][0].font.bold


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading", "grouping"),
    [("en", "Trust fund", ","), ("uk", "Трастовий фонд", "\xa0")],
)
def test_the_fund_export_is_headed_and_written_in_the_readers_language(
    language: str, heading: str, grouping: str
) -> None:
    # Given NATO staff reading the trust funds in a language
    client = _as("nato-editor")
    # When they export the list
    rows = _csv(client.get(f"/{language}/trust-funds/", {"export": "csv", "sort": "-pledged"}))
    book = _sheet(client.get(f"/{language}/trust-funds/", {"export": "xlsx", "sort": "-pledged"}))
    # Then the headings are in that language, the same in both formats
    assert rows[0][0] == heading
    assert [c.value for c in book[1]] == rows[0]  # type: ignore[index]
    # And the largest pledge is grouped as the language groups thousands, a number in XLSX
    assert grouping in rows[1][4] and "." not in rows[1][4].replace(",", "")
    cell = book[2][4]  # type: ignore[index]
    assert isinstance(cell.value, int | float) and cell.number_format == "#,##0"


@pytest.mark.django_db
def test_a_funds_projects_sort_by_budget_and_export_what_the_page_shows() -> None:
    # Given a fund with several projects
    from django.db.models import Count

    from partnership.trustfunds.models import TrustFund

    client = _as("nato-editor")
    fund = TrustFund.objects.annotate(n=Count("projects")).filter(n__gt=1).first()
    assert fund is not None
    page = client.get(f"/en/trust-funds/{fund.slug}/")
    assert page.status_code == 200
    # When its projects are exported sorted by budget, largest first
    response = client.get(f"/en/trust-funds/{fund.slug}/", {"export": "xlsx", "sort": "-budget"})
    sheet = _sheet(response)
    header = [c.value for c in sheet[1]]  # type: ignore[index]
    budgets = [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)]  # type: ignore[attr-defined]
    # Then the columns are the page's and the budgets are numbers in that order
    assert header == ["Project", "Period", "Status", "Budget (EUR)", "Received (EUR)", "Used (EUR)"]
    assert budgets and budgets == sorted(budgets, reverse=True)
    assert 'aria-sort="ascending"' in page.content.decode()  # sorted by period by default


@pytest.mark.django_db
def test_events_sort_by_partial_date_filter_by_kind_and_export_only_what_the_reader_sees() -> None:
    # Given a programme with events dated "2015", "June 2015" and "2016", one marked NATO
    programme = Programme.objects.first()
    assert programme is not None
    made = [
        Event.objects.create(
            programme=programme, kind=kind, title_en=f"Listed event {date}", date=date,
            marking=marking,
        )
        for date, kind, marking in [
            ("2016", EventKind.SEMINAR, Marking.PUBLIC),
            ("2015-06", EventKind.COURSE, Marking.PUBLIC),
            ("2015", EventKind.COURSE, Marking.NATO),
        ]
    ]  # fmt: skip
    url = f"/en/programmes/{programme.slug}/"
    query = {"export": "csv", "sort": "date", "q": "Listed event"}
    # When NATO staff export them by date
    staff = [r[1] for r in _csv(_as("nato-editor").get(url, query))[1:]]
    # Then a year comes before a month of it, and that before the next year
    assert staff == ["Listed event 2015", "Listed event 2015-06", "Listed event 2016"]
    # When the public exports the same list, the NATO event is not in it
    public = [r[1] for r in _csv(Client().get(url, query))[1:]]
    assert public == ["Listed event 2015-06", "Listed event 2016"]
    # When filtered by kind, only courses remain
    courses = _csv(_as("nato-editor").get(url, {**query, "kind": EventKind.COURSE}))
    assert {r[2] for r in courses[1:]} == {"Course"} and len(courses) == 3
    assert made[0].date_start == dt.date(2016, 1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [("en", "With what"), ("uk", "Чим")])
def test_contributions_are_in_time_order_with_the_undated_last(language: str, heading: str) -> None:
    from partnership.operations.models import Contribution

    # Given a contribution of 1,234 people
    public = Contribution.objects.filter(contributor__slug="ua", marking=Marking.PUBLIC)
    Contribution.objects.filter(pk__in=public.values("pk")[:1]).update(personnel=1234)
    # When anyone exports the operations page
    rows = _csv(Client().get(f"/{language}/operations/", {"export": "csv"}))
    book = _sheet(Client().get(f"/{language}/operations/", {"export": "xlsx"}))
    # Then the columns are headed in the language and the undated come last
    assert rows[0][2] == heading
    assert [c.value for c in book[1]] == rows[0]  # type: ignore[index]
    when = [r[1] for r in rows[1:]]
    undated = "date not stated" if language == "en" else "дату не зазначено"
    assert undated in when and set(when[when.index(undated) :]) == {undated}
    # And personnel are numbers in the workbook, grouped as the language writes them in CSV
    assert [r[4] for r in book.iter_rows(min_row=2, values_only=True)].count(1234) == 1  # type: ignore[attr-defined]
    assert ("1,234" if language == "en" else "1\xa0234") in [r[4] for r in rows]


@pytest.mark.django_db
def test_contributions_filter_by_kind() -> None:
    rows = _csv(Client().get("/en/operations/", {"export": "csv", "kind": "ship"}))
    assert len(rows) > 1 and {r[3] for r in rows[1:]} == {"Ship"}


@pytest.mark.django_db
def test_codification_requests_sort_by_number_and_hide_items_the_reader_may_not_see() -> None:
    from django.core.management import call_command

    call_command("load_logistics", "--demo", verbosity=0)
    # Given the requests the logistics staff see
    client = _as("nato-editor")
    rows = _csv(client.get("/en/logistics/requests/", {"export": "csv", "sort": "number"}))
    assert rows[0] == ["Request", "Item", "Requesting unit", "Status", "NATO Stock Number"]
    numbers = [r[0] for r in rows[1:]]
    # Then they are in counting order
    from partnership.core.lists import natural_key

    assert numbers and numbers == sorted(numbers, key=natural_key)
    # Given a request the partner's viewer may see, whose item only the US may see
    linked = CodificationRequest.objects.exclude(item=None).first()
    assert linked is not None and linked.item is not None
    CodificationRequest.objects.filter(pk=linked.pk).update(marking=Marking.PARTNERSHIP,
                                                            releasable_to="")  # fmt: skip
    item = linked.item
    item.marking, item.releasable_to = Marking.NATIONS, ",US,"
    item.save()

    # When NATO staff and the partner's viewer export the requests
    def row_of(username: str) -> list[str]:
        rows = _csv(_as(username).get("/en/logistics/requests/", {"export": "csv"}))
        return next(r for r in rows[1:] if r[0] == linked.number)

    # Then the staff see the item's NSN, the viewer the placeholder
    assert row_of("nato-editor")[4] == item.nsn_display
    assert row_of("ua-viewer")[4] == "Restricted record"


@pytest.mark.django_db
def test_items_of_supply_are_paged_sorted_and_exported() -> None:
    from django.core.management import call_command

    call_command("load_logistics", "--demo", verbosity=0)
    client = _as("nato-editor")
    rows = _csv(client.get("/en/logistics/items/", {"export": "csv", "sort": "-nsn"}))
    assert rows[0] == ["NATO Stock Number", "Name", "Unit of issue"]
    nsns = [r[0] for r in rows[1:]]
    assert nsns and nsns == sorted(nsns, reverse=True)
    page = client.get("/en/logistics/items/", {"sort": "-nsn"}).content.decode()
    assert 'aria-sort="descending"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "uk"])
def test_programmes_list_sorts_and_exports_in_both_languages(language: str) -> None:
    rows = _csv(Client().get(f"/{language}/programmes/", {"export": "csv", "sort": "-name"}))
    names = [r[0] for r in rows[1:]]
    assert names and len(rows[0]) == 3
    with translation.override(language):
        expected = sorted(
            (p.name for p in Programme.objects.filter(marking=Marking.PUBLIC)), reverse=True
        )
    assert sorted(names, reverse=True) == expected


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [("en", "Number"), ("uk", "Номер")])
def test_the_standards_workbook_goes_through_the_list_export(language: str, heading: str) -> None:
    from django.core.management import call_command

    call_command("load_logistics", "--demo", verbosity=0)
    response = _as("nato-editor").get(f"/{language}/logistics/standards/export.xlsx")
    sheet = _sheet(response)
    assert sheet[1][0].value == heading and sheet[1][0].font.bold  # type: ignore[index]
    assert sheet.max_row > 1  # type: ignore[attr-defined]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [("en", "Valid from"), ("uk", "Чинна з")])
def test_exchange_agreements_export_their_dates_typed(language: str, heading: str) -> None:
    from partnership.airpicture.models import ExchangeAgreement

    # Given the air operations staff and the demo exchange agreements
    client = _as("nato-airops")
    assert ExchangeAgreement.objects.exists()
    # When they export the agreements, latest valid first
    query = {"sort": "-valid_from"}
    rows = _csv(client.get(f"/{language}/airpicture/agreements/", {**query, "export": "csv"}))
    sheet = _sheet(client.get(f"/{language}/airpicture/agreements/", {**query, "export": "xlsx"}))
    # Then the headings are in the language, and the workbook's dates are dates in that order
    assert rows[0][3] == heading
    dates = [r[3] for r in sheet.iter_rows(min_row=2, values_only=True)]  # type: ignore[attr-defined]
    assert dates and all(isinstance(d, dt.datetime) for d in dates)
    assert dates == sorted(dates, reverse=True)
    assert sheet[2][3].number_format == "yyyy-mm-dd"  # type: ignore[index]
