"""The shared list helper: sorting (natural codes, partial dates), filters, pages, export."""

from __future__ import annotations

import csv
import io

import pytest
from django.db.models import F
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from partnership.core.lists import natural_key
from partnership.core.models import Marking, Organization, User
from partnership.framework.models import ActionItem, Agreement, Body, Meeting, MeetingLevel
from partnership.framework.views import ACTION_ITEM_COLUMNS


def test_codes_sort_as_people_count_them() -> None:
    codes = ["1.3.23", "1.3.3", "1.10.1", "1.2", "2.1.1", "1.3.3a", "C-M(2015)10", "C-M(2015)9"]
    assert sorted(codes, key=natural_key) == [
        "1.2",
        "1.3.3",
        "1.3.3a",
        "1.3.23",
        "1.10.1",
        "2.1.1",
        "C-M(2015)9",
        "C-M(2015)10",
    ]


def _csv(response: object) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(text)))


def _nato() -> Client:
    client = Client()
    client.force_login(User.objects.get(username="nato-editor"))
    return client


@pytest.mark.django_db
def test_agreements_are_in_date_order_and_sort_by_any_column() -> None:
    client = Client()
    rows = _csv(client.get("/en/framework/agreements/", {"export": "csv"}))
    # The export has the page's headings, and the rows in signing order
    assert rows[0] == ["Agreement", "Signed", "Ratified", "In force", "Releasability"]
    expected = [
        a.title_en
        for a in Agreement.objects.filter(marking=Marking.PUBLIC).order_by(
            F("signed_start").asc(nulls_last=True), F("signed_end").asc(nulls_last=True), "pk"
        )
    ]
    assert [r[0] for r in rows[1:]] == expected
    assert rows[1][1] == "1997" or rows[1][1]  # the first signed shows its date as written
    by_title = _csv(client.get("/en/framework/agreements/", {"export": "csv", "sort": "-title"}))
    titles = [r[0] for r in by_title[1:]]
    english = list(
        Agreement.objects.filter(marking=Marking.PUBLIC)
        .order_by("-title_en")
        .values_list("title_en", flat=True)
    )
    assert titles == english


@pytest.mark.django_db
def test_a_heading_links_to_sorting_by_it_and_back() -> None:
    page = Client().get("/en/framework/agreements/", {"sort": "title"}).content.decode()
    assert 'aria-sort="ascending"' in page and "?sort=-title" in page
    # an unknown sort key falls back to the default order
    assert Client().get("/en/framework/agreements/", {"sort": "nonsense"}).status_code == 200


@pytest.mark.django_db
def test_meetings_filter_by_level_and_year_and_export_the_filtered_rows() -> None:
    client = _nato()
    rows = _csv(client.get("/en/framework/meetings/", {"level": "summit", "export": "csv"}))
    expected = Meeting.objects.filter(level=MeetingLevel.SUMMIT).count()
    assert len(rows) - 1 == expected > 0
    assert {r[2] for r in rows[1:]} == {str(MeetingLevel.SUMMIT.label)}
    # A year filters by the partial date's start
    year = Meeting.objects.filter(level=MeetingLevel.SUMMIT).first().date_start.year
    rows = _csv(client.get("/en/framework/meetings/", {"year": year, "export": "csv"}))
    assert len(rows) - 1 == Meeting.objects.filter(date_start__year=year).count()


@pytest.mark.django_db
def test_a_bad_filter_value_is_named_and_filters_nothing() -> None:
    page = _nato().get("/en/framework/meetings/", {"year": "abc"}).content.decode()
    assert "Enter a number" in page


