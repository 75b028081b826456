"""Scenarios: flights sampled like radar, with their events; bad scenarios are refused."""

import itertools

import pytest

from asde.reports import Source
from asde.sim import ScenarioError, replay_times, scenario_from_mapping, simulate

FLIGHT = {"callsign": "AUI101", "address": "508035", "squawk": "4521", "speed_kt": 450,
          "level_ft": 36000, "route": [[50.45, 30.52], [50.45, 31.52]]}  # fmt: skip


def test_a_flight_is_sampled_at_the_update_period_by_each_source() -> None:
    scenario = scenario_from_mapping({"update_s": 5, "noise_m": 0, "flights": [FLIGHT]})

    reports = simulate(scenario)
    psr = [r for r in reports if r.source == Source.PSR]

    # About 38 NM at 450 kt: 5 minutes, one plot every 5 s.
    assert 58 <= len(psr) <= 62
    assert {r.source for r in reports} == {Source.PSR, Source.MODE_S, Source.ADSB}
    assert all(b.time - a.time == pytest.approx(5) for a, b in itertools.pairwise(psr))
    assert psr[-1].lon == pytest.approx(31.52, abs=0.02)


def test_events_change_the_code_switch_off_the_transponder_and_descend() -> None:
    events = [{"at_s": 60, "squawk": "7500"}, {"at_s": 120, "descend_fpm": -6000, "to_ft": 30000},
              {"at_s": 240, "transponder": "off"}]  # fmt: skip
    scenario = scenario_from_mapping({"update_s": 4, "flights": [{**FLIGHT, "events": events}]})
    start = scenario.start

    reports = simulate(scenario)
    mode_s = [r for r in reports if r.source == Source.MODE_S]

    assert {r.squawk for r in mode_s if r.time - start < 60} == {"4521"}
    assert {r.squawk for r in mode_s if r.time - start > 61} == {"7500"}
    assert max(r.time - start for r in mode_s) < 241
    assert min(r.altitude_ft for r in mode_s) == 30000
    assert any(r.source == Source.PSR and r.time - start > 250 for r in reports)


def test_replay_waits_as_the_recording_did() -> None:
    reports = simulate(scenario_from_mapping({"update_s": 4, "flights": [FLIGHT]}))

    waits = [w for w, _r in replay_times(reports[:10], speed=2.0)]

    assert waits[0] == 0 and max(waits) <= 2.0


@pytest.mark.parametrize(
    ("data", "message"),
    [({"flights": []}, "no flights"), ({"flights": [{**FLIGHT, "route": [[50, 30]]}]}, "two waypoints"),
     ({"flights": [{"callsign": "X"}]}, "flight 1"), ({"start": "yesterday", "flights": [FLIGHT]}, "start"),
     ({"flights": [{**FLIGHT, "squawk": "8888"}]}, "'8888' is not a Mode 3/A code"),
     ({"flights": [{**FLIGHT, "events": [{"at_s": 5, "squawk": "77"}]}]}, "'77' is not a Mode 3/A code"),
     ({"flights": [{**FLIGHT, "address": "XYZ123"}]}, "not a 24-bit ICAO address")],
)  # fmt: skip
def test_bad_scenarios_are_refused(data: dict, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        scenario_from_mapping(data)
