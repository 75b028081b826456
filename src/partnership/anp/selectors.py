"""Reads of the ANP. Every measure comes through `measures_for`, which applies the marking
(`core.selectors.visible_to`) and, for agency reporters, their agency."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from statistics import mean
from typing import Any

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _

from partnership.anp.models import (
    DISAGREEMENT_STEPS,
    STATUS_SCORE,
    AnnualProgramme,
    Assessment,
    Chapter,
    Measure,
    QuarterlyReport,
    Rating,
    Status,
    quarter_due,
)
from partnership.core.exceptions import ApplicationError
from partnership.core.models import Organization, Role, Side, User
from partnership.core.selectors import AnyUser, visible_to

STATUS_ORDER = [Status.DONE, Status.ON_TRACK, Status.AT_RISK, Status.OVERDUE, Status.NOT_STARTED]


def programme_list(*, user: AnyUser) -> models.QuerySet[AnnualProgramme]:
    return visible_to(user, AnnualProgramme.objects.all())


def programme_get(*, user: AnyUser, year: int) -> AnnualProgramme | None:
    return programme_list(user=user).filter(year=year).first()


def programme_or_404(*, user: AnyUser, year: int) -> AnnualProgramme:
    """The year's programme for pages and API alike; one the user may not see is not there."""
    found = programme_get(user=user, year=year)
    if found is None:
        raise Http404
    return found


def measure_or_404(*, user: AnyUser, pk: int) -> Measure:
    found = measure_get(user=user, pk=pk)
    if found is None:
        raise Http404
    return found


def report_or_404(*, user: AnyUser, pk: int) -> QuarterlyReport:
    """A quarterly report, read through its measure (withdrawn ones too: their keepers see them,
    marked)."""
    report = (
        QuarterlyReport.objects.filter(
            pk=pk, measure__in=measures_for(user=user, withdrawn=True).values("pk")
        )
        .select_related("measure__programme", "measure__agency", "measure__chapter")
        .first()
    )
    if report is None:
        raise Http404
    return report


def is_agency_reporter(user: AnyUser) -> bool:
    """A reporter of a partner agency without a coordinating role sees only their agency's
    measures (those it is responsible for or co-executes)."""
    return (
        isinstance(user, User)
        and not user.is_superuser
        and user.organization is not None
        and user.organization.side == Side.PARTNER
        and Role.REPORTER in user.roles
        and not user.roles.intersection({Role.EDITOR, Role.APPROVER})
    )


def measures_for(
    *, user: AnyUser, programme: AnnualProgramme | None = None, withdrawn: bool = False
) -> models.QuerySet[Measure]:
    """The measures the user sees; withdrawn ones only when asked for (they are kept, and
    their own page shows them, but they count nowhere)."""
    queryset = Measure.objects.all() if withdrawn else Measure.objects.filter(withdrawn_at=None)
    if programme is not None:
        queryset = queryset.filter(programme=programme)
    queryset = visible_to(user, queryset)
    if is_agency_reporter(user):
        assert isinstance(user, User)
        own = Measure.objects.filter(co_executors=user.organization_id).values("pk")
        queryset = queryset.filter(Q(agency_id=user.organization_id) | Q(pk__in=own))
    return queryset


@dataclass(frozen=True)
class MeasureFilter:
    chapter: int | None = None
    agency: int | None = None
    status: str | None = None
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    marking: str | None = None
    text: str = ""


def measure_list(
    *, user: AnyUser, programme: AnnualProgramme, filters: MeasureFilter | None = None
) -> models.QuerySet[Measure]:
    f = filters or MeasureFilter()
    queryset = measures_for(user=user, programme=programme).select_related("agency", "chapter")
    if f.chapter:
        queryset = queryset.filter(chapter__number=f.chapter)
    if f.agency:
        queryset = queryset.filter(agency_id=f.agency)
    if f.status:
        queryset = queryset.filter(status=f.status)
    if f.deadline_from:
        queryset = queryset.filter(deadline_end__gte=f.deadline_from)
    if f.deadline_to:
        queryset = queryset.filter(deadline_end__lte=f.deadline_to)
    if f.marking:
        queryset = queryset.filter(marking=f.marking)
    if f.text:
        queryset = queryset.filter(
            Q(text_en__icontains=f.text) | Q(text_uk__icontains=f.text) | Q(code=f.text)
        )
    return queryset.order_by("chapter__number", "code")


