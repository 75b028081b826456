"""`{{ body.abbreviation|abbr }}`: the abbreviation as the page's language writes it."""

from __future__ import annotations

from django import template

from partnership.core.glossary import abbreviation

register = template.Library()


@register.filter
def abbr(value: str) -> str:
    """ "NUC" on English pages, "КУН" on Ukrainian ones; nothing where Ukrainian has none."""
    return abbreviation(value)
