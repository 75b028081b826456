"""The ten-year data set in DATABASE_URL: 10 ANP years × 450 measures (4 quarterly reports each,
each year assessed by the Allies) and the year being reported (REPORT_YEAR: not yet assessed,
so its reports may still be filed and corrected),
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


REPORT_YEAR = 2026


def _year_being_reported() -> None:
    """The programme of the year in progress: approved and reported on, not yet assessed (the
    Allies assess a year once it is over), which is where the reporters of the load test file."""
    import bench_anp

    from partnership.anp.generate import generate_year
    from partnership.core.models import Organization, OrganizationKind, User

    generate_year(
        year=REPORT_YEAR,
        measures=bench_anp.MEASURES,
        # The agencies bench_anp.setup() spread the other years over, in the same order.
        agencies=list(Organization.objects.filter(kind=OrganizationKind.PARTNER_INSTITUTION)),
        reporter=User.objects.get(username="ua-reporter"),
    )


def main() -> None:
    started = time.perf_counter()
    import bench_anp  # migrate, factsheet, demo users, ten ANP years
    import bench_releasability
    import bench_trustfunds
    from django.db import transaction

    bench_anp.setup()
    _year_being_reported()
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
