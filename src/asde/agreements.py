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

What an agreement releases is decided here and nowhere else: `CompiledFilter.release` judges
many track updates at once (columns: the send loop's batches), `decide` one update (a CAT 062
record) through the same code, and `releases_track` a track at a given moment (an alert about
it). The platform validates a new version with `agreement_from_mapping`, as the service loads
it; a refusal is an `AgreementError` with a `problem` code and the `field` it is about.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from pathlib import Path
from typing import Any

import numpy
import shapely
import yaml
from pyproj import Transformer
from shapely import MultiPolygon, Polygon, prepared, unary_union
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from asde.asterix import Record
from asde.geo import ISO_NUMERIC, borders


class AgreementProblem(StrEnum):
    """What is wrong with an agreement, for whoever shows it in another language."""

    UNREADABLE = "unreadable"
    NOT_A_MAPPING = "not_a_mapping"
    BAD_VALUE = "bad_value"
    BAD_DATE = "bad_date"
    DATES_ORDER = "dates_order"
    BAD_AREA = "bad_area"
    NO_AREA = "no_area"
    UNKNOWN_COUNTRY = "unknown_country"
    ALTITUDE_ORDER = "altitude_order"
    BAD_CODE_RANGE = "bad_code_range"
    UNKNOWN_SOURCE = "unknown_source"
    BAD_ITEM = "bad_item"
    BAD_PERIOD = "bad_period"


class AgreementError(ValueError):
    """An agreement that cannot be used: names the file (or source) and the reason; `problem`
    and `field` (the key of the agreement mapping) say it for a program."""

    def __init__(
        self, message: str, problem: AgreementProblem = AgreementProblem.BAD_VALUE,
        field: str = "", value: str = "",
    ) -> None:  # fmt: skip
        super().__init__(message)
        self.problem = problem
        self.field = field
        self.value = value


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


def _unwrap(geometry: BaseGeometry) -> BaseGeometry:
    """A polygon drawn across the antimeridian (longitudes jumping from +179 to -179) is
    shifted to 0..360 so that it stays one area; points are then tested at lon and lon+360."""
    polygons = list(getattr(geometry, "geoms", [geometry]))
    fixed = []
    for polygon in polygons:
        xs = [x for x, _y in polygon.exterior.coords]
        if max(xs) - min(xs) > 180:
            shell = [((x + 360) if x < 0 else x, y) for x, y in polygon.exterior.coords]
            holes = [
                [((x + 360) if x < 0 else x, y) for x, y in r.coords] for r in polygon.interiors
            ]
            polygon = Polygon(shell, holes)
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
        raise AgreementError(f"no country {country!r} in the border data",
                             AgreementProblem.UNKNOWN_COUNTRY, "border_band", country)  # fmt: skip
    centre = target.geometry.centroid
    to_local = Transformer.from_crs(
        "EPSG:4326", f"+proj=aeqd +lat_0={centre.y} +lon_0={centre.x} +datum=WGS84", always_xy=True
    )
    back = Transformer.from_crs(to_local.target_crs, "EPSG:4326", always_xy=True)
    local = shapely.transform(target.geometry.boundary, lambda xy: _project(to_local, xy))
    return shapely.transform(local.buffer(km * 1000.0), lambda xy: _project(back, xy))


