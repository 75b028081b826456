"""Approving exchange agreements, exporting them to the ASDE service's configuration, and the
operators' actions on their air operations centre's alerts."""

from __future__ import annotations

from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from asde.alerts import RenegadeLevel
from partnership.airpicture.centres import Actor, CentreClient, CentreError, CentreRefused
from partnership.airpicture.error_codes import AirPictureErrorCode as Code
from partnership.airpicture.models import ExchangeAgreement
from partnership.airpicture.selectors import centre_error, centre_operated_by
from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Role, User
from partnership.notifications import events

MSG_APPROVERS_ONLY = _("Only approvers of one of the two sides may approve an agreement.")
MSG_ALREADY = _("Your side has already approved this version.")


def _side_of(user: User, agreement: ExchangeAgreement) -> str | None:
    org = user.organization
    if org is None:
        return None
    nation = org.nation
    for side, party in (("sender", agreement.sender), ("partner", agreement.partner)):
        if org.pk == party.pk or (nation is not None and party.nation is not None
                                  and nation.pk == party.nation.pk):  # fmt: skip
            return side
        if org.side == "nato" and party.side == "nato":
            return side
    return None


def can_approve_agreement(user: object, agreement: ExchangeAgreement) -> bool:
    """An approver in air operations of one of the two sides, who may see the agreement.
    The page (for air operations) and the service ask this, so an approver elsewhere in the
    organization is refused by both."""
    from partnership.core.selectors import can_see

    return (
        isinstance(user, User)
        and user.is_active
        and user.has_role(Role.AIR_OPERATIONS)
        and user.has_role(Role.APPROVER)
        and _side_of(user, agreement) is not None
        and can_see(user, agreement)
    )


def can_draw_version(user: object, agreement: ExchangeAgreement) -> bool:
    """Air operations of one of the two sides draw a new version of an agreement they see."""
    from partnership.core.selectors import can_see

    return (
        isinstance(user, User)
        and user.is_active
        and user.has_role(Role.AIR_OPERATIONS)
        and _side_of(user, agreement) is not None
        and can_see(user, agreement)
    )


@transaction.atomic
def agreement_approve(*, by: User, agreement: ExchangeAgreement) -> ExchangeAgreement:
    """Each side approves once; the version is in force (from its date) when both have."""
    if not can_approve_agreement(by, agreement):
        raise PermissionDeniedError(MSG_APPROVERS_ONLY)
    side = _side_of(by, agreement)
    agreement = ExchangeAgreement.objects.select_for_update().get(pk=agreement.pk)
    agreement_check(agreement)  # a version stored before the service's rules applied here
    field = f"approved_by_{side}"
    if getattr(agreement, f"{field}_id") is not None:
        raise ApplicationError(MSG_ALREADY)
    setattr(agreement, field, by)
    agreement.save(update_fields=[field])
    return agreement


