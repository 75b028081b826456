"""Exchange agreements: areas (border band, antimeridian), versions, tracks and items."""

import datetime as dt
from pathlib import Path

import pytest

import asde
from asde.agreements import (
    AgreementError,
    CompiledFilter,
    agreement_from_mapping,
    in_force,
    load_agreement,
)
from asde.asterix import Record

AGREEMENTS = Path(asde.__file__).parent / "data" / "agreements"
BOX = {"type": "Polygon", "coordinates": [[[22, 44], [41, 44], [41, 53], [22, 53], [22, 44]]]}


def track(lat: float, lon: float, **items: object) -> Record:
    base = {
        "I010": {"SAC": 25, "SIC": 1},
        "I040": {"TrkN": 7},
        "I105": {"Lat": lat, "Lon": lon},
        "I136": {"MFL": 35000.0},
        "I380": {"ADR": {"ADR": "508035"}, "ID": {"ACID": "AUI101  "}},
    }
    base.update(items)  # type: ignore[arg-type]
    return Record(62, base)


def agreement(**extra: object) -> CompiledFilter:
    data = {"partner": "UA", "valid_from": "2014-06-01", "areas": [BOX], **extra}
    return CompiledFilter(agreement_from_mapping(data))


def test_a_track_inside_goes_with_the_agreed_items_removed() -> None:
    decision = agreement(remove_items=["I062/380/ADR"]).decide(track(50.0, 30.0), now=0)

    assert decision.sent and decision.record is not None
    assert decision.record["I380"] == {"ID": {"ACID": "AUI101  "}}
    assert decision.removed == ["I380/ADR"]


@pytest.mark.parametrize(
    ("record", "extra", "reason"),
    [
        (track(40.0, 30.0), {}, "outside the agreed area"),
        (track(50.0, 30.0, I136={"MFL": 70000.0}), {"altitude": {"max_ft": 66000}},
         "outside the agreed altitude band"),
        (track(50.0, 30.0, I380={"ADR": {"ADR": "AE1234"}}), {"tracks": {"military_addresses": ["AE"]}},
         "military Mode S address"),
        (track(50.0, 30.0, I060={"V": 0, "G": 0, "CH": 0, "Mode3A": "0042"}),
         {"tracks": {"mode3a_exclude": [["0000", "0077"]]}}, "Mode 3/A code excluded"),
        (Record(62, {"I040": {"TrkN": 1}}), {}, "no WGS-84 position"),
    ],
)  # fmt: skip
def test_what_is_not_releasable_never_leaves(record: Record, extra: dict, reason: str) -> None:
    decision = agreement(**extra).decide(record, now=0)

    assert not decision.sent and decision.record is None
    assert decision.reason == reason


def test_the_update_period_limits_updates_per_track() -> None:
    compiled = agreement(update_period_s=4)

    sent = [compiled.decide(track(50.0, 30.0), now=t).sent for t in (0, 1, 2, 4, 5, 8)]

    assert sent == [True, False, False, True, False, True]


def test_an_area_across_the_antimeridian() -> None:
    pacific = {
        "type": "Polygon",
        "coordinates": [[[170, -20], [-170, -20], [-170, 0], [170, 0], [170, -20]]],
    }
    compiled = CompiledFilter(agreement_from_mapping({"partner": "FJ", "valid_from": "2020-01-01",
                                                      "areas": [pacific]}))  # fmt: skip

    assert compiled.decide(track(-10.0, 179.5), now=0).sent
    assert compiled.decide(track(-10.0, -175.0), now=0).sent
    assert not compiled.decide(track(-10.0, 0.0), now=0).sent
    assert not compiled.decide(track(-10.0, 160.0), now=0).sent


def test_the_border_band_reaches_both_sides_of_the_border() -> None:
    v1 = CompiledFilter(load_agreement(AGREEMENTS / "nato-ua-v1-2008.yaml"))

    # Each call ten seconds apart, so that the update period does not hold any back.
    assert v1.decide(track(50.06, 19.94), now=0).sent is False  # Krakow: ~120 km from the border
    assert v1.decide(track(50.04, 22.00), now=10).sent  # Rzeszow: ~85 km outside
    assert v1.decide(track(49.84, 24.03), now=20).sent  # Lviv: ~70 km inside
    assert not v1.decide(track(50.25, 28.66), now=30).sent  # Zhytomyr: ~130 km from any border


