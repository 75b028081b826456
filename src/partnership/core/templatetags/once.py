"""`{% form_once %}`: the one-time token of a form (see `core.middleware.OneTimeFormMiddleware`).
A builtin (settings TEMPLATES), so every template may use it without `{% load %}`."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()
FIELD = "form_once"


@register.simple_tag
def form_once() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)