def _date(value: Any, what: str, key: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise AgreementError(f"{what}: {value!r} is not a date (YYYY-MM-DD)",
                             AgreementProblem.BAD_DATE, key, str(value)) from None  # fmt: skip


def agreement_from_mapping(data: dict[str, Any], source: str = "agreement") -> Agreement:
    if not isinstance(data, dict):
        raise AgreementError(f"{source}: expected a mapping", AgreementProblem.NOT_A_MAPPING)
    if "partner" not in data:
        raise AgreementError(f"{source}: partner is required", AgreementProblem.BAD_VALUE,
                             "partner")  # fmt: skip
    partner = str(data["partner"])
    try:
        version = int(data.get("version", 1))
    except (TypeError, ValueError):
        raise AgreementError(f"{source}: version {data.get('version')!r} is not a number",
                             AgreementProblem.BAD_VALUE, "version") from None  # fmt: skip
    valid_from = _date(data.get("valid_from"), f"{source}: valid_from", "valid_from")
    if valid_from is None:
        raise AgreementError(f"{source}: valid_from is required", AgreementProblem.BAD_DATE,
                             "valid_from")  # fmt: skip
    valid_to = _date(data.get("valid_to"), f"{source}: valid_to", "valid_to")
    if valid_to is not None and valid_to <= valid_from:
        raise AgreementError(f"{source}: valid_to {valid_to} is not after valid_from "
                             f"{valid_from}", AgreementProblem.DATES_ORDER, "valid_to")  # fmt: skip
    shapes = []
    for index, geometry in enumerate(data.get("areas") or []):
        try:
            geo = shape(
                geometry.get("geometry", geometry) if isinstance(geometry, dict) else geometry
            )
        except Exception as exc:  # shapely raises several types for bad GeoJSON
            raise AgreementError(f"{source}: area {index + 1} is not GeoJSON: {exc}",
                                 AgreementProblem.BAD_AREA, "areas") from None  # fmt: skip
        if not isinstance(geo, Polygon | MultiPolygon) or geo.is_empty:
            raise AgreementError(f"{source}: area {index + 1} must be a Polygon or MultiPolygon",
                                 AgreementProblem.BAD_AREA, "areas")  # fmt: skip
        valid = geo if geo.is_valid else geo.buffer(0)
        if valid.is_empty or valid.area <= 0:
            raise AgreementError(f"{source}: area {index + 1} encloses nothing",
                                 AgreementProblem.BAD_AREA, "areas")  # fmt: skip
        shapes.append(_unwrap(valid))
    band = data.get("border_band")
    if band:
        try:
            country, km = str(band["country"]), float(band["km"])
        except (KeyError, TypeError, ValueError):
            raise AgreementError(f"{source}: border_band needs country and km",
                                 AgreementProblem.BAD_VALUE, "border_band") from None  # fmt: skip
        shapes.append(border_band(country, km))
    if not shapes:
        raise AgreementError(f"{source}: an agreement needs at least one area",
                             AgreementProblem.NO_AREA, "areas")  # fmt: skip
    altitude = data.get("altitude") or {}
    try:
        min_ft = float(altitude.get("min_ft", -1500))
        max_ft = float(altitude.get("max_ft", 150000))
        period = float(data.get("update_period_s", 0))
    except (TypeError, ValueError, AttributeError):
        raise AgreementError(f"{source}: altitude and update_period_s are numbers",
                             AgreementProblem.BAD_VALUE, "altitude") from None  # fmt: skip
    if min_ft >= max_ft:
        raise AgreementError(f"{source}: altitude: min_ft {min_ft:g} is not below max_ft "
                             f"{max_ft:g}", AgreementProblem.ALTITUDE_ORDER, "altitude")  # fmt: skip
    if not 0 <= period <= 3600:
        raise AgreementError(f"{source}: update_period_s {period:g} is not 0 to 3600 seconds",
                             AgreementProblem.BAD_PERIOD, "update_period_s")  # fmt: skip
    tracks = data.get("tracks") or {}
    excludes = []
    for pair in tracks.get("mode3a_exclude") or []:
        try:
            low, high = (int(str(code), 8) for code in pair)
        except (TypeError, ValueError):
            raise AgreementError(f"{source}: {pair!r} is not a Mode 3/A code range",
                                 AgreementProblem.BAD_CODE_RANGE, "tracks", str(pair)) from None  # fmt: skip
        excludes.append((low, high))
    sources = frozenset(
        str(s).lower() for s in (tracks.get("sources") or ["psr", "ssr", "mds", "ads"])
    )
    unknown = sources - {"psr", "ssr", "mds", "ads"}
    if unknown:
        shown = ", ".join(sorted(unknown))
        raise AgreementError(f"{source}: unknown sources {shown}",
                             AgreementProblem.UNKNOWN_SOURCE, "tracks", shown)  # fmt: skip
    return Agreement(
        partner=partner,
        version=version,
        valid_from=valid_from,
        valid_to=valid_to,
        area=unary_union(shapes),
        min_ft=min_ft,
        max_ft=max_ft,
        civil_only=bool(tracks.get("civil_only", True)),
        military_addresses=tuple(str(p).upper() for p in tracks.get("military_addresses") or []),
        mode3a_exclude=tuple(excludes),
        sources=sources,
        remove_items=_item_paths(data.get("remove_items") or [], source),
        update_period_s=period,
        name=str(data.get("name", "")),
    )


# What identifies an update: without them the partner cannot keep a track or know whose it is.
_IDENTITY_ITEMS = ("010", "040", "070")


def _item_paths(values: list[Any], source: str) -> tuple[str, ...]:
    """Items (I062/380) or compound subfields (I062/380/ADR) of CAT 062 to strip."""
    from asde.asterix.cat062 import CAT062
    from asde.asterix.spec import Compound

    paths = []
    for value in values:
        text = str(value).strip()
        parts = text.split("/")
        if not (2 <= len(parts) <= 3 and parts[0] == "I062"):
            raise AgreementError(
                f"{source}: {text!r} is not an item path like I062/380 or I062/380/ADR",
                AgreementProblem.BAD_ITEM, "remove_items", text,
            )  # fmt: skip
        item = CAT062.items.get(parts[1])
        if item is None:
            raise AgreementError(f"{source}: {text!r}: CAT 062 has no item {parts[1]}",
                                 AgreementProblem.BAD_ITEM, "remove_items", text)  # fmt: skip
        if parts[1] in _IDENTITY_ITEMS:
            raise AgreementError(
                f"{source}: {text!r}: I062/010, /040 and /070 identify an update and stay",
                AgreementProblem.BAD_ITEM, "remove_items", text,
            )  # fmt: skip
        if len(parts) == 3 and not (isinstance(item, Compound) and parts[2] in item.by_name):
            raise AgreementError(
                f"{source}: {text!r}: I062/{parts[1]} has no subfield {parts[2]}",
                AgreementProblem.BAD_ITEM, "remove_items", text,
            )  # fmt: skip
        paths.append(text)
    return tuple(paths)


def load_agreement(path: Path) -> Agreement:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, json.JSONDecodeError, yaml.YAMLError) as exc:
        raise AgreementError(f"{path}: {exc}", AgreementProblem.UNREADABLE) from None
    return agreement_from_mapping(data, str(path))


