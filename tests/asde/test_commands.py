"""`asde alerts`, `filter` and `replay` reading raw ASTERIX recordings, which hold times of day
only, as an air operations centre's analyst reads them: hours or days after they were made."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
from pathlib import Path

import asterix
import pytest
import time_machine

from asde.asterix import decode, encode
from asde.cli import main
from asde.commands import reports_of
from asde.reports import TargetReport
from asde.sim import load_scenario, simulate

SCENARIOS = Path(__file__).parents[2] / "src" / "asde" / "data" / "scenarios"
RENEGADE = SCENARIOS / "renegade-lviv.yaml"  # begins 2026-11-29T10:00:00Z, lasts 40 min
START = dt.datetime(2026, 11, 29, 10, tzinfo=dt.UTC)


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    """The renegade scenario as the raw CAT 062 recording `asde simulate` writes."""
    path = tmp_path / "renegade.ast"
    code, _out, _err = run("simulate", str(RENEGADE), "-o", str(path))
    assert code == 0
    return path


def alerts_at(moment: dt.datetime, *args: str) -> tuple[list[dict[str, object]], str]:
    with time_machine.travel(moment, tick=False):
        code, out, err = run("alerts", *args)
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()], err


def days(reports: list[TargetReport]) -> set[dt.date]:
    return {dt.datetime.fromtimestamp(r.time, dt.UTC).date() for r in reports}


def test_a_recording_read_twelve_hours_after_it_began_keeps_its_day_and_its_alerts(
    recording: Path,
) -> None:
    # Given the recording, read at its start and 12.5 hours later (at 22:30, when the day
    # nearest the reading is the next day for its first half hour: it used to split there)
    at_start, _err = alerts_at(START, str(recording))
    later, _err = alerts_at(START + dt.timedelta(hours=12, minutes=30), str(recording))
    with time_machine.travel(START + dt.timedelta(hours=12, minutes=30), tick=False):
        reports = reports_of(str(recording), io.StringIO())

    # Then every report is of the 29th, and the same alerts are raised at the same times
    assert days(reports) == {dt.date(2026, 11, 29)} and len(reports) > 5000
    assert later == at_start
    rules = {alert["rule"] for alert in later}
    assert {"border_crossing", "renegade", "squawk_7500"} <= rules


def test_a_recording_across_midnight_is_one_continuous_piece(tmp_path: Path) -> None:
    # Given the scenario flown from 23:45, across midnight, recorded raw
    scenario = dataclasses.replace(
        load_scenario(RENEGADE), start=dt.datetime(2026, 11, 29, 23, 45, tzinfo=dt.UTC).timestamp()
    )
    flown = simulate(scenario)
    text = RENEGADE.read_text(encoding="utf-8").replace(
        "2026-11-29T10:00:00", "2026-11-29T23:45:00"
    )
    source = tmp_path / "midnight.yaml"
    source.write_text(text, encoding="utf-8")
    path = tmp_path / "midnight.ast"
    assert run("simulate", str(source), "-o", str(path))[0] == 0

    # When it is read on the 1st of December, with --day, and without on the 30th at noon
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC), tick=False):
        with_day = reports_of(str(path), io.StringIO(), dt.date(2026, 11, 29))
    with time_machine.travel(dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC), tick=False):
        without = reports_of(str(path), io.StringIO())

    # Then both give the flown times, to the 1/128 s ASTERIX carries, over midnight
    assert len(with_day) == len(flown) and days(with_day) == {
        dt.date(2026, 11, 29), dt.date(2026, 11, 30)
    }  # fmt: skip
    for report, truth in zip(with_day, flown, strict=True):
        assert abs(report.time - truth.time) <= 1 / 256
    assert [r.time for r in without] == [r.time for r in with_day]


def test_day_places_the_recording_on_that_day(recording: Path) -> None:
    # Given the recording made on the 29th, read on the 1st of December
    # When the analyst says it began on 14 May 2026
    alerts, _err = alerts_at(
        dt.datetime(2026, 12, 1, tzinfo=dt.UTC), str(recording), "--day", "2026-05-14"
    )

    # Then its alerts are raised on that day
    assert alerts and {str(a["raised_at"])[:10] for a in alerts} == {"2026-05-14"}


def test_filter_and_replay_take_the_day_too(recording: Path, tmp_path: Path) -> None:
    # Given the recording
    # When it is replayed and filtered as of 14 May
    code, out, _err = run("replay", str(recording), "--day", "2026-05-14", "--every", "1000")
    first = json.loads(out.splitlines()[0])
    agreement = SCENARIOS.parent / "agreements" / "nato-ua-v1-2008.yaml"
    released = tmp_path / "released.ast"
    filtered = run("filter", str(recording), "--day", "2026-05-14", "--agreement",
                   str(agreement), "-o", str(released))  # fmt: skip

    # Then the replay is of that day, and the agreement (valid from 2008) lets tracks go
    assert code == 0 and dt.datetime.fromtimestamp(first["time"], dt.UTC).date() == dt.date(
        2026, 5, 14
    )
    assert filtered[0] == 0 and json.loads(filtered[1].splitlines()[-1])["updates_sent"] > 0


@pytest.mark.parametrize("day", ["2026-02-30", "29.11.2026", "2026-11-29T10:00", "20261129"])
def test_a_bad_day_is_refused_naming_the_option(
    recording: Path, day: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a day that is not one, or not written YYYY-MM-DD
    # When the analyst gives it
    with pytest.raises(SystemExit) as exit_:
        main(["alerts", str(recording), "--day", day])

    # Then argparse refuses it, naming --day and the form it takes
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "argument --day" in err and day in err and "YYYY-MM-DD" in err


def test_bad_times_are_reported_with_their_offset_and_the_read_goes_on(
    recording: Path, tmp_path: Path
) -> None:
    # Given a recording where one update says 100,000 s (no time of day) and one comes from
    # a clock five hours ahead
    records = decode(recording.read_bytes())
    bad = {100: 100_000.0, 2000: records[2000]["I070"]["ToT"] + 5 * 3600}
    for index, tod in bad.items():
        records[index] = dataclasses.replace(
            records[index], items={**records[index].items, "I070": {"ToT": tod}}
        )
    path = tmp_path / "bad-clocks.ast"
    path.write_bytes(encode(records))

    # When it is read
    err = io.StringIO()
    reports = reports_of(str(path), err, dt.date(2026, 11, 29))

    # Then both are reported at their records' offsets, and every other report is read
    lines = err.getvalue().splitlines()
    assert len(lines) == 2
    assert re.fullmatch(rf"{path}: offset \d+: time of day 100000.000 s is not one .*", lines[0])
    assert re.fullmatch(rf"{path}: offset \d+: time of day .* is 5.0 h ahead of .*", lines[1])
    assert len(reports) == len(records) - 2 and days(reports) == {dt.date(2026, 11, 29)}


def test_a_capture_keeps_its_own_dates(capsys: pytest.CaptureFixture[str]) -> None:
    # Given a pcap capture, whose packets carry the time they were captured
    capture = Path(asterix.__file__).parent / "sample_data" / "cat_062_065.pcap"

    # When it is read with --day
    err = io.StringIO()
    reports = reports_of(str(capture), err, dt.date(2026, 5, 14))

    # Then its reports stay near their capture times, and the analyst is told why
    assert reports and dt.date(2026, 5, 14) not in days(reports)
    assert "--day not used: the capture's packets carry their own dates" in err.getvalue()
