"""API of the programmes: programmes, events with participation, grants, goals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from partnership.core.auth import READ, WRITE, reader
from partnership.core.models import localized
from partnership.core.selectors import can_see_who_acted, organizations_by_slug
from partnership.programmes import selectors, services

router = Router(tags=["programmes"])


class ProgrammeOut(Schema):
    slug: str
    name: str
    abbreviation: str
    started: str
    description: str
    marking: str

    @staticmethod
    def resolve_description(obj: Any) -> str:
        return localized(obj, "description")


class YearOut(Schema):
    year: int
    people: int
    factor: float | None
    demo: bool = Field(..., description="The count includes generated demo events")
    factor_demo: bool = Field(..., description="The factor is computed from demo counts")


class CountIn(Schema):
    organization: str
    service: str
    sex: str
    rank_group: str
    count: int


class EventIn(Schema):
    kind: str
    title_en: str = Field(..., min_length=1, max_length=255)
    title_uk: str = ""
    date: str
    place_en: str = ""
    participants_total: int = Field(..., ge=0)
    participation: list[CountIn] = []
    marking: str
    releasable_to: list[str] = []


class WithdrawalOut(Schema):
    at: dt.datetime
    by: str | None = Field(None, description="Who withdrew it; null where not shown")
    reason: str


def _withdrawal(obj: Any, context: Any) -> dict[str, Any] | None:
    if obj.withdrawn_at is None:
        return None
    who = obj.withdrawn_by.username if can_see_who_acted(reader(context)) else None
    return {"at": obj.withdrawn_at, "by": who, "reason": obj.withdrawal_reason}


class WithdrawIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)
    confirm: bool = Field(False, description="a withdrawal is kept for good: true to confirm it")


class EventOut(Schema):
    id: int
    programme: str
    kind: str
    title: str
    date: str
    date_display: str
    participants_total: int
    demo: bool
    marking: str
    withdrawn: WithdrawalOut | None = Field(None, description="null unless withdrawn")

    @staticmethod
    def resolve_withdrawn(obj: Any, context: Any) -> dict[str, Any] | None:
        return _withdrawal(obj, context)

    @staticmethod
    def resolve_programme(obj: Any) -> str:
        return str(obj.programme.slug)

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return localized(obj, "title")


class CountOut(Schema):
    organization: str
    service: str
    sex: str
    rank_group: str
    count: int

    @staticmethod
    def resolve_organization(obj: Any) -> str:
        return str(obj.organization.slug)


class EventDetailOut(EventOut):
    title_en: str
    title_uk: str
    place_en: str
    releasable_to: list[str]
    participation: list[CountOut]

    @staticmethod
    def resolve_releasable_to(obj: Any) -> list[str]:
        return obj.releasable_codes

    @staticmethod
    def resolve_participation(obj: Any) -> list[Any]:
        return list(selectors.event_participation(event=obj))


class GrantOut(Schema):
    reference: str
    title: str
    topic: str
    status: str
    beneficiary: str
    ceiling_eur: Decimal
    awarded_eur: Decimal | None
    period: str
    demo: bool
    withdrawn: WithdrawalOut | None = Field(None, description="null unless withdrawn")

    @staticmethod
    def resolve_withdrawn(obj: Any, context: Any) -> dict[str, Any] | None:
        return _withdrawal(obj, context)

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return localized(obj, "title")

    @staticmethod
    def resolve_beneficiary(obj: Any) -> str:
        return str(obj.beneficiary.slug)


class BeneficiaryOut(Schema):
    beneficiary: str
    grants: int
    eur: Decimal
    demo: bool = Field(..., description="The total counts generated demo grants")


def _programme(request: HttpRequest, slug: str) -> Any:
    found = selectors.programme_get(user=request.user, slug=slug)
    if found is None:
        raise Http404
    return found


@router.get("/programmes", response=list[ProgrammeOut], auth=READ)
def programmes(request: HttpRequest) -> Any:
    return selectors.programme_list(user=request.user)


@router.get("/programmes/{slug}/participation-by-year", response=list[YearOut], auth=READ)
def participation_by_year(request: HttpRequest, slug: str) -> Any:
    return selectors.participation_by_year(user=request.user, programme=_programme(request, slug))


@router.get("/programmes/{slug}/events", response=list[EventOut], auth=READ)
def events(request: HttpRequest, slug: str) -> Any:
    return selectors.event_list(user=request.user, programme=_programme(request, slug))


def _event_values(payload: EventIn) -> dict[str, Any]:
    """The service's arguments from an event's JSON, its table's organizations by key."""
    orgs = organizations_by_slug(
        [c.organization for c in payload.participation], field="participation"
    )
    counts = [
        services.Count(orgs[line.organization], line.service, line.sex, line.rank_group,
                       line.count)
        for line in payload.participation
    ]  # fmt: skip
    return {
        "kind": payload.kind, "title_en": payload.title_en, "title_uk": payload.title_uk,
        "date": payload.date, "place_en": payload.place_en,
        "participants_total": payload.participants_total, "counts": counts,
        "marking": payload.marking, "nations": payload.releasable_to,
    }  # fmt: skip


