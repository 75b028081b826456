"""Alerts: emergencies, transponder loss, borders, restricted areas, route and descent, renegades.

Each rule has its thresholds in `AlertSettings`; each alert carries the track, the rule, the
time, a severity and the evidence. Two or more renegade indicators on one track raise a
*suspected renegade*, which an operator may raise to *probable* or *confirmed*.

Every alert keeps its history: raised, acknowledged (by whom, when), escalated (by whom, to
which level), cleared (when the condition no longer holds or the track ends).

For the partner, an alert becomes a CAT 004 record: restricted-area entries as Area Proximity
Warnings (I004/000 = 5); every other alert as an ASDE alert message, documented here: I004/000
= 0 (unassigned by the standard), I004/030 the track number, I004/040 the alert number,
I004/045 STAT 0 while the alert holds and 1 once it has ended (ASDE's use of the status), and
the SP field holding UTF-8 JSON `{"rule": ..., "severity": ..., "level": ..., "evidence": ...,
"event": ..., "by": [name, organization, role] or null}`: the event is the last one of the
alert's history (what this message tells), `by` who did it. Both kinds carry the SP field;
an Area Proximity Warning's SP also holds `"area"`, the area's full name (I004/100 holds 7
characters). I004/030 is the track number the partner received in I062/040.

A code change is raised once the new code has held `code_change_confirm_s`: a glitch that
reverts raises nothing (and feeds no renegade indicator); the emergency codes raise at once.
"""

from __future__ import annotations

import datetime as dt
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
    # A new Mode 3/A code raises a code change only once it has held this long: on real data
    # most changes (85 of 128 on the shared recordings) were glitches reverting within 60 s.
    # The emergency codes do not wait: their own rules raise at once.
    code_change_confirm_s: float = 20.0
    restricted_areas: list[RestrictedArea] = field(default_factory=list)
    protected_sites: list[ProtectedSite] = field(default_factory=list)
    routes: dict[str, FiledRoute] = field(default_factory=dict)


@dataclass(frozen=True)
class Actor:
    """The person who acted on an alert, as the centre's authenticated caller names them."""

    name: str
    organization: str
    role: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "organization": self.organization, "role": self.role}


class AlertEventKind(StrEnum):
    RAISED = "raised"
    ACKNOWLEDGED = "acknowledged"
    ESCALATED = "escalated"
    CLEARED = "cleared"


@dataclass(frozen=True)
class AlertEvent:
    event: AlertEventKind
    at: float
    by: Actor | None = None
    level: RenegadeLevel | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "event": str(self.event), "at": iso_time(self.at),
            "by": None if self.by is None else self.by.to_json(),
            "level": None if self.level is None else self.level.name.lower(),
        }  # fmt: skip


