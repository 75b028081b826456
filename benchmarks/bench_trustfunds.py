"""Trust-fund pages and the IATI export at 50 funds, 500 projects and 100,000 transactions.

Run: make bench-trustfunds   (or: .venv/bin/python benchmarks/bench_trustfunds.py)

Builds a throwaway SQLite database (or uses DATABASE_URL), loads the factsheet and the demo
users, then bulk-writes 50 funds of 10 projects each and 200 transactions per project
(pledges, commitments, payments in EUR, USD and GBP, disbursements and expenditure kept within
what was received, so the books are as the services would keep them), with three indicators
and yearly measurements per project. Then, through Django's test client with a NATO editor's
session, alternately with a bare view (a plain function view on the same server that reads 50
transactions with one ORM query into the base template), it times the fund list, a fund page,
a project page and its donor report (HTML), counts their queries for a project with 200 and
with 20 transactions, and times the IATI export of every project, validation included.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
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

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402

import partnership.urls  # noqa: E402
from partnership.core.models import Indicator, Measurement, Organization, User  # noqa: E402
from partnership.trustfunds import iati  # noqa: E402
from partnership.trustfunds.models import (  # noqa: E402
    ExchangeRate,
    Kind,
    Project,
    Transaction,
    TrustFund,
)
from partnership.trustfunds.services import running_totals_refresh  # noqa: E402

FUNDS, PROJECTS_PER_FUND, PER_PROJECT = 50, 10, 200
REPEAT = int(os.environ.get("BENCH_REPEAT", "20"))
BARE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<table>{% for t in rows %}<tr><td>{{ t.date }}'
    "</td><td>{{ t.kind }}</td><td>{{ t.amount }}</td></tr>{% endfor %}</table>{% endblock %}"
)


def bare(request: HttpRequest, slug: str) -> HttpResponse:
    rows = Transaction.objects.filter(project__slug=slug).order_by("-date")[:50]
    return HttpResponse(BARE.render({"rows": rows}, request))


def setup() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_factsheet", "--no-progress", verbosity=0)
    call_command("demo_users", verbosity=0)
    with transaction.atomic():
        generate()


def generate() -> None:
    if TrustFund.objects.filter(slug="bench-fund-0").exists():
        return
    rng = random.Random(7)
    orgs = {o.slug: o for o in Organization.objects.all()}
    donors = [
        (orgs[s], c)
        for s, c in (("us", "USD"), ("gb", "GBP"), ("de", "EUR"), ("nl", "EUR"), ("ca", "EUR"))
    ]
    start = dt.date(2010, 1, 1)
    ExchangeRate.objects.bulk_create(
        ExchangeRate(currency=c, date=start + dt.timedelta(days=d), eur_per_unit=r, source="bench")
        for c, r in (("USD", Decimal("0.8")), ("GBP", Decimal("1.2")))
        for d in range(0, 3650)
    )
    kind_type = ContentType.objects.get_for_model(Project)
    for f in range(FUNDS):
        fund = TrustFund.objects.create(
            slug=f"bench-fund-{f}",
            name_en=f"Bench fund {f}",
            partner=orgs["ua"],
            executing_agent=orgs["nspa"],
            marking="PUBLIC",
        )
        fund.lead_nations.add(orgs["us"])
        for p in range(PROJECTS_PER_FUND):
            slug = f"bench-{f}-{p}"
            project = Project.objects.create(
                fund=fund,
                slug=slug,
                iati_identifier=f"XI-PARTNERSHIP-{slug}",
                title_en=f"Bench project {slug}",
                status="2",
                period="2010/2019",
                budget_eur=Decimal(5_000_000),
                marking="PUBLIC",
            )
            rows, received = [], Decimal(0)
            day = 0
            n = PER_PROJECT if (f, p) != (0, 1) else 20
            while len(rows) < n:
                day += rng.randint(1, 15)
                date = start + dt.timedelta(days=day % 3650)
                org, currency = rng.choice(donors)
                rate = {"USD": Decimal("0.8"), "GBP": Decimal("1.2")}.get(currency, Decimal(1))
                amount = Decimal(rng.randint(10, 200) * 1000)
                for kind in (Kind.PLEDGE, Kind.COMMITMENT, Kind.PAYMENT):
                    rows.append(
                        Transaction(
                            project=project,
                            kind=kind,
                            date=date,
                            organization=org,
                            currency=currency,
                            amount=amount,
                            rate=rate,
                            amount_eur=amount * rate,
                            marking="PUBLIC",
                        )
                    )
                received += amount * rate
                spend = (received * Decimal("0.3")).quantize(Decimal("0.01"))
                received -= spend
                rows.append(
                    Transaction(
                        project=project,
                        kind=Kind.DISBURSEMENT,
                        date=date,
                        organization=orgs["ua-mod"],
                        currency="EUR",
                        amount=spend,
                        rate=1,
                        amount_eur=spend,
                        marking="PUBLIC",
                    )
                )
            Transaction.objects.bulk_create(rows[:n], batch_size=1000)
            running_totals_refresh(project)
            for name in ("Tons destroyed", "Small arms destroyed", "Staff trained"):
                indicator = Indicator.objects.create(
                    subject_type=kind_type,
                    subject_id=project.pk,
                    name_en=name,
                    unit="t",
                    target=Decimal(10000),
                    marking="PUBLIC",
                )
                Measurement.objects.bulk_create(
                    Measurement(
                        indicator=indicator,
                        period=str(y),
                        actual=Decimal(900 * (y - 2009)),
                        period_start=dt.date(y, 1, 1),
                        period_end=dt.date(y, 12, 31),
                    )
                    for y in range(2010, 2016)
                )


def median_ms(fn: Callable[[], object]) -> float:
    return _timing.median_ms(fn, REPEAT)


queries = _timing.queries


def main() -> None:
    started = time.perf_counter()
    setup()
    print(
        f"data ready in {time.perf_counter() - started:.1f} s: {TrustFund.objects.count()} funds, "
        f"{Project.objects.count()} projects, {Transaction.objects.count():,} transactions"
    )
    partnership.urls.urlpatterns.append(path("bench/bare/<slug:slug>/", bare))
    clear_url_caches()
    client = Client()
    client.force_login(User.objects.get(username="nato-editor"))
    pages = {
        "fund list": ("/en/trust-funds/", "/en/trust-funds/"),
        "fund page (10 projects)": (
            "/en/trust-funds/bench-fund-3/",
            "/en/trust-funds/bench-fund-0/",
        ),
        "project page": (
            "/en/trust-funds/projects/bench-3-4/",
            "/en/trust-funds/projects/bench-0-1/",
        ),
        "donor report (HTML)": (
            "/en/trust-funds/projects/bench-3-4/donor-report.html",
            "/en/trust-funds/projects/bench-0-1/donor-report.html",
        ),
    }
    rows = []
    for name, (url, small) in pages.items():
        base = median_ms(lambda: client.get("/bench/bare/bench-3-4/"))
        ms = median_ms(lambda u=url: client.get(u))
        again = median_ms(lambda: client.get("/bench/bare/bench-3-4/"))
        rows.append(
            (name, ms, ms / ((base + again) / 2), queries(client, url), queries(client, small))
        )
    print(f"database: {connection.vendor}; repeats: {REPEAT}; bare view: {base:.2f} ms")
    print(f"{'page':<28} {'median ms':>10} {'x bare':>7} {'queries (200 tx)':>17} {'(20 tx)':>8}")
    for name, ms, ratio, q_big, q_small in rows:
        print(f"{name:<28} {ms:>10.2f} {ratio:>7.2f} {q_big:>17} {q_small:>8}")
    editor = User.objects.get(username="nato-editor")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        data = iati.export(user=editor, projects=list(iati.export_queryset(editor)))
        times.append(time.perf_counter() - start)
    print(
        f"IATI export of every project ({Project.objects.count()} activities, validated): "
        f"median {statistics.median(times):.2f} s, {len(data):,} bytes"
    )


if __name__ == "__main__":
    main()
