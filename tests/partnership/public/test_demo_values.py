"""Generated demo values never pass for facts: the public factsheet has none, and wherever
else they are shown (pages, reports, API) they say "demo"."""

from __future__ import annotations

import pytest
from django.db.models import Sum
from django.test import Client
from django.utils import formats, translation

from partnership.core.models import Indicator, Organization
from partnership.programmes.models import Event, Grant, Institution
from partnership.trustfunds.models import Transaction, TrustFund
from tests.partnership.public.test_factsheet_text import page_text

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/{lang}/", "/{lang}/timeline/", "/{lang}/organizations/"] + [
    f"/{{lang}}/milestones/{n}/" for n in range(1, 52)
]


def demo_values() -> set[str]:
    """What the demo generates, as a page would write it: texts and the money totals."""
    values = {"Demo", "Демо", "DEMO-"}
    values |= set(Event.objects.filter(demo=True).values_list("title_en", flat=True))
    values |= set(Grant.objects.filter(demo=True).values_list("reference", flat=True))
    values |= set(Indicator.objects.filter(demo=True).values_list("name_uk", flat=True))
    # A demo DEEP institution may be an organization the factsheet names for another fact (the
    # defence university, line 93): only its being one of DEEP's eight is the demo's.
    institutions = Institution.objects.filter(demo=True)
    organizations = set(Organization.objects.values_list("name_en", flat=True))
    organizations |= set(Organization.objects.values_list("name_uk", flat=True))
    values |= set(institutions.values_list("name_en", flat=True)) - organizations
    values |= set(institutions.values_list("name_uk", flat=True)) - organizations
    for fund in TrustFund.objects.filter(projects__transactions__demo=True).distinct():
        pledged = Transaction.objects.filter(project__fund=fund, kind="pledge").aggregate(
            eur=Sum("amount_eur")
        )["eur"]
        for language in ("en", "uk"):
            with translation.override(language):
                values.add(formats.number_format(round(pledged), 0, force_grouping=True))
    return {value for value in values if value}


@pytest.mark.parametrize("language", ["en", "uk"])
def test_no_demo_value_appears_on_a_public_page(client: Client, language: str) -> None:
    # Given the demo data loaded beside the factsheet (the test session loads both)
    values = demo_values()
    assert len(values) > 20 and any("," in v for v in values)  # titles and a money total

    # When an anonymous visitor reads the public factsheet, timeline and milestones
    found = []
    for url in (page.format(lang=language) for page in PUBLIC_PAGES):
        text, _links = page_text(client.get(url).content.decode())
        found.extend(f"{url}: {value}" for value in values if value in text)

    # Then none of the generated values is there
    assert found == []


def test_demo_counts_and_factors_say_demo_on_the_programme_page(client: Client) -> None:
    page = client.get("/en/programmes/building-integrity/").content.decode()
    by_year = page.split('data-testid="by-year"', 1)[1].split("</table>", 1)[0]

    assert by_year.count('class="demo"') >= 3  # each year's count and its factor
    api = client.get("/api/programmes/building-integrity/participation-by-year").json()
    assert all(row["demo"] for row in api) and all(row["factor_demo"] for row in api[1:])


def test_demo_money_says_demo_on_pages_and_in_the_api(client: Client) -> None:
    # Given NATO staff, who are shown the funds' totals of all their money
    from partnership.core.models import User

    client.force_login(User.objects.get(username="nato-editor"))
    funds = client.get("/en/trust-funds/").content.decode()
    row = funds.split("Partnership Trust Fund: demilitarization", 1)[1].split("</tr>", 1)[0]
    assert 'class="demo"' in row
    fund = client.get("/uk/trust-funds/pfp-demilitarization/").content.decode()
    assert "демо" in fund.split("</h2>", 3)[1] or 'class="demo"' in fund

    project = client.get("/api/trust-funds/projects/demilitarization-munitions").json()
    assert project["totals"]["demo"] is True
    landmines = client.get("/api/trust-funds/projects/demilitarization-landmines").json()
    assert landmines["totals"]["demo"] is False  # no generated money in the closed project


def test_sps_totals_made_of_demo_grants_say_demo(client: Client) -> None:
    rows = client.get("/api/grants/by-beneficiary").json()

    assert rows and all(row["demo"] for row in rows)
    page = client.get("/en/programmes/").content.decode()
    table = page.split('data-testid="beneficiaries"', 1)[1].split("</table>", 1)[0]
    assert table.count('class="demo"') == 2 * len(rows)


def test_the_factsheet_data_names_no_deep_institution() -> None:
    # Given the factsheet data file, which holds only what a source states
    from django.conf import settings

    from partnership.core.factsheet_file import read_file

    document = read_file(settings.FACTSHEET_DATA)

    # Then it has the figure of eight institutions but no institution's name (none is sourced)
    assert not document.get("institutions")
    assert any(f.get("key") == "deep-institutions" for f in document.get("figures"))


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_deep_institutions_say_demo_on_the_programme_page(
    client: Client, language: str
) -> None:
    # When anyone reads the DEEP programme page
    page = client.get(f"/{language}/programmes/deep/").content.decode()

    # Then each of the eight institutions is listed with the demo badge
    listed = page.split("</h2><ul>", 1)[1].split("</ul>", 1)[0]
    items = listed.split("<li>")[1:]
    assert len(items) == 8
    assert all('class="demo"' in item for item in items)
