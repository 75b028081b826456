"""The centre's two pictures under what a partner may send: more tracks than the picture
holds, data that cannot be applied. The link's reader calls the centre: nothing may escape."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest
import yaml

from asde.batch import TrackEncoder, state_of
from asde.centre import Centre
from asde.config import ConfigError, ServiceConfig
from asde.convert import SystemId
from asde.links import Delivered
from asde.picture import Track, TrackStatus
from asde.reports import Source, TargetReport
from tests.asde.test_service import configs


def partner_update(count: int, now: float, first: int = 1) -> bytes:
    """NATO's CAT 062 updates of `count` tracks, as its send loop encodes them."""
    tracks = [
        Track(number, now, now, status=TrackStatus.CONFIRMED, lat=50.0 + number / 1000,
              lon=24.0, squawk="2000", updates=3)
        for number in range(first, first + count)
    ]  # fmt: skip
    return TrackEncoder(SystemId(25, 1)).encode([state_of(t, now) for t in tracks]).payload


def ukraine_config(tmp_path: Path, max_tracks: int) -> ServiceConfig:
    configs(tmp_path)
    path = tmp_path / "ukraine.yaml"
    data = yaml.safe_load(path.read_text())
    data["picture"] = {"max_tracks": max_tracks}
    path.write_text(yaml.safe_dump(data))
    return ServiceConfig.load(path)


