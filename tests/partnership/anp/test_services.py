"""The ANP workflow and its rules: draft → submitted → approved → amended; reports on time and
late; who may touch what; the Allied assessment beside the government's statuses."""

import datetime as dt
from decimal import Decimal

import pytest

from partnership.anp import selectors, services
from partnership.anp.models import (
    AnnualProgramme,
    Measure,
    ProgrammeStatus,
    QuarterlyReport,
    Status,
)
from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Organization, User

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def user(name: str) -> User:
    return User.objects.get(username=name)


def org(slug: str) -> Organization:
    return Organization.objects.get(slug=slug)


def draft(year: int = 2030, *agencies: str) -> AnnualProgramme:
    programme = services.programme_create(by=user("ua-coordinator"), year=year)
    for i, agency in enumerate(agencies or ("ua-mod", "ua-ses"), start=1):
        services.measure_create(
            by=user("ua-coordinator"),
            programme=programme,
            data=services.MeasureData(
                chapter=2, goal_code="2.1", goal_en="Defence reform", code=f"2.1.{i}",
                text_en=f"Measure {i}", agency=org(agency), deadline=f"{year}-35",
                indicators=[services.IndicatorData(name_en="Units certified", target=Decimal(10))],
            ),
        )  # fmt: skip
    return programme


def approved(year: int = 2030) -> AnnualProgramme:
    programme = draft(year)
    services.programme_submit(by=user("ua-coordinator"), programme=programme)
    return services.programme_approve(by=user("ua-approver"), programme=programme)


def test_a_programme_has_the_five_chapters_and_goes_draft_submitted_approved() -> None:
    programme = draft()
    assert [c.title_en for c in programme.chapters.all()] == [
        "Political and economic issues", "Defence and military issues", "Resources",
        "Security issues", "Legal issues",
    ]  # fmt: skip
    services.programme_submit(by=user("ua-coordinator"), programme=programme)
    programme = services.programme_approve(by=user("ua-approver"), programme=programme)
    assert programme.status == ProgrammeStatus.APPROVED
    assert programme.approved_by == user("ua-approver")
    assert [h.status for h in programme.history.order_by("history_date")][-3:] == [
        "draft", "submitted", "approved",
    ]  # fmt: skip


def test_only_the_coordinator_submits_and_only_the_coordinating_approver_approves() -> None:
    programme = draft()
    with pytest.raises(PermissionDeniedError):
        services.programme_submit(by=user("ua-reporter"), programme=programme)
    services.programme_submit(by=user("ua-coordinator"), programme=programme)
    # ua-airops holds the approver role at the armed forces, not at the coordinating Cabinet.
    with pytest.raises(PermissionDeniedError):
        services.programme_approve(by=user("ua-airops"), programme=programme)
    with pytest.raises(PermissionDeniedError):
        services.programme_approve(by=user("nato-approver"), programme=programme)
    assert AnnualProgramme.objects.get(pk=programme.pk).status == ProgrammeStatus.SUBMITTED


def test_an_approved_measure_changes_only_through_a_recorded_amendment() -> None:
    programme = approved()
    measure = programme.measures.get(code="2.1.1")
    with pytest.raises(PermissionDeniedError) as info:
        services.measure_update(by=user("ua-coordinator"), measure=measure, text_en="Changed")
    assert "amendment" in str(info.value.message)
    assert Measure.objects.get(pk=measure.pk).text_en == "Measure 1"

    amendment = services.measure_amend(
        by=user("ua-approver"), measure=measure, reason="The law was adopted early.",
        text_en="Measure 1, extended", deadline="2030-34",
    )  # fmt: skip
    measure.refresh_from_db()
    assert measure.text_en == "Measure 1, extended"
    assert measure.deadline_end == dt.date(2030, 6, 30)
    assert amendment.changes["deadline"] == {"from": "2030-35", "to": "2030-34"}
    assert amendment.approved_by == user("ua-approver")
    assert measure.history.first().history_change_reason == "The law was adopted early."


