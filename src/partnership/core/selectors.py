"""The one place that decides which records a user may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from partnership.core.models import (
    Figure,
    Marking,
    Membership,
    Organization,
    OrganizationKind,
    Releasable,
    Role,
    Side,
    User,
    nations_named,
)

R = TypeVar("R", bound=Releasable)
T = TypeVar("T", bound=models.Model)
AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Clearance:
    """What a user's organization may see: the releasability decision itself, before it
    becomes a condition. `everything` (NATO staff, superusers) sees every marking;
    otherwise the records marked one of `markings`, and those marked NATIONS that name
    `nation` (an ISO code; "" for none). Models' rows get it as `visibility_filter`; the
    search index, whose rows carry each record's marking, gets the same `condition`."""

    everything: bool = False
    markings: frozenset[str] = frozenset({Marking.PUBLIC})
    nation: str = ""

    def condition(self, prefix: str = "") -> Q:
        """The condition on `{prefix}marking` and `{prefix}releasable_to`; `prefix` names a
        related record (`"programme__"`) or another pair of such columns (`"parent_"`)."""
        if self.everything:
            # No condition, so that a list joins no parents either.
            return Q()
        allowed = Q(**{f"{prefix}marking__in": sorted(self.markings)})
        if self.nation:
            allowed |= Q(
                **{
                    f"{prefix}marking": Marking.NATIONS,
                    f"{prefix}releasable_to__contains": f",{self.nation},",
                }
            )
        return allowed


PUBLIC_ONLY = Clearance()


def clearance(user: AnyUser) -> Clearance:
    """Which markings a user's organization may see.

    PUBLIC: everyone. PARTNERSHIP: NATO, the Allies and the partner. NATO: NATO and the Allies.
    NATIONS: NATO and the named nations (their institutions and embassies included).
    """
    if not user.is_authenticated or not user.is_active:
        return PUBLIC_ONLY
    if user.is_superuser:
        return Clearance(everything=True)
    org: Organization | None = user.organization
    if org is None:
        return PUBLIC_ONLY
    side = org.side
    if side == Side.NATO:
        return Clearance(everything=True)
    markings = {Marking.PUBLIC}
    if side in (Side.ALLY, Side.PARTNER):
        markings.add(Marking.PARTNERSHIP)
    if side == Side.ALLY:
        markings.add(Marking.NATO)
    nation = org.nation.country_code if org.nation is not None else ""
    return Clearance(markings=frozenset(markings), nation=nation or "")


def visibility_filter(user: AnyUser, prefix: str = "") -> Q:
    """The condition on `marking`/`releasable_to` that a user's organization may see
    (`clearance`); `prefix` puts it on a related record (`"programme__"`)."""
    return clearance(user).condition(prefix)


def released_filter(user: AnyUser, model: type[models.Model], prefix: str = "") -> Q:
    """The record's own marking and, up its `released_with` chain, each parent's: a child
    never outlives its parent's marking (a measure is seen only where its programme is)."""
    condition = visibility_filter(user, prefix)
    for path in getattr(model, "released_with", ()):
        field = model._meta.get_field(path)
        assert isinstance(field, models.ForeignKey)
        parent = field.related_model
        assert isinstance(parent, type) and issubclass(parent, models.Model)
        parent_condition = released_filter(user, parent, f"{prefix}{path}__")
        if not parent_condition:
            continue  # the parent is visible whatever its marking (an empty Q would OR away)
        if field.null:
            parent_condition |= Q(**{f"{prefix}{path}__isnull": True})
        condition &= parent_condition
    return condition


def visible_to(user: AnyUser, queryset: models.QuerySet[R]) -> models.QuerySet[R]:
    """Every list, detail, search, API call, export and report gets its rows through here."""
    return queryset.filter(released_filter(user, queryset.model))


def can_see(user: AnyUser, record: Releasable) -> bool:
    model = type(record)
    return visible_to(user, model._default_manager.filter(pk=record.pk)).exists()


class Restricted:
    """What stands in for a record the user may not see: no name, no key, no id."""

    restricted = True
    pk = None
    id = None

    def __str__(self) -> str:
        return str(RESTRICTED)

    def __bool__(self) -> bool:
        # `{% if meeting.body %}` still shows the line; the line shows the placeholder.
        return True


RESTRICTED = _("Restricted record")


