"""Pages of operations: which operations Ukraine contributed to, when, with what."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from partnership.operations import selectors


def operation_list(request: HttpRequest) -> HttpResponse:
    contributor = request.GET.get("contributor", "ua")
    return render(
        request,
        "operations/operation_list.html",
        {
            "groups": selectors.contributions_by_operation(
                user=request.user, contributor=contributor
            )
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
