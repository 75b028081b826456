"""Filters of the core lists (django-filter) and the text filter every list shares."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters import fields

from partnership.core.models import OrganizationKind


class _ListedChoices(fields.ModelChoiceIterator):
    """A select's options read with one plain query: Django reads them through `iterator()`,
    on PostgreSQL a server-side cursor (declare, fetch, close: three round trips), which a
    list page's filter of ten bodies or fifty organizations does not need."""

    def __iter__(self) -> Any:
        if self.field.null_label is not None:
            yield from super().__iter__()
            return
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's widgets/attrs.html, in Python."""
    return "".join(
        f" {conditional_escape(name)}"
        + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


class _ListedSelect(forms.Select):
    """The select of a list's filter written as Django's select.html and select_option.html
    write it, byte for byte, without a template for each of its fifty options. Its options'
    labels are records' names and the empty choice's label: text, as the templates show it."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"', widget["name"]), _attrs(widget["attrs"]), ">"]
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                parts.append(
                    format_html('\n  <option value="{}"', str(option["value"]))
                    + _attrs(option["attrs"])
                    + format_html(">{}</option>\n", option["label"])
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")  # the renderer strips the template's closing newline
        return mark_safe("".join(parts))  # every value above is escaped


class _ListedModelChoiceField(fields.ModelChoiceField):
    iterator = _ListedChoices
    widget = _ListedSelect


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's ModelChoiceFilter whose options are read as one list (`_ListedChoices`)."""

    field_class = _ListedModelChoiceField


def text_filter(*fields: str) -> django_filters.CharFilter:
    """A "contains" filter over the given fields (both languages' where a page names both)."""

    def method(queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        condition = Q()
        for field in fields:
            condition |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(condition)

    return django_filters.CharFilter(label=_("Contains"), method=method, max_length=200)


class OrganizationFilter(django_filters.FilterSet):
    q = text_filter("name_en", "name_uk", "abbreviation", "country_code")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=OrganizationKind.choices, empty_label=_("All")
    )