def agencies_of(*, user: AnyUser, programme: AnnualProgramme) -> list[Organization]:
    """The agencies responsible for the measures of the year the user sees, for the filter."""
    ids = measures_for(user=user, programme=programme).values("agency_id")
    return sorted(Organization.objects.filter(pk__in=ids), key=lambda o: o.name)


def measure_get(*, user: AnyUser, pk: int) -> Measure | None:
    """One measure with what its page shows. Most measures link to no decision, goal or
    project and have no co-executor: the measure's own query says which of these links it has
    (EXISTS, one each), and only those are read (the page is measured against a bare view, and
    compiling ORM queries is most of its time)."""
    through = {name: getattr(Measure, name).through for name in (*LINKS, "co_executors")}
    measure = (
        measures_for(user=user, withdrawn=True)
        .select_related("programme", "chapter", "goal", "agency", "withdrawn_by")
        .annotate(
            **{
                f"_has_{name}": models.Exists(
                    table.objects.filter(measure_id=models.OuterRef("pk"))
                )
                for name, table in through.items()
            }
        )
        .filter(pk=pk)
        .order_by()  # one row: the list's ordering would only add joins
        .first()
    )
    if measure is None:
        return None
    linked = [name for name in through if getattr(measure, f"_has_{name}")]
    models.prefetch_related_objects([measure], "indicators", *linked)
    # What a prefetch of nothing would leave, without building querysets to learn it.
    cache = measure.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, model in zip((*LINKS, "co_executors"), (*_link_models(), Organization), strict=True):
        if name not in linked:
            cache[name] = model.objects.none()
    return measure


LINKS = ("decisions", "partnership_goals", "projects")


def _link_models() -> tuple[Any, ...]:
    from partnership.framework.models import Decision
    from partnership.programmes.models import PartnershipGoal
    from partnership.trustfunds.models import Project

    return Decision, PartnershipGoal, Project


def _linked(user: AnyUser, model: Any, field: str, keys: list[str], name: str) -> list[Any]:
    """The records with these keys that the user may see; an unknown key is named."""
    found = {
        getattr(r, field): r
        for r in visible_to(user, model.objects.filter(**{f"{field}__in": keys}))
    }
    for key in keys:
        if key not in found:
            raise ApplicationError(
                _("“%(value)s” is not a known record you may see.") % {"value": key}, field=name
            )
    return [found[k] for k in keys]


def measure_links(
    *,
    user: AnyUser,
    decisions: list[str] | None = None,
    partnership_goals: list[str] | None = None,
    projects: list[str] | None = None,
) -> dict[str, list[Any]]:
    """What a measure may be linked to, from the keys people use (decision references, goal
    codes, project keys), each one visible to the user; a list not given is left out."""
    decision, goal, project = _link_models()
    out: dict[str, list[Any]] = {}
    if decisions is not None:
        out["decisions"] = _linked(user, decision, "reference", decisions, "decisions")
    if partnership_goals is not None:
        out["partnership_goals"] = _linked(
            user, goal, "code", partnership_goals, "partnership_goals"
        )
    if projects is not None:
        out["projects"] = _linked(user, project, "slug", projects, "projects")
    return out


def export_rows(*, user: AnyUser, programme: AnnualProgramme) -> models.QuerySet[Measure]:
    """The measures a spreadsheet export writes, with what it writes of each."""
    return (
        measure_list(user=user, programme=programme)
        .select_related("goal")
        .prefetch_related(
            "co_executors",
            "indicators",
            Prefetch("reports", queryset=QuarterlyReport.objects.counted()),
        )
    )


def without_deadline(*, user: AnyUser, programme: AnnualProgramme) -> models.QuerySet[Measure]:
    """Measures carried into the year that still wait for their new deadline."""
    return measures_for(user=user, programme=programme).filter(deadline="").order_by("code")