def test_an_amendment_without_a_reason_or_change_is_refused() -> None:
    measure = approved().measures.get(code="2.1.1")
    with pytest.raises(ApplicationError):
        services.measure_amend(by=user("ua-approver"), measure=measure, reason=" ", text_en="x")
    with pytest.raises(ApplicationError):
        services.measure_amend(
            by=user("ua-approver"), measure=measure, reason="r", text_en=measure.text_en
        )
    assert measure.amendments.count() == 0


def test_a_report_on_time_and_one_after_the_due_date() -> None:
    measure = approved().measures.get(code="2.1.1")
    indicator = measure.indicators.get()
    on_time = services.report_submit(
        by=user("ua-reporter"), measure=measure, year=2030, quarter=1, status=Status.ON_TRACK,
        progress_en="Drafted.", actuals={indicator.pk: Decimal(3)},
        evidence=[("Order 123", "https://www.mil.gov.ua/order-123")],
        now=dt.datetime(2030, 3, 25, 18, tzinfo=UTC),
    )  # fmt: skip
    late = services.report_submit(
        by=user("ua-reporter"), measure=measure, year=2030, quarter=2, status=Status.AT_RISK,
        actuals={indicator.pk: Decimal(5)}, now=dt.datetime(2030, 6, 26, 9, tzinfo=UTC),
    )  # fmt: skip
    assert (on_time.late, late.late) == (False, True)
    measure.refresh_from_db()
    indicator.refresh_from_db()
    assert measure.status == Status.AT_RISK
    assert indicator.actual == Decimal(5)
    assert on_time.evidence.get().url == "https://www.mil.gov.ua/order-123"


def test_a_reporter_cannot_report_on_another_agencys_measure() -> None:
    measure = approved().measures.get(code="2.1.2")  # the State Emergency Service's
    with pytest.raises(PermissionDeniedError) as info:
        services.report_submit(
            by=user("ua-reporter"), measure=measure, year=2030, quarter=1, status=Status.DONE,
            now=dt.datetime(2030, 3, 1, tzinfo=UTC),
        )  # fmt: skip
    assert "State Emergency Service" in str(info.value.message)
    assert not QuarterlyReport.objects.filter(measure=measure).exists()
    services.report_submit(
        by=user("ua-ses-reporter"), measure=measure, year=2030, quarter=1, status=Status.DONE,
        now=dt.datetime(2030, 3, 1, tzinfo=UTC),
    )  # fmt: skip


def test_a_reporter_sees_only_the_measures_of_their_agency() -> None:
    programme = approved()
    codes = set(
        selectors.measures_for(user=user("ua-reporter"), programme=programme).values_list(
            "code", flat=True
        )
    )
    assert codes == {"2.1.1"}
    everyone = selectors.measures_for(user=user("ua-coordinator"), programme=programme)
    assert everyone.count() == 2


def test_reports_are_refused_before_approval_and_for_quarters_not_started() -> None:
    programme = draft()
    measure = programme.measures.get(code="2.1.1")
    with pytest.raises(ApplicationError):
        services.report_submit(
            by=user("ua-reporter"), measure=measure, year=2030, quarter=1, status=Status.DONE,
            now=dt.datetime(2030, 2, 1, tzinfo=UTC),
        )  # fmt: skip
    services.programme_submit(by=user("ua-coordinator"), programme=programme)
    services.programme_approve(by=user("ua-approver"), programme=programme)
    with pytest.raises(ApplicationError) as info:
        services.report_submit(
            by=user("ua-reporter"), measure=measure, year=2030, quarter=3, status=Status.DONE,
            now=dt.datetime(2030, 2, 1, tzinfo=UTC),
        )  # fmt: skip
    assert info.value.field == "quarter"


