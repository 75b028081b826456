"""A working day of the partnership: who opens what, and how often (weights), against one server.

Run by benchmarks/load/run.sh (see README.md): `locust -f benchmarks/load/locustfile.py
--headless --host http://127.0.0.1:PORT`. TARGETS names the targets.json of the data set.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, events, task

TARGETS: dict[str, Any] = json.loads(Path(os.environ["TARGETS"]).read_text())
PASSWORD = os.environ.get("DEMO_PASSWORD", "")
YEAR = TARGETS["year"]
REPORT_YEAR = TARGETS["report_year"]
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _Person(HttpUser):
    abstract = True
    username = ""
    # People read a page before the next: 1 to 3 s.
    wait_time = between(1, 3)

    def on_start(self) -> None:
        if not self.username:
            return
        page = self.client.get("/en/accounts/login/", name="login")
        token = _CSRF.search(page.text)
        assert token, "no CSRF token on the login page"
        answer = self.client.post(
            "/en/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
            name="login", allow_redirects=False,
        )  # fmt: skip
        assert answer.status_code == 302, f"{self.username} could not log in"

    def form(self, url: str, name: str) -> str:
        page = self.client.get(url, name=name)
        token = _CSRF.search(page.text)
        return token[1] if token else ""


class AnonymousReader(_Person):
    weight = 40

    @task(3)
    def factsheet(self) -> None:
        self.client.get(random.choice(["/en/", "/uk/"]), name="public factsheet")

    @task(2)
    def timeline(self) -> None:
        self.client.get(random.choice(["/en/timeline/", "/uk/timeline/"]), name="public timeline")


class UkrainianReporter(_Person):
    weight = 10
    username = "ua-reporter"

    @task(3)
    def measures(self) -> None:
        self.client.get(f"/uk/anp/{REPORT_YEAR}/measures/?chapter=1", name="ANP measures")

    @task(2)
    def measure(self) -> None:
        pk = random.choice(TARGETS["measures"])
        self.client.get(f"/uk/anp/measures/{pk}/", name="ANP measure")

    @task(1)
    def file_quarterly_report(self) -> None:
        pk = random.choice(TARGETS["measures"])
        url = f"/uk/anp/measures/{pk}/report/"
        token = self.form(url, "ANP report form")
        with self.client.post(url, {
            "csrfmiddlewaretoken": token, "quarter": random.randint(1, 4),
            "status": random.choice(["on_track", "at_risk", "done"]),
            "progress_en": "Load test: progress of the quarter.", "progress_uk": "Поступ кварталу.",
        }, name="ANP report filed", allow_redirects=False, catch_response=True) as answer:  # fmt: skip
            if answer.status_code != 302:
                answer.failure(f"report not saved: {answer.status_code}")


class Coordinator(_Person):
    weight = 10
    username = "ua-coordinator"

    @task(2)
    def year_dashboard(self) -> None:
        self.client.get(f"/en/anp/{YEAR}/", name="ANP dashboard")

    @task(2)
    def chapter_dashboard(self) -> None:
        self.client.get(f"/uk/anp/{YEAR}/chapters/{random.randint(1, 5)}/", name="ANP chapter")


class Donor(_Person):
    weight = 8
    username = "ca-donor"

    @task(3)
    def fund(self) -> None:
        self.client.get(f"/en/trust-funds/{random.choice(TARGETS['funds'])}/", name="fund")

    @task(2)
    def project(self) -> None:
        slug = random.choice(TARGETS["projects"])
        self.client.get(f"/en/trust-funds/projects/{slug}/", name="project")

    @task(2)
    def donor_report(self) -> None:
        slug = random.choice(TARGETS["funds"])
        self.client.get(f"/en/trust-funds/{slug}/donor-report.html", name="donor report")


class NatoStaff(_Person):
    weight = 10
    username = "nato-editor"

    @task(3)
    def meetings(self) -> None:
        self.client.get(f"/en/framework/meetings/?page={random.randint(1, 20)}", name="meetings")

    @task(2)
    def meeting(self) -> None:
        pk = random.choice(TARGETS["meetings"])
        self.client.get(f"/en/framework/meetings/{pk}/", name="meeting")

    @task(1)
    def decisions(self) -> None:
        # Paginated like the meetings (it was one page of all 5,003 items before).
        page = random.randint(1, 20)
        self.client.get(f"/en/framework/action-items/?page={page}", name="action items")


class PrintsAndExports(_Person):
    """Prints go through the background worker, as a reader's browser does: the link answers
    303 to the job's page, whose script asks `status/` every second or so until the file is
    ready, then the download. Besides each request, the time from asking to the file ready
    is its own figure ("print ready (…)", type "print")."""

    weight = 2
    username = "nato-editor"
    # A report is printed now and then, not every few seconds.
    wait_time = between(5, 10)
    # A file not ready after this long is counted as a failure of its "print ready" figure.
    READY_WITHIN_S = 180

    def print_through_the_worker(self, url: str, what: str) -> None:
        asked = time.perf_counter()
        with self.client.get(url, name=f"job start ({what})", allow_redirects=False,
                             catch_response=True) as answer:  # fmt: skip
            if answer.status_code != 303:
                answer.failure(f"not sent to a job: {answer.status_code}")
                return
            page = answer.headers["Location"]
        self.client.get(page, name="job page")
        state: dict[str, Any] = {}
        while time.perf_counter() - asked < self.READY_WITHIN_S:
            time.sleep(random.uniform(1.0, 2.0))  # the page's script asks about every second
            with self.client.get(page + "status/", name="job status poll",
                                 catch_response=True) as polled:  # fmt: skip
                try:
                    state = polled.json()
                except ValueError:
                    polled.failure("the job's status is not JSON")
                    continue
            if state.get("status") in ("done", "failed", "expired"):
                break
        ready_ms = (time.perf_counter() - asked) * 1000
        done = state.get("status") == "done" and state.get("download")
        events.request.fire(
            request_type="print", name=f"print ready ({what})", response_time=ready_ms,
            response_length=0, context={},
            exception=None if done else RuntimeError(f"job {state.get('status', 'not ready')}"),
        )  # fmt: skip
        if done:
            self.client.get(state["download"], name=f"download ({what})")

    @task(1)
    def nuc_report_pdf(self) -> None:
        self.print_through_the_worker(f"/en/anp/{YEAR}/report.pdf", "NUC report PDF")

    @task(1)
    def donor_report_pdf(self) -> None:
        slug = random.choice(TARGETS["funds"])
        self.print_through_the_worker(f"/en/trust-funds/{slug}/donor-report.pdf",
                                      "fund donor report PDF")  # fmt: skip

    @task(1)
    def measures_export(self) -> None:
        self.print_through_the_worker(f"/en/anp/{YEAR}/measures.xlsx", "measures XLSX")


class BareView(_Person):
    """The yardstick: a plain Django view of 50 measures, asked under the same load."""

    weight = 6
    username = "nato-editor"

    @task
    def bare(self) -> None:
        self.client.get("/bench/bare/", name="bare Django view")