def measure_reports(*, measure: Measure) -> list[QuarterlyReport]:
    """The reports of a measure the caller has already been allowed to see, each actual with
    its indicator taken from the measure's (already read) indicators. Evidence and actuals are
    read only for the reports that have some (the reports' query says which)."""
    from partnership.anp.models import Evidence, IndicatorActual

    reports = list(
        measure.reports.select_related("submitted_by", "withdrawn_by")
        .annotate(
            _has_evidence=models.Exists(Evidence.objects.filter(report=models.OuterRef("pk"))),
            _has_actuals=models.Exists(
                IndicatorActual.objects.filter(report=models.OuterRef("pk"))
            ),
        )
        .order_by("year", "quarter")
    )
    for name, model in (("evidence", Evidence), ("actuals", IndicatorActual)):
        having = [r for r in reports if getattr(r, f"_has_{name}")]
        models.prefetch_related_objects(having, name)
        for r in reports:
            if not getattr(r, f"_has_{name}"):
                r.__dict__.setdefault("_prefetched_objects_cache", {})[name] = model.objects.none()
    indicators = {i.pk: i for i in measure.indicators.all()}
    for report in reports:
        for actual in report.actuals.all():
            if actual.indicator_id in indicators:
                actual.indicator = indicators[actual.indicator_id]
    return reports


def assessments_for(*, user: AnyUser, programme: AnnualProgramme) -> models.QuerySet[Assessment]:
    return visible_to(
        user, programme.assessments.select_related("organization", "chapter", "measure")
    )


def _counts(rows: Any, key: str) -> dict[Any, Counter[str]]:
    out: dict[Any, Counter[str]] = defaultdict(Counter)
    for row in rows:
        out[row[key]][row["status"]] = row["n"]
    return out


def government_score(counts: Counter[str]) -> float | None:
    """The government's own statuses placed on the Allied scale (done 5 … not started 1)."""
    total = sum(counts.values())
    if not total:
        return None
    return round(sum(STATUS_SCORE[Status(s)] * n for s, n in counts.items()) / total, 1)


def status_shares(counts: Counter[str]) -> list[dict[str, Any]]:
    total = sum(counts.values()) or 1
    return [
        {
            "status": s.value,
            "label": s.label,
            "count": counts.get(s.value, 0),
            "share": round(100 * counts.get(s.value, 0) / total, 1),
        }
        for s in STATUS_ORDER
    ]


