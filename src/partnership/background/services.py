"""Long work for a person: started, run by the worker with progress, retried, kept, expired."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import traceback
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from partnership.background.models import STEP_WORKER_DIED, Job, JobKind, JobStatus
from partnership.background.producers import PRODUCERS, source_of
from partnership.background.storage import prepared_files
from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Marking, User
from partnership.core.services import marking_apply

log = logging.getLogger(__name__)

MSG_BAD_KIND = _("“%(value)s” is not a kind of file the site prepares.")
MSG_NOT_VISIBLE = _("There is no such record that you may see.")
MSG_NOT_YOURS = _("Only the person who asked for this file may use it.")
MSG_NOT_FAILED = _("Only a failed job can be tried again; this one is %(status)s.")
MSG_BAD_YEAR = _("The year must be a number such as 2026.")
MSG_BAD_LANGUAGE = _("The language must be English or Ukrainian.")
MSG_WORKER_DIED = _(STEP_WORKER_DIED)
STEP_KEEPING = gettext_noop("Keeping the file")
MSG_FAILED = _("It could not be prepared: %(reason)s")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _enqueue(job: Job) -> None:
    from partnership.background.tasks import run_job

    def send() -> None:
        result = run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(send)


@transaction.atomic
def job_start(*, by: User, kind: str, params: dict[str, Any]) -> Job:
    """Asks the worker for a file; it carries the marking of the record it is made from."""
    if kind not in JobKind.values:
        raise ApplicationError(MSG_BAD_KIND % {"value": kind}, field="kind")
    language = str(params.get("language", "en"))
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError(MSG_BAD_LANGUAGE, field="language")
    clean: dict[str, Any] = {"language": language}
    if kind == JobKind.NUC_REPORT:
        try:
            clean["year"] = int(params.get("year", ""))
        except (TypeError, ValueError):
            raise ApplicationError(MSG_BAD_YEAR, field="year") from None
    elif kind == JobKind.DONOR_REPORT:
        clean["project"] = str(params.get("project", ""))
    source = source_of(kind=kind, params=clean, user=by)
    if kind != JobKind.IATI_EXPORT and source is None:
        raise ApplicationError(MSG_NOT_VISIBLE, field="year" if "year" in clean else "project")
    job = Job(kind=kind, params=clean, requested_by=by)
    if source is not None:
        marking_apply(record=job, marking=source.marking, nations=source.releasable_codes)
    else:
        # What the export holds is what its requester may see: kept at the widest marking they
        # read unless PUBLIC (they still are the only one to download it).
        marking_apply(record=job, marking=Marking.PARTNERSHIP)
    job.save()
    _enqueue(job)
    return job


def _own(by: User, job: Job) -> None:
    if job.requested_by_id != by.pk and not by.is_superuser:
        raise PermissionDeniedError(MSG_NOT_YOURS)


@transaction.atomic
def job_retry(*, by: User, job: Job) -> Job:
    _own(by, job)
    job = Job.objects.select_for_update().get(pk=job.pk)
    if job.status != JobStatus.FAILED:
        raise ApplicationError(MSG_NOT_FAILED % {"status": JobStatus(job.status).label})
    job.status, job.progress, job.error, job.attempts = JobStatus.QUEUED, 0, "", 0
    job.step, job.step_values = "", {}
    job.save(update_fields=["status", "progress", "step", "step_values", "error", "attempts"])
    _enqueue(job)
    return job


def _progress(job: Job, percent: int, step: str, values: dict[str, Any] | None = None) -> None:
    # Its own short write (the job runs outside a transaction): the page sees it at once.
    Job.objects.filter(pk=job.pk).update(
        progress=min(max(percent, 0), 99), step=step[:200], step_values=values or {},
        heartbeat_at=timezone.now(),
    )  # fmt: skip


def job_run(*, job_id: int) -> str:
    """What the worker does with one job: claims it, makes its file, keeps it whole."""
    with transaction.atomic():
        job = Job.objects.select_for_update().select_related("requested_by").get(pk=job_id)
        if job.status != JobStatus.QUEUED:
            return f"job {job_id} is {job.status}; nothing to do"
        job.status, job.attempts = JobStatus.RUNNING, job.attempts + 1
        job.worker, job.heartbeat_at = worker_name(), timezone.now()
        job.save(update_fields=["status", "attempts", "worker", "heartbeat_at"])
    from partnership.notifications.selectors import language_of

    language = language_of(job.requested_by)
    try:
        with translation.override(language):
            made = PRODUCERS[job.kind](job, lambda *step: _progress(job, *step))
            _progress(job, 95, STEP_KEEPING)
        name = f"{job.kind}/{job.pk}-{job.attempts}-{made.file_name}"
        stored = prepared_files().save(name, ContentFile(made.data))
    except Exception as error:
        reason = error.message if isinstance(error, ApplicationError) else repr(error)
        log.warning("job %s failed: %s\n%s", job_id, reason, traceback.format_exc())
        with translation.override(language):
            text = str(MSG_FAILED % {"reason": reason})
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=text, finished_at=timezone.now()
        )
        return text
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, progress=100, step="", file=stored, file_name=made.file_name,
        content_type=made.content_type, size=len(made.data), finished_at=now,
        expires_at=now + dt.timedelta(days=settings.BACKGROUND_FILE_DAYS),
    )  # fmt: skip
    _tell_done(job)
    return stored


def _tell_done(job: Job) -> None:
    from partnership.notifications.events import path_of
    from partnership.notifications.models import Kind
    from partnership.notifications.services import Message, notify

    notify(
        kind=Kind.JOB_DONE, recipients=[job.requested_by], record=job, occasion="done",
        path=path_of("background:job", job.pk),
        message=lambda user: Message(
            str(_("Your file is ready: %(what)s")) % {"what": JobKind(job.kind).label}
        ),
    )  # fmt: skip


def _alive(worker: str) -> bool:
    host, _sep, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True  # another machine's worker: only its silence tells
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def jobs_reap(*, now: dt.datetime | None = None) -> int:
    """Jobs whose worker died (SIGKILL, power cut): queued again, or failed after the last try.

    A dead worker on this machine is seen at once; one elsewhere after BACKGROUND_STALE_S of
    silence. Its task row is marked failed too, so the queue's depth stays true.
    """
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=settings.BACKGROUND_STALE_S)
    found = 0
    for job in Job.objects.filter(status=JobStatus.RUNNING):
        if _alive(job.worker) and job.heartbeat_at and job.heartbeat_at > stale:
            continue
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=job.pk)
            if job.status != JobStatus.RUNNING:
                continue
            _fail_task_row(job.task_id)
            values = {"attempt": job.attempts, "most": settings.BACKGROUND_MAX_ATTEMPTS}
            message = str(MSG_WORKER_DIED % values)
            if job.attempts >= settings.BACKGROUND_MAX_ATTEMPTS:
                job.status, job.error, job.finished_at = JobStatus.FAILED, message, now
                job.save(update_fields=["status", "error", "finished_at"])
            else:
                job.status, job.progress = JobStatus.QUEUED, 0
                job.step, job.step_values = STEP_WORKER_DIED, values
                job.save(update_fields=["status", "step", "step_values", "progress"])
                _enqueue(job)
        found += 1
    return found


def _fail_task_row(task_id: str) -> None:
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(status="FAILED")


def files_expire(*, now: dt.datetime | None = None) -> int:
    """Removes files past their time, and any `.partial-` file a killed worker left."""
    now = now or timezone.now()
    storage = prepared_files()
    removed = 0
    for job in Job.objects.filter(status=JobStatus.DONE, expires_at__lte=now):
        if job.file:
            storage.delete(job.file)
        job.status, job.file = JobStatus.EXPIRED, ""
        job.save(update_fields=["status", "file"])
        removed += 1
    root = storage.path("")
    cutoff = now.timestamp() - settings.BACKGROUND_STALE_S
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if name.startswith(".partial-") and os.path.getmtime(path) < cutoff:
                os.unlink(path)
    return removed
