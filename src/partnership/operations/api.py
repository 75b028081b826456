"""API of operations and contributions."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from partnership.core.auth import READ
from partnership.core.models import localized
from partnership.core.partial_dates import PartialDate
from partnership.operations import selectors

router = Router(tags=["operations"])


class ContributionOut(Schema):
    operation: str
    contributor: str
    kind: str
    asset: str
    period: str
    period_display: str
    personnel: int | None
    marking: str

    @staticmethod
    def resolve_operation(obj: Any) -> str:
        return str(obj.operation.slug)

    @staticmethod
    def resolve_contributor(obj: Any) -> str:
        return str(obj.contributor.slug)

    @staticmethod
    def resolve_period_display(obj: Any) -> str:
        return PartialDate.parse(obj.period).render() if obj.period else ""


class OperationOut(Schema):
    slug: str
    kind: str
    name: str
    abbreviation: str
    theatre: str
    period: str
    marking: str

    @staticmethod
    def resolve_theatre(obj: Any) -> str:
        return localized(obj, "theatre")


@router.get("/operations", response=list[OperationOut], auth=READ)
def operations(request: HttpRequest) -> Any:
    return selectors.operation_list(user=request.user)


@router.get("/operations/{slug}/contributions", response=list[ContributionOut], auth=READ)
def operation_contributions(request: HttpRequest, slug: str) -> Any:
    operation = selectors.operation_get(user=request.user, slug=slug)
    if operation is None:
        raise Http404
    return selectors.contribution_list(user=request.user, operation=operation)


@router.get("/contributions", response=list[ContributionOut], auth=READ)
def contributions(request: HttpRequest, contributor: str = "") -> Any:
    return selectors.contribution_list(user=request.user, contributor=contributor)
