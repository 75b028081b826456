"""API of the framework: milestones, bodies, meetings, decisions, action items, agreements."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from partnership.api.auth import READ, WRITE, reader
from partnership.core.exceptions import ApplicationError
from partnership.core.models import localized
from partnership.core.partial_dates import PartialDate
from partnership.core.selectors import organizations_by_slug, shown_key
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


class MilestoneOut(Schema):
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


class MeetingIn(Schema):
    body: str
    level: str
    title_en: str = Field(..., min_length=1, max_length=255)
    title_uk: str = ""
    date: str = Field(..., description="EDTF date", examples=["2014-09-04/2014-09-05"])
    place_en: str = ""
    place_uk: str = ""
    participants: list[str] = []
    agenda: list[str] = []
    marking: str
    releasable_to: list[str] = []


class AgreementOut(Schema):
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


class ActionItemOut(Schema):
    id: int
    title: str
    owner: str
    deadline: dt.date | None
    status: str
    meeting: int | None = Field(None, description="null where none or restricted")
    decision: int | None = Field(None, description="null where none or restricted")
    marking: str

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


class ActionItemIn(Schema):
    title_en: str = Field(..., min_length=1, max_length=255)
    owner: str
    deadline: dt.date | None = None
    meeting: int | None = None
    marking: str
    releasable_to: list[str] = []


class ActionItemStatusIn(Schema):
    status: str


@router.get("/milestones", response=list[MilestoneOut], auth=READ, tags=["milestones"])
def milestones(request: HttpRequest, year: int | None = None, theme: str = "") -> Any:
    return selectors.milestone_list(user=request.user, year=year, theme=theme)


@router.get("/milestones/{number}", response=MilestoneOut, auth=READ, tags=["milestones"])
def milestone(request: HttpRequest, number: int) -> Any:
    found = selectors.milestone_list(user=request.user).filter(number=number).first()
    if found is None:
        raise Http404
    return found


@router.get("/bodies", response=list[BodyOut], auth=READ, tags=["bodies"])
def bodies(request: HttpRequest) -> Any:
    return selectors.body_list(user=request.user)


@router.get("/bodies/{slug}", response=BodyOut, auth=READ, tags=["bodies"])
def body(request: HttpRequest, slug: str) -> Any:
    found = selectors.body_get(user=request.user, slug=slug)
    if found is None:
        raise Http404
    return found


@router.get("/meetings", response=list[MeetingOut], auth=READ, tags=["meetings"])
def meetings(request: HttpRequest, level: str = "") -> Any:
    return selectors.meeting_list(user=request.user, level=level).prefetch_related(
        "participants", "agenda_items"
    )


@router.get("/meetings/{pk}", response=MeetingOut, auth=READ, tags=["meetings"])
def meeting(request: HttpRequest, pk: int) -> Any:
    found = selectors.meeting_get(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


@router.post("/meetings", response={201: MeetingOut}, auth=WRITE, tags=["meetings"])
def meeting_create(request: HttpRequest, payload: MeetingIn) -> Any:
    body = selectors.body_get(user=request.user, slug=payload.body)
    if body is None:
        raise ApplicationError(
            _("“%(value)s” is not a known body.") % {"value": payload.body}, field="body"
        )
    created = services.meeting_create(
        by=request.user,  # type: ignore[arg-type]
        body=body,
        level=payload.level,
        title_en=payload.title_en,
        title_uk=payload.title_uk,
        date=payload.date,
        place_en=payload.place_en,
        place_uk=payload.place_uk,
        marking=payload.marking,
        nations=payload.releasable_to,
        participants=list(
            organizations_by_slug(payload.participants, field="participants").values()
        ),
        agenda=payload.agenda,
    )
    return Status(201, created)


@router.get("/action-items", response=list[ActionItemOut], auth=READ, tags=["action items"])
def action_items(request: HttpRequest, status: str = "") -> Any:
    return selectors.action_item_list(user=request.user, status=status)


@router.post("/action-items", response={201: ActionItemOut}, auth=WRITE, tags=["action items"])
def action_item_create(request: HttpRequest, payload: ActionItemIn) -> Any:
    meeting = None
    if payload.meeting is not None:
        meeting = selectors.meeting_get(user=request.user, pk=payload.meeting)
        if meeting is None:
            raise ApplicationError(
                _("There is no such record, or you may not see it."), field="meeting"
            )
    item = services.action_item_create(
        by=request.user,  # type: ignore[arg-type]
        title_en=payload.title_en,
        owner=organizations_by_slug([payload.owner], field="owner")[payload.owner],
        deadline=payload.deadline,
        meeting=meeting,
        marking=payload.marking,
        nations=payload.releasable_to,
    )
    return Status(201, item)


@router.patch("/action-items/{int:pk}", response=ActionItemOut, auth=WRITE, tags=["action items"])
def action_item_status(request: HttpRequest, pk: int, payload: ActionItemStatusIn) -> Any:
    item = selectors.action_item_list(user=request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    return services.action_item_set_status(
        by=request.user,  # type: ignore[arg-type]
        item=item,
        status=payload.status,
    )


@router.get("/agreements", response=list[AgreementOut], auth=READ, tags=["agreements"])
def agreements(request: HttpRequest) -> Any:
    return selectors.agreement_list(user=request.user)


class BulkStatusIn(Schema):
    ids: list[int] = Field(..., min_length=1)
    status: str


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


class DecisionOut(Schema):
    id: int
    reference: str
    title: str
    text: str
    status: str
    silence_deadline: dt.datetime | None
    meeting: int | None = Field(None, description="null where none or restricted")
    marking: str
    releasable_to: list[str]

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


class DecisionIn(Schema):
    reference: str = ""
    title_en: str = Field(..., min_length=1, max_length=255)
    text_en: str = ""
    meeting: int | None = None
    silence_deadline: dt.datetime | None = None
    marking: str
    releasable_to: list[str] = []


@router.get("/decisions", response=list[DecisionOut], auth=READ, tags=["decisions"])
def decisions(request: HttpRequest) -> Any:
    return selectors.decision_list(user=request.user)


@router.post("/decisions", response={201: DecisionOut}, auth=WRITE, tags=["decisions"])
def decision_create(request: HttpRequest, payload: DecisionIn) -> Any:
    meeting = None
    if payload.meeting is not None:
        meeting = selectors.meeting_get(user=request.user, pk=payload.meeting)
        if meeting is None:
            raise ApplicationError(
                _("There is no such record, or you may not see it."), field="meeting"
            )
    decision = services.decision_create(
        by=request.user,  # type: ignore[arg-type]
        meeting=meeting,
        reference=payload.reference,
        title_en=payload.title_en,
        text_en=payload.text_en,
        marking=payload.marking,
        nations=payload.releasable_to,
        silence_deadline=payload.silence_deadline,
    )
    return Status(201, decision)


def _decision(request: HttpRequest, pk: int) -> Any:
    found = selectors.decision_list(user=request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@router.post("/decisions/{pk}/adopt", response=DecisionOut, auth=WRITE, tags=["decisions"])
def decision_adopt(request: HttpRequest, pk: int) -> Any:
    return services.decision_adopt(by=request.user, decision=_decision(request, pk))  # type: ignore[arg-type]


@router.post("/decisions/{pk}/break-silence", response=DecisionOut, auth=WRITE, tags=["decisions"])
def decision_break_silence(request: HttpRequest, pk: int) -> Any:
    return services.decision_break_silence(by=request.user, decision=_decision(request, pk))  # type: ignore[arg-type]


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


@router.get("/search", response=SearchOut, auth=READ, tags=["search"])
def search(request: HttpRequest, q: str, kind: str = "", limit: int = 50) -> Any:
    """Records of every kind the caller may see whose text or code holds the query."""
    from django.utils.html import strip_tags

    from partnership.search import selectors as search_selectors

    hits = search_selectors.search(
        user=request.user, query=q, kind=kind, limit=max(1, min(limit, 200))
    )

    def records(key: str) -> list[Any]:
        # Each of the older per-kind lists is its own search, so that it is not crowded out
        # of the first hits by other kinds.
        return [h.record for h in search_selectors.search(user=request.user, query=q, kind=key)]

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
