"""The block-at-a-time path gives exactly what the record-at-a-time reference gives: the same
reports (and errors) from the same bytes, the same bytes and decisions from the same tracks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import string
from functools import partial
from pathlib import Path
from typing import Any

import asterix
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asde import batch
from asde.agreements import CompiledFilter, agreement_from_mapping
from asde.asterix import CATEGORIES, DecodeError, EncodeError, Record, decode_block, encode
from asde.asterix.codec import decode_record, each_block
from asde.asterix.readers import read
from asde.convert import SystemId, report_from_cat021, report_from_cat062, track_to_cat062
from asde.picture import AirPicture, PictureSettings, TrackStatus
from asde.reports import Source, TargetReport
from asde.timeline import Timeline, TimeOfDayError
from tests.asde.asterix.strategies import records

SAMPLES = Path(asterix.__file__).parent / "sample_data"
NEAR = 1633608773.0
SYSTEM = SystemId(sac=25, sic=1)


def reference_reports(data: bytes, near: float | Timeline) -> list[Any]:
    """Record after record, as the reference path reads them; a time the recording's timeline
    refuses is an error at its record's offset, before the reports of its block."""
    out: list[Any] = []
    for block in each_block(data, records_at):
        if isinstance(block, DecodeError):
            out.append((block.offset, block.reason))
            continue
        reports = []
        for offset, record in block:
            try:
                if record.category == 62:
                    reports.append(report_from_cat062(record, near))
                elif record.category == 21:
                    reports.append(report_from_cat021(record, near))
            except TimeOfDayError as error:
                out.append((offset, error.reason))
        out.append([r for r in reports if r is not None])
    return out


def records_at(data: bytes, offset: int) -> tuple[list[tuple[int, Record]], int]:
    """The records of the block at `offset`, each with its own offset."""
    records, end = decode_block(data, offset)
    category, pos, placed = CATEGORIES[data[offset]], offset + 3, []
    for _record in records:
        record, after = decode_record(category, data, pos, end)
        placed.append((pos, record))
        pos = after
    return placed, end


def fast_reports(data: bytes, near: float | Timeline) -> list[Any]:
    return [
        (block.offset, block.reason) if isinstance(block, DecodeError) else block
        for block in batch.iter_reports(data, near)
    ]


@pytest.mark.parametrize("sample", ["cat062cat065.raw", "cat_062_065.pcap"])
def test_recorded_cat062_gives_the_same_reports(sample: str) -> None:
    count = 0
    for chunk in read((SAMPLES / sample).read_bytes()):
        expected = reference_reports(chunk.data, NEAR)
        assert fast_reports(chunk.data, NEAR) == expected
        count += sum(len(b) for b in expected if isinstance(b, list))
    assert count > 0


def picture_stream(count: int, start: float = NEAR) -> bytes:
    """CAT 062 updates of a busy picture: several layouts mixed in each block."""
    picture = AirPicture(PictureSettings(terminate_after=1e9))
    out = []
    for i in range(count):
        report = TargetReport(
            time=start + i * 0.05, source=(Source.ADSB, Source.SSR, Source.PSR)[i % 3],
            lat=48 + (i % 97) * 0.01, lon=30 + (i % 89) * 0.01,
            address=f"{0x500000 + i % 150:06X}" if i % 7 else None,
            callsign=f"AUI{i % 150}" if i % 5 else None,
            squawk=f"{(i % 150) + 1000:04o}"[-4:] if i % 4 else None,
            altitude_ft=1000.0 + 25 * (i % 1400) if i % 6 else None,
            ground_speed_kt=420.0 if i % 3 else None, track_deg=(i * 7) % 360,
            vertical_rate_fpm=-640.0 if i % 2 else None,
        )  # fmt: skip
        out.append(track_to_cat062(picture.update(report), SYSTEM, report.time))
    return encode(out)


