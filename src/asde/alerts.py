"""Alerts: emergencies, transponder loss, borders, restricted areas, route and descent, renegades.

Each rule has its thresholds in `AlertSettings`; each alert carries the track, the rule, the
time, a severity and the evidence. Two or more renegade indicators on one track raise a
*suspected renegade*, which an operator may raise to *probable* or *confirmed*.

For the partner, an alert becomes a CAT 004 record: restricted-area entries as Area Proximity
Warnings (I004/000 = 5); every other alert as an ASDE alert message, documented here: I004/000
= 0 (unassigned by the standard), I004/030 the track number, I004/040 the alert number, and
the SP field holding UTF-8 JSON `{"rule": ..., "severity": ..., "level": ..., "evidence": ...}`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from typing import Any

from shapely import Point, prepared
from shapely.geometry.base import BaseGeometry

from asde.asterix import Record
from asde.convert import SystemId, time_of_day
from asde.geo import ISO_NUMERIC, borders
from asde.picture import AirPicture, Track, destination, distance_nm
from asde.reports import Source


class Rule(StrEnum):
    SQUAWK_7500 = "squawk_7500"
    SQUAWK_7600 = "squawk_7600"
    SQUAWK_7700 = "squawk_7700"
    EMERGENCY_STATUS = "emergency_status"
    CODE_CHANGE = "code_change"
    TRANSPONDER_LOST = "transponder_lost"
    BORDER_APPROACH = "border_approach"
    BORDER_CROSSING = "border_crossing"
    RESTRICTED_AREA = "restricted_area"
    ROUTE_DEVIATION = "route_deviation"
    UNUSUAL_DESCENT = "unusual_descent"
    RENEGADE = "renegade"


class Severity(IntEnum):
    INFO = 1
    LOW = 2
    MEDIUM = 3
    HIGH = 4
    CRITICAL = 5


class RenegadeLevel(IntEnum):
    NONE = 0
    SUSPECTED = 1
    PROBABLE = 2
    CONFIRMED = 3


# The indicators that, two together on one track, make a suspected renegade.
RENEGADE_INDICATORS = frozenset({
    Rule.SQUAWK_7500, Rule.CODE_CHANGE, Rule.TRANSPONDER_LOST, Rule.ROUTE_DEVIATION,
    Rule.UNUSUAL_DESCENT, Rule.RESTRICTED_AREA, Rule.SQUAWK_7600,
})  # fmt: skip


@dataclass(frozen=True)
class RestrictedArea:
    name: str
    area: BaseGeometry
    min_ft: float = -1500
    max_ft: float = 150000


@dataclass(frozen=True)
class ProtectedSite:
    """A city or installation near which a fast descent is suspicious."""

    name: str
    lat: float
    lon: float
    radius_nm: float = 30.0


@dataclass(frozen=True)
class FiledRoute:
    """A flight plan's route: waypoints (lat, lon) and the corridor half-width."""

    callsign: str
    waypoints: tuple[tuple[float, float], ...]
    corridor_nm: float = 10.0


@dataclass
class AlertSettings:
    transponder_lost_after_s: float = 30.0  # secondary ages above this ...
    primary_fresh_s: float = 12.0  # ... while a primary return is this fresh
    border_countries: tuple[str, ...] = ("UA",)  # whose borders are watched
    border_lookahead_min: float = 5.0
    border_step_s: float = 15.0
    descent_fpm: float = -4000.0
    descent_below_ft: float = 15000.0
    code_change_window_s: float = 120.0
    restricted_areas: list[RestrictedArea] = field(default_factory=list)
    protected_sites: list[ProtectedSite] = field(default_factory=list)
    routes: dict[str, FiledRoute] = field(default_factory=dict)


@dataclass
class Alert:
    number: int
    track: int
    rule: Rule
    time: float
    severity: Severity
    evidence: dict[str, Any]
    callsign: str | None = None
    level: RenegadeLevel = RenegadeLevel.NONE
    acknowledged: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "track": self.track,
            "callsign": self.callsign,
            "rule": str(self.rule),
            "time": self.time,
            "severity": self.severity.name.lower(),
            "level": self.level.name.lower() if self.rule == Rule.RENEGADE else None,
            "evidence": self.evidence,
            "acknowledged": self.acknowledged,
        }


def _segment_distance_nm(
    lat: float, lon: float, a: tuple[float, float], b: tuple[float, float]
) -> float:
    """Distance from a point to a route leg, in a local flat frame (legs are short)."""
    k = math.cos(math.radians(lat))
    px, py = lon * k * 60, lat * 60
    ax, ay = a[1] * k * 60, a[0] * 60
    bx, by = b[1] * k * 60, b[0] * 60
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


