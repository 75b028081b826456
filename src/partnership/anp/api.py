"""API of the ANP: the same services and selectors as the pages, the same rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from partnership.anp import report, selectors, services, spreadsheets
from partnership.anp.models import AnnualProgramme, Goal, Measure
from partnership.background.api import ErrorOut, JobOut, import_refused
from partnership.core.auth import READ, WRITE, reader
from partnership.core.exceptions import ApplicationError
from partnership.core.models import localized
from partnership.core.selectors import organizations_by_slug, shown_all

router = Router(tags=["anp"])


class AnnualProgrammeOut(Schema):
    year: int
    status: str
    marking: str
    previous: int | None

    @staticmethod
    def resolve_previous(obj: Any) -> int | None:
        return obj.previous.year if obj.previous_id else None


class IndicatorIn(Schema):
    name_en: str = Field(..., min_length=1, max_length=255)
    name_uk: str = ""
    unit: str = ""
    baseline: Decimal = Decimal(0)
    target: Decimal


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    actual: Decimal | None

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return localized(obj, "name")


class MeasureIn(Schema):
    chapter: int = Field(..., ge=1, le=5)
    goal_code: str = Field(..., min_length=1, max_length=16)
    goal_en: str = ""
    code: str = Field(..., min_length=1, max_length=20)
    text_en: str = Field(..., min_length=1)
    text_uk: str = ""
    agency: str = Field(..., description="the organization key of the responsible agency")
    co_executors: list[str] = []
    deadline: str = Field(..., description="EDTF (2015-35 is Q3 2015) or as written: Q3 2015")
    indicators: list[IndicatorIn] = []
    marking: str = "PARTNERSHIP"
    releasable_to: list[str] = []
    decisions: list[str] = Field([], description="references of the NUC decisions it serves")
    partnership_goals: list[str] = Field([], description="codes of PARP Partnership Goals")
    projects: list[str] = Field([], description="keys of the trust-fund projects it serves")


class LinksIn(Schema):
    decisions: list[str] | None = None
    partnership_goals: list[str] | None = None
    projects: list[str] | None = None


class MeasureOut(Schema):
    id: int
    year: int
    chapter: int
    goal: str
    code: str
    text: str
    agency: str
    deadline: str
    deadline_display: str
    status: str
    marking: str
    withdrawn: bool

    @staticmethod
    def resolve_year(obj: Any) -> int:
        return int(obj.programme.year)

    @staticmethod
    def resolve_chapter(obj: Any) -> int:
        return int(obj.chapter.number)

    @staticmethod
    def resolve_goal(obj: Any) -> str:
        return str(obj.goal.code)

    @staticmethod
    def resolve_text(obj: Any) -> str:
        return localized(obj, "text")

    @staticmethod
    def resolve_agency(obj: Any) -> str:
        return str(obj.agency.slug)


class MeasureDetailOut(MeasureOut):
    co_executors: list[str]
    indicators: list[IndicatorOut]
    decisions: list[str]
    partnership_goals: list[str]
    projects: list[str]

    @staticmethod
    def resolve_decisions(obj: Any, context: Any) -> list[str]:
        return [d.reference or str(d.pk) for d in shown_all(reader(context), obj.decisions.all())]

    @staticmethod
    def resolve_partnership_goals(obj: Any, context: Any) -> list[str]:
        return [g.code for g in shown_all(reader(context), obj.partnership_goals.all())]

    @staticmethod
    def resolve_projects(obj: Any, context: Any) -> list[str]:
        return [p.slug for p in shown_all(reader(context), obj.projects.all())]

    @staticmethod
    def resolve_co_executors(obj: Any) -> list[str]:
        return [o.slug for o in obj.co_executors.all()]

    @staticmethod
    def resolve_indicators(obj: Any) -> list[Any]:
        return list(obj.indicators.all())


class MeasureChangeIn(Schema):
    """What changes; a field left out stays as it is."""

    text_en: str | None = None
    text_uk: str | None = None
    goal: str | None = Field(None, description="the code of a goal of the same programme")
    agency: str | None = Field(None, description="the organization key of the agency")
    co_executors: list[str] | None = None
    deadline: str | None = Field(None, description="as written (Q3 2015, IV квартал 2026) or EDTF")


class MeasureUpdateIn(MeasureChangeIn):
    indicators: list[IndicatorIn] | None = Field(None, description="replaces all indicators")


class IndicatorAmendIn(IndicatorIn):
    id: int | None = Field(None, description="an indicator of the measure; null adds one")


class AmendmentIn(MeasureChangeIn):
    reason: str
    indicators: list[IndicatorAmendIn] | None = Field(
        None,
        description="the measure's indicators after the amendment; one left out is removed "
        "(refused if values were reported on it)",
    )


class WithdrawIn(Schema):
    reason: str


class ReportIn(Schema):
    quarter: int
    status: str
    progress_en: str = ""
    progress_uk: str = ""
    actuals: dict[int, Decimal] = {}
    evidence: list[tuple[str, str]] = []


class ReportCorrectIn(Schema):
    reason: str
    status: str
    progress_en: str = ""
    progress_uk: str = ""
    actuals: dict[int, Decimal] = {}


class ReportOut(Schema):
    id: int
    measure: int
    year: int
    quarter: int
    status: str
    progress_en: str
    progress_uk: str
    late: bool
    due: dt.date
    submitted_at: dt.datetime
    corrected_at: dt.datetime | None
    correction_reason: str
    withdrawn: bool
    withdrawal_reason: str

    @staticmethod
    def resolve_measure(obj: Any) -> int:
        return int(obj.measure_id)


class AssessmentIn(Schema):
    rating: int
    comment: str = ""
    recommendations: str = ""
    measure: int | None = None


class AssessmentOut(Schema):
    chapter: int
    measure: str | None
    organization: str
    rating: int
    comment: str
    recommendations: str

    @staticmethod
    def resolve_chapter(obj: Any) -> int:
        return int(obj.chapter.number)

    @staticmethod
    def resolve_measure(obj: Any) -> str | None:
        return obj.measure.code if obj.measure_id else None

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization.slug)


class ShareOut(Schema):
    status: str
    count: int
    share: float


class ChapterOut(Schema):
    chapter: int
    title: str
    total: int
    shares: list[ShareOut]
    government_score: float | None
    allied_rating: float | None
    disagree: bool


class CopyIn(Schema):
    year: int


def _links(request: HttpRequest, payload: Any) -> dict[str, Any]:
    return selectors.measure_links(
        user=request.user,
        decisions=payload.decisions,
        partnership_goals=payload.partnership_goals,
        projects=payload.projects,
    )


def _programme(request: HttpRequest, year: int) -> AnnualProgramme:
    return selectors.programme_or_404(user=request.user, year=year)


def _measure(request: HttpRequest, pk: int) -> Measure:
    return selectors.measure_or_404(user=request.user, pk=pk)


def _deadline(text: str) -> str:
    try:
        return spreadsheets.deadline_edtf(text)
    except spreadsheets.DeadlineError:
        raise ApplicationError(
            spreadsheets.MSG_DEADLINE % {"value": text}, field="deadline"
        ) from None


def _goal(measure: Measure, code: str) -> Goal:
    goal = Goal.objects.filter(chapter__programme_id=measure.programme_id, code=code).first()
    if goal is None:
        raise ApplicationError(
            services.MSG_GOAL_OF_PROGRAMME % {"code": code, "year": measure.programme.year},
            field="goal",
        )
    return goal


def _content_changes(measure: Measure, payload: Any) -> dict[str, Any]:
    """A change's fields as the services take them: organizations, goal and deadline looked
    up from the keys and text people write."""
    changes: dict[str, Any] = {
        k: v for k, v in payload.dict(exclude={"reason", "indicators"}).items() if v is not None
    }
    slugs = [changes["agency"]] if "agency" in changes else []
    orgs = organizations_by_slug([*slugs, *changes.get("co_executors", [])], field="agency")
    if "agency" in changes:
        changes["agency"] = orgs[changes["agency"]]
    if "co_executors" in changes:
        changes["co_executors"] = [orgs[s] for s in changes["co_executors"]]
    if "goal" in changes:
        changes["goal"] = _goal(measure, changes["goal"])
    if "deadline" in changes:
        changes["deadline"] = _deadline(changes["deadline"])
    return changes


@router.get("/anp", response=list[AnnualProgrammeOut], auth=READ)
def programmes(request: HttpRequest) -> Any:
    return selectors.programme_list(user=request.user).select_related("previous")


@router.post("/anp", response={201: AnnualProgrammeOut}, auth=WRITE)
def programme_create(request: HttpRequest, payload: CopyIn) -> Any:
    return Status(201, services.programme_create(by=request.user, year=payload.year))  # type: ignore[arg-type]


@router.get("/anp/{year}", response=list[ChapterOut], auth=READ)
def programme_chapters(request: HttpRequest, year: int) -> Any:
    return [
        {**row, "chapter": row["chapter"].number, "title": row["chapter"].title}
        for row in selectors.chapter_summary(user=request.user, programme=_programme(request, year))
    ]


@router.get("/anp/{year}/summary", response=list[ChapterOut], auth=READ)
def programme_summary(request: HttpRequest, year: int, period: str = "annual") -> Any:
    """The half-year (`period=half-year`) or annual summary from the quarterly reports."""
    last = 2 if period == "half-year" else 4
    rows = selectors.period_summary(
        user=request.user, programme=_programme(request, year), last_quarter=last
    )
    return [
        {**row, "chapter": row["chapter"].number, "title": row["chapter"].title,
         "government_score": None, "allied_rating": None, "disagree": False}
        for row in rows
    ]  # fmt: skip


@router.post("/anp/{year}/transitions/{action}", response=AnnualProgrammeOut, auth=WRITE)
def programme_transition(request: HttpRequest, year: int, action: str) -> Any:
    """`submit` (coordinator), `approve` or `return` (approver)."""
    if action not in services.TRANSITIONS:
        raise Http404
    step = services.TRANSITIONS[action]
    return step(by=request.user, programme=_programme(request, year))


@router.post("/anp/{year}/copy-to", response={201: AnnualProgrammeOut}, auth=WRITE)
def programme_copy(request: HttpRequest, year: int, payload: CopyIn) -> Any:
    user: Any = request.user
    copied = services.programme_copy(by=user, source=_programme(request, year), year=payload.year)
    return Status(201, copied)


@router.get("/anp/{year}/measures", response=list[MeasureOut], auth=READ)
def measures(
    request: HttpRequest,
    year: int,
    chapter: int | None = None,
    agency: str | None = None,
    status: str | None = None,
    marking: str | None = None,
    deadline_from: dt.date | None = None,
    deadline_to: dt.date | None = None,
    offset: int = 0,
    limit: int = 100,
) -> Any:
    agency_id = None
    if agency:
        agency_id = organizations_by_slug([agency], field="agency")[agency].pk
    filters = selectors.MeasureFilter(
        chapter=chapter, agency=agency_id, status=status, marking=marking,
        deadline_from=deadline_from, deadline_to=deadline_to,
    )  # fmt: skip
    queryset = selectors.measure_list(
        user=request.user, programme=_programme(request, year), filters=filters
    ).select_related("programme", "goal")
    limit = max(1, min(limit, 1000))
    return queryset[max(offset, 0) : max(offset, 0) + limit]


@router.post("/anp/{year}/measures", response={201: MeasureDetailOut}, auth=WRITE)
def measure_create(request: HttpRequest, year: int, payload: MeasureIn) -> Any:
    orgs = organizations_by_slug([payload.agency, *payload.co_executors], field="agency")
    deadline = _deadline(payload.deadline)
    data = services.MeasureData(
        chapter=payload.chapter, goal_code=payload.goal_code,
        goal_en=payload.goal_en or payload.goal_code, code=payload.code, text_en=payload.text_en,
        text_uk=payload.text_uk, agency=orgs[payload.agency], deadline=deadline,
        co_executors=[orgs[s] for s in payload.co_executors],
        indicators=[services.IndicatorData(**i.dict()) for i in payload.indicators],
        marking=payload.marking, nations=payload.releasable_to, **_links(request, payload),
    )  # fmt: skip
    measure = services.measure_create(
        by=request.user,  # type: ignore[arg-type]
        programme=_programme(request, year),
        data=data,
    )
    return Status(201, measure)


@router.get("/anp/measures/{pk}", response=MeasureDetailOut, auth=READ)
def measure_detail(request: HttpRequest, pk: int) -> Any:
    return _measure(request, pk)


@router.patch("/anp/measures/{pk}", response=MeasureDetailOut, auth=WRITE)
def measure_update(request: HttpRequest, pk: int, payload: MeasureUpdateIn) -> Any:
    """Changes a measure of a draft programme; an approved one changes by amendment."""
    measure = _measure(request, pk)
    changes = _content_changes(measure, payload)
    if payload.indicators is not None:
        changes["indicators"] = [services.IndicatorData(**i.dict()) for i in payload.indicators]
    services.measure_update(by=request.user, measure=measure, **changes)  # type: ignore[arg-type]
    return _measure(request, pk)


@router.post("/anp/measures/{pk}/withdraw", response=MeasureDetailOut, auth=WRITE)
def measure_withdraw(request: HttpRequest, pk: int, payload: WithdrawIn) -> Any:
    """Withdraws the measure with a reason; it stays, with its history, and stops counting."""
    measure = _measure(request, pk)
    services.measure_withdraw(by=request.user, measure=measure, reason=payload.reason)  # type: ignore[arg-type]
    return _measure(request, pk)


@router.put("/anp/measures/{pk}/links", response=MeasureDetailOut, auth=WRITE)
def measure_links(request: HttpRequest, pk: int, payload: LinksIn) -> Any:
    """The NUC decisions, Partnership Goals and trust-fund projects the measure serves; a list
    left out stays as it is."""
    measure = _measure(request, pk)
    services.measure_links_set(by=request.user, measure=measure, **_links(request, payload))  # type: ignore[arg-type]
    return _measure(request, pk)


@router.post("/anp/measures/{pk}/amendments", response=MeasureDetailOut, auth=WRITE)
def measure_amend(request: HttpRequest, pk: int, payload: AmendmentIn) -> Any:
    measure = _measure(request, pk)
    changes = _content_changes(measure, payload)
    if payload.indicators is not None:
        changes["indicators"] = [services.IndicatorData(**i.dict()) for i in payload.indicators]
    services.measure_amend(by=request.user, measure=measure, reason=payload.reason, **changes)  # type: ignore[arg-type]
    return _measure(request, pk)


@router.get("/anp/measures/{pk}/reports", response=list[ReportOut], auth=READ)
def measure_reports(request: HttpRequest, pk: int) -> Any:
    return selectors.measure_reports(measure=_measure(request, pk))


@router.post("/anp/measures/{pk}/reports", response={201: ReportOut}, auth=WRITE)
def report_submit(request: HttpRequest, pk: int, payload: ReportIn) -> Any:
    measure = _measure(request, pk)
    saved = services.report_submit(
        by=request.user,  # type: ignore[arg-type]
        measure=measure, year=measure.programme.year, quarter=payload.quarter,
        status=payload.status, progress_en=payload.progress_en, progress_uk=payload.progress_uk,
        actuals=payload.actuals, evidence=payload.evidence, now=timezone.now(),
    )  # fmt: skip
    return Status(201, saved)


@router.patch("/anp/reports/{pk}", response=ReportOut, auth=WRITE)
def report_correct(request: HttpRequest, pk: int, payload: ReportCorrectIn) -> Any:
    """Corrects a report the caller's agency filed, with a reason (kept in its history), until
    the Allies assess the measure or its chapter."""
    return services.report_correct(
        by=request.user,  # type: ignore[arg-type]
        report=selectors.report_or_404(user=request.user, pk=pk), reason=payload.reason,
        status=payload.status, progress_en=payload.progress_en, progress_uk=payload.progress_uk,
        actuals=payload.actuals,
    )  # fmt: skip


@router.post("/anp/reports/{pk}/withdraw", response=ReportOut, auth=WRITE)
def report_withdraw(request: HttpRequest, pk: int, payload: WithdrawIn) -> Any:
    """Withdraws a report the caller's agency filed, with a reason: it stays, marked, and
    counts nowhere; the quarter may be reported on again."""
    return services.report_withdraw(
        by=request.user,  # type: ignore[arg-type]
        report=selectors.report_or_404(user=request.user, pk=pk),
        reason=payload.reason,
    )


@router.get("/anp/{year}/assessments", response=list[AssessmentOut], auth=READ)
def assessments(request: HttpRequest, year: int) -> Any:
    return selectors.assessments_for(user=request.user, programme=_programme(request, year))


@router.post("/anp/{year}/chapters/{number}/assessments", response={201: AssessmentOut}, auth=WRITE)
def assessment_record(request: HttpRequest, year: int, number: int, payload: AssessmentIn) -> Any:
    programme = _programme(request, year)
    chapter = programme.chapters.filter(number=number).first()
    if chapter is None:
        raise Http404
    measure = _measure(request, payload.measure) if payload.measure else None
    saved = services.assessment_record(
        by=request.user,  # type: ignore[arg-type]
        chapter=chapter, measure=measure, rating=payload.rating, comment=payload.comment,
        recommendations=payload.recommendations,
    )  # fmt: skip
    return Status(201, saved)


@router.post("/anp/{year}/import", response={202: JobOut, 413: ErrorOut}, auth=WRITE)
def import_workbook(
    request: HttpRequest, year: int, file: File[UploadedFile], dry_run: Form[bool] = False
) -> Any:
    """Sends an XLSX workbook to be imported as the year's draft by the worker; follow it at
    `/api/jobs/{id}`: every row error (row, column, reason) with nothing saved, or every
    measure saved (`dry_run`: checked only). Who may import is checked before the file is
    looked at, its size and type before it is kept."""
    from partnership.background import services as background

    try:
        job = background.import_start(
            by=request.user,  # type: ignore[arg-type]
            kind="anp_import", upload=file, params={"year": year, "check": dry_run},
        )  # fmt: skip
    except ApplicationError as exc:
        return import_refused(exc)
    return Status(202, job)


@router.get("/anp/{year}/report", auth=READ)
def nuc_report(request: HttpRequest, year: int, language: str = "en", format: str = "pdf") -> Any:
    """The assessment report to the NUC as `pdf` or `html`, in `en` or `uk`."""
    programme = _programme(request, year)
    lang = "uk" if language == "uk" else "en"
    if format == "html":
        return HttpResponse(
            report.render_html(user=request.user, programme=programme, language=lang)
        )
    pdf = report.render_pdf(user=request.user, programme=programme, language=lang)
    return HttpResponse(pdf, content_type="application/pdf")


@router.get("/anp/{year}/export", auth=READ)
def export(request: HttpRequest, year: int, kind: str = "measures", language: str = "en") -> Any:
    """The measures (`kind=measures`, the import layout) or the quarterly status table."""
    programme = _programme(request, year)
    if kind not in spreadsheets.EXPORTS:
        raise Http404
    data = spreadsheets.export(
        kind,
        programme,
        selectors.export_rows(user=request.user, programme=programme),
        language="uk" if language == "uk" else "en",
    )
    return HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