def test_the_later_version_is_in_force_from_its_date() -> None:
    both = [
        load_agreement(AGREEMENTS / name)
        for name in ("nato-ua-v1-2008.yaml", "nato-ua-v2-2014.yaml")
    ]

    assert in_force(both, "UA", dt.date(2010, 1, 1)).version == 1  # type: ignore[union-attr]
    assert in_force(both, "UA", dt.date(2015, 1, 1)).version == 2  # type: ignore[union-attr]
    assert in_force(both, "UA", dt.date(2007, 1, 1)) is None
    assert both[1].area.area > both[0].area.area


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"valid_from": "2014-01-01", "areas": [BOX]}, "partner"),
        ({"partner": "UA", "areas": [BOX]}, "valid_from is required"),
        ({"partner": "UA", "valid_from": "2014-13-01", "areas": [BOX]}, "is not a date"),
        ({"partner": "UA", "valid_from": "2014-01-01"}, "at least one area"),
        ({"partner": "UA", "valid_from": "2014-01-01", "areas": [{"type": "Point", "coordinates": [1, 2]}]},
         "must be a Polygon"),
        ({"partner": "UA", "valid_from": "2014-01-01", "areas": [BOX], "tracks": {"sources": ["radio"]}},
         "unknown sources"),
    ],
)  # fmt: skip
def test_bad_agreements_are_refused_with_the_reason(data: dict, message: str) -> None:
    with pytest.raises(AgreementError, match=message):
        agreement_from_mapping(data)


def pacific_filter(coordinates: list) -> CompiledFilter:
    area = {"type": "Polygon", "coordinates": coordinates}
    return CompiledFilter(
        agreement_from_mapping({"partner": "FJ", "valid_from": "2020-01-01", "areas": [area]})
    )


def test_an_area_wider_than_180_degrees_drawn_with_vertices_on_the_way_works() -> None:
    # Given a band from 170 W eastwards to 170 E (340 degrees), vertices 100 degrees apart
    band = pacific_filter([[[-170, -20], [-70, -20], [30, -20], [170, -20], [170, 0],
                            [30, 0], [-70, 0], [-170, 0], [-170, -20]]])  # fmt: skip

    # Then it holds the whole band, not a sliver across the antimeridian
    assert all(band.decide(track(-10.0, lon), now=0).sent for lon in (-160.0, -50, 0, 100, 165))
    assert not band.decide(track(-10.0, 179.0), now=0).sent  # the 20 degrees left out
    assert not band.decide(track(10.0, 0.0), now=0).sent


def test_an_area_beyond_180_degrees_of_longitude_crosses_the_antimeridian() -> None:
    pacific = pacific_filter([[[170, -20], [190, -20], [190, 0], [170, 0], [170, -20]]])

    assert pacific.decide(track(-10.0, -175.0), now=0).sent
    assert pacific.decide(track(-10.0, 175.0), now=0).sent
    assert not pacific.decide(track(-10.0, -160.0), now=0).sent


@pytest.mark.parametrize(
    ("coordinates", "reason"),
    [
        ([[[-90, -20], [90, -20], [90, 0], [-90, 0], [-90, -20]]], "exactly 180 degrees"),
        # Round the north pole: one crossing, no way back
        ([[[0, 70], [120, 80], [-120, 75], [0, 70]]], "more than once or goes round a pole"),
        ([[[0, 0], [600, 0], [600, 10], [0, 0]]], r"\(600\.0, 0\.0\) is not a longitude"),
        ([[[0, 80], [120, 80], [-120, 80], [0, 80]]], "encloses nothing"),
    ],
)
def test_an_area_that_cannot_be_one_area_is_refused_with_the_reason(
    coordinates: list, reason: str
) -> None:
    with pytest.raises(AgreementError, match=rf"FJ-test: area 1:? .*{reason}"):
        agreement_from_mapping({"partner": "FJ", "valid_from": "2020-01-01",
                                "areas": [{"type": "Polygon", "coordinates": coordinates}]},
                               "FJ-test")  # fmt: skip


def test_a_box_round_the_whole_world_holds_the_whole_world() -> None:
    world = pacific_filter([[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]])

    assert all(world.decide(track(lat, lon), now=0).sent
               for lat, lon in ((0.0, 0.0), (50.0, 179.9), (-60.0, -179.9), (10.0, 100.0)))  # fmt: skip
