"""Times of day placed on dates: ASTERIX carries seconds since UTC midnight, never the day.

Two rules, one for each kind of input, both here:

- Live data (a partner link, a receiver) is placed on the day nearest the moment it arrives:
  `absolute_time(tod, near)`, `nearest_day(tods, near)`. Data seconds old is right that way.
- A recording is read hours or days after it was made, so the moment read says little: a
  `Timeline` anchors its first report (on the day the analyst names or, without one, on the
  last day that does not put it after the moment read: a recording is of the past) and
  places every later one from the recording's own latest time, so that the recording stays
  one continuous piece whenever it is read. The
  latest time only moves forwards; a time of day that wraps (23:59:59, then 00:00:01) goes to
  the next day. A time that is no time of day, or one that jumps far ahead of the recording
  (a clock from the future), is refused with a `TimeOfDayError` and leaves the timeline as it
  was, so that one bad clock cannot move the rest of the recording to another day.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

DAY = 86400.0
HALF_DAY = DAY / 2
# A report more than this ahead of the recording's latest time is suspect: a clock from the
# future, unless the next report follows it (then the recording had a gap, and goes on).
# An hour: updates come every few seconds, and a jump under an hour cannot move a recording
# of less than eleven hours to another day.
JUMP = 3600.0
# How far after the moment read a recording's first report may be and still be of that day:
# a file being written by a system whose clock is a little ahead.
SLACK = 300.0


class TimeOfDayError(ValueError):
    """A report's time of day cannot be placed on the recording's timeline: says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def absolute_time(tod: float, near: float) -> float:
    """The epoch time of a time of day, on the day closest to `near` (handles midnight);
    on a tie (exactly half a day either way) the earlier."""
    base = near - (near % DAY)
    candidates = (base - DAY + tod, base + tod, base + DAY + tod)
    return min(candidates, key=lambda c: abs(c - near))


def nearest_day(tods: np.ndarray, near: float) -> np.ndarray:
    """`absolute_time` of every time of day in the array, at once."""
    base = near - (near % DAY)
    c0, c1, c2 = (base - DAY) + tods, base + tods, (base + DAY) + tods
    d0, d1, d2 = np.abs(c0 - near), np.abs(c1 - near), np.abs(c2 - near)
    best = np.where(d1 < d0, c1, c0)
    return np.where(d2 < np.minimum(d0, d1), c2, best)  # type: ignore[no-any-return]


def clock(seconds: float) -> str:
    """A time of day as people read it: 23:59:59.992."""
    whole = int(seconds)
    return (
        f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}.{int(seconds % 1 * 1000):03d}"
    )


def utc(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="milliseconds")


class Timeline:
    """One recording's times of day placed on one timeline, report after report."""

    def __init__(self, anchor: float, untimed: float | None = None) -> None:
        self.anchor = anchor  # the first report goes within half a day of it (earlier on a tie)
        # Where a report without a time of day goes while no report has placed the recording.
        self.untimed = anchor if untimed is None else untimed
        self.latest: float | None = None  # the recording's latest time so far
        self._ahead: float | None = None  # the last report that jumped ahead, refused

    @classmethod
    def on_day(cls, day: dt.date) -> Timeline:
        """A recording made on `day` (UTC): its first report is placed on that day."""
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()
        # Midday: every time of day of the day lies within half a day of it, and on the tie
        # (00:00:00) absolute_time takes the earlier candidate, the day's own midnight.
        return cls(midnight + HALF_DAY)

    @classmethod
    def read_at(cls, now: float) -> Timeline:
        """A recording read at `now`, day unknown: its first report is placed on the last day
        that does not put it after `now` (give or take SLACK). The day nearest `now` would put
        a recording read twelve hours after it began on the next day, in the future."""
        return cls(now + SLACK - HALF_DAY, untimed=now)

    def place(self, tod: float | None) -> float:
        """The epoch time of the next report's time of day; raises TimeOfDayError (and stays
        as it was) for a time that is no time of day or a clock from the future. A report
        without a time of day is taken at the recording's latest time."""
        latest = self.latest
        if tod is None:
            return self.untimed if latest is None else latest
        if not 0.0 <= tod < DAY:
            raise TimeOfDayError(f"time of day {tod:.3f} s is not one (0 to 86400 s): "
                                 "report left out")  # fmt: skip
        if latest is None:
            self.latest = absolute_time(tod, self.anchor)
            return self.latest
        placed = absolute_time(tod, latest)
        step = placed - latest
        if step > JUMP:
            ahead, self._ahead = self._ahead, placed
            if ahead is None or abs(placed - ahead) > JUMP:
                raise TimeOfDayError(
                    f"time of day {clock(tod)} is {step / 3600:.1f} h ahead of the recording "
                    f"({utc(latest)}): a clock from the future? report left out"
                )
            # The report before jumped as far: the recording had a gap and goes on from here.
        self._ahead = None
        if placed > latest:
            self.latest = placed
        return placed

    def place_all(self, tods: np.ndarray) -> tuple[np.ndarray, dict[int, TimeOfDayError]]:
        """`place` for each time of day in turn (NaN: a report without one): the times (NaN
        where refused) and the error of each refused, by position. Most runs of reports are
        in order: they are placed at once with numpy, and only a run with a jump, a bad time
        or a missing one goes report by report."""
        times = np.full(len(tods), math.nan)
        errors: dict[int, TimeOfDayError] = {}
        first = 0
        if len(tods) and self.latest is None:
            self._place_each(tods, 0, 1, times, errors)
            first = 1
        latest, rest = self.latest, tods[first:]
        if not len(rest):
            return times, errors
        if latest is not None and self._ahead is None and ((rest >= 0) & (rest < DAY)).all():
            placed = nearest_day(rest, latest)
            before = np.maximum.accumulate(np.concatenate(([latest], placed[:-1])))
            step = placed - before
            # Each within the half day around the latest time before it (with a margin, so
            # that a near tie goes report by report): the time `place` gives it; no jump.
            if (step <= JUMP).all() and (step > 1.0 - HALF_DAY).all():
                self.latest = max(latest, float(placed.max()))
                times[first:] = placed
                return times, errors
        self._place_each(tods, first, len(tods), times, errors)
        return times, errors

    def _place_each(
        self,
        tods: np.ndarray,
        start: int,
        end: int,
        times: np.ndarray,
        errors: dict[int, TimeOfDayError],
    ) -> None:
        for position in range(start, end):
            tod = float(tods[position])
            try:
                times[position] = self.place(None if math.isnan(tod) else tod)
            except TimeOfDayError as error:
                errors[position] = error


def placed(tod: float | None, near: float | Timeline) -> float:
    """A report's time: on the timeline of its recording, or (live) near its receive time."""
    if isinstance(near, Timeline):
        return near.place(tod)
    return near if tod is None else absolute_time(tod, near)