def _event(request: HttpRequest, slug: str, pk: int) -> Any:
    found = selectors.event_get(user=request.user, programme=_programme(request, slug), pk=pk)
    if found is None:
        raise Http404
    return found


@router.post("/programmes/{slug}/events", response={201: EventDetailOut}, auth=WRITE)
def event_create(request: HttpRequest, slug: str, payload: EventIn) -> Any:
    programme = _programme(request, slug)
    event = services.event_record(
        by=request.user,  # type: ignore[arg-type]
        programme=programme,
        **_event_values(payload),
    )
    return Status(201, event)


@router.get("/programmes/{slug}/events/{pk}", response=EventDetailOut, auth=READ)
def event_detail(request: HttpRequest, slug: str, pk: int) -> Any:
    """One event with its table; a withdrawn one only for the programme's managers."""
    return _event(request, slug, pk)


@router.put("/programmes/{slug}/events/{pk}", response=EventDetailOut, auth=WRITE)
def event_update(request: HttpRequest, slug: str, pk: int, payload: EventIn) -> Any:
    """The whole event again, its participation table replacing the one kept."""
    return services.event_update(
        by=request.user,  # type: ignore[arg-type]
        event=_event(request, slug, pk),
        **_event_values(payload),
    )


@router.post("/programmes/{slug}/events/{pk}/withdraw", response=EventDetailOut, auth=WRITE)
def event_withdraw(request: HttpRequest, slug: str, pk: int, payload: WithdrawIn) -> Any:
    return services.event_withdraw(
        by=request.user,  # type: ignore[arg-type]
        event=_event(request, slug, pk),
        reason=payload.reason,
        confirm=payload.confirm,
    )


@router.get("/grants", response=list[GrantOut], auth=READ)
def grants(request: HttpRequest) -> Any:
    return selectors.grant_list(user=request.user)


@router.get("/grants/by-beneficiary", response=list[BeneficiaryOut], auth=READ)
def grants_by_beneficiary(request: HttpRequest) -> Any:
    return selectors.grants_by_beneficiary(user=request.user)


class GoalAssessmentOut(Schema):
    year: int
    progress: int


class GoalOut(Schema):
    code: str
    title: str
    cycle: int
    status: str
    marking: str
    assessments: list[GoalAssessmentOut]
    anp_measures: list[int] = Field(..., description="ids of the ANP measures serving the goal")
    projects: list[str] = Field(..., description="keys of the trust-fund projects serving it")

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return localized(obj, "title")

    @staticmethod
    def resolve_assessments(obj: Any) -> list[Any]:
        return list(obj.visible_assessments)

    @staticmethod
    def resolve_anp_measures(obj: Any) -> list[int]:
        return [m.pk for m in obj.visible_measures]

    @staticmethod
    def resolve_projects(obj: Any) -> list[str]:
        return [p.slug for p in obj.visible_projects]


class IntegrityStepOut(Schema):
    kind: str
    date: str
    partner: str
    summary: str
    marking: str
    releasable_to: list[str]

    @staticmethod
    def resolve_partner(obj: Any) -> str:
        return str(obj.partner.slug)

    @staticmethod
    def resolve_summary(obj: Any) -> str:
        return localized(obj, "summary")

    @staticmethod
    def resolve_releasable_to(obj: Any) -> list[str]:
        return obj.releasable_codes


class AssistanceOut(Schema):
    direction: str
    date: str
    description: str
    partners: list[str]

    @staticmethod
    def resolve_description(obj: Any) -> str:
        return localized(obj, "description")

    @staticmethod
    def resolve_partners(obj: Any) -> list[str]:
        return [p.slug for p in obj.partners.all()]


@router.get("/partnership-goals", response=list[GoalOut], auth=READ)
def partnership_goals(request: HttpRequest) -> Any:
    return selectors.goal_list(user=request.user)


@router.get("/programmes/{slug}/integrity-steps", response=list[IntegrityStepOut], auth=READ)
def integrity_steps(request: HttpRequest, slug: str) -> Any:
    return selectors.integrity_steps(user=request.user, programme=_programme(request, slug))


