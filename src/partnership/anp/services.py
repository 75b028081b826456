"""Writes of the ANP: drafting and approval, amendments, quarterly reports, Allied assessments.

Who may do what:
- the national coordinator (an editor of the partner) drafts, imports, submits and copies;
- an approver of the partner approves the programme and its amendments;
- a reporter of a partner agency reports on the measures that agency is responsible for;
- an assessor of an Allied organization rates chapters and measures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import update_change_reason

from partnership.anp.models import (
    CHAPTERS,
    Amendment,
    AnnualProgramme,
    Assessment,
    Chapter,
    Evidence,
    Goal,
    IndicatorActual,
    Measure,
    MeasureIndicator,
    ProgrammeStatus,
    QuarterlyReport,
    Rating,
    Status,
    quarter_due,
)
from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Marking, Organization, Role, Side, User
from partnership.core.partial_dates import PartialDate
from partnership.core.partial_input import MSG_REVERSED, check_plan_year, check_plausible
from partnership.core.selectors import can_see
from partnership.core.services import full_clean_or_error, marking_clean
from partnership.notifications import events

MSG_NOT_COORDINATOR = _("Only the national coordinator (an editor of the partner) may do this.")
MSG_NOT_APPROVER = _("Only an approver of the partner may approve the programme or an amendment.")
MSG_NOT_REPORTER = _("Only a reporter of a partner agency may report on measures.")
MSG_OTHER_AGENCY = _(
    "Measure %(code)s is the responsibility of %(agency)s; your agency cannot report on it."
)
MSG_NOT_ASSESSOR = _("Only an assessor of an Allied organization may assess the programme.")
MSG_NOT_DRAFT = _(
    "The %(year)s programme is %(status)s: its measures change only through a recorded amendment."
)
MSG_NOT_APPROVED_YET = _(
    "The %(year)s programme is not approved yet; reports start after approval."
)
MSG_NOT_AMENDABLE = _("Only measures of an approved programme are amended; edit a draft directly.")
MSG_YEAR_EXISTS = _("There is already a programme for %(year)s.")
MSG_HAS_MEASURES = _(
    "The %(year)s programme already has measures; import into a year without measures."
)
MSG_WRONG_STATE = _(
    "The %(year)s programme is %(status)s; this step needs a programme that is %(expected)s."
)
MSG_EMPTY = _("A programme without measures cannot be submitted.")
MSG_QUARTER_NOT_STARTED = _("Q%(quarter)s %(year)s has not started yet.")
MSG_QUARTER_OUTSIDE = _("The %(year)s programme is reported on for the quarters of %(year)s.")
MSG_UNKNOWN_INDICATOR = _("Indicator %(id)s does not belong to measure %(code)s.")
MSG_NO_CHANGE = _("The amendment changes nothing.")
MSG_REASON = _("An amendment needs a reason.")
MSG_UNKNOWN_CHAPTER = _("Chapter %(number)s does not exist; an ANP has chapters 1 to 5.")
MSG_MEASURE_OF_CHAPTER = _("Measure %(code)s is not in chapter %(number)s.")
MSG_NOT_A_RATING = _("“%(value)s” is not a rating on the scale 1 to 5.")
MSG_DEADLINE_REQUIRED = _("Give the measure's deadline (for example Q3 2015, by end 2015).")
MSG_NO_DEADLINE = _(
    "These measures have no deadline yet (they were carried over from last year): %(codes)s. "
    "Give each one its new deadline before submitting."
)
MSG_GOAL_OF_PROGRAMME = _("Goal %(code)s is not a goal of the %(year)s programme.")
MSG_WITHDRAWN = _("Measure %(code)s was withdrawn; it takes no more changes or reports.")
MSG_WITHDRAW_REASON = _("Say why the measure is withdrawn.")
MSG_WITHDRAW_SUBMITTED = _(
    "The %(year)s programme is submitted: return it to drafting before withdrawing a measure."
)
MSG_NOT_CHANGEABLE = _("“%(field)s” cannot be changed here.")
MSG_AGENCY = _("The responsible agency must be a partner institution.")
MSG_CODE_TAKEN = _("The %(year)s programme already has a measure %(code)s.")
MSG_PROGRESS_REQUIRED = _("Describe the progress, in English or in Ukrainian.")
MSG_REPORT_ASSESSED = _(
    "The Allies have assessed measure %(code)s for %(year)s (%(by)s): the reports they assessed "
    "stay as they were."
)
MSG_REPORT_WITHDRAWN = _("This report was withdrawn; file a new one for the quarter instead.")
MSG_CORRECTION_REASON = _("Say why the report is corrected.")
MSG_CORRECTION_NO_CHANGE = _("The correction changes nothing in the report.")
MSG_REPORT_WITHDRAW_REASON = _("Say why the report is withdrawn.")

# What a coordinator may change in a draft, and an approver through an amendment. The marking,
# the code and the chapter (which follows the goal) stay as they were created.
UPDATABLE_FIELDS = (
    "text_en",
    "text_uk",
    "goal",
    "agency",
    "deadline",
    "co_executors",
    "indicators",
)
AMENDABLE_FIELDS = (
    "text_en",
    "text_uk",
    "goal",
    "agency",
    "deadline",
    "co_executors",
    "indicators",
)
MSG_INDICATOR_REPORTED = _(
    "Indicator “%(name)s” already has reported values; change its target instead of removing it."
)


def _is_partner(user: User) -> bool:
    return user.organization is not None and user.organization.side == Side.PARTNER


def can_coordinate(user: Any) -> bool:
    return isinstance(user, User) and (
        user.is_superuser or (_is_partner(user) and user.has_role(Role.EDITOR))
    )


def can_approve(user: Any, programme: AnnualProgramme | None = None) -> bool:
    return isinstance(user, User) and (
        user.is_superuser
        or (
            _is_partner(user)
            and user.has_role(Role.APPROVER)
            and _coordinates(user, programme)
            and (programme is None or can_see(user, programme))
        )
    )


def _coordinates(user: User, programme: AnnualProgramme | None) -> bool:
    """Whether the user's institution coordinates this programme (any, before one exists)."""
    if programme is None or programme.coordinator_id is None:
        return True
    return user.organization_id == programme.coordinator_id


