"""Approving exchange agreements, and exporting them to the ASDE service's configuration."""

from __future__ import annotations

from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from partnership.airpicture.models import ExchangeAgreement
from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Role, User

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


@transaction.atomic
def agreement_approve(*, by: User, agreement: ExchangeAgreement) -> ExchangeAgreement:
    """Each side approves once; the version is in force (from its date) when both have."""
    side = _side_of(by, agreement)
    if side is None or not by.has_role(Role.APPROVER):
        raise PermissionDeniedError(MSG_APPROVERS_ONLY)
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
    if _side_of(by, previous) is None or not by.has_role(Role.AIR_OPERATIONS):
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