@pytest.mark.django_db
def test_action_items_are_paged_and_exported_whole_in_either_format() -> None:
    # Given 120 action items
    owner = Organization.objects.get(slug="ua")
    ActionItem.objects.bulk_create(
        ActionItem(title_en=f"Paged item {n:03}", owner=owner, marking=Marking.PUBLIC)
        for n in range(120)
    )
    total = ActionItem.objects.filter(marking=Marking.PUBLIC).count()
    client = Client()
    # Then a page holds 50, with a link to the next that keeps the filters
    page = client.get("/en/framework/action-items/", {"q": "Paged"}).content.decode()
    assert page.count("Paged item") == 50
    assert "q=Paged&amp;page=2" in page
    last = client.get("/en/framework/action-items/", {"q": "Paged", "page": 3}).content.decode()
    assert last.count("Paged item") == 20
    # and the exports hold every row, in the page's columns
    rows = _csv(client.get("/en/framework/action-items/", {"export": "csv"}))
    assert rows[0] == ["Action", "Owner", "Deadline", "Status", "Releasability"]
    assert len(rows) - 1 == total
    book = client.get("/uk/framework/action-items/", {"export": "xlsx", "q": "Paged"})
    assert book["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(book.content)).active
    header = [c.value for c in next(sheet.iter_rows())]
    with translation.override("uk"):
        assert header == [str(c.label) for c in ACTION_ITEM_COLUMNS]  # translated under /uk/
    assert header[0] != "Action"
    assert sheet.max_row == 121


@pytest.mark.django_db
def test_exports_keep_formula_text_as_text() -> None:
    owner = Organization.objects.get(slug="ua")
    ActionItem.objects.create(title_en="=HYPERLINK(1)", owner=owner, marking=Marking.PUBLIC)
    rows = _csv(Client().get("/en/framework/action-items/", {"export": "csv", "q": "HYPERLINK"}))
    assert rows[1][0] == "'=HYPERLINK(1)"
    book = Client().get("/en/framework/action-items/", {"export": "xlsx", "q": "HYPERLINK"})
    cell = load_workbook(io.BytesIO(book.content)).active["A2"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"


@pytest.mark.django_db
def test_an_export_holds_only_what_the_reader_may_see() -> None:
    Body.objects.create(slug="lists-hidden", kind="committee", name_en="Hidden Lists Group",
                        marking=Marking.NATO)  # fmt: skip
    public = Client().get("/en/framework/bodies/", {"export": "csv"}).content.decode("utf-8-sig")
    assert "Hidden Lists Group" not in public
    nato = _nato().get("/en/framework/bodies/", {"export": "csv"}).content.decode("utf-8-sig")
    assert "Hidden Lists Group" in nato


@pytest.mark.django_db
def test_measures_sort_by_code_in_counting_order_and_export_what_is_filtered() -> None:
    # Given the demo ANP year, whose goals run 1.1 … 5.4 and measures to 1.1.21 and beyond
    from partnership.anp.models import Measure

    year = Measure.objects.order_by("programme__year").first().programme.year
    client = _nato()
    rows = _csv(client.get(f"/en/anp/{year}/measures/", {"export": "csv"}))
    codes = [r[0] for r in rows[1:]]
    # Then the codes come in counting order (1.1.3 before 1.1.21), every one of the year
    assert rows[0][:2] == ["Code", "Measure"]
    assert codes == sorted(codes, key=natural_key)
    assert len(codes) == Measure.objects.filter(programme__year=year).count()
    # and backwards on the heading's second click
    down = _csv(client.get(f"/en/anp/{year}/measures/", {"export": "csv", "sort": "-code"}))
    assert [r[0] for r in down[1:]] == codes[::-1]
    # and the page's own filters narrow the export too
    chapter = _csv(client.get(f"/en/anp/{year}/measures/", {"export": "csv", "chapter": 2}))
    assert chapter[1:] and all(r[0].startswith("2.") for r in chapter[1:])
    page = client.get(f"/en/anp/{year}/measures/", {"sort": "-code"}).content.decode()
    assert 'aria-sort="descending"' in page and "export=xlsx" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/en/trust-funds/", "Trust fund"),
        ("/en/organizations/", "Name"),
        ("/en/framework/bodies/", "Name"),
        ("/en/framework/meetings/", "Date"),
    ],
)
def test_every_list_exports_its_page_headings_in_both_formats(url: str, heading: str) -> None:
    client = _nato()
    page = client.get(url).content.decode()
    assert "export=csv" in page and "export=xlsx" in page and 'class="sort-link"' in page
    rows = _csv(client.get(url, {"export": "csv"}))
    assert rows[0][0] == heading and len(rows) > 1
    book = load_workbook(io.BytesIO(client.get(url, {"export": "xlsx"}).content)).active
    assert [c.value for c in next(book.iter_rows())] == rows[0]
    assert book.max_row == len(rows)


@pytest.mark.django_db
def test_trust_funds_sort_by_their_totals() -> None:
    # Given the trust funds sorted by what was pledged, largest first
    response = _nato().get("/en/trust-funds/", {"export": "xlsx", "sort": "-pledged"})
    # Then the workbook's pledged column holds numbers, in that order
    sheet = load_workbook(io.BytesIO(response.content)).active
    pledged = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert pledged and all(isinstance(v, int | float) for v in pledged)
    assert pledged == sorted(pledged, reverse=True)


@pytest.mark.django_db
def test_organizations_filter_by_kind_and_text() -> None:
    rows = _csv(Client().get("/en/organizations/", {"kind": "ally", "export": "csv"}))
    assert rows[1:] and {r[1] for r in rows[1:]} == {"Allied nation"}
    found = _csv(Client().get("/en/organizations/", {"q": "Lithuania", "export": "csv"}))
    names = [r[0] for r in found[1:]]
    assert "Lithuania" in names and all("Lithuania" in n for n in names)


@pytest.mark.django_db
def test_standards_sort_by_number_in_counting_order() -> None:
    from django.core.management import call_command

    call_command("load_logistics", "--demo", verbosity=0)
    rows = _csv(_nato().get("/en/logistics/standards/", {"export": "csv"}))
    numbers = [r[0] for r in rows[1:]]
    assert rows[0][0] == "Number" and numbers
    assert numbers == sorted(numbers, key=natural_key)
