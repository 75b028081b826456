"""API of the framework: milestones, bodies, meetings, decisions, action items, agreements."""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status

from partnership.core.auth import READ, WRITE, reader
from partnership.core.exceptions import ApplicationError
from partnership.core.models import localized
from partnership.core.partial_dates import PartialDate
from partnership.core.selectors import Restricted, organizations_by_slug, shown, shown_key
from partnership.framework import selectors, services

router = Router()


class PartialDateOut(Schema):
    edtf: str
    display: str
    precision: str
    start: dt.date
    end: dt.date


def _date(value: str) -> dict[str, Any] | None:
    if not value:
        return None
    parsed = PartialDate.parse(value)
    return {
        "edtf": parsed.edtf,
        "display": parsed.render(),
        "precision": str(parsed.precision),
        "start": parsed.start,
        "end": parsed.end,
    }


class WithdrawalOut(Schema):
    at: dt.datetime
    by: str | None = Field(None, description="Who withdrew it; null where not shown")
    reason: str


def _withdrawal(obj: Any, context: Any) -> dict[str, Any] | None:
    if obj.withdrawn_at is None:
        return None
    from partnership.core.selectors import can_see_who_acted

    who = (
        obj.withdrawn_by.username
        if obj.withdrawn_by and can_see_who_acted(reader(context))
        else None
    )
    return {"at": obj.withdrawn_at, "by": who, "reason": obj.withdrawal_reason}


class WithdrawIn(Schema):
    reason: str = Field(..., min_length=1, max_length=2000)


class MilestoneOut(Schema):
    withdrawn: WithdrawalOut | None = Field(None, description="null unless withdrawn")

    @staticmethod
    def resolve_withdrawn(obj: Any, context: Any) -> dict[str, Any] | None:
        return _withdrawal(obj, context)

    number: int
    date: str = Field(..., description="EDTF, e.g. 2004-23 for autumn 2004")
    date_display: str = Field(
        ..., description="As the factsheet writes it, in the caller's language"
    )
    precision: str
    start: dt.date
    end: dt.date
    text: str
    text_en: str
    text_uk: str
    theme: str
    marking: str
    source_line: int | None

    @staticmethod
    def resolve_precision(obj: Any) -> str:
        return str(obj.partial_date.precision)

    @staticmethod
    def resolve_start(obj: Any) -> dt.date:
        return obj.date_start

    @staticmethod
    def resolve_end(obj: Any) -> dt.date:
        return obj.date_end


class BodyOut(Schema):
    withdrawn: WithdrawalOut | None = Field(None, description="null unless withdrawn")

    @staticmethod
    def resolve_withdrawn(obj: Any, context: Any) -> dict[str, Any] | None:
        return _withdrawal(obj, context)

    slug: str
    kind: str
    name: str
    abbreviation: str
    established: PartialDateOut | None
    parent: str | None
    marking: str
    releasable_to: list[str]

    @staticmethod
    def resolve_established(obj: Any) -> dict[str, Any] | None:
        return _date(obj.established)

    @staticmethod
    def resolve_parent(obj: Any, context: Any) -> str | None:
        return shown_key(reader(context), obj.parent, "slug")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_releasable_to(obj: Any) -> list[str]:
        return obj.releasable_codes


class MeetingOut(Schema):
    withdrawn: WithdrawalOut | None = Field(None, description="null unless withdrawn")

    @staticmethod
    def resolve_withdrawn(obj: Any, context: Any) -> dict[str, Any] | None:
        return _withdrawal(obj, context)

    id: int
    body: str | None = Field(..., description="The body's key; null where it is restricted")
    level: str
    title: str
    date: PartialDateOut
    place: str
    participants: list[str]
    agenda: list[str]
    marking: str
    releasable_to: list[str]

    @staticmethod
    def resolve_body(obj: Any, context: Any) -> str | None:
        return shown_key(reader(context), obj.body, "slug")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_date(obj: Any) -> dict[str, Any] | None:
        return _date(obj.date)

    @staticmethod
    def resolve_place(obj: Any) -> str:
        return localized(obj, "place")

    @staticmethod
    def resolve_participants(obj: Any) -> list[str]:
        return [o.slug for o in obj.participants.all()]

    @staticmethod
    def resolve_agenda(obj: Any) -> list[str]:
        return [localized(a, "title") for a in obj.agenda_items.all()]

    @staticmethod
    def resolve_releasable_to(obj: Any) -> list[str]:
        return obj.releasable_codes


