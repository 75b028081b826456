"""Which ASDE centre a person operates, and what the platform reads from it for them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from partnership.airpicture.centres import (
    CentreClient,
    CentreCredentialMissing,
    CentreError,
    CentreRefused,
    CentreSettings,
    CentreUnreachable,
    configured_centres,
)
from partnership.airpicture.error_codes import AirPictureErrorCode as Code
from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Role, User

MSG_NOT_AIR_OPERATIONS = _("The live air picture is for air-operations staff only.")
MSG_NO_CENTRE = _(
    "Your organization operates no air operations centre, so there is no air picture to show you."
)
MSG_UNREACHABLE = _("Your air operations centre does not answer. Try again in a moment.")
MSG_CREDENTIAL = _(
    "The platform has no credential for your air operations centre; ask the administrator."
)
MSG_REFUSED = _("Your air operations centre refused the request.")


def centre_operated_by(*, user: User) -> CentreSettings:
    """The centre whose picture this person sees and acts on: their organization's, by configuration.

    Only the organization decides (`ASDE_CENTRES[...]["organizations"]`): a NATO operator reads
    NATO's centre (its own picture and what the partner sent), a Ukrainian operator Ukraine's
    (its own picture and what NATO released to it), never the other centre.
    """
    if not user.has_role(Role.AIR_OPERATIONS):
        raise PermissionDeniedError(MSG_NOT_AIR_OPERATIONS, code=Code.NOT_AIR_OPERATIONS)
    organization = user.organization
    if organization is not None:
        for centre in configured_centres():
            if organization.slug in centre.organizations:
                return centre
    raise PermissionDeniedError(MSG_NO_CENTRE, code=Code.NO_CENTRE)


def centre_error(error: CentreError) -> ApplicationError:
    """A failure of the centre as the operator is told about it (the details go to the log)."""
    if isinstance(error, CentreCredentialMissing):
        return ApplicationError(MSG_CREDENTIAL, code=Code.CENTRE_CREDENTIAL)
    if isinstance(error, CentreRefused):
        return ApplicationError(MSG_REFUSED, code=Code.CENTRE_REFUSED)
    assert isinstance(error, CentreUnreachable)
    return ApplicationError(MSG_UNREACHABLE, code=Code.CENTRE_UNREACHABLE)


def _read(user: User, path: str) -> Any:
    client = CentreClient(centre_operated_by(user=user))
    try:
        return client.get_json(path)
    except CentreError as error:
        raise centre_error(error) from None


def centre_alerts(*, user: User) -> list[dict[str, Any]]:
    """The current and recent alerts of the person's centre, own and partner copies, newest first."""
    answer = _read(user, "/alerts")
    # The centre lists them either as one list or grouped by picture ({"own": [], "partner": []}).
    rows = answer if isinstance(answer, list) else [a for v in answer.values() for a in v]
    return sorted(rows, key=lambda a: str(a.get("raised_at") or a.get("time") or ""), reverse=True)


def centre_links(*, user: User) -> dict[str, Any]:
    """The state of the centre's links to its partner."""
    answer = _read(user, "/links")
    if not isinstance(answer, dict):
        raise ApplicationError(MSG_REFUSED, code=Code.CENTRE_REFUSED)
    return answer


def centre_event_stream(*, user: User) -> CentreClient:
    """The client whose event stream the person's map follows (decided before streaming starts)."""
    return CentreClient(centre_operated_by(user=user))