def shown(user: AnyUser, record: T | None) -> T | Restricted | None:
    """The one rule for references: a record a visible record points at, as far as the user
    may see it. Pages (`{% shown %}`), API schemas (`shown_key`), exports and reports call it.

    The answer is kept on the user object for the request, so a list of fifty meetings of
    one body asks the database once."""
    if record is None or not isinstance(record, Releasable):
        return record
    cache: dict[tuple[str, Any], bool] = user.__dict__.setdefault("_shown_cache", {})
    key = (record._meta.label, record.pk)
    if key not in cache:
        cache[key] = can_see(user, record)
    return record if cache[key] else Restricted()


def shown_all(user: AnyUser, records: Iterable[T]) -> list[T]:
    """The records of a to-many link the user may see; the others are left out, since a
    placeholder for each would tell how many hidden records there are."""
    return [r for r in records if not isinstance(shown(user, r), Restricted)]


def shown_key(user: AnyUser, record: models.Model | None, attr: str = "pk") -> Any:
    """A reference's key (slug, id, code) in API answers and exports: `None` where restricted."""
    seen = shown(user, record)
    if seen is None or isinstance(seen, Restricted):
        return None
    return getattr(seen, attr)


def shown_text(user: AnyUser, record: models.Model | None, attr: str | None = None) -> str:
    """A reference's text (name, title) in exports and reports: the placeholder where
    restricted, "" where there is none."""
    seen = shown(user, record)
    if seen is None:
        return ""
    if isinstance(seen, Restricted) or attr is None:
        return str(seen)
    return str(getattr(seen, attr))


def read_nations(records: Iterable[Any]) -> None:
    """Reads the nations that the NATIONS-marked ones of `records` are releasable to in one
    query, for their `marking_label`: a list page shows one per row, and would otherwise read
    them once per row. Records that are not releasable are left alone."""
    marked = [r for r in records if isinstance(r, Releasable) and r.marking == Marking.NATIONS]
    if not marked:
        return
    nations = nations_named({code for r in marked for code in r.releasable_codes})
    for record in marked:
        codes = set(record.releasable_codes)
        record.__dict__["_nations"] = [n for n in nations if n.country_code in codes]


def can_see_who_acted(user: AnyUser | None) -> bool:
    """Whether the user sees who made a change (user names in history tables): the people who
    write records (any role above viewer) answer for one another's changes; the public and
    viewers see what changed and when, not which member of staff did it."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    return user.is_superuser or bool(set(user.roles) - {Role.VIEWER})


def figure_list() -> models.QuerySet[Figure]:
    """The figures the factsheet states, in the order it states them."""
    return Figure.objects.order_by("source_line", "pk")


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


def history_for(user: AnyUser, record: models.Model) -> models.QuerySet[Any]:
    """A record's versions the user may see, each by its own marking at the time: history by
    version, so that a record re-marked PUBLIC keeps its NATO-era wording from the public."""
    versions: models.QuerySet[Any] = record.history.all()  # type: ignore[attr-defined]
    if isinstance(record, Releasable):
        versions = versions.filter(visibility_filter(user))
    return versions


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


def marking_default(user: AnyUser, *, nations: bool = True) -> dict[str, Any]:
    """The marking a new record's form starts with: the most restrictive one its author still
    sees, never PUBLIC (releasing to the public is a choice, not a default). NATO staff start
    at NATO; a nation's staff at "releasable to" their own nation; anyone else at PARTNERSHIP.
    Returned as a form's initial data (`marking`, `nations` as country codes); a form without
    a nations field (`nations=False`) starts a nation's staff at PARTNERSHIP."""
    organization = getattr(user, "organization", None)
    if organization is not None and organization.side == Side.NATO:
        return {"marking": Marking.NATO, "nations": []}
    nation = organization.nation if organization is not None else None
    if nations and nation is not None and nation.country_code:
        return {"marking": Marking.NATIONS, "nations": [nation.country_code]}
    return {"marking": Marking.PARTNERSHIP, "nations": []}


def standing_measurements() -> models.Prefetch:
    """An indicator's measurements that count: every reader of results prefetches these (a
    withdrawn value stays in the database and its history, nowhere else)."""
    from partnership.core.models import Measurement

    return models.Prefetch("measurements", queryset=Measurement.objects.filter(withdrawn_at=None))
