"""Runs the queued jobs as the worker would, in the test's own process and transaction (the
in-memory test database is this process's only; the real worker is tested in test_worker)."""

from __future__ import annotations

import re
from typing import Any

from django.http import HttpResponse

from partnership.background import services
from partnership.background.models import Job, JobStatus


def run_queued() -> list[Job]:
    """Every queued job run once, oldest first; returns them as they ended."""
    ran = []
    for job in Job.objects.filter(status=JobStatus.QUEUED).order_by("pk"):
        services.job_run(job_id=job.pk)
        job.refresh_from_db()
        ran.append(job)
    return ran


def prepared(client: Any, url: str) -> HttpResponse:
    """A print or export link followed as a reader does: it sends them to their job's page
    (303), the worker makes the file, and the page's download link gives it. Returned as a
    plain response (its `content` read) with the download's headers."""
    asked = client.get(url)
    assert asked.status_code == 303, (url, asked.status_code)
    page = asked["Location"]
    assert re.search(r"/prepared/\d+/$", page), page
    run_queued()
    state = client.get(page + "status/").json()
    assert state["status"] == JobStatus.DONE, state
    download = client.get(state["download"])
    assert download.status_code == 200, download.status_code
    response = HttpResponse(b"".join(download.streaming_content), status=200)
    for header in ("Content-Type", "Content-Disposition", "Cache-Control"):
        response[header] = download[header]
    return response