def can_edit(user: Any, programme: AnnualProgramme) -> bool:
    """The national coordinator of this programme."""
    return isinstance(user, User) and (
        user.is_superuser
        or (can_coordinate(user) and _coordinates(user, programme) and can_see(user, programme))
    )


def can_report(user: Any, measure: Measure) -> bool:
    return (
        isinstance(user, User)
        and _is_partner(user)
        and user.has_role(Role.REPORTER)
        and user.organization_id == measure.agency_id
        and can_see(user, measure)  # with its programme: a child takes its parent's marking
    )


def can_assess(user: Any) -> bool:
    return (
        isinstance(user, User)
        and user.organization is not None
        and user.organization.side == Side.ALLY
        and Role.ASSESSOR in user.roles
    )


def _require(allowed: bool, message: Any) -> None:
    if not allowed:
        raise PermissionDeniedError(message)


@dataclass
class IndicatorData:
    name_en: str
    target: Decimal
    baseline: Decimal = Decimal(0)
    unit: str = ""
    name_uk: str = ""
    # An existing indicator of the measure, in an amendment (None: a new one). A draft's
    # edit replaces every row and needs none.
    id: int | None = None


@dataclass
class MeasureData:
    """One measure as a coordinator writes it (a form, an API call or a spreadsheet row)."""

    chapter: int
    goal_code: str
    goal_en: str
    code: str
    text_en: str
    agency: Organization
    deadline: str
    co_executors: Sequence[Organization] = ()
    text_uk: str = ""
    goal_uk: str = ""
    expected_result_en: str = ""
    indicators: Sequence[IndicatorData] = ()
    marking: str = Marking.PARTNERSHIP
    nations: Sequence[str] = ()
    partnership_goals: Sequence[Any] = ()
    decisions: Sequence[Any] = ()
    projects: Sequence[Any] = ()


@transaction.atomic
def programme_create(
    *, by: User, year: int, marking: str = Marking.PARTNERSHIP, demo: bool = False
) -> AnnualProgramme:
    _require(can_coordinate(by), MSG_NOT_COORDINATOR)
    # A programme is a plan: its year from 1991 to ten years ahead, like every plan's date.
    check_plan_year(year, field="year", label=_("Year"))
    if AnnualProgramme.objects.filter(year=year).exists():
        raise ApplicationError(MSG_YEAR_EXISTS % {"year": year}, field="year")
    marking, releasable_to = marking_clean(marking=marking)
    programme = AnnualProgramme(
        year=year,
        marking=marking,
        releasable_to=releasable_to,
        demo=demo,
        coordinator=None if by.is_superuser else by.organization,
    )
    full_clean_or_error(programme)
    programme.save()
    Chapter.objects.bulk_create(
        Chapter(programme=programme, number=n, title_en=en, title_uk=uk) for n, en, uk in CHAPTERS
    )
    return programme


def _chapter(programme: AnnualProgramme, number: int) -> Chapter:
    try:
        return programme.chapters.get(number=number)
    except Chapter.DoesNotExist:
        raise ApplicationError(MSG_UNKNOWN_CHAPTER % {"number": number}, field="chapter") from None


def require_draft(programme: AnnualProgramme) -> None:
    if programme.status != ProgrammeStatus.DRAFT:
        raise PermissionDeniedError(
            MSG_NOT_DRAFT
            % {"year": programme.year, "status": ProgrammeStatus(programme.status).label}
        )


