"""Template helpers: bilingual fields, partial dates, references and history diffs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import template
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from partnership.core import formatting, history, selectors
from partnership.core.models import localized
from partnership.core.partial_dates import PartialDate
from partnership.core.selectors import can_see_who_acted

register = template.Library()
# `floatformat:"0g"` and `"2g"`, the same text in less time (core.formatting.amount).
register.filter("amount", formatting.amount, is_safe=True)


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
def marking(record: Any) -> SafeString:
    """`{{ meeting|marking }}`: the record's releasability badge, as includes/marking.html wrote
    it (its closing newline too), without an include for each row of a list."""
    value = getattr(record, "marking", "")
    return format_html(
        '<span class="marking marking-{}" data-marking="{}">{}</span>\n',
        str(value).lower(),
        value,
        getattr(record, "marking_label", ""),
    )


# Stands for a row's key while its page's link is reversed once: no key is this large.
_KEY = 9_876_543_210_123_456_789


@register.simple_tag(takes_context=True)
def row_url(context: template.Context, name: str, key: Any) -> str:
    """`{% row_url 'framework:meeting' m.pk %}`: what `{% url 'framework:meeting' m.pk %}`
    writes, from one `reverse` for the whole page instead of one for each row (fifty rows
    spent more time reversing their links than drawing them)."""
    cache: dict[str, list[str] | None] = cast(Any, context.render_context).setdefault("row_url", {})
    if name not in cache:
        found = reverse(name, args=[_KEY]).split(str(_KEY))
        cache[name] = found if len(found) == 2 else None
    parts = cache[name]
    if parts is None or type(key) is not int:
        return reverse(name, args=[key])
    return f"{parts[0]}{key}{parts[1]}"  # escaped by simple_tag, as `{% url %}` escapes


@register.filter
def partial_date(value: str) -> str:
    """`{{ milestone.date|partial_date }}`: "Autumn 2004", "4–5 вересня 2014"."""
    if not value:
        return ""
    return PartialDate.parse(value).render()


@register.filter
def field_label(record: Any, name: str) -> str:
    """`{{ measure|field_label:"title_en" }}`: a field's translated label ("Title (English)"),
    for pages that list changes by field name (amendments)."""
    return history.field_label(type(record), name)


@register.filter
def names_field(error: Any, label: Any) -> bool:
    """`{% if error|names_field:field.label %}`: whether an error needs no field name before it.

    Either it already opens with its field's name ("Deadline: 3026 is more than ten years
    ahead", as the services word a message that also goes to the API and the command line), or
    the field's label is a sentence, not a name (a confirmation box: "I confirm: the result no
    longer counts…"), which put before the error would read "…counts.: Tick the box…"."""
    if not label:
        return False
    label = str(label).strip()
    return label.endswith((".", "!", "?", "…")) or str(error).lstrip().casefold().startswith(
        f"{label}:".casefold()
    )


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


@register.simple_tag(takes_context=True)
def history_of(context: template.Context, record: Any, limit: int = 50) -> list[history.Entry]:
    """`{% history_of record as entries %}`: the record's history as the reader may read it."""
    return history.record_history(_user(context), record, limit=limit)
