"""Pages of operations: which operations Ukraine contributed to, when, with what."""

from __future__ import annotations

import django_filters
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext, gettext_lazy

from partnership.core.filters import text_filter
from partnership.core.lists import NUMBER, Column, record_list
from partnership.core.partial_input import shown_partial
from partnership.operations import selectors
from partnership.operations.models import ContributionKind, OperationKind


class ContributionFilter(django_filters.FilterSet):
    q = text_filter("operation__name_en", "operation__name_uk", "operation__abbreviation",
                    "asset_en", "asset_uk")  # fmt: skip
    operation_kind = django_filters.ChoiceFilter(
        field_name="operation__kind", label=gettext_lazy("Operation or mission"),
        choices=OperationKind.choices, empty_label=gettext_lazy("All"),
    )  # fmt: skip
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"), choices=ContributionKind.choices,
        empty_label=gettext_lazy("All"),
    )  # fmt: skip


# One row per contribution; partial dates sort by their start, then their end ("2015" before
# "May 2015"), the undated last.
CONTRIBUTION_COLUMNS = (
    Column(
        "operation",
        gettext_lazy("Operation or mission"),
        lambda c, u: c.operation.name,
        ("operation__name_en",),
    ),
    Column(
        "when",
        gettext_lazy("When"),
        lambda c, u: shown_partial(c.period) or gettext("date not stated"),
        ("period_start", "period_end"),
    ),
    Column("asset", gettext_lazy("With what"), lambda c, u: c.asset, ("asset_en",)),
    Column("kind", gettext_lazy("Kind"), lambda c, u: c.get_kind_display(), ("kind",)),
    Column(
        "personnel", gettext_lazy("Personnel"), lambda c, u: c.personnel, ("personnel",), NUMBER
    ),
)


def operation_list(request: HttpRequest) -> HttpResponse:
    contributor = request.GET.get("contributor", "ua")
    listing = record_list(
        request,
        selectors.contribution_list(user=request.user, contributor=contributor),
        columns=CONTRIBUTION_COLUMNS,
        default_sort="when",
        filterset=ContributionFilter,
        filename="operations",
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "operations/operation_list.html",
        {
            "rows": listing.page,
            "listing": listing,
            "operations": len({c.operation_id for c in listing.page.paginator.object_list}),
        },
    )


def operation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    operation = selectors.operation_get(user=request.user, slug=slug)
    if operation is None:
        raise Http404
    return render(
        request,
        "operations/operation_detail.html",
        {
            "operation": operation,
            "contributions": selectors.contribution_list(user=request.user, operation=operation),
        },
    )
