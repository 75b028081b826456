"""Every page carries a script-tight CSP; an over-long body is refused before it is read."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_every_page_forbids_inline_script(client: Client) -> None:
    for path in ("/en/", "/uk/timeline/", "/en/accounts/login/", "/api/milestones"):
        policy = client.get(path)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
        assert directives["script-src"] == "'self'", path
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"


def test_a_body_over_the_limit_is_refused_before_anything_reads_it(
    client: Client, settings: object
) -> None:
    settings.REQUEST_MAX_BYTES = 1000  # type: ignore[attr-defined]
    response = client.post(
        "/en/accounts/login/",
        data=b"x" * 1001,
        content_type="application/octet-stream",
    )
    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    in_ukrainian = client.post(
        "/uk/accounts/login/", data=b"x" * 1001, content_type="application/octet-stream"
    )
    assert "Запит більший" in in_ukrainian.content.decode()
    api = client.post("/api/anp/2015/import", data=b"x" * 1001, content_type="text/plain")
    assert api.status_code == 413
    assert "larger than" in api.json()["detail"]


@pytest.mark.parametrize("password", ["partnership", "password1234", "123456789012", "short1!"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_long_uncommon_password_passes() -> None:
    validate_password("correct horse battery staple 42")