@router.get("/emergency-assistance", response=list[AssistanceOut], auth=READ)
def emergency_assistance(request: HttpRequest) -> Any:
    return selectors.assistance_list(user=request.user)


class SurveyOut(Schema):
    partner: str
    cycle: int
    summary: str
    marking: str

    @staticmethod
    def resolve_partner(obj: Any) -> str:
        return str(obj.partner.slug)

    @staticmethod
    def resolve_summary(obj: Any) -> str:
        return localized(obj, "summary")


@router.get("/parp-surveys", response=list[SurveyOut], auth=READ)
def parp_surveys(request: HttpRequest) -> Any:
    return selectors.survey_list(user=request.user)


class GrantApplicationIn(Schema):
    programme: str = "sps"
    title_en: str = Field(..., min_length=1, max_length=255)
    topic: str
    beneficiary: str
    institutions: list[str] = []
    ceiling_eur: Decimal
    period: str = ""
    summary_en: str = Field(..., min_length=1)
    marking: str = "PARTNERSHIP"


class GrantReviewIn(Schema):
    score: int
    recommendation: str
    comment: str


class GrantDecisionIn(Schema):
    action: str = Field(..., description="start_review, award, reject or complete")
    amount_eur: Decimal | None = None
    confirm: bool = Field(False, description="an award is not undone: true to confirm it")
    note: str = ""
    outputs_en: str = ""


def _grant(request: HttpRequest, reference: str) -> Any:
    found = selectors.grant_list(user=request.user).filter(reference=reference).first()
    if found is None:
        raise Http404
    return found


@router.post("/grants", response={201: GrantOut}, auth=WRITE)
def grant_apply(request: HttpRequest, payload: GrantApplicationIn) -> Any:
    programme = _programme(request, payload.programme)
    orgs = organizations_by_slug([payload.beneficiary, *payload.institutions], field="beneficiary")
    grant = services.grant_apply(
        by=request.user,  # type: ignore[arg-type]
        programme=programme, title_en=payload.title_en, topic=payload.topic,
        beneficiary=orgs[payload.beneficiary], ceiling_eur=payload.ceiling_eur,
        period=payload.period, summary_en=payload.summary_en,
        institutions=[orgs[s] for s in payload.institutions], marking=payload.marking,
    )  # fmt: skip
    return Status(201, grant)


@router.put("/grants/{reference}", response=GrantOut, auth=WRITE)
def grant_update(request: HttpRequest, reference: str, payload: GrantApplicationIn) -> Any:
    """The applicant's corrected application, while no reviewer has recommended and no
    manager decided (its programme stays)."""
    grant = _grant(request, reference)
    orgs = organizations_by_slug([payload.beneficiary, *payload.institutions], field="beneficiary")
    return services.grant_update(
        by=request.user,  # type: ignore[arg-type]
        grant=grant, title_en=payload.title_en, topic=payload.topic,
        beneficiary=orgs[payload.beneficiary], ceiling_eur=payload.ceiling_eur,
        period=payload.period, summary_en=payload.summary_en,
        institutions=[orgs[s] for s in payload.institutions], marking=payload.marking,
    )  # fmt: skip


@router.post("/grants/{reference}/withdraw", response=GrantOut, auth=WRITE)
def grant_withdraw(request: HttpRequest, reference: str, payload: WithdrawIn) -> Any:
    return services.grant_withdraw(
        by=request.user,  # type: ignore[arg-type]
        grant=_grant(request, reference),
        reason=payload.reason,
        confirm=payload.confirm,
    )


@router.post("/grants/{reference}/reviews", response={201: GrantOut}, auth=WRITE)
def grant_review(request: HttpRequest, reference: str, payload: GrantReviewIn) -> Any:
    grant = _grant(request, reference)
    services.grant_review_record(by=request.user, grant=grant, **payload.dict())  # type: ignore[arg-type]
    return Status(201, _grant(request, reference))


@router.post("/grants/{reference}/decision", response=GrantOut, auth=WRITE)
def grant_decision(request: HttpRequest, reference: str, payload: GrantDecisionIn) -> Any:
    grant = _grant(request, reference)
    user: Any = request.user
    if payload.action == "start_review":
        return services.grant_review_start(by=user, grant=grant)
    if payload.action == "award":
        return services.grant_award(
            by=user,
            grant=grant,
            amount_eur=payload.amount_eur or Decimal(0),
            confirm=payload.confirm,
        )
    if payload.action == "reject":
        return services.grant_reject(by=user, grant=grant, note=payload.note)
    if payload.action == "complete":
        return services.grant_complete(by=user, grant=grant, outputs_en=payload.outputs_en)
    raise Http404
