"""API of the trust funds: funds, projects, money, results, donor reports and IATI."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from partnership.background.api import ErrorOut, JobOut, import_refused
from partnership.core.auth import READ, WRITE, reader
from partnership.core.exceptions import ApplicationError
from partnership.core.models import localized
from partnership.core.selectors import organizations_by_slug, shown_key
from partnership.trustfunds import iati, report, selectors, services
from partnership.trustfunds.models import Project

router = Router(tags=["trust funds"])


class FundOut(Schema):
    slug: str
    name: str
    area: str
    established: str
    status: str
    executing_agent: str | None
    lead_nations: list[str]
    lead_nations_demo: bool = Field(
        ..., description="The lead nations are generated demo data, not a fact of the partnership"
    )
    marking: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return localized(obj, "name")

    @staticmethod
    def resolve_area(obj: Any) -> str:
        return localized(obj, "area")

    @staticmethod
    def resolve_executing_agent(obj: Any) -> str | None:
        return obj.executing_agent.slug if obj.executing_agent_id else None

    @staticmethod
    def resolve_lead_nations(obj: Any) -> list[str]:
        return [o.slug for o in obj.lead_nations.all()]


class TotalsOut(Schema):
    pledged: Decimal
    committed: Decimal
    received: Decimal
    disbursed: Decimal
    spent: Decimal
    balance: Decimal
    outstanding: Decimal
    demo: bool = Field(..., description="The totals include generated demo transactions")

    @staticmethod
    def resolve_demo(obj: Any) -> bool:
        count = obj.get("demo") if isinstance(obj, dict) else getattr(obj, "demo", 0)
        return bool(count)


class ProjectOut(Schema):
    slug: str
    fund: str
    iati_identifier: str
    title: str
    status: str
    period: str
    budget_eur: Decimal
    marking: str

    @staticmethod
    def resolve_fund(obj: Any) -> str:
        return str(obj.fund.slug)

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return localized(obj, "title")


class ProjectDetailOut(ProjectOut):
    totals: TotalsOut


class TransactionIn(Schema):
    kind: str
    date: dt.date
    organization: str = Field(..., description="the organization key of the donor or receiver")
    currency: str = Field(..., min_length=3, max_length=3)
    amount: Decimal
    description: str = ""
    phase: int | None = None
    confirm_above_pledge: bool = Field(
        False, description="true to record a commitment above what the donor pledged (flagged)"
    )


class VoidIn(Schema):
    reason: str = Field(..., description="why the transaction is voided")


class MeasurementIn(Schema):
    indicator: int = Field(..., description="the indicator's id (see …/results)")
    period: str = Field(
        ...,
        description="the period measured, as people write it (2024, Q3 2024, June 2024) or EDTF",
    )
    actual: Decimal
    note: str = ""


class MeasurementOut(Schema):
    id: int
    indicator: int = Field(..., alias="indicator_id")
    period: str
    actual: Decimal
    note: str
    withdrawn: bool = Field(..., description="withdrawn: kept, counted nowhere")
    withdrawal_reason: str


class MeasurementWithdrawIn(Schema):
    reason: str = Field(..., description="why the result is withdrawn")


class TransactionOut(Schema):
    id: int
    kind: str
    date: dt.date
    organization: str
    currency: str
    amount: Decimal
    rate: Decimal
    amount_eur: Decimal
    description: str
    demo: bool = Field(..., description="A generated demo transaction, not a real one")
    reverses: int | None = Field(
        None, alias="reverses_id", description="the transaction this reversing entry voids"
    )
    void_reason: str = Field("", description="why it was voided (on the reversing entry)")
    above_pledge: bool = Field(
        False, description="a commitment above the donor's pledge, recorded on confirmation"
    )

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization.slug)


class RateIn(Schema):
    currency: str
    date: dt.date
    eur_per_unit: Decimal
    source: str = ""


class ResultOut(Schema):
    id: int = Field(..., description="the indicator's id, to record a measurement")
    indicator: str
    unit: str
    baseline: Decimal
    target: Decimal | None
    actual: Decimal | None
    rate_per_year: Decimal | None
    forecast_reached: dt.date | None


def _project(request: HttpRequest, slug: str) -> Project:
    found = selectors.project_get(user=request.user, slug=slug)
    if found is None:
        raise Http404
    return found


@router.get("/trust-funds", response=list[FundOut], auth=READ)
def funds(request: HttpRequest) -> Any:
    return selectors.fund_list(user=request.user).prefetch_related("lead_nations")


@router.get("/trust-funds/projects", response=list[ProjectOut], auth=READ)
def projects(request: HttpRequest, fund: str | None = None) -> Any:
    found = selectors.fund_get(user=request.user, slug=fund) if fund else None
    if fund and found is None:
        raise Http404
    return selectors.project_list(user=request.user, fund=found)


@router.get("/trust-funds/projects/{slug}", response=ProjectDetailOut, auth=READ)
def project(request: HttpRequest, slug: str) -> Any:
    p = _project(request, slug)
    p.totals = selectors.project_totals(user=request.user, project=p)  # type: ignore[attr-defined]
    return p


@router.get("/trust-funds/projects/{slug}/transactions", response=list[TransactionOut], auth=READ)
def transactions(request: HttpRequest, slug: str, offset: int = 0, limit: int = 200) -> Any:
    rows = selectors.transactions_for(user=request.user, project=_project(request, slug))
    return rows[max(offset, 0) : max(offset, 0) + max(1, min(limit, 1000))]


@router.post(
    "/trust-funds/projects/{slug}/transactions", response={201: TransactionOut}, auth=WRITE
)
def transaction_create(request: HttpRequest, slug: str, payload: TransactionIn) -> Any:
    p = _project(request, slug)
    org = organizations_by_slug([payload.organization], field="organization")[payload.organization]
    phase = p.phases.filter(number=payload.phase).first() if payload.phase else None
    saved = services.transaction_record(
        by=request.user,  # type: ignore[arg-type]
        project=p, kind=payload.kind, date=payload.date, organization=org,
        currency=payload.currency, amount=payload.amount, description=payload.description,
        phase=phase, confirm_above_pledge=payload.confirm_above_pledge,
    )  # fmt: skip
    return Status(201, saved)


@router.post("/trust-funds/transactions/{pk}/void", response={201: TransactionOut}, auth=WRITE)
def transaction_void(request: HttpRequest, pk: int, payload: VoidIn) -> Any:
    """Voids a wrong transaction by a reversing entry (returned); money is never deleted."""
    found = selectors.transaction_get(user=request.user, pk=pk)
    if found is None:
        raise Http404
    reversal = services.transaction_void(by=request.user, transaction=found, reason=payload.reason)  # type: ignore[arg-type]
    return Status(201, reversal)


@router.post("/trust-funds/projects/{slug}/results", response={201: MeasurementOut}, auth=WRITE)
def measurement_create(request: HttpRequest, slug: str, payload: MeasurementIn) -> Any:
    """The actual value of one of the project's indicators for a period (a second value for
    the same period corrects the first)."""
    p = _project(request, slug)
    indicator = (
        selectors.indicators_for(user=request.user, project=p).filter(pk=payload.indicator).first()
    )
    if indicator is None:
        raise ApplicationError(
            _("“%(value)s” is not an indicator of this project.") % {"value": payload.indicator},
            field="indicator",
        )
    saved = services.measurement_record(
        by=request.user,  # type: ignore[arg-type]
        indicator=indicator, period=payload.period, actual=payload.actual, note=payload.note,
    )  # fmt: skip
    return Status(201, saved)


@router.post(
    "/trust-funds/projects/{slug}/results/{int:pk}/withdraw", response=MeasurementOut, auth=WRITE
)
def measurement_withdraw(
    request: HttpRequest, slug: str, pk: int, payload: MeasurementWithdrawIn
) -> Any:
    """Withdraws a wrong result with a reason: it stays (and in the history), counted nowhere."""
    found = selectors.measurement_get(user=request.user, project=_project(request, slug), pk=pk)
    if found is None:
        raise Http404
    return services.measurement_withdraw(by=request.user, measurement=found, reason=payload.reason)  # type: ignore[arg-type]


@router.post("/trust-funds/rates", response={201: RateIn}, auth=WRITE)
def rate_create(request: HttpRequest, payload: RateIn) -> Any:
    """A rate for every fund's books: the trust funds' finance roles only (`can_record_rates`)."""
    return Status(201, services.rate_record(by=request.user, **payload.dict()))  # type: ignore[arg-type]


@router.get("/trust-funds/projects/{slug}/results", response=list[ResultOut], auth=READ)
def results(request: HttpRequest, slug: str) -> Any:
    return [
        {
            "id": r["indicator"].pk,
            "indicator": localized(r["indicator"], "name"), "unit": r["indicator"].unit,
            "baseline": r["indicator"].baseline, "target": r["indicator"].target,
            "actual": r["actual"], "rate_per_year": r["rate_per_year"],
            "forecast_reached": r["eta"],
        }
        for r in selectors.results(user=request.user, project=_project(request, slug))
    ]  # fmt: skip


@router.get("/trust-funds/projects/{slug}/donor-report", auth=READ)
def donor_report(request: HttpRequest, slug: str, language: str = "en", format: str = "pdf") -> Any:
    """The donor report as `pdf` or `html`, in `en` or `uk`."""
    p = _project(request, slug)
    lang = "uk" if language == "uk" else "en"
    if format == "html":
        return HttpResponse(report.render_html(user=request.user, project=p, language=lang))
    return HttpResponse(
        report.render_pdf(user=request.user, project=p, language=lang),
        content_type="application/pdf",
    )


@router.get("/trust-funds/iati", auth=READ)
def iati_export(request: HttpRequest, project: str | None = None) -> Any:
    """Every project the caller may see (or one) as IATI 2.03 activity XML, schema-valid."""
    rows = [_project(request, project)] if project else list(iati.export_queryset(request.user))
    return HttpResponse(
        iati.export(user=request.user, projects=rows), content_type="application/xml"
    )


@router.post("/trust-funds/{fund}/iati", response={202: JobOut, 413: ErrorOut}, auth=WRITE)
def iati_import(
    request: HttpRequest, fund: str, file: File[UploadedFile], dry_run: Form[bool] = False
) -> Any:
    """Sends a donor's IATI 2.03 file to be imported into the fund by the worker; follow it at
    `/api/jobs/{id}`: schema, codelist and money-rule errors with nothing saved, or every
    activity recorded as a project (`dry_run`: checked only)."""
    from partnership.background import services as background

    if selectors.fund_get(user=request.user, slug=fund) is None:
        raise Http404
    try:
        job = background.import_start(
            by=request.user,  # type: ignore[arg-type]
            kind="iati_import", upload=file, params={"fund": fund, "check": dry_run},
        )  # fmt: skip
    except ApplicationError as exc:
        return import_refused(exc)
    return Status(202, job)


class StatusIn(Schema):
    status: str
    confirm: bool = Field(
        False, description="closing is not undone: true to close a fund with what it still holds"
    )


class AgreementIn(Schema):
    kind: str = Field(..., description="mou, implementing, executing_agent or financial")
    parties: list[str]
    signed: str = Field("", description="EDTF date")
    agreement: str | None = Field(None, description="key of the framework's agreement record")


class ProjectAgreementOut(Schema):
    kind: str
    parties: list[str]
    signed: str
    agreement: str | None

    @staticmethod
    def resolve_parties(obj: Any) -> list[str]:
        return [o.slug for o in obj.parties.all()]

    @staticmethod
    def resolve_agreement(obj: Any, context: Any) -> str | None:
        return shown_key(reader(context), obj.agreement, "slug")  # type: ignore[no-any-return]


@router.post("/trust-funds/{slug}/status", response=FundOut, auth=WRITE)
def fund_status(request: HttpRequest, slug: str, payload: StatusIn) -> Any:
    """The fund's next step: approved (by a NATO approver), implementation, closed."""
    fund = selectors.fund_get(user=request.user, slug=slug)
    if fund is None:
        raise Http404
    return services.fund_status_advance(
        by=request.user,  # type: ignore[arg-type]
        fund=fund, status=payload.status, confirm=payload.confirm,
    )  # fmt: skip


