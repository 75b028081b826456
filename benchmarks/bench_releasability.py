"""How much the releasability selector costs on lists of 5,000 records.

Run: make bench   (or: .venv/bin/python benchmarks/bench_releasability.py)

Builds a throwaway SQLite database (or uses DATABASE_URL), loads the factsheet and the demo
users, adds 5,000 meetings and 5,000 action items with every marking, then times, side by side
and repeatedly, the same list read without the selector and through it for each kind of user.
Reports medians and ratios, since the machines are shared and noisy.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PARTNERSHIP_DATA_DIR", tempfile.mkdtemp(prefix="partnership-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from partnership.core.models import Organization, User  # noqa: E402
from partnership.core.selectors import visible_to  # noqa: E402
from partnership.framework.models import ActionItem, Body, Meeting  # noqa: E402

ROWS = int(os.environ.get("BENCH_ROWS", "5000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "25"))
MARKINGS = [("PUBLIC", ""), ("PARTNERSHIP", ""), ("NATO", ""), ("NATIONS", ",LT,UA,"),
            ("NATIONS", ",US,")]  # fmt: skip


def setup() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_factsheet", "--no-progress", verbosity=0)
    call_command("demo_users", verbosity=0)
    if Meeting.objects.count() >= ROWS:
        return
    rng = random.Random(42)
    nuc = Body.objects.get(slug="nuc")
    owner = Organization.objects.get(slug="ua-mod")
    meetings, items = [], []
    for n in range(ROWS):
        marking, nations = rng.choice(MARKINGS)
        meetings.append(Meeting(body=nuc, level="experts", title_en=f"Bench meeting {n}",
                                date=f"20{10 + n % 16}-{1 + n % 12:02d}", marking=marking, releasable_to=nations))  # fmt: skip
        items.append(ActionItem(title_en=f"Bench action {n}", owner=owner, marking=marking,
                                releasable_to=nations))  # fmt: skip
    Meeting.objects.bulk_create(meetings, batch_size=500)
    ActionItem.objects.bulk_create(items, batch_size=500)


def median_ms(fn: Callable[[], object]) -> float:
    fn()  # warm
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    setup()
    users = {
        "anonymous": AnonymousUser(),
        "nato-editor": User.objects.get(username="nato-editor"),
        "ally-assessor": User.objects.get(username="ally-assessor"),
        "ua-viewer": User.objects.get(username="ua-viewer"),
    }
    rows = []
    for label, model in (("meetings", Meeting), ("action items", ActionItem)):
        base = median_ms(lambda model=model: list(model.objects.all().values_list("pk", "marking")))
        rows.append((f"{label}: all rows, no selector", base, 1.0, model.objects.count()))
        for name, user in users.items():

            def read(model=model, user=user) -> list[object]:
                return list(visible_to(user, model.objects.all()).values_list("pk", "marking"))

            ms = median_ms(read)
            rows.append((f"{label}: visible_to({name})", ms, ms / base, len(read())))
    client = Client()
    client.force_login(users["ua-viewer"])
    for path in ("/en/framework/meetings/", "/api/action-items"):
        assert client.get(path).status_code == 200, path
    page = median_ms(lambda: client.get("/en/framework/meetings/"))
    api = median_ms(lambda: client.get("/api/action-items"))
    rows.append(("page /en/framework/meetings/ (50 per page), ua-viewer", page, None, None))
    rows.append(("API /api/action-items (all visible), ua-viewer", api, None, None))
    print(f"database: {django.db.connection.vendor}, rows: {ROWS}, repeats: {REPEAT}")
    print(f"{'what':<56} {'median ms':>10} {'ratio':>7} {'rows':>6}")
    for what, ms, ratio, count in rows:
        ratio_text = f"{ratio:.2f}" if ratio is not None else ""
        print(f"{what:<56} {ms:>10.2f} {ratio_text:>7} {count if count is not None else '':>6}")


if __name__ == "__main__":
    main()
