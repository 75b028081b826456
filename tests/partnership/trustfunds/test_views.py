"""Trust-fund pages and API: the demilitarization project in one place, the donor report's
contents, and query counts that do not grow with the data."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from partnership.core.models import User
from partnership.core.services import api_token_create
from partnership.trustfunds import services
from partnership.trustfunds.models import Kind, Project
from tests.conftest import DEMO_PASSWORD
from tests.partnership.background.jobs import prepared

pytestmark = pytest.mark.django_db


def bearer(username: str) -> dict[str, str]:
    _token, raw = api_token_create(user=User.objects.get(username=username), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_demilitarization_project_page_shows_money_results_and_forecast(client: Client) -> None:
    # NATO staff are shown the totals of all the project's money, which the forecast uses.
    client.force_login(User.objects.get(username="nato-editor"))
    body = client.get("/en/trust-funds/projects/demilitarization-munitions/").content.decode()
    for text in (
        "Munitions destroyed",
        "133,000",
        "MANPADS destroyed",
        "Burn-down",
        "Contributions by donor",
        "Target reached (forecast)",
        "The money is not enough.",
    ):
        assert text in body, text


def test_the_donor_report_pdf_says_what_came_in_and_what_was_achieved(client: Client) -> None:
    assert client.login(username="ca-donor", password=DEMO_PASSWORD)
    pdf = prepared(
        client, "/en/trust-funds/projects/demilitarization-munitions/donor-report.pdf?lang=uk"
    )
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Звіт для донорів" in text
    assert "Канада" in text
    assert "Сполучені Штати" not in text  # another donor's row is not releasable to Canada
    assert "133" in text


def test_recording_through_the_api_follows_the_money_rules(client: Client) -> None:
    url = "/api/trust-funds/projects/demo-medical-rehabilitation-1/transactions"
    lead = bearer("nato-editor")
    over = client.post(
        url,
        {
            "kind": "expenditure",
            "date": "2016-01-05",
            "organization": "nspa",
            "currency": "EUR",
            "amount": "99999999",
        },
        content_type="application/json",
        **lead,
    )
    assert over.status_code == 400 and over.json()["field"] == "amount"
    no_rate = client.post(
        url,
        {
            "kind": "pledge",
            "date": "2016-01-05",
            "organization": "ca",
            "currency": "CAD",
            "amount": "1000",
        },
        content_type="application/json",
        **lead,
    )
    assert no_rate.status_code == 400 and "CAD" in no_rate.json()["message"]
    refused = client.post(
        url,
        {
            "kind": "pledge",
            "date": "2016-01-05",
            "organization": "ca",
            "currency": "EUR",
            "amount": "1000",
        },
        content_type="application/json",
        **bearer("ca-donor"),
    )
    assert refused.status_code == 403
    ok = client.post(
        url,
        {
            "kind": "pledge",
            "date": "2016-01-05",
            "organization": "ca",
            "currency": "EUR",
            "amount": "1000",
        },
        content_type="application/json",
        **lead,
    )
    assert ok.status_code == 201
    project = Project.objects.get(slug="demo-medical-rehabilitation-1")
    pledged = sum(t.amount_eur for t in project.transactions.filter(kind=Kind.PLEDGE))
    # The lead nation is shown the totals of all the project's money.
    detail = client.get("/api/trust-funds/projects/demo-medical-rehabilitation-1", **lead).json()
    assert Decimal(detail["totals"]["pledged"]) == pledged


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_transactions(client: Client) -> None:
    client.force_login(User.objects.get(username="nato-editor"))
    project = Project.objects.get(slug="demo-medical-rehabilitation-1")
    urls = [
        "/en/trust-funds/",
        "/en/trust-funds/medical-rehabilitation/",
        f"/en/trust-funds/projects/{project.slug}/",
    ]
    before = [_queries(client, u) for u in urls]
    services.rate_record(
        by=User.objects.get(username="nato-editor"),
        currency="USD",
        date=dt.date(2016, 2, 1),
        eur_per_unit=Decimal("0.9"),
    )
    for n in range(30):
        services.transaction_record(
            by=None,
            project=project,
            kind=Kind.PLEDGE,
            date=dt.date(2016, 2, 1),
            organization=project.transactions.first().organization,
            currency="USD",
            amount=Decimal(100 + n),
        )
    assert [_queries(client, u) for u in urls] == before


@pytest.mark.parametrize("who", [None, "ca-donor", "nato-editor", "ua-viewer"])
def test_each_trust_fund_page_asks_once_who_sees_the_totals_of_all(
    client: Client, monkeypatch: pytest.MonkeyPatch, who: str | None
) -> None:
    from partnership.trustfunds import selectors

    # Given a reader (or the public), and each asking of who sees the totals of all counted
    if who:
        client.force_login(User.objects.get(username=who))
    asked = []
    real = selectors.sees_all_totals

    def counted(user: object, fund: object) -> bool:
        asked.append(fund)
        return real(user, fund)  # type: ignore[arg-type]

    monkeypatch.setattr(selectors, "sees_all_totals", counted)
    project = Project.objects.get(slug="demo-medical-rehabilitation-1")
    for url in (
        "/en/trust-funds/medical-rehabilitation/",
        f"/en/trust-funds/projects/{project.slug}/",
        f"/en/trust-funds/projects/{project.slug}/donor-report.html",
        "/en/trust-funds/medical-rehabilitation/donor-report.html",
        "/uk/trust-funds/medical-rehabilitation/donor-report.html?from=2015-01-01&to=2016-12-31",
    ):
        asked.clear()
        # When the page is read
        assert client.get(url).status_code == 200, url
        # Then it asked once (each asking is a query), and every figure used that answer
        assert len(asked) == 1, url