def in_force(agreements: Iterable[Agreement], partner: str, day: dt.date) -> Agreement | None:
    """The highest version in force for the partner on that day."""
    candidates = [a for a in agreements if a.partner == partner and a.in_force(day)]
    return max(candidates, key=lambda a: a.version, default=None)


_SOURCE_FLAGS = {"psr": "PSR", "ssr": "SSR", "mds": "MDS", "ads": "ADS"}
SOURCES = ("psr", "ssr", "mds", "ads")


class Withheld(IntEnum):
    """Why an update is not released, in the order the rules are tried (0: released)."""

    RELEASED = 0
    NO_POSITION = 1
    OUTSIDE_AREA = 2
    OUTSIDE_ALTITUDE = 3
    MILITARY = 4
    CODE_EXCLUDED = 5
    NO_AGREED_SOURCE = 6
    UPDATE_PERIOD = 7

    @property
    def reason(self) -> str:
        return _REASONS[self]


_REASONS = {
    Withheld.RELEASED: "releasable",
    Withheld.NO_POSITION: "no WGS-84 position",
    Withheld.OUTSIDE_AREA: "outside the agreed area",
    Withheld.OUTSIDE_ALTITUDE: "outside the agreed altitude band",
    Withheld.MILITARY: "military Mode S address",
    Withheld.CODE_EXCLUDED: "Mode 3/A code excluded",
    Withheld.NO_AGREED_SOURCE: "not fed by an agreed source",
    Withheld.UPDATE_PERIOD: "update period not yet over",
}


