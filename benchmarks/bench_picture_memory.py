"""Memory of the air picture holding 20,000 live tracks with 10 minutes of history each.

Run: .venv/bin/python benchmarks/bench_picture_memory.py   (TRACKS=20000 UPDATE_S=4)

Every track is fed one report every UPDATE_S seconds for 10 minutes (150 history points at
4 s), then the memory the picture holds is measured with tracemalloc, and the time of one
update at that size.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from asde.picture import AirPicture, PictureSettings
from asde.reports import Source, TargetReport

TRACKS = int(os.environ.get("TRACKS", "20000"))
UPDATE_S = float(os.environ.get("UPDATE_S", "4"))
MINUTES = float(os.environ.get("MINUTES", "10"))


def main() -> None:
    rng = random.Random(3)
    aircraft = [(f"{i:06X}", rng.uniform(44, 56), rng.uniform(14, 40), rng.uniform(0, 360))
                for i in range(1, TRACKS + 1)]  # fmt: skip
    tracemalloc.start()
    picture = AirPicture(PictureSettings(history_seconds=MINUTES * 60, terminate_after=1e9))
    steps = int(MINUTES * 60 / UPDATE_S)
    timings = []
    for step in range(steps):
        t = step * UPDATE_S
        start = time.perf_counter()
        for address, lat, lon, course in aircraft:
            picture.update(TargetReport(time=t + rng.random(), source=Source.ADSB, lat=lat + step * 1e-3,
                                        lon=lon + step * 1e-3, address=address, squawk="2000",
                                        altitude_ft=35000, ground_speed_kt=450, track_deg=course))  # fmt: skip
        timings.append((time.perf_counter() - start) / TRACKS)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    points = sum(len(track.history) for track in picture)
    print(
        f"tracks: {len(picture):,}, history points: {points:,} ({points / len(picture):.0f} per track)"
    )
    print(
        f"memory held: {current / 2**20:.1f} MiB ({current / len(picture) / 1024:.1f} KiB per track), "
        f"peak {peak / 2**20:.1f} MiB"
    )
    print(
        f"one update at this size: median {statistics.median(timings) * 1e6:.1f} µs "
        f"({1 / statistics.median(timings):,.0f} updates/s, tracemalloc on)"
    )


if __name__ == "__main__":
    main()
