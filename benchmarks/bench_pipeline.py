"""The ASDE pipeline on one core: decode -> picture update -> agreement filter -> encode."""

from __future__ import annotations

import statistics
import time

from asde.asterix import decode, encode
from asde.convert import SystemId, report_from_cat062, track_to_cat062
from asde.picture import AirPicture, PictureSettings


def run_pipeline(data: bytes, repeat: int = 3) -> None:
    records = decode(data)
    near = 1633608773.0
    system = SystemId(sac=25, sic=1)
    rates = []
    for _ in range(repeat):
        picture = AirPicture(PictureSettings(terminate_after=1e9))
        start = time.perf_counter()
        out = []
        for record in decode(data):
            report = report_from_cat062(record, near)
            if report is None:
                continue
            track = picture.update(report)
            out.append(track_to_cat062(track, system, report.time))
        encode(out)
        rates.append(len(records) / (time.perf_counter() - start))
    print(f"pipeline decode->picture->encode: median {statistics.median(rates):,.0f} reports/s "
          f"({len(records):,} reports, {repeat} runs)")
