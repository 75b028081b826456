"""Reads: a person's prepared files, as far as their marking lets them see them."""

from __future__ import annotations

from django.db.models import QuerySet

from partnership.background.models import Job
from partnership.core.models import User
from partnership.core.selectors import visible_to


def jobs_for(*, user: User) -> QuerySet[Job]:
    """Only their own, and only while they may see what each was made from."""
    return visible_to(user, Job.objects.filter(requested_by=user))


def job_get(*, user: User, pk: int) -> Job | None:
    return jobs_for(user=user).filter(pk=pk).first()


def queue_depth() -> int:
    """Tasks waiting for a worker (for the metrics)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status="READY").count()
