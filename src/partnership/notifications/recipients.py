"""Who is told of what: the people of organizations, by role (one rule per kind, here only)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import QuerySet

from partnership.core.models import Organization, Role, Side, User


def people(
    *, organizations: Iterable[Organization | int], roles: Iterable[str] = ()
) -> QuerySet[User]:
    ids = [o if isinstance(o, int) else o.pk for o in organizations]
    rows = User.objects.filter(is_active=True, organization_id__in=ids)
    roles = list(roles)
    if roles:
        rows = rows.filter(role_grants__role__in=roles)
    return rows.distinct().select_related("organization")


def people_within(*, organizations: Iterable[Organization]) -> list[User]:
    """The people of these organizations and of every organization under them: a body's
    members are nations and NATO, its people work in their ministries and staffs."""
    members = {o.pk for o in organizations}
    found = []
    for user in User.objects.filter(is_active=True, organization__isnull=False).select_related(
        "organization__parent__parent"
    ):
        org: Organization | None = user.organization
        for _depth in range(10):
            if org is None:
                break
            if org.pk in members:
                found.append(user)
                break
            org = org.parent
    return found


def nato_approvers() -> list[User]:
    """NATO's approvers (Allies' decisions are recorded by them)."""
    rows = User.objects.filter(is_active=True, role_grants__role=Role.APPROVER).distinct()
    return [u for u in rows.select_related("organization") if u.organization
            and u.organization.side == Side.NATO]  # fmt: skip


def air_operations_of_both_sides() -> QuerySet[User]:
    """The air-operations staff of every organization that operates an ASDE centre."""
    keys = [key for centre in settings.ASDE_CENTRES.values() for key in centre["organizations"]]
    organizations = Organization.objects.filter(slug__in=keys)
    return people(organizations=organizations, roles=[Role.AIR_OPERATIONS])
