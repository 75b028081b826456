"""Two writers at the same moment, through the production server, while the load runs.

- two reporters file the same measure's same quarter at once: both are answered, one report
  stays (the later), nothing is half-saved, the measure's status is that report's;
- two disbursements of 60 % of a project's balance each, at once: one is recorded, the other
  refused with the overdraw message; the balance never goes below zero (the project's row lock).

Each pair is released by a barrier, over its own connections and sessions. Prints one JSON object.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1])]
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.load.settings"
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD = os.environ["DEMO_PASSWORD"]


def _session(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/en/accounts/login/")
    token = _CSRF.search(page.text)
    assert token
    answer = client.post("/en/accounts/login/", data={
        "username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]})  # fmt: skip
    assert answer.status_code == 302, f"{username}: {answer.status_code}"
    return client


def _at_once(requests: list[tuple[httpx.Client, str, dict[str, str]]]) -> list[httpx.Response]:
    tokens = []
    for client, url, _data in requests:
        token = _CSRF.search(client.get(url).text)
        assert token, url
        tokens.append(token[1])
    barrier = threading.Barrier(len(requests))
    answers: list[httpx.Response | None] = [None] * len(requests)

    def send(i: int) -> None:
        client, url, data = requests[i]
        barrier.wait()
        answers[i] = client.post(url, data={**data, "csrfmiddlewaretoken": tokens[i]})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [a for a in answers if a is not None]


def main() -> None:
    base, rounds = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5
    import django

    django.setup()
    from partnership.anp.models import Measure, QuarterlyReport
    from partnership.trustfunds.models import Project
    from partnership.trustfunds.services import balance_eur

    a, b = _session(base, "ua-reporter"), _session(base, "ua-reporter")
    lead_a, lead_b = _session(base, "us-lead"), _session(base, "us-lead")
    targets = json.loads(Path(os.environ["TARGETS"]).read_text())
    year = targets["report_year"]  # the year in progress: its reports may still be filed
    measures = Measure.objects.filter(pk__in=targets["measures"]).order_by("pk")
    result: dict[str, Any] = {"reports": [], "payments": []}
    for n in range(rounds):
        measure = measures[n]
        url = f"/uk/anp/measures/{measure.pk}/report/"
        common = {"quarter": "3", "progress_uk": ""}
        answers = _at_once([
            (a, url, {**common, "status": "at_risk", "progress_en": f"race {n}: reporter A"}),
            (b, url, {**common, "status": "done", "progress_en": f"race {n}: reporter B"}),
        ])  # fmt: skip
        reports = QuarterlyReport.objects.filter(measure=measure, year=year, quarter=3)
        measure.refresh_from_db()
        latest = measure.reports.order_by("-year", "-quarter").first()
        kept = reports.first().progress_en if reports.exists() else None
        follows = latest is not None and measure.status == latest.status
        result["reports"].append({
            "statuses": [r.status_code for r in answers],
            "reports_kept": reports.count(),
            "kept": kept,
            "measure_status_follows": follows,
            # Both filings saved (redirected), one report kept, and it is one of the two.
            "held": [r.status_code for r in answers] == [302, 302] and reports.count() == 1
            and kept in (f"race {n}: reporter A", f"race {n}: reporter B") and follows,
        })  # fmt: skip
        project = Project.objects.get(slug=f"bench-{n + 1}-0")
        before = balance_eur(project)
        amount = (before * Decimal("0.6")).quantize(Decimal("0.01"))
        url = f"/en/trust-funds/projects/{project.slug}/record/"
        data = {"kind": "disbursement", "date": dt.date.today().isoformat(),
                "organization": str(project.fund.partner_id), "currency": "EUR",
                "amount": str(amount), "description": f"race {n}"}  # fmt: skip
        answers = _at_once([(lead_a, url, data), (lead_b, url, data)])
        after = balance_eur(project)
        result["payments"].append({
            "statuses": sorted(r.status_code for r in answers),
            "refused_with_overdraw": sum("overdraw" in r.text for r in answers),
            "balance_before": str(before), "balance_after": str(after),
            "spent_once": after == before - amount,
            # One recorded, the other refused for the overdraw, the balance never below zero.
            "held": sorted(r.status_code for r in answers) == [200, 302]
            and sum("overdraw" in r.text for r in answers) == 1
            and after == before - amount and after >= 0,
        })  # fmt: skip
    result["held"] = all(race["held"] for kind in ("reports", "payments") for race in result[kind])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
