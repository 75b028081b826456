"""Passwords as they are stored: Argon2id at OWASP's parameters, older hashes upgraded at login."""

import importlib

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client, override_settings

from partnership.core.models import User
from partnership.site.management.commands.demo_users import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

# The test settings hash with MD5 for speed; these tests use the production list.
PRODUCTION = importlib.import_module("partnership.settings").PASSWORD_HASHERS
LOGIN = "/en/accounts/login/"


@override_settings(PASSWORD_HASHERS=PRODUCTION)
def test_a_new_password_is_stored_as_argon2id_with_owasps_parameters() -> None:
    user = User.objects.get(username="ua-reporter")

    user.set_password("a-new-passphrase-2026")
    user.save()

    user.refresh_from_db()
    algorithm, variety, version, parameters, _salt, _hash = user.password.split("$")
    assert (algorithm, variety, version) == ("argon2", "argon2id", "v=19")
    assert parameters == "m=19456,t=2,p=1"
    assert user.check_password("a-new-passphrase-2026")
    assert not user.check_password("a-new-passphrase-2025")


@override_settings(PASSWORD_HASHERS=PRODUCTION)
def test_a_password_stored_with_pbkdf2_still_logs_in_and_is_then_kept_as_argon2id(
    client: Client,
) -> None:
    # Given a user whose password was stored before, with Django's PBKDF2
    user = User.objects.get(username="nato-editor")
    user.password = make_password(DEMO_PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    # When they log in with it
    response = client.post(LOGIN, {"username": "nato-editor", "password": DEMO_PASSWORD})

    # Then they are in, and the stored hash is now Argon2id, which the same password opens
    assert response.status_code == 302 and "_auth_user_id" in client.session
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password(DEMO_PASSWORD)


@override_settings(PASSWORD_HASHERS=PRODUCTION)
def test_a_wrong_password_does_not_rewrite_the_stored_hash(client: Client) -> None:
    user = User.objects.get(username="nato-editor")
    user.password = make_password(DEMO_PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    before = user.password

    response = client.post(LOGIN, {"username": "nato-editor", "password": "not-the-password-1"})

    assert response.status_code == 200 and "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.password == before
