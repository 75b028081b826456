"""The map's endpoints on the platform: the page, its relayed stream, reads and actions per side."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from partnership.site.management.commands.demo_users import DEMO_PASSWORD
from tests.partnership.airpicture.conftest import RecordingCentre

pytestmark = pytest.mark.django_db


def logged_in(username: str, **kwargs: bool) -> Client:
    client = Client(**kwargs)
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_the_page_points_the_browser_at_the_platform_only(
    centres: dict[str, RecordingCentre],
) -> None:
    page = logged_in("ua-airops").get("/en/airpicture/map/").content.decode()

    assert 'data-events="/en/airpicture/map/events"' in page
    for centre in centres.values():
        assert centre.url not in page
        assert centre.token not in page
    assert "Released by NATO" in page and "Ukraine&#x27;s picture" in page
    assert "<script>" not in page, "no inline script: a Content-Security-Policy forbids it"


def test_the_page_speaks_ukrainian(centres: dict[str, RecordingCentre]) -> None:
    page = logged_in("ua-airops").get("/uk/airpicture/map/").content.decode()

    words = json.loads(page.split('data-words="')[1].split('"')[0].replace("&quot;", '"'))
    assert words["rules"]["renegade"] != "Renegade"
    assert "Передано від НАТО" in page


@pytest.mark.parametrize(
    ("username", "language", "expected"),
    [
        ("ua-viewer", "en", "for air-operations staff only"),
        ("ua-viewer", "uk", "лише для"),
    ],
)
def test_others_are_refused_with_a_reason(
    centres: dict[str, RecordingCentre], username: str, language: str, expected: str
) -> None:
    response = logged_in(username).get(f"/{language}/airpicture/map/")

    assert response.status_code == 403
    assert expected in response.content.decode()
    stream = logged_in(username).get(f"/{language}/airpicture/map/events")
    assert stream.status_code == 403
    assert centres["nato"].received == centres["ukraine"].received == []


def test_each_side_reads_its_own_centre(centres: dict[str, RecordingCentre]) -> None:
    ua = logged_in("ua-airops").get("/en/airpicture/map/alerts.json").json()
    nato = logged_in("nato-airops").get("/en/airpicture/map/alerts.json").json()

    assert [a["number"] for a in ua["alerts"]] == [7]
    assert "AFR1234-NOT-RELEASED" not in json.dumps(ua)
    assert [a["number"] for a in nato["alerts"]] == [2, 1], "newest first"


def test_the_stream_relays_the_operators_centre_and_nothing_else(
    centres: dict[str, RecordingCentre],
) -> None:
    response = logged_in("ua-airops").get("/en/airpicture/map/events")

    assert response["Content-Type"] == "text/event-stream"
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    events = [json.loads(line[6:]) for line in body.splitlines() if line.startswith("data: ")]
    assert events[0] == {"type": "centre", "state": "connected"}
    assert events[1:] == centres["ukraine"].events
    assert "AFR1234-NOT-RELEASED" not in body
    assert centres["nato"].received == []


def test_a_stream_from_a_centre_that_is_down_says_so(centres: dict[str, RecordingCentre]) -> None:
    centres["ukraine"].stop()

    response = logged_in("ua-airops").get("/en/airpicture/map/events")

    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert response.status_code == 200, "the browser keeps the stream and retries"
    assert "retry: 5000" in body
    assert '"state": "centre_unreachable"' in body


def test_reads_from_a_centre_that_is_down_are_a_translated_503(
    centres: dict[str, RecordingCentre],
) -> None:
    centres["nato"].stop()

    response = logged_in("nato-airops").get("/uk/airpicture/map/links.json")

    assert response.status_code == 503
    assert response.json()["code"] == "centre_unreachable"
    assert "центр" in response.json()["error"]


def test_an_action_needs_the_csrf_token(centres: dict[str, RecordingCentre]) -> None:
    client = logged_in("ua-airops", enforce_csrf_checks=True)

    response = client.post("/en/airpicture/map/alerts/7/acknowledge")

    assert response.status_code == 403
    assert centres["ukraine"].received == []


def test_an_action_with_the_token_is_done_in_the_operators_name(
    centres: dict[str, RecordingCentre],
) -> None:
    client = logged_in("ua-airops", enforce_csrf_checks=True)
    client.get("/en/airpicture/map/")
    token = client.cookies["csrftoken"].value

    response = client.post("/en/airpicture/map/alerts/7/acknowledge", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 200
    sent = centres["ukraine"].received[-1]
    assert sent.path == "/alerts/7/acknowledge"
    assert json.loads(sent.headers["X-ASDE-Actor"])["name"] == "ua-airops"


def test_an_escalation_the_centre_refuses_is_a_403_with_the_reason(
    centres: dict[str, RecordingCentre],
) -> None:
    centres["ukraine"].answers[("POST", "/tracks/101/renegade")] = (409, {"error": "not own"})

    response = logged_in("ua-airops").post(
        "/en/airpicture/map/tracks/101/renegade", {"level": "confirmed"}
    )

    assert response.status_code == 403
    assert response.json()["code"] == "not_own_track"
    assert "only the centre that holds" in response.json()["error"]


def test_reads_are_get_only(centres: dict[str, RecordingCentre]) -> None:
    assert logged_in("ua-airops").post("/en/airpicture/map/alerts.json").status_code == 405


def test_without_the_platforms_token_the_operator_is_told_to_ask_the_administrator(
    centres: dict[str, RecordingCentre], settings: Any
) -> None:
    Path(settings.ASDE_CENTRES["ukraine"]["token_file"]).unlink()
    client = logged_in("ua-airops")

    read = client.get("/uk/airpicture/map/alerts.json")
    stream = b"".join(client.get("/en/airpicture/map/events").streaming_content)  # type: ignore[attr-defined]

    assert read.status_code == 503
    assert read.json()["code"] == "centre_credential" and "адміністратора" in read.json()["error"]
    assert b'"state": "centre_credential"' in stream
    assert centres["ukraine"].received == []
