"""Recorded OpenSky state vectors (the traffic samples): a JSON list, possibly gzipped."""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from asde.reports import Source, TargetReport, icao_address, mode3a_code


def _number(value: Any) -> float | None:
    """A finite number, or None (JSON as Python reads it may hold NaN and Infinity)."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def report_from_state(state: dict[str, Any]) -> TargetReport | None:
    """One state vector as a target report; None when it has no time."""
    timestamp = _number(state.get("timestamp"))
    if timestamp is None:
        return None
    address = state.get("icao24")
    squawk = state.get("squawk")
    callsign = state.get("callsign")
    return TargetReport(
        time=timestamp / 1000.0,
        # OpenSky's receivers hear ADS-B; the recordings carry no radar plots.
        source=Source.ADSB,
        lat=_number(state.get("latitude")),
        lon=_number(state.get("longitude")),
        address=icao_address(address),
        callsign=callsign.strip() or None if isinstance(callsign, str) else None,
        squawk=mode3a_code(squawk),
        altitude_ft=_number(state.get("altitude")),
        ground_speed_kt=_number(state.get("groundspeed")),
        track_deg=_number(state.get("track")),
        vertical_rate_fpm=_number(state.get("vertical_rate")),
        on_ground=bool(state["onground"]) if isinstance(state.get("onground"), bool) else None,
        emergency=mode3a_code(squawk) in ("7500", "7600", "7700"),
    )


def read_states(path: Path) -> Iterator[TargetReport]:
    """The reports of a recording in time order."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        states = json.load(handle)
    reports = [r for r in (report_from_state(s) for s in states if isinstance(s, dict)) if r]
    reports.sort(key=lambda r: r.time)
    yield from reports
