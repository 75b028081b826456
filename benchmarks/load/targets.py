"""Writes targets.json: which records the load test's users open (by the data set's own ids)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1])]
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.load.settings"


REPORT_YEAR = 2026  # dataset.REPORT_YEAR


def main() -> None:
    import django

    django.setup()
    from partnership.anp.models import Measure
    from partnership.framework.models import Meeting
    from partnership.trustfunds.models import Project

    # Reporters file on the year in progress (not yet assessed: an assessed year's reports are
    # fixed); coordinators, Allies and the NUC report read the last assessed year.
    measures = list(
        Measure.objects.filter(programme__year=REPORT_YEAR, agency__slug="ua-mod")
        .order_by("pk")
        .values_list("pk", flat=True)[:50]
    )
    meetings = list(
        Meeting.objects.filter(marking="PUBLIC").order_by("pk").values_list("pk", flat=True)[:200]
    )
    projects = list(
        Project.objects.filter(slug__startswith="bench-")
        .order_by("pk")
        .values_list("slug", flat=True)
    )
    targets = {
        "year": 2025,
        "report_year": REPORT_YEAR,
        "measures": measures,
        "meetings": meetings,
        "projects": projects[:100],
        "funds": [f"bench-fund-{n}" for n in range(10)],
    }
    Path(sys.argv[1]).write_text(json.dumps(targets))
    print(f"targets: {len(measures)} measures, {len(meetings)} meetings, {len(projects)} projects")


if __name__ == "__main__":
    main()
