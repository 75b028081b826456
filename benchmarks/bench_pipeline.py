"""The ASDE pipeline on one core: decode -> picture update -> agreement filter -> encode.

Run with the rest of the ASDE benchmarks (`make bench-asde`) or alone:
    .venv/bin/python benchmarks/bench_pipeline.py [CAT062 FILE]

Two paths, side by side in one run, alternating, medians of REPEAT runs:
- record at a time (the reference: decode -> Record -> report_from_cat062 -> picture.update ->
  track_to_cat062 -> CompiledFilter.decide -> encode), one CAT 062 update per input report;
- a data block at a time (asde.batch, what the service runs): block -> reports ->
  picture.update -> track states -> TrackEncoder (filter and encoding for the whole block).
Both give the same bytes (tests/asde/test_batch.py); here each run's output is compared too.
Then: how the block path scales with agreement polygon size, live tracks and block size.
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from asde.agreements import CompiledFilter, agreement_from_mapping
from asde.asterix import decode, encode
from asde.batch import TrackEncoder, iter_reports, state_of
from asde.convert import SystemId, report_from_cat062, track_to_cat062
from asde.picture import AirPicture, PictureSettings
from asde.reports import Source, TargetReport

REPEAT = 5
NEAR = 1633608773.0
SYSTEM = SystemId(sac=25, sic=1)
BOX = {"type": "Polygon", "coordinates": [[[-10, 35], [30, 35], [30, 60], [-10, 60], [-10, 35]]]}


def _circle(vertices: int) -> dict:
    ring = [[10 + 20 * math.cos(2 * math.pi * i / vertices), 47 + 12 * math.sin(2 * math.pi * i / vertices)]
            for i in range(vertices)]  # fmt: skip
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _filter(area: dict | None) -> CompiledFilter | None:
    if area is None:
        return None
    return CompiledFilter(agreement_from_mapping({"partner": "XX", "valid_from": "2020-01-01",
                                                  "areas": [area], "remove_items": ["I062/380/ADR"]}))  # fmt: skip


def by_record(data: bytes, area: dict | None) -> tuple[float, int, bytes]:
    compiled = _filter(area)
    picture = AirPicture(PictureSettings(terminate_after=1e9))
    start = time.perf_counter()
    count = 0
    out = []
    for record in decode(data):
        report = report_from_cat062(record, NEAR)
        if report is None:
            continue
        count += 1
        track = picture.update(report)
        cat062 = track_to_cat062(track, SYSTEM, report.time)
        if compiled is not None:
            decision = compiled.decide(cat062, report.time)
            if not decision.sent or decision.record is None:
                continue
            cat062 = decision.record
        out.append(cat062)
    payload = encode(out)
    return count / (time.perf_counter() - start), count, payload


def reads(data: bytes, size: int = 65536) -> list[bytes]:
    """The stream as a reader gets it: whole data blocks, up to `size` bytes at a time."""
    chunks = []
    start = pos = 0
    while pos < len(data):
        length = int.from_bytes(data[pos + 1 : pos + 3], "big")
        if pos + length - start > size and pos > start:
            chunks.append(data[start:pos])
            start = pos
        pos += length
    chunks.append(data[start:pos])
    return chunks


def by_block(data: bytes, area: dict | None) -> tuple[float, int, bytes]:
    """Each read's blocks decoded together, the updates of its reports encoded together (the
    service encodes what changed in each send period the same way)."""
    encoder = TrackEncoder(SYSTEM, _filter(area))
    picture = AirPicture(PictureSettings(terminate_after=1e9))
    update = picture.update
    chunks = reads(data)
    start = time.perf_counter()
    count = 0
    out = []
    for chunk in chunks:
        states = []
        for reports in iter_reports(chunk, NEAR):
            assert isinstance(reports, list)
            states += [state_of(update(r), r.time) for r in reports]
        count += len(states)
        out.append(encoder.encode(states).payload)
    payload = b"".join(out)
    return count / (time.perf_counter() - start), count, payload


def _median(run: Callable[[], tuple[float, int, bytes]]) -> float:
    return statistics.median(run()[0] for _ in range(REPEAT))


def reblock(data: bytes, per_block: int) -> bytes:
    """The same records in data blocks of `per_block` records (a radar-scan-sized block)."""
    records = decode(data)
    return b"".join(encode(records[i : i + per_block]) for i in range(0, len(records), per_block))


def stream_of_tracks(tracks: int, updates: int) -> bytes:
    """CAT 062 updates of `tracks` live tracks, each updated in turn."""
    picture = AirPicture(PictureSettings(terminate_after=1e9))
    records = []
    for i in range(updates):
        n = i % tracks
        report = TargetReport(time=NEAR + i / 1000, source=Source.ADSB, lat=44 + (n % 120) / 10,
                              lon=14 + (n // 120) / 10, address=f"{n:06X}", callsign=f"T{n}",
                              squawk=f"{n % 4096:04o}", altitude_ft=35000.0, ground_speed_kt=450.0,
                              track_deg=float(n % 360), vertical_rate_fpm=0.0)  # fmt: skip
        records.append(track_to_cat062(picture.update(report), SYSTEM, report.time))
    return encode(records)


def picture_alone() -> None:
    """The picture's update by itself: new tracks created, then four more reports each."""
    import random

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
        rate = len(reports) / (time.perf_counter() - start)
        print(f"  {tracks:>6,} tracks {rate:>12,.0f} updates/s")


def run_pipeline(data: bytes) -> None:
    areas = [("no agreement", None), ("box (5 vertices)", BOX),
             ("circle (100 vertices)", _circle(100)), ("circle (1,000 vertices)", _circle(1000)),
             ("circle (10,000 vertices)", _circle(10000))]  # fmt: skip
    print(f"pipeline decode -> picture -> filter -> encode, {len(data):,} bytes, medians of {REPEAT}:")
    print(f"  {'agreement area':<26} {'by record':>12} {'by block':>12} {'ratio':>7}")
    for label, area in areas:
        slow, fast = [], []
        for _ in range(REPEAT):  # alternating, so that the machine's noise hits both alike
            rate, count, expected = by_record(data, area)
            slow.append(rate)
            rate, count2, payload = by_block(data, area)
            fast.append(rate)
            # The same records (the block path keeps the input's block boundaries).
            assert count == count2 and decode(payload) == decode(expected), "the paths differ"
        a, b = statistics.median(slow), statistics.median(fast)
        print(f"  {label:<26} {a:>12,.0f} {b:>12,.0f} {b / a:>6.1f}x   reports/s")
    print("block path by records per data block (box agreement; reads of 64 KiB):")
    for per_block in (10, 50, 200, 1000):
        blocks = reblock(data, per_block)
        print(f"  {per_block:>6,} {_median(lambda b=blocks: by_block(b, BOX)):>12,.0f} reports/s")
    print("block path by live tracks (box agreement; 8 updates per track, 50,000 at least):")
    for tracks in (100, 1_000, 10_000, 20_000):
        stream = stream_of_tracks(tracks, max(50_000, 8 * tracks))
        print(f"  {tracks:>6,} tracks {_median(lambda s=stream: by_block(s, BOX)):>12,.0f} reports/s")
    picture_alone()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from benchmarks.bench_asterix import SLICE, whole_blocks

    path = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/asde-quickstart-cat062.raw")
    run_pipeline(whole_blocks(path.read_bytes(), SLICE))