def _measure_add(programme: AnnualProgramme, data: MeasureData, goals: dict[Any, Goal]) -> Measure:
    chapter = _chapter(programme, data.chapter)
    key = (chapter.number, data.goal_code)
    goal = goals.get(key)
    if goal is None:
        goal, _created = Goal.objects.get_or_create(
            chapter=chapter,
            code=data.goal_code,
            defaults={
                "text_en": data.goal_en,
                "text_uk": data.goal_uk,
                "expected_result_en": data.expected_result_en,
            },
        )
        goals[key] = goal
    if not data.deadline:
        raise ApplicationError(MSG_DEADLINE_REQUIRED, field="deadline")
    _check_deadline(data.deadline)
    if programme.measures.filter(code=data.code).exists():
        raise ApplicationError(
            MSG_CODE_TAKEN % {"year": programme.year, "code": data.code}, field="code"
        )
    marking, releasable_to = marking_clean(marking=data.marking, nations=data.nations)
    measure = Measure(
        programme=programme, chapter=chapter, goal=goal, code=data.code, text_en=data.text_en,
        text_uk=data.text_uk, agency=data.agency, deadline=data.deadline, marking=marking,
        releasable_to=releasable_to,
    )  # fmt: skip
    full_clean_or_error(measure)
    measure.save()
    if data.co_executors:
        measure.co_executors.set(data.co_executors)
    if data.partnership_goals:
        measure.partnership_goals.set(data.partnership_goals)
    if data.decisions:
        measure.decisions.set(data.decisions)
    if data.projects:
        measure.projects.set(data.projects)
    for ind in data.indicators:
        indicator = MeasureIndicator(
            measure=measure, name_en=ind.name_en, name_uk=ind.name_uk, unit=ind.unit,
            baseline=ind.baseline, target=ind.target,
        )  # fmt: skip
        full_clean_or_error(indicator)
        indicator.save()
    return measure


@transaction.atomic
def measure_create(*, by: User, programme: AnnualProgramme, data: MeasureData) -> Measure:
    _require(can_edit(by, programme), MSG_NOT_COORDINATOR)
    require_draft(programme)
    return _measure_add(programme, data, {})


@transaction.atomic
def measures_import(
    *, by: User, year: int, rows: Iterable[MeasureData], marking: str = Marking.PARTNERSHIP
) -> AnnualProgramme:
    """Creates the year's draft (or fills an empty draft) with every row, or nothing at all."""
    _require(can_coordinate(by), MSG_NOT_COORDINATOR)
    programme = AnnualProgramme.objects.filter(year=year).first()
    if programme is None:
        programme = programme_create(by=by, year=year, marking=marking)
    _require(can_edit(by, programme), MSG_NOT_COORDINATOR)
    require_draft(programme)
    if programme.measures.exists():
        raise ApplicationError(MSG_HAS_MEASURES % {"year": year}, field="year")
    goals: dict[Any, Goal] = {}
    for data in rows:
        _measure_add(programme, data, goals)
    return programme


def _check_deadline(edtf: str) -> None:
    """A deadline is a plan: EDTF, start before end, 1991 to ten years ahead."""
    try:
        parsed = PartialDate.parse(edtf)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="deadline") from None
    if parsed.start > parsed.end:
        raise ApplicationError(MSG_REVERSED % {"value": edtf}, field="deadline")
    check_plausible(edtf, field="deadline", kind="plan", label=_("Deadline"))


def _require_active(measure: Measure) -> None:
    # Read now, not as the caller loaded it: it may have been withdrawn since.
    if Measure.objects.filter(pk=measure.pk).exclude(withdrawn_at=None).exists():
        raise ApplicationError(MSG_WITHDRAWN % {"code": measure.code}, field="measure")


def _goal_of(programme: AnnualProgramme, goal: Goal) -> Goal:
    if goal.chapter.programme_id != programme.pk:
        raise ApplicationError(
            MSG_GOAL_OF_PROGRAMME % {"code": goal.code, "year": programme.year}, field="goal"
        )
    return goal


def _check_agency(agency: Organization) -> None:
    if agency.side != Side.PARTNER:
        raise ApplicationError(MSG_AGENCY, field="agency")


def _indicators_set(measure: Measure, indicators: Sequence[IndicatorData]) -> None:
    measure.indicators.all().delete()
    for ind in indicators:
        indicator = MeasureIndicator(
            measure=measure, name_en=ind.name_en, name_uk=ind.name_uk, unit=ind.unit,
            baseline=ind.baseline, target=ind.target,
        )  # fmt: skip
        full_clean_or_error(indicator)
        indicator.save()


def _indicator_text(ind: MeasureIndicator | IndicatorData) -> str:
    unit = f" {ind.unit}" if ind.unit else ""
    return f"{ind.name_en}: {ind.baseline} → {ind.target}{unit}"


