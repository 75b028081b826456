"""The ANP workflow and its rules: draft → submitted → approved → amended; reports on time and
late; who may touch what; the Allied assessment beside the government's statuses."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

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


def test_an_empty_year_is_created_once_by_the_coordinator_only() -> None:
    # Given a coordinator and a reporter
    # When the coordinator creates 2031, and then 2031 again, and a reporter tries 2032
    programme = services.programme_create(by=user("ua-coordinator"), year=2031)
    with pytest.raises(ApplicationError) as again:
        services.programme_create(by=user("ua-coordinator"), year=2031)
    with pytest.raises(PermissionDeniedError):
        services.programme_create(by=user("ua-reporter"), year=2032)
    # Then one draft of 2031 exists, with its chapters and the coordinator's organization
    assert again.value.field == "year"
    assert programme.status == ProgrammeStatus.DRAFT and programme.chapters.count() == 5
    assert programme.coordinator == user("ua-coordinator").organization
    assert not AnnualProgramme.objects.filter(year=2032).exists()


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
        actuals={indicator.pk: Decimal(5)}, progress_en="Reported.",
        now=dt.datetime(2030, 6, 26, 9, tzinfo=UTC),
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
            progress_en="Reported.", now=dt.datetime(2030, 3, 1, tzinfo=UTC),
        )  # fmt: skip
    assert "State Emergency Service" in str(info.value.message)
    assert not QuarterlyReport.objects.filter(measure=measure).exists()
    services.report_submit(
        by=user("ua-ses-reporter"), measure=measure, year=2030, quarter=1, status=Status.DONE,
        progress_en="Reported.", now=dt.datetime(2030, 3, 1, tzinfo=UTC),
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
            progress_en="Reported.", now=dt.datetime(2030, 2, 1, tzinfo=UTC),
        )  # fmt: skip
    services.programme_submit(by=user("ua-coordinator"), programme=programme)
    services.programme_approve(by=user("ua-approver"), programme=programme)
    with pytest.raises(ApplicationError) as info:
        services.report_submit(
            by=user("ua-reporter"), measure=measure, year=2030, quarter=3, status=Status.DONE,
            progress_en="Reported.", now=dt.datetime(2030, 2, 1, tzinfo=UTC),
        )  # fmt: skip
    assert info.value.field == "quarter"


def test_only_allied_assessors_rate_and_disagreement_is_found() -> None:
    programme = approved()
    chapter = programme.chapters.get(number=2)
    for m in programme.measures.all():
        services.report_submit(
            by=user("ua-reporter" if m.agency.slug == "ua-mod" else "ua-ses-reporter"),
            measure=m, year=2030, quarter=1, status=Status.DONE,
            progress_en="Reported.", now=dt.datetime(2030, 3, 2, tzinfo=UTC),
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
        progress_en="Reported.", now=dt.datetime(2031, 3, 2, tzinfo=UTC),
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
        progress_en="Reported.", now=dt.datetime(2033, 4, 2, tzinfo=UTC),
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
            progress_en="Reported.", now=dt.datetime(2034, day, 1, tzinfo=UTC),
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


# Creating, editing and withdrawing measures (issue 15).


def test_the_coordinator_edits_a_draft_measure_goal_agency_co_executors_deadline_indicators() -> (
    None
):
    programme = draft(2030)
    measure = programme.measures.get(code="2.1.1")
    other_goal = services.measure_create(
        by=user("ua-coordinator"), programme=programme,
        data=services.MeasureData(
            chapter=3, goal_code="3.1", goal_en="Resources", code="3.1.1", text_en="Budget",
            agency=org("ua-mod"), deadline="2030",
        ),
    ).goal  # fmt: skip

    services.measure_update(
        by=user("ua-coordinator"), measure=measure, text_en="Reworded", goal=other_goal,
        agency=org("ua-ses"), co_executors=[org("ua-mod")], deadline="2030-36",
        indicators=[services.IndicatorData(name_en="Laws adopted", target=Decimal(3))],
    )  # fmt: skip

    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.text_en, measure.goal, measure.chapter.number) == ("Reworded", other_goal, 3)
    assert measure.agency == org("ua-ses")
    assert list(measure.co_executors.all()) == [org("ua-mod")]
    assert (measure.deadline, measure.deadline_end) == ("2030-36", dt.date(2030, 12, 31))
    assert [(i.name_en, i.target) for i in measure.indicators.all()] == [
        ("Laws adopted", Decimal(3))
    ]
    assert measure.history.count() >= 2  # created, then changed


def test_a_draft_edit_refuses_other_people_approved_years_and_wrong_values() -> None:
    programme = draft(2031)
    measure = programme.measures.get(code="2.1.1")
    # Given people who do not coordinate the programme, when they edit, then they are refused.
    for name in ("ua-reporter", "ua-approver", "nato-editor", "ally-assessor"):
        with pytest.raises(PermissionDeniedError):
            services.measure_update(by=user(name), measure=measure, text_en="x")
    coordinator = user("ua-coordinator")
    with pytest.raises(ApplicationError) as empty:
        services.measure_update(by=coordinator, measure=measure, deadline="")
    assert empty.value.field == "deadline"
    with pytest.raises(ApplicationError) as code:
        services.measure_update(by=coordinator, measure=measure, code="9.9.9")
    assert code.value.field == "code"
    with pytest.raises(ApplicationError) as agency:
        services.measure_update(by=coordinator, measure=measure, agency=org("nato-is"))
    assert agency.value.field == "agency"
    for deadline in ("2099", "1066", "2031/2030"):  # too far ahead, too early, reversed
        with pytest.raises(ApplicationError) as implausible:
            services.measure_update(by=coordinator, measure=measure, deadline=deadline)
        assert implausible.value.field == "deadline"
    foreign_goal = draft(2032).chapters.get(number=2).goals.get()
    with pytest.raises(ApplicationError) as goal:
        services.measure_update(by=coordinator, measure=measure, goal=foreign_goal)
    assert goal.value.field == "goal"
    assert Measure.objects.get(pk=measure.pk).text_en == "Measure 1"
    # Once approved, a measure changes only by amendment.
    services.programme_submit(by=coordinator, programme=programme)
    services.programme_approve(by=user("ua-approver"), programme=programme)
    with pytest.raises(PermissionDeniedError):
        services.measure_update(by=coordinator, measure=measure, text_en="Too late")


def test_a_new_measure_needs_a_deadline_and_a_code_of_its_own() -> None:
    programme = draft(2033)
    data = services.MeasureData(
        chapter=2, goal_code="2.1", goal_en="Defence reform", code="2.1.9", text_en="New",
        agency=org("ua-mod"), deadline="",
    )  # fmt: skip
    with pytest.raises(ApplicationError) as no_deadline:
        services.measure_create(by=user("ua-coordinator"), programme=programme, data=data)
    assert no_deadline.value.field == "deadline"
    data.deadline, data.code = "2033", "2.1.1"  # the code the draft already has
    with pytest.raises(ApplicationError):
        services.measure_create(by=user("ua-coordinator"), programme=programme, data=data)
    assert programme.measures.count() == 2


def test_an_amendment_changes_goal_and_co_executors_and_records_both() -> None:
    programme = approved(2034)
    measure = programme.measures.get(code="2.1.1")
    goal = programme.chapters.get(number=2).goals.get()
    new_goal = type(goal).objects.create(chapter=goal.chapter, code="2.2", text_en="Another")

    amendment = services.measure_amend(
        by=user("ua-approver"), measure=measure, reason="Merged with the SES plan",
        goal=new_goal, co_executors=[org("ua-ses")], deadline="2034-36",
    )  # fmt: skip

    assert amendment.changes["goal"] == {"from": "2.1", "to": "2.2"}
    assert amendment.changes["co_executors"]["to"] == org("ua-ses").name_en
    assert amendment.changes["deadline"] == {"from": "2034-35", "to": "2034-36"}
    measure = Measure.objects.get(pk=measure.pk)
    assert list(measure.co_executors.all()) == [org("ua-ses")]
    assert measure.history.latest().history_change_reason == "Merged with the SES plan"
    with pytest.raises(ApplicationError) as marking:
        services.measure_amend(by=user("ua-approver"), measure=measure, reason="r", code="X")
    assert marking.value.field == "code"


def _reported(measure: Measure) -> None:
    services.report_submit(
        by=user("ua-reporter"), measure=measure, year=2030, quarter=1, status=Status.ON_TRACK,
        actuals={measure.indicators.get().pk: Decimal(3)},
        progress_en="Reported.", now=dt.datetime(2030, 3, 20, tzinfo=UTC),
    )  # fmt: skip


def test_an_amendment_changes_an_indicator_in_place_and_keeps_its_reported_values() -> None:
    # Given an approved measure with a value reported on its indicator
    measure = approved().measures.get(code="2.1.1")
    _reported(measure)
    indicator = measure.indicators.get()

    # When the approver raises its target and adds a second indicator
    amendment = services.measure_amend(
        by=user("ua-approver"), measure=measure, reason="Two more units funded",
        indicators=[
            services.IndicatorData(id=indicator.pk, name_en="Units certified", target=Decimal(12)),
            services.IndicatorData(name_en="Instructors trained", target=Decimal(40)),
        ],
    )  # fmt: skip

    # Then the same indicator holds the new target and its reported value; the change is recorded
    indicator.refresh_from_db()
    assert (indicator.target, indicator.actuals.get().value) == (Decimal(12), Decimal(3))
    assert measure.indicators.count() == 2
    assert amendment.changes["indicators"] == {
        "from": "Units certified: 0.00 → 10.00",
        "to": "Units certified: 0.00 → 12.00; Instructors trained: 0.00 → 40.00",
    }
    assert amendment.approved_by == user("ua-approver")


def test_an_amendment_does_not_remove_a_reported_indicator_nor_touch_another_measures() -> None:
    # Given an approved programme whose first measure has a reported indicator
    programme = approved()
    measure, other = programme.measures.order_by("code")
    _reported(measure)
    indicator = measure.indicators.get()

    # When an amendment leaves that indicator out, or names the other measure's indicator
    with pytest.raises(ApplicationError) as removed:
        services.measure_amend(by=user("ua-approver"), measure=measure, reason="r", indicators=[])
    foreign = other.indicators.get()
    with pytest.raises(ApplicationError) as stranger:
        services.measure_amend(
            by=user("ua-approver"), measure=measure, reason="r",
            indicators=[services.IndicatorData(id=foreign.pk, name_en="x", target=Decimal(1))],
        )  # fmt: skip
    # nor may the coordinator amend: approvers do
    with pytest.raises(PermissionDeniedError):
        services.measure_amend(by=user("ua-coordinator"), measure=other, reason="r", indicators=[])

    # Then each is refused on the indicators, and nothing changed
    assert removed.value.field == stranger.value.field == "indicators"
    assert "reported values" in str(removed.value.message)
    assert list(measure.indicators.all()) == [indicator]
    assert other.indicators.get().name_en == "Units certified"
    assert measure.amendments.count() == other.amendments.count() == 0


def test_an_indicator_without_reported_values_is_removed_by_amendment() -> None:
    measure = approved().measures.get(code="2.1.2")
    amendment = services.measure_amend(
        by=user("ua-approver"), measure=measure, reason="Not measurable", indicators=[]
    )
    assert measure.indicators.count() == 0
    assert amendment.changes["indicators"]["to"] == ""


def test_a_withdrawn_draft_measure_is_kept_with_its_reason_and_counts_nowhere() -> None:
    programme = draft(2035)
    measure = programme.measures.get(code="2.1.1")
    with pytest.raises(ApplicationError) as no_reason:
        services.measure_withdraw(by=user("ua-coordinator"), measure=measure, reason="  ")
    assert no_reason.value.field == "reason"
    with pytest.raises(PermissionDeniedError):
        services.measure_withdraw(by=user("ua-reporter"), measure=measure, reason="x")

    services.measure_withdraw(by=user("ua-coordinator"), measure=measure, reason="Duplicate")

    measure = Measure.objects.get(pk=measure.pk)
    assert (measure.withdrawal_reason, measure.withdrawn_by) == (
        "Duplicate",
        user("ua-coordinator"),
    )
    viewer = user("ua-coordinator")
    assert list(selectors.measures_for(user=viewer, programme=programme)) == [
        programme.measures.get(code="2.1.2")
    ]
    assert selectors.chapter_summary(user=viewer, programme=programme)[1]["total"] == 1
    assert selectors.measure_get(user=viewer, pk=measure.pk) == measure  # its page stays
    with pytest.raises(ApplicationError):
        services.measure_update(by=viewer, measure=measure, text_en="again")
    with pytest.raises(ApplicationError):
        services.measure_withdraw(by=viewer, measure=measure, reason="again")


def test_an_approved_measure_is_withdrawn_by_the_approver_as_a_recorded_amendment() -> None:
    programme = approved(2030)
    measure = programme.measures.get(code="2.1.1")
    with pytest.raises(PermissionDeniedError):
        services.measure_withdraw(by=user("ua-coordinator"), measure=measure, reason="x")

    services.measure_withdraw(by=user("ua-approver"), measure=measure, reason="Law repealed")

    amendment = measure.amendments.get()
    assert (amendment.reason, amendment.approved_by) == ("Law repealed", user("ua-approver"))
    assert "withdrawn" in amendment.changes
    with pytest.raises(ApplicationError) as report:
        services.report_submit(
            by=user("ua-reporter"), measure=measure, year=2030, quarter=1, status=Status.DONE,
            progress_en="Reported.", now=dt.datetime(2030, 3, 2, tzinfo=UTC),
        )  # fmt: skip
    assert report.value.field == "measure"
    with pytest.raises(ApplicationError):
        services.assessment_record(
            by=user("ally-assessor"), chapter=measure.chapter, measure=measure, rating=3
        )


def test_a_submitted_programme_withdraws_nothing_until_returned() -> None:
    programme = draft(2031)
    services.programme_submit(by=user("ua-coordinator"), programme=programme)
    with pytest.raises(ApplicationError) as refused:
        services.measure_withdraw(
            by=user("ua-coordinator"), measure=programme.measures.first(), reason="x"
        )
    assert refused.value.field == "status"


def test_a_copied_year_carries_no_deadline_and_is_not_submitted_without_new_ones() -> None:
    programme = approved(2032)
    new = services.programme_copy(by=user("ua-coordinator"), source=programme, year=2033)
    assert set(new.measures.values_list("deadline", flat=True)) == {""}
    coordinator = user("ua-coordinator")
    assert [m.code for m in selectors.without_deadline(user=coordinator, programme=new)] == [
        "2.1.1", "2.1.2",
    ]  # fmt: skip

    with pytest.raises(ApplicationError) as refused:
        services.programme_submit(by=coordinator, programme=new)
    assert refused.value.field == "deadline"
    assert "2.1.1, 2.1.2" in str(refused.value.message)

    for measure in new.measures.all():
        services.measure_update(by=coordinator, measure=measure, deadline="2033-34")
    assert services.programme_submit(by=coordinator, programme=new).status == "submitted"


def test_withdrawn_measures_are_not_carried_into_the_next_year() -> None:
    programme = approved(2034)
    services.measure_withdraw(
        by=user("ua-approver"), measure=programme.measures.get(code="2.1.1"), reason="Dropped"
    )
    new = services.programme_copy(by=user("ua-coordinator"), source=programme, year=2035)
    assert list(new.measures.values_list("code", flat=True)) == ["2.1.2"]


def test_the_transition_table_names_each_step_once() -> None:
    assert dict(services.TRANSITIONS) == {
        "submit": services.programme_submit,
        "approve": services.programme_approve,
        "return": services.programme_return,
    }
    assert set(services.CONFIRMED_TRANSITIONS) == {"approve", "return"}


# --- Quarterly reports in either language, corrected and withdrawn by their agency ---------


def filed(measure: Measure, quarter: int = 1, **fields: object) -> QuarterlyReport:
    """A report of the Ministry of Defence's reporter, filed within its quarter."""
    values: dict[str, object] = {"status": Status.ON_TRACK, "progress_en": "Drafted.", **fields}
    return services.report_submit(
        by=user("ua-reporter"), measure=measure, year=measure.programme.year, quarter=quarter,
        now=dt.datetime(measure.programme.year, quarter * 3, 2, tzinfo=UTC), **values,  # type: ignore[arg-type]
    )  # fmt: skip


