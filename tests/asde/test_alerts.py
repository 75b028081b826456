"""Every alert rule on a case that must raise it and one that must not; the renegade ladder."""

from pathlib import Path

import pytest
from shapely.geometry import shape

import asde
from asde.alerts import (
    AlertEngine,
    AlertSettings,
    FiledRoute,
    ProtectedSite,
    RenegadeLevel,
    RestrictedArea,
    Rule,
    alert_to_cat004,
    evaluate_picture,
)
from asde.asterix import decode, encode
from asde.convert import SystemId
from asde.reports import Source, TargetReport
from asde.sim import load_scenario, simulate

SCENARIO = Path(asde.__file__).parent / "data" / "scenarios" / "renegade-lviv.yaml"
AREA = RestrictedArea("NPP", shape({"type": "Polygon", "coordinates": [
    [[25.8, 51.25], [26.05, 51.25], [26.05, 51.4], [25.8, 51.4], [25.8, 51.25]]]}), max_ft=20000)  # fmt: skip


def flight(points: list[tuple], **common: object) -> list[TargetReport]:
    """Reports at (t, lat, lon) or (t, lat, lon, extra-dict)."""
    out = []
    for point in points:
        t, lat, lon, *rest = point
        values = {"source": Source.ADSB, "address": "508035", "callsign": "AUI101", **common}
        values.update(rest[0] if rest else {})
        out.append(TargetReport(time=t, lat=lat, lon=lon, **values))  # type: ignore[arg-type]
    return out


def rules(reports: list[TargetReport], settings: AlertSettings | None = None) -> list[Rule]:
    return [a.rule for a in evaluate_picture(reports, AlertEngine(settings or AlertSettings()))]


@pytest.mark.parametrize(("code", "rule"), [("7500", Rule.SQUAWK_7500), ("7600", Rule.SQUAWK_7600),
                                           ("7700", Rule.SQUAWK_7700)])  # fmt: skip
def test_emergency_codes_raise_once(code: str, rule: Rule) -> None:
    found = rules(flight([(t, 52.0, 21.0) for t in range(0, 40, 4)], squawk=code))

    assert found.count(rule) == 1
    assert rules(flight([(t, 52.0, 21.0) for t in range(0, 40, 4)], squawk="2612")) == []


def test_a_code_change_in_flight_once_the_new_code_has_held() -> None:
    # The new code from 4 s on; confirmed after 20 s (code_change_confirm_s)
    reports = flight([(0, 52.0, 21.0, {"squawk": "2612"})]
                     + [(t, 52.0, 21.0, {"squawk": "2613"}) for t in range(4, 40, 4)])  # fmt: skip
    engine = AlertEngine()
    raised = evaluate_picture(reports, engine)

    change = next(a for a in raised if a.rule == Rule.CODE_CHANGE)
    assert change.time == 24 and change.evidence == {"from": "2612", "to": "2613", "held_s": 20}
    assert [a.rule for a in raised].count(Rule.CODE_CHANGE) == 1
    assert Rule.CODE_CHANGE not in rules(flight([(0, 52.0, 21.0), (4, 52.0, 21.0)], squawk="2612"))


def test_a_code_glitch_that_reverts_raises_nothing() -> None:
    # Given 2612, then 2613 for 12 s (a garbled reply, a data glitch), then 2612 again
    codes = ["2612"] * 5 + ["2613"] * 3 + ["2612"] * 20
    reports = flight([(4 * i, 52.0, 21.0, {"squawk": code}) for i, code in enumerate(codes)])

    assert rules(reports) == []


def test_an_emergency_code_raises_at_once_and_the_change_after_confirmation() -> None:
    codes = ["2612"] * 3 + ["7700"] * 10
    reports = flight([(4 * i, 52.0, 21.0, {"squawk": code}) for i, code in enumerate(codes)])

    raised = evaluate_picture(reports, AlertEngine())

    assert [(a.rule, a.time) for a in raised] == [(Rule.SQUAWK_7700, 12), (Rule.CODE_CHANGE, 32)]


def test_transponder_lost_while_primary_radar_goes_on() -> None:
    secondary = flight([(t, 52.0, 21.0 + t / 1000) for t in range(0, 20, 4)], squawk="2612")
    primary = [TargetReport(time=t, source=Source.PSR, lat=52.0, lon=21.0 + t / 1000)
               for t in range(0, 80, 4)]  # fmt: skip
    together = sorted(secondary + primary, key=lambda r: r.time)

    assert rules(together).count(Rule.TRANSPONDER_LOST) == 1
    assert Rule.TRANSPONDER_LOST not in rules(secondary)  # no primary: simply gone


def test_approach_to_and_crossing_of_the_border() -> None:
    # Eastbound at 480 kt (8 NM a minute) from Poland towards Ukraine along 50.5 N.
    towards = flight([(t, 50.5, 23.2 + t * 0.00371) for t in range(0, 400, 4)],
                     ground_speed_kt=480, track_deg=90)  # fmt: skip
    away = flight([(t, 50.5, 21.0 - t * 0.00371) for t in range(0, 400, 4)],
                  ground_speed_kt=480, track_deg=270)  # fmt: skip

    found = rules(towards)
    assert found.index(Rule.BORDER_APPROACH) < found.index(Rule.BORDER_CROSSING)
    assert rules(away) == []


