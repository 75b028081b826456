"""readsb's JSON: `aircraft.json` (the current picture) and `trace_full` files (one aircraft),
read as inputs; and a picture written as readsb's `aircraft.json`, for tar1090 and the other
readsb clients (the format of readsb's README-json.md: keys omitted when not known)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from asde.reports import Source, TargetReport, icao_address, mode3a_code

if TYPE_CHECKING:
    from asde.picture import Track

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


# readsb's names for the emergency/priority status; the 7x00 codes are its squawk emergencies.
EMERGENCY_BY_CODE = {"7500": "unlawful", "7600": "nordo", "7700": "general"}
# How recent an ADS-B report must be for the track to count as ADS-B ("adsb_icao").
ADSB_RECENT_S = 30.0


def _type(track: Track, now: float) -> str:
    """readsb's `type`, the best source of the track's data: ADS-B when it reported lately,
    else a radar track ("tis-b", readsb's word for traffic it did not hear itself) by its
    ICAO address, or by its track number when it has none."""
    adsb = track.age(Source.ADSB, now)
    if track.address is not None and adsb is not None and adsb <= ADSB_RECENT_S:
        return "adsb_icao"
    return "tisb_icao" if track.address is not None else "tisb_trackfile"


def aircraft_entry(track: Track, now: float) -> dict[str, Any]:
    """One aircraft of `aircraft.json`, its keys in readsb's order; `now` is the file's."""
    entry: dict[str, Any] = {
        # A track without an ICAO address: readsb's "~" and six hex digits (its track number).
        "hex": track.address.lower() if track.address else f"~{track.number:06x}",
        "type": _type(track, now),
    }
    if track.callsign:
        entry["flight"] = track.callsign[:8].ljust(8)  # readsb pads to the 8 characters
    if track.on_ground:
        entry["alt_baro"] = "ground"
    elif track.altitude_ft is not None:
        entry["alt_baro"] = round(track.altitude_ft)
    if track.ground_speed_kt is not None:
        entry["gs"] = round(track.ground_speed_kt, 1)
    if track.track_deg is not None:
        entry["track"] = round(track.track_deg % 360, 2)
    if track.vertical_rate_fpm is not None:
        entry["baro_rate"] = round(track.vertical_rate_fpm)
    if track.squawk is not None:
        entry["squawk"] = track.squawk
    entry["emergency"] = (
        EMERGENCY_BY_CODE.get(track.squawk or "", "general") if track.emergency else "none"
    )
    if track.lat is not None and track.lon is not None:
        entry["lat"], entry["lon"] = round(track.lat, 6), round(track.lon, 6)
        positioned = track.history[-1].time if track.history else track.last_update
        entry["seen_pos"] = round(max(0.0, now - positioned), 1)
    entry["messages"] = track.updates
    entry["seen"] = round(max(0.0, now - track.last_update), 1)
    return entry


def to_aircraft_json(tracks: Iterable[Track], now: float, messages: int) -> dict[str, Any]:
    """A picture as readsb's `aircraft.json` at `now` (the wall clock: `seen` and `seen_pos`
    are seconds before it), with `messages` the reports the picture has taken."""
    return {
        "now": round(now, 1),
        "messages": messages,
        "aircraft": [aircraft_entry(track, now) for track in tracks],
    }