def test_a_busy_stream_takes_the_block_path_and_gives_the_same_reports(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = picture_stream(3000)
    expected = reference_reports(data, NEAR)
    # The block path covers the exchange's own updates: the reference is not needed for them.
    monkeypatch.setattr(batch, "decode_block", lambda *a: pytest.fail("reference path taken"))
    assert fast_reports(data, NEAR) == expected
    assert sum(len(b) for b in expected) == 3000


@pytest.mark.parametrize("sample", ["cat062cat065.raw", "cat_062_065.pcap"])
def test_a_recording_on_its_timeline_gives_the_same_reports(sample: str) -> None:
    # Given a recording read on one timeline by each path
    fast, reference = Timeline(NEAR), Timeline(NEAR)
    count = 0
    for chunk in read((SAMPLES / sample).read_bytes()):
        # When both read it, chunk after chunk
        expected = reference_reports(chunk.data, reference)

        # Then they place every report at the same time
        assert fast_reports(chunk.data, fast) == expected
        count += sum(len(b) for b in expected if isinstance(b, list))
    assert count > 0 and fast.latest == reference.latest


def test_a_busy_recording_across_midnight_stays_on_the_block_path_and_continuous(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Given 150 s of a busy picture recorded across midnight, read on the day it began
    midnight = 1764547200.0  # 2025-12-01T00:00:00Z
    data = picture_stream(3000, start=midnight - 75)
    day = dt.date(2025, 11, 30)
    expected = reference_reports(data, Timeline.on_day(day))
    monkeypatch.setattr(batch, "decode_block", lambda *a: pytest.fail("reference path taken"))

    # When the block path reads it on its timeline
    got = fast_reports(data, Timeline.on_day(day))

    # Then it gives the reference's reports, one continuous piece over midnight
    assert got == expected
    times = [report.time for block in got for report in block]
    assert len(times) == 3000 and times == sorted(times)
    assert times[0] == midnight - 75 and 149 < times[-1] - times[0] < 150


@settings(
    max_examples=int(os.environ.get("BATCH_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    blocks=st.lists(st.lists(records(62), min_size=1, max_size=6), min_size=1, max_size=3),
    damage=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=3),
    cut=st.integers(0, 20),
)
def test_generated_blocks_give_the_same_reports_and_errors(
    blocks: list[list[Record]], damage: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(b"".join(encode(block) for block in blocks))
    for position, value in damage:  # bytes changed anywhere, header and FSPEC included
        data[position % len(data)] = value
    data = data[: len(data) - cut] if cut < len(data) else data
    assert fast_reports(bytes(data), NEAR) == reference_reports(bytes(data), NEAR)
    # On a recording's timeline too, where the times of day, any the codec reads (garbage
    # beyond 24 h, jumps, wraps), are placed or refused one after the other.
    fast, reference = Timeline(NEAR), Timeline(NEAR)
    assert fast_reports(bytes(data), fast) == reference_reports(bytes(data), reference)
    assert fast.latest == reference.latest


# -- encoding -----------------------------------------------------------------------------------
SQUAWKS = st.one_of(st.none(), st.integers(0, 4095).map(lambda c: f"{c:04o}"),
                    st.sampled_from(["7700", "7500", "17", "9999"]))  # fmt: skip
ADDRESSES = st.one_of(
    st.none(),
    st.integers(0, 0xFFFFFF).map(lambda a: f"{a:06X}"),
    st.sampled_from(["3c4a6f", "43C0DE", "ADF123", "abc", "XYZ123"]),
)
TIMES = st.floats(NEAR - 5000, NEAR)


@st.composite
def states(draw: st.DrawFn) -> batch.TrackState:
    now = NEAR + draw(st.floats(0, 30))
    seen = [draw(st.one_of(st.none(), TIMES)) for _ in range(4)]
    if not any(s is not None for s in seen):
        seen[1] = NEAR
    position = draw(st.booleans())
    return batch.TrackState(
        now=now, number=draw(st.integers(1, 40)), last_update=draw(TIMES),
        lat=draw(st.floats(-90, 90)) if position else None,
        lon=draw(st.floats(-180, 180)) if position else None,
        ground_speed_kt=draw(st.one_of(st.none(), st.floats(0, 40_000))),
        track_deg=draw(st.one_of(st.none(), st.floats(0, 360))),
        squawk=draw(SQUAWKS), squawk_changed_at=draw(st.one_of(st.none(), TIMES)),
        psr=seen[0], ssr=seen[1], mode_s=seen[2], adsb=seen[3],
        sources=sum(s is not None for s in seen),
        status=draw(st.sampled_from([TrackStatus.TENTATIVE, TrackStatus.CONFIRMED,
                                     TrackStatus.COASTING, TrackStatus.TERMINATED])),
        updates=draw(st.integers(1, 5)), emergency=draw(st.booleans()),
        altitude_ft=draw(st.one_of(st.none(), st.floats(-2000, 900_000))),
        vertical_rate_fpm=draw(st.one_of(st.none(), st.floats(-300_000, 300_000))),
        address=draw(ADDRESSES),
        callsign=draw(st.one_of(st.none(), st.text(string.ascii_letters + "0123456789 -é",
                                                   max_size=10))),
    )  # fmt: skip


AREAS = [
    {"type": "Polygon", "coordinates": [[[-10, 35], [40, 35], [40, 60], [-10, 60], [-10, 35]]]},
    # Across the antimeridian, as the agreements allow.
    {"type": "Polygon", "coordinates": [[[170, -20], [190, -20], [190, 20], [170, 20], [170, -20]]]},
    {"type": "Polygon", "coordinates": [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]]},
]  # fmt: skip
# Every kind an agreement may name: a subfield updates carry, a whole item, an item updates
# never carry, a subfield of an item they never carry (the reference path's case).
REMOVALS = ["I062/380/ADR", "I062/380/ID", "I062/290/PSR", "I062/185", "I062/380",
            "I062/136", "I062/245", "I062/380/MHG", "I062/390/CSN", "I062/340/SID"]  # fmt: skip


@st.composite
def agreements(draw: st.DrawFn) -> dict[str, Any] | None:
    if draw(st.booleans()) and draw(st.booleans()):
        return None
    return {
        "partner": "UA", "valid_from": "2020-01-01", "areas": [draw(st.sampled_from(AREAS))],
        "altitude": {"min_ft": draw(st.sampled_from([-1500, 5000])),
                     "max_ft": draw(st.sampled_from([150000, 30000]))},
        "tracks": {
            "civil_only": draw(st.booleans()),
            "military_addresses": draw(st.sampled_from([[], ["43C", "AE"], ["3c"]])),
            "mode3a_exclude": draw(st.sampled_from([[], [["7000", "7777"]], [["0000", "0100"]]])),
            "sources": draw(st.lists(st.sampled_from(["psr", "ssr", "mds", "ads"]), min_size=1,
                                     unique=True)),
        },
        "remove_items": draw(st.lists(st.sampled_from(REMOVALS), max_size=3, unique=True)),
        "update_period_s": draw(st.sampled_from([0, 4])),
    }  # fmt: skip


def outcome(run: Any) -> Any:
    try:
        result = run()
    except (EncodeError, ValueError) as error:  # values no input lets into a track
        return (type(error).__name__, str(error))
    return (result.payload, result.sent, result.withheld)


@settings(
    max_examples=int(os.environ.get("BATCH_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(batches=st.lists(st.lists(states(), max_size=25), min_size=1, max_size=3),
       agreement=agreements(), system=st.sampled_from([SYSTEM, SystemId(300, 1)]))  # fmt: skip
def test_track_states_encode_to_the_same_bytes_and_decisions(
    batches: list[list[batch.TrackState]], agreement: dict[str, Any] | None, system: SystemId
) -> None:
    def compiled() -> CompiledFilter | None:
        return None if agreement is None else CompiledFilter(agreement_from_mapping(agreement))

    fast = batch.TrackEncoder(system, compiled())
    reference = batch.TrackEncoder(system, compiled())
    for states_ in batches:  # one filter across batches: the update period carries over
        assert outcome(partial(fast.encode, states_)) == outcome(
            partial(reference._reference, states_)
        )


def test_the_exchange_updates_take_the_block_path(monkeypatch: pytest.MonkeyPatch) -> None:
    picture = AirPicture()
    agreement = CompiledFilter(agreement_from_mapping(
        {"partner": "UA", "valid_from": "2020-01-01", "areas": [AREAS[0]],
         "remove_items": ["I062/380/ADR"], "update_period_s": 0}))  # fmt: skip
    states_ = []
    for report in [TargetReport(NEAR + i, Source.ADSB, 50.0 + i / 100, 30.0, f"50800{i % 10}",
                                f"AUI{i}", "1234", 30000.0, 420.0, 90.0, 0.0)
                   for i in range(50)]:  # fmt: skip
        states_.append(batch.state_of(picture.update(report), report.time))
    expected = batch.TrackEncoder(SYSTEM, agreement)._reference(states_)
    encoder = batch.TrackEncoder(SYSTEM, CompiledFilter(agreement.agreement))
    monkeypatch.setattr(encoder, "_reference", lambda s: pytest.fail("reference path taken"))
    assert encoder.encode(states_) == expected
    assert expected.sent == 50


def test_a_state_is_the_track_as_it_was() -> None:
    """The picture goes on changing the track; the update sent is of the track at its time."""
    picture = AirPicture()
    first = TargetReport(NEAR, Source.SSR, 50.0, 30.0, "508001", "AUI1", "1234", 30000.0)
    track = picture.update(first)
    state = batch.state_of(track, NEAR)
    expected = track_to_cat062(dataclasses.replace(track, source_times=dict(track.source_times)),
                               SYSTEM, NEAR)  # fmt: skip
    picture.update(dataclasses.replace(first, time=NEAR + 4, lat=51.0, squawk="7700",
                                       source=Source.ADSB))  # fmt: skip
    assert batch.TrackEncoder(SYSTEM).encode([state]).payload == encode([expected])


def test_what_the_block_path_remembers_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """A peer sending ever new addresses, callsigns or layouts must not grow memory without end."""
    monkeypatch.setattr(batch, "CODES", 100)
    monkeypatch.setattr(batch, "_ADDRESSES", {})
    monkeypatch.setattr(batch, "_CALLSIGNS", {})
    data = picture_stream(400)  # 150 addresses and callsigns, several layouts
    first = fast_reports(data, NEAR)
    assert len(batch._ADDRESSES) <= 100 and len(batch._CALLSIGNS) <= 100
    assert fast_reports(data, NEAR) == first == reference_reports(data, NEAR)