def test_entry_into_a_restricted_area_within_its_altitude_band() -> None:
    settings = AlertSettings(restricted_areas=[AREA])
    low = flight([(0, 51.5, 25.9), (4, 51.3, 25.9)], altitude_ft=2000)
    high = flight([(0, 51.5, 25.9), (4, 51.3, 25.9)], altitude_ft=33000)

    assert Rule.RESTRICTED_AREA in rules(low, settings)
    assert Rule.RESTRICTED_AREA not in rules(high, settings)


def test_deviation_from_the_filed_route() -> None:
    route = FiledRoute("AUI101", ((52.0, 21.0), (52.0, 23.0)), corridor_nm=10)
    settings = AlertSettings(routes={"AUI101": route})

    assert Rule.ROUTE_DEVIATION in rules(flight([(0, 52.0, 21.5), (4, 52.4, 22.0)]), settings)
    assert Rule.ROUTE_DEVIATION not in rules(flight([(0, 52.0, 21.5), (4, 52.1, 22.0)]), settings)


def test_unusual_descent_near_a_protected_site() -> None:
    settings = AlertSettings(protected_sites=[ProtectedSite("Lviv", 49.84, 24.03, 30)])
    near = flight([(0, 49.9, 24.0), (4, 49.9, 24.0)], altitude_ft=9000, vertical_rate_fpm=-6000)
    far = flight([(0, 52.0, 21.0), (4, 52.0, 21.0)], altitude_ft=9000, vertical_rate_fpm=-6000)

    assert Rule.UNUSUAL_DESCENT in rules(near, settings)
    assert Rule.UNUSUAL_DESCENT not in rules(far, settings)


def test_two_indicators_make_a_suspected_renegade_an_operator_raises_it() -> None:
    engine = AlertEngine()
    reports = flight([(0, 52.0, 21.0, {"squawk": "2612"})]
                     + [(t, 52.0, 21.0, {"squawk": "7500"}) for t in range(4, 40, 4)])  # fmt: skip
    raised = evaluate_picture(reports, engine)
    renegade = next(a for a in raised if a.rule == Rule.RENEGADE)

    assert renegade.level == RenegadeLevel.SUSPECTED
    assert renegade.evidence["indicators"] == ["code_change", "squawk_7500"]
    engine.escalate(renegade.track, RenegadeLevel.CONFIRMED)
    assert renegade.level == RenegadeLevel.CONFIRMED
    with pytest.raises(ValueError):
        engine.escalate(renegade.track, RenegadeLevel.PROBABLE)


def test_the_shipped_scenario_shows_every_rule() -> None:
    scenario = load_scenario(SCENARIO)
    raised = evaluate_picture(simulate(scenario), AlertEngine(scenario.alert_settings))
    found = {a.rule for a in raised}

    assert found >= {Rule.SQUAWK_7500, Rule.CODE_CHANGE, Rule.TRANSPONDER_LOST, Rule.BORDER_APPROACH,
                     Rule.BORDER_CROSSING, Rule.RESTRICTED_AREA, Rule.ROUTE_DEVIATION,
                     Rule.UNUSUAL_DESCENT, Rule.RENEGADE}  # fmt: skip
    renegades = [a for a in raised if a.rule == Rule.RENEGADE]
    assert [a.callsign for a in renegades] == ["LOT7RG"]


def test_alerts_go_to_the_partner_as_cat004() -> None:
    engine = AlertEngine(AlertSettings(restricted_areas=[AREA]))
    raised = evaluate_picture(flight([(0, 51.3, 25.9), (4, 51.3, 25.9)], altitude_ft=2000,
                                     squawk="7700"), engine)  # fmt: skip
    wire = encode([alert_to_cat004(a, SystemId(25, 1)) for a in raised])
    back = decode(wire)

    by_type = {r["I000"]["MessageType"]: r for r in back}
    assert by_type[5]["I100"]["CANP"]["CAN"].strip() == "NPP"  # area proximity warning
    assert b'"rule":"squawk_7700"' in by_type[0]["SP"]


def test_an_area_name_longer_than_seven_characters_reaches_the_partner_whole() -> None:
    from asde.alerts import PartnerAlerts

    long_area = RestrictedArea("RIVNE-NPP-EXCLUSION-ZONE", AREA.area, max_ft=20000)
    engine = AlertEngine(AlertSettings(restricted_areas=[long_area]))
    raised = evaluate_picture(flight([(0, 51.3, 25.9), (4, 51.3, 25.9)], altitude_ft=2000),
                              engine)  # fmt: skip
    (record,) = decode(encode([alert_to_cat004(a, SystemId(25, 1)) for a in raised]))

    copy = PartnerAlerts(AlertEngine()).receive(record, now=10.0)

    assert record["I100"]["CANP"]["CAN"] == "RIVNE-N"  # what I004/100 can hold
    assert copy.evidence["area"] == "RIVNE-NPP-EXCLUSION-ZONE"
    assert copy.track == raised[0].track  # I004/030: the number sent in I062/040
