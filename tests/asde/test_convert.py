"""Tracks out as CAT 062 and reports in from CAT 062, 021 and 048."""

import pytest

from asde.asterix import Record, decode, encode
from asde.convert import (
    RadarSite,
    SystemId,
    absolute_time,
    report_from_cat021,
    report_from_cat048,
    report_from_cat062,
    track_to_cat062,
)
from asde.picture import AirPicture
from asde.reports import Source, TargetReport

NOON = 1764417600.0  # 2025-11-29 12:00:00 UTC


def test_a_track_goes_out_as_cat062_and_comes_back_as_the_same_report() -> None:
    picture = AirPicture()
    sent = TargetReport(time=NOON, source=Source.ADSB, lat=50.45, lon=30.52, address="508035",
                        callsign="AUI101", squawk="7700", altitude_ft=35000, ground_speed_kt=450,
                        track_deg=270, vertical_rate_fpm=-1000)  # fmt: skip
    track = picture.update(sent)

    wire = encode([track_to_cat062(track, SystemId(sac=25, sic=1), NOON)])
    back = report_from_cat062(decode(wire)[0], near=NOON)

    assert back is not None
    assert back.time == NOON
    assert back.lat == pytest.approx(50.45, abs=1e-5) and back.lon == pytest.approx(30.52, abs=1e-5)
    assert (back.address, back.callsign, back.squawk) == ("508035", "AUI101", "7700")
    assert back.altitude_ft == 35000 and back.vertical_rate_fpm == -1000
    assert back.ground_speed_kt == pytest.approx(450, abs=0.5)
    assert back.track_deg == pytest.approx(270, abs=0.1)
    assert back.emergency


def test_time_of_day_wraps_at_midnight() -> None:
    just_after_midnight = 1764460800.0 + 5  # 2025-11-30 00:00:05
    assert absolute_time(86399.0, just_after_midnight) == 1764460800.0 - 1


def test_a_radar_plot_is_placed_geodesically_from_its_site() -> None:
    site = RadarSite(sac=25, sic=201, lat=50.0, lon=30.0)
    plot = Record(48, {"I010": {"SAC": 25, "SIC": 201}, "I140": {"ToD": 43200.0},
                       "I020": {"TYP": 5, "SIM": 0, "RDP": 0, "SPI": 0, "RAB": 0},
                       "I040": {"RHO": 60.0, "THETA": 0.0},
                       "I070": {"V": 0, "G": 0, "L": 0, "Mode3A": "7500"}})  # fmt: skip

    report = report_from_cat048(plot, site, near=NOON)

    assert report is not None and report.source == Source.MODE_S
    # 60 NM due north at 50°N is about 1.0 degree of latitude on the ellipsoid.
    assert report.lat == pytest.approx(50.9993, abs=1e-3) and report.lon == pytest.approx(30.0)
    assert report.squawk == "7500" and report.emergency


def test_an_adsb_report_from_cat021() -> None:
    record = Record(21, {"I010": {"SAC": 1, "SIC": 2}, "I080": {"TAddr": "508035"},
                         "I131": {"Lat": 50.5, "Lon": 30.5}, "I145": {"FL": 350.0},
                         "I073": {"time_reception_position": 43200.0},
                         "I160": {"RE": 0, "GS": 0.125, "TA": 90.0},
                         "I170": {"TId": "AUI101  "}})  # fmt: skip

    report = report_from_cat021(decode(encode([record]))[0], near=NOON)

    assert report is not None
    assert report.altitude_ft == 35000 and report.ground_speed_kt == 450
    assert report.callsign == "AUI101" and report.time == NOON
