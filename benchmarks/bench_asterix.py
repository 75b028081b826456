"""ASTERIX decoding against asterix-decoder, and the ASDE pipeline, side by side.

Run: make bench-asde  (or .venv/bin/python benchmarks/bench_asterix.py)

1. The quickstart recording (238 flights, 284,505 state vectors) is run through the air
   picture and written as CAT 062 system track updates, one per state vector.
2. The same bytes are decoded by asde.asterix.decode and by asterix-decoder's Python API
   (asterix.parse, verbose=False), alternately, REPEAT times; medians and the ratio.
3. The pipeline decode -> picture update -> agreement filter -> encode, in target reports per
   second on one core, for several picture sizes and agreement polygon sizes.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = Path(
    os.environ.get("TRAFFIC_SAMPLES", ROOT.parent / "shared" / "data" / "traffic-samples")
)
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
SLICE = int(os.environ.get("BENCH_BYTES", "2000000"))  # bytes of CAT 062 decoded per run


def build_stream() -> bytes:
    from asde.asterix import encode
    from asde.convert import SystemId, track_to_cat062
    from asde.inputs.opensky import read_states
    from asde.picture import AirPicture

    picture = AirPicture()
    system = SystemId(sac=25, sic=100)
    records = []
    for report in read_states(SAMPLES / "quickstart.json.gz"):
        records.append(track_to_cat062(picture.update(report), system, report.time))
    return encode(records)


def whole_blocks(data: bytes, limit: int) -> bytes:
    pos = 0
    while pos < len(data):
        length = int.from_bytes(data[pos + 1 : pos + 3], "big")
        if pos + length > limit:
            break
        pos += length
    return data[:pos]


def timed(fn, data: bytes) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    gc.collect()
    start = time.perf_counter()
    count = len(fn(data))
    return time.perf_counter() - start, count


def main() -> None:
    import asterix

    from asde.asterix import decode

    cache = Path(os.environ.get("BENCH_CACHE", "/tmp/asde-quickstart-cat062.raw"))
    if not cache.exists():
        cache.write_bytes(build_stream())
    stream = cache.read_bytes()
    data = whole_blocks(stream, SLICE)
    ours, theirs = [], []
    for _ in range(REPEAT):
        seconds, count = timed(decode, data)
        ours.append(count / seconds)
        seconds, count2 = timed(lambda d: asterix.parse(d, verbose=False), data)
        theirs.append(count2 / seconds)
        assert count == count2
    a, b = statistics.median(ours), statistics.median(theirs)
    print(
        f"CAT 062 stream: {len(stream):,} bytes; decoded slice {len(data):,} bytes, {count:,} records"
    )
    print(f"asde.asterix.decode      median {a:>10,.0f} records/s")
    print(f"asterix-decoder (parse)  median {b:>10,.0f} records/s")
    print(f"ratio                    {a / b:.2f}x   ({REPEAT} alternating runs)")
    if len(sys.argv) > 1 and sys.argv[1] == "--decode-only":
        return
    from benchmarks.bench_pipeline import run_pipeline

    run_pipeline(data)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
