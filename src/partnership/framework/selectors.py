"""Reads of the framework; every one goes through `visible_to`."""

from __future__ import annotations

import datetime as dt
from typing import Any

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


def _current(qs: models.QuerySet[Any]) -> models.QuerySet[Any]:
    """Withdrawn records leave every list, search, export and public page."""
    return qs.filter(withdrawn_at__isnull=True)


def _kept(user: AnyUser, record: Any) -> Any:
    """A record found by its key: a withdrawn one only for those who may edit it (marked
    withdrawn on its page), so that they can read it and restore it."""
    from partnership.framework.services import can_keep

    if record is None or not record.withdrawn or can_keep(user, record):
        return record
    return None


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
    qs = _current(visible_to(user, Milestone.objects.all()))
    if year is not None and not dt.MINYEAR <= year <= dt.MAXYEAR:
        return qs.none()  # no date has such a year (and the database cannot be asked)
    if year is not None:
        qs = qs.filter(date_start__year__lte=year, date_end__year__gte=year)
    if theme:
        qs = qs.filter(theme=theme)
    return qs.order_by(*MILESTONE_ORDER)


def milestone_years(*, user: AnyUser) -> list[int]:
    starts = _current(visible_to(user, Milestone.objects.all())).values_list(
        "date_start", flat=True
    )
    return sorted({d.year for d in starts if d})


def milestone_get(*, user: AnyUser, number: int) -> Milestone | None:
    found = visible_to(user, Milestone.objects.all()).filter(number=number).first()
    return _kept(user, found)  # type: ignore[no-any-return]


def body_list(*, user: AnyUser) -> models.QuerySet[Body]:
    return _current(visible_to(user, Body.objects.select_related("parent"))).order_by(
        "kind", "name_en"
    )


def body_get(*, user: AnyUser, slug: str) -> Body | None:
    found = visible_to(user, Body.objects.select_related("parent")).filter(slug=slug).first()
    return _kept(user, found)  # type: ignore[no-any-return]


def meeting_list(
    *, user: AnyUser, body: Body | None = None, level: str = ""
) -> models.QuerySet[Meeting]:
    qs = _current(visible_to(user, Meeting.objects.select_related("body")))
    if body is not None:
        qs = qs.filter(body=body)
    if level:
        qs = qs.filter(level=level)
    return qs.order_by("-date_start", "title_en")


def meeting_get(*, user: AnyUser, pk: int) -> Meeting | None:
    found = visible_to(user, Meeting.objects.select_related("body")).filter(pk=pk).first()
    return _kept(user, found)  # type: ignore[no-any-return]


def meeting_decisions(*, user: AnyUser, meeting: Meeting) -> models.QuerySet[Decision]:
    return _current(visible_to(user, meeting.decisions.all()))


def meeting_documents(*, user: AnyUser, meeting: Meeting) -> models.QuerySet[Document]:
    return visible_to(user, meeting.documents.all())


def action_item_list(
    *,
    user: AnyUser,
    meeting: Meeting | None = None,
    decision: Decision | None = None,
    status: str = "",
) -> models.QuerySet[ActionItem]:
    qs = _current(
        visible_to(user, ActionItem.objects.select_related("owner", "meeting", "decision"))
    )
    if meeting is not None:
        qs = qs.filter(meeting=meeting)
    if decision is not None:
        qs = qs.filter(decision=decision)
    if status:
        qs = qs.filter(status=status)
    return qs


def action_item_get(*, user: AnyUser, pk: int) -> ActionItem | None:
    found = (
        visible_to(user, ActionItem.objects.select_related("owner", "meeting", "decision"))
        .filter(pk=pk)
        .first()
    )
    return _kept(user, found)  # type: ignore[no-any-return]


def decision_list(*, user: AnyUser) -> models.QuerySet[Decision]:
    return _current(visible_to(user, Decision.objects.select_related("meeting")))


def decision_get(*, user: AnyUser, pk: int) -> Decision | None:
    found = visible_to(user, Decision.objects.select_related("meeting")).filter(pk=pk).first()
    return _kept(user, found)  # type: ignore[no-any-return]


def agreement_list(*, user: AnyUser) -> models.QuerySet[Agreement]:
    return _current(visible_to(user, Agreement.objects.prefetch_related("parties"))).order_by(
        "signed_start", "ratified_start", "title_en"
    )


def agreement_get(*, user: AnyUser, slug: str) -> Agreement | None:
    found = visible_to(user, Agreement.objects.all()).filter(slug=slug).first()
    return _kept(user, found)  # type: ignore[no-any-return]


WITHDRAWABLE = (Body, Meeting, Decision, ActionItem, Agreement, Milestone)


def withdrawn_list(*, user: AnyUser, kind: str = "", text: str = "") -> list[Any]:
    """The withdrawn records a user may restore, newest withdrawal first; none for others.
    `kind` narrows to one model ("meeting"), `text` to records whose name or reason holds it."""
    from partnership.framework.services import can_edit

    if not can_edit(user):
        return []
    needle = text.strip().casefold()
    found: list[Any] = []
    for model in WITHDRAWABLE:
        if kind and model._meta.model_name != kind:
            continue
        rows: Any = visible_to(user, model._default_manager.filter(withdrawn_at__isnull=False))
        found.extend(
            r for r in rows if not needle or needle in f"{r}\n{r.withdrawal_reason}".casefold()
        )
    return sorted(found, key=lambda r: r.withdrawn_at, reverse=True)


def withdrawn_kinds() -> list[tuple[str, Any]]:
    """The kinds of record that can be withdrawn, as (key, name) choices for the list's filter."""
    return [(m._meta.model_name or "", m._meta.verbose_name_plural) for m in WITHDRAWABLE]


# What an action item may point at, by the key people see in the record's address.
LINKABLE = {
    "anp.measure": ("pk", _("ANP measure")),
    "trustfunds.project": ("slug", _("Trust-fund project")),
    "programmes.programme": ("slug", _("Programme")),
    "framework.agreement": ("slug", _("Agreement")),
}


def linkable_get(*, user: AnyUser, kind: str, key: str) -> Any:
    """The record an action item is to point at, if the user may see it; None otherwise."""
    from django.apps import apps

    if kind not in LINKABLE:
        return None
    field, _label = LINKABLE[kind]
    if field == "pk" and not (key.isascii() and key.isdigit() and len(key) < 19):
        return None
    model = apps.get_model(kind)
    return visible_to(user, model._default_manager.filter(**{field: key})).first()


def linked_key(record: Any) -> tuple[str, str]:
    """An action item's linked record as (kind, key), the way forms and the API name it."""
    if record is None:
        return "", ""
    kind = record._meta.label_lower
    field = LINKABLE.get(kind, ("pk", ""))[0]
    return kind, str(getattr(record, field))
