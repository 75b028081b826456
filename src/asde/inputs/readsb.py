"""readsb's JSON: `aircraft.json` (the current picture) and `trace_full` files (one aircraft)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from asde.reports import Source, TargetReport, icao_address, mode3a_code

_SOURCES = {"adsb_icao": Source.ADSB, "adsr_icao": Source.ADSB, "mode_s": Source.MODE_S,
            "mlat": Source.MODE_S, "tisb_icao": Source.ADSB}  # fmt: skip


def _num(value: Any) -> float | None:
    """A finite number, or None (JSON as Python reads it may hold NaN and Infinity)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def from_aircraft_json(document: dict[str, Any]) -> Iterator[TargetReport]:
    """The aircraft of an `aircraft.json` document that have a position."""
    now = _num(document.get("now"))
    if now is None:
        return
    for aircraft in document.get("aircraft") or []:
        if not isinstance(aircraft, dict):
            continue
        lat, lon = _num(aircraft.get("lat")), _num(aircraft.get("lon"))
        hex_id = icao_address(str(aircraft.get("hex", "")).lstrip("~"))
        if lat is None or lon is None or hex_id is None:
            continue
        seen = _num(aircraft.get("seen_pos")) or 0.0
        altitude = aircraft.get("alt_baro")
        squawk = aircraft.get("squawk")
        yield TargetReport(
            time=now - seen,
            source=_SOURCES.get(str(aircraft.get("type")), Source.ADSB),
            lat=lat,
            lon=lon,
            address=hex_id,
            callsign=(str(aircraft.get("flight") or "").strip() or None),
            squawk=mode3a_code(squawk),
            altitude_ft=_num(altitude),
            ground_speed_kt=_num(aircraft.get("gs")),
            track_deg=_num(aircraft.get("track")),
            vertical_rate_fpm=_num(aircraft.get("baro_rate")),
            on_ground=altitude == "ground",
            emergency=aircraft.get("emergency") not in (None, "none"),
        )


def from_trace(document: dict[str, Any]) -> Iterator[TargetReport]:
    """The points of a readsb `trace_full` file: [seconds after `timestamp`, lat, lon,
    altitude or "ground", ground speed, track, flags, vertical rate, details or null, ...]."""
    base = _num(document.get("timestamp"))
    hex_id = icao_address(str(document.get("icao", "")).lstrip("~"))
    if base is None or hex_id is None:
        return
    callsign: str | None = None
    squawk: str | None = None
    for point in document.get("trace") or []:
        if not isinstance(point, list) or len(point) < 6:
            continue
        offset, lat, lon = _num(point[0]), _num(point[1]), _num(point[2])
        if offset is None or lat is None or lon is None:
            continue
        details = point[8] if len(point) > 8 and isinstance(point[8], dict) else None
        if details:
            callsign = str(details.get("flight") or "").strip() or callsign
            squawk = mode3a_code(details.get("squawk")) or squawk
        altitude = point[3]
        kind = point[9] if len(point) > 9 else None
        yield TargetReport(
            time=base + offset,
            source=_SOURCES.get(str(kind), Source.ADSB),
            lat=lat,
            lon=lon,
            address=hex_id,
            callsign=callsign,
            squawk=squawk,
            altitude_ft=_num(altitude),
            ground_speed_kt=_num(point[4]),
            track_deg=_num(point[5]),
            vertical_rate_fpm=_num(point[7]) if len(point) > 7 else None,
            on_ground=altitude == "ground",
            emergency=squawk in ("7500", "7600", "7700"),
        )
