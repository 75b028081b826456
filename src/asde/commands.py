"""The offline verbs of `asde`: alerts, filter, simulate and replay."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from asde.agreements import CompiledFilter, load_agreement
from asde.alerts import AlertEngine, AlertSettings, evaluate_picture
from asde.asterix import DecodeError, Record, encode
from asde.asterix.readers import read
from asde.batch import iter_reports
from asde.convert import (
    SystemId,
    report_to_cat021,
    track_to_cat062,
)
from asde.inputs.opensky import read_states
from asde.inputs.readsb import from_trace
from asde.picture import AirPicture
from asde.reports import Source, TargetReport
from asde.sim import load_scenario, replay_times, simulate
from asde.timeline import Timeline


def reports_of(path: str, err: TextIO, day: dt.date | None = None) -> list[TargetReport]:
    """Reports from a scenario (.yaml), a recording (.json / .json.gz) or ASTERIX.

    ASTERIX holds times of day only: a raw recording is placed on one timeline, its first
    report on `day` (UTC) or, without it, on the last day that does not put it after the
    moment read, each later one from the recording's own latest time (asde.timeline says
    why). A pcap capture's packets
    carry the time they were captured, a date each: they are placed near it, as live data
    near its receive time."""
    source = Path(path)
    asterix = not source.name.endswith((".yaml", ".yml", ".json.gz", ".json"))
    if day is not None and not asterix:
        err.write(f"{path}: --day is for ASTERIX recordings; this file carries its own dates\n")
    if source.suffix in (".yaml", ".yml"):
        return simulate(load_scenario(source))
    if not asterix:
        if "trace" in source.name:
            return list(from_trace(json.loads(source.read_text(encoding="utf-8"))))
        return list(read_states(source))
    timeline = Timeline.read_at(time.time()) if day is None else Timeline.on_day(day)
    reports: list[TargetReport] = []
    captured = False
    for chunk in read(source.read_bytes()):
        near: float | Timeline = timeline
        if chunk.timestamp is not None:
            near, captured = chunk.timestamp, True
        for block in iter_reports(chunk.data, near):
            if isinstance(block, DecodeError):
                err.write(f"{path}: offset {chunk.offset + block.offset}: {block.reason}\n")
                continue
            reports += block
    if captured and day is not None:
        err.write(f"{path}: --day not used: the capture's packets carry their own dates\n")
    return reports


def alerts(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    reports = reports_of(args.input, err, args.day)
    settings = AlertSettings()
    if args.input.endswith((".yaml", ".yml")):
        settings = load_scenario(Path(args.input)).alert_settings
    engine = AlertEngine(settings)
    progress = tqdm(reports, desc="alerts", unit=" reports", disable=not args.progress, file=err)
    raised = evaluate_picture(progress, engine)
    for alert in raised:
        out.write(json.dumps(alert.to_json(), ensure_ascii=False) + "\n")
    err.write(f"{len(reports)} reports, {len(raised)} alerts\n")
    return 0


def filter_(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    agreement = load_agreement(Path(args.agreement))
    compiled = CompiledFilter(agreement)
    reports = reports_of(args.input, err, args.day)
    picture = AirPicture()
    system = SystemId(sac=args.sac, sic=args.sic)
    sent: list[Record] = []
    withheld: dict[str, int] = {}
    for report in tqdm(
        reports, desc="filter", unit=" reports", disable=not args.progress, file=err
    ):
        track = picture.update(report)
        decision = compiled.decide(track_to_cat062(track, system, report.time), report.time)
        line: dict[str, object] = {"track": track.number, "callsign": track.callsign}
        line["sent"] = decision.sent
        if decision.sent and decision.record is not None:
            sent.append(decision.record)
            line["removed"] = decision.removed
        else:
            withheld[decision.reason] = withheld.get(decision.reason, 0) + 1
            line["reason"] = decision.reason
        if args.verbose:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
    summary = {
        "agreement": agreement.name or args.agreement,
        "version": agreement.version,
        "reports": len(reports),
        "updates_sent": len(sent),
        "tracks_sent": sorted({r["I040"]["TrkN"] for r in sent}),
        "items_removed": list(agreement.remove_items),
        "withheld": withheld,
    }
    out.write(json.dumps(summary, ensure_ascii=False) + "\n")
    if args.output:
        Path(args.output).write_bytes(encode(sent))
    return 0


def sbs_line(report: TargetReport) -> str:
    """A position report as a BaseStation MSG,3 line."""
    stamp = dt.datetime.fromtimestamp(report.time, dt.UTC)
    day, clock = stamp.strftime("%Y/%m/%d"), stamp.strftime("%H:%M:%S.%f")[:-3]
    fields = [
        "MSG", "3", "1", "1", report.address or "", "1", day, clock, day, clock,
        report.callsign or "", str(int(report.altitude_ft or 0)),
        f"{report.ground_speed_kt or 0:.0f}", f"{report.track_deg or 0:.1f}",
        f"{report.lat:.5f}", f"{report.lon:.5f}", f"{report.vertical_rate_fpm or 0:.0f}",
        report.squawk or "", "0", "1" if report.emergency else "0", "0", "0",
    ]  # fmt: skip
    return ",".join(fields)


def simulate_(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    scenario = load_scenario(Path(args.scenario))
    reports = simulate(scenario)
    if args.format == "sbs":
        for report in reports:
            if report.address is not None:
                out.write(sbs_line(report) + "\n")
    elif args.format == "cat021":
        system = SystemId(sac=args.sac, sic=args.sic)
        adsb = [report_to_cat021(r, system) for r in reports if r.source == Source.ADSB]
        data = encode([r for r in adsb if r is not None])
        if args.output:
            Path(args.output).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
    else:
        picture = AirPicture()
        system = SystemId(sac=args.sac, sic=args.sic)
        data = encode([track_to_cat062(picture.update(r), system, r.time) for r in reports])
        if args.output:
            Path(args.output).write_bytes(data)
        else:
            sys.stdout.buffer.write(data)
    err.write(f"{scenario.name}: {len(reports)} reports\n")
    return 0


def replay(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    reports = sorted(reports_of(args.input, err, args.day), key=lambda r: r.time)
    picture = AirPicture()
    count = 0
    for wait, report in replay_times(reports, args.speed or 1.0):
        if args.speed > 0 and wait > 0:
            time.sleep(min(wait, 5.0))
        track = picture.update(report)
        count += 1
        if count % args.every == 0:
            out.write(json.dumps({
                "time": report.time, "track": track.number, "callsign": track.callsign,
                "lat": track.lat, "lon": track.lon, "alt_ft": track.altitude_ft,
                "tracks": len(picture),
            }) + "\n")  # fmt: skip
        if args.limit and count >= args.limit:
            break
    err.write(f"{count} reports replayed, {len(picture)} tracks\n")
    return 0
