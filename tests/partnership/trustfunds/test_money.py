"""The money rules: only money received is spent, payments within commitments, rates never
guessed; totals always equal the sum of the transactions (property-based)."""

import contextlib
import datetime as dt
import itertools
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Organization, User
from partnership.trustfunds import selectors, services
from partnership.trustfunds.models import Kind, Project, Transaction, TrustFund

pytestmark = pytest.mark.django_db
_numbers = itertools.count()


def org(slug: str) -> Organization:
    return Organization.objects.get(slug=slug)


def new_project() -> Project:
    n = next(_numbers)
    return Project.objects.create(
        fund=TrustFund.objects.get(slug="pfp-demilitarization"), slug=f"test-project-{n}",
        iati_identifier=f"XI-PARTNERSHIP-test-{n}", title_en=f"Test project {n}",
        period="2020/2022", marking="PUBLIC",
    )  # fmt: skip


def record(project: Project, kind: str, amount: int | Decimal, donor: str = "de", currency: str = "EUR",
           date: dt.date = dt.date(2020, 5, 1)) -> Transaction:  # fmt: skip
    # These tests are about payments and spending: a commitment without its pledge is taken
    # as confirmed (the pledge rule has its own tests in test_rules.py).
    return services.transaction_record(
        by=None, project=project, kind=kind, date=date, organization=org(donor),
        currency=currency, amount=Decimal(amount), confirm_above_pledge=True,
    )  # fmt: skip


def test_a_payment_larger_than_what_was_committed_is_refused() -> None:
    project = new_project()
    record(project, Kind.PLEDGE, 1000)
    record(project, Kind.COMMITMENT, 800)
    record(project, Kind.PAYMENT, 500)
    with pytest.raises(ApplicationError) as info:
        record(project, Kind.PAYMENT, 301)
    assert "300.00 EUR" in str(info.value.message) and "Germany" in str(info.value.message)
    assert project.transactions.count() == 3


def test_a_disbursement_that_would_overdraw_the_project_is_refused() -> None:
    project = new_project()
    record(project, Kind.COMMITMENT, 1000)
    record(project, Kind.PAYMENT, 1000)
    record(project, Kind.DISBURSEMENT, 600, donor="ua-mod")
    with pytest.raises(ApplicationError) as info:
        record(project, Kind.EXPENDITURE, Decimal("400.01"), donor="nspa")
    assert "400.00 EUR received and not yet spent" in str(info.value.message)
    assert selectors.project_totals(user=_nato_staff(), project=project)["balance"] == Decimal(400)


def test_a_currency_without_a_rate_for_that_date_is_refused_never_guessed() -> None:
    project = new_project()
    services.rate_record(
        by=User.objects.get(username="nato-editor"),
        currency="USD",
        date=dt.date(2020, 5, 1),
        eur_per_unit=Decimal("0.9"),
    )
    with pytest.raises(ApplicationError) as info:
        record(project, Kind.PLEDGE, 100, donor="us", currency="USD", date=dt.date(2020, 5, 2))
    assert "no USD rate for 2020-05-02" in str(info.value.message)
    pledge = record(project, Kind.PLEDGE, 100, donor="us", currency="USD")
    assert pledge.amount_eur == Decimal("90.00")


def test_only_lead_nations_the_executing_agent_and_nato_record_money() -> None:
    project = new_project()
    with pytest.raises(PermissionDeniedError):
        services.transaction_record(
            by=User.objects.get(username="ca-donor"), project=project, kind=Kind.PLEDGE,
            date=dt.date(2020, 1, 1), organization=org("ca"), currency="EUR", amount=Decimal(5),
        )  # fmt: skip
    services.transaction_record(
        by=User.objects.get(username="us-lead"), project=project, kind=Kind.PLEDGE,
        date=dt.date(2020, 1, 1), organization=org("us"), currency="EUR", amount=Decimal(5),
    )  # fmt: skip


def test_a_donor_sees_its_own_contributions_and_the_totals_not_the_other_donors() -> None:
    project = new_project()
    for donor, amount in (("ca", 100), ("de", 200)):
        record(project, Kind.COMMITMENT, amount, donor=donor)
        record(project, Kind.PAYMENT, amount, donor=donor)
    canada = User.objects.get(username="ca-donor")
    rows = selectors.donor_rows(user=canada, project=project)
    assert [r["donor"] for r in rows] == ["Canada"]
    assert selectors.project_totals(user=_nato_staff(), project=project)["received"] == Decimal(300)
    nato = selectors.donor_rows(user=User.objects.get(username="nato-editor"), project=project)
    assert {r["donor"] for r in nato} == {"Canada", "Germany"}


operations = st.lists(
    st.tuples(
        st.sampled_from(
            [Kind.PLEDGE, Kind.COMMITMENT, Kind.PAYMENT, Kind.DISBURSEMENT, Kind.EXPENDITURE]
        ),
        st.sampled_from(["de", "ca"]),
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal(100000), places=2),
    ),
    max_size=25,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations)
def test_books_never_go_negative_and_totals_add_up(ops: list[tuple[str, str, Decimal]]) -> None:
    project = new_project()
    for kind, donor, amount in ops:
        receiver = {"disbursement": "ua-mod", "expenditure": "nspa"}.get(kind, donor)
        with contextlib.suppress(ApplicationError):
            record(project, kind, amount, donor=receiver)
        totals = selectors.project_totals(user=_nato_staff(), project=project)
        assert totals["balance"] >= 0
    rows = list(project.transactions.all())
    totals = selectors.project_totals(user=_nato_staff(), project=project)

    def total(*kinds: str) -> Decimal:
        return sum((t.amount_eur for t in rows if t.kind in kinds), Decimal(0))

    assert totals["received"] == total(Kind.PAYMENT)
    assert totals["used"] == total(Kind.DISBURSEMENT, Kind.EXPENDITURE)
    assert totals["balance"] == total(Kind.PAYMENT) - total(Kind.DISBURSEMENT, Kind.EXPENDITURE)
    # The running totals kept on the project agree with the transactions.
    project.refresh_from_db()
    assert (project.total_received, project.total_used) == (totals["received"], totals["used"])
    for donor in ("de", "ca"):
        paid = sum(
            (t.amount for t in rows if t.kind == Kind.PAYMENT and t.organization.slug == donor),
            Decimal(0),
        )
        committed = sum(
            (t.amount for t in rows if t.kind == Kind.COMMITMENT and t.organization.slug == donor),
            Decimal(0),
        )
        assert paid <= committed


def test_the_demilitarization_forecast_says_when_and_whether_the_money_is_enough() -> None:
    project = Project.objects.get(slug="demilitarization-munitions")
    editor = User.objects.get(username="nato-editor")
    results = {r["indicator"].name_en: r for r in selectors.results(user=editor, project=project)}
    assert set(results) == {"Munitions destroyed", "Small arms destroyed", "MANPADS destroyed"}
    tons = results["Munitions destroyed"]
    assert tons["indicator"].target == 133000
    assert tons["eta"] is not None and tons["eta"].year > 2014
    assert results["MANPADS destroyed"]["share"] == 1.0
    money = selectors.money_forecast(
        totals=selectors.project_totals(user=_nato_staff(), project=project),
        results=list(results.values()),
    )
    assert money["projected"] > money["available"]  # at this pace the committed money runs short
    assert money["enough"] is False


def _nato_staff() -> User:
    """NATO staff are shown a project's totals of all its transactions."""
    return User.objects.get(username="nato-editor")