class AlertEngine:
    """Evaluates every rule on each track update; keeps each alert once while it holds."""

    def __init__(self, settings: AlertSettings | None = None) -> None:
        self.settings = settings or AlertSettings()
        self.active: dict[tuple[int, Rule], Alert] = {}
        self.history: list[Alert] = []
        self._next = 1
        self._areas = [(a, prepared.prep(a.area)) for a in self.settings.restricted_areas]
        self._watched = [
            (code, prepared.prep(borders()[ISO_NUMERIC.get(code, code)].geometry))
            for code in self.settings.border_countries
            if ISO_NUMERIC.get(code, code) in borders()
        ]
        self._country: dict[int, str | None] = {}

    # -- rules ---------------------------------------------------------------------------
    def _findings(self, track: Track, now: float) -> dict[Rule, tuple[Severity, dict[str, Any]]]:
        s = self.settings
        found: dict[Rule, tuple[Severity, dict[str, Any]]] = {}
        squawk_rules = {"7500": (Rule.SQUAWK_7500, Severity.CRITICAL),
                        "7600": (Rule.SQUAWK_7600, Severity.MEDIUM),
                        "7700": (Rule.SQUAWK_7700, Severity.HIGH)}  # fmt: skip
        if track.squawk in squawk_rules:
            rule, severity = squawk_rules[track.squawk]
            found[rule] = (severity, {"squawk": track.squawk})
        elif track.emergency:
            found[Rule.EMERGENCY_STATUS] = (Severity.HIGH, {"emergency": True})
        if (
            track.squawk_changed_at is not None
            and now - track.squawk_changed_at <= s.code_change_window_s
            and not track.on_ground
        ):
            found[Rule.CODE_CHANGE] = (Severity.LOW, {"from": track.previous_squawk,
                                                     "to": track.squawk})  # fmt: skip
        psr = track.age(Source.PSR, now)
        secondary = [a for a in (track.age(x, now) for x in (Source.SSR, Source.MODE_S, Source.ADSB))
                     if a is not None]  # fmt: skip
        if (
            psr is not None
            and psr <= s.primary_fresh_s
            and secondary
            and min(secondary) > s.transponder_lost_after_s
        ):
            evidence = {"primary_age_s": round(psr, 1), "secondary_age_s": round(min(secondary), 1)}
            found[Rule.TRANSPONDER_LOST] = (Severity.HIGH, evidence)
        if track.lat is not None and track.lon is not None:
            self._position_rules(track, now, found)
        return found

    def _position_rules(self, track: Track, now: float, found: dict) -> None:  # type: ignore[type-arg]
        s = self.settings
        lat, lon = track.lat, track.lon
        assert lat is not None and lon is not None
        point = Point(lon, lat)
        altitude = track.altitude_ft
        for code, area in self._watched:
            inside = area.contains(point)
            now_code = code if inside else None
            if track.number in self._country and self._country[track.number] != now_code:
                found[Rule.BORDER_CROSSING] = (Severity.HIGH, {
                    "into": now_code, "from": self._country[track.number], "lat": lat, "lon": lon,
                })  # fmt: skip
            self._country[track.number] = now_code
            if not inside and track.ground_speed_kt and track.track_deg is not None:
                step = s.border_step_s
                for i in range(1, int(s.border_lookahead_min * 60 / step) + 1):
                    ahead = destination(
                        lat, lon, track.track_deg, track.ground_speed_kt * i * step / 3600
                    )
                    if area.contains(Point(ahead[1], ahead[0])):
                        found[Rule.BORDER_APPROACH] = (Severity.MEDIUM, {"country": code,
                                                       "time_to_crossing_s": i * step})  # fmt: skip
                        break
        for restricted, prepared_area in self._areas:
            within_band = altitude is None or restricted.min_ft <= altitude <= restricted.max_ft
            if within_band and prepared_area.contains(point):
                found[Rule.RESTRICTED_AREA] = (Severity.HIGH, {"area": restricted.name})
        route = s.routes.get((track.callsign or "").strip())
        if route is not None and len(route.waypoints) >= 2:
            off = min(_segment_distance_nm(lat, lon, a, b)
                      for a, b in zip(route.waypoints, route.waypoints[1:], strict=False))  # fmt: skip
            if off > route.corridor_nm:
                evidence = {"off_route_nm": round(off, 1), "corridor_nm": route.corridor_nm}
                found[Rule.ROUTE_DEVIATION] = (Severity.MEDIUM, evidence)
        rate = track.vertical_rate_fpm
        if (
            rate is not None
            and rate <= s.descent_fpm
            and (altitude is None or altitude <= s.descent_below_ft)
        ):
            for site in s.protected_sites:
                gap = distance_nm(lat, lon, site.lat, site.lon)
                if gap <= site.radius_nm:
                    found[Rule.UNUSUAL_DESCENT] = (Severity.HIGH, {"site": site.name,
                                                                  "distance_nm": round(gap, 1),
                                                                  "vertical_rate_fpm": rate})  # fmt: skip
                    break

    # -- life cycle ----------------------------------------------------------------------
    def evaluate(self, track: Track, now: float) -> list[Alert]:
        """New alerts raised by this track's current state (each raised once while it holds)."""
        findings = self._findings(track, now)
        raised = []
        for rule, (severity, evidence) in findings.items():
            if rule == Rule.BORDER_CROSSING:
                raised.append(self._raise(track, rule, now, severity, evidence))  # an event
            elif (track.number, rule) not in self.active:
                alert = self._raise(track, rule, now, severity, evidence)
                self.active[(track.number, rule)] = alert
                raised.append(alert)
        for key in [k for k in self.active if k[0] == track.number and k[1] not in findings
                    and k[1] != Rule.RENEGADE]:  # fmt: skip
            del self.active[key]
        indicators = {r for r in findings if r in RENEGADE_INDICATORS}
        renegade = self.active.get((track.number, Rule.RENEGADE))
        if len(indicators) >= 2 and renegade is None:
            alert = self._raise(track, Rule.RENEGADE, now, Severity.CRITICAL,
                                {"indicators": sorted(str(i) for i in indicators)})  # fmt: skip
            alert.level = RenegadeLevel.SUSPECTED
            self.active[(track.number, Rule.RENEGADE)] = alert
            raised.append(alert)
        return raised

    def _raise(self, track: Track, rule: Rule, now: float, severity: Severity,
               evidence: dict[str, Any]) -> Alert:  # fmt: skip
        alert = Alert(self._next, track.number, rule, now, severity, evidence, track.callsign)
        self._next += 1
        self.history.append(alert)
        return alert

    def escalate(self, track: int, level: RenegadeLevel) -> Alert:
        """An operator raises (never lowers) the renegade level of a track."""
        alert = self.active.get((track, Rule.RENEGADE))
        if alert is None:
            raise KeyError(f"track {track} has no renegade alert")
        if level < alert.level:
            raise ValueError("a renegade level is raised, never lowered")
        alert.level = level
        return alert

    def acknowledge(self, number: int) -> Alert:
        for alert in self.history:
            if alert.number == number:
                alert.acknowledged = True
                return alert
        raise KeyError(f"no alert {number}")

    def track_ended(self, track: Track) -> None:
        for key in [k for k in self.active if k[0] == track.number]:
            del self.active[key]
        self._country.pop(track.number, None)


