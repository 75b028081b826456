"""The picture as readsb's aircraft.json, key by key against readsb's README-json.md: keys
omitted when not known, `flight` padded to 8, readsb's emergency names, `seen` and `seen_pos`
in seconds before the file's `now`; and read back by the readsb input unchanged."""

from __future__ import annotations

import pytest

from asde.inputs.readsb import from_aircraft_json, to_aircraft_json
from asde.picture import AirPicture, PictureSettings
from asde.reports import Source, TargetReport

NOW = 1_800_000_000.0
# readsb's documented aircraft keys this picture can know (the rest need a receiver: rssi,
# nic, nac_p ... or the aircraft's own downlink: ias, mach, nav_*).
DOCUMENTED = {"hex", "type", "flight", "alt_baro", "gs", "track", "baro_rate", "squawk",
              "emergency", "lat", "lon", "seen_pos", "messages", "seen"}  # fmt: skip


def picture() -> AirPicture:
    own = AirPicture()
    for t in (NOW - 8, NOW - 4):
        own.update(TargetReport(time=t, source=Source.ADSB, lat=49.812345678, lon=23.4,
                                address="4CA101", callsign="RYR1KA", squawk="1000",
                                altitude_ft=35012.4, ground_speed_kt=420.04, track_deg=87.456,
                                vertical_rate_fpm=-1250.0))  # fmt: skip
    # A radar-only track: no address, no callsign, no speed; its last report 2 s after its
    # last position (a report without one)
    own.update(TargetReport(time=NOW - 10, source=Source.SSR, lat=50.0, lon=24.0,
                            squawk="2000"))  # fmt: skip
    own.update(TargetReport(time=NOW - 30, source=Source.PSR, lat=51.0, lon=25.0))
    return own


def test_a_full_adsb_track_has_every_key_readsb_documents_that_it_knows() -> None:
    document = to_aircraft_json(picture(), NOW, messages=5)

    assert document["now"] == NOW and document["messages"] == 5
    first = document["aircraft"][0]
    assert first == {
        "hex": "4ca101", "type": "adsb_icao", "flight": "RYR1KA  ", "alt_baro": 35012,
        "gs": 420.0, "track": 87.46, "baro_rate": -1250, "squawk": "1000",
        "emergency": "none", "lat": 49.812346, "lon": 23.4, "seen_pos": 4.0, "messages": 2,
        "seen": 4.0,
    }  # fmt: skip
    assert set(first) == DOCUMENTED
    assert len(first["flight"]) == 8


def test_unknown_values_are_left_out_not_sent_as_null() -> None:
    document = to_aircraft_json(picture(), NOW, messages=5)

    radar = document["aircraft"][1]
    assert radar == {"hex": f"~{2:06x}", "type": "tisb_trackfile", "squawk": "2000",
                     "emergency": "none", "lat": 50.0, "lon": 24.0, "seen_pos": 10.0,
                     "messages": 1, "seen": 10.0}  # fmt: skip
    assert all(None not in entry.values() for entry in document["aircraft"])


@pytest.mark.parametrize(("code", "name"), [("7500", "unlawful"), ("7600", "nordo"),
                                            ("7700", "general"), ("2000", "none")])  # fmt: skip
def test_emergency_codes_carry_readsb_names(code: str, name: str) -> None:
    own = AirPicture()
    own.update(TargetReport(time=NOW, source=Source.MODE_S, lat=50.0, lon=24.0,
                            address="4CA101", squawk=code))  # fmt: skip

    (entry,) = to_aircraft_json(own, NOW, messages=1)["aircraft"]

    assert entry["emergency"] == name
    assert entry["type"] == "tisb_icao"  # Mode S radar, not ADS-B


def test_an_emergency_without_a_7x00_code_is_general_and_ground_is_ground() -> None:
    own = AirPicture()
    own.update(TargetReport(time=NOW, source=Source.ADSB, lat=50.0, lon=24.0,
                            address="4CA101", emergency=True, on_ground=True,
                            altitude_ft=0))  # fmt: skip

    (entry,) = to_aircraft_json(own, NOW + 2.5, messages=1)["aircraft"]

    assert (entry["emergency"], entry["alt_baro"]) == ("general", "ground")
    assert entry["seen"] == entry["seen_pos"] == 2.5  # before the file's now, not picture time


def test_a_partner_track_without_its_address_is_its_track_number() -> None:
    partner = AirPicture(PictureSettings(system_tracks=True))
    partner.update(TargetReport(time=NOW, source=Source.SSR, lat=50.0, lon=24.0,
                                callsign="LOT3C", system=(25, 1), track_number=300))  # fmt: skip

    (entry,) = to_aircraft_json(partner, NOW, messages=1)["aircraft"]

    assert (entry["hex"], entry["type"], entry["flight"]) == ("~00012c", "tisb_trackfile",
                                                              "LOT3C   ")  # fmt: skip


def test_what_is_written_reads_back_as_the_same_reports() -> None:
    document = to_aircraft_json(picture(), NOW, messages=5)

    (report,) = [r for r in from_aircraft_json(document) if r.address == "4CA101"]

    assert report.time == NOW - 4
    assert (report.callsign, report.squawk, report.altitude_ft) == ("RYR1KA", "1000", 35012)
    assert report.vertical_rate_fpm == -1250 and report.ground_speed_kt == 420.0