def iso_time(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="milliseconds")


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
    cleared_at: float | None = None
    history: list[AlertEvent] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.cleared_at is None

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
            "origin": "own",
            "state": "active" if self.active else "cleared",
            "raised_at": iso_time(self.time),
            "cleared_at": None if self.cleared_at is None else iso_time(self.cleared_at),
            "history": [event.to_json() for event in self.history],
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
        # Alerts that ended since `take_cleared` was last called: the centre tells the partner.
        self._cleared: list[Alert] = []
        self._areas = [(a, prepared.prep(a.area)) for a in self.settings.restricted_areas]
        self._watched = [
            (code, prepared.prep(borders()[ISO_NUMERIC.get(code, code)].geometry))
            for code in self.settings.border_countries
            if ISO_NUMERIC.get(code, code) in borders()
        ]
        self._country: dict[int, str | None] = {}
        # Per track: the code that held long enough to be the track's, and when it became so.
        self._codes: dict[int, tuple[str, float]] = {}
        self._changes: dict[int, dict[str, Any]] = {}  # the confirmed change, while recent

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
        change = self._code_change(track, now)
        if change is not None:
            found[Rule.CODE_CHANGE] = (Severity.LOW, change)
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

    def _code_change(self, track: Track, now: float) -> dict[str, Any] | None:
        """The evidence of a confirmed code change while it is recent, else None. A code is
        the track's once it has held `code_change_confirm_s`; a change back to it before then
        (a glitch) is no change."""
        s = self.settings
        code = track.squawk
        if code is None:
            return None
        settled = self._codes.get(track.number)
        if settled is None:
            self._codes[track.number] = (code, track.first_seen)  # the first code is no change
            return None
        held_since = track.squawk_changed_at if track.squawk_changed_at is not None else now
        if code != settled[0] and now - held_since >= s.code_change_confirm_s:
            if not track.on_ground:
                self._changes[track.number] = {"from": settled[0], "to": code,
                                               "held_s": round(now - held_since, 1)}  # fmt: skip
            settled = self._codes[track.number] = (code, now)
        change = self._changes.get(track.number)
        if change is None or change["to"] != code or now - settled[1] > s.code_change_window_s:
            self._changes.pop(track.number, None)
            return None
        return change

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
                # An event: raised each time; it ends with the next update (the track is then
                # on its new side), or at once when it crosses back.
                previous = self.active.pop((track.number, rule), None)
                if previous is not None:
                    self._clear(previous, now)
                alert = self._raise(track, rule, now, severity, evidence)
                self.active[(track.number, rule)] = alert
                raised.append(alert)
            elif (track.number, rule) not in self.active:
                alert = self._raise(track, rule, now, severity, evidence)
                self.active[(track.number, rule)] = alert
                raised.append(alert)
        for key in [k for k in self.active if k[0] == track.number and k[1] not in findings
                    and k[1] != Rule.RENEGADE]:  # fmt: skip
            self._clear(self.active.pop(key), now)
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
        alert = Alert(self.next_number(), track.number, rule, now, severity, evidence,
                      track.callsign)  # fmt: skip
        alert.history.append(AlertEvent(AlertEventKind.RAISED, now))
        self.history.append(alert)
        return alert

    def next_number(self) -> int:
        """A number no other alert of this centre has (the partner's copies take theirs here
        too, so that one number names one alert in the centre's API)."""
        number = self._next
        self._next += 1
        return number

    def _clear(self, alert: Alert, now: float) -> None:
        alert.cleared_at = now
        alert.history.append(AlertEvent(AlertEventKind.CLEARED, now))
        self._cleared.append(alert)

    def take_cleared(self) -> list[Alert]:
        """The alerts that ended since the last call."""
        cleared, self._cleared = self._cleared, []
        return cleared

    def escalate(
        self, track: int, level: RenegadeLevel, *, by: Actor | None = None, at: float = 0.0
    ) -> Alert:
        """An operator raises (never lowers) the renegade level of a track."""
        alert = self.active.get((track, Rule.RENEGADE))
        if alert is None:
            raise KeyError(f"track {track} has no renegade alert")
        if level < alert.level:
            raise ValueError("a renegade level is raised, never lowered")
        alert.level = level
        alert.history.append(AlertEvent(AlertEventKind.ESCALATED, at, by, level))
        return alert

    def find(self, number: int) -> Alert | None:
        for alert in reversed(self.history):
            if alert.number == number:
                return alert
        return None

    def acknowledge(self, number: int, *, by: Actor | None = None, at: float = 0.0) -> Alert:
        alert = self.find(number)
        if alert is None:
            raise KeyError(f"no alert {number}")
        alert.acknowledged = True
        alert.history.append(AlertEvent(AlertEventKind.ACKNOWLEDGED, at, by))
        return alert

    def track_ended(self, track: Track, now: float | None = None) -> None:
        for key in [k for k in self.active if k[0] == track.number]:
            self._clear(self.active.pop(key), track.last_update if now is None else now)
        self._country.pop(track.number, None)
        self._codes.pop(track.number, None)
        self._changes.pop(track.number, None)


# The SP field's data: its length octet counts itself.
_SP_MAX = 254


def alert_to_cat004(alert: Alert, system: SystemId) -> Record:
    """The alert as the partner receives it, telling the last event of its history (see the
    module docstring)."""
    last = alert.history[-1] if alert.history else AlertEvent(AlertEventKind.RAISED, alert.time)
    items: dict[str, Any] = {
        "I010": {"SAC": system.sac, "SIC": system.sic},
        "I020": {"ToM": time_of_day(last.at or alert.time)},
        "I030": {"TrkN": alert.track},
        "I040": {"AlrtI": alert.number % 65536},
        "I045": {"STAT": 0 if alert.active else 1},
    }
    area = None
    if alert.rule == Rule.RESTRICTED_AREA:
        items["I000"] = {"MessageType": 5}  # Area Proximity Warning
        # I004/100's name holds 7 characters: the full name goes in the SP field as "area",
        # kept there even when the evidence has to go.
        area = str(alert.evidence.get("area", ""))
        items["I100"] = {"CANP": {"CAN": area[:7].upper().ljust(7)}}
    else:
        items["I000"] = {"MessageType": 0}
    by = None if last.by is None else [last.by.name, last.by.organization, last.by.role]
    message: dict[str, Any] = {
        "rule": str(alert.rule), "callsign": alert.callsign,
        "severity": alert.severity.name.lower(), "level": alert.level.name.lower(),
        "event": str(last.event), "by": by, "evidence": alert.evidence,
    }  # fmt: skip
    if area is not None:
        message["area"] = area[:100]
    payload = json.dumps(message, separators=(",", ":")).encode()
    if len(payload) > _SP_MAX:  # the evidence is what the partner can best do without
        message["evidence"] = {}
        payload = json.dumps(message, separators=(",", ":")).encode()
    if len(payload) > _SP_MAX and by is not None:
        message["by"] = [part[:40] for part in by]
        payload = json.dumps(message, separators=(",", ":")).encode()
    items["SP"] = payload[:_SP_MAX]
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


