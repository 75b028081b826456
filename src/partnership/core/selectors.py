"""The one place that decides which records a user may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language

from partnership.core.models import (
    Marking,
    Membership,
    Organization,
    OrganizationKind,
    Releasable,
    Side,
    User,
)

R = TypeVar("R", bound=Releasable)
AnyUser = User | AnonymousUser


def visibility_filter(user: AnyUser) -> Q:
    """The condition on `marking`/`releasable_to` that a user's organization may see.

    PUBLIC: everyone. PARTNERSHIP: NATO, the Allies and the partner. NATO: NATO and the Allies.
    NATIONS: NATO and the named nations (their institutions and embassies included).
    """
    public = Q(marking=Marking.PUBLIC)
    if not user.is_authenticated or not user.is_active:
        return public
    if user.is_superuser:
        return Q()
    org: Organization | None = user.organization
    if org is None:
        return public
    side = org.side
    allowed = public
    if side in (Side.NATO, Side.ALLY, Side.PARTNER):
        allowed |= Q(marking=Marking.PARTNERSHIP)
    if side in (Side.NATO, Side.ALLY):
        allowed |= Q(marking=Marking.NATO)
    if side == Side.NATO:
        allowed |= Q(marking=Marking.NATIONS)
    elif org.nation is not None:
        code = org.nation.country_code
        allowed |= Q(marking=Marking.NATIONS, releasable_to__contains=f",{code},")
    return allowed


def visible_to(user: AnyUser, queryset: models.QuerySet[R]) -> models.QuerySet[R]:
    """Every list, detail, search, API call, export and report gets its rows through here."""
    return queryset.filter(visibility_filter(user))


def can_see(user: AnyUser, record: Releasable) -> bool:
    model = type(record)
    return visible_to(user, model._default_manager.filter(pk=record.pk)).exists()


def organization_list() -> models.QuerySet[Organization]:
    return Organization.objects.select_related("parent").order_by("kind", "name_en")


def people_of(*, organization: Organization) -> models.QuerySet[User]:
    """The people of one organization, with their roles."""
    return (
        User.objects.filter(organization=organization)
        .prefetch_related("role_grants")
        .order_by("username")
    )


def organizations_by_slug(slugs: list[str], *, field: str) -> dict[str, Organization]:
    """The organizations with these keys, in one query; an unknown key is refused naming it."""
    from django.utils.translation import gettext as _

    from partnership.core.exceptions import ApplicationError

    found = {o.slug: o for o in Organization.objects.filter(slug__in=slugs)}
    for slug in slugs:
        if slug not in found:
            raise ApplicationError(
                _("“%(value)s” is not a known organization.") % {"value": slug}, field=field
            )
    return found


def members_on(*, organizations: Iterable[Organization], on: dt.date) -> list[Organization]:
    """Those of `organizations` that were members on `on` wherever their membership is dated:
    Finland is an Ally from 4 April 2023, so not among the Allies of the factsheet of May 2015.
    An organization with no dated membership is kept as it is recorded."""
    orgs = list(organizations)
    periods: dict[int, list[Membership]] = {}
    for membership in Membership.objects.filter(member__in=orgs):
        periods.setdefault(membership.member_id, []).append(membership)
    return [
        org for org in orgs if org.pk not in periods or any(_covers(m, on) for m in periods[org.pk])
    ]


def allies_on(*, on: dt.date) -> list[Organization]:
    """The Allied nations on a date, by their dated membership of NATO."""
    allies = Organization.objects.filter(kind=OrganizationKind.ALLY).order_by("name_en")
    dated = Membership.objects.filter(member__kind=OrganizationKind.ALLY).values("member")
    return members_on(organizations=allies.filter(pk__in=dated), on=on)


def _covers(membership: Membership, on: dt.date) -> bool:
    started = membership.since_start is not None and membership.since_start <= on
    ended = (
        bool(membership.until) and membership.until_end is not None and membership.until_end < on
    )
    return started and not ended


def membership_source(*, organizations: Iterable[Organization]) -> str:
    """Where the dates of these organizations' memberships come from ("" when none is dated)."""
    found = (
        Membership.objects.filter(member__in=list(organizations))
        .exclude(source_text="")
        .values_list("source_text", flat=True)
        .first()
    )
    return found or ""


UKRAINIAN_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"


def by_name(organizations: Iterable[Organization]) -> list[Organization]:
    """Organizations in the alphabetical order of the page's language: Ukrainian puts "І"
    after "И" (Unicode puts it before "А"), and "Італія" after "Іспанія"."""
    orgs = list(organizations)
    if not (get_language() or "en").startswith("uk"):
        return sorted(orgs, key=lambda org: org.name.casefold())
    order = {letter: n for n, letter in enumerate(UKRAINIAN_ALPHABET)}
    return sorted(
        orgs,
        key=lambda org: [order.get(c, 100 + ord(c)) for c in org.name.casefold() if c not in "'’ "],
    )
