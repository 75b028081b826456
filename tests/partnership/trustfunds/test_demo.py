"""The demo's trust-fund data says where each value comes from: the fund's lead nation is
generated and says "demo" wherever it is shown; phase 1's lead nation and budget cite their
public source, since the factsheet states neither."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from partnership.core.models import User
from partnership.trustfunds.models import Phase, TrustFund
from tests.partnership.background.jobs import prepared

pytestmark = pytest.mark.django_db

DEMO_BADGE = 'class="demo"'


@pytest.fixture
def nato(client: Client) -> Client:
    client.force_login(User.objects.get(username="nato-editor"))
    return client


def test_the_demo_marks_the_funds_lead_nation_as_demo_and_no_factsheet_fund_has_one() -> None:
    # Given the factsheet and the demo loaded (the test session loads both)
    fund = TrustFund.objects.get(slug="pfp-demilitarization")

    # Then the demo's lead nation is flagged, and no fund has an unflagged one
    assert list(fund.lead_nations.values_list("slug", flat=True)) == ["us"]
    assert fund.lead_nations_demo is True
    assert not TrustFund.objects.filter(lead_nations__isnull=False, lead_nations_demo=False)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_fund_page_and_list_say_the_lead_nation_is_demo(nato: Client, language: str) -> None:
    # When NATO staff read the fund and the list of funds
    page = nato.get(f"/{language}/trust-funds/pfp-demilitarization/").content.decode()
    funds = nato.get(f"/{language}/trust-funds/").content.decode()

    # Then the lead nation carries the demo badge in both
    lead = page.split('data-testid="lead-nations">', 1)[1].split("</dd>", 1)[0]
    assert DEMO_BADGE in lead
    row = funds.split("/trust-funds/pfp-demilitarization/", 1)[1].split("</tr>", 1)[0]
    assert row.count(DEMO_BADGE) >= 2  # the lead nation's and the money's


def test_a_fund_whose_lead_nation_is_a_fact_has_no_badge(nato: Client) -> None:
    # Given the lead nation recorded as a fact
    TrustFund.objects.filter(slug="pfp-demilitarization").update(lead_nations_demo=False)

    # When the fund page is read
    page = nato.get("/en/trust-funds/pfp-demilitarization/").content.decode()

    # Then the lead nation is shown without a badge
    lead = page.split('data-testid="lead-nations">', 1)[1].split("</dd>", 1)[0]
    assert "United States" in lead and DEMO_BADGE not in lead


def test_the_api_says_the_lead_nation_is_demo(nato: Client) -> None:
    funds = {f["slug"]: f for f in nato.get("/api/trust-funds").json()}

    assert funds["pfp-demilitarization"]["lead_nations"] == ["us"]
    assert funds["pfp-demilitarization"]["lead_nations_demo"] is True
    assert all(f["lead_nations_demo"] is False for f in funds.values() if not f["lead_nations"])


def test_the_fund_report_pdf_says_the_lead_nation_is_demo(nato: Client) -> None:
    pdf = prepared(nato, "/en/trust-funds/pfp-demilitarization/donor-report.pdf")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )

    assert "Lead nations: United States demo" in text


def test_phase_1_cites_its_public_source_and_the_other_phases_say_demo(nato: Client) -> None:
    # Given the demilitarization project's four phases
    phases = list(Phase.objects.filter(project__slug="demilitarization-munitions"))
    first, *others = phases

    # Then phase 1 (the only one with a lead nation) names a source outside the factsheet
    assert first.lead_nation is not None and first.lead_nation.slug == "us"
    assert "EUR 7 million" in first.source_text and "2005" in first.source_text
    assert len(others) == 3
    assert all(p.title_en.startswith("Demo:") and not p.source_text for p in others)
    assert all(p.lead_nation is None for p in others)

    # And the project page shows that source, marked as not from the factsheet
    page = nato.get("/uk/trust-funds/projects/demilitarization-munitions/").content.decode()
    source = page.split('data-testid="phase-source">', 1)[1].split("</p>", 1)[0]
    assert 'class="elsewhere"' in source and "ukrweekly.com" in source