def chapter_summary(*, user: AnyUser, programme: AnnualProgramme) -> list[dict[str, Any]]:
    """Per chapter: the government's statuses, the Allied ratings, and whether they disagree."""
    rows = (
        measures_for(user=user, programme=programme)
        .values("chapter_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = _counts(rows, "chapter_id")
    ratings: dict[int, list[Assessment]] = defaultdict(list)
    for a in assessments_for(user=user, programme=programme).filter(measure__isnull=True):
        ratings[a.chapter_id].append(a)
    return _chapter_rows(programme.chapters.prefetch_related("goals"), counts, ratings)


def chapter_row(*, user: AnyUser, chapter: Chapter) -> dict[str, Any]:
    """`chapter_summary`'s row of one chapter, reading only that chapter's measures and
    ratings (a chapter's page)."""
    programme = chapter.programme
    rows = (
        measures_for(user=user, programme=programme)
        .filter(chapter=chapter)
        .values("chapter_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    ratings = {
        chapter.pk: list(
            assessments_for(user=user, programme=programme).filter(
                chapter=chapter, measure__isnull=True
            )
        )
    }
    return _chapter_rows([chapter], _counts(rows, "chapter_id"), ratings)[0]


def _chapter_rows(
    chapters: Any, counts: dict[int, Counter[str]], ratings: dict[int, list[Assessment]]
) -> list[dict[str, Any]]:
    """`chapter_summary`'s rows from the measures counted per chapter and status and the
    chapters' Allied ratings."""
    out = []
    for chapter in chapters:
        c = counts.get(chapter.pk, Counter())
        score = government_score(c)
        allied = ratings.get(chapter.pk, [])
        allied_mean = round(mean(a.rating for a in allied), 1) if allied else None
        out.append(
            {
                "chapter": chapter,
                "total": sum(c.values()),
                "shares": status_shares(c),
                "government_score": score,
                "assessments": allied,
                "allied_rating": allied_mean,
                "allied_label": Rating(round(allied_mean)).label if allied_mean else "",
                "disagree": score is not None
                and allied_mean is not None
                and abs(score - allied_mean) >= DISAGREEMENT_STEPS,
            }
        )
    return out


def measure_assessments(*, user: AnyUser, programme: AnnualProgramme) -> list[dict[str, Any]]:
    """Every Allied rating of a measure the user sees (withdrawn measures left out), with the
    agency's own status on the same scale and whether the two disagree."""
    visible = measures_for(user=user, programme=programme).values("pk")
    return _measure_assessment_rows(
        assessments_for(user=user, programme=programme)
        .filter(measure__in=visible)
        .select_related("measure__agency")
        .order_by("chapter__number", "measure__code", "organization__name_en")
    )


def _measure_assessment_rows(assessments: Any) -> list[dict[str, Any]]:
    out = []
    for a in assessments:
        assert a.measure is not None
        score = STATUS_SCORE[Status(a.measure.status)]
        out.append(
            {
                "measure": a.measure,
                "assessment": a,
                "government_score": score,
                "disagree": abs(score - a.rating) >= DISAGREEMENT_STEPS,
            }
        )
    return out


def measure_disagreements(*, user: AnyUser, programme: AnnualProgramme) -> list[dict[str, Any]]:
    """Measures an Ally rated two or more steps away from the agency's own status."""
    return [r for r in measure_assessments(user=user, programme=programme) if r["disagree"]]


def assessment_coverage(chapters: list[dict[str, Any]]) -> dict[str, Any]:
    """What the Allies have assessed, from `chapter_summary`'s rows: how many chapters, and
    which disagree. "They agree" is said only of what was assessed."""
    assessed = [r for r in chapters if r["assessments"]]
    return {
        "chapters": len(chapters),
        "assessed": len(assessed),
        "not_assessed": [r["chapter"] for r in chapters if not r["assessments"]],
        "disagreeing": [r for r in chapters if r["disagree"]],
    }


def quarter_progress(
    *,
    user: AnyUser,
    programme: AnnualProgramme,
    chapter: Chapter | None = None,
    agency: int | None = None,
) -> list[dict[str, Any]]:
    """How many measures reported each status in each quarter (for the progress chart), for
    the year, one chapter or one agency."""
    measures = measures_for(user=user, programme=programme)
    if chapter is not None:
        measures = measures.filter(chapter=chapter)
    if agency is not None:
        measures = measures.filter(agency_id=agency)
    rows = (
        QuarterlyReport.objects.counted()
        .filter(measure__in=measures.values("pk"), year=programme.year)
        .values("quarter", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _quarter_rows(_counts(rows, "quarter"))


def _quarter_rows(counts: dict[int, Counter[str]]) -> list[dict[str, Any]]:
    return [{"quarter": q, "shares": status_shares(counts.get(q, Counter()))} for q in (1, 2, 3, 4)]


def agency_progress(*, user: AnyUser, programme: AnnualProgramme) -> list[dict[str, Any]]:
    rows = (
        measures_for(user=user, programme=programme)
        .values("agency_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = _counts(rows, "agency_id")
    return _agency_rows(counts, Organization.objects.in_bulk(list(counts)))


def _agency_rows(
    counts: dict[int, Counter[str]], agencies: dict[int, Organization]
) -> list[dict[str, Any]]:
    out = [
        {
            "agency": agencies[pk],
            "total": sum(c.values()),
            "shares": status_shares(c),
            "done": c.get(Status.DONE, 0),
        }
        for pk, c in counts.items()
    ]
    return sorted(out, key=lambda r: (-r["total"], r["agency"].name))


def overdue(
    *, user: AnyUser, programme: AnnualProgramme, today: dt.date
) -> models.QuerySet[Measure]:
    """Measures past their deadline and not done."""
    return (
        measures_for(user=user, programme=programme)
        .filter(deadline_end__lt=today)
        .exclude(status=Status.DONE)
        .select_related("agency")
        .order_by("deadline_end", "code")
    )


def upcoming(
    *, user: AnyUser, programme: AnnualProgramme, today: dt.date, days: int = 90
) -> models.QuerySet[Measure]:
    return (
        measures_for(user=user, programme=programme)
        .filter(deadline_end__gte=today, deadline_end__lte=today + dt.timedelta(days=days))
        .exclude(status=Status.DONE)
        .select_related("agency")
        .order_by("deadline_end", "code")
    )


def reporting_gaps(
    *, user: AnyUser, programme: AnnualProgramme, today: dt.date
) -> list[dict[str, Any]]:
    """For each quarter past its due date: per agency, the measures with no report and the
    reports that came late. What the coordinator chases."""
    measures = measures_for(user=user, programme=programme)
    expected: Counter[int] = Counter(
        {
            r["agency_id"]: r["n"]
            for r in measures.values("agency_id").annotate(n=Count("pk")).order_by()
        }
    )
    by_agency = Organization.objects.in_bulk(list(expected))
    reported = (
        QuarterlyReport.objects.counted()
        .filter(measure__in=measures.values("pk"), year=programme.year)
        .values("quarter", "measure__agency_id")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(late=True)))
        .order_by()
    )
    got: dict[tuple[int, int], tuple[int, int]] = {
        (r["quarter"], r["measure__agency_id"]): (r["n"], r["late"]) for r in reported
    }
    return _gap_rows(programme, today, expected, got, by_agency)


def _gap_rows(
    programme: AnnualProgramme,
    today: dt.date,
    expected: Counter[int],
    got: dict[tuple[int, int], tuple[int, int]],
    agencies: dict[int, Organization],
) -> list[dict[str, Any]]:
    """`reporting_gaps`' rows from the measures expected of each agency and the reports (and
    late ones) each filed per quarter."""
    out = []
    for quarter in (1, 2, 3, 4):
        due = quarter_due(programme.year, quarter)
        if due >= today:
            continue
        for agency_id, n in expected.items():
            have, late = got.get((quarter, agency_id), (0, 0))
            if have < n or late:
                out.append(
                    {
                        "quarter": quarter,
                        "due": due,
                        "agency": agencies[agency_id],
                        "missing": n - have,
                        "late": late,
                    }
                )
    return sorted(out, key=lambda r: (r["quarter"], -r["missing"], r["agency"].name))


@dataclass
class YearOverview:
    """What the year's dashboard shows of the measures the user sees, from one read of each
    kind of row (`year_overview`): each part says what its own selector says."""

    programme: AnnualProgramme
    chapters: list[dict[str, Any]]  # chapter_summary
    agencies: list[dict[str, Any]]  # agency_progress
    disagreements: list[dict[str, Any]]  # measure_disagreements
    # (quarter, agency id) -> reports per status, and how many of them came late
    reports: dict[tuple[int, int], tuple[Counter[str], int]]
    expected: Counter[int]  # measures per agency
    by_pk: dict[int, Organization]
    # How many measures `overdue`, `upcoming` and `without_deadline` would list: a list of
    # none need not be read.
    overdue: int
    upcoming: int
    without_deadline: int

    def quarters(self, *, agency: int | None = None) -> list[dict[str, Any]]:
        """`quarter_progress` of the year, or of one agency's measures."""
        counts: dict[int, Counter[str]] = defaultdict(Counter)
        for (quarter, agency_id), (statuses, _late) in self.reports.items():
            if agency is None or agency_id == agency:
                counts[quarter].update(statuses)
        return _quarter_rows(counts)

    def gaps(self, *, today: dt.date) -> list[dict[str, Any]]:
        """`reporting_gaps` on `today`."""
        got = {key: (sum(c.values()), late) for key, (c, late) in self.reports.items()}
        return _gap_rows(self.programme, today, self.expected, got, self.by_pk)


def year_overview(
    *, user: AnyUser, programme: AnnualProgramme, today: dt.date, days: int = 90
) -> YearOverview:
    """The year dashboard's summaries (`chapter_summary`, `agency_progress`,
    `quarter_progress`, `reporting_gaps`, `measure_disagreements`) in five queries where they
    take eleven on their own: the measures counted once per chapter, agency and status, the
    reports once per quarter, agency and status, the Allied ratings of chapters and measures
    together, the agencies and the chapters once each. Through `measures_for` and
    `assessments_for`, as each selector reads them."""
    measures = measures_for(user=user, programme=programme)
    per_chapter: dict[int, Counter[str]] = defaultdict(Counter)
    per_agency: dict[int, Counter[str]] = defaultdict(Counter)
    listed: Counter[str] = Counter()
    not_done = ~Q(status=Status.DONE)
    for chapter_id, agency_id, status, n, overdue_n, upcoming_n, undated_n in (
        measures.values_list("chapter_id", "agency_id", "status")
        .annotate(
            n=Count("pk"),
            # What `overdue`, `upcoming` and `without_deadline` select, counted.
            overdue=Count("pk", filter=Q(deadline_end__lt=today) & not_done),
            upcoming=Count(
                "pk",
                filter=Q(deadline_end__gte=today, deadline_end__lte=today + dt.timedelta(days=days))
                & not_done,
            ),
            undated=Count("pk", filter=Q(deadline="")),
        )
        .order_by()
    ):
        per_chapter[chapter_id][status] += n
        per_agency[agency_id][status] += n
        listed.update(overdue=overdue_n, upcoming=upcoming_n, without_deadline=undated_n)
    reports: dict[tuple[int, int], tuple[Counter[str], int]] = {}
    for quarter, agency_id, status, n, late in (
        QuarterlyReport.objects.counted()
        .filter(measure__in=measures.values("pk"), year=programme.year)
        .values_list("quarter", "measure__agency_id", "status")
        .annotate(n=Count("pk"), late=Count("pk", filter=Q(late=True)))
        .order_by()
    ):
        statuses, late_before = reports.get((quarter, agency_id), (Counter(), 0))
        statuses[status] += n
        reports[(quarter, agency_id)] = (statuses, late_before + late)
    # The chapters' ratings and the measures' in one read, in the assessments' own order
    # (chapter, measure code, organization: `measure_assessments`' order).
    ratings: dict[int, list[Assessment]] = defaultdict(list)
    rated_measures = []
    for a in (
        assessments_for(user=user, programme=programme)
        .filter(Q(measure__isnull=True) | Q(measure__in=measures.values("pk")))
        .select_related("measure__agency")
        .order_by("chapter__number", "measure__code", "organization__name_en")
    ):
        if a.measure_id is None:
            ratings[a.chapter_id].append(a)
        else:
            rated_measures.append(a)
    by_pk = Organization.objects.in_bulk(list(per_agency))
    return YearOverview(
        programme=programme,
        chapters=_chapter_rows(programme.chapters.all(), per_chapter, ratings),
        agencies=_agency_rows(per_agency, by_pk),
        disagreements=[r for r in _measure_assessment_rows(rated_measures) if r["disagree"]],
        reports=reports,
        expected=Counter({pk: sum(c.values()) for pk, c in per_agency.items()}),
        by_pk=by_pk,
        overdue=listed["overdue"],
        upcoming=listed["upcoming"],
        without_deadline=listed["without_deadline"],
    )


def period_summary(
    *, user: AnyUser, programme: AnnualProgramme, last_quarter: int
) -> list[dict[str, Any]]:
    """The half-year (last_quarter=2) or annual (4) summary: per chapter, each measure counted
    by the status of its latest report up to that quarter (no report: not started)."""
    measures = measures_for(user=user, programme=programme)
    latest: dict[int, str] = {}
    for measure_id, status in (
        QuarterlyReport.objects.counted()
        .filter(measure__in=measures.values("pk"), year=programme.year, quarter__lte=last_quarter)
        .order_by("measure_id", "quarter")
        .values_list("measure_id", "status")
    ):
        latest[measure_id] = status
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for measure_id, chapter_id in measures.values_list("pk", "chapter_id"):
        counts[chapter_id][latest.get(measure_id, Status.NOT_STARTED)] += 1
    return [
        {
            "chapter": chapter,
            "total": sum(counts[chapter.pk].values()),
            "shares": status_shares(counts[chapter.pk]),
        }
        for chapter in programme.chapters.all()
    ]


def indicator_rows(*, user: AnyUser, programme: AnnualProgramme) -> models.QuerySet[Any]:
    """Every effectiveness indicator of the visible measures, for the report to the NUC."""
    from partnership.anp.models import MeasureIndicator

    return (
        MeasureIndicator.objects.filter(
            measure__in=measures_for(user=user, programme=programme).values("pk")
        )
        .select_related("measure__chapter")
        .order_by("measure__chapter__number", "measure__code", "id")
    )
