"""One JSON-ready log line and one count per request, under a request id."""

import logging
import re

import pytest
from django.test import Client

from partnership.core.models import User

pytestmark = pytest.mark.django_db


def _request_lines(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "partnership.requests"]


def test_each_request_is_logged_with_its_id_user_status_and_duration(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    # given a signed-in person
    user = User.objects.create_user("log-reader", password="x" * 12)
    client.force_login(user)

    # when they open a page
    with caplog.at_level(logging.INFO, logger="partnership.requests"):
        response = client.get("/en/")

    # then the answer carries the id the log line carries
    (line,) = _request_lines(caplog)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])
    assert line.request_id == response["X-Request-ID"]  # type: ignore[attr-defined]
    assert line.user == "log-reader"  # type: ignore[attr-defined]
    assert line.status == 200  # type: ignore[attr-defined]
    assert line.view == "public:factsheet"  # type: ignore[attr-defined]
    assert line.path == "/en/"  # type: ignore[attr-defined]
    assert 0 < line.duration_ms < 60_000  # type: ignore[attr-defined]


def test_an_anonymous_request_and_a_refusal_are_logged_too(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="partnership.requests"):
        client.get("/en/no-such-page/")

    (line,) = _request_lines(caplog)
    assert line.user == "-"  # type: ignore[attr-defined]
    assert line.status == 404  # type: ignore[attr-defined]


def test_the_proxys_request_id_is_kept_and_a_strange_one_replaced(client: Client) -> None:
    kept = client.get("/healthz", HTTP_X_REQUEST_ID="proxy-0a1b2c3d4e")
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith a line break")

    assert kept["X-Request-ID"] == "proxy-0a1b2c3d4e"
    assert re.fullmatch(r"[0-9a-f]{32}", replaced["X-Request-ID"])


def test_requests_are_counted_per_view_and_status(client: Client) -> None:
    from partnership.production.metrics import REQUESTS

    def count(status: str) -> float:
        sample = REQUESTS.labels(method="GET", view="production:healthz", status=status)
        return sample._value.get()

    before = count("200")
    client.get("/healthz")
    client.get("/healthz")

    assert count("200") == before + 2


def test_other_lines_written_during_a_request_carry_its_id(client: Client) -> None:
    from partnership.production.context import RequestIdFilter, current_request_id

    # given a line some view writes while the request is answered, and one written outside
    token = current_request_id.set("proxy-0a1b2c3d4e")
    try:
        inside = logging.LogRecord("partnership.airpicture", logging.ERROR, "", 0, "x", (), None)
        RequestIdFilter().filter(inside)
    finally:
        current_request_id.reset(token)
    outside = logging.LogRecord("partnership.airpicture", logging.ERROR, "", 0, "x", (), None)
    RequestIdFilter().filter(outside)

    assert inside.request_id == "proxy-0a1b2c3d4e"  # type: ignore[attr-defined]
    assert not hasattr(outside, "request_id")
