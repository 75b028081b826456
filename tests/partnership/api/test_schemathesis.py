"""schemathesis over the whole OpenAPI schema, with a token: no input gives a server error and
every answer matches its declared schema. A small example count runs in the suite; the long run
is in benchmarks/README.md ("API robustness")."""

import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from partnership.core.models import Organization, Role, User
from partnership.core.services import api_token_create, user_create
from partnership.wsgi import application

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "5"))

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """schemathesis calls the WSGI app as a server would, and Django then closes the database
    connection after each request, the test's transaction with it (on PostgreSQL); Django's own
    test client disconnects the same handlers."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db: None, keep_connection: None) -> Iterator[str]:
    """A superuser's token, so that every operation is reachable (writes included)."""
    user = user_create(
        by=None,
        username="schemathesis",
        password="a long and uncommon password 77",
        organization=Organization.objects.get(slug="nato-is"),
        roles=[Role.EDITOR, Role.APPROVER, Role.VIEWER],
    )
    User.objects.filter(pk=user.pk).update(is_superuser=True)
    _token, raw = api_token_create(user=user, name="schemathesis")
    yield raw


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_input_gives_a_server_error_or_breaks_the_schema(case: object, token: str) -> None:
    case.call_and_validate(  # type: ignore[attr-defined]
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
