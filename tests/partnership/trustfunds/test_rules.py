"""The rules of trust-fund money that keep wrong data out: voids by reversing entry, dates of
money that moved, commitments above the pledge, nothing into a closed fund, closing with what
remains, and result measurements. Each refusal names its field and saves nothing."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Indicator, Marking, Organization, User
from partnership.trustfunds import iati, selectors, services
from partnership.trustfunds.models import FundStatus, Kind, Project, Transaction, TrustFund

pytestmark = pytest.mark.django_db
_numbers = itertools.count()
FUND = "pfp-demilitarization"
DAY = dt.date(2020, 5, 1)


def nato() -> User:
    return User.objects.get(username="nato-editor")


def org(slug: str) -> Organization:
    return Organization.objects.get(slug=slug)


def new_project() -> Project:
    n = next(_numbers)
    return Project.objects.create(
        fund=TrustFund.objects.get(slug=FUND), slug=f"rules-project-{n}",
        iati_identifier=f"XI-PARTNERSHIP-rules-{n}", title_en=f"Rules project {n}",
        period="2020/2022", marking=Marking.PUBLIC, status="2",
    )  # fmt: skip


def record(
    project: Project, kind: str, amount: int, donor: str = "de", **extra: object
) -> Transaction:
    return services.transaction_record(
        by=nato(), project=project, kind=kind, date=extra.pop("date", DAY),  # type: ignore[arg-type]
        organization=org(donor), currency="EUR", amount=Decimal(amount), **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def totals(project: Project) -> dict[str, Decimal]:
    return selectors.project_totals(user=nato(), project=project)


# Voids


def test_a_voided_payment_stays_in_the_ledger_and_its_reversal_cancels_it_in_the_totals() -> None:
    # Given a pledge, a commitment and a payment of 1,000 EUR
    project = new_project()
    record(project, Kind.PLEDGE, 1000)
    record(project, Kind.COMMITMENT, 1000)
    payment = record(project, Kind.PAYMENT, 1000)
    # When the payment is voided with a reason
    reversal = services.transaction_void(by=nato(), transaction=payment, reason="Typed twice")
    # Then both are kept, the reversal says why and who, and the totals count both
    assert Transaction.objects.filter(pk=payment.pk).exists()
    assert (reversal.reverses, reversal.amount, reversal.void_reason, reversal.recorded_by) == (
        payment,
        Decimal(-1000),
        "Typed twice",
        nato(),
    )
    assert totals(project)["received"] == 0 and totals(project)["balance"] == 0
    project.refresh_from_db()
    assert project.total_received == 0
    ledger = selectors.ledger(user=nato(), project=project)
    assert [getattr(t, "voided_by", None) for t in ledger if t.pk == payment.pk] == [reversal]


def test_a_void_needs_a_reason_and_happens_once() -> None:
    project = new_project()
    pledge = record(project, Kind.PLEDGE, 500)
    with pytest.raises(ApplicationError) as info:
        services.transaction_void(by=nato(), transaction=pledge, reason="  ")
    assert info.value.field == "reason"
    reversal = services.transaction_void(by=nato(), transaction=pledge, reason="Wrong donor")
    with pytest.raises(ApplicationError) as info:
        services.transaction_void(by=nato(), transaction=pledge, reason="Again")
    assert "already voided" in str(info.value.message)
    with pytest.raises(ApplicationError) as info:
        services.transaction_void(by=nato(), transaction=reversal, reason="Undo the undo")
    assert "reversing entry" in str(info.value.message)
    assert project.transactions.count() == 2


def test_a_payment_already_spent_cannot_be_voided() -> None:
    # Given 1,000 EUR received and 600 spent
    project = new_project()
    record(project, Kind.PLEDGE, 1000)
    record(project, Kind.COMMITMENT, 1000)
    payment = record(project, Kind.PAYMENT, 1000)
    record(project, Kind.DISBURSEMENT, 600, donor="ua-mod")
    # When the payment is voided, then it is refused: the books would go negative
    with pytest.raises(ApplicationError) as info:
        services.transaction_void(by=nato(), transaction=payment, reason="Wrong")
    assert "overdraw" in str(info.value.message) and info.value.field == "reason"
    assert totals(project)["balance"] == Decimal(400)


def test_a_commitment_already_paid_cannot_be_voided_before_its_payment() -> None:
    project = new_project()
    record(project, Kind.PLEDGE, 1000)
    commitment = record(project, Kind.COMMITMENT, 1000)
    record(project, Kind.PAYMENT, 700)
    with pytest.raises(ApplicationError) as info:
        services.transaction_void(by=nato(), transaction=commitment, reason="Wrong")
    assert "void the payment first" in str(info.value.message)


def test_only_those_who_record_the_money_void_it() -> None:
    project = new_project()
    pledge = record(project, Kind.PLEDGE, 500)
    with pytest.raises(PermissionDeniedError):
        services.transaction_void(
            by=User.objects.get(username="ca-donor"), transaction=pledge, reason="Not mine"
        )
    assert not Transaction.objects.filter(reverses=pledge).exists()


def test_the_database_refuses_a_negative_amount_that_is_no_reversal() -> None:
    project = new_project()
    pledge = record(project, Kind.PLEDGE, 500)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Transaction.objects.filter(pk=pledge.pk).update(amount=Decimal(-5))


def test_the_database_refuses_money_dated_before_1991() -> None:
    project = new_project()
    pledge = record(project, Kind.PLEDGE, 500)
    with transaction.atomic(), pytest.raises(IntegrityError):
        Transaction.objects.filter(pk=pledge.pk).update(date=dt.date(1066, 10, 14))


# Dates of money that moved


@pytest.mark.parametrize(
    ("when", "words"),
    [(dt.date(1066, 10, 14), "before 1991"), (dt.date(2031, 1, 1), "in the future")],
)
def test_a_pledge_dated_before_1991_or_in_the_future_is_refused(when: dt.date, words: str) -> None:
    project = new_project()
    with pytest.raises(ApplicationError) as info:
        record(project, Kind.PLEDGE, 100, date=when)
    assert words in str(info.value.message) and info.value.field == "date"
    assert project.transactions.count() == 0


def test_money_dated_today_is_recorded() -> None:
    project = new_project()
    assert record(project, Kind.PLEDGE, 100, date=timezone.localdate()).pk


# Commitments above the pledge


def test_a_commitment_above_the_pledge_needs_confirmation_and_is_flagged() -> None:
    # Given a pledge of 200,000 EUR
    project = new_project()
    record(project, Kind.PLEDGE, 200_000)
    # When 5,000,000 is committed without confirmation, then it is refused on the checkbox
    with pytest.raises(ApplicationError) as info:
        record(project, Kind.COMMITMENT, 5_000_000)
    assert info.value.field == "confirm_above_pledge"
    assert "5,000,000.00 EUR committed against 200,000.00 EUR pledged" in str(info.value.message)
    assert not project.transactions.filter(kind=Kind.COMMITMENT).exists()
    # When it is confirmed, then it is recorded and the project is flagged with it
    commitment = record(project, Kind.COMMITMENT, 5_000_000, confirm_above_pledge=True)
    assert commitment.above_pledge
    assert selectors.commitments_above_pledge(user=nato(), project=project) == [commitment]


def test_a_commitment_within_the_pledge_is_not_flagged() -> None:
    project = new_project()
    record(project, Kind.PLEDGE, 1000)
    assert not record(project, Kind.COMMITMENT, 1000).above_pledge
    assert selectors.commitments_above_pledge(user=nato(), project=project) == []


# A closed fund


def test_nothing_is_posted_into_a_closed_fund() -> None:
    project = new_project()
    pledge = record(project, Kind.PLEDGE, 1000)
    indicator = _indicator(project)
    TrustFund.objects.filter(slug=FUND).update(status=FundStatus.CLOSED)
    project.refresh_from_db()
    for attempt in (
        lambda: record(project, Kind.PLEDGE, 1000),
        lambda: services.transaction_void(by=nato(), transaction=pledge, reason="Late"),
        lambda: services.measurement_record(
            by=nato(), indicator=indicator, period="2020", actual=Decimal(1)
        ),
        lambda: services.agreement_record(
            by=nato(), project=project, kind="financial", parties=[org("ca")]
        ),
        lambda: iati.import_activities(by=nato(), fund=project.fund, data=b"<iati-activities/>"),
    ):
        with pytest.raises(ApplicationError) as info:
            attempt()
        assert "is closed" in str(info.value.message)
    assert project.transactions.count() == 1 and not indicator.measurements.exists()
    # The IATI import form does not offer it.
    assert project.fund not in selectors.funds_to_import_into(user=nato())


def test_closing_a_fund_says_what_remains_and_needs_confirmation() -> None:
    # Given a fund in implementation holding 400 EUR unspent and a project still running
    TrustFund.objects.filter(slug=FUND).update(status=FundStatus.IMPLEMENTATION)
    fund = TrustFund.objects.get(slug=FUND)
    project = new_project()
    record(project, Kind.PLEDGE, 1000)
    record(project, Kind.COMMITMENT, 1000)
    record(project, Kind.PAYMENT, 1000)
    record(project, Kind.DISBURSEMENT, 600, donor="ua-mod")
    remains = services.fund_remains(fund)
    assert project in remains["running"]
    # When it is closed without confirmation, then it is refused and says what remains
    with pytest.raises(ApplicationError) as info:
        services.fund_status_advance(by=nato(), fund=fund, status=FundStatus.CLOSED)
    assert info.value.field == "confirm"
    assert f"{remains['balance']:,.2f} EUR" in str(info.value.message)
    assert TrustFund.objects.get(slug=FUND).status == FundStatus.IMPLEMENTATION
    # When it is confirmed, then it is closed
    services.fund_status_advance(by=nato(), fund=fund, status=FundStatus.CLOSED, confirm=True)
    assert TrustFund.objects.get(slug=FUND).status == FundStatus.CLOSED


# Result measurements


def _indicator(project: Project) -> Indicator:
    return Indicator.objects.create(
        subject_type=ContentType.objects.get_for_model(Project), subject_id=project.pk,
        name_en="Tons destroyed", unit="t", target=Decimal(100), marking=Marking.PUBLIC,
    )  # fmt: skip


def test_a_result_is_recorded_as_people_write_its_period_and_corrected_by_a_second_value() -> None:
    project = new_project()
    indicator = _indicator(project)
    first = services.measurement_record(
        by=nato(), indicator=indicator, period="Q3 2020", actual=Decimal(12), note="Lot 1"
    )
    assert (first.period, first.actual) == ("2020-35", Decimal(12))
    again = services.measurement_record(
        by=nato(), indicator=indicator, period="2020-35", actual=Decimal(15)
    )
    assert again.pk == first.pk and indicator.measurements.get().actual == Decimal(15)
    assert first.history.count() == 2


@pytest.mark.parametrize(
    ("period", "actual", "field", "words"),
    [
        ("2031", 5, "period", "in the future"),
        ("1066", 5, "period", "before 1991"),
        ("2022/2020", 5, "period", "ends before it starts"),
        ("not a date", 5, "period", "not a date"),
        ("2020", -1, "actual", "cannot be negative"),
    ],
)
def test_a_wrong_result_is_refused_on_its_field(
    period: str, actual: int, field: str, words: str
) -> None:
    project = new_project()
    indicator = _indicator(project)
    with pytest.raises(ApplicationError) as info:
        services.measurement_record(
            by=nato(), indicator=indicator, period=period, actual=Decimal(actual)
        )
    assert info.value.field == field and words in str(info.value.message)
    assert not indicator.measurements.exists()


def test_a_withdrawn_result_stays_with_its_reason_and_counts_nowhere() -> None:
    # Given a project with two results of one indicator
    project = new_project()
    indicator = _indicator(project)
    kept = services.measurement_record(by=nato(), indicator=indicator, period="2020", actual=5)
    wrong = services.measurement_record(by=nato(), indicator=indicator, period="2021", actual=90)

    # When the second is withdrawn with a reason
    services.measurement_withdraw(by=nato(), measurement=wrong, reason="Typed 90 for 9")

    # Then it stays, with who and why, but the results, forecast and IATI count only the first
    wrong.refresh_from_db()
    assert (wrong.withdrawn_by, wrong.withdrawal_reason) == (nato(), "Typed 90 for 9")
    assert wrong.history.first().history_change_reason == "Typed 90 for 9"
    (row,) = selectors.results(user=nato(), project=project)
    assert row["values"] == [kept] and row["actual"] == Decimal(5)
    assert b'actual value="90' not in iati.export(user=nato(), projects=[project])
    assert list(selectors.measurements_for(user=nato(), project=project)) == [kept, wrong]

    # and recording 2021 again makes it count again, with the new value
    services.measurement_record(by=nato(), indicator=indicator, period="2021", actual=9)
    (row,) = selectors.results(user=nato(), project=project)
    assert row["actual"] == Decimal(9)
    assert indicator.measurements.get(period="2021").withdrawn_at is None


def test_a_result_is_withdrawn_only_with_a_reason_once_by_those_who_record() -> None:
    project = new_project()
    measurement = services.measurement_record(
        by=nato(), indicator=_indicator(project), period="2020", actual=Decimal(1)
    )
    with pytest.raises(ApplicationError) as blank:
        services.measurement_withdraw(by=nato(), measurement=measurement, reason="  ")
    with pytest.raises(PermissionDeniedError):
        services.measurement_withdraw(
            by=User.objects.get(username="ca-donor"), measurement=measurement, reason="No"
        )
    services.measurement_withdraw(by=nato(), measurement=measurement, reason="Wrong")
    with pytest.raises(ApplicationError) as twice:
        services.measurement_withdraw(by=nato(), measurement=measurement, reason="Again")
    assert blank.value.field == twice.value.field == "reason"
    measurement.refresh_from_db()
    assert measurement.withdrawal_reason == "Wrong"


def test_only_those_who_record_the_money_record_results() -> None:
    project = new_project()
    with pytest.raises(PermissionDeniedError):
        services.measurement_record(
            by=User.objects.get(username="ca-donor"), indicator=_indicator(project),
            period="2020", actual=Decimal(1),
        )  # fmt: skip