def test_a_report_is_filed_in_ukrainian_only_and_one_in_neither_language_is_refused() -> None:
    # Given an approved measure of the Ministry of Defence
    measure = approved().measures.get(code="2.1.1")
    # When its reporter files in Ukrainian only, and then a report with no progress at all
    report = filed(measure, progress_en="", progress_uk="Закон ухвалено в першому читанні.")
    with pytest.raises(ApplicationError) as empty:
        filed(measure, quarter=2, progress_en=" ", progress_uk="")
    # Then the first is kept and shown in Ukrainian on the English pages too; the second is
    # refused on the progress field, and nothing of it was saved
    with translation.override("en"):
        assert report.progress == "Закон ухвалено в першому читанні."
    assert empty.value.field == "progress_en"
    assert str(empty.value.message) == str(services.MSG_PROGRESS_REQUIRED)
    assert not QuarterlyReport.objects.filter(measure=measure, quarter=2).exists()


def test_the_agency_corrects_its_report_with_a_reason_and_the_history_keeps_the_old_one() -> None:
    # Given a report filed on track with an indicator value
    measure = approved().measures.get(code="2.1.1")
    indicator = measure.indicators.get()
    report = filed(measure, actuals={indicator.pk: Decimal(3)})
    # When its agency corrects it: at risk, Ukrainian progress, another value
    services.report_correct(
        by=user("ua-reporter"), report=report, reason="Wrong status filed.",
        status=Status.AT_RISK, progress_uk="Закупівлю відкладено.",
        actuals={indicator.pk: Decimal(2)},
    )  # fmt: skip
    # Then the report, the measure's status and the indicator follow the correction, and the
    # history has what it said before with the reason
    report.refresh_from_db()
    measure.refresh_from_db()
    indicator.refresh_from_db()
    assert (report.status, report.progress_en, report.progress_uk) == (
        Status.AT_RISK, "", "Закупівлю відкладено.",
    )  # fmt: skip
    assert report.correction_reason == "Wrong status filed." and report.corrected_at
    assert (measure.status, indicator.actual) == (Status.AT_RISK, Decimal(2))
    latest, earlier = report.history.order_by("-history_date")[:2]
    assert latest.history_change_reason == "Wrong status filed."
    assert earlier.status == Status.ON_TRACK and earlier.progress_en == "Drafted."


