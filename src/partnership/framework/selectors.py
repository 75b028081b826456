"""Reads of the framework; every one goes through `visible_to`."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError
from partnership.core.selectors import AnyUser, visible_to
from partnership.framework.models import (
    MILESTONE_ORDER,
    ActionItem,
    Agreement,
    Body,
    Decision,
    Document,
    Meeting,
    Milestone,
    Theme,
)

MSG_UNKNOWN_THEME = _("“%(theme)s” is not a theme of the milestones (one of: %(themes)s).")


def milestone_list(
    *, user: AnyUser, year: int | None = None, theme: str = ""
) -> models.QuerySet[Milestone]:
    """Milestones in the factsheet's order; `year` keeps those whose dates touch that year.

    An unknown theme is refused (page and API say so alike) rather than ignored, which showed
    every milestone on the page while the API showed none.
    """
    if theme and theme not in Theme.values:
        raise ApplicationError(
            MSG_UNKNOWN_THEME % {"theme": theme, "themes": ", ".join(Theme.values)},
            field="theme",
            code="unknown_theme",
        )
    qs = visible_to(user, Milestone.objects.all())
    if year is not None and not dt.MINYEAR <= year <= dt.MAXYEAR:
        return qs.none()  # no date has such a year (and the database cannot be asked)
    if year is not None:
        qs = qs.filter(date_start__year__lte=year, date_end__year__gte=year)
    if theme:
        qs = qs.filter(theme=theme)
    return qs.order_by(*MILESTONE_ORDER)


def milestone_years(*, user: AnyUser) -> list[int]:
    starts = visible_to(user, Milestone.objects.all()).values_list("date_start", flat=True)
    return sorted({d.year for d in starts if d})


def body_list(*, user: AnyUser) -> models.QuerySet[Body]:
    return visible_to(user, Body.objects.select_related("parent")).order_by("kind", "name_en")


def body_get(*, user: AnyUser, slug: str) -> Body | None:
    return body_list(user=user).filter(slug=slug).first()


def meeting_list(
    *, user: AnyUser, body: Body | None = None, level: str = ""
) -> models.QuerySet[Meeting]:
    qs = visible_to(user, Meeting.objects.select_related("body"))
    if body is not None:
        qs = qs.filter(body=body)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-date_start", "title_en")


def meeting_get(*, user: AnyUser, pk: int) -> Meeting | None:
    return meeting_list(user=user).filter(pk=pk).first()


def meeting_decisions(*, user: AnyUser, meeting: Meeting) -> models.QuerySet[Decision]:
    return visible_to(user, meeting.decisions.all())


def meeting_documents(*, user: AnyUser, meeting: Meeting) -> models.QuerySet[Document]:
    return visible_to(user, meeting.documents.all())


def action_item_list(
    *, user: AnyUser, meeting: Meeting | None = None, status: str = ""
) -> models.QuerySet[ActionItem]:
    qs = visible_to(user, ActionItem.objects.select_related("owner", "meeting", "decision"))
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    if status:
        qs = qs.filter(status=status)
    return qs


def decision_list(*, user: AnyUser) -> models.QuerySet[Decision]:
    return visible_to(user, Decision.objects.select_related("meeting"))


def agreement_list(*, user: AnyUser) -> models.QuerySet[Agreement]:
    return visible_to(user, Agreement.objects.prefetch_related("parties")).order_by(
        "signed_start", "ratified_start", "title_en"
    )


def agreement_get(*, user: AnyUser, slug: str) -> Agreement | None:
    return agreement_list(user=user).filter(slug=slug).first()
