"""API of notifications: one's own notices, the unread count, marking read, one's choices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Field, Router, Schema

from partnership.core.auth import WRITE
from partnership.notifications import selectors, services
from partnership.notifications.models import Kind, Notification

router = Router(tags=["notifications"])

# One's own notices only: every route needs a token or a login.
PERSONAL = WRITE


class NotificationOut(Schema):
    id: int
    kind: str
    kind_label: str
    subject: str = Field(..., description="In the caller's language (Accept-Language, /uk/)")
    body: str
    link: str | None = Field(None, description="The record's page, when there is one")
    created_at: dt.datetime
    read_at: dt.datetime | None
    unread: bool

    @staticmethod
    def resolve_kind_label(obj: Notification) -> str:
        return str(Kind(obj.kind).label)

    @staticmethod
    def resolve_subject(obj: Notification) -> str:
        return obj.subject_in(get_language() or "en")

    @staticmethod
    def resolve_body(obj: Notification) -> str:
        return obj.body_in(get_language() or "en")

    @staticmethod
    def resolve_link(obj: Notification) -> str | None:
        language = "uk" if (get_language() or "").startswith("uk") else "en"
        return f"/{language}{obj.path}" if obj.path else None

    @staticmethod
    def resolve_unread(obj: Notification) -> bool:
        return obj.read_at is None


class UnreadOut(Schema):
    unread: int


class MarkedOut(Schema):
    marked: int


class PreferenceOut(Schema):
    kind: str
    kind_label: str
    channel: str = Field(..., description="immediate, digest or off")


class PreferencesOut(Schema):
    language: str = Field(..., description="The language of e-mails: en or uk")
    email: str = Field(..., description="Where e-mails go (empty: none are sent)")
    kinds: list[PreferenceOut]


class PreferencesIn(Schema):
    language: str | None = Field(None, description="en or uk; unchanged when left out")
    channels: dict[str, str] = Field(
        default_factory=dict, description="{kind: immediate|digest|off}; others unchanged"
    )


def _preferences(user: Any) -> dict[str, Any]:
    channels = selectors.channels_of(user)
    return {
        "language": selectors.language_of(user),
        "email": user.email,
        "kinds": [
            {"kind": kind.value, "kind_label": str(kind.label), "channel": channels[kind.value]}
            for kind in Kind
        ],
    }


@router.get("/notifications", response=list[NotificationOut], auth=PERSONAL)
def notifications(request: HttpRequest, unread: bool = False) -> Any:
    """The caller's notices, newest first (the last 200), leaving out any whose record they
    may no longer see; `unread=true` for the unread ones only."""
    rows = selectors.notifications_for(user=request.user)  # type: ignore[arg-type]
    return [n for n in rows if n.read_at is None] if unread else rows


@router.get("/notifications/unread", response=UnreadOut, auth=PERSONAL)
def unread_count(request: HttpRequest) -> Any:
    return {"unread": selectors.unread_count(user=request.user)}  # type: ignore[arg-type]


@router.post("/notifications/{pk}/read", response=NotificationOut, auth=PERSONAL)
def notification_read(request: HttpRequest, pk: int) -> Any:
    notice = Notification.objects.filter(pk=pk, recipient_id=request.user.pk).first()
    if notice is None:
        raise Http404
    return services.notification_mark_read(by=request.user, notification=notice)  # type: ignore[arg-type]


@router.post("/notifications/read-all", response=MarkedOut, auth=PERSONAL)
def notifications_read_all(request: HttpRequest) -> Any:
    return {"marked": services.notifications_mark_all_read(by=request.user)}  # type: ignore[arg-type]


@router.get("/notifications/preferences", response=PreferencesOut, auth=PERSONAL)
def preferences(request: HttpRequest) -> Any:
    """How the caller is told of each kind, and the language of their e-mails."""
    return _preferences(request.user)


@router.put("/notifications/preferences", response=PreferencesOut, auth=PERSONAL)
def preferences_set(request: HttpRequest, payload: PreferencesIn) -> Any:
    """Changes the kinds named (and the language when given); all or nothing."""
    user = request.user
    services.preferences_set(
        by=user,  # type: ignore[arg-type]
        channels=payload.channels,
        language=payload.language or selectors.language_of(user),  # type: ignore[arg-type]
    )
    return _preferences(user)
