"""Borders: Ukraine within its internationally recognised borders, Crimea included."""

import pytest
from shapely import Point

from asde.geo import SEVASTOPOL, borders, country_of, load_countries, recognised


def test_a_point_in_sevastopol_lies_in_ukraine() -> None:
    assert borders()["804"].geometry.contains(SEVASTOPOL)
    assert not borders()["643"].geometry.contains(SEVASTOPOL)
    assert country_of(44.6166, 33.5224) == "804"


def test_the_data_set_needed_the_correction_and_nothing_else_moved() -> None:
    raw = load_countries()
    fixed = recognised(raw)

    assert not raw["804"].geometry.contains(SEVASTOPOL)  # Natural Earth draws it de facto
    assert fixed["643"].geometry.contains(Point(37.62, 55.75))  # Moscow stays in Russia
    assert fixed["804"].geometry.contains(Point(30.52, 50.45))  # Kyiv
    assert fixed["804"].geometry.area == pytest.approx(
        raw["804"].geometry.area + (raw["643"].geometry.area - fixed["643"].geometry.area), rel=1e-6
    )


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [(50.45, 30.52, "804"), (52.23, 21.01, "616"), (47.50, 19.04, "348"), (45.0, 31.5, None)],
)
def test_country_of_a_point(lat: float, lon: float, code: str | None) -> None:
    assert country_of(lat, lon) == code