def test_a_correction_without_reason_change_or_progress_is_refused_on_its_field() -> None:
    measure = approved().measures.get(code="2.1.1")
    report = filed(measure)
    refused = {}
    for name, kwargs in {
        "no reason": {"reason": " ", "status": Status.DONE, "progress_en": "Done."},
        "no change": {"reason": "r", "status": Status.ON_TRACK, "progress_en": "Drafted."},
        "no progress": {"reason": "r", "status": Status.DONE},
        "not a status": {"reason": "r", "status": "finished", "progress_en": "x"},
    }.items():
        with pytest.raises(ApplicationError) as info:
            services.report_correct(by=user("ua-reporter"), report=report, **kwargs)  # type: ignore[arg-type]
        refused[name] = info.value.field
    assert refused == {
        "no reason": "reason", "no change": "reason", "no progress": "progress_en",
        "not a status": "status",
    }  # fmt: skip
    report.refresh_from_db()
    assert (report.status, report.corrected_at) == (Status.ON_TRACK, None)


def test_only_the_reporting_agency_corrects_or_withdraws_its_reports() -> None:
    measure = approved().measures.get(code="2.1.1")
    report = filed(measure)
    for who in ("ua-ses-reporter", "ua-coordinator", "ua-viewer", "nato-editor"):
        with pytest.raises(PermissionDeniedError):
            services.report_correct(
                by=user(who), report=report, reason="r", status=Status.DONE, progress_en="x"
            )
        with pytest.raises(PermissionDeniedError):
            services.report_withdraw(by=user(who), report=report, reason="r")
        assert not services.can_change_report(user(who), report)
    assert services.can_change_report(user("ua-reporter"), report)
    report.refresh_from_db()
    assert (report.status, report.withdrawn) == (Status.ON_TRACK, False)


