"""Runs the queued jobs as the worker would, in the test's own process and transaction (the
in-memory test database is this process's only; the real worker is tested in test_worker)."""

from __future__ import annotations

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