def test_only_allied_assessors_rate_and_disagreement_is_found() -> None:
    programme = approved()
    chapter = programme.chapters.get(number=2)
    for m in programme.measures.all():
        services.report_submit(
            by=user("ua-reporter" if m.agency.slug == "ua-mod" else "ua-ses-reporter"),
            measure=m, year=2030, quarter=1, status=Status.DONE,
            now=dt.datetime(2030, 3, 2, tzinfo=UTC),
        )  # fmt: skip
    with pytest.raises(PermissionDeniedError):
        services.assessment_record(by=user("nato-editor"), chapter=chapter, rating=1)
    services.assessment_record(
        by=user("ally-assessor"), chapter=chapter, rating=2, comment="Slow on procurement.",
        recommendations="Adopt the procurement law.",
    )  # fmt: skip
    row = next(
        r for r in selectors.chapter_summary(user=user("ua-viewer"), programme=programme)
        if r["chapter"].number == 2
    )  # fmt: skip
    assert row["government_score"] == 5.0
    assert row["allied_rating"] == 2.0
    assert row["disagree"] is True
    # The government's statuses are not changed by the Allied rating.
    assert set(programme.measures.values_list("status", flat=True)) == {Status.DONE}


def test_copy_carries_unfinished_measures_into_next_years_draft() -> None:
    programme = approved(2031)
    done = programme.measures.get(code="2.1.2")
    services.report_submit(
        by=user("ua-ses-reporter"), measure=done, year=2031, quarter=1, status=Status.DONE,
        now=dt.datetime(2031, 3, 2, tzinfo=UTC),
    )  # fmt: skip
    new = services.programme_copy(by=user("ua-coordinator"), source=programme, year=2032)
    assert new.status == ProgrammeStatus.DRAFT
    assert list(new.measures.values_list("code", flat=True)) == ["2.1.1"]
    carried = new.measures.get()
    assert carried.carried_from == programme.measures.get(code="2.1.1")
    assert carried.indicators.get().target == Decimal(10)


def test_late_and_missing_reports_are_listed_for_the_coordinator() -> None:
    programme = approved(2033)
    mod = programme.measures.get(code="2.1.1")
    services.report_submit(
        by=user("ua-reporter"), measure=mod, year=2033, quarter=1, status=Status.ON_TRACK,
        now=dt.datetime(2033, 4, 2, tzinfo=UTC),
    )  # fmt: skip
    gaps = selectors.reporting_gaps(
        user=user("ua-coordinator"), programme=programme, today=dt.date(2033, 4, 10)
    )
    assert [(g["quarter"], g["agency"].slug, g["missing"], g["late"]) for g in gaps] == [
        (1, "ua-ses", 1, 0), (1, "ua-mod", 0, 1),
    ]  # fmt: skip


def test_half_year_summary_counts_the_latest_report_up_to_q2() -> None:
    programme = approved(2034)
    mod = programme.measures.get(code="2.1.1")
    for quarter, status, day in (
        (1, Status.ON_TRACK, 3),
        (2, Status.AT_RISK, 6),
        (3, Status.DONE, 9),
    ):
        services.report_submit(
            by=user("ua-reporter"), measure=mod, year=2034, quarter=quarter, status=status,
            now=dt.datetime(2034, day, 1, tzinfo=UTC),
        )  # fmt: skip
    coordinator = user("ua-coordinator")
    half = selectors.period_summary(user=coordinator, programme=programme, last_quarter=2)
    annual = selectors.period_summary(user=coordinator, programme=programme, last_quarter=4)
    counts = lambda rows: {s["status"]: s["count"] for s in rows[1]["shares"] if s["count"]}  # noqa: E731
    assert counts(half) == {"at_risk": 1, "not_started": 1}
    assert counts(annual) == {"done": 1, "not_started": 1}


def test_measures_marked_nato_are_hidden_from_the_partner() -> None:
    programme = draft(2035)
    measure = programme.measures.get(code="2.1.1")
    measure.marking = "NATO"
    measure.save()
    assert (
        not selectors.measures_for(user=user("ua-viewer"), programme=programme)
        .filter(pk=measure.pk)
        .exists()
    )
    assert (
        selectors.measures_for(user=user("ally-assessor"), programme=programme)
        .filter(pk=measure.pk)
        .exists()
    )
