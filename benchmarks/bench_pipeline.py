"""The ASDE pipeline on one core: decode -> picture update -> agreement filter -> encode.

Also run alone: .venv/bin/python benchmarks/bench_pipeline.py
It reports reports/s for agreements of growing polygon size and for pictures of growing size.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

from asde.agreements import CompiledFilter, agreement_from_mapping
from asde.asterix import decode, encode
from asde.convert import SystemId, report_from_cat062, track_to_cat062
from asde.picture import AirPicture, PictureSettings
from asde.reports import Source, TargetReport

BOX = {"type": "Polygon", "coordinates": [[[-10, 35], [30, 35], [30, 60], [-10, 60], [-10, 35]]]}


def _circle(vertices: int) -> dict:
    import math

    ring = [[10 + 20 * math.cos(2 * math.pi * i / vertices), 47 + 12 * math.sin(2 * math.pi * i / vertices)]
            for i in range(vertices)]  # fmt: skip
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _filter(area: dict) -> CompiledFilter:
    return CompiledFilter(agreement_from_mapping({"partner": "XX", "valid_from": "2020-01-01",
                                                  "areas": [area], "remove_items": ["I062/380/ADR"]}))  # fmt: skip


def run_once(data: bytes, compiled: CompiledFilter | None) -> float:
    near = 1633608773.0
    system = SystemId(sac=25, sic=1)
    picture = AirPicture(PictureSettings(terminate_after=1e9))
    start = time.perf_counter()
    count = 0
    out = []
    for record in decode(data):
        report = report_from_cat062(record, near)
        if report is None:
            continue
        count += 1
        track = picture.update(report)
        cat062 = track_to_cat062(track, system, report.time)
        if compiled is not None:
            decision = compiled.decide(cat062, report.time)
            if not decision.sent or decision.record is None:
                continue
            cat062 = decision.record
        out.append(cat062)
    encode(out)
    return count / (time.perf_counter() - start)


def run_pipeline(data: bytes, repeat: int = 3) -> None:
    rows = [("no agreement", None), ("box (5 vertices)", _filter(BOX)),
            ("circle (100 vertices)", _filter(_circle(100))),
            ("circle (1,000 vertices)", _filter(_circle(1000))),
            ("circle (10,000 vertices)", _filter(_circle(10000)))]  # fmt: skip
    print("pipeline decode -> picture -> filter -> encode, quickstart slice:")
    for label, compiled in rows:
        rate = statistics.median(run_once(data, compiled) for _ in range(repeat))
        print(f"  {label:<26} {rate:>10,.0f} reports/s")
    print("picture update alone, by the number of live tracks:")
    for tracks in (100, 1_000, 10_000, 20_000):
        rng = random.Random(1)
        picture = AirPicture(PictureSettings(terminate_after=1e9, history_seconds=60))
        reports = [TargetReport(time=i / tracks, source=Source.ADSB, lat=rng.uniform(44, 56),
                                lon=rng.uniform(14, 40), address=f"{i % tracks:06X}", altitude_ft=35000)
                   for i in range(tracks * 5)]  # fmt: skip
        start = time.perf_counter()
        for report in reports:
            picture.update(report)
        print(
            f"  {tracks:>6,} tracks {len(reports) / (time.perf_counter() - start):>12,.0f} updates/s"
        )


if __name__ == "__main__":
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/asde-quickstart-cat062.raw")
    from benchmarks.bench_asterix import whole_blocks

    run_pipeline(whole_blocks(path.read_bytes(), 2_000_000))
