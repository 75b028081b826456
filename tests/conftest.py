"""Shared fixtures: the factsheet and demo users are loaded once per test session."""

import pytest
from django.core.management import call_command

from partnership.site.management.commands.demo_users import DEMO_PASSWORD

__all__ = ["DEMO_PASSWORD"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: their live server empties the database after each test,
    and every other test relies on the factsheet loaded once per session."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: object) -> None:
    """The factsheet and the demo users, loaded once into the test database."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        call_command("load_factsheet", "--no-progress", verbosity=0)
        call_command("demo_users", verbosity=0)
        call_command("demo_data", verbosity=0)


@pytest.fixture(autouse=True)
def _test_client_login_with_a_request(monkeypatch: pytest.MonkeyPatch) -> None:
    """django-axes counts failures per request and refuses `authenticate()` without one; the
    test client's `login()` passes none, so give it the request a browser would have made."""
    from django.http import HttpRequest
    from django.test.client import ClientMixin

    original = ClientMixin.login

    def login(self: ClientMixin, **credentials: object) -> bool:
        if "request" not in credentials:
            request = HttpRequest()
            request.META["REMOTE_ADDR"] = "127.0.0.1"
            credentials["request"] = request
        return original(self, **credentials)

    monkeypatch.setattr(ClientMixin, "login", login)


@pytest.fixture(autouse=True)
def _english_outside_requests() -> object:
    """A request in Ukrainian leaves its language active in the test thread; reset it."""
    from django.utils import translation

    yield
    translation.deactivate()