def _indicators_amend(
    measure: Measure, indicators: Sequence[IndicatorData]
) -> dict[str, str] | None:
    """An approved measure's indicators change in place, so the values already reported on
    them stay theirs: a row with an id changes that indicator, one without adds an indicator,
    and an indicator left out goes only if nothing was reported on it. Returns what changed
    (from → to, as text), or None."""
    old = list(measure.indicators.order_by("pk"))
    before = "; ".join(_indicator_text(i) for i in old)  # before the rows below change
    by_id = {i.pk: i for i in old}
    kept: set[int] = set()
    changed = False
    for ind in indicators:
        if ind.id is None:
            indicator = MeasureIndicator(measure=measure)
            changed = True
        elif ind.id in by_id and ind.id not in kept:
            indicator = by_id[ind.id]
            kept.add(ind.id)
        else:
            raise ApplicationError(
                MSG_UNKNOWN_INDICATOR % {"id": ind.id, "code": measure.code}, field="indicators"
            )
        values = {"name_en": ind.name_en, "name_uk": ind.name_uk, "unit": ind.unit,
                  "baseline": ind.baseline, "target": ind.target}  # fmt: skip
        if any(getattr(indicator, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(indicator, k, v)
            changed = True
            full_clean_or_error(indicator)
            indicator.save()
    for gone in (i for i in old if i.pk not in kept):
        if gone.actuals.exists():
            raise ApplicationError(
                MSG_INDICATOR_REPORTED % {"name": gone.name_en}, field="indicators"
            )
        gone.delete()
        changed = True
    if not changed:
        return None
    return {
        "from": before,
        "to": "; ".join(_indicator_text(i) for i in measure.indicators.order_by("pk")),
    }


def _org_names(orgs: Iterable[Organization]) -> str:
    return ", ".join(sorted(o.name_en for o in orgs))


def _apply(
    measure: Measure, programme: AnnualProgramme, allowed: Sequence[str], changes: dict[str, Any]
) -> dict[str, dict[str, str]]:
    """Sets the named fields that differ and returns what changed (from → to, as text)."""
    diff: dict[str, dict[str, str]] = {}
    for name in changes:
        if name not in allowed:
            raise ApplicationError(MSG_NOT_CHANGEABLE % {"field": name}, field=name)
    if "deadline" in changes:
        if not changes["deadline"]:
            raise ApplicationError(MSG_DEADLINE_REQUIRED, field="deadline")
        _check_deadline(changes["deadline"])
    if "agency" in changes:
        _check_agency(changes["agency"])
    if "goal" in changes:
        goal = _goal_of(programme, changes["goal"])
        if goal.pk != measure.goal_id:
            diff["goal"] = {"from": measure.goal.code, "to": goal.code}
            measure.goal, measure.chapter = goal, goal.chapter
    for name in ("text_en", "text_uk", "agency", "deadline"):
        if name in changes and getattr(measure, name) != changes[name]:
            diff[name] = {"from": str(getattr(measure, name)), "to": str(changes[name])}
            setattr(measure, name, changes[name])
    if "co_executors" in changes:
        new = list(changes["co_executors"])
        for org in new:
            _check_agency(org)
        old = list(measure.co_executors.all()) if measure.pk else []
        if {o.pk for o in old} != {o.pk for o in new}:
            diff["co_executors"] = {"from": _org_names(old), "to": _org_names(new)}
    return diff


@transaction.atomic
def measure_update(*, by: User, measure: Measure, **changes: Any) -> Measure:
    """Changes a measure of a draft programme (text, goal, agency, co-executors, deadline,
    indicators); an approved one changes only by amendment."""
    programme = AnnualProgramme.objects.select_for_update().get(pk=measure.programme_id)
    _require(can_edit(by, programme), MSG_NOT_COORDINATOR)
    require_draft(programme)
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    _require_active(measure)
    _apply(measure, programme, UPDATABLE_FIELDS, changes)
    full_clean_or_error(measure)
    measure.save()
    if "co_executors" in changes:
        measure.co_executors.set(changes["co_executors"])
    if "indicators" in changes:
        _indicators_set(measure, changes["indicators"])
    return measure


@transaction.atomic
def measure_withdraw(*, by: User, measure: Measure, reason: str) -> Measure:
    """Takes a measure out of the programme without deleting it: it keeps its reports and
    history and stops counting. A draft's coordinator withdraws; once approved, an approver
    does, and the withdrawal is recorded as an amendment."""
    programme = AnnualProgramme.objects.select_for_update().get(pk=measure.programme_id)
    if programme.status == ProgrammeStatus.APPROVED:
        _require(can_approve(by, programme), MSG_NOT_APPROVER)
    else:
        _require(can_edit(by, programme), MSG_NOT_COORDINATOR)
    if programme.status == ProgrammeStatus.SUBMITTED:
        raise ApplicationError(MSG_WITHDRAW_SUBMITTED % {"year": programme.year}, field="status")
    if not reason.strip():
        raise ApplicationError(MSG_WITHDRAW_REASON, field="reason")
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    _require_active(measure)
    measure.withdrawn_at, measure.withdrawn_by = timezone.now(), by
    measure.withdrawal_reason = reason.strip()
    measure.save()
    update_change_reason(measure, reason.strip()[:100])
    if programme.status == ProgrammeStatus.APPROVED:
        Amendment.objects.create(
            measure=measure,
            changes={"withdrawn": {"from": "", "to": str(_("withdrawn"))}},
            reason=reason.strip(),
            approved_by=by,
        )
    return measure


def _transition(programme: AnnualProgramme, expected: str) -> None:
    if programme.status != expected:
        raise ApplicationError(
            MSG_WRONG_STATE
            % {
                "year": programme.year,
                "status": ProgrammeStatus(programme.status).label,
                "expected": ProgrammeStatus(expected).label,
            },
            field="status",
        )


@transaction.atomic
def programme_submit(*, by: User, programme: AnnualProgramme) -> AnnualProgramme:
    _require(can_edit(by, programme), MSG_NOT_COORDINATOR)
    programme = AnnualProgramme.objects.select_for_update().get(pk=programme.pk)
    _transition(programme, ProgrammeStatus.DRAFT)
    active = programme.measures.filter(withdrawn_at__isnull=True)
    if not active.exists():
        raise ApplicationError(MSG_EMPTY, field="status")
    undated = list(active.filter(deadline="").order_by("code").values_list("code", flat=True))
    if undated:
        raise ApplicationError(MSG_NO_DEADLINE % {"codes": ", ".join(undated)}, field="deadline")
    programme.status = ProgrammeStatus.SUBMITTED
    programme.submitted_by, programme.submitted_at = by, timezone.now()
    programme.save()
    events.announce(events.anp_submitted, programme)
    return programme


@transaction.atomic
def programme_approve(*, by: User, programme: AnnualProgramme) -> AnnualProgramme:
    _require(can_approve(by, programme), MSG_NOT_APPROVER)
    programme = AnnualProgramme.objects.select_for_update().get(pk=programme.pk)
    _transition(programme, ProgrammeStatus.SUBMITTED)
    programme.status = ProgrammeStatus.APPROVED
    programme.approved_by, programme.approved_at = by, timezone.now()
    programme.save()
    events.announce(events.anp_approved, programme)
    return programme


@transaction.atomic
def programme_return(*, by: User, programme: AnnualProgramme) -> AnnualProgramme:
    """An approver sends a submitted programme back to the coordinator for more drafting."""
    _require(can_approve(by, programme), MSG_NOT_APPROVER)
    programme = AnnualProgramme.objects.select_for_update().get(pk=programme.pk)
    _transition(programme, ProgrammeStatus.SUBMITTED)
    programme.status = ProgrammeStatus.DRAFT
    programme.submitted_by = programme.submitted_at = None
    programme.save()
    events.announce(events.anp_returned, programme)
    return programme


@transaction.atomic
def measure_links_set(
    *,
    by: User,
    measure: Measure,
    decisions: Sequence[Any] | None = None,
    partnership_goals: Sequence[Any] | None = None,
    projects: Sequence[Any] | None = None,
) -> Measure:
    """What the measure serves: NUC decisions, PARP Partnership Goals, trust-fund projects.
    The coordinator keeps these current in any state; they are not the measure's content, and
    the history records every change."""
    programme = AnnualProgramme.objects.get(pk=measure.programme_id)
    _require(can_edit(by, programme), MSG_NOT_COORDINATOR)
    if decisions is not None:
        measure.decisions.set(decisions)
    if partnership_goals is not None:
        measure.partnership_goals.set(partnership_goals)
    if projects is not None:
        measure.projects.set(projects)
    return measure


@transaction.atomic
def measure_amend(*, by: User, measure: Measure, reason: str, **changes: Any) -> Amendment:
    """Changes an approved measure (text, goal, agency, co-executors, deadline, indicators)
    and records what changed, why and who approved it."""
    programme = AnnualProgramme.objects.get(pk=measure.programme_id)
    _require(can_approve(by, programme), MSG_NOT_APPROVER)
    if programme.status != ProgrammeStatus.APPROVED:
        raise ApplicationError(MSG_NOT_AMENDABLE, field="status")
    if not reason.strip():
        raise ApplicationError(MSG_REASON, field="reason")
    measure = Measure.objects.select_for_update().get(pk=measure.pk)
    _require_active(measure)
    indicators = changes.pop("indicators", None)
    diff = _apply(measure, programme, AMENDABLE_FIELDS, changes)
    if indicators is not None:
        indicators_diff = _indicators_amend(measure, indicators)
        if indicators_diff:
            diff["indicators"] = indicators_diff
    if not diff:
        raise ApplicationError(MSG_NO_CHANGE, field="reason")
    full_clean_or_error(measure)
    measure.save()
    if "co_executors" in diff:
        measure.co_executors.set(changes["co_executors"])
    update_change_reason(measure, reason[:100])
    return Amendment.objects.create(measure=measure, changes=diff, reason=reason, approved_by=by)


@transaction.atomic
def programme_copy(*, by: User, source: AnnualProgramme, year: int) -> AnnualProgramme:
    """Next year's draft: the chapters and goals, and every measure not done (nor withdrawn)
    yet, carried over with its indicators (their targets stay; the actuals start again).
    Deadlines are not carried: last year's would be wrong, so each carried measure waits for
    its new one, and the draft cannot be submitted until every measure has one."""
    _require(can_edit(by, source), MSG_NOT_COORDINATOR)
    target = programme_create(by=by, year=year, marking=source.marking)
    chapters = {c.number: c for c in target.chapters.all()}
    for old_chapter in source.chapters.all():
        new = chapters[old_chapter.number]
        new.strategic_goal_en = old_chapter.strategic_goal_en
        new.strategic_goal_uk = old_chapter.strategic_goal_uk
        new.save()
    goals: dict[int, Goal] = {}
    carried = (
        source.measures.exclude(status=Status.DONE)
        .filter(withdrawn_at__isnull=True)
        .select_related("goal", "chapter")
        .prefetch_related(
            "co_executors", "partnership_goals", "decisions", "projects", "indicators"
        )
    )
    for old in carried:
        goal = goals.get(old.goal_id)
        if goal is None:
            goal = Goal.objects.create(
                chapter=chapters[old.chapter.number], code=old.goal.code, text_en=old.goal.text_en,
                text_uk=old.goal.text_uk, expected_result_en=old.goal.expected_result_en,
                expected_result_uk=old.goal.expected_result_uk,
            )  # fmt: skip
            goals[old.goal_id] = goal
        measure = Measure.objects.create(
            programme=target, chapter=goal.chapter, goal=goal, code=old.code,
            text_en=old.text_en, text_uk=old.text_uk, agency_id=old.agency_id,
            deadline="", marking=old.marking, releasable_to=old.releasable_to,
            carried_from=old,
        )  # fmt: skip
        measure.co_executors.set(old.co_executors.all())
        measure.partnership_goals.set(old.partnership_goals.all())
        measure.decisions.set(old.decisions.all())
        measure.projects.set(old.projects.all())
        MeasureIndicator.objects.bulk_create(
            MeasureIndicator(
                measure=measure,
                name_en=i.name_en,
                name_uk=i.name_uk,
                unit=i.unit,
                baseline=i.actual if i.actual is not None else i.baseline,
                target=i.target,
            )
            for i in old.indicators.all()
        )
    target.previous = source
    target.save()
    return target


def _require_reporter(by: Any, measure: Measure) -> None:
    """Who files a measure's reports, corrects and withdraws them: a reporter of its agency."""
    if not (isinstance(by, User) and _is_partner(by) and by.has_role(Role.REPORTER)):
        raise PermissionDeniedError(MSG_NOT_REPORTER)
    if not can_report(by, measure):
        raise PermissionDeniedError(
            MSG_OTHER_AGENCY % {"code": measure.code, "agency": measure.agency.name}
        )


def report_assessed_by(measure: Measure) -> str:
    """Who has assessed what the measure's reports say (the measure itself, or its chapter),
    as names; empty while the reports may still change. Once an Ally has rated it, the
    reports it rated are fixed: the NUC receives the two side by side."""
    assessed = Assessment.objects.filter(programme_id=measure.programme_id).filter(
        Q(measure_id=measure.pk) | Q(measure__isnull=True, chapter_id=measure.chapter_id)
    )
    allies = Organization.objects.filter(pk__in=assessed.values("organization_id"))
    return ", ".join(sorted(o.name for o in allies))  # in the reader's language


def can_change_reports_of(user: Any, measure: Measure) -> bool:
    """Whether the user may correct or withdraw the measure's standing reports now (asked once
    for a page of its reports)."""
    return can_report(user, measure) and reports_changeable(measure)


def reports_changeable(measure: Measure) -> bool:
    """Whether the measure's standing reports may still change (by its reporters,
    `can_report`): the measure stands and no Ally has assessed what they say."""
    return not measure.withdrawn and not report_assessed_by(measure)


def can_change_report(user: Any, report: QuarterlyReport) -> bool:
    """Whether the user may correct or withdraw this report now."""
    return not report.withdrawn and can_change_reports_of(user, report.measure)


def _require_unassessed(measure: Measure) -> None:
    assessed = report_assessed_by(measure)
    if assessed:
        raise PermissionDeniedError(
            MSG_REPORT_ASSESSED
            % {"code": measure.code, "year": measure.programme.year, "by": assessed}
        )


def _require_progress(progress_en: str, progress_uk: str) -> None:
    if not (progress_en.strip() or progress_uk.strip()):
        raise ApplicationError(MSG_PROGRESS_REQUIRED, field="progress_en")


@transaction.atomic
def report_submit(
    *,
    by: User,
    measure: Measure,
    year: int,
    quarter: int,
    status: str,
    progress_en: str = "",
    progress_uk: str = "",
    actuals: dict[int, Decimal] | None = None,
    evidence: Sequence[tuple[str, str]] = (),
    now: dt.datetime | None = None,
) -> QuarterlyReport:
    """An agency's report for a quarter, in English, Ukrainian or both. After the due date it
    is accepted and marked late. Reporting again for the same quarter replaces the report (the
    history keeps the old one), as a correction does: not once the Allies have assessed it."""
    _require_reporter(by, measure)
    # Read the programme's state now, not as the caller loaded it.
    programme = AnnualProgramme.objects.get(pk=measure.programme_id)
    _require_active(measure)
    if programme.status != ProgrammeStatus.APPROVED:
        raise ApplicationError(MSG_NOT_APPROVED_YET % {"year": programme.year}, field="year")
    if year != programme.year:
        raise ApplicationError(MSG_QUARTER_OUTSIDE % {"year": programme.year}, field="year")
    if quarter not in (1, 2, 3, 4):
        raise ApplicationError(
            _("The quarter is 1, 2, 3 or 4, not “%(value)s”.") % {"value": quarter}, field="quarter"
        )
    if status not in Status.values:
        raise ApplicationError(
            _("“%(value)s” is not a status.") % {"value": status}, field="status"
        )
    now = now or timezone.now()
    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    if today < dt.date(year, quarter * 3 - 2, 1):
        raise ApplicationError(
            MSG_QUARTER_NOT_STARTED % {"quarter": quarter, "year": year}, field="quarter"
        )
    _require_progress(progress_en, progress_uk)
    _check_actuals(measure, actuals)
    # Two reporters filing at once: the measure's row lock makes the second wait for the first
    # to commit, and its status is read again under the lock, so the kept report and the
    # measure's status are the same one's (the second would otherwise compare against the
    # status it read before the first committed, and leave the first's in place).
    Measure.objects.select_for_update().filter(pk=measure.pk).first()
    measure.refresh_from_db(fields=["status"])
    if (
        QuarterlyReport.objects.counted()
        .filter(measure=measure, year=year, quarter=quarter)
        .exists()
    ):
        _require_unassessed(measure)
    report, _created = QuarterlyReport.objects.counted().update_or_create(
        measure=measure, year=year, quarter=quarter,
        defaults={
            "status": status, "progress_en": progress_en, "progress_uk": progress_uk,
            "submitted_by": by, "submitted_at": now, "late": today > quarter_due(year, quarter),
        },
    )  # fmt: skip
    for key, value in (actuals or {}).items():
        IndicatorActual.objects.update_or_create(
            report=report, indicator_id=key, defaults={"value": value}
        )
    report.evidence.all().delete()
    for title, url in evidence:
        item = Evidence(report=report, title=title or url, url=url)
        full_clean_or_error(item)
        item.save()
    _measure_refresh(measure)
    return report


def _check_actuals(measure: Measure, actuals: dict[int, Decimal] | None) -> None:
    indicators = {i.pk for i in measure.indicators.all()}
    for key in actuals or {}:
        if key not in indicators:
            raise ApplicationError(
                MSG_UNKNOWN_INDICATOR % {"id": key, "code": measure.code}, field="actuals"
            )


def report_check_changeable(user: Any, report: QuarterlyReport) -> Measure:
    """Refuses, with the reason, a correction or withdrawal of this report by this user now:
    not a reporter of its agency, its measure or the report withdrawn, or already assessed by
    the Allies. Pages call it before showing the form; the services again under the lock."""
    measure = Measure.objects.select_related("programme", "agency").get(pk=report.measure_id)
    _require_reporter(user, measure)
    _require_active(measure)
    if QuarterlyReport.objects.filter(pk=report.pk).exclude(withdrawn_at=None).exists():
        raise ApplicationError(MSG_REPORT_WITHDRAWN, field="report")
    _require_unassessed(measure)
    return measure


def _report_locked(by: User, report: QuarterlyReport) -> tuple[QuarterlyReport, Measure]:
    """The report and its measure, locked in the order filing locks them (measure first, so
    that a correction and a new filing of the quarter never wait for each other crosswise),
    after the checks a correction and a withdrawal share."""
    Measure.objects.select_for_update().filter(pk=report.measure_id).first()
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    return report, report_check_changeable(by, report)


@transaction.atomic
def report_correct(
    *,
    by: User,
    report: QuarterlyReport,
    reason: str,
    status: str,
    progress_en: str = "",
    progress_uk: str = "",
    actuals: dict[int, Decimal] | None = None,
) -> QuarterlyReport:
    """Corrects a filed report (its status, progress and indicator values) with a reason; the
    history keeps what it said before. Its quarter, filing time and lateness stay."""
    report, measure = _report_locked(by, report)
    if status not in Status.values:
        raise ApplicationError(
            _("“%(value)s” is not a status.") % {"value": status}, field="status"
        )
    _require_progress(progress_en, progress_uk)
    _check_actuals(measure, actuals)
    if not reason.strip():
        raise ApplicationError(MSG_CORRECTION_REASON, field="reason")
    before = dict(report.actuals.values_list("indicator_id", "value"))
    after = {**before, **(actuals or {})}
    text = (status, progress_en.strip(), progress_uk.strip())
    if text == (report.status, report.progress_en.strip(), report.progress_uk.strip()) and (
        after == before
    ):
        raise ApplicationError(MSG_CORRECTION_NO_CHANGE, field="reason")
    report.status, report.progress_en, report.progress_uk = status, progress_en, progress_uk
    report.corrected_at, report.correction_reason = timezone.now(), reason.strip()
    report.save()
    update_change_reason(report, reason.strip()[:100])
    for key, value in (actuals or {}).items():
        IndicatorActual.objects.update_or_create(
            report=report, indicator_id=key, defaults={"value": value}
        )
    _measure_refresh(measure)
    return report


@transaction.atomic
def report_withdraw(*, by: User, report: QuarterlyReport, reason: str) -> QuarterlyReport:
    """Withdraws a filed report with a reason: it stays readable, marked, to those who see
    its measure, and counts nowhere; the quarter may be reported on again."""
    report, measure = _report_locked(by, report)
    if not reason.strip():
        raise ApplicationError(MSG_REPORT_WITHDRAW_REASON, field="reason")
    report.withdrawn_at, report.withdrawn_by = timezone.now(), by
    report.withdrawal_reason = reason.strip()
    report.save()
    update_change_reason(report, reason.strip()[:100])
    _measure_refresh(measure)
    return report


def _measure_refresh(measure: Measure) -> None:
    """The measure's status and indicator actuals follow its latest report that counts."""
    latest = measure.reports.counted().order_by("-year", "-quarter").first()
    status = latest.status if latest else Status.NOT_STARTED
    if measure.status != status:
        measure.status = status
        measure.save(update_fields=["status"])
    for indicator in measure.indicators.all():
        value = (
            IndicatorActual.objects.filter(indicator=indicator, report__withdrawn_at__isnull=True)
            .order_by("-report__year", "-report__quarter")
            .values_list("value", flat=True)
            .first()
        )
        if indicator.actual != value:
            indicator.actual = value
            indicator.save(update_fields=["actual"])


@transaction.atomic
def assessment_record(
    *,
    by: User,
    chapter: Chapter,
    rating: int,
    comment: str = "",
    recommendations: str = "",
    measure: Measure | None = None,
) -> Assessment:
    """An Ally's rating of a chapter (or of one of its measures); a second rating by the same
    organization replaces the first, and the history keeps both."""
    _require(can_assess(by), MSG_NOT_ASSESSOR)
    assert by.organization is not None
    if rating not in Rating.values:
        raise ApplicationError(MSG_NOT_A_RATING % {"value": rating}, field="rating")
    if measure is not None and measure.chapter_id != chapter.pk:
        raise ApplicationError(
            MSG_MEASURE_OF_CHAPTER % {"code": measure.code, "number": chapter.number},
            field="measure",
        )
    if measure is not None and not can_see(by, measure):
        raise PermissionDeniedError(_("You may not see this measure."))
    if measure is not None:
        _require_active(measure)
    assessment, _created = Assessment.objects.update_or_create(
        chapter=chapter, measure=measure, organization=by.organization,
        defaults={
            "programme": chapter.programme, "assessor": by, "rating": rating,
            "comment": comment, "recommendations": recommendations,
            "marking": Marking.PARTNERSHIP, "releasable_to": "",
        },
    )  # fmt: skip
    return assessment


# The programme's steps, one table for pages, API and CLI: action → service.
TRANSITIONS: dict[str, Any] = {
    "submit": programme_submit,
    "approve": programme_approve,
    "return": programme_return,
}
# The steps that cannot be taken back by the one who took them ask for a confirmation first.
CONFIRMED_TRANSITIONS = ("approve", "return")