def alert_to_cat004(alert: Alert, system: SystemId) -> Record:
    """The alert as the partner receives it (see the module docstring)."""
    items: dict[str, Any] = {
        "I010": {"SAC": system.sac, "SIC": system.sic},
        "I020": {"ToM": time_of_day(alert.time)},
        "I030": {"TrkN": alert.track},
        "I040": {"AlrtI": alert.number % 65536},
        "I045": {"STAT": 0},
    }
    if alert.rule == Rule.RESTRICTED_AREA:
        items["I000"] = {"MessageType": 5}  # Area Proximity Warning
        name = str(alert.evidence.get("area", ""))[:7].upper()
        items["I100"] = {"CANP": {"CAN": name.ljust(7)}}
    else:
        items["I000"] = {"MessageType": 0}
        payload = json.dumps({"rule": str(alert.rule), "callsign": alert.callsign,
                              "severity": alert.severity.name.lower(),
                              "level": alert.level.name.lower(), "evidence": alert.evidence},
                             separators=(",", ":"))  # fmt: skip
        items["SP"] = payload.encode()[:253]
    return Record(4, items)


def evaluate_picture(
    reports: Iterable[Any], engine: AlertEngine, picture: AirPicture | None = None
) -> list[Alert]:
    """Runs reports through a picture and the engine; returns every alert raised, in order."""
    picture = picture or AirPicture()
    raised: list[Alert] = []
    last_tick = None
    for report in reports:
        track = picture.update(report)
        raised.extend(engine.evaluate(track, report.time))
        if last_tick is None or report.time - last_tick >= 1.0:
            for ended in picture.tick(report.time):
                engine.track_ended(ended)
            last_tick = report.time
    return raised
