"""Filters of the core lists (django-filter) and the text filter every list shares."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django_filters import fields
from django.utils.translation import gettext_lazy as _

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


class _ListedModelChoiceField(fields.ModelChoiceField):
    iterator = _ListedChoices


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