class AgreementOut(Schema):
    withdrawn: WithdrawalOut | None = Field(None, description="null unless withdrawn")

    @staticmethod
    def resolve_withdrawn(obj: Any, context: Any) -> dict[str, Any] | None:
        return _withdrawal(obj, context)

    slug: str
    kind: str
    title: str
    covers: str
    parties: list[str]
    signed: PartialDateOut | None
    ratified: PartialDateOut | None
    in_force: PartialDateOut | None
    marking: str

    @staticmethod
    def resolve_covers(obj: Any) -> str:
        return localized(obj, "covers")

    @staticmethod
    def resolve_parties(obj: Any) -> list[str]:
        return [p.slug for p in obj.parties.all()]

    @staticmethod
    def resolve_signed(obj: Any) -> dict[str, Any] | None:
        return _date(obj.signed)

    @staticmethod
    def resolve_ratified(obj: Any) -> dict[str, Any] | None:
        return _date(obj.ratified)

    @staticmethod
    def resolve_in_force(obj: Any) -> dict[str, Any] | None:
        return _date(obj.in_force)


class LinkIO(Schema):
    kind: str = Field(
        ...,
        description="anp.measure, trustfunds.project, programmes.programme or framework.agreement",
    )
    key: str = Field(..., description="The measure's number or the record's key, as in its address")


class ActionItemOut(Schema):
    withdrawn: WithdrawalOut | None = Field(None, description="null unless withdrawn")

    @staticmethod
    def resolve_withdrawn(obj: Any, context: Any) -> dict[str, Any] | None:
        return _withdrawal(obj, context)

    id: int
    title: str
    owner: str
    deadline: dt.date | None
    status: str
    meeting: int | None = Field(None, description="null where none or restricted")
    decision: int | None = Field(None, description="null where none or restricted")
    linked: LinkIO | None = Field(None, description="null where none or restricted")
    marking: str
    releasable_to: list[str]

    @staticmethod
    def resolve_linked(obj: Any, context: Any) -> dict[str, str] | None:
        seen = shown(reader(context), obj.linked)
        if seen is None or isinstance(seen, Restricted):
            return None
        kind, key = selectors.linked_key(seen)
        return {"kind": kind, "key": key}

    @staticmethod
    def resolve_releasable_to(obj: Any) -> list[str]:
        return obj.releasable_codes

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return localized(obj, "title")

    @staticmethod
    def resolve_meeting(obj: Any, context: Any) -> int | None:
        return shown_key(reader(context), obj.meeting)  # type: ignore[no-any-return]

    @staticmethod
    def resolve_decision(obj: Any, context: Any) -> int | None:
        return shown_key(reader(context), obj.decision)  # type: ignore[no-any-return]

    @staticmethod
    def resolve_owner(obj: Any) -> str:
        return str(obj.owner.slug)


class DecisionOut(Schema):
    withdrawn: WithdrawalOut | None = Field(None, description="null unless withdrawn")
    id: int
    reference: str
    title: str
    text: str
    status: str
    silence_deadline: dt.datetime | None
    silence_broken_at: dt.datetime | None
    silence_broken_for: str | None = Field(None, description="The Ally that broke silence")
    adopted_at: dt.datetime | None
    action_sheet: str
    action_items: list[int] = Field(..., description="The action items that follow it")
    meeting: int | None = Field(None, description="null where none or restricted")
    marking: str
    releasable_to: list[str]

    @staticmethod
    def resolve_withdrawn(obj: Any, context: Any) -> dict[str, Any] | None:
        return _withdrawal(obj, context)

    @staticmethod
    def resolve_silence_broken_for(obj: Any) -> str | None:
        return obj.silence_broken_for.slug if obj.silence_broken_for_id else None

    @staticmethod
    def resolve_action_sheet(obj: Any) -> str:
        return localized(obj, "action_sheet")

    @staticmethod
    def resolve_action_items(obj: Any, context: Any) -> list[int]:
        return [a.pk for a in selectors.action_item_list(user=reader(context), decision=obj)]

    @staticmethod
    def resolve_meeting(obj: Any, context: Any) -> int | None:
        return shown_key(reader(context), obj.meeting)  # type: ignore[no-any-return]

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return localized(obj, "title")

    @staticmethod
    def resolve_text(obj: Any) -> str:
        return localized(obj, "text")

    @staticmethod
    def resolve_releasable_to(obj: Any) -> list[str]:
        return obj.releasable_codes