def test_once_the_allies_assess_the_chapter_its_reports_stay_as_assessed() -> None:
    # Given a report, and the Allied assessment of the measure's chapter
    programme = approved()
    measure = programme.measures.get(code="2.1.1")
    report = filed(measure)
    services.assessment_record(
        by=user("ally-assessor"), chapter=programme.chapters.get(number=2), rating=4
    )
    # When the agency corrects it, withdraws it, or files the quarter again
    attempts = [
        lambda: services.report_correct(
            by=user("ua-reporter"), report=report, reason="r", status=Status.DONE, progress_en="x"
        ),
        lambda: services.report_withdraw(by=user("ua-reporter"), report=report, reason="r"),
        lambda: filed(measure, status=Status.DONE),
    ]
    # Then each is refused with the reason naming who assessed it, and the report is as it was
    for attempt in attempts:
        with pytest.raises(PermissionDeniedError) as info:
            attempt()
        assert "2.1.1" in str(info.value.message) and "assessed" in str(info.value.message)
    assert not services.can_change_report(user("ua-reporter"), report)
    report.refresh_from_db()
    assert (report.status, report.withdrawn) == (Status.ON_TRACK, False)
    # A later quarter not reported yet is still filed: the assessment fixes what it read.
    filed(measure, quarter=2)


