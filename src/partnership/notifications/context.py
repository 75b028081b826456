"""The bell's unread count on every page (one indexed count, for people logged in)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from partnership.notifications.selectors import unread_count

    return {"notifications_unread": unread_count(user=user)}  # type: ignore[arg-type]