@router.get(
    "/trust-funds/projects/{slug}/agreements", response=list[ProjectAgreementOut], auth=READ
)
def agreements(request: HttpRequest, slug: str) -> Any:
    return (
        _project(request, slug).agreements.prefetch_related("parties").select_related("agreement")
    )


@router.post(
    "/trust-funds/projects/{slug}/agreements", response={201: ProjectAgreementOut}, auth=WRITE
)
def agreement_create(request: HttpRequest, slug: str, payload: AgreementIn) -> Any:
    from partnership.core.exceptions import ApplicationError
    from partnership.core.selectors import visible_to
    from partnership.framework.models import Agreement

    project = _project(request, slug)
    orgs = organizations_by_slug(payload.parties, field="parties")
    framework = None
    if payload.agreement:
        framework = visible_to(
            request.user, Agreement.objects.filter(slug=payload.agreement)
        ).first()
        if framework is None:
            raise ApplicationError(
                _("“%(value)s” is not a known agreement.") % {"value": payload.agreement},
                field="agreement",
            )
    saved = services.agreement_record(
        by=request.user,  # type: ignore[arg-type]
        project=project, kind=payload.kind, parties=[orgs[s] for s in payload.parties],
        signed=payload.signed, agreement=framework,
    )  # fmt: skip
    return Status(201, saved)


@router.get("/trust-funds/{slug}/donor-report", auth=READ)
def fund_report(
    request: HttpRequest,
    slug: str,
    start: dt.date | None = None,
    end: dt.date | None = None,
    language: str = "en",
    format: str = "pdf",
) -> Any:
    """The donor report of a fund for a period (`start`, `end`), as `pdf` or `html`."""
    fund = selectors.fund_get(user=request.user, slug=slug)
    if fund is None:
        raise Http404
    period = selectors.Period(start, end)
    lang = "uk" if language == "uk" else "en"
    if format == "html":
        return HttpResponse(
            report.render_fund_html(user=request.user, fund=fund, period=period, language=lang)
        )
    return HttpResponse(
        report.render_fund_pdf(user=request.user, fund=fund, period=period, language=lang),
        content_type="application/pdf",
    )
