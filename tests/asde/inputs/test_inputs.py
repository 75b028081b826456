"""Every input becomes the same target report: recordings, readsb files and SBS lines."""

import itertools
import json
from pathlib import Path

import pytest

from asde.inputs.opensky import read_states, report_from_state
from asde.inputs.readsb import from_aircraft_json, from_trace
from asde.inputs.sbs import SbsDecoder, SbsError
from asde.reports import Source

SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "data" / "traffic-samples"
needs_samples = pytest.mark.skipif(not SAMPLES.exists(), reason="shared traffic samples absent")


def test_a_state_vector_becomes_a_report() -> None:
    state = {"altitude": 13650.0, "callsign": "MSR799 ", "groundspeed": 325.0, "icao24": "0101de",
             "latitude": 48.48, "longitude": 3.83, "onground": False, "squawk": "7700",
             "timestamp": 1633608773000, "track": 311.1, "vertical_rate": -896.0}  # fmt: skip

    report = report_from_state(state)

    assert report is not None
    assert (report.address, report.callsign, report.squawk) == ("0101DE", "MSR799", "7700")
    assert report.time == 1633608773.0 and report.emergency


@needs_samples
def test_the_border_control_recording_is_read_in_time_order() -> None:
    reports = list(read_states(SAMPLES / "border_control.json.gz"))

    assert len(reports) == 1465
    assert all(a.time <= b.time for a, b in itertools.pairwise(reports))
    assert all(r.source == Source.ADSB for r in reports)


@needs_samples
def test_the_readsb_trace_file_is_read() -> None:
    document = json.loads((SAMPLES / "readsb_trace_full_ac671b.json").read_text())

    reports = list(from_trace(document))

    assert len(reports) > 2000
    assert reports[0].address == "AC671B"
    assert any(r.callsign == "DAL1812" for r in reports)
    assert any(r.squawk == "4637" for r in reports)


def test_aircraft_json_gives_positions_with_their_age() -> None:
    document = {"now": 1700000000.0, "aircraft": [
        {"hex": "508035", "flight": "AUI101  ", "lat": 50.4, "lon": 30.5, "alt_baro": 35000,
         "gs": 450, "track": 270, "squawk": "7600", "seen_pos": 1.5, "type": "adsb_icao"},
        {"hex": "~00abcd", "lat": 50.0},
    ]}  # fmt: skip

    reports = list(from_aircraft_json(document))

    assert len(reports) == 1
    assert reports[0].time == 1699999998.5 and reports[0].callsign == "AUI101"


def test_sbs_lines_are_merged_per_aircraft() -> None:
    decoder = SbsDecoder()
    ident = "MSG,1,1,1,508035,1,2026/11/29,12:00:00.000,2026/11/29,12:00:00.000,AUI101,,,,,,,,,,,0"
    squawk = (
        "MSG,6,1,1,508035,1,2026/11/29,12:00:01.000,2026/11/29,12:00:01.000,,,,,,,,7700,0,1,0,0"
    )
    position = ("MSG,3,1,1,508035,1,2026/11/29,12:00:02.000,2026/11/29,12:00:02.000,,35000,,,"
                "50.45,30.52,,,0,0,0,0")  # fmt: skip

    assert decoder.feed_line(ident) is None
    assert decoder.feed_line(squawk) is None
    report = decoder.feed_line(position)

    assert report is not None
    assert (report.callsign, report.squawk, report.altitude_ft) == ("AUI101", "7700", 35000.0)
    assert report.emergency and report.lat == 50.45


@pytest.mark.parametrize(
    "line",
    ["", "hello", "MSG,3,1,1,ZZZZZZ,1,,,,,,,,,,,,,,,,0",
     "MSG,3,1,1,508035,1,2026/11/29,12:00:02.000,,,,35000,,,95.0,30.52,,,0,0,0,0",
     "MSG,6,1,1,508035,1,,,,,,,,,,,,9999,0,0,0,0",
     "MSG,3,1,1,508035,1,2026/11/29,12:00:02.000,,,,nan,,,50.0,30.52,,,0,0,0,0",
     "MSG,4,1,1,508035,1,2026/11/29,12:00:02.000,,,,,inf,90,,,,,0,0,0,0"],
)  # fmt: skip
def test_bad_sbs_lines_raise_sbs_error(line: str) -> None:
    with pytest.raises(SbsError):
        SbsDecoder().feed_line(line)


@pytest.mark.parametrize(("squawk", "address"), [("8888", "4CA7ZZ"), ("12", "4CA7"), (7700, 1)])
def test_codes_that_are_not_mode_3a_or_icao_addresses_do_not_reach_a_report(
    squawk: object, address: object
) -> None:
    """Every update of a track carries its code and address; one a feed garbled must not
    stop the exchange when the update is encoded."""
    state = {"timestamp": 1_600_000_000_000, "icao24": address, "squawk": squawk,
             "latitude": 50.0, "longitude": 30.0}  # fmt: skip
    report = report_from_state(state)
    assert report is not None and report.squawk is None and report.address is None
    nan = report_from_state({**state, "altitude": float("nan"), "groundspeed": float("inf")})
    assert nan is not None and nan.altitude_ft is None and nan.ground_speed_kt is None
    aircraft = {"now": 1_600_000_000, "aircraft": [
        {"hex": "4ca7b2", "lat": 50.0, "lon": 30.0, "squawk": squawk},
        {"hex": str(address), "lat": 50.0, "lon": 30.0}]}  # fmt: skip
    reports = list(from_aircraft_json(aircraft))
    assert [(r.address, r.squawk) for r in reports] == [("4CA7B2", None)]
