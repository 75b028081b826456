"""Scenarios and replay: realistic traffic, alert scenarios and recorded flights, as reports.

A scenario file (YAML) describes flights — route waypoints, speed, level, start time, squawk
changes, transponder switched off, a descent, a route different from the filed one — and the
alert settings it should be judged with (restricted areas, protected sites, filed routes).
`simulate` samples each flight at a radar-like update period with position noise and yields
target reports from the sources that would see it (primary radar, SSR/Mode S, ADS-B).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from shapely.geometry import shape

from asde.alerts import AlertSettings, FiledRoute, ProtectedSite, RestrictedArea
from asde.picture import destination, distance_nm
from asde.reports import Source, TargetReport, icao_address, mode3a_code


class ScenarioError(ValueError):
    """A scenario file that cannot be run: names the flight or field and the reason."""


@dataclass
class Event:
    at_s: float
    squawk: str | None = None
    transponder: bool | None = None
    descend_fpm: float | None = None
    to_ft: float | None = None


@dataclass
class Flight:
    callsign: str
    address: str | None
    squawk: str
    route: list[tuple[float, float]]
    speed_kt: float
    level_ft: float
    start_s: float = 0.0
    events: list[Event] = field(default_factory=list)


@dataclass
class Scenario:
    name: str
    start: float
    update_s: float
    noise_m: float
    flights: list[Flight]
    alert_settings: AlertSettings
    seed: int = 1


def _bearing(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dl = math.radians(b[1] - a[1])
    y = math.sin(dl) * math.cos(p2)
    x = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(y, x)) % 360


def load_scenario(path: Path) -> Scenario:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ScenarioError(f"{path}: {exc}") from None
    return scenario_from_mapping(data, str(path))


def scenario_from_mapping(data: Any, source: str = "scenario") -> Scenario:
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: expected a mapping")
    try:
        start = dt.datetime.fromisoformat(str(data.get("start", "2026-01-01T00:00:00+00:00")))
    except ValueError:
        raise ScenarioError(f"{source}: start is not an ISO date and time") from None
    if start.tzinfo is None:
        start = start.replace(tzinfo=dt.UTC)
    flights = []
    for index, raw in enumerate(data.get("flights") or []):
        where = f"{source}: flight {index + 1}"
        try:
            route = [(float(lat), float(lon)) for lat, lon in raw["route"]]
            if len(route) < 2:
                raise ScenarioError(f"{where}: a route needs two waypoints or more")
            events = [Event(at_s=float(e["at_s"]),
                            squawk=None if e.get("squawk") is None else str(e["squawk"]),
                            transponder=None if "transponder" not in e else e["transponder"] in (True, "on"),
                            descend_fpm=e.get("descend_fpm"), to_ft=e.get("to_ft"))
                      for e in raw.get("events") or []]  # fmt: skip
            for code in [raw.get("squawk", "2000"), *(e.squawk for e in events if e.squawk)]:
                if mode3a_code(str(code)) is None:
                    raise ScenarioError(
                        f"{where}: {code!r} is not a Mode 3/A code (four octal digits)"
                    )
            if raw.get("address") and icao_address(str(raw["address"]).zfill(6)) is None:
                raise ScenarioError(f"{where}: {raw['address']!r} is not a 24-bit ICAO address")
            flights.append(Flight(
                callsign=str(raw["callsign"]),
                address=str(raw["address"]).upper().zfill(6) if raw.get("address") else None,
                squawk=str(raw.get("squawk", "2000")), route=route,
                speed_kt=float(raw["speed_kt"]), level_ft=float(raw["level_ft"]),
                start_s=float(raw.get("start_s", 0)), events=sorted(events, key=lambda e: e.at_s),
            ))  # fmt: skip
        except (KeyError, TypeError, ValueError) as exc:
            raise ScenarioError(f"{where}: {exc!r}") from None
    if not flights:
        raise ScenarioError(f"{source}: no flights")
    settings = data.get("alerts") or {}
    alert_settings = AlertSettings(
        border_countries=tuple(settings.get("border_countries", ("UA",))),
        code_change_confirm_s=float(settings.get("code_change_confirm_s", 20.0)),
        restricted_areas=[
            RestrictedArea(
                a["name"], shape(a["area"]), a.get("min_ft", -1500), a.get("max_ft", 150000)
            )
            for a in settings.get("restricted_areas") or []
        ],
        protected_sites=[
            ProtectedSite(p["name"], p["lat"], p["lon"], p.get("radius_nm", 30))
            for p in settings.get("protected_sites") or []
        ],
        routes={
            c: FiledRoute(
                c,
                tuple((float(a), float(b)) for a, b in r["waypoints"]),
                float(r.get("corridor_nm", 10)),
            )
            for c, r in (settings.get("routes") or {}).items()
        },
    )
    return Scenario(
        name=str(data.get("name", source)),
        start=start.timestamp(),
        update_s=float(data.get("update_s", 4)),
        noise_m=float(data.get("noise_m", 30)),
        flights=flights,
        alert_settings=alert_settings,
        seed=int(data.get("seed", 1)),
    )


@dataclass
class _State:
    lat: float
    lon: float
    leg: int
    altitude: float
    squawk: str
    transponder: bool = True
    rate_fpm: float = 0.0
    target_ft: float | None = None


def _fly(flight: Flight, start: float, step: float) -> Iterator[tuple[float, _State, float]]:
    """(time, state, track angle) every `step` seconds until the last waypoint."""
    state = _State(flight.route[0][0], flight.route[0][1], 0, flight.level_ft, flight.squawk)
    events = list(flight.events)
    t = 0.0
    while state.leg < len(flight.route) - 1:
        while events and events[0].at_s <= t:
            e = events.pop(0)
            if e.squawk is not None:
                state.squawk = e.squawk
            if e.transponder is not None:
                state.transponder = e.transponder
            if e.descend_fpm is not None:
                state.rate_fpm, state.target_ft = float(e.descend_fpm), e.to_ft
        target = flight.route[state.leg + 1]
        course = _bearing((state.lat, state.lon), target)
        yield start + flight.start_s + t, state, course
        travel = flight.speed_kt * step / 3600
        remaining = distance_nm(state.lat, state.lon, target[0], target[1])
        if travel >= remaining:
            state.lat, state.lon = target
            state.leg += 1
        else:
            state.lat, state.lon = destination(state.lat, state.lon, course, travel)
        if state.rate_fpm:
            state.altitude += state.rate_fpm * step / 60
            if state.target_ft is not None and (
                (state.rate_fpm < 0 and state.altitude <= state.target_ft)
                or (state.rate_fpm > 0 and state.altitude >= state.target_ft)
            ):
                state.altitude, state.rate_fpm = state.target_ft, 0.0
        t += step


def _jitter(rng: random.Random, noise_nm: float, state: _State) -> tuple[float, float]:
    """A measured position: the true one with Gaussian noise of `noise_nm` on each axis."""
    dlat = rng.gauss(0, noise_nm) / 60
    dlon = rng.gauss(0, noise_nm) / (60 * max(0.01, math.cos(math.radians(state.lat))))
    return state.lat + dlat, state.lon + dlon


def simulate(scenario: Scenario) -> list[TargetReport]:
    """Every report of the scenario, in time order: primary radar, SSR/Mode S and ADS-B."""
    rng = random.Random(scenario.seed)
    noise_nm = scenario.noise_m / 1852.0
    reports = []
    for flight in scenario.flights:
        for when, state, course in _fly(flight, scenario.start, scenario.update_s):
            lat, lon = _jitter(rng, noise_nm, state)
            reports.append(TargetReport(time=when, source=Source.PSR, lat=lat, lon=lon,
                                        ground_speed_kt=flight.speed_kt, track_deg=course))  # fmt: skip
            if state.transponder:
                lat, lon = _jitter(rng, noise_nm, state)
                common: dict[str, Any] = dict(
                    lat=lat, lon=lon, squawk=state.squawk, altitude_ft=round(state.altitude / 25) * 25,
                    ground_speed_kt=flight.speed_kt, track_deg=course, vertical_rate_fpm=state.rate_fpm,
                    callsign=flight.callsign, emergency=state.squawk in ("7500", "7600", "7700"),
                )  # fmt: skip
                if flight.address:
                    reports.append(TargetReport(time=when + 0.2, source=Source.MODE_S,
                                                address=flight.address.upper(), **common))  # fmt: skip
                    reports.append(TargetReport(time=when + 0.5, source=Source.ADSB,
                                                address=flight.address.upper(), **common))  # fmt: skip
                else:
                    reports.append(TargetReport(time=when + 0.2, source=Source.SSR, **common))
    reports.sort(key=lambda r: r.time)
    return reports


def replay_times(
    reports: list[TargetReport], speed: float = 1.0
) -> Iterator[tuple[float, TargetReport]]:
    """(seconds to wait before this report, report) for a timed replay at `speed`x."""
    previous = None
    for report in reports:
        wait = 0.0 if previous is None else max(0.0, (report.time - previous) / speed)
        previous = report.time
        yield wait, report


__all__ = ["Scenario", "ScenarioError", "load_scenario", "simulate"]
