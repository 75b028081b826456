"""Template helpers: bilingual fields, partial dates, references and history diffs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.html import format_html
from django.utils.safestring import SafeString

from partnership.core import selectors
from partnership.core.models import Releasable, localized
from partnership.core.partial_dates import PartialDate
from partnership.core.selectors import can_see_who_acted

register = template.Library()


def _user(context: template.Context) -> selectors.AnyUser:
    """The reader of the page; a page rendered without one (a report file) is read as the
    public would, so that a forgotten user never shows more."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("reader") or context.get("user")
    return user if user is not None else AnonymousUser()


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
def shown(context: template.Context, record: Any) -> Any:
    """`{% shown meeting.body as body %}`: the record the page points at, or the neutral
    placeholder (`body.restricted`) where the reader may not see it."""
    return selectors.shown(_user(context), record)


@register.simple_tag(takes_context=True)
def shown_all(context: template.Context, records: Iterable[Any]) -> list[Any]:
    """`{% shown_all measure.decisions.all as decisions %}`: the linked records the reader
    may see."""
    return selectors.shown_all(_user(context), records)


@register.simple_tag(takes_context=True)
def reference(context: template.Context, record: Any, field: str = "") -> SafeString | str:
    """`{% reference meeting.body "name" %}`: the referenced record's text, or the neutral
    "restricted record" placeholder."""
    seen = selectors.shown(_user(context), record)
    if seen is None:
        return ""
    if isinstance(seen, selectors.Restricted):
        return format_html('<span class="restricted">{}</span>', str(seen))
    return localized(seen, field) if field else str(seen)


def _generic_links(record: Any) -> dict[str, str]:
    """A record's generic links (an action item's linked record) as {id field: type field}."""
    from django.contrib.contenttypes.fields import GenericForeignKey

    return {
        f.fk_field: f.ct_field
        for f in record._meta.private_fields
        if isinstance(f, GenericForeignKey)
    }


def _generic_value(
    user: selectors.AnyUser, version: Any, id_field: str, generic: dict[str, str]
) -> Any:
    """A generic link in a version, through the one rule: the record's name or the
    placeholder, never the bare id of a record the reader may not see."""
    from django.contrib.contenttypes.models import ContentType

    type_id, pk = getattr(version, f"{generic[id_field]}_id", None), getattr(version, id_field)
    if type_id is None or pk is None:
        return None
    model = ContentType.objects.get_for_id(type_id).model_class()
    if model is None:
        return None
    return selectors.shown_text(user, model._default_manager.filter(pk=pk).first())


def _change_value(user: selectors.AnyUser, field: Any, value: Any) -> Any:
    """A changed value as the reader may see it: a reference through the one rule, a link
    list without the records the reader may not see."""
    related = getattr(field, "related_model", None)
    if not (isinstance(related, type) and issubclass(related, Releasable)) or value in (None, ""):
        return value
    if field.many_to_many:
        target = related._meta.model_name
        ids = [row.get(target) for row in value or []]
        found = related._default_manager.filter(pk__in=ids)
        return ", ".join(str(r) for r in selectors.shown_all(user, found))
    return selectors.shown_text(user, related._default_manager.filter(pk=value).first())


@register.simple_tag(takes_context=True)
def history_of(context: template.Context, record: Any, limit: int = 50) -> list[dict[str, Any]]:
    """The record's history, newest first: who, when, what changed (field, old, new).

    History by version: a version is shown only to those who may see that version's
    marking, and a change only where both its sides are visible, so a record re-marked
    PUBLIC does not show the public what it said while it was NATO-only."""
    user = _user(context)
    show_who = can_see_who_acted(user)
    versions: models.QuerySet[Any] = record.history.all()
    rows = list(versions.select_related("history_user").order_by("-history_date")[: limit + 1])
    allowed = set(
        selectors.history_for(user, record)
        .filter(pk__in=[r.pk for r in rows])
        .values_list("pk", flat=True)
    )
    entries = []
    for newer, older in zip(rows[:limit], [*rows[1:], None], strict=False):
        if newer.pk not in allowed:
            continue
        changes = []
        earlier_restricted = older is not None and older.pk not in allowed
        if older is not None and not earlier_restricted:
            delta = newer.diff_against(older)
            generic = _generic_links(record)
            for change in delta.changes:
                if change.field in generic.values():
                    continue  # shown with its id field, as the record it names
                field = record._meta.get_field(change.field)
                old, new = (
                    (
                        _generic_value(user, older, change.field, generic),
                        _generic_value(user, newer, change.field, generic),
                    )
                    if change.field in generic
                    else (
                        _change_value(user, field, change.old),
                        _change_value(user, field, change.new),
                    )
                )
                changes.append((change.field, old, new))
        entries.append(
            {
                "type": newer.get_history_type_display(),
                "user": newer.history_user if show_who else None,
                "who_hidden": not show_who,
                "date": newer.history_date,
                "reason": newer.history_change_reason,
                "changes": changes,
                "earlier_restricted": earlier_restricted,
            }
        )
    return entries
