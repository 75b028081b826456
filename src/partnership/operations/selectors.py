"""Reads of operations and contributions, through `visible_to`."""

from django.db import models

from partnership.core.selectors import AnyUser, visible_to
from partnership.operations.models import Contribution, Operation


def operation_list(*, user: AnyUser) -> models.QuerySet[Operation]:
    return visible_to(user, Operation.objects.all()).order_by(
        models.F("period_start").asc(nulls_last=True), "name_en"
    )


def operation_get(*, user: AnyUser, slug: str) -> Operation | None:
    return operation_list(user=user).filter(slug=slug).first()


def contribution_list(
    *, user: AnyUser, contributor: str = "", operation: Operation | None = None
) -> models.QuerySet[Contribution]:
    """Contributions in time order; `contributor` is an organization key (e.g. "ua")."""
    qs = visible_to(user, Contribution.objects.select_related("operation", "contributor"))
    qs = qs.filter(operation__in=operation_list(user=user))
    if contributor:
        qs = qs.filter(contributor__slug=contributor)
    if operation is not None:
        qs = qs.filter(operation=operation)
    # Contributions the source does not date come last.
    return qs.order_by(models.F("period_start").asc(nulls_last=True), "id")


def contributions_by_operation(
    *, user: AnyUser, contributor: str
) -> list[tuple[Operation, list[Contribution]]]:
    """ "Which operations has X contributed to, when, with what": operations in the order of
    the first contribution, each with its contributions."""
    grouped: dict[int, tuple[Operation, list[Contribution]]] = {}
    for contribution in contribution_list(user=user, contributor=contributor):
        entry = grouped.setdefault(contribution.operation_id, (contribution.operation, []))
        entry[1].append(contribution)
    return list(grouped.values())
