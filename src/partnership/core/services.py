"""Writes of the core: people, roles, markings and API tokens."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import (
    NATION_KINDS,
    ApiToken,
    Marking,
    Organization,
    OrganizationKind,
    Releasable,
    Role,
    RoleGrant,
    Side,
    User,
)

MSG_ASSESSOR_ALLY_ONLY = _("The assessor role is held only by people of an Allied organization.")
MSG_REPORTER_PARTNER_ONLY = _("The reporter role is held only by people of a partner agency.")
MSG_UNKNOWN_NATION = _("“%(code)s” is not the ISO code of a known nation.")
MSG_NATIONS_NEEDS_NATIONS = _("A “releasable to” marking needs at least one nation.")
MSG_NO_NATIONS_UNLESS_NATIONS = _("Nations are named only with the “releasable to” marking.")
MSG_USERNAME_TAKEN = _("The user name “%(username)s” is already taken.")
MSG_UNKNOWN_ROLE = _("“%(role)s” is not a role.")
MSG_NOT_PEOPLE_ADMINISTRATOR = _(
    "Only an administrator of the person's organization adds people to it and grants roles."
)
MSG_SUPERUSER_BY_OPERATOR = _("A superuser is created only on the server's command line.")


def can_manage_people(user: object, organization: Organization | None) -> bool:
    """An organization's administrators add its people, grant their roles and reset their
    second factors; a superuser does so in any organization."""
    if not isinstance(user, User) or not user.is_active:
        return False
    return user.is_superuser or (
        user.has_role(Role.ADMINISTRATOR)
        and organization is not None
        and user.organization_id == organization.pk
    )


def marking_clean(*, marking: str, nations: Iterable[str] = ()) -> tuple[str, str]:
    """Checks a marking and its nations; returns (marking, stored releasable_to)."""
    if marking not in Marking.values:
        raise ApplicationError(
            _("“%(value)s” is not a releasability marking.") % {"value": marking}, field="marking"
        )
    codes = sorted({c.strip().upper() for c in nations if c and c.strip()})
    if marking != Marking.NATIONS:
        if codes:
            raise ApplicationError(MSG_NO_NATIONS_UNLESS_NATIONS, field="releasable_to")
        return marking, ""
    if not codes:
        raise ApplicationError(MSG_NATIONS_NEEDS_NATIONS, field="releasable_to")
    known = set(
        Organization.objects.filter(kind__in=NATION_KINDS, country_code__in=codes).values_list(
            "country_code", flat=True
        )
    )
    for code in codes:
        if code not in known:
            raise ApplicationError(MSG_UNKNOWN_NATION % {"code": code}, field="releasable_to")
    return marking, "," + ",".join(codes) + ","


def marking_apply(*, record: Releasable, marking: str, nations: Iterable[str] = ()) -> None:
    record.marking, record.releasable_to = marking_clean(marking=marking, nations=nations)


def marking_within(
    *, marking: str, nations: Iterable[str], parent: Releasable
) -> tuple[str, list[str]]:
    """A child's marking made no wider than its parent's, for the markings the system sets
    itself (a transaction's default, an import): the narrower of the two, as a marking."""
    codes = sorted(set(nations))
    if parent.marking == Marking.PUBLIC:
        return marking, codes
    if marking == Marking.PUBLIC:
        return parent.marking, parent.releasable_codes
    if parent.marking == Marking.NATIONS:
        named = set(parent.releasable_codes)
        if marking == Marking.NATIONS:
            common = sorted(named & set(codes))
        elif marking == Marking.NATO:
            common = sorted(named & _ally_codes(named))
        else:
            common = sorted(named)
        return (Marking.NATIONS, common) if common else (parent.marking, sorted(named))
    if marking == Marking.NATIONS:
        if parent.marking == Marking.NATO:
            allies = sorted(_ally_codes(set(codes)))
            return (Marking.NATIONS, allies) if allies else (Marking.NATO, [])
        return marking, codes
    if Marking.NATO in (marking, parent.marking):
        return Marking.NATO, []
    return Marking.PARTNERSHIP, []


def _ally_codes(codes: set[str]) -> set[str]:
    return set(
        Organization.objects.filter(kind=OrganizationKind.ALLY, country_code__in=codes).values_list(
            "country_code", flat=True
        )
    )


def _role_check(*, organization: Organization | None, role: str) -> None:
    if role not in Role.values:
        raise ApplicationError(MSG_UNKNOWN_ROLE % {"role": role}, field="roles")
    side = organization.side if organization else Side.NONE
    if role == Role.ASSESSOR and side != Side.ALLY:
        raise ApplicationError(MSG_ASSESSOR_ALLY_ONLY, field="roles")
    if role == Role.REPORTER and not (
        organization is not None
        and side == Side.PARTNER
        and organization.kind == OrganizationKind.PARTNER_INSTITUTION
    ):
        raise ApplicationError(MSG_REPORTER_PARTNER_ONLY, field="roles")


@transaction.atomic
def user_create(
    *,
    by: User | None,
    username: str,
    password: str,
    organization: Organization | None,
    roles: Iterable[str] = (),
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    is_superuser: bool = False,
) -> User:
    """A person of an organization with their roles. `by` None is the operator at the server
    (the `createuser` and demo commands): whoever runs commands there holds the database
    already, as with Django's createsuperuser, so there is no one further to check."""
    if by is not None:
        if is_superuser:
            raise PermissionDeniedError(MSG_SUPERUSER_BY_OPERATOR)
        if not can_manage_people(by, organization):
            raise PermissionDeniedError(MSG_NOT_PEOPLE_ADMINISTRATOR)
    if User.objects.filter(username=username).exists():
        raise ApplicationError(MSG_USERNAME_TAKEN % {"username": username}, field="username")
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        organization=organization,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password") from exc
    user.set_password(password)
    try:
        user.full_clean()
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(" ".join(messages), field=field) from exc
    user.save()
    for role in sorted(set(roles)):
        role_grant(by=by, user=user, role=role)
    return user


@transaction.atomic
def role_grant(*, by: User | None, user: User, role: str) -> RoleGrant:
    """`by` None is the operator at the server, as for `user_create`."""
    if by is not None and not can_manage_people(by, user.organization):
        raise PermissionDeniedError(MSG_NOT_PEOPLE_ADMINISTRATOR)
    _role_check(organization=user.organization, role=role)
    grant, _created = RoleGrant.objects.get_or_create(user=user, role=role)
    user.__dict__.pop("roles", None)
    return grant


def full_clean_or_error(instance: models.Model, exclude: Iterable[str] = ()) -> None:
    """Model validation as an ApplicationError naming the first field at fault."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(" ".join(messages), field=field) from exc


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Returns the token record and the raw token, which is shown once and never stored.
    No `by`: tokens are issued only on the server's command line (`createtoken`), by whoever
    holds the server, as for `user_create` with `by` None; no page or API route issues one."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, digest=ApiToken.hash(raw), prefix=raw[:8])
    return token, raw
