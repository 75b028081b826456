"""The platform's client of a centre: the token, the actor, and what it does when the centre fails."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from partnership.airpicture.centres import (
    Actor,
    CentreClient,
    CentreCredentialMissing,
    CentreRefused,
    CentreSettings,
    CentreUnreachable,
)
from tests.partnership.airpicture.conftest import RecordingCentre


def settings_of(centre: RecordingCentre, tmp_path: Path) -> CentreSettings:
    token_file = tmp_path / "token"
    token_file.write_text(centre.token)
    return CentreSettings("nato", centre.url, token_file, frozenset({"nato-is"}))


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed when the socket is: nothing listens there


def test_a_read_carries_the_platforms_bearer_token(
    centres: dict[str, RecordingCentre], tmp_path: Path
) -> None:
    nato = centres["nato"]

    alerts = CentreClient(settings_of(nato, tmp_path)).get_json("/alerts")

    assert [a["number"] for a in alerts] == [1, 2]
    assert nato.received[-1].headers["Authorization"] == "Bearer nato-secret-token"
    assert "X-ASDE-Actor" not in nato.received[-1].headers


def test_an_action_names_the_person_in_the_actor_header(
    centres: dict[str, RecordingCentre], tmp_path: Path
) -> None:
    nato = centres["nato"]
    actor = Actor(
        name="Олена Коваль", organization="Armed Forces of Ukraine", role="air_operations"
    )

    CentreClient(settings_of(nato, tmp_path)).post_json(
        "/tracks/5/renegade", {"level": "probable"}, actor=actor
    )

    sent = nato.received[-1]
    assert sent.headers["Content-Type"] == "application/json"
    assert json.loads(sent.body) == {"level": "probable"}
    assert json.loads(sent.headers["X-ASDE-Actor"]) == {
        "name": "Олена Коваль", "organization": "Armed Forces of Ukraine", "role": "air_operations",
    }  # fmt: skip
    assert sent.headers["X-ASDE-Actor"].isascii(), "a header value must survive Latin-1"


def test_a_refusal_carries_the_centres_status_and_reason(
    centres: dict[str, RecordingCentre], tmp_path: Path
) -> None:
    nato = centres["nato"]
    nato.answers[("POST", "/tracks/9/renegade")] = (409, {"error": "track 9 is a partner track"})

    with pytest.raises(CentreRefused) as refused:
        CentreClient(settings_of(nato, tmp_path)).post_json(
            "/tracks/9/renegade", {"level": "probable"}, actor=Actor("a", "b", "c")
        )

    assert (refused.value.status, refused.value.reason) == (409, "track 9 is a partner track")


def test_a_wrong_token_is_a_refusal_not_a_crash(
    centres: dict[str, RecordingCentre], tmp_path: Path
) -> None:
    nato = centres["nato"]
    wrong = settings_of(nato, tmp_path)
    wrong.token_file.write_text("not-the-token")

    with pytest.raises(CentreRefused) as refused:
        CentreClient(wrong).get_json("/links")

    assert refused.value.status == 401


def test_a_centre_that_is_down_is_unreachable(tmp_path: Path, settings: Any) -> None:
    settings.ASDE_TIMEOUT_S = 1
    token_file = tmp_path / "token"
    token_file.write_text("t")
    down = CentreSettings("nato", f"http://127.0.0.1:{closed_port()}", token_file, frozenset())

    with pytest.raises(CentreUnreachable):
        CentreClient(down).get_json("/alerts")
    with pytest.raises(CentreUnreachable):
        list(CentreClient(down).events(idle_s=1))


def test_without_its_token_file_the_platform_asks_nothing(
    centres: dict[str, RecordingCentre], tmp_path: Path
) -> None:
    nato = centres["nato"]
    missing = CentreSettings("nato", nato.url, tmp_path / "absent.token", frozenset())

    with pytest.raises(CentreCredentialMissing):
        CentreClient(missing).get_json("/alerts")
    assert nato.received == []


def test_the_event_stream_is_passed_on_unchanged(
    centres: dict[str, RecordingCentre], tmp_path: Path
) -> None:
    ukraine = centres["ukraine"]

    relayed = b"".join(CentreClient(settings_of(ukraine, tmp_path)).events(idle_s=2))

    expected = b"".join(f"data: {json.dumps(e)}\n\n".encode() for e in ukraine.events)
    assert relayed == expected
    assert ukraine.received[-1].headers["Authorization"] == "Bearer ukraine-secret-token"


def test_a_cookie_a_centre_sets_is_never_sent_again(
    centres: dict[str, RecordingCentre], tmp_path: Path
) -> None:
    # Given a centre that answers with a cookie (the client is shared by every operator)
    nato = centres["nato"]
    nato.cookie = "session=of-somebody-else"
    client = CentreClient(settings_of(nato, tmp_path))

    client.get_json("/alerts")
    client.get_json("/alerts")

    assert "Cookie" not in nato.received[-1].headers
