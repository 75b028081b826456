"""The trust-fund pages of this issue, per role and in both languages: voiding a transaction,
recording a result, a commitment above the pledge, closing a fund with what it still holds."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from partnership.core.models import Indicator, Measurement, User
from partnership.trustfunds import services
from partnership.trustfunds.models import (
    ExchangeRate,
    FundStatus,
    Kind,
    Project,
    Transaction,
    TrustFund,
)

pytestmark = pytest.mark.django_db

SLUG = "demilitarization-munitions"
FUND = "pfp-demilitarization"


def as_user(client: Client, name: str) -> Client:
    client.force_login(User.objects.get(username=name))
    return client


def a_pledge() -> Transaction:
    project = Project.objects.get(slug=SLUG)
    return services.transaction_record(
        by=None, project=project, kind=Kind.PLEDGE, date=dt.date(2016, 3, 1),
        organization=project.fund.lead_nations.get(), currency="EUR", amount=Decimal(1000),
        description="Pages test pledge",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "title", "reason"),
    [("en", "Void a transaction", "Why is it voided?"), ("uk", "Анулювати операцію", "Чому")],
)
def test_the_fund_manager_voids_through_the_page_with_a_reason_and_confirmation(
    client: Client, lang: str, title: str, reason: str
) -> None:
    pledge = a_pledge()
    url = f"/{lang}/trust-funds/projects/{SLUG}/transactions/{pledge.pk}/void/"
    as_user(client, "us-lead")
    page = client.get(url).content.decode()
    assert title in page and reason in page
    # Without the box ticked nothing is voided, and the form says so.
    refused = client.post(url, {"reason": "Typed twice"})
    assert refused.status_code == 400 and not Transaction.objects.filter(reverses=pledge).exists()
    done = client.post(url, {"reason": "Typed twice", "confirm": "on"})
    assert done.status_code == 302
    ledger = client.get(f"/{lang}/trust-funds/projects/{SLUG}/").content.decode()
    assert "Typed twice" in ledger and 'class="voided"' in ledger
    # Back and submit again: the service refuses a second void, on the form.
    again = client.post(url, {"reason": "Typed twice", "confirm": "on"})
    assert again.status_code == 400 and Transaction.objects.filter(reverses=pledge).count() == 1


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Only an editor of a lead nation"), ("uk", "лише редактор провідної держави")],
)
def test_a_donor_may_not_void_nor_record_results_and_is_told_why(
    client: Client, lang: str, words: str
) -> None:
    # Given a pledge of the lead nation, which Canada does not see
    pledge = a_pledge()
    as_user(client, "ca-donor")
    # Then its void page does not exist for Canada, and the results form says why not
    void = client.get(f"/{lang}/trust-funds/projects/{SLUG}/transactions/{pledge.pk}/void/")
    assert void.status_code == 404
    refused = client.get(f"/{lang}/trust-funds/projects/{SLUG}/results/new/")
    assert refused.status_code == 403 and words in refused.content.decode()


def test_a_visitor_is_asked_to_log_in(client: Client) -> None:
    response = client.get(f"/en/trust-funds/projects/{SLUG}/results/new/")
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    ("lang", "label"), [("en", "Record a result"), ("uk", "Записати результат")]
)
def test_a_result_is_recorded_through_the_page_as_people_write_its_period(
    client: Client, lang: str, label: str
) -> None:
    as_user(client, "nato-editor")
    url = f"/{lang}/trust-funds/projects/{SLUG}/results/new/"
    form = client.get(url).content.decode()
    assert label in form
    indicator = Indicator.objects.filter(subject_id=Project.objects.get(slug=SLUG).pk)[0]
    future = client.post(url, {"indicator": indicator.pk, "period": "2031", "actual": "5"})
    assert future.status_code == 400
    done = client.post(url, {"indicator": indicator.pk, "period": "Q2 2026", "actual": "5"})
    assert done.status_code == 302
    assert Measurement.objects.filter(indicator=indicator, period="2026-34").exists()


def test_a_commitment_above_the_pledge_is_asked_for_on_the_form_and_then_flagged(
    client: Client,
) -> None:
    as_user(client, "nato-editor")
    url = f"/en/trust-funds/projects/{SLUG}/record/"
    data = {
        "kind": "commitment", "date": "2016-03-01", "organization": TrustFund.objects.get(
            slug=FUND).lead_nations.get().pk, "currency": "EUR", "amount": "5000000",
        "description": "Pages test commitment",
    }  # fmt: skip
    asked = client.post(url, data).content.decode()
    assert "Confirm that the commitment is above the pledge" in asked
    assert not Transaction.objects.filter(description="Pages test commitment").exists()
    assert client.post(url, {**data, "confirm_above_pledge": "on"}).status_code == 302
    page = client.get(f"/en/trust-funds/projects/{SLUG}/").content.decode()
    assert 'data-testid="above-pledge"' in page and "5,000,000.00 EUR" in page


@pytest.mark.parametrize(("lang", "words"), [("en", "Projects still running"), ("uk", "Проєкти")])
def test_closing_a_fund_shows_what_remains_and_needs_the_box(
    client: Client, lang: str, words: str
) -> None:
    TrustFund.objects.filter(slug=FUND).update(status=FundStatus.IMPLEMENTATION)
    as_user(client, "nato-editor")
    url = f"/{lang}/trust-funds/{FUND}/status/"
    fund_page = client.get(f"/{lang}/trust-funds/{FUND}/").content.decode()
    assert 'data-testid="close-fund"' in fund_page
    asked = client.get(url + "?status=closed").content.decode()
    assert words in asked and 'data-testid="remains"' in asked
    refused = client.post(url, {"status": "closed"})
    assert refused.status_code == 400
    assert TrustFund.objects.get(slug=FUND).status == FundStatus.IMPLEMENTATION
    assert client.post(url, {"status": "closed", "confirm": "on"}).status_code == 302
    assert TrustFund.objects.get(slug=FUND).status == FundStatus.CLOSED
    project = client.get(f"/{lang}/trust-funds/projects/{SLUG}/").content.decode()
    assert 'data-testid="fund-closed"' in project and 'data-testid="record"' not in project


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "Withdraw a result"), ("uk", "Відкликати результат")]
)
def test_the_lead_nation_withdraws_a_wrong_result_with_a_reason_and_confirmation(
    client: Client, lang: str, title: str
) -> None:
    # Given a wrong result on the project, and its editor on the project's page
    indicator = Indicator.objects.filter(subject_id=Project.objects.get(slug=SLUG).pk)[0]
    wrong = services.measurement_record(
        by=User.objects.get(username="us-lead"), indicator=indicator, period="2019",
        actual=Decimal(999), note="Pages test",
    )  # fmt: skip
    as_user(client, "us-lead")
    project_page = client.get(f"/{lang}/trust-funds/projects/{SLUG}/").content.decode()
    url = f"/{lang}/trust-funds/projects/{SLUG}/results/{wrong.pk}/withdraw/"
    assert f'href="{url}"' in project_page
    assert title in client.get(url).content.decode()

    # When they submit without the box ticked, then with it
    refused = client.post(url, {"reason": "Typed 999 for 99"})
    done = client.post(url, {"reason": "Typed 999 for 99", "confirm": "on"})

    # Then only the confirmed one withdraws; the page shows it withdrawn, without a link
    assert refused.status_code == 400
    assert done.status_code == 302
    wrong.refresh_from_db()
    assert wrong.withdrawal_reason == "Typed 999 for 99"
    after = client.get(f"/{lang}/trust-funds/projects/{SLUG}/").content.decode()
    assert "Typed 999 for 99" in after and f'href="{url}"' not in after


def test_the_finance_staff_record_and_correct_a_rate_on_the_rates_page(client: Client) -> None:
    # Given the NATO finance staff on the trust funds' list
    as_user(client, "nato-editor")
    assert 'href="/uk/trust-funds/rates/"' in client.get("/uk/trust-funds/").content.decode()

    # When they record a USD rate, a wrong one, then correct the USD rate
    done = client.post(
        "/en/trust-funds/rates/",
        {"currency": "usd", "date": "2020-02-03", "eur_per_unit": "0.9", "source": "ECB"},
    )
    wrong = client.post(
        "/en/trust-funds/rates/", {"currency": "usd", "date": "2020-02-04", "eur_per_unit": "-1"}
    )
    rate = ExchangeRate.objects.get(currency="USD", date=dt.date(2020, 2, 3))
    listed = client.get("/en/trust-funds/rates/?sort=-date").content.decode()
    corrected = client.post(
        f"/en/trust-funds/rates/{rate.pk}/",
        {"currency": "GBP", "date": "2021-01-01", "eur_per_unit": "0.91", "source": "ECB"},
    )

    # Then the first is listed with its link, the wrong one refused on its field, and the
    # correction changed only the rate (the currency and the day stay), with history
    assert done.status_code == 302 and f'href="/en/trust-funds/rates/{rate.pk}/"' in listed
    assert wrong.status_code == 400 and "eur_per_unit" in wrong.context["form"].errors
    assert corrected.status_code == 302
    rate.refresh_from_db()
    assert (rate.currency, rate.date, rate.eur_per_unit) == (
        "USD",
        dt.date(2020, 2, 3),
        Decimal("0.91"),
    )
    assert rate.history.count() == 2


@pytest.mark.parametrize(("lang", "words"), [("en", "finance staff"), ("uk", "фінанс")])
def test_a_lead_nation_editor_is_refused_the_rates_page_with_the_reason(
    client: Client, lang: str, words: str
) -> None:
    as_user(client, "us-lead")
    page = client.get(f"/{lang}/trust-funds/rates/")
    assert page.status_code == 403 and words in page.content.decode()
    assert "/trust-funds/rates/" not in client.get(f"/{lang}/trust-funds/").content.decode()
