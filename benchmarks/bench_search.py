"""Search and list export at 10 years × 450 measures, 100,000 transactions, 5,000 meetings.

Run: .venv/bin/python benchmarks/bench_search.py   (DATABASE_URL=postgres://… for PostgreSQL)

Builds the data of `bench_anp` (ten ANP years of 450 measures) and `bench_trustfunds` (50
funds × 10 projects × 200 transactions), adds 5,000 meetings and 10,000 action items
(bulk-loaded, then `search_rebuild`), and times through Django's test client, alternately:

- the bare view: a plain function view reading 50 meetings with one ORM query into the
  site's base template (Django alone, no selector, no index);
- the search page for several queries (a word, a code, Cyrillic, a word in many records),
  as NATO staff (who see everything) and as the partner's viewer (whose hits pass the
  releasability selector);
- the CSV and XLSX export of the 10,000 action items (`bench_lists.time_exports`).

It prints the median and 95th percentile per query and their ratios to the bare view's, the
pages fetched in turn, NATO staff's and the partner's in the same round, round after round
(BENCH_REPEAT rounds, 30 by default), with the machine's load average before and after.
BENCH_EXPORT=0 leaves the export out.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_anp
import bench_trustfunds
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.test import Client
from django.urls import clear_url_caches, path

import partnership.urls
from partnership.core.models import Marking, Organization, User
from partnership.framework.models import ActionItem, Body, Meeting, MeetingLevel
from partnership.search.models import SearchEntry

REPEAT = int(os.environ.get("BENCH_REPEAT", "30"))
QUERIES = ("landmines", "1.1.21", "хартія", "demo", "Kyiv consultations", "ukraine")
# The words found in thousands of records (most of the partner's candidates hidden from them).
BROAD = {"demo": "broad", "Kyiv consultations": "broad", "ukraine": "broad"}
BARE = engines["django"].from_string(
    '{% extends "base.html" %}{% block content %}<table>{% for m in rows %}<tr><td>{{ m.title_en }}'
    "</td><td>{{ m.date }}</td></tr>{% endfor %}</table>{% endblock %}"
)


def bare(request: HttpRequest) -> HttpResponse:
    rows = list(Meeting.objects.order_by("-date_start")[:50])
    return HttpResponse(BARE.render({"rows": rows}, request))


def generate() -> None:
    bench_anp.setup()
    with transaction.atomic():
        bench_trustfunds.generate()
    if Meeting.objects.filter(title_en__startswith="Bench meeting").exists():
        return
    bodies = list(Body.objects.all())
    owner = Organization.objects.get(slug="ua")
    markings = (Marking.PUBLIC, Marking.PARTNERSHIP, Marking.NATO)
    with transaction.atomic():
        Meeting.objects.bulk_create(
            Meeting(
                body=bodies[n % len(bodies)],
                level=MeetingLevel.EXPERTS,
                title_en=f"Bench meeting {n}: consultations on reform area {n % 40}",
                title_uk=f"Засідання {n}: консультації щодо реформи {n % 40}",
                place_en="Kyiv" if n % 2 else "Brussels",
                date=f"{2010 + n % 16}-{1 + n % 12:02}-{1 + n % 28:02}",
                date_start=f"{2010 + n % 16}-{1 + n % 12:02}-{1 + n % 28:02}",
                date_end=f"{2010 + n % 16}-{1 + n % 12:02}-{1 + n % 28:02}",
                marking=markings[n % 3],
            )
            for n in range(5000)
        )
        ActionItem.objects.bulk_create(
            ActionItem(title_en=f"Bench action {n}", owner=owner, marking=markings[n % 3])
            for n in range(10000)
        )
    started = time.perf_counter()
    call_command("search_rebuild", verbosity=0)
    print(f"index rebuilt: {SearchEntry.objects.count():,} entries in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip


def timed(
    clients: dict[str, Client], urls: dict[str, tuple[str, dict[str, str]]]
) -> dict[tuple[str, str], list[float]]:
    """Each page once per round for each reader, round after round, so that the bare view and
    every query, NATO staff's and the partner's, meet the same load on a shared machine (the
    ratios are side by side, not minutes apart)."""
    times: dict[tuple[str, str], list[float]] = {
        (who, name): [] for who in clients for name in urls
    }
    for client in clients.values():
        for url, data in urls.values():
            client.get(url, data)
    for _ in range(REPEAT):
        for who, client in clients.items():
            for name, (url, data) in urls.items():
                start = time.perf_counter()
                response = client.get(url, data)
                times[(who, name)].append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (url, response.status_code)
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1]


def load() -> str:
    return " ".join(f"{n:.1f}" for n in os.getloadavg())


def main() -> None:
    generate()
    partnership.urls.urlpatterns.append(path("bench/bare/", bare))
    clear_url_caches()
    print(f"{connection.vendor}: {SearchEntry.objects.count():,} index entries")
    pages = {"bare view": ("/bench/bare/", {})}
    pages |= {query: ("/en/framework/search/", {"q": query}) for query in QUERIES}
    clients = {}
    for who in ("nato-editor", "ua-viewer"):
        clients[who] = Client()
        clients[who].force_login(User.objects.get(username=who))
    print(f"load average before: {load()}")
    times = timed(clients, pages)
    print(f"load average after: {load()}")
    for who in clients:
        bare_times = times[(who, "bare view")]
        bare_median, bare_p95 = statistics.median(bare_times), p95(bare_times)
        print(f"{who}: (median ms, p95 ms, median / bare median, p95 / bare p95)")
        for name in pages:
            took = times[(who, name)]
            median = statistics.median(took)
            width = "" if name == "bare view" else BROAD.get(name, "narrow")
            print(
                f"  {name!r:24} {width:7} {median:7.1f} {p95(took):7.1f}"
                f"  {median / bare_median:4.1f}x {p95(took) / bare_p95:4.1f}x"
            )
    if os.environ.get("BENCH_EXPORT", "1") == "0":
        return
    client = clients["nato-editor"]
    rows = ActionItem.objects.count()
    # The same timing as bench_lists.py (medians of several runs, both languages).
    from bench_lists import time_exports

    for (language, fmt), times_s in time_exports(client).items():
        print(f"export {language} {fmt}: {rows:,} action items, median "
              f"{statistics.median(times_s):.2f} s of {len(times_s)}")  # fmt: skip


if __name__ == "__main__":
    main()
