"""/healthz answers for the database; /metrics only to the scraper."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_does_not_answer(client: Client) -> None:
    # given a database that refuses every query
    with mock.patch(
        "partnership.production.views.connection.cursor",
        side_effect=OperationalError("connection refused"),
    ):
        # when the proxy checks
        response = client.get("/healthz")

    # then it is told to stop sending traffic here, and not why (that is in the log)
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "database": "unreachable"}


def test_metrics_are_read_from_this_machine(client: Client) -> None:
    client.get("/healthz")

    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200
    text = response.content.decode()
    assert 'partnership_requests_total{method="GET",status="200",view="production:healthz"}' in text
    assert "partnership_request_duration_seconds_bucket" in text


@pytest.mark.parametrize(
    "meta",
    [
        {"REMOTE_ADDR": "192.0.2.7"},
        # Through the reverse proxy: the proxy is on loopback, the client is not.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "192.0.2.7"},
    ],
)
def test_metrics_are_refused_to_anyone_else(client: Client, meta: dict[str, str]) -> None:
    assert client.get("/metrics", **meta).status_code == 403  # type: ignore[arg-type]


def test_metrics_with_a_token_need_that_token(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("METRICS_TOKEN", "scrape-me-7f3a")

    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 403
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer nope", REMOTE_ADDR="192.0.2.7")
    assert wrong.status_code == 403
    right = client.get(
        "/metrics", HTTP_AUTHORIZATION="Bearer scrape-me-7f3a", REMOTE_ADDR="192.0.2.7"
    )
    assert right.status_code == 200