class PartnerAlerts:
    """The copies of the partner's alerts, as its CAT 004 messages tell them: raised, then
    escalated, acknowledged or cleared at the partner (with who did it). Each copy takes a
    number of this centre (`numbers`), so that one number names one alert in its API; the
    partner's own number is kept beside it. Acknowledging a copy is this side's own act."""

    def __init__(self, numbers: AlertEngine, keep: int = 2000) -> None:
        self._numbers = numbers
        self._keep = keep
        self.alerts: list[Alert] = []
        self._by_partner: dict[int, Alert] = {}
        self.partner_numbers: dict[int, int] = {}  # our number -> the partner's

    def receive(self, record: Record, now: float) -> Alert:
        """A CAT 004 message from the partner: a new copy, or what changed on one we hold.
        Raises ValueError for a message that names no known rule."""
        message = _cat004_message(record)
        theirs = int(record.get("I040", {}).get("AlrtI", 0))
        level = _level(message.get("level"))
        by = message.get("by")
        actor = None
        if isinstance(by, list) and len(by) >= 3:
            actor = Actor(*(str(part) for part in by[:3]))
        event = _event(message.get("event"))
        ended = (record.get("I045") or {}).get("STAT") == 1
        rule = _rule(message.get("rule"))
        alert = self._by_partner.get(theirs)
        if alert is None or (event == AlertEventKind.RAISED and alert.cleared_at is not None):
            alert = Alert(
                self._numbers.next_number(), int(record.get("I030", {}).get("TrkN", 0)),
                rule, now, _severity(message.get("severity")),
                dict(message.get("evidence") or {}), message.get("callsign"),
                level or RenegadeLevel.NONE,
            )  # fmt: skip
            alert.history.append(AlertEvent(AlertEventKind.RAISED, now))
            self._by_partner[theirs] = alert
            self.partner_numbers[alert.number] = theirs
            self.alerts.append(alert)
            self._forget()
        if event == AlertEventKind.ESCALATED and level is not None:
            alert.level = max(alert.level, level)
            alert.history.append(AlertEvent(event, now, actor, level))
        elif event == AlertEventKind.ACKNOWLEDGED:
            alert.history.append(AlertEvent(event, now, actor))
        if ended and alert.cleared_at is None:
            alert.cleared_at = now
            alert.history.append(AlertEvent(AlertEventKind.CLEARED, now))
        return alert

    def _forget(self) -> None:
        while len(self.alerts) > self._keep:
            old = self.alerts.pop(0)
            self.partner_numbers.pop(old.number, None)
            theirs = [k for k, v in self._by_partner.items() if v is old]
            for key in theirs:
                del self._by_partner[key]

    def find(self, number: int) -> Alert | None:
        for alert in reversed(self.alerts):
            if alert.number == number:
                return alert
        return None

    def acknowledge(self, number: int, *, by: Actor | None, at: float) -> Alert:
        alert = self.find(number)
        if alert is None:
            raise KeyError(f"no alert {number}")
        alert.acknowledged = True
        alert.history.append(AlertEvent(AlertEventKind.ACKNOWLEDGED, at, by))
        return alert

    def to_json(self, alert: Alert) -> dict[str, Any]:
        return {**alert.to_json(), "origin": "partner",
                "partner_number": self.partner_numbers.get(alert.number)}  # fmt: skip


def _cat004_message(record: Record) -> dict[str, Any]:
    message: dict[str, Any] = {}
    if "SP" in record.items:
        try:
            parsed = json.loads(bytes(record["SP"]).decode())
        except (ValueError, UnicodeDecodeError):
            parsed = None
        if isinstance(parsed, dict):
            message = parsed
    if record.get("I000", {}).get("MessageType") == 5:
        message.setdefault("rule", str(Rule.RESTRICTED_AREA))
        area = message.get("area") or record.get("I100", {}).get("CANP", {}).get("CAN", "")
        evidence = message.get("evidence")
        message["evidence"] = {**(evidence if isinstance(evidence, dict) else {}),
                               "area": str(area).strip()}  # fmt: skip
    return message


def _rule(value: Any) -> Rule:
    try:
        return Rule(str(value))
    except ValueError:
        raise ValueError(f"a partner alert with an unknown rule {value!r}") from None


def _severity(value: Any) -> Severity:
    try:
        return Severity[str(value).upper()]
    except KeyError:
        return Severity.MEDIUM


def _level(value: Any) -> RenegadeLevel | None:
    try:
        return RenegadeLevel[str(value).upper()]
    except KeyError:
        return None


def _event(value: Any) -> AlertEventKind:
    try:
        return AlertEventKind(str(value))
    except ValueError:
        return AlertEventKind.RAISED