@dataclass(frozen=True)
class TrackColumns:
    """Track updates as columns, what the agreement judges them by. Unknown values are NaN
    (floats), None (addresses) or -1 (codes)."""

    lat: numpy.ndarray
    lon: numpy.ndarray
    altitude_ft: numpy.ndarray
    address: Sequence[str | None]
    mode3a: numpy.ndarray  # the code as an integer (octal digits read), -1 when none
    fed: dict[str, numpy.ndarray]  # per source (psr, ssr, mds, ads): it feeds the track
    number: Sequence[int | None]
    now: Sequence[float | None]

    @classmethod
    def one(
        cls, *, lat: float | None, lon: float | None, altitude_ft: float | None = None,
        address: str | None = None, mode3a: int | None = None,
        fed: Iterable[str] = SOURCES, number: int | None = None, now: float | None = None,
    ) -> TrackColumns:  # fmt: skip
        fed = set(fed)
        nan = numpy.nan
        return cls(
            lat=numpy.array([nan if lat is None else lat], dtype=float),
            lon=numpy.array([nan if lon is None else lon], dtype=float),
            altitude_ft=numpy.array([nan if altitude_ft is None else altitude_ft], dtype=float),
            address=[address], mode3a=numpy.array([-1 if mode3a is None else mode3a]),
            fed={s: numpy.array([s in fed]) for s in SOURCES}, number=[number], now=[now],
        )  # fmt: skip


@dataclass
class Decision:
    """Why a record did or did not go to the partner."""

    sent: bool
    reason: str
    record: Record | None = None
    removed: list[str] = field(default_factory=list)
    withheld: Withheld = Withheld.RELEASED


