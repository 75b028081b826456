"""The target report: what any input (ASTERIX, SBS, readsb, recordings) says about one aircraft."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Source(StrEnum):
    """The sensor behind a report, as the CAT 062 track ages (I062/290) distinguish them."""

    PSR = "psr"
    SSR = "ssr"
    MODE_S = "mds"
    ADSB = "ads"


_OCTAL = frozenset("01234567")
_HEX = frozenset("0123456789ABCDEF")


def mode3a_code(value: object) -> str | None:
    """A Mode 3/A code as four octal digits, or None for anything else: a feed's "8888" or
    "12" must not reach a track, whose every update carries the code in three octal bits each."""
    if isinstance(value, str) and len(value) == 4 and _OCTAL.issuperset(value):
        return value
    return None


def icao_address(value: object) -> str | None:
    """A 24-bit ICAO address as six upper-case hexadecimal digits, or None for anything else."""
    if isinstance(value, str) and len(value) == 6:
        text = value.upper()
        if _HEX.issuperset(text):
            return text
    return None


@dataclass(frozen=True, slots=True)
class TargetReport:
    """One observation. Units: degrees, feet, knots, feet per minute, seconds since the epoch.

    `None` means the input did not say. `address` is the 24-bit ICAO Mode S address as six
    upper-case hexadecimal digits; `squawk` the Mode 3/A code as four octal digits.
    """

    time: float
    source: Source
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    callsign: str | None = None
    squawk: str | None = None
    altitude_ft: float | None = None
    ground_speed_kt: float | None = None
    track_deg: float | None = None
    vertical_rate_fpm: float | None = None
    on_ground: bool | None = None
    emergency: bool = False
    # A system track's identity (CAT 062): the producing system's SAC/SIC and its track number
    # (I062/040); `ended` is its track status's end of track (I062/080 TSE).
    system: tuple[int, int] | None = None
    track_number: int | None = None
    ended: bool = False

    @property
    def has_position(self) -> bool:
        return self.lat is not None and self.lon is not None


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """The times a centre believes, around its wall clock: a report more than `ahead_s` ahead
    of now (a receiver's clock wrong, a date of 2099) or more than `max_age_s` old (a stale
    resend, a time of day placed on the wrong day) is refused, so that it never moves the
    picture's clock or ages its tracks."""

    ahead_s: float = 5.0
    max_age_s: float = 60.0

    def refusal(self, time: float, now: float) -> str | None:
        """Why a report of this time is refused at `now` ("future", "too_old"), or None."""
        if time > now + self.ahead_s:
            return "future"
        if time < now - self.max_age_s:
            return "too_old"
        return None
