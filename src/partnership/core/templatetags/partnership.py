"""Template helpers: bilingual fields, partial dates and history diffs."""

from __future__ import annotations

from typing import Any

from django import template

from partnership.core.models import localized
from partnership.core.partial_dates import PartialDate
from partnership.core.selectors import can_see_who_acted

register = template.Library()


@register.filter
def tr(obj: Any, field: str) -> str:
    """`{{ body|tr:"name" }}`: the field in the page's language."""
    return localized(obj, field)


@register.filter
def partial_date(value: str) -> str:
    """`{{ milestone.date|partial_date }}`: "Autumn 2004", "4–5 вересня 2014"."""
    if not value:
        return ""
    return PartialDate.parse(value).render()


@register.filter
def sees_who_acted(user: Any) -> bool:
    """`{% if request.user|sees_who_acted %}`: whether user names of changes are shown."""
    return can_see_who_acted(user)


@register.simple_tag(takes_context=True)
def history_of(context: Any, record: Any, limit: int = 50) -> list[dict[str, Any]]:
    """The record's history, newest first: who (to those who may see it), when, what changed
    (field, old, new)."""
    request = context.get("request")
    show_who = can_see_who_acted(getattr(request, "user", None))
    rows = list(record.history.select_related("history_user").order_by("-history_date")[:limit])
    entries = []
    for newer, older in zip(rows, [*rows[1:], None], strict=True):
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            changes = [(c.field, c.old, c.new) for c in delta.changes]
        entries.append(
            {
                "type": newer.get_history_type_display(),
                "user": newer.history_user if show_who else None,
                "who_hidden": not show_who,
                "date": newer.history_date,
                "reason": newer.history_change_reason,
                "changes": changes,
            }
        )
    return entries
