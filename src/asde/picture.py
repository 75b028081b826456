"""The air picture: tracks built from target reports of several sources, their ages and history."""

from __future__ import annotations

import heapq
import math
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from asde.reports import Source, TargetReport

# Codes many aircraft share at once: they do not identify a track.
NON_DISCRETE_CODES = frozenset({"0000", "1000", "1200", "2000", "7000", "7777"})
EARTH_RADIUS_NM = 3440.065


class TrackStatus(StrEnum):
    TENTATIVE = "tentative"
    CONFIRMED = "confirmed"
    COASTING = "coasting"
    TERMINATED = "terminated"


@dataclass(slots=True)
class HistoryPoint:
    time: float
    lat: float
    lon: float
    altitude_ft: float | None


@dataclass(slots=True, eq=False)
class Track:
    """A system track: the latest of everything its reports said, and where it has been."""

    number: int
    first_seen: float
    last_update: float
    status: TrackStatus = TrackStatus.TENTATIVE
    address: str | None = None
    callsign: str | None = None
    squawk: str | None = None
    previous_squawk: str | None = None
    squawk_changed_at: float | None = None
    lat: float | None = None
    lon: float | None = None
    altitude_ft: float | None = None
    ground_speed_kt: float | None = None
    track_deg: float | None = None
    vertical_rate_fpm: float | None = None
    on_ground: bool | None = None
    emergency: bool = False
    updates: int = 0
    # The producing system's SAC, SIC and track number when the track is another system's
    # (a partner's CAT 062 track): what identifies it there.
    system_track: tuple[int, int, int] | None = None
    source_times: dict[Source, float] = field(default_factory=dict)
    history: deque[HistoryPoint] = field(default_factory=deque)

    def age(self, source: Source, now: float) -> float | None:
        """Seconds since the last report of that source, or None if it never reported."""
        seen = self.source_times.get(source)
        return None if seen is None else max(0.0, now - seen)

    def predicted(self, now: float) -> tuple[float, float] | None:
        """Where the track should be at `now`, dead-reckoned from its last position."""
        if self.lat is None or self.lon is None:
            return None
        if self.ground_speed_kt is None or self.track_deg is None:
            return self.lat, self.lon
        return destination(self.lat, self.lon, self.track_deg,
                           self.ground_speed_kt * (now - self.last_update) / 3600.0)  # fmt: skip