class CompiledFilter:
    """An agreement ready to judge a stream of track updates quickly: `release` for columns
    of them, `decide` for one CAT 062 record, `releases_track` for one track at one moment."""

    def __init__(self, agreement: Agreement) -> None:
        self.agreement = agreement
        self._area = prepared.prep(agreement.area)
        shapely.prepare(agreement.area)
        self.bounds = agreement.area.bounds
        # When each track's last update went (for the update period).
        self._last_sent: dict[int, float] = {}
        # "I062/380/ADR" -> ("I380", "ADR"): the record's item key, then the subfield.
        self.removals: list[tuple[str, ...]] = []
        for spec in agreement.remove_items:
            parts = spec.split("/")[1:]
            if parts:
                head = parts[0] if parts[0] in ("RE", "SP") else f"I{parts[0]}"
                self.removals.append((head, *parts[1:]))

    def inside(self, lat: numpy.ndarray, lon: numpy.ndarray) -> numpy.ndarray:
        """Each position in the agreed area: the area's box, then the area itself, at the
        longitude and at the longitude plus 360 (areas that cross the antimeridian)."""
        west, south, east, north = self.bounds
        known = ~numpy.isnan(lat) & ~numpy.isnan(lon)
        result = numpy.zeros(len(lat), dtype=bool)
        band = known & (south <= lat) & (lat <= north)
        for x in (lon, lon + 360.0):
            candidates = band & ~result & (west <= x) & (x <= east)
            if candidates.any():
                result[candidates] = shapely.contains_xy(
                    self.agreement.area, x[candidates], lat[candidates]
                )
        return result

    def release(self, columns: TrackColumns, *, period: bool = True) -> numpy.ndarray:
        """Why each update is withheld (a `Withheld` value per row; 0 where it is released).
        With `period`, the update period applies too, and the released updates count as sent
        (the next update of the same track waits for the period)."""
        a = self.agreement
        n = len(columns.lat)
        why = numpy.zeros(n, dtype=numpy.int8)

        def rule(fails: numpy.ndarray, reason: Withheld) -> None:
            why[(why == 0) & fails] = reason

        has_position = ~numpy.isnan(columns.lat) & ~numpy.isnan(columns.lon)
        rule(~has_position, Withheld.NO_POSITION)
        rule(~self.inside(columns.lat, columns.lon), Withheld.OUTSIDE_AREA)
        altitude = columns.altitude_ft
        with numpy.errstate(invalid="ignore"):
            outside_band = ~numpy.isnan(altitude) & ((altitude < a.min_ft) | (altitude > a.max_ft))
        rule(outside_band, Withheld.OUTSIDE_ALTITUDE)
        if a.civil_only:
            prefixes = a.military_addresses or ("\0",)
            military = [x is not None and x.upper().startswith(prefixes) for x in columns.address]
            rule(numpy.array(military, dtype=bool), Withheld.MILITARY)
        if a.mode3a_exclude:
            excluded = numpy.zeros(n, dtype=bool)
            for low, high in a.mode3a_exclude:
                excluded |= (low <= columns.mode3a) & (columns.mode3a <= high)
            rule(excluded, Withheld.CODE_EXCLUDED)
        agreed = numpy.zeros(n, dtype=bool)
        for source in a.sources:
            agreed |= columns.fed[source]
        rule(~agreed, Withheld.NO_AGREED_SOURCE)
        if period and a.update_period_s:
            last_sent = self._last_sent
            for i in numpy.flatnonzero(why == 0).tolist():
                number, now = columns.number[i], columns.now[i]
                if number is None or now is None:
                    continue
                last = last_sent.get(number)
                if last is not None and now - last < a.update_period_s:
                    why[i] = Withheld.UPDATE_PERIOD
                else:
                    last_sent[number] = now
        return why

    def releases_track(
        self, *, lat: float | None, lon: float | None, altitude_ft: float | None,
        address: str | None, squawk: str | None, sources: Iterable[str],
    ) -> Withheld:  # fmt: skip
        """Whether the agreement releases a track as it is now (an alert about it goes only
        then); the update period does not apply to alerts."""
        columns = TrackColumns.one(
            lat=lat, lon=lon, altitude_ft=altitude_ft, address=address,
            mode3a=None if squawk is None else int(squawk, 8), fed=sources,
        )  # fmt: skip
        return Withheld(int(self.release(columns, period=False)[0]))

    def strip(self, record: Record) -> tuple[Record, list[str]]:
        """The record without the items and subfields the agreement removes."""
        items = dict(record.items)
        removed = []
        for path in self.removals:
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
        return Record(record.category, items), removed

    def decide(self, record: Record, now: float | None = None) -> Decision:
        """Whether one CAT 062 record may go, and the record as it goes (items removed): the
        single-row form of `release`."""
        if record.category != 62:
            return Decision(False, "only CAT 062 system tracks are exchanged")
        position = record.get("I105") or {}
        level = record.get("I136")
        address = (record.get("I380") or {}).get("ADR", {}).get("ADR")
        mode3a = record.get("I060")
        status = record.get("I080") or {}
        # Without I062/080 nothing says which sources feed the track: it is not held back.
        fed = [s for s in SOURCES if status.get(_SOURCE_FLAGS[s], 1) == 0] if status else SOURCES
        columns = TrackColumns.one(
            lat=position.get("Lat"), lon=position.get("Lon"),
            altitude_ft=level["MFL"] if level else None, address=address,
            mode3a=int(mode3a["Mode3A"], 8) if mode3a else None, fed=fed,
            number=record.get("I040", {}).get("TrkN"), now=now,
        )  # fmt: skip
        why = Withheld(int(self.release(columns)[0]))
        if why:
            return Decision(False, why.reason, withheld=why)
        stripped, removed = self.strip(record)
        return Decision(True, why.reason, stripped, removed)
