"""The SPS and participation rules that keep wrong data out: an award is positive, within the
request, confirmed and given by someone other than the applicant after another's positive
review; periods are ordered and plausible; one row per participation group; forms start
with nothing chosen."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Marking, Organization, User
from partnership.programmes import services
from partnership.programmes.forms import CountForm, CountFormSet, GrantReviewForm
from partnership.programmes.models import Event, Grant, GrantReview, GrantStatus, Programme

pytestmark = pytest.mark.django_db


def user(name: str) -> User:
    return User.objects.get(username=name)


def sps() -> Programme:
    return Programme.objects.get(slug="sps")


def apply(by: str = "ua-coordinator", period: str = "2027/2029") -> Grant:
    return services.grant_apply(
        by=user(by), programme=sps(), title_en="Demining robots", topic="demining",
        beneficiary=Organization.objects.get(slug="ua"), ceiling_eur=Decimal(200_000),
        period=period, summary_en="Robots for fields.",
    )  # fmt: skip


def under_review(grant: Grant, reviewer: str = "nato-approver") -> Grant:
    grant = services.grant_review_start(by=user("nato-editor"), grant=grant)
    services.grant_review_record(
        by=user(reviewer), grant=grant, score=4, recommendation="award", comment="Sound."
    )
    return grant


@pytest.mark.parametrize("amount", [Decimal(-5), Decimal(0)])
def test_an_award_of_nothing_or_less_is_refused(amount: Decimal) -> None:
    grant = under_review(apply())
    with pytest.raises(ApplicationError) as info:
        services.grant_award(by=user("nato-editor"), grant=grant, amount_eur=amount, confirm=True)
    assert info.value.field == "amount_eur" and "greater than zero" in str(info.value.message)
    grant.refresh_from_db()
    assert (grant.status, grant.awarded_eur) == (GrantStatus.UNDER_REVIEW, None)


def test_an_award_above_the_request_is_refused() -> None:
    grant = under_review(apply())
    with pytest.raises(ApplicationError) as info:
        services.grant_award(
            by=user("nato-editor"), grant=grant, amount_eur=Decimal(200_001), confirm=True
        )
    assert info.value.field == "amount_eur"


def test_the_applicant_does_not_award_their_own_grant() -> None:
    # Given a grant applied for by the programme's own manager and reviewed by another
    grant = under_review(apply(by="nato-editor"))
    # When the applicant awards it, then it is refused
    with pytest.raises(PermissionDeniedError) as info:
        services.grant_award(
            by=user("nato-editor"), grant=grant, amount_eur=Decimal(1000), confirm=True
        )
    assert "own application" in str(info.value.message)
    assert Grant.objects.get(pk=grant.pk).status == GrantStatus.UNDER_REVIEW


def test_a_positive_review_by_the_applicant_does_not_count() -> None:
    # Given the only positive review is the applicant's own (written around the service)
    grant = apply()
    grant = services.grant_review_start(by=user("nato-editor"), grant=grant)
    GrantReview.objects.create(
        grant=grant, reviewer=user("ua-coordinator"), score=5, recommendation="award",
        comment="Mine is good.",
    )  # fmt: skip
    with pytest.raises(ApplicationError) as info:
        services.grant_award(
            by=user("nato-editor"), grant=grant, amount_eur=Decimal(1000), confirm=True
        )
    assert "review recommends" in str(info.value.message)


def test_an_award_needs_confirmation() -> None:
    grant = under_review(apply())
    with pytest.raises(ApplicationError) as info:
        services.grant_award(by=user("nato-editor"), grant=grant, amount_eur=Decimal(1000))
    assert info.value.field == "confirm"
    awarded = services.grant_award(
        by=user("nato-editor"), grant=grant, amount_eur=Decimal(1000), confirm=True
    )
    assert (awarded.status, awarded.awarded_eur) == (GrantStatus.AWARDED, Decimal(1000))


def test_the_database_refuses_a_negative_award_and_a_reversed_period() -> None:
    grant = apply()
    with transaction.atomic(), pytest.raises(IntegrityError):
        Grant.objects.filter(pk=grant.pk).update(awarded_eur=Decimal(-5))
    with transaction.atomic(), pytest.raises(IntegrityError):
        Grant.objects.filter(pk=grant.pk).update(period_start="2029-01-01", period_end="2027-12-31")


@pytest.mark.parametrize(
    ("period", "words"),
    [("2029/2027", "ends before it starts"), ("1066", "before 1991"), ("3026", "ten years ahead")],
)
def test_an_sps_period_reversed_or_implausible_is_refused(period: str, words: str) -> None:
    with pytest.raises(ApplicationError) as info:
        apply(period=period)
    assert info.value.field == "period" and words in str(info.value.message)
    assert not Grant.objects.filter(title_en="Demining robots").exists()


def test_an_sps_period_as_people_write_it_is_kept_as_edtf() -> None:
    assert apply(period="Q3 2027").period == "2027-35"


def _count(org: str = "ua-mod", n: int = 3) -> services.Count:
    return services.Count(Organization.objects.get(slug=org), "military", "female", "junior", n)


def test_two_identical_participation_rows_are_refused_on_the_table_not_a_500() -> None:
    manager = sps().managers.first()
    assert manager is not None
    with pytest.raises(ApplicationError) as info:
        services.event_record(
            by=manager, programme=sps(), kind="course", title_en="Twice counted", date="2024-05",
            participants_total=6, counts=[_count(), _count()], marking=Marking.PARTNERSHIP,
        )  # fmt: skip
    assert info.value.field == "participation" and "Two rows" in str(info.value.message)
    assert not Event.objects.filter(title_en="Twice counted").exists()


def test_the_participation_table_marks_the_duplicate_row() -> None:
    ua = Organization.objects.get(slug="ua-mod").pk
    row = {"organization": ua, "service": "military", "sex": "female", "rank_group": "junior"}
    data = {"count-TOTAL_FORMS": "2", "count-INITIAL_FORMS": "0"}
    for i in (0, 1):
        data.update({f"count-{i}-{k}": str(v) for k, v in row.items()})
        data[f"count-{i}-count"] = "3"
    table = CountFormSet(data, prefix="count")
    assert not table.is_valid()
    assert not table.forms[0].errors
    assert "Two rows" in table.forms[1].errors["organization"][0]


def test_participation_rows_and_reviews_start_with_nothing_chosen() -> None:
    row = CountForm()
    for name in ("service", "sex", "rank_group"):
        assert row[name].value() in (None, ""), name
    review = GrantReviewForm()
    assert review["score"].value() in (None, "") and review["recommendation"].value() in (None, "")
    # An untouched extra row is empty, not a count of "civilian women junior".
    table = CountFormSet({"count-TOTAL_FORMS": "1", "count-INITIAL_FORMS": "0"}, prefix="count")
    assert table.is_valid() and table.cleaned_data == [{}]
