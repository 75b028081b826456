"""Shared fixtures: the factsheet and demo users are loaded once per run (tests/databases.py)."""

from collections.abc import Iterator
from typing import Any

import pytest

from partnership.site.management.commands.demo_users import DEMO_PASSWORD
from tests import databases

__all__ = ["DEMO_PASSWORD"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Browser tests run last: their live server empties the database after each test,
    and every other test relies on the factsheet loaded once per session."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def django_db_setup(
    request: pytest.FixtureRequest,
    django_test_environment: None,
    django_db_blocker: Any,
    django_db_modify_db_settings: None,
    tmp_path_factory: pytest.TempPathFactory,
    worker_id: str,
) -> Iterator[databases.Template | None]:
    """The test database with the factsheet and the demo users and records: migrated and
    loaded once per run, copied by the other pytest-xdist workers (tests/databases.py). Yields
    the run's template, which `demo_template` gives the tests that restore it."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    aliases, serialized = _get_databases_for_setup(request.session.items)
    if not aliases:  # no test here uses the database (tests/asde, say)
        yield None
        return
    assert aliases == {"default"}, f"tests/databases.py copies one database, not {aliases}"
    folder = databases.folder_of_run(tmp_path_factory.getbasetemp(), worker_id != "master")
    with django_db_blocker.unblock():
        template, old_config = databases.set_up(
            folder,
            lambda: setup_databases(
                verbosity=0, interactive=False, aliases=aliases, serialized_aliases=set()
            ),
        )
        if serialized:  # a `serialized_rollback` test gets back the state every test starts in
            from django.db import connection

            connection._test_serialized_contents = connection.creation.serialize_db_to_string()
    yield template
    with django_db_blocker.unblock():
        teardown_databases(old_config, verbosity=0)


@pytest.fixture(scope="session")
def demo_template(django_db_setup: databases.Template | None) -> databases.Template:
    """The run's copy of the test database as `django_db_setup` left it (tests/databases.py)."""
    assert django_db_setup is not None
    return django_db_setup


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    """The run's template goes once every process is done (after the session's fixtures and,
    under pytest-xdist, in the process that started the workers, after they have all ended)."""
    if hasattr(session.config, "workerinput"):  # a pytest-xdist worker: not the last one out
        return
    from pytest_django.plugin import blocking_manager_key

    folder = databases.folder_of_run(session.config._tmp_path_factory.getbasetemp(), False)
    with session.config.stash[blocking_manager_key].unblock():
        databases.drop(folder)


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
