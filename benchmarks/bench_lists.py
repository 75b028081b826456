"""List export at 10,000 rows: CSV and XLSX, English and Ukrainian, SQLite and PostgreSQL.

Run: make bench-lists   (or: .venv/bin/python benchmarks/bench_lists.py;
     PostgreSQL: PARTNERSHIP_PG_PORT=543xx scripts/with-postgres.sh .venv/bin/python
     benchmarks/bench_lists.py)

Builds a throwaway SQLite database (or uses DATABASE_URL), loads the factsheet and the demo
users, bulk-adds 10,000 action items (every marking, most with a deadline, so the export
writes dates), then fetches the action-item list's export through Django's test client as
NATO staff (who see every row), `BENCH_REPEAT` times per format and language after one
warm-up, and prints the medians. `bench_search.py` times the same export over its larger data
set with `time_exports`.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PARTNERSHIP_DATA_DIR", tempfile.mkdtemp(prefix="partnership-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from partnership.core.models import Organization, User  # noqa: E402
from partnership.framework.models import ActionItem  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
GOAL_S = 5.0
MARKINGS = [("PUBLIC", ""), ("PARTNERSHIP", ""), ("NATO", ""), ("NATIONS", ",LT,UA,"),
            ("NATIONS", ",US,")]  # fmt: skip


def setup() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_factsheet", "--no-progress", verbosity=0)
    call_command("demo_users", verbosity=0)
    have = ActionItem.objects.filter(title_en__startswith="Bench export").count()
    owner = Organization.objects.get(slug="ua-mod")
    start = dt.date(2015, 1, 1)
    ActionItem.objects.bulk_create(
        (
            ActionItem(
                title_en=f"Bench export {n}: follow up the reform of area {n % 40}",
                title_uk=f"Експорт {n}: продовжити реформу сфери {n % 40}",
                owner=owner,
                deadline=None if n % 7 == 0 else start + dt.timedelta(days=n % 4000),
                marking=MARKINGS[n % 5][0],
                releasable_to=MARKINGS[n % 5][1],
            )
            for n in range(have, ROWS)
        ),
        batch_size=1000,
    )


def time_exports(client: Client, *, repeat: int = REPEAT) -> dict[tuple[str, str], list[float]]:
    """Seconds per export of the whole action-item list, by (language, format)."""
    out: dict[tuple[str, str], list[float]] = {}
    for language in ("en", "uk"):
        for fmt in ("csv", "xlsx"):
            url = f"/{language}/framework/action-items/"
            client.get(url, {"export": fmt})  # warm-up
            times = []
            for _ in range(repeat):
                started = time.perf_counter()
                response = client.get(url, {"export": fmt})
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, response.status_code
            out[(language, fmt)] = times
    return out


def main() -> None:
    setup()
    client = Client()
    client.force_login(User.objects.get(username="nato-editor"))
    rows = ActionItem.objects.count()
    vendor = connection.vendor
    print(f"{vendor}: export of {rows:,} action items, median of {REPEAT} (goal < {GOAL_S} s)")
    for (language, fmt), times in time_exports(client).items():
        median = statistics.median(times)
        verdict = "ok" if median < GOAL_S else "OVER"
        print(f"  {language} {fmt:4}  median {median:5.2f} s  min {min(times):5.2f}  "
              f"max {max(times):5.2f}  {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