class SearchHitOut(Schema):
    kind: str = Field(..., description="measure, milestone, body, meeting, decision, …")
    kind_label: str
    id: int
    code: str
    title: str
    url: str | None = Field(..., description="The record's page; null where it has none")
    snippet: str = Field(..., description="The text around the first hit, in the caller's language")


class SearchOut(Schema):
    hits: list[SearchHitOut] = Field(..., description="Every kind, best first")
    milestones: list[MilestoneOut]
    meetings: list[MeetingOut]
    agreements: list[AgreementOut]
    bodies: list[BodyOut]


# ---- what clients send ---------------------------------------------------------------------


class Marked(Schema):
    marking: str
    releasable_to: list[str] = []


class BodyIn(Marked):
    kind: str
    name_en: str = Field(..., min_length=1, max_length=255)
    name_uk: str = Field("", max_length=255)
    abbreviation: str = Field("", max_length=32)
    description_en: str = ""
    description_uk: str = ""
    established: str = Field("", description="EDTF, e.g. 1997-07")
    parent: str | None = Field(None, description="The parent body's key")
    chair_en: str = Field("", max_length=255)
    chair_uk: str = Field("", max_length=255)
    members: list[str] = []


class BodyCreateIn(BodyIn):
    slug: str = Field("", max_length=80, description="Made from the abbreviation or name if empty")


class MeetingIn(Marked):
    body: str
    level: str
    title_en: str = Field(..., min_length=1, max_length=255)
    title_uk: str = Field("", max_length=255)
    date: str = Field(..., description="EDTF date", examples=["2014-09-04/2014-09-05"])
    place_en: str = Field("", max_length=255)
    place_uk: str = Field("", max_length=255)
    participants: list[str] = []
    agenda: list[str] = Field([], description="Agenda items in English, in order")
    agenda_uk: list[str] = Field([], description="The same items in Ukrainian, line by line")
    trigger_en: str = Field("", description="Why an extraordinary meeting was requested")
    trigger_uk: str = ""
    requested_by: str | None = Field(None, description="The organization that requested it")


class DecisionIn(Marked):
    reference: str = Field("", max_length=32)
    title_en: str = Field(..., min_length=1, max_length=255)
    title_uk: str = Field("", max_length=255)
    text_en: str = ""
    text_uk: str = ""
    action_sheet_en: str = ""
    action_sheet_uk: str = ""
    meeting: int | None = None
    silence_deadline: dt.datetime | None = None


class ActionItemIn(Marked):
    title_en: str = Field(..., min_length=1, max_length=255)
    title_uk: str = Field("", max_length=255)
    owner: str
    deadline: dt.date | None = None
    status: str = "open"
    meeting: int | None = None
    decision: int | None = None
    linked: LinkIO | None = None


class ActionItemStatusIn(Schema):
    status: str


class BulkStatusIn(Schema):
    ids: list[int] = Field(..., min_length=1)
    status: str


class AgreementIn(Marked):
    kind: str
    title_en: str = Field(..., min_length=1, max_length=255)
    title_uk: str = Field("", max_length=255)
    covers_en: str = ""
    covers_uk: str = ""
    parties: list[str] = []
    signed: str = Field("", description="EDTF")
    ratified: str = Field("", description="EDTF")
    in_force: str = Field("", description="EDTF")


class AgreementCreateIn(AgreementIn):
    slug: str = Field("", max_length=80, description="Made from the English title if empty")


class MilestoneIn(Marked):
    date: str = Field(..., description="EDTF")
    text_en: str = Field(..., min_length=1)
    text_uk: str = Field(..., min_length=1)
    theme: str
    bodies: list[str] = Field([], description="Bodies' keys")
    meetings: list[int] = []
    agreements: list[str] = Field([], description="Agreements' keys")
    organizations: list[str] = []


class MilestoneCreateIn(MilestoneIn):
    number: int | None = Field(None, description="After the last milestone if empty")


# ---- how the API finds what a payload names -------------------------------------------------
# The `*_values` functions turn a validated payload into a service's arguments; the CLI
# (`partnership framework`) calls the same ones, so that a value means the same in both.