def test_a_partner_sending_more_tracks_than_the_picture_holds(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = ukraine_config(tmp_path, max_tracks=50)

    async def scenario() -> tuple[Centre, int]:
        centre = Centre(config)
        now = time.time()
        # When NATO sends 200 tracks, then 10 more
        centre._on_link_event(Delivered(1, partner_update(200, now)))
        centre._on_link_event(Delivered(2, partner_update(10, now, first=201)))
        ended = len(centre.partner_picture.tick(now))
        centre._log_evictions()
        return centre, ended

    with caplog.at_level(logging.WARNING, logger="asde"):
        centre, ended = asyncio.run(scenario())

    # Then the picture holds its maximum, the newest tracks among them, and says what it did
    assert len(centre.partner_picture) <= 50
    assert {t.system_track[2] for t in centre.partner_picture if t.system_track} >= set(
        range(201, 211)
    )
    status = centre.status()
    assert status["picture"]["evicted"]["partner"] == 210 - len(centre.partner_picture)
    assert ended == status["picture"]["evicted"]["partner"]
    assert status["partner_errors"] == 0
    assert "partner picture full (50 tracks)" in caplog.text


def test_partner_data_that_cannot_be_applied_is_counted_and_the_link_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = ukraine_config(tmp_path, max_tracks=50)

    async def scenario() -> Centre:
        centre = Centre(config)

        def broken(report: object) -> Track:
            raise RuntimeError("a defect")

        monkeypatch.setattr(centre.partner_picture, "update", broken)
        centre._on_link_event(Delivered(1, partner_update(3, time.time())))
        return centre

    centre = asyncio.run(scenario())

    assert centre.status()["partner_errors"] == 1


@pytest.mark.parametrize("value", [0, 65536, "many", 2.5])
def test_max_tracks_out_of_range_is_refused(tmp_path: Path, value: object) -> None:
    configs(tmp_path)
    path = tmp_path / "ukraine.yaml"
    data = yaml.safe_load(path.read_text())
    data["picture"] = {"max_tracks": value}
    path.write_text(yaml.safe_dump(data))

    with pytest.raises(ConfigError, match=r"picture: max_tracks must be a whole number from 1"):
        ServiceConfig.load(path)


def test_reports_from_the_future_or_too_old_are_refused_per_input_and_reason(
    tmp_path: Path,
) -> None:
    # Given a centre and a report from 2099, one 11 h ahead from the partner, one current
    config = ukraine_config(tmp_path, max_tracks=50)

    async def scenario() -> Centre:
        centre = Centre(config)
        sbs = centre.input_health("sbs 127.0.0.1:30003")
        now = time.time()
        centre.ingest(TargetReport(time=4_070_908_800.0, source=Source.ADSB, lat=50.0,
                                   lon=24.0, address="4CA101"), sbs)  # fmt: skip
        centre.ingest(TargetReport(time=now - 3600, source=Source.ADSB, lat=50.0, lon=24.0,
                                   address="4CA102"), sbs)  # fmt: skip
        centre.ingest(TargetReport(time=now, source=Source.ADSB, lat=50.0, lon=24.0,
                                   address="4CA103"), sbs)  # fmt: skip
        centre._on_link_event(Delivered(1, partner_update(3, now + 11 * 3600)))
        centre._on_link_event(Delivered(2, partner_update(2, now, first=10)))
        return centre

    centre = asyncio.run(scenario())

    # Then only the current ones are in the pictures, and /status says what was refused
    status = centre.status()
    assert [t.address for t in centre.picture] == ["4CA103"]
    assert status["inputs"]["sbs 127.0.0.1:30003"]["refused"] == {"future": 1, "too_old": 1}
    assert status["inputs"]["sbs 127.0.0.1:30003"]["reports"] == 1
    assert len(centre.partner_picture) == 2
    assert status["partner_reports"]["refused"] == {"future": 3}
    # The picture's clock is the wall clock's, not the report's
    assert centre.picture.now < time.time() + 1


def test_a_partner_alert_names_the_track_as_the_partner_picture_holds_it(tmp_path: Path) -> None:
    from asde.alerts import Alert, Rule, Severity, alert_to_cat004
    from asde.asterix import encode

    config = ukraine_config(tmp_path, max_tracks=50)

    async def scenario() -> tuple[Centre, int]:
        centre = Centre(config)
        now = time.time()
        # Another system's track 5 took number 5 here first: NATO's 5 gets another number
        centre.partner_picture.update(TargetReport(time=now, source=Source.SSR, lat=50.0,
                                                   lon=24.0, system=(99, 9), track_number=5))  # fmt: skip
        centre._on_link_event(Delivered(1, partner_update(1, now, first=5)))
        alert = Alert(7, 5, Rule.SQUAWK_7500, now, Severity.CRITICAL, {"squawk": "7500"}, "X")
        centre._on_link_event(Delivered(2, encode([alert_to_cat004(alert, SystemId(25, 1))])))
        return centre, centre.partner_picture.number_of((25, 1), 5) or 0

    centre, local = asyncio.run(scenario())

    assert local not in (0, 5)
    (copy,) = centre.partner_alerts.alerts
    assert copy.track == local


def test_an_event_stream_client_that_falls_behind_is_told_to_resync(tmp_path: Path) -> None:
    import json

    import aiohttp

    from tests.asde.test_service import token

    config = ukraine_config(tmp_path, max_tracks=50)

    async def scenario() -> list[dict]:
        centre = Centre(config)
        await centre.start()
        url = f"http://127.0.0.1:{config.http_port}/events"
        events = []
        headers = token(tmp_path, "ukraine-monitor")
        async with aiohttp.ClientSession(headers=headers) as client, client.get(url) as response:
            async for line in response.content:
                if not line.startswith(b"data: "):
                    continue
                events.append(json.loads(line[6:]))
                if len(events) == 1:
                    # 1,001 changes before the stream's writer runs again: it is behind
                    for n in range(1001):
                        centre._broadcast({"type": "track", "track": n})
                if len(events) == 3:
                    break
        await centre.stop()
        return events

    events = asyncio.run(scenario())

    # Then: the first snapshot, then no single change but "resync" and a new snapshot
    assert [e["type"] for e in events] == ["snapshot", "resync", "snapshot"]


def test_the_end_of_a_partner_track_a_minute_silent_is_not_refused_as_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import types

    import asde.centre

    config = ukraine_config(tmp_path, max_tracks=50)
    start = time.time()
    clock = types.SimpleNamespace(time=lambda: start)
    monkeypatch.setattr(asde.centre, "time", clock)

    async def scenario() -> Centre:
        centre = Centre(config)
        centre._on_link_event(Delivered(1, partner_update(1, start, first=7)))
        # 65 s later NATO ends its track 7 (60 s silent): the end carries the old time
        clock.time = lambda: start + 65
        ended = Track(7, start, start, status=TrackStatus.TERMINATED, lat=50.0, lon=24.0,
                      updates=3)  # fmt: skip
        payload = TrackEncoder(SystemId(25, 1)).encode([state_of(ended, start + 65)]).payload
        centre._on_link_event(Delivered(2, payload))
        return centre

    centre = asyncio.run(scenario())

    assert len(centre.partner_picture) == 0
    assert centre.status()["partner_reports"]["refused"] == {}
