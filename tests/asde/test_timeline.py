"""A recording's times of day on one timeline: anchored on its first report, continuous."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from asde.timeline import DAY, JUMP, SLACK, Timeline, TimeOfDayError, absolute_time

DAY_1 = dt.date(2026, 11, 29)
MIDNIGHT_1 = dt.datetime(2026, 11, 29, tzinfo=dt.UTC).timestamp()
H = 3600.0


def test_the_first_report_goes_on_the_day_named() -> None:
    # Given recordings said to begin on 29 November, at the day's first and last second
    # When their first reports are placed
    # Then both are of that day
    assert Timeline.on_day(DAY_1).place(0.0) == MIDNIGHT_1
    assert Timeline.on_day(DAY_1).place(DAY - 1) == MIDNIGHT_1 + DAY - 1


def test_a_recording_read_later_is_placed_on_the_day_it_began() -> None:
    # Given a recording begun at 10:00 on the 29th, read 12.5 h, then 2 days and 12.5 h later
    # When its first report is placed
    # Then it is 10:00 of the last day not after the reading: the 29th, then the 1st
    assert Timeline.read_at(MIDNIGHT_1 + 22.5 * H).place(10 * H) == MIDNIGHT_1 + 10 * H
    later = MIDNIGHT_1 + 2 * DAY + 22.5 * H
    assert Timeline.read_at(later).place(10 * H) == MIDNIGHT_1 + 2 * DAY + 10 * H


def test_a_recording_a_little_ahead_of_the_reader_is_of_that_day() -> None:
    # Given a file being written by a system whose clock is a minute ahead
    now = MIDNIGHT_1 + 10 * H
    # When its first report (a minute after now) is placed
    placed = Timeline.read_at(now).place(10 * H + 60)
    # Then it stays on today, not yesterday
    assert placed == now + 60 and SLACK > 60


def test_a_recording_across_midnight_rolls_to_the_next_day() -> None:
    # Given a recording on the 29th at 23:59:59
    timeline = Timeline.on_day(DAY_1)
    timeline.place(DAY - 1)

    # When the time of day wraps to 00:00:01
    placed = timeline.place(1.0)

    # Then it is the next day, two seconds later
    assert placed == MIDNIGHT_1 + DAY + 1


def test_a_late_report_across_midnight_does_not_move_the_recording_back() -> None:
    # Given a recording that went past midnight into the 30th
    timeline = Timeline.on_day(DAY_1)
    timeline.place(DAY - 2)
    timeline.place(1.0)

    # When a report of 23:59:59 (a source a little late) comes, then 00:00:02
    late = timeline.place(DAY - 1)
    after = timeline.place(2.0)

    # Then the late one is before midnight; the recording goes on on the 30th
    assert late == MIDNIGHT_1 + DAY - 1
    assert after == MIDNIGHT_1 + DAY + 2 and timeline.latest == after


def test_a_time_that_is_no_time_of_day_is_refused_and_changes_nothing() -> None:
    # Given a recording at 10:00
    timeline = Timeline.on_day(DAY_1)
    timeline.place(10 * H)

    # When a report says 100,000 s (the codec reads up to 36 h)
    with pytest.raises(TimeOfDayError, match=r"100000\.000 s is not one"):
        timeline.place(100_000.0)

    # Then the recording goes on where it was
    assert timeline.place(10 * H + 4) == MIDNIGHT_1 + 10 * H + 4


def test_a_clock_from_the_future_does_not_move_the_recording_to_another_day() -> None:
    # Given a recording from 10:00 on the 29th
    timeline = Timeline.on_day(DAY_1)
    timeline.place(10 * H)

    # When one source says 21:00 (a clock eleven hours ahead), then the recording goes on
    # for two hours
    with pytest.raises(TimeOfDayError, match=r"21:00:00.000 is 11.0 h ahead"):
        timeline.place(21 * H)
    times = [timeline.place(10 * H + 4 * step) for step in range(1, 1800)]

    # Then every later report stays on the 29th, in order (following the bad clock, those
    # after 10:30 would have been placed on the 30th)
    assert times == sorted(times)
    assert times[-1] == MIDNIGHT_1 + 10 * H + 4 * 1799


def test_a_gap_in_the_recording_is_taken_when_the_next_report_follows() -> None:
    # Given a recording at 10:00
    timeline = Timeline.on_day(DAY_1)
    timeline.place(10 * H)

    # When it goes on at 13:00 after three hours without reports
    with pytest.raises(TimeOfDayError, match="ahead of the recording"):
        timeline.place(13 * H)
    resumed = timeline.place(13 * H + 4)

    # Then the first report after the gap was held as suspect, and the next one confirmed it
    assert resumed == MIDNIGHT_1 + 13 * H + 4 and 3 * H > JUMP


def test_live_data_is_placed_near_its_receive_time_as_before() -> None:
    # Given a time of day received just after midnight
    # When it is 23:59:59
    # Then it is of the day before, a second before reception
    assert absolute_time(DAY - 1, MIDNIGHT_1 + 0.5) == MIDNIGHT_1 - 1


# Times of day a recording may hold: mostly seconds apart and in order, sometimes across
# midnight, with a stray (garbage beyond 24 h, a jump, a tie half a day away) now and then.
SMALL = st.floats(-3, 10).map(lambda s: round(s * 128) / 128)
BIG = st.sampled_from([DAY / 2, -DAY / 2, JUMP, JUMP + 1 / 128, 2 * JUMP, 11 * H, -11 * H])
STRAYS = st.one_of(st.none(), st.floats(-10, 131_072), st.just(math.nan))


@example(start=36000.0, steps=[(0.0, 1, JUMP + 1 / 128, None)], primed=True)  # just a jump
@example(start=36000.0, steps=[(0.0, 1, JUMP, None)], primed=True)  # just not one
@example(start=DAY - 1, steps=[(2.0, 0, 0.0, None), (-3.0, 0, 0.0, None)], primed=False)
@given(
    start=st.floats(0, DAY - 1 / 128).map(lambda s: round(s * 128) / 128),
    steps=st.lists(st.tuples(SMALL, st.integers(0, 12), BIG, STRAYS), max_size=80),
    primed=st.booleans(),
)
def test_placing_a_run_at_once_gives_what_placing_each_gives(
    start: float, steps: list[tuple[float, int, float, float | None]], primed: bool
) -> None:
    # Given a run of times of day
    tods: list[float | None] = [start]
    tod = start
    for small, odd, big, stray in steps:
        tod = (tod + (big if odd == 1 else small)) % DAY
        tods.append(tod)
        if odd == 2:
            tods.append(stray)
    at_once, each = Timeline.on_day(DAY_1), Timeline.on_day(DAY_1)
    if primed:  # a timeline that has placed reports already
        at_once.place(start)
        each.place(start)

    # When one timeline places it at once, the other report by report
    times, errors = at_once.place_all(np.array([math.nan if t is None else t for t in tods]))
    one_by_one: list[float | str] = []
    for each_tod in tods:
        try:
            one_by_one.append(
                each.place(None if each_tod is None or math.isnan(each_tod) else each_tod)
            )
        except TimeOfDayError as error:
            one_by_one.append(error.reason)

    # Then both give the same times, refuse the same, and end at the same time
    together = [errors[i].reason if i in errors else t for i, t in enumerate(times.tolist())]
    assert together == one_by_one
    assert at_once.latest == each.latest
