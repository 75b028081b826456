"""Long work for a person: started, run by the worker with progress, retried, kept, expired."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import traceback
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from partnership.background.models import (
    IMPORT_KINDS,
    STEP_WORKER_DIED,
    Job,
    JobKind,
    JobStatus,
)
from partnership.background.producers import PRODUCERS, Imported, ImportRefused, source_of
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
MSG_IMPORT_FAILED = _("Nothing was imported: %(reason)s")
MSG_NOT_AN_IMPORT = _("“%(value)s” is not a kind of import.")
MSG_NO_FUND = _("There is no such trust fund that you may see.")
MSG_EMPTY = _("The file is empty.")
MSG_UPLOAD_GONE = _("The file that was sent is no longer kept; upload it again.")
UPLOADS_DIR = "uploads"


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _enqueue(job: Job) -> None:
    from partnership.background.tasks import run_job

    def send() -> None:
        result = run_job.enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(send)


MSG_BAD_TABLE = _("“%(value)s” is not a table the ANP is exported as.")
MSG_BAD_DATE = _("“%(value)s” is not a date (YYYY-MM-DD).")
# A job still to be made or being made: asked for again, it is the one the reader is sent to.
OUTSTANDING = (JobStatus.QUEUED, JobStatus.RUNNING)


def _clean(kind: str, params: dict[str, Any]) -> dict[str, Any]:
    """What the job is asked to make, in the one form it is kept and compared in."""
    if kind not in JobKind.values or kind in IMPORT_KINDS:
        raise ApplicationError(MSG_BAD_KIND % {"value": kind}, field="kind")
    language = str(params.get("language", "en"))
    if language not in dict(settings.LANGUAGES):
        raise ApplicationError(MSG_BAD_LANGUAGE, field="language")
    clean: dict[str, Any] = {"language": language}
    if kind in (JobKind.NUC_REPORT, JobKind.ANP_EXPORT):
        try:
            clean["year"] = int(params.get("year", ""))
        except (TypeError, ValueError):
            raise ApplicationError(MSG_BAD_YEAR, field="year") from None
    if kind == JobKind.ANP_EXPORT:
        from partnership.anp.spreadsheets import EXPORTS

        clean["table"] = str(params.get("table", "measures"))
        if clean["table"] not in EXPORTS:
            raise ApplicationError(MSG_BAD_TABLE % {"value": clean["table"]}, field="table")
    elif kind == JobKind.DONOR_REPORT:
        clean["project"] = str(params.get("project", ""))
    elif kind == JobKind.FUND_REPORT:
        clean["fund"] = str(params.get("fund", ""))
        for key in ("from", "to"):
            text = str(params.get(key) or "").strip()
            try:
                clean[key] = dt.date.fromisoformat(text).isoformat() if text else ""
            except ValueError:
                raise ApplicationError(MSG_BAD_DATE % {"value": text}, field=key) from None
    return clean


def _field_of(clean: dict[str, Any]) -> str:
    return next((key for key in ("year", "project", "fund") if key in clean), "kind")


@transaction.atomic
def job_start(*, by: User, kind: str, params: dict[str, Any], reuse: bool = False) -> Job:
    """Asks the worker for a file; it carries the marking of the record it is made from.

    With `reuse`, the same reader asking again for the same file (kind and params) while it is
    still queued or being made gets that job, not another: a print link followed twice, or
    reloaded, makes one file. A finished one is not reused: the records it was made from may
    have changed since (a new payment, an assessment), and the reader asks for them as now."""
    clean = _clean(kind, params)
    source = source_of(kind=kind, params=clean, user=by)
    if kind != JobKind.IATI_EXPORT and source is None:
        raise ApplicationError(MSG_NOT_VISIBLE, field=_field_of(clean))
    if reuse:
        # The reader's row is the lock: two clicks at once find one job, not two.
        User.objects.select_for_update().filter(pk=by.pk).first()
        for same in Job.objects.filter(requested_by=by, kind=kind, status__in=OUTSTANDING):
            if same.params == clean:
                return same
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


def _import_checked(*, by: User, kind: str, upload: Any, params: dict[str, Any]) -> tuple:
    """Who may, then the file's size and type by its content: all before anything is kept.
    Returns what the job is asked to do and the record whose marking it carries."""
    from partnership.core import files

    check = bool(params.get("check"))
    if kind == JobKind.ANP_IMPORT:
        from partnership.anp import selectors as anp_selectors
        from partnership.anp import services as anp

        if not anp.can_coordinate(by):
            raise PermissionDeniedError(anp.MSG_NOT_COORDINATOR)
        try:
            year = int(params.get("year", ""))
        except (TypeError, ValueError):
            raise ApplicationError(MSG_BAD_YEAR, field="year") from None
        files.upload_check_size(upload, kind="xlsx")
        if not upload.size:
            raise ApplicationError(MSG_EMPTY, field="file", code="empty")
        upload.seek(0)
        files.xlsx_check(upload)  # a zip that is a workbook, not a bomb: from its directory
        return {"year": year, "check": check}, anp_selectors.programme_get(user=by, year=year)
    if kind == JobKind.IATI_IMPORT:
        from partnership.trustfunds import selectors as funds
        from partnership.trustfunds import services as trustfunds

        fund = funds.fund_get(user=by, slug=str(params.get("fund", "")))
        if fund is None:
            raise ApplicationError(MSG_NO_FUND, field="fund")
        if not trustfunds.can_import_into(by, fund):
            raise PermissionDeniedError(trustfunds.MSG_NOT_RECORDER)
        trustfunds.fund_check_open(fund)
        files.upload_check_size(upload, kind="iati")
        if not upload.size:
            raise ApplicationError(MSG_EMPTY, field="file", code="empty")
        # Well-formed XML without a DOCTYPE, read from its content (lxml, no entities, no
        # network): cheap beside the schema check, which the worker does.
        upload.seek(0)
        files.xml_parse(upload.read())
        return {"fund": fund.slug, "check": check}, fund
    raise ApplicationError(MSG_NOT_AN_IMPORT % {"value": kind}, field="kind")


def import_start(*, by: User, kind: str, upload: Any, params: dict[str, Any]) -> Job:
    """An import (ANP workbook, IATI file) for the worker: the file is checked (who may, size,
    type by content), kept with the job under no URL, and read, checked row by row and saved
    whole or not at all by the worker (`job_run`). `params["check"]` only checks it."""
    clean, source = _import_checked(by=by, kind=kind, upload=upload, params=params)
    from partnership.documents.files import sanitised_name

    extension = ".xlsx" if kind == JobKind.ANP_IMPORT else ".xml"
    upload.seek(0)
    kept = prepared_files().save(f"{UPLOADS_DIR}/{kind}-{secrets.token_urlsafe(16)}{extension}",
                                 ContentFile(upload.read()))  # fmt: skip
    try:
        with transaction.atomic():
            job = Job(kind=kind, params=clean, requested_by=by, upload=kept,
                      upload_name=sanitised_name(upload.name or f"import{extension}"))  # fmt: skip
            if source is not None:
                marking_apply(record=job, marking=source.marking, nations=source.releasable_codes)
            else:  # a year not made yet: the import makes it PARTNERSHIP, as the service does
                marking_apply(record=job, marking=Marking.PARTNERSHIP)
            job.save()
            _enqueue(job)
    except BaseException:
        prepared_files().delete(kept)
        raise
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
    if job.is_import and not (job.upload and prepared_files().exists(job.upload)):
        raise ApplicationError(MSG_UPLOAD_GONE, field="file")
    job.status, job.progress, job.error, job.attempts = JobStatus.QUEUED, 0, "", 0
    job.step, job.step_values, job.errors, job.result = "", {}, [], {}
    job.save(update_fields=["status", "progress", "step", "step_values", "error", "attempts",
                            "errors", "result"])  # fmt: skip
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
            if isinstance(made, Imported):
                return _imported(job, made)
            _progress(job, 95, STEP_KEEPING)
        name = f"{job.kind}/{job.pk}-{job.attempts}-{made.file_name}"
        stored = prepared_files().save(name, ContentFile(made.data))
    except Exception as error:
        reason = error.message if isinstance(error, ApplicationError) else repr(error)
        if isinstance(error, ApplicationError):  # the input's fault, said on the job's page
            log.info("job %s refused: %s", job_id, reason)
        else:
            log.warning("job %s failed: %s\n%s", job_id, reason, traceback.format_exc())
        with translation.override(language):
            failed = MSG_IMPORT_FAILED if job.is_import else MSG_FAILED
            text = str(failed % {"reason": reason})
        # The file sent stays with a failed import, so that it can be tried again.
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED, error=text, finished_at=timezone.now(),
            errors=error.errors if isinstance(error, ImportRefused) else [],
        )  # fmt: skip
        return text
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, progress=100, step="", file=stored, file_name=made.file_name,
        content_type=made.content_type, size=len(made.data), finished_at=now,
        expires_at=now + dt.timedelta(days=settings.BACKGROUND_FILE_DAYS),
    )  # fmt: skip
    _tell_done(job)
    return stored


def _imported(job: Job, made: Imported) -> str:
    """An import is saved (or checked): its file is no longer needed, unless only checked."""
    now = timezone.now()
    keep = not made.result.get("saved")
    if not keep and job.upload:
        prepared_files().delete(job.upload)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, progress=100, step="", result=made.result, errors=[],
        upload=job.upload if keep else "", finished_at=now,
        expires_at=now + dt.timedelta(days=settings.BACKGROUND_FILE_DAYS),
    )  # fmt: skip
    _tell_done(job)
    return f"job {job.pk} imported"


def _tell_done(job: Job) -> None:
    from partnership.notifications.events import path_of
    from partnership.notifications.models import Kind
    from partnership.notifications.services import Message, notify

    notify(
        kind=Kind.JOB_DONE, recipients=[job.requested_by], record=job, occasion="done",
        path=path_of("background:job", job.pk),
        message=lambda user: Message(
            str(_("Your import is done: %(what)s") if job.is_import
                else _("Your file is ready: %(what)s")) % {"what": JobKind(job.kind).label}
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
        for name in (job.file, job.upload):
            if name:
                storage.delete(name)
        job.status, job.file, job.upload = JobStatus.EXPIRED, "", ""
        job.save(update_fields=["status", "file", "upload"])
        removed += 1
    # A failed import keeps its file for a retry as long as a prepared file is kept.
    old = now - dt.timedelta(days=settings.BACKGROUND_FILE_DAYS)
    for job in Job.objects.filter(status=JobStatus.FAILED, finished_at__lte=old).exclude(upload=""):
        storage.delete(job.upload)
        job.upload = ""
        job.save(update_fields=["upload"])
        removed += 1
    root = storage.path("")
    cutoff = now.timestamp() - settings.BACKGROUND_STALE_S
    # An upload kept for an import whose job was never saved (its request failed after).
    kept = set(Job.objects.exclude(upload="").values_list("upload", flat=True))
    uploads = storage.path(UPLOADS_DIR)
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            orphan = folder == uploads and f"{UPLOADS_DIR}/{name}" not in kept
            if (name.startswith(".partial-") or orphan) and os.path.getmtime(path) < cutoff:
                os.unlink(path)
    return removed