MSG_NO_SUCH = services.MSG_NOT_FOUND
MSG_UNKNOWN_BODY = gettext_lazy("“%(value)s” is not a known body.")


def _found(record: Any) -> Any:
    if record is None:
        raise Http404
    return record


def _named(record: Any, field: str) -> Any:
    """A record a payload points at: unknown or hidden is the same field error."""
    if record is None:
        raise ApplicationError(MSG_NO_SUCH, field=field)
    return record


def _body_ref(user: Any, slug: str | None, field: str) -> Any:
    if slug is None:
        return None
    return _named(selectors.body_get(user=user, slug=slug), field)


def _meeting_ref(user: Any, pk: int | None, field: str = "meeting") -> Any:
    if pk is None:
        return None
    return _named(selectors.meeting_get(user=user, pk=pk), field)


def _orgs(slugs: list[str], field: str) -> list[Any]:
    return list(organizations_by_slug(slugs, field=field).values())


def _marking(payload: Marked) -> dict[str, Any]:
    return {"marking": payload.marking, "nations": payload.releasable_to}


def body_values(user: Any, payload: BodyIn) -> dict[str, Any]:
    values = payload.dict(exclude={"marking", "releasable_to", "parent", "members", "slug"})
    values.update(_marking(payload))
    values["parent"] = _body_ref(user, payload.parent, "parent")
    values["members"] = _orgs(payload.members, "members")
    return values


def meeting_values(user: Any, payload: MeetingIn) -> dict[str, Any]:
    if len(payload.agenda_uk) > len(payload.agenda):
        raise ApplicationError(services.MSG_UKRAINIAN_AGENDA_LONGER, field="agenda_uk")
    uk = payload.agenda_uk + [""] * (len(payload.agenda) - len(payload.agenda_uk))
    body = selectors.body_get(user=user, slug=payload.body)
    if body is None:
        raise ApplicationError(MSG_UNKNOWN_BODY % {"value": payload.body}, field="body")
    return {
        "body": body,
        "level": payload.level,
        "title_en": payload.title_en,
        "title_uk": payload.title_uk,
        "date": payload.date,
        "place_en": payload.place_en,
        "place_uk": payload.place_uk,
        "participants": _orgs(payload.participants, "participants"),
        "agenda": list(zip(payload.agenda, uk, strict=True)),
        "trigger_en": payload.trigger_en,
        "trigger_uk": payload.trigger_uk,
        "requested_by": _orgs([payload.requested_by], "requested_by")[0]
        if payload.requested_by
        else None,
        **_marking(payload),
    }


def decision_values(user: Any, payload: DecisionIn) -> dict[str, Any]:
    values = payload.dict(exclude={"marking", "releasable_to", "meeting"})
    values["meeting"] = _meeting_ref(user, payload.meeting)
    values.update(_marking(payload))
    return values


def action_values(user: Any, payload: ActionItemIn) -> dict[str, Any]:
    decision = None
    if payload.decision is not None:
        decision = _named(selectors.decision_get(user=user, pk=payload.decision), "decision")
    linked = None
    if payload.linked is not None:
        linked = selectors.linkable_get(user=user, kind=payload.linked.kind, key=payload.linked.key)
        if linked is None:
            raise ApplicationError(services.MSG_LINK_NOT_FOUND, field="linked")
    return {
        "title_en": payload.title_en,
        "title_uk": payload.title_uk,
        "owner": organizations_by_slug([payload.owner], field="owner")[payload.owner],
        "deadline": payload.deadline,
        "status": payload.status,
        "meeting": _meeting_ref(user, payload.meeting),
        "decision": decision,
        "linked": linked,
        **_marking(payload),
    }


def agreement_values(payload: AgreementIn) -> dict[str, Any]:
    values = payload.dict(exclude={"marking", "releasable_to", "parties", "slug"})
    values["parties"] = _orgs(payload.parties, "parties")
    values.update(_marking(payload))
    return values


def milestone_values(user: Any, payload: MilestoneIn) -> dict[str, Any]:
    agreements = [
        _named(selectors.agreement_get(user=user, slug=slug), "agreements")
        for slug in payload.agreements
    ]
    return {
        "date": payload.date,
        "text_en": payload.text_en,
        "text_uk": payload.text_uk,
        "theme": payload.theme,
        "bodies": [_body_ref(user, slug, "bodies") for slug in payload.bodies],
        "meetings": [_meeting_ref(user, pk, "meetings") for pk in payload.meetings],
        "agreements": agreements,
        "organizations": _orgs(payload.organizations, "organizations"),
        **_marking(payload),
    }