def test_a_withdrawn_report_counts_nowhere_but_stays_readable_and_the_quarter_reopens() -> None:
    # Given a Q1 report on track and a Q2 report done
    programme = approved()
    measure = programme.measures.get(code="2.1.1")
    indicator = measure.indicators.get()
    filed(measure, quarter=1, actuals={indicator.pk: Decimal(3)})
    q2 = filed(measure, quarter=2, status=Status.DONE, actuals={indicator.pk: Decimal(9)})
    # When the agency withdraws Q2 (with a reason; without one it is refused)
    with pytest.raises(ApplicationError) as no_reason:
        services.report_withdraw(by=user("ua-reporter"), report=q2, reason="  ")
    assert no_reason.value.field == "reason"
    services.report_withdraw(
        by=user("ua-reporter"), report=q2, reason="Filed on the wrong measure."
    )
    # Then the measure, its indicator, the charts, the summaries and the gaps read Q1 only
    measure.refresh_from_db()
    indicator.refresh_from_db()
    assert (measure.status, indicator.actual) == (Status.ON_TRACK, Decimal(3))
    coordinator = user("ua-coordinator")
    shares = selectors.quarter_progress(user=coordinator, programme=programme)[1]["shares"]
    assert sum(s["count"] for s in shares) == 0
    annual = selectors.period_summary(user=coordinator, programme=programme, last_quarter=4)
    assert {s["status"]: s["count"] for s in annual[1]["shares"] if s["count"]} == {
        "on_track": 1, "not_started": 1,
    }  # fmt: skip
    gaps = selectors.reporting_gaps(
        user=coordinator, programme=programme, today=dt.date(2030, 7, 1)
    )
    assert (2, "ua-mod", 1) in [(g["quarter"], g["agency"].slug, g["missing"]) for g in gaps]
    exported = selectors.export_rows(user=coordinator, programme=programme).get(pk=measure.pk)
    assert [r.quarter for r in exported.reports.all()] == [1]
    # and it stays on the measure's page, marked, with who withdrew it and why
    shown = selectors.measure_reports(measure=measure)
    assert [(r.quarter, r.withdrawn) for r in shown] == [(1, False), (2, True)]
    assert shown[1].withdrawal_reason == "Filed on the wrong measure."
    assert shown[1].withdrawn_by == user("ua-reporter")
    # and it takes no more changes, while the quarter can be reported on again
    with pytest.raises(ApplicationError) as again:
        services.report_withdraw(by=user("ua-reporter"), report=q2, reason="again")
    assert again.value.field == "report"
    refiled = filed(measure, quarter=2, status=Status.AT_RISK)
    assert refiled.pk != q2.pk
    measure.refresh_from_db()
    assert measure.status == Status.AT_RISK
