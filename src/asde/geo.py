"""Country borders from the packaged Natural Earth data set (npm `world-atlas`, TopoJSON),
shipped inside this package (`data/borders/countries-50m.json.gz`, see its README).

The Allies recognise Ukraine within its internationally recognised borders, Crimea included.
Natural Earth draws boundaries de facto; where its data puts Crimea outside Ukraine, the
Crimean polygons are moved back into Ukraine here (see `recognised`).
"""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from shapely import MultiPolygon, Point, Polygon, unary_union
from shapely.geometry.base import BaseGeometry

# ISO 3166-1 numeric codes of the region's countries, by alpha-2 code.
ISO_NUMERIC = {
    "UA": "804", "RU": "643", "BY": "112", "PL": "616", "SK": "703", "HU": "348",
    "RO": "642", "MD": "498", "TR": "792", "LT": "440", "LV": "428", "EE": "233",
    "GE": "268", "BG": "100", "DE": "276", "FR": "250", "GB": "826", "CH": "756",
}  # fmt: skip
SEVASTOPOL = Point(33.5224, 44.6166)
CRIMEA_BOX = (32.4, 44.3, 36.7, 46.25)  # lon/lat bounds of the peninsula


PACKAGED = Path(__file__).parent / "data" / "borders" / "countries-50m.json.gz"


class BordersUnavailableError(FileNotFoundError):
    """The border data is not where it should be (a broken installation, or a wrong
    $ASDE_WORLD_ATLAS)."""


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 numeric, as world-atlas keys them
    name: str
    geometry: BaseGeometry


def atlas_path() -> Path:
    """Where the world-atlas 1:50m countries are: $ASDE_WORLD_ATLAS (a countries-50m.json,
    plain or gzipped) when it is set, else the copy inside this package."""
    override = os.environ.get("ASDE_WORLD_ATLAS")
    path = Path(override) if override else PACKAGED
    if not path.exists():
        where = "ASDE_WORLD_ATLAS" if override else "the asde package"
        raise BordersUnavailableError(
            f"{path} not found ({where}): the country borders are missing"
        )
    return path


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(float(px), float(py)) for px, py in arc]
        arcs.append(points)
    return arcs


def _ring(
    indexes: Iterable[int], arcs: list[list[tuple[float, float]]]
) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def _polygon(rings: list[list[int]], arcs: list[list[tuple[float, float]]]) -> Polygon:
    shell, *holes = (_ring(r, arcs) for r in rings)
    return Polygon(shell, holes)


def load_countries(path: Path | None = None) -> dict[str, Country]:
    source = path or atlas_path()
    data = source.read_bytes()
    if data[:2] == b"\x1f\x8b":  # gzip
        data = gzip.decompress(data)
    topology = json.loads(data)
    arcs = _decode_arcs(topology)
    countries = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = str(geometry.get("id", ""))
        if geometry["type"] == "Polygon":
            shape: BaseGeometry = _polygon(geometry["arcs"], arcs)
        elif geometry["type"] == "MultiPolygon":
            shape = MultiPolygon([_polygon(p, arcs) for p in geometry["arcs"]])
        else:
            continue
        if not shape.is_valid:
            shape = shape.buffer(0)
        countries[code] = Country(code, geometry.get("properties", {}).get("name", code), shape)
    return countries


def recognised(countries: dict[str, Country]) -> dict[str, Country]:
    """Crimea inside Ukraine: any Crimean polygon the data set gives Russia moves to Ukraine."""
    ukraine, russia = countries.get("804"), countries.get("643")
    if ukraine is None or russia is None or ukraine.geometry.contains(SEVASTOPOL):
        return countries
    west, south, east, north = CRIMEA_BOX
    parts = list(getattr(russia.geometry, "geoms", [russia.geometry]))
    crimea = [p for p in parts if p.within(Polygon.from_bounds(west, south, east, north))]
    rest = [p for p in parts if p not in crimea]
    fixed = dict(countries)
    fixed["804"] = Country("804", ukraine.name, unary_union([ukraine.geometry, *crimea]))
    fixed["643"] = Country("643", russia.name, unary_union(rest))
    return fixed


@cache
def borders() -> dict[str, Country]:
    """The recognised borders, loaded once per process."""
    return recognised(load_countries())


def country_of(lat: float, lon: float) -> str | None:
    """The ISO numeric code of the country at a point, or None over the sea."""
    point = Point(lon, lat)
    for code, country in borders().items():
        if country.geometry.contains(point):
            return code
    return None
