"""Steps of the worker scenarios, run as `python -m tests.partnership.background.scenario STEP`
against an SQLite file that the test, the worker and this script share (the in-memory test
database is one process's only)."""

from __future__ import annotations

import json
import sys

import django


def setup() -> None:
    from django.core.management import call_command

    from partnership.anp.generate import generate_year
    from partnership.core.models import Organization, User

    call_command("load_factsheet", "--no-progress", verbosity=0)
    call_command("demo_users", verbosity=0)
    agencies = list(Organization.objects.filter(slug__in=["ua-mod", "ua-ses"]))
    generate_year(year=2030, measures=300, agencies=agencies,
                  reporter=User.objects.get(username="ua-reporter"), quarters=4,
                  assessor=User.objects.get(username="ally-assessor"),
                  coordinator=Organization.objects.get(slug="ua-cabinet"))  # fmt: skip


def start(username: str) -> None:
    from django.db import transaction

    from partnership.background import services
    from partnership.core.models import User

    with transaction.atomic():
        job = services.job_start(by=User.objects.get(username=username), kind="nuc_report",
                                 params={"year": 2030, "language": "uk"})  # fmt: skip
    print(job.pk)


def download(job: str, username: str, out: str) -> None:
    from django.test import Client

    from partnership.core.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    answer = client.get(f"/en/prepared/{job}/download/")
    body = b"".join(answer.streaming_content) if answer.status_code == 200 else b""  # type: ignore[attr-defined]
    with open(out, "wb") as file:
        file.write(body)
    print(json.dumps({"status": answer.status_code, "type": answer.get("Content-Type", "")}))


if __name__ == "__main__":
    django.setup()
    step, *arguments = sys.argv[1:]
    {"setup": setup, "start": start, "download": download}[step](*arguments)
