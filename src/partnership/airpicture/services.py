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
