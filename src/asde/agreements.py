"""Exchange agreements: what may go to a partner — area, altitude band, tracks, items, rate.

An agreement is a declarative, versioned file per partner (YAML or JSON). A new area (the
factsheet's "larger area" after 2014) is a new version with its own validity, not an edit.

    partner: UA
    version: 2
    valid_from: 2014-06-01
    valid_to: null
    areas:                      # GeoJSON geometries (Polygon / MultiPolygon), lon/lat
      - {type: Polygon, coordinates: [[[22, 44], [41, 44], [41, 53], [22, 53], [22, 44]]]}
    border_band: {country: UA, km: 150}   # optional: a band on both sides of a border
    altitude: {min_ft: 0, max_ft: 66000}
    tracks:
      civil_only: true          # leave out tracks whose Mode S address is in a military block
      military_addresses: ["43C", "AE", "AF"]   # address prefixes (hex) held military
      mode3a_exclude: [["0000", "0077"]]        # code ranges (octal) never sent
      sources: [psr, ssr, mds, ads]             # at least one of these must feed the track
    remove_items: ["I062/380/ADR", "I062/390"]  # items or compound subfields stripped
    update_period_s: 4          # at most one update per track per period
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy
import shapely
import yaml
from pyproj import Transformer
from shapely import MultiPolygon, Point, Polygon, prepared, unary_union
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from asde.asterix import Record
from asde.geo import ISO_NUMERIC, borders


class AgreementError(ValueError):
    """An agreement file that cannot be used: names the file and the reason."""


@dataclass(frozen=True)
class Agreement:
    partner: str
    version: int
    valid_from: dt.date
    valid_to: dt.date | None
    area: BaseGeometry
    min_ft: float
    max_ft: float
    civil_only: bool = True
    military_addresses: tuple[str, ...] = ()
    mode3a_exclude: tuple[tuple[int, int], ...] = ()
    sources: frozenset[str] = frozenset({"psr", "ssr", "mds", "ads"})
    remove_items: tuple[str, ...] = ()
    update_period_s: float = 0.0
    name: str = ""

    def in_force(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


def _unwrap(geometry: BaseGeometry, where: str) -> BaseGeometry:
    """The area as drawn, each edge the straight line between its vertices in longitude and
    latitude, except that an edge spanning more than 180 degrees of longitude (and less than
    the map's whole 360: -180 to 180 is the whole width, as in a box round the world) crosses
    the antimeridian (the short way, as RFC 7946 areas are drawn): the polygon is shifted to
    0..360, and points are tested at lon and lon+360. So an area wider than 180 degrees is
    drawn with vertices less than 180 degrees apart; one across the antimeridian either way,
    or with longitudes beyond 180. What cannot be one area on the map is refused: longitudes
    outside -180..540, latitudes outside -90..90, an edge of exactly 180 degrees (either way
    round), a ring that still jumps after the shift (around a pole, or crossing twice)."""
    polygons = list(getattr(geometry, "geoms", [geometry]))
    fixed = []
    for polygon in polygons:
        rings = [list(polygon.exterior.coords), *(list(r.coords) for r in polygon.interiors)]
        for ring in rings:
            for x, y in ring:
                if not (-180 <= x <= 540 and -90 <= y <= 90):
                    raise AgreementError(f"{where}: ({x}, {y}) is not a longitude, latitude")
        spans = [abs(b[0] - a[0]) for ring in rings for a, b in itertools.pairwise(ring)]
        if any(span == 180 for span in spans):
            raise AgreementError(f"{where}: an edge spans exactly 180 degrees of longitude: "
                                 "which way round it goes is not said; add a vertex on it")  # fmt: skip
        if any(180 < span < 360 for span in spans):
            rings = [[((x + 360) if x < 0 else x, y) for x, y in ring] for ring in rings]
            if any(180 < abs(b[0] - a[0]) < 360 for ring in rings
                   for a, b in itertools.pairwise(ring)):  # fmt: skip
                raise AgreementError(
                    f"{where}: the area crosses the antimeridian more than once or goes round "
                    "a pole: draw it as several polygons (a MultiPolygon)"
                )
            polygon = Polygon(rings[0], rings[1:])
            if not polygon.is_valid:
                polygon = polygon.buffer(0)
        fixed.append(polygon)
    return unary_union(fixed)


def _project(transformer: Transformer, xy: Any) -> Any:
    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return numpy.column_stack([x, y])


def border_band(country: str, km: float) -> BaseGeometry:
    """The band `km` wide on both sides of a country's land border, computed in an
    azimuthal equidistant projection centred on the country so that kilometres are true."""
    code = ISO_NUMERIC.get(country.upper(), country)
    target = borders().get(code)
    if target is None:
        raise AgreementError(f"no country {country!r} in the border data")
    centre = target.geometry.centroid
    to_local = Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84", always_xy=True
    )
    back = Transformer.from_crs(to_local.target_crs, "EPSG:4326", always_xy=True)
    local = shapely.transform(target.geometry.boundary, lambda xy: _project(to_local, xy))
    return shapely.transform(local.buffer(km * 1000.0), lambda xy: _project(back, xy))


def _date(value: Any, what: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise AgreementError(f"{what}: {value!r} is not a date (YYYY-MM-DD)") from None


def agreement_from_mapping(data: dict[str, Any], source: str = "agreement") -> Agreement:
    if not isinstance(data, dict):
        raise AgreementError(f"{source}: expected a mapping")
    try:
        partner = str(data["partner"])
        version = int(data.get("version", 1))
        valid_from = _date(data.get("valid_from"), f"{source}: valid_from")
    except (KeyError, TypeError, ValueError) as exc:
        raise AgreementError(f"{source}: {exc}") from None
    if valid_from is None:
        raise AgreementError(f"{source}: valid_from is required")
    shapes = []
    for index, geometry in enumerate(data.get("areas") or []):
        try:
            geo = shape(
                geometry.get("geometry", geometry) if isinstance(geometry, dict) else geometry
            )
        except Exception as exc:  # shapely raises several types for bad GeoJSON
            raise AgreementError(f"{source}: area {index + 1} is not GeoJSON: {exc}") from None
        if not isinstance(geo, Polygon | MultiPolygon) or geo.is_empty:
            raise AgreementError(f"{source}: area {index + 1} must be a Polygon or MultiPolygon")
        area = _unwrap(geo if geo.is_valid else geo.buffer(0), f"{source}: area {index + 1}")
        if area.is_empty or area.area == 0:
            raise AgreementError(f"{source}: area {index + 1} encloses nothing (its vertices "
                                 "are on one line)")  # fmt: skip
        shapes.append(area)
    band = data.get("border_band")
    if band:
        shapes.append(border_band(str(band["country"]), float(band["km"])))
    if not shapes:
        raise AgreementError(f"{source}: an agreement needs at least one area")
    altitude = data.get("altitude") or {}
    tracks = data.get("tracks") or {}
    excludes = []
    for pair in tracks.get("mode3a_exclude") or []:
        try:
            low, high = (int(str(code), 8) for code in pair)
        except (TypeError, ValueError):
            raise AgreementError(f"{source}: {pair!r} is not a Mode 3/A code range") from None
        excludes.append((low, high))
    sources = frozenset(
        str(s).lower() for s in (tracks.get("sources") or ["psr", "ssr", "mds", "ads"])
    )
    unknown = sources - {"psr", "ssr", "mds", "ads"}
    if unknown:
        raise AgreementError(f"{source}: unknown sources {sorted(unknown)}")
    return Agreement(
        partner=partner,
        version=version,
        valid_from=valid_from,
        valid_to=_date(data.get("valid_to"), f"{source}: valid_to"),
        area=unary_union(shapes),
        min_ft=float(altitude.get("min_ft", -1500)),
        max_ft=float(altitude.get("max_ft", 150000)),
        civil_only=bool(tracks.get("civil_only", True)),
        military_addresses=tuple(str(p).upper() for p in tracks.get("military_addresses") or []),
        mode3a_exclude=tuple(excludes),
        sources=sources,
        remove_items=_item_paths(data.get("remove_items") or [], source),
        update_period_s=float(data.get("update_period_s", 0)),
        name=str(data.get("name", "")),
    )


def _item_paths(values: list[Any], source: str) -> tuple[str, ...]:
    paths = []
    for value in values:
        text = str(value)
        parts = text.split("/")
        if not (
            2 <= len(parts) <= 3
            and parts[0] == "I062"
            and (parts[1].isdigit() or parts[1] in ("RE", "SP"))
        ):
            raise AgreementError(
                f"{source}: {text!r} is not an item path like I062/380 or I062/380/ADR"
            )
        paths.append(text)
    return tuple(paths)


def load_agreement(path: Path) -> Agreement:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise AgreementError(f"{path}: {exc}") from None
    return agreement_from_mapping(data, str(path))


def in_force(agreements: Iterable[Agreement], partner: str, day: dt.date) -> Agreement | None:
    """The highest version in force for the partner on that day."""
    candidates = [a for a in agreements if a.partner == partner and a.in_force(day)]
    return max(candidates, key=lambda a: a.version, default=None)


_SOURCE_FLAGS = {"psr": "PSR", "ssr": "SSR", "mds": "MDS", "ads": "ADS"}


@dataclass
class Decision:
    """Why a record did or did not go to the partner."""

    sent: bool
    reason: str
    record: Record | None = None
    removed: list[str] = field(default_factory=list)


class CompiledFilter:
    """An agreement ready to judge a stream of CAT 062 records quickly."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self._area = prepared.prep(agreement.area)
        self._bounds = agreement.area.bounds
        self._last_sent: dict[int, float] = {}
        # "I062/380/ADR" -> ("I380", "ADR"): the record's item key, then the subfield.
        self._remove = []
        for spec in agreement.remove_items:
            parts = spec.split("/")[1:]
            if parts:
                head = parts[0] if parts[0] in ("RE", "SP") else f"I{parts[0]}"
                self._remove.append((head, *parts[1:]))

    def _inside(self, lat: float, lon: float) -> bool:
        west, south, east, north = self._bounds
        if not south <= lat <= north:
            return False
        return any(
            west <= x <= east and self._area.contains(Point(x, lat)) for x in (lon, lon + 360.0)
        )

    def decide(self, record: Record, now: float | None = None) -> Decision:
        """Whether the record may go, and the record as it goes (items removed)."""
        a = self.agreement
        if record.category != 62:
            return Decision(False, "only CAT 062 system tracks are exchanged")
        position = record.get("I105")
        if position is None:
            return Decision(False, "no WGS-84 position")
        if not self._inside(position["Lat"], position["Lon"]):
            return Decision(False, "outside the agreed area")
        level = record.get("I136")
        altitude = level["MFL"] if level else None
        if altitude is not None and not a.min_ft <= altitude <= a.max_ft:
            return Decision(False, "outside the agreed altitude band")
        address = (record.get("I380") or {}).get("ADR", {}).get("ADR")
        if a.civil_only and address and address.upper().startswith(a.military_addresses or ("\0",)):
            return Decision(False, "military Mode S address")
        mode3a = record.get("I060")
        if mode3a:
            code = int(mode3a["Mode3A"], 8)
            if any(low <= code <= high for low, high in a.mode3a_exclude):
                return Decision(False, "Mode 3/A code excluded")
        status = record.get("I080") or {}
        if status and not any(status.get(_SOURCE_FLAGS[s], 1) == 0 for s in a.sources):
            return Decision(False, "not fed by an agreed source")
        number = record.get("I040", {}).get("TrkN")
        if a.update_period_s and number is not None and now is not None:
            last = self._last_sent.get(number)
            if last is not None and now - last < a.update_period_s:
                return Decision(False, "update period not yet over")
            self._last_sent[number] = now
        items = dict(record.items)
        removed = []
        for path in self._remove:
            if not path:
                continue
            key = path[0]
            if key not in items:
                continue
            if len(path) == 1:
                del items[key]
                removed.append(key)
            elif isinstance(items[key], dict) and path[1] in items[key]:
                inner = {k: v for k, v in items[key].items() if k != path[1]}
                removed.append("/".join(path))
                if inner:
                    items[key] = inner
                else:
                    del items[key]
        return Decision(True, "releasable", Record(62, items), removed)
