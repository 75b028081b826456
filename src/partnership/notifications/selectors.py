"""Reads: a person's notifications, their choices, the language their messages are written in."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from partnership.core.models import Releasable, Side, User
from partnership.core.selectors import can_see
from partnership.notifications.models import Channel, Kind, Notification, Preference, Recipient


def language_of(user: User) -> str:
    """The saved language, else the one their side works in: Ukrainian for the partner's staff."""
    saved = Recipient.objects.filter(user=user).values_list("language", flat=True).first()
    if saved:
        return saved
    organization = user.organization
    return "uk" if organization is not None and organization.side == Side.PARTNER else "en"


def channels_of(user: User) -> dict[str, str]:
    """Each kind's channel for this person (at once unless they chose otherwise)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
    return {kind: chosen.get(kind, Channel.IMMEDIATE) for kind in Kind.values}


def record_of(notification: Notification) -> models.Model | None:
    if notification.record_type_id is None or notification.record_id is None:
        return None
    model = ContentType.objects.get_for_id(notification.record_type_id).model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=notification.record_id).first()


def still_visible(user: User, notification: Notification) -> bool:
    """Whether the person may still see the record the notice is about (markings change)."""
    if notification.record_type_id is None:
        return True
    record = record_of(notification)
    if record is None:
        return False
    return not isinstance(record, Releasable) or can_see(user, record)


def notifications_for(
    *, user: User, kind: str = "", unread: bool | None = None
) -> list[Notification]:
    """The person's notices (the last 200), newest first, leaving out any whose record they
    may no longer see; `kind` narrows to one kind, `unread` to the unread (True) or read."""
    rows = Notification.objects.filter(recipient=user).exclude(email_state="withheld")
    if kind:
        rows = rows.filter(kind=kind)
    if unread is not None:
        rows = rows.filter(read_at__isnull=unread)
    return [n for n in rows[:200] if still_visible(user, n)]


def unread_count(*, user: User) -> int:
    return (
        Notification.objects.filter(recipient=user, read_at__isnull=True)
        .exclude(email_state="withheld")
        .count()
    )
