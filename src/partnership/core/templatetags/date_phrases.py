"""Template filters for dates inside a sentence: `{{ a.signed|date_in }}` ("у липні 1997 року")."""

from __future__ import annotations

from django import template

from partnership.core.date_phrases import date_phrase

register = template.Library()


@register.filter
def date_in(value: str) -> str:
    """When something happened: "in July 1997", "у липні 1997 року", "on 2 March 2014"."""
    return date_phrase(value, "in")


@register.filter
def date_since(value: str) -> str:
    """ "since July 1997", "з липня 1997 року"."""
    return date_phrase(value, "since")


@register.filter
def date_until(value: str) -> str:
    """ "until December 2011", "до грудня 2011 року"."""
    return date_phrase(value, "until")