def _withdrawal_routes(
    path: str, key: str, key_type: type, out: type[Schema], kind: str, tag: str
) -> None:
    """POST `{path}/withdraw` and `{path}/restore` for one kind of record: the same two
    services for every kind, the record found as its own GET finds it (404 where unseen).
    The key's name and type are the kind's own (slug, pk, number), as in its other routes."""
    get = getattr(selectors, f"{kind}_get")

    def withdraw(request: HttpRequest, payload: WithdrawIn, **keys: Any) -> Any:
        record = _found(get(user=request.user, **keys))
        return services.record_withdraw(by=request.user, record=record, reason=payload.reason)  # type: ignore[arg-type]

    def restore(request: HttpRequest, **keys: Any) -> Any:
        record = _found(get(user=request.user, **keys))
        return services.record_restore(by=request.user, record=record)  # type: ignore[arg-type]

    # Django Ninja reads the parameters from the signature: the key's own name and type.
    param = inspect.Parameter
    request_param = param("request", param.POSITIONAL_OR_KEYWORD, annotation=HttpRequest)
    key_param = param(key, param.KEYWORD_ONLY, annotation=key_type)
    payload_param = param("payload", param.KEYWORD_ONLY, annotation=WithdrawIn)
    for view, params, step in (
        (withdraw, [request_param, key_param, payload_param], "withdraw"),
        (restore, [request_param, key_param], "restore"),
    ):
        view.__signature__ = inspect.Signature(params)  # type: ignore[union-attr]
        view.__name__ = view.__qualname__ = f"{kind}_{step}"
        router.post(f"{path}/{step}", response=out, auth=WRITE, tags=[tag])(view)


# ---- milestones ----------------------------------------------------------------------------


@router.get("/milestones", response=list[MilestoneOut], auth=READ, tags=["milestones"])
def milestones(request: HttpRequest, year: int | None = None, theme: str = "") -> Any:
    return selectors.milestone_list(user=request.user, year=year, theme=theme)


@router.get("/milestones/{number}", response=MilestoneOut, auth=READ, tags=["milestones"])
def milestone(request: HttpRequest, number: int) -> Any:
    return _found(selectors.milestone_get(user=request.user, number=number))


@router.post("/milestones", response={201: MilestoneOut}, auth=WRITE, tags=["milestones"])
def milestone_create(request: HttpRequest, payload: MilestoneCreateIn) -> Any:
    created = services.milestone_create(
        by=request.user,  # type: ignore[arg-type]
        number=payload.number,
        **milestone_values(request.user, payload),
    )
    return Status(201, created)


@router.put("/milestones/{number}", response=MilestoneOut, auth=WRITE, tags=["milestones"])
def milestone_update(request: HttpRequest, number: int, payload: MilestoneIn) -> Any:
    return services.milestone_update(
        by=request.user,  # type: ignore[arg-type]
        milestone=_found(selectors.milestone_get(user=request.user, number=number)),
        **milestone_values(request.user, payload),
    )


# ---- bodies --------------------------------------------------------------------------------


@router.get("/bodies", response=list[BodyOut], auth=READ, tags=["bodies"])
def bodies(request: HttpRequest) -> Any:
    return selectors.body_list(user=request.user)


@router.get("/bodies/{slug}", response=BodyOut, auth=READ, tags=["bodies"])
def body(request: HttpRequest, slug: str) -> Any:
    return _found(selectors.body_get(user=request.user, slug=slug))


@router.post("/bodies", response={201: BodyOut}, auth=WRITE, tags=["bodies"])
def body_create(request: HttpRequest, payload: BodyCreateIn) -> Any:
    created = services.body_create(
        by=request.user,  # type: ignore[arg-type]
        slug=payload.slug,
        **body_values(request.user, payload),
    )
    return Status(201, created)


@router.put("/bodies/{slug}", response=BodyOut, auth=WRITE, tags=["bodies"])
def body_update(request: HttpRequest, slug: str, payload: BodyIn) -> Any:
    return services.body_update(
        by=request.user,  # type: ignore[arg-type]
        body=_found(selectors.body_get(user=request.user, slug=slug)),
        **body_values(request.user, payload),
    )


