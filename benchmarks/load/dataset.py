"""The ten-year data set in DATABASE_URL: 10 ANP years × 450 measures (4 quarterly reports each),
100,000 trust-fund transactions (50 funds × 10 projects × 200), 5,000 meetings, the factsheet,
the demo users. Made by the generators of the other benchmarks, so that all measure one data set.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent)]
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.load.settings"


def main() -> None:
    started = time.perf_counter()
    import bench_anp  # migrate, factsheet, demo users, ten ANP years
    import bench_releasability
    import bench_trustfunds
    from django.db import transaction

    bench_anp.setup()
    print(f"ANP: {time.perf_counter() - started:.0f} s", flush=True)
    bench_releasability.setup()  # 5,000 meetings and action items over the five markings
    with transaction.atomic():
        bench_trustfunds.generate()
    from partnership.anp.models import Measure
    from partnership.framework.models import Meeting
    from partnership.trustfunds.models import Transaction

    print(
        f"data set: {Measure.objects.count()} measures, {Transaction.objects.count()} "
        f"transactions, {Meeting.objects.count()} meetings in {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
