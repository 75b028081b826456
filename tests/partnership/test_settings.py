"""Production settings pass Django's deployment checks; a missing secret stops the start."""

import os
import subprocess
import sys

import pytest


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "HTTPS",
            "PARTNERSHIP_TESTING",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    return subprocess.run(
        [sys.executable, "-m", "partnership.cli", *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_check() -> None:
    result = run(
        {
            "DEBUG": "0",
            "SECRET_KEY": "k7#" + "production-secret-" * 4,
            "ALLOWED_HOSTS": "partnership.example.org",
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_demo_settings_pass_the_system_check() -> None:
    """`partnership demo` runs these checks first (passkey origins among them)."""
    result = run({"DEBUG": "1"}, "check", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run({"DEBUG": "0"}, "check")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize("verb", ["--help"])
def test_cli_lists_its_verbs(verb: str) -> None:
    result = run({}, verb)

    for name in ("serve", "load-factsheet", "createuser", "export"):
        assert name in result.stdout