# ---- meetings ------------------------------------------------------------------------------


@router.get("/meetings", response=list[MeetingOut], auth=READ, tags=["meetings"])
def meetings(request: HttpRequest, level: str = "") -> Any:
    return selectors.meeting_list(user=request.user, level=level).prefetch_related(
        "participants", "agenda_items"
    )


@router.get("/meetings/{pk}", response=MeetingOut, auth=READ, tags=["meetings"])
def meeting(request: HttpRequest, pk: int) -> Any:
    return _found(selectors.meeting_get(user=request.user, pk=pk))


@router.post("/meetings", response={201: MeetingOut}, auth=WRITE, tags=["meetings"])
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Any:
    created = services.meeting_create(
        by=request.user,  # type: ignore[arg-type]
        **meeting_values(request.user, payload),
    )
    return Status(201, created)


@router.put("/meetings/{pk}", response=MeetingOut, auth=WRITE, tags=["meetings"])
def meeting_update(request: HttpRequest, pk: int, payload: MeetingIn) -> Any:
    return services.meeting_update(
        by=request.user,  # type: ignore[arg-type]
        meeting=_found(selectors.meeting_get(user=request.user, pk=pk)),
        **meeting_values(request.user, payload),
    )


# ---- action items --------------------------------------------------------------------------


@router.get("/action-items", response=list[ActionItemOut], auth=READ, tags=["action items"])
def action_items(request: HttpRequest, status: str = "") -> Any:
    return selectors.action_item_list(user=request.user, status=status)


@router.get("/action-items/{int:pk}", response=ActionItemOut, auth=READ, tags=["action items"])
def action_item(request: HttpRequest, pk: int) -> Any:
    return _found(selectors.action_item_get(user=request.user, pk=pk))


@router.post("/action-items", response={201: ActionItemOut}, auth=WRITE, tags=["action items"])
def action_item_create(request: HttpRequest, payload: ActionItemIn) -> Any:
    created = services.action_item_create(
        by=request.user,  # type: ignore[arg-type]
        **action_values(request.user, payload),
    )
    return Status(201, created)


@router.put("/action-items/{int:pk}", response=ActionItemOut, auth=WRITE, tags=["action items"])
def action_item_update(request: HttpRequest, pk: int, payload: ActionItemIn) -> Any:
    return services.action_item_update(
        by=request.user,  # type: ignore[arg-type]
        item=_found(selectors.action_item_get(user=request.user, pk=pk)),
        **action_values(request.user, payload),
    )


@router.patch("/action-items/{int:pk}", response=ActionItemOut, auth=WRITE, tags=["action items"])
def action_item_status(request: HttpRequest, pk: int, payload: ActionItemStatusIn) -> Any:
    return services.action_item_set_status(
        by=request.user,  # type: ignore[arg-type]
        item=_found(selectors.action_item_list(user=request.user).filter(pk=pk).first()),
        status=payload.status,
    )


@router.post(
    "/action-items/bulk-status", response=list[ActionItemOut], auth=WRITE, tags=["action items"]
)
def action_items_bulk_status(request: HttpRequest, payload: BulkStatusIn) -> Any:
    items = list(selectors.action_item_list(user=request.user).filter(pk__in=payload.ids))
    if len(items) != len(set(payload.ids)):
        raise Http404
    return services.action_items_bulk_set_status(
        by=request.user,  # type: ignore[arg-type]
        items=items,
        status=payload.status,
    )


# ---- agreements ----------------------------------------------------------------------------


@router.get("/agreements", response=list[AgreementOut], auth=READ, tags=["agreements"])
def agreements(request: HttpRequest) -> Any:
    return selectors.agreement_list(user=request.user)


@router.get("/agreements/{slug}", response=AgreementOut, auth=READ, tags=["agreements"])
def agreement(request: HttpRequest, slug: str) -> Any:
    return _found(selectors.agreement_get(user=request.user, slug=slug))


@router.post("/agreements", response={201: AgreementOut}, auth=WRITE, tags=["agreements"])
def agreement_create(request: HttpRequest, payload: AgreementCreateIn) -> Any:
    created = services.agreement_create(
        by=request.user,  # type: ignore[arg-type]
        slug=payload.slug,
        **agreement_values(payload),
    )
    return Status(201, created)


