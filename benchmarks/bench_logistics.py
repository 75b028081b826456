"""Stock as of a date from 1,000,000 movements, and the holdings page against a bare view.

Run: make bench-logistics   (or: .venv/bin/python benchmarks/bench_logistics.py)

Builds a throwaway SQLite database (or uses DATABASE_URL), loads the factsheet, the demo
users and the logistics demo (three places, three codified items), then bulk-writes
1,000,000 movements of one item (the demo battery) over 36 years: each day a receipt of 3
into the central depot, a transfer of 2 to the western depot and an issue of 1 to the
battalion, repeated, so that no balance is ever below zero, as the services would keep it.
Today's balances are then rebuilt from the movements (`services.stock_balance_rebuild`).

It times `selectors.stock_of` for that item at each place as of a date in the middle and as
of today (median of 7), and, through Django's test client with the logistician's session,
the holdings page as of today and as of a month ago, alternating with a bare view (a plain
function view reading 50 movements in one ORM query into the base template).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PARTNERSHIP_DATA_DIR", tempfile.mkdtemp(prefix="partnership-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import _timing  # noqa: E402  (benchmarks/_timing.py, beside this file)
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402
from django.utils import timezone  # noqa: E402

import partnership.urls  # noqa: E402
from partnership.core.models import User  # noqa: E402
from partnership.logistics import selectors, services  # noqa: E402
from partnership.logistics.models import Location, Movement, SupplyItem  # noqa: E402

MOVEMENTS = int(os.environ.get("BENCH_MOVEMENTS", "1000000"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
BARE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<table>{% for m in rows %}<tr><td>'
    "{{ m.occurred_on }}</td><td>{{ m.kind }}</td><td>{{ m.quantity }}</td></tr>{% endfor %}"
    "</table>{% endblock %}"
)


def bare(request: HttpRequest) -> HttpResponse:
    rows = Movement.objects.order_by("-occurred_on", "-id")[:50]
    return HttpResponse(BARE.render({"rows": rows}, request))


def setup() -> SupplyItem:
    call_command("migrate", verbosity=0)
    call_command("load_factsheet", "--no-progress", verbosity=0)
    call_command("demo_users", verbosity=0)
    call_command("load_logistics", "--demo", verbosity=0)
    battery = SupplyItem.objects.get(references__reference="6ST-190A")
    if Movement.objects.filter(item=battery).count() < MOVEMENTS:
        generate(battery)
    return battery


def generate(item: SupplyItem) -> None:
    places = {p.code: p for p in Location.objects.all()}
    central, west, unit = (
        places["depot-central-1"], places["depot-west-2"], places["unit-logistics-bn"]
    )  # fmt: skip
    user = User.objects.get(username="ua-logistician")
    first = timezone.localdate() - dt.timedelta(days=36 * 365)
    per_day = max(MOVEMENTS // (36 * 365), 3) // 3 * 3
    pattern = (("receipt", 3, None, central), ("transfer", 2, central, west),
               ("issue", 1, west, unit))  # fmt: skip
    batch: list[Movement] = []
    with transaction.atomic():
        for n in range(MOVEMENTS):
            kind, qty, src, dst = pattern[n % 3]
            batch.append(
                Movement(
                    item=item,
                    kind=kind,
                    quantity=Decimal(qty),
                    from_location=src,
                    to_location=dst,
                    occurred_on=first + dt.timedelta(days=n // per_day),
                    recorded_by=user,
                    marking="NATIONS",
                    releasable_to=",UA,",
                )
            )
            if len(batch) == 10_000:
                Movement.objects.bulk_create(batch)
                batch = []
        Movement.objects.bulk_create(batch)
    services.stock_balance_rebuild(item=item)


def main() -> None:
    started = time.perf_counter()
    battery = setup()
    count = Movement.objects.filter(item=battery).count()
    print(f"data ready in {time.perf_counter() - started:.1f} s: {count:,} movements of one item")
    places = list(Location.objects.all())
    today = timezone.localdate()
    middle = today - dt.timedelta(days=18 * 365)
    for label, on in (("middle of the record", middle), ("today", today)):

        def all_places(on: dt.date = on) -> list[Decimal]:
            return [selectors.stock_of(item=battery, location=p, on=on) for p in places]

        ms = _timing.median_ms(all_places, REPEAT) / len(places)
        print(f"stock_of one item at one place as of {label} ({on}): median {ms:.1f} ms "
              f"({', '.join(str(q) for q in all_places())})")  # fmt: skip
    partnership.urls.urlpatterns.append(path("bench/bare/", bare))
    clear_url_caches()
    client = Client()
    client.force_login(User.objects.get(username="ua-logistician"))
    month_ago = (today - dt.timedelta(days=30)).isoformat()
    print(f"database: {connection.vendor}; repeats: {REPEAT}")
    print(f"{'page':<34} {'median ms':>10} {'x bare':>7} {'queries':>8}")
    for name, url in (
        ("holdings today", "/en/logistics/holdings/"),
        ("holdings a month ago", f"/en/logistics/holdings/?on={month_ago}"),
        ("item page (battery)", f"/en/logistics/items/{battery.nsn}/"),
    ):
        base = _timing.median_ms(lambda: client.get("/bench/bare/"), REPEAT)
        ms = _timing.median_ms(lambda u=url: client.get(u), REPEAT)
        again = _timing.median_ms(lambda: client.get("/bench/bare/"), REPEAT)
        ratio = ms / ((base + again) / 2)
        print(f"{name:<34} {ms:>10.2f} {ratio:>7.2f} {_timing.queries(client, url):>8}"
              f"   (bare {base:.2f} ms)")  # fmt: skip


if __name__ == "__main__":
    main()
