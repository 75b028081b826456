"""Second factors: who needs one, enrolment of TOTP and recovery codes, an administrator's reset."""

from __future__ import annotations

import base64
import logging
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Role, User
from partnership.core.services import can_manage_people

logger = logging.getLogger(__name__)

MSG_WRONG_CODE = _("That code is not right (or it has expired); enter the current code.")
MSG_THROTTLED = _("Too many wrong codes: wait a minute before the next try.")
MSG_NO_PENDING_SETUP = _("Start the authenticator setup again.")
MSG_NOT_ADMINISTRATOR = _(
    "Only an administrator of the person's organization resets their second factor."
)
RECOVERY_CODE_COUNT = 10
TOTP_DIGITS = 6
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def second_factor_required(user: Any) -> bool:
    """Whether this person must pass a second factor: under MFA_REQUIRED, every role above
    viewer (a viewer reads only what their organization may read anyway) and the superusers."""
    if not settings.MFA_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(set(user.roles) - {Role.VIEWER})


def second_factor_enrolled(user: User) -> bool:
    """An authenticator app or a passkey; recovery codes back them up, they are not one."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def second_factors_of(user: User) -> dict[str, Any]:
    return {
        "totp": list(TOTPDevice.objects.filter(user=user, confirmed=True)),
        "passkeys": list(WebAuthnCredential.objects.filter(user=user, confirmed=True)),
        "recovery_left": StaticToken.objects.filter(
            device__user=user, device__confirmed=True
        ).count(),
    }


@transaction.atomic
def totp_begin(*, user: User) -> TOTPDevice:
    """A new authenticator secret, not yet usable: it counts once the person types a code."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def totp_pending(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def token_check(*, device: Any, token: str) -> bool:
    """django-otp's check with its throttling: a wrong code makes the next try wait."""
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        raise ApplicationError(MSG_THROTTLED, field="code", code="throttled")
    return bool(device.verify_token(token.strip().replace(" ", "")))


@transaction.atomic
def totp_confirm(*, user: User, token: str) -> list[str]:
    """Confirms the pending authenticator with a code from it; returns new recovery codes when
    the person had none (shown once, stored only as django-otp's static tokens)."""
    device = totp_pending(user=user)
    if device is None:
        raise ApplicationError(MSG_NO_PENDING_SETUP, field="code")
    if not token_check(device=device, token=token):
        raise ApplicationError(MSG_WRONG_CODE, field="code", code="wrong_code")
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    if StaticToken.objects.filter(device__user=user).exists():
        return []
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new single-use recovery codes; the old ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [f"{secrets.randbelow(10**10):010d}" for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


def second_factor_verify(*, user: User, token: str) -> Any:
    """The device a code belongs to, or an error naming what is wrong. Six digits are the
    authenticator's, ten a recovery code's (used up): each kind is tried, and throttled, alone,
    so that a mistyped recovery code does not make the authenticator wait."""
    token = token.strip().replace(" ", "")
    devices: list[Any] = (
        list(TOTPDevice.objects.filter(user=user, confirmed=True))
        if len(token) <= TOTP_DIGITS
        else list(StaticDevice.objects.filter(user=user, confirmed=True))
    )
    for device in devices:
        if token_check(device=device, token=token):
            return device
    raise ApplicationError(MSG_WRONG_CODE, field="code", code="wrong_code")


@transaction.atomic
def second_factor_reset(*, by: User | None, user: User) -> int:
    """Removes every second factor of a person who lost theirs (authenticator, passkeys,
    recovery codes); they enrol again at their next login. `by` None is the command line."""
    if by is not None and not can_manage_people(by, user.organization):
        raise PermissionDeniedError(MSG_NOT_ADMINISTRATOR)
    removed = 0
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        removed += model.objects.filter(user=user).delete()[0]
    logger.warning(
        "second factor reset for %s by %s", user.username, by.username if by else "command line"
    )
    return removed


@transaction.atomic
def totp_install(*, user: User, secret: str) -> TOTPDevice:
    """An authenticator with a known base32 secret, confirmed, with recovery codes: for the
    demo user whose secret the demo prints, so a newcomer can try the second step."""
    key = base64.b32decode(secret.upper().replace(" ", "")).hex()
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=key, confirmed=True)
    if not StaticToken.objects.filter(device__user=user).exists():
        recovery_codes_renew(user=user)
    return device