def distance_nm(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a sphere: enough to correlate reports (exact geodesy elsewhere)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_NM * math.asin(min(1.0, math.sqrt(a)))


def destination(lat: float, lon: float, bearing_deg: float, distance: float) -> tuple[float, float]:
    """The point `distance` nautical miles from (lat, lon) along `bearing_deg` (sphere)."""
    d = distance / EARTH_RADIUS_NM
    b = math.radians(bearing_deg)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
    l2 = l1 + math.atan2(math.sin(b) * math.sin(d) * math.cos(p1),
                         math.cos(d) - math.sin(p1) * math.sin(p2))  # fmt: skip
    return math.degrees(p2), (math.degrees(l2) + 540.0) % 360.0 - 180.0


@dataclass
class PictureSettings:
    confirm_after: int = 2  # reports before a track is confirmed
    coast_after: float = 20.0  # seconds without a report before a track coasts
    terminate_after: float = 60.0  # seconds without a report before it is dropped
    history_seconds: float = 600.0
    correlation_nm: float = 5.0  # how far a report without Mode S may be from a track
    # At most this many tracks (CAT 062 numbers them up to 65,535). A full picture makes room
    # for a new track by ending those silent longest, coasting ones first: a flood of false
    # tracks then pushes out old ones, never the new reports.
    max_tracks: int = 65535
    # A partner's picture: its tracks are the partner's system tracks, identified by the
    # partner's SAC/SIC and track number, never correlated again by code, address or position
    # (the agreements remove the address, and the shared codes 1000/2000/7000 identify nothing).
    system_tracks: bool = False


class PictureFullError(RuntimeError):
    """Every track number is in use (cannot happen while making room works)."""


class AirPicture:
    """Tracks keyed by track number, correlated by Mode S address, else Mode 3/A and position."""

    def __init__(self, settings: PictureSettings | None = None) -> None:
        self.settings = settings or PictureSettings()
        self.tracks: dict[int, Track] = {}
        self._by_address: dict[str, int] = {}
        self._by_squawk: dict[str, set[int]] = {}
        # Tracks that primary radar alone started (no address, no code): the only ones a first
        # Mode S report may adopt. Kept as a set so that adoption does not scan every track.
        self._anonymous: set[int] = set()
        self._by_system: dict[tuple[int, int, int], int] = {}
        self._next_number = 1
        self.now = 0.0
        self.evicted = 0  # tracks ended to make room since the start
        self._evicted: list[Track] = []  # ended to make room, until the next tick hands them on

    def __len__(self) -> int:
        return len(self.tracks)

    def __iter__(self) -> Iterator[Track]:
        return iter(self.tracks.values())

    def _make_room(self) -> None:
        """A hundredth of the picture at a time, so that a flood of new tracks does not rank
        the whole picture for each one."""
        count = max(1, len(self.tracks) - self.settings.max_tracks + 1,
                    self.settings.max_tracks // 100)  # fmt: skip
        oldest = heapq.nsmallest(count, self.tracks.values(), key=_eviction_order)
        for track in oldest:
            self._evicted.append(self._drop(track))
        self.evicted += len(oldest)

    def _new_number(self) -> int:
        if len(self.tracks) >= self.settings.max_tracks:
            self._make_room()
        limit = self.settings.max_tracks
        for _ in range(limit):
            number = self._next_number
            self._next_number = number % limit + 1
            if number not in self.tracks:
                return number
        raise PictureFullError("all track numbers are in use")

    def _correlate(self, report: TargetReport) -> Track | None:
        if report.address is not None:
            number = self._by_address.get(report.address)
            if number is not None:
                return self.tracks.get(number)
            # A first Mode S/ADS-B report may belong to a track primary radar started.
            adopted = self._nearest(report, list(self._anonymous))
            if adopted is not None:
                adopted.address = report.address
                self._by_address[report.address] = adopted.number
                self._anonymous.discard(adopted.number)
            return adopted
        if not report.has_position:
            return None
        if report.squawk is None:
            # A primary-only return: the nearest track where one is expected (the track of
            # an aircraft whose transponder went silent goes on this way).
            candidates: Iterable[int] = self.tracks
        elif report.squawk in NON_DISCRETE_CODES:
            return None
        else:
            candidates = self._by_squawk.get(report.squawk, ())
        if report.squawk is not None:
            candidates = [n for n in candidates if self.tracks[n].address is None]
        return self._nearest(report, candidates)

    def _nearest(self, report: TargetReport, candidates: Iterable[int]) -> Track | None:
        """The track whose predicted position is closest to the report, within the gate."""
        if not report.has_position:
            return None
        best: tuple[float, Track] | None = None
        for number in candidates:
            track = self.tracks[number]
            where = track.predicted(report.time)
            if where is None:
                continue
            gap = distance_nm(where[0], where[1], report.lat, report.lon)  # type: ignore[arg-type]
            if gap <= self.settings.correlation_nm and (best is None or gap < best[0]):
                best = (gap, track)
        return best[1] if best else None

    def update(self, report: TargetReport) -> Track:
        """Applies one report; returns the track it updated or started (or ended: a system
        track's end, I062/080 TSE, comes back TERMINATED and out of the picture). A report
        never moves the picture's clock: only `tick` does (the centre ticks the wall clock)."""
        if self.settings.system_tracks and report.track_number is not None:
            return self._update_system_track(report)
        track = self._correlate(report)
        if track is None:
            track = Track(self._new_number(), report.time, report.time, address=report.address)
            self.tracks[track.number] = track
            if report.address is not None:
                self._by_address[report.address] = track.number
            elif report.squawk is None:
                self._anonymous.add(track.number)
        elif report.time < track.last_update:
            return track  # an older report than what the track already holds
        self._apply(track, report)
        return track

    def _update_system_track(self, report: TargetReport) -> Track:
        sac, sic = report.system or (0, 0)
        key = (sac, sic, report.track_number or 0)
        number = self._by_system.get(key)
        track = self.tracks.get(number) if number is not None else None
        if track is None and report.ended:  # the end of a track we never held: nothing to do
            return Track(key[2], report.time, report.time, status=TrackStatus.TERMINATED,
                         system_track=key)  # fmt: skip
        if track is None:
            # The partner's own number when it is free here: controllers on both sides then
            # speak of one aircraft by one number (and the partner's alerts name it).
            wanted = key[2]
            if len(self.tracks) >= self.settings.max_tracks:
                self._make_room()
            if not 1 <= wanted <= self.settings.max_tracks or wanted in self.tracks:
                wanted = self._new_number()
            track = Track(wanted, report.time, report.time, address=report.address,
                          system_track=key)  # fmt: skip
            self.tracks[wanted] = track
            self._by_system[key] = wanted
        elif report.time < track.last_update:
            return track
        self._apply(track, report)
        # The partner confirmed it already: its picture holds no tentative tracks for us.
        track.status = TrackStatus.CONFIRMED
        if report.ended:
            return self._drop(track)
        return track

    def number_of(self, system: tuple[int, int], track_number: int) -> int | None:
        """The number here of another system's track (a partner picture's), if held."""
        return self._by_system.get((*system, track_number))

    def _apply(self, track: Track, report: TargetReport) -> None:
        if report.squawk is not None and report.squawk != track.squawk:
            if track.squawk is not None:
                track.previous_squawk = track.squawk
                track.squawk_changed_at = report.time
                self._by_squawk.get(track.squawk, set()).discard(track.number)
            track.squawk = report.squawk
            self._by_squawk.setdefault(report.squawk, set()).add(track.number)
            self._anonymous.discard(track.number)
        # What the report says replaces what the track held; what it does not say stays.
        # (Spelled out: a loop over the names with getattr/setattr cost a third of update.)
        if report.callsign is not None:
            track.callsign = report.callsign
        if report.altitude_ft is not None:
            track.altitude_ft = report.altitude_ft
        if report.ground_speed_kt is not None:
            track.ground_speed_kt = report.ground_speed_kt
        if report.track_deg is not None:
            track.track_deg = report.track_deg
        if report.vertical_rate_fpm is not None:
            track.vertical_rate_fpm = report.vertical_rate_fpm
        if report.on_ground is not None:
            track.on_ground = report.on_ground
        track.emergency = report.emergency or track.squawk in ("7500", "7600", "7700")
        if report.has_position:
            track.lat, track.lon = report.lat, report.lon
            track.history.append(HistoryPoint(report.time, report.lat, report.lon,  # type: ignore[arg-type]
                                              track.altitude_ft))  # fmt: skip
            horizon = report.time - self.settings.history_seconds
            while track.history and track.history[0].time < horizon:
                track.history.popleft()
        track.source_times[report.source] = report.time
        track.last_update = report.time
        track.updates += 1
        if track.updates >= self.settings.confirm_after:
            track.status = TrackStatus.CONFIRMED

    def tick(self, now: float) -> list[Track]:
        """Advances the clock: silent tracks coast, then terminate; returns the terminated
        (with those ended to make room since the last tick)."""
        self.now = max(self.now, now)
        ended, self._evicted = self._evicted, []
        for track in list(self.tracks.values()):
            silence = self.now - track.last_update
            if silence >= self.settings.terminate_after:
                ended.append(self._drop(track))
            elif silence >= self.settings.coast_after and track.status != TrackStatus.TENTATIVE:
                track.status = TrackStatus.COASTING
        return ended

    def _drop(self, track: Track) -> Track:
        del self.tracks[track.number]
        self._anonymous.discard(track.number)
        if track.address is not None and self._by_address.get(track.address) == track.number:
            del self._by_address[track.address]
        if track.squawk is not None:
            self._by_squawk.get(track.squawk, set()).discard(track.number)
        if (
            track.system_track is not None
            and self._by_system.get(track.system_track) == track.number
        ):
            del self._by_system[track.system_track]
        track.status = TrackStatus.TERMINATED
        return track

    def feed(self, reports: Iterable[TargetReport], tick_every: float = 1.0) -> None:
        """Applies reports in order, advancing the clock every `tick_every` seconds."""
        last_tick = None
        for report in reports:
            self.update(report)
            if last_tick is None or report.time - last_tick >= tick_every:
                self.tick(report.time)
                last_tick = report.time


def _eviction_order(track: Track) -> tuple[bool, float]:
    return track.status is not TrackStatus.COASTING, track.last_update
