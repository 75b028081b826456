"""ANP pages at 10 years × 450 measures × 4 quarterly reports, against a bare Django view.

Run: make bench-anp   (or: .venv/bin/python benchmarks/bench_anp.py)

Builds a throwaway SQLite database (or uses DATABASE_URL), loads the factsheet and the demo
users, generates ten approved ANP years (2016-2025) of 450 measures from 30 agencies, each with
four quarterly reports and an Allied rating per chapter (18,000 reports), and one small year
(45 measures). Then, alternately and repeatedly, through Django's test client with the session
of a NATO editor:

- the bare view: a plain function view on the same server that reads the first 50 measures of
  the year with one ORM query and renders them into the site's base template as a table; no
  selector, no filters, no pagination, no charts: the cost of serving the same list with
  Django alone;
- the measure list (50 per page, filtered by chapter), a chapter dashboard, the year's
  dashboard and a measure page.

It reports the medians, the ratio of each page to the bare view, the number of database
queries each page makes for the large and the small year (they must not differ), and the time
to produce the year's NUC report as PDF.
"""

from __future__ import annotations

import os
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

import _timing  # noqa: E402  (benchmarks/_timing.py, beside this file)
import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402

import partnership.urls  # noqa: E402
from partnership.anp import report  # noqa: E402
from partnership.anp.generate import generate_year  # noqa: E402
from partnership.anp.models import AnnualProgramme, Measure  # noqa: E402
from partnership.core.models import Organization, OrganizationKind, User  # noqa: E402

YEARS = range(2016, 2026)
MEASURES = int(os.environ.get("BENCH_MEASURES", "450"))
REPEAT = int(os.environ.get("BENCH_REPEAT", "25"))

BARE_TEMPLATE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<table>{% for m in rows %}<tr><td>{{ m.code }}'
    "</td><td>{{ m.text_en }}</td><td>{{ m.status }}</td></tr>{% endfor %}</table>"
    "{% endblock %}"
)


def bare(request: HttpRequest, year: int) -> HttpResponse:
    rows = Measure.objects.filter(programme__year=year).order_by("code")[:50]
    return HttpResponse(BARE_TEMPLATE.render({"rows": rows}, request))


def setup() -> None:
    call_command("migrate", verbosity=0)
    call_command("load_factsheet", "--no-progress", verbosity=0)
    call_command("demo_users", verbosity=0)
    if AnnualProgramme.objects.filter(year=YEARS[-1]).exists():
        return
    partner = Organization.objects.get(slug="ua")
    agencies = list(Organization.objects.filter(kind=OrganizationKind.PARTNER_INSTITUTION))
    for n in range(len(agencies), 30):  # about 30 agencies, as a real year has
        agencies.append(
            Organization.objects.create(
                slug=f"bench-agency-{n}",
                kind=OrganizationKind.PARTNER_INSTITUTION,
                name_en=f"Bench agency {n}",
                country_code="UA",
                parent=partner,
            )
        )
    reporter = User.objects.get(username="ua-reporter")
    assessor = User.objects.get(username="ally-assessor")
    started = time.perf_counter()
    for year in YEARS:
        generate_year(
            year=year, measures=MEASURES, agencies=agencies, reporter=reporter, assessor=assessor
        )
    generate_year(year=2030, measures=45, agencies=agencies, reporter=reporter, assessor=assessor)
    print(f"generated {len(YEARS)} years in {time.perf_counter() - started:.1f} s")


def median_ms(fn: Callable[[], object]) -> float:
    return _timing.median_ms(fn, REPEAT)


queries = _timing.queries


def main() -> None:
    setup()
    partnership.urls.urlpatterns.append(path("bench/bare/<int:year>/", bare))
    clear_url_caches()
    client = Client()
    client.force_login(User.objects.get(username="nato-editor"))
    year, small = 2020, 2030
    measure = Measure.objects.filter(programme__year=year).order_by("code")[200]
    small_measure = Measure.objects.filter(programme__year=small).order_by("code")[20]
    pages = {
        "measure list (chapter 2, page 2)": "/en/anp/{y}/measures/?chapter=2&page=2",
        "measure list (all, filtered: overdue)": "/en/anp/{y}/measures/?status=overdue",
        "chapter dashboard": "/en/anp/{y}/chapters/2/",
        "year dashboard": "/en/anp/{y}/",
        "measure page": "/en/anp/measures/{m}/",
    }
    bare_ms = median_ms(lambda: client.get(f"/bench/bare/{year}/"))
    rows = []
    for name, url in pages.items():
        big_url = url.format(y=year, m=measure.pk)
        small_url = url.format(y=small, m=small_measure.pk)
        # Alternate with the bare view so that both see the same machine.
        ms = median_ms(lambda u=big_url: client.get(u))
        again = median_ms(lambda: client.get(f"/bench/bare/{year}/"))
        rows.append((name, ms, ms / ((bare_ms + again) / 2), queries(client, big_url),
                     queries(client, small_url)))  # fmt: skip
    programme = AnnualProgramme.objects.get(year=year)
    editor = User.objects.get(username="nato-editor")
    pdf_times = []
    for _ in range(3):
        start = time.perf_counter()
        pdf = report.render_pdf(user=editor, programme=programme, language="uk")
        pdf_times.append(time.perf_counter() - start)
    print(
        f"database: {connection.vendor}; {len(YEARS)} years x {MEASURES} measures x 4 reports "
        f"= {Measure.objects.count():,} measures; repeats: {REPEAT}"
    )
    print(f"bare view (50 measures in the base template): {bare_ms:.2f} ms")
    print(f"{'page':<40} {'median ms':>10} {'x bare':>7} {'queries (450)':>14} {'(45)':>6}")
    for name, ms, ratio, q_big, q_small in rows:
        print(f"{name:<40} {ms:>10.2f} {ratio:>7.2f} {q_big:>14} {q_small:>6}")
    print(f"NUC report PDF, {MEASURES} measures, Ukrainian: median "
          f"{statistics.median(pdf_times):.2f} s, {len(pdf):,} bytes")  # fmt: skip


if __name__ == "__main__":
    main()
