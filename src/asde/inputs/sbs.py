"""BaseStation (SBS-1) text lines, as readsb and dump1090 send them on port 30003.

`MSG,<type>,<session>,<aircraft>,<hex>,<flight>,<date gen>,<time gen>,<date log>,<time log>,
<callsign>,<altitude>,<ground speed>,<track>,<lat>,<lon>,<vertical rate>,<squawk>,<alert>,
<emergency>,<spi>,<on ground>`. Each message carries only some fields; a `SbsDecoder` keeps
the last known value per aircraft so that every position report is complete.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace

from asde.reports import Source, TargetReport


class SbsError(ValueError):
    """A line that is not a BaseStation message."""


# A BaseStation line is about 150 octets; anything much longer is not one (readline() of
# asyncio raised at 64 KiB and killed the input).
MAX_LINE = 1024


class LineSplitter:
    """A BaseStation stream cut into lines, sans-I/O: bytes in as they arrive, whole lines out
    (without their end of line). A line longer than `max_line` octets is dropped whole and
    counted in `overlong`, however long it goes on; what is left at the end is `pending`."""

    def __init__(self, max_line: int = MAX_LINE) -> None:
        self.max_line = max_line
        self.overlong = 0
        self._buffer = bytearray()
        self._skipping = False  # inside an over-long line, until its end of line

    def receive_data(self, data: bytes) -> list[bytes]:
        buffer = self._buffer
        buffer += data
        lines = []
        start = 0
        while (end := buffer.find(b"\n", start)) >= 0:
            if self._skipping:
                self._skipping = False  # the end of the over-long line
            elif end - start > self.max_line:
                self.overlong += 1
            else:
                lines.append(bytes(buffer[start:end]).rstrip(b"\r"))
            start = end + 1
        del buffer[:start]
        if len(buffer) > self.max_line:
            if not self._skipping:
                self.overlong += 1
                self._skipping = True
            buffer.clear()
        return lines

    @property
    def pending(self) -> int:
        """Octets of a line still waiting for its end (0 inside an over-long one)."""
        return len(self._buffer)


@dataclass
class _Known:
    callsign: str | None = None
    squawk: str | None = None
    altitude_ft: float | None = None
    ground_speed_kt: float | None = None
    track_deg: float | None = None
    vertical_rate_fpm: float | None = None
    emergency: bool = False


def _float(text: str) -> float | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise SbsError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise SbsError(f"{text!r} is not a number")
    return value


def _flag(text: str) -> bool | None:
    text = text.strip()
    if not text:
        return None
    return text not in ("0", "")


def _time(date: str, clock: str) -> float | None:
    try:
        stamp = dt.datetime.strptime(f"{date} {clock}", "%Y/%m/%d %H:%M:%S.%f")
    except ValueError:
        return None
    return stamp.replace(tzinfo=dt.UTC).timestamp()


@dataclass
class SbsDecoder:
    """Turns lines into target reports; one per message that carries a position."""

    known: dict[str, _Known] = field(default_factory=dict)
    errors: int = 0

    def feed_line(self, line: str, now: float | None = None) -> TargetReport | None:
        parts = line.rstrip("\r\n").split(",")
        if len(parts) < 22 or parts[0] != "MSG":
            raise SbsError("not an SBS MSG line of 22 fields")
        address = parts[4].strip().upper()
        if len(address) != 6 or any(c not in "0123456789ABCDEF" for c in address):
            raise SbsError(f"{parts[4]!r} is not a Mode S address")
        known = self.known.setdefault(address, _Known())
        if parts[10].strip():
            known.callsign = parts[10].strip()
        altitude = _float(parts[11])
        if altitude is not None:
            known.altitude_ft = altitude
        for attr, index in (("ground_speed_kt", 12), ("track_deg", 13), ("vertical_rate_fpm", 16)):
            value = _float(parts[index])
            if value is not None:
                setattr(known, attr, value)
        squawk = parts[17].strip()
        if squawk:
            if len(squawk) != 4 or any(c not in "01234567" for c in squawk):
                raise SbsError(f"{squawk!r} is not a Mode 3/A code")
            known.squawk = squawk
        emergency = _flag(parts[19])
        if emergency is not None:
            known.emergency = emergency
        lat, lon = _float(parts[14]), _float(parts[15])
        if lat is None or lon is None:
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise SbsError(f"position {lat},{lon} is out of range")
        stamp = _time(parts[6], parts[7]) or now
        if stamp is None:
            raise SbsError("message without a time")
        report = TargetReport(
            time=stamp,
            source=Source.ADSB,
            lat=lat,
            lon=lon,
            address=address,
            on_ground=_flag(parts[21]),
        )
        return replace(
            report,
            callsign=known.callsign,
            squawk=known.squawk,
            altitude_ft=known.altitude_ft,
            ground_speed_kt=known.ground_speed_kt,
            track_deg=known.track_deg,
            vertical_rate_fpm=known.vertical_rate_fpm,
            emergency=known.emergency or known.squawk in ("7500", "7600", "7700"),
        )