def agreement_export(agreement: ExchangeAgreement) -> str:
    """The agreement as the YAML file `asde run` reads (see asde.agreements)."""
    data: dict[str, Any] = {
        "name": agreement.name,
        "partner": agreement.partner.country_code or agreement.partner.slug.upper(),
        "version": agreement.version,
        "valid_from": str(agreement.valid_from),
        "valid_to": str(agreement.valid_to) if agreement.valid_to else None,
        "areas": [agreement.area],
        "altitude": {"min_ft": agreement.min_ft, "max_ft": agreement.max_ft},
        "remove_items": [i.strip() for i in agreement.remove_items.split(",") if i.strip()],
        "update_period_s": agreement.update_period_s,
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


MSG_BAD_AREA = _("The area must be one closed polygon of at least three points.")
MSG_BAD_DATES = _("The version must end after it starts.")
MSG_BAD_BAND = _("The lowest altitude must be below the highest.")
MSG_BAD_ITEM = _("“%(item)s” is not a CAT 062 item or subfield that may be removed.")
MSG_BAD_PERIOD = _("The update period must be 0 to 3,600 seconds.")
MSG_REFUSED = _("The ASDE service would not load this version.")

# The form's field for each key of the ASDE agreement mapping.
_FIELDS = {"areas": "area", "valid_from": "valid_from", "valid_to": "valid_to",
           "altitude": "max_ft", "remove_items": "remove_items",
           "update_period_s": "update_period_s"}  # fmt: skip


def _service_refusal(error: Any) -> ApplicationError:
    """ASDE's refusal of a version, in the user's language, on the field it is about."""
    from asde.agreements import AgreementProblem

    messages = {
        AgreementProblem.BAD_AREA: MSG_BAD_AREA, AgreementProblem.NO_AREA: MSG_BAD_AREA,
        AgreementProblem.DATES_ORDER: MSG_BAD_DATES,
        AgreementProblem.ALTITUDE_ORDER: MSG_BAD_BAND,
        AgreementProblem.BAD_PERIOD: MSG_BAD_PERIOD,
    }  # fmt: skip
    if error.problem == AgreementProblem.BAD_ITEM:
        message: Any = MSG_BAD_ITEM % {"item": error.value}
    else:
        message = messages.get(error.problem, MSG_REFUSED)
    return ApplicationError(message, field=_FIELDS.get(error.field))


@transaction.atomic
def agreement_new_version(
    *,
    by: User,
    previous: ExchangeAgreement,
    area: Any,
    valid_from: Any,
    valid_to: Any = None,
    min_ft: int = 0,
    max_ft: int = 66000,
    remove_items: str = "",
    update_period_s: int = 4,
) -> ExchangeAgreement:
    """A new version of an agreement (areas are never edited in place): unapproved until both
    sides approve it. It is checked by ASDE's own code (`asde.agreements`), as the service
    will load it: what the platform accepts, the service runs."""
    if not can_draw_version(by, previous):
        raise PermissionDeniedError(MSG_APPROVERS_ONLY)
    if not isinstance(area, dict) or area.get("type") != "Polygon":
        raise ApplicationError(MSG_BAD_AREA, field="area")  # the form draws one polygon
    latest = (
        ExchangeAgreement.objects.filter(sender=previous.sender, partner=previous.partner)
        .order_by("-version")
        .first()
    )
    agreement = ExchangeAgreement(
        sender=previous.sender, partner=previous.partner,
        version=(latest.version if latest else 0) + 1, name=previous.name,
        valid_from=valid_from, valid_to=valid_to, area=area, min_ft=min_ft, max_ft=max_ft,
        remove_items=remove_items, update_period_s=update_period_s,
        marking=previous.marking, releasable_to=previous.releasable_to,
    )  # fmt: skip
    agreement_check(agreement)
    agreement.save()
    return agreement


def agreement_check(agreement: ExchangeAgreement) -> None:
    """The version as `asde run` would load it (its export, through `asde.agreements`):
    ApplicationError, translated, on the field ASDE refuses."""
    from asde.agreements import AgreementError, CompiledFilter, agreement_from_mapping

    try:
        CompiledFilter(agreement_from_mapping(yaml.safe_load(agreement_export(agreement))))
    except AgreementError as error:
        raise _service_refusal(error) from None


# -- actions on the operator's own centre ---------------------------------------------------------
MSG_NO_SUCH_ALERT = _("Your air operations centre has no alert number %(number)d.")
MSG_NO_RENEGADE = _("Your air operations centre has no renegade alert for track %(track)d.")
MSG_NOT_OWN_TRACK = _(
    "Track %(track)d has no active renegade alert of your centre: only the centre that holds "
    "a track escalates it."
)
MSG_BAD_LEVEL = _("“%(level)s” is not a renegade level; choose suspected, probable or confirmed.")
MSG_LEVEL_LOWERED = _("A renegade level is raised, never lowered.")
MSG_ACTION_REFUSED = _("Your air operations centre does not allow this action.")

ESCALATION_LEVELS = tuple(level.name.lower() for level in RenegadeLevel if level)


def _actor(user: User) -> Actor:
    organization = user.organization
    return Actor(
        name=user.get_full_name() or user.get_username(),
        organization=organization.name_en if organization is not None else "",
        role=str(Role.AIR_OPERATIONS),
    )


def alert_acknowledge(*, by: User, number: int) -> dict[str, Any]:
    """The person acknowledges an alert on their own centre (its own alert or the partner's copy)."""
    client = CentreClient(centre_operated_by(user=by))
    try:
        answer: dict[str, Any] = client.post_json(
            f"/alerts/{number}/acknowledge", {}, actor=_actor(by)
        )
    except CentreRefused as error:
        if error.status == 404:
            raise ApplicationError(
                MSG_NO_SUCH_ALERT % {"number": number}, code=Code.NO_SUCH_ALERT
            ) from None
        if error.status == 403:
            raise PermissionDeniedError(MSG_ACTION_REFUSED, code=Code.CENTRE_REFUSED) from None
        raise centre_error(error) from None
    except CentreError as error:
        raise centre_error(error) from None
    return answer


def track_escalate(*, by: User, track: int, level: str) -> dict[str, Any]:
    """The person raises the renegade level of a track their own centre holds.

    The centre decides whether the track is its own and the level higher; the platform only
    refuses what is not a level at all, before anything is sent.
    """
    if level not in ESCALATION_LEVELS:
        raise ApplicationError(MSG_BAD_LEVEL % {"level": level}, field="level", code=Code.BAD_LEVEL)
    client = CentreClient(centre_operated_by(user=by))
    try:
        answer: dict[str, Any] = client.post_json(
            f"/tracks/{track}/renegade", {"level": level}, actor=_actor(by)
        )
    except CentreRefused as error:
        if error.status == 404:
            raise ApplicationError(
                MSG_NO_RENEGADE % {"track": track}, code=Code.NO_SUCH_ALERT
            ) from None
        # 409 is the centre's "not now": the track is not its own (or its alert has ended), or
        # the level would go down; only its reason tells the two apart.
        if error.status == 409 and "lower" in error.reason:
            raise ApplicationError(MSG_LEVEL_LOWERED, code=Code.BAD_LEVEL) from None
        if error.status == 409:
            raise PermissionDeniedError(
                MSG_NOT_OWN_TRACK % {"track": track}, code=Code.NOT_OWN_TRACK
            ) from None
        if error.status == 403:
            raise PermissionDeniedError(MSG_ACTION_REFUSED, code=Code.CENTRE_REFUSED) from None
        raise centre_error(error) from None
    except CentreError as error:
        raise centre_error(error) from None
    events.announce(events.renegade_escalated, track=track, level=level, by=by)
    return answer