@router.put("/agreements/{slug}", response=AgreementOut, auth=WRITE, tags=["agreements"])
def agreement_update(request: HttpRequest, slug: str, payload: AgreementIn) -> Any:
    return services.agreement_update(
        by=request.user,  # type: ignore[arg-type]
        agreement=_found(selectors.agreement_get(user=request.user, slug=slug)),
        **agreement_values(payload),
    )


# ---- decisions -----------------------------------------------------------------------------


@router.get("/decisions", response=list[DecisionOut], auth=READ, tags=["decisions"])
def decisions(request: HttpRequest) -> Any:
    return selectors.decision_list(user=request.user)


@router.get("/decisions/{pk}", response=DecisionOut, auth=READ, tags=["decisions"])
def decision(request: HttpRequest, pk: int) -> Any:
    return _found(selectors.decision_get(user=request.user, pk=pk))


@router.post("/decisions", response={201: DecisionOut}, auth=WRITE, tags=["decisions"])
def decision_create(request: HttpRequest, payload: DecisionIn) -> Any:
    created = services.decision_create(
        by=request.user,  # type: ignore[arg-type]
        **decision_values(request.user, payload),
    )
    return Status(201, created)


@router.put("/decisions/{pk}", response=DecisionOut, auth=WRITE, tags=["decisions"])
def decision_update(request: HttpRequest, pk: int, payload: DecisionIn) -> Any:
    return services.decision_update(
        by=request.user,  # type: ignore[arg-type]
        decision=_found(selectors.decision_get(user=request.user, pk=pk)),
        **decision_values(request.user, payload),
    )


@router.post("/decisions/{pk}/adopt", response=DecisionOut, auth=WRITE, tags=["decisions"])
def decision_adopt(request: HttpRequest, pk: int) -> Any:
    found = _found(selectors.decision_get(user=request.user, pk=pk))
    return services.decision_adopt(by=request.user, decision=found)  # type: ignore[arg-type]


@router.post("/decisions/{pk}/break-silence", response=DecisionOut, auth=WRITE, tags=["decisions"])
def decision_break_silence(request: HttpRequest, pk: int) -> Any:
    found = _found(selectors.decision_get(user=request.user, pk=pk))
    return services.decision_break_silence(by=request.user, decision=found)  # type: ignore[arg-type]


@router.get("/search", response=SearchOut, auth=READ, tags=["search"])
def search(request: HttpRequest, q: str, kind: str = "", limit: int = 50) -> Any:
    """Records of every kind the caller may see whose text or code holds the query."""
    from django.utils.html import strip_tags

    from partnership.search import selectors as search_selectors

    # A record deleted or hidden since the search was made is left out, not a 500.
    hits = search_selectors.present(
        search_selectors.search(
            user=request.user, query=q, kind=kind, limit=max(1, min(limit, 200))
        )
    )

    def records(key: str) -> list[Any]:
        # Each of the older per-kind lists is its own search, so that it is not crowded out
        # of the first hits by other kinds.
        found = search_selectors.search(user=request.user, query=q, kind=key)
        return [h.record for h in search_selectors.present(found)]

    return {
        "hits": [
            {
                "kind": h.kind.key,
                "kind_label": h.kind_label,
                "id": h.record.pk,
                "code": h.code,
                "title": h.title,
                "url": request.build_absolute_uri(h.url) if h.url else None,
                "snippet": strip_tags(str(h.snippet)),
            }
            for h in hits
        ],
        "milestones": records("milestone"),
        "meetings": records("meeting"),
        "agreements": records("agreement"),
        "bodies": records("body"),
    }


# ---- withdrawal and restoration, one pair of routes per kind -----------------------------------

for _path, _key, _type, _out, _kind, _tag in (
    ("/milestones/{number}", "number", int, MilestoneOut, "milestone", "milestones"),
    ("/bodies/{slug}", "slug", str, BodyOut, "body", "bodies"),
    ("/meetings/{pk}", "pk", int, MeetingOut, "meeting", "meetings"),
    ("/action-items/{int:pk}", "pk", int, ActionItemOut, "action_item", "action items"),
    ("/agreements/{slug}", "slug", str, AgreementOut, "agreement", "agreements"),
    ("/decisions/{pk}", "pk", int, DecisionOut, "decision", "decisions"),
):
    _withdrawal_routes(_path, _key, _type, _out, _kind, _tag)
