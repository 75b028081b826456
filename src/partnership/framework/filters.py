"""Filters of the framework's lists (django-filter), over rows the selectors already made
visible: a filter only narrows, it never widens."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from partnership.core.filters import ModelChoiceFilter, text_filter
from partnership.core.models import Marking, Organization
from partnership.framework import selectors
from partnership.framework.models import ActionStatus, AgreementKind, BodyKind, MeetingLevel


def _visible_bodies(request: Any) -> QuerySet[Any]:
    return (
        selectors.body_list(user=request.user)
        if request is not None
        else selectors.Body.objects.none()
    )


class MeetingFilter(django_filters.FilterSet):
    q = text_filter("title_en", "title_uk", "place_en", "place_uk")
    level = django_filters.ChoiceFilter(
        label=_("Level"), choices=MeetingLevel.choices, empty_label=_("All levels")
    )
    body = ModelChoiceFilter(
        label=_("Body"), queryset=_visible_bodies, to_field_name="slug", empty_label=_("All")
    )
    year = django_filters.NumberFilter(
        label=_("Year"), field_name="date_start", lookup_expr="year", min_value=1991, max_value=2100
    )
    marking = django_filters.ChoiceFilter(
        label=_("Releasability"), choices=Marking.choices, empty_label=_("All")
    )


class ActionItemFilter(django_filters.FilterSet):
    q = text_filter("title_en", "title_uk")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ActionStatus.choices, empty_label=_("All")
    )
    owner = ModelChoiceFilter(
        label=_("Owner"),
        queryset=Organization.objects.order_by("name_en"),
        to_field_name="slug",
        empty_label=_("All"),
    )
    deadline_before = django_filters.DateFilter(
        label=_("Deadline by"), field_name="deadline", lookup_expr="lte"
    )


class AgreementFilter(django_filters.FilterSet):
    q = text_filter("title_en", "title_uk", "covers_en", "covers_uk")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=AgreementKind.choices, empty_label=_("All")
    )


class BodyFilter(django_filters.FilterSet):
    q = text_filter("name_en", "name_uk", "abbreviation")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=BodyKind.choices, empty_label=_("All")
    )
