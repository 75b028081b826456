"""Logging in as an attacker and as a person would: lockout, the second factor, its reset."""

import base64
import time

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from partnership.accounts import services
from partnership.core.models import User
from partnership.site.management.commands.demo_users import (
    DEMO_MFA_USER,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
)

pytestmark = pytest.mark.django_db

LOGIN = "/en/accounts/login/"


def code_of(device: TOTPDevice, *, step: int = 0) -> str:
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    totp.time = totp.time + step * device.step
    return f"{totp.token():06d}"


def log_in(client: Client, username: str, password: str = DEMO_PASSWORD) -> object:
    return client.post(LOGIN, {"username": username, "password": password})


def test_the_fifth_wrong_password_locks_the_login_even_for_the_right_one(client: Client) -> None:
    for _ in range(4):
        assert log_in(client, "nato-editor", "wrong-password-123").status_code == 200
    assert log_in(client, "nato-editor", "wrong-password-123").status_code == 429

    locked = log_in(client, "nato-editor")

    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_holds_from_another_address_and_an_administrator_lifts_it(
    client: Client,
) -> None:
    from django.core.management import call_command

    for _ in range(5):
        log_in(client, "nato-approver", "wrong-password-123")
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert log_in(other, "nato-approver").status_code == 429

    call_command("axes_reset_username", "nato-approver", verbosity=0)

    assert log_in(other, "nato-approver").status_code == 302


def test_a_few_wrong_passwords_then_the_right_one_log_in(client: Client) -> None:
    for _ in range(3):
        log_in(client, "ua-viewer", "wrong-password-123")

    assert log_in(client, "ua-viewer").status_code == 302
    assert client.session["_auth_user_id"]


def test_the_demo_mfa_user_passes_the_printed_totp_secret_after_the_password(
    client: Client,
) -> None:
    device = TOTPDevice.objects.get(user__username=DEMO_MFA_USER, confirmed=True)
    assert device.bin_key.hex() == base64.b32decode(DEMO_TOTP_SECRET).hex()

    log_in(client, DEMO_MFA_USER)
    blocked = client.get("/en/anp/")

    assert blocked.status_code == 302
    assert blocked["Location"].startswith("/en/accounts/second-factor/verify/?next=%2Fen%2Fanp%2F")
    wrong = client.post(blocked["Location"], {"code": "000000", "next": "/en/anp/"})
    assert "That code is not right" in wrong.content.decode()
    too_soon = client.post(blocked["Location"], {"code": code_of(device), "next": "/en/anp/"})
    assert "Too many wrong codes" in too_soon.content.decode()
    time.sleep(2.1)  # django-otp's throttle: the wait doubles after each wrong code (1 s, 2 s)
    passed = client.post(blocked["Location"], {"code": code_of(device), "next": "/en/anp/"})
    assert passed.status_code == 302 and passed["Location"] == "/en/anp/"
    assert client.get("/en/anp/").status_code == 200


def test_a_recovery_code_logs_in_once(client: Client) -> None:
    user = User.objects.get(username="nato-editor")
    services.totp_install(user=user, secret=DEMO_TOTP_SECRET)
    codes = services.recovery_codes_renew(user=user)
    verify = "/en/accounts/second-factor/verify/"

    log_in(client, "nato-editor")
    assert client.post(verify, {"code": codes[0]}).status_code == 302
    client.post("/en/accounts/logout/")
    log_in(client, "nato-editor")
    again = client.post(verify, {"code": codes[0]})

    assert again.status_code == 200
    assert "That code is not right" in again.content.decode()


def test_production_sends_an_editor_without_a_second_factor_to_set_one_up(
    client: Client, settings: object
) -> None:
    settings.MFA_REQUIRED = True  # type: ignore[attr-defined]
    log_in(client, "us-lead")

    page = client.get("/en/trust-funds/")
    assert page.status_code == 302
    assert page["Location"].startswith("/en/accounts/second-factor/?next=")
    api = client.get("/api/anp/programmes")
    assert api.status_code == 403
    assert "second factor" in api.json()["detail"]

    setup = client.get("/en/accounts/second-factor/authenticator/")
    assert setup.status_code == 200
    device = services.totp_pending(user=User.objects.get(username="us-lead"))
    assert device is not None
    assert '<code data-testid="totp-secret">' in setup.content.decode()
    done = client.post("/en/accounts/second-factor/authenticator/", {"code": code_of(device)})
    body = done.content.decode()
    assert done.status_code == 200
    assert body.count("<li><code>") == services.RECOVERY_CODE_COUNT
    assert client.get("/en/trust-funds/").status_code == 200


def test_production_lets_a_viewer_in_without_a_second_factor(
    client: Client, settings: object
) -> None:
    settings.MFA_REQUIRED = True  # type: ignore[attr-defined]
    log_in(client, "ua-viewer")

    assert client.get("/en/anp/").status_code == 200


def test_an_enrolled_person_cannot_change_factors_before_passing_one(client: Client) -> None:
    user = User.objects.get(username="nato-approver")
    services.totp_install(user=user, secret=DEMO_TOTP_SECRET)
    log_in(client, "nato-approver")

    for path in ("/en/accounts/second-factor/", "/en/accounts/second-factor/authenticator/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/en/accounts/second-factor/verify/")


def test_an_administrator_resets_a_colleagues_second_factor_and_no_one_else_can(
    client: Client,
) -> None:
    person = User.objects.get(username="nato-editor")
    services.totp_install(user=person, secret=DEMO_TOTP_SECRET)

    client.force_login(User.objects.get(username="ua-approver"))
    assert client.post(f"/en/accounts/second-factor/reset/{person.pk}/").status_code == 403
    assert services.second_factor_enrolled(person)

    client.force_login(User.objects.get(username="nato-admin"))
    response = client.post(f"/en/accounts/second-factor/reset/{person.pk}/")
    assert response.status_code == 302
    assert not services.second_factor_enrolled(person)
