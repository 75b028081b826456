"""API of prepared files and imports: start one, follow its progress, download, retry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from partnership.background import selectors, services
from partnership.background.models import Job, JobKind, JobStatus
from partnership.core.auth import WRITE
from partnership.core.exceptions import ApplicationError

router = Router(tags=["prepared files"])

# One's own jobs only: an anonymous caller has none, so every route needs a token or a login.
PERSONAL = WRITE


class ImportErrorOut(Schema):
    row: int = Field(..., description="The row of the workbook (0: the file as a whole)")
    column: str
    message: str


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None


def import_refused(exc: ApplicationError) -> Any:
    """A file refused before it is kept: too large is 413, anything else the usual 400."""
    if exc.code != "too_large":
        raise exc
    return Status(413, {"code": exc.code, "message": str(exc.message), "field": exc.field})


class JobOut(Schema):
    id: int
    kind: str
    kind_label: str
    params: dict[str, Any]
    status: str = Field(..., description="queued, running, done, failed or expired")
    status_label: str
    progress: int = Field(..., description="0 to 100")
    step: str = Field(..., description="What it is doing now, in the caller's language")
    error: str = Field(..., description="Why it failed, in the requester's language")
    errors: list[ImportErrorOut] = Field(..., description="An import's errors, each named")
    result: dict[str, Any] = Field(..., description="What an import saved or would save")
    marking: str
    releasable_to: list[str]
    attempts: int
    created_at: dt.datetime
    finished_at: dt.datetime | None
    expires_at: dt.datetime | None
    file_name: str
    size: int | None
    download: str | None = Field(None, description="Where the file is, once it is ready")
    page: str

    @staticmethod
    def resolve_kind_label(obj: Job) -> str:
        return str(JobKind(obj.kind).label)

    @staticmethod
    def resolve_status_label(obj: Job) -> str:
        return str(JobStatus(obj.status).label)

    @staticmethod
    def resolve_step(obj: Job) -> str:
        return obj.step_text

    @staticmethod
    def resolve_releasable_to(obj: Job) -> list[str]:
        return obj.releasable_codes

    @staticmethod
    def resolve_download(obj: Job) -> str | None:
        if obj.status == JobStatus.DONE and obj.file:
            return f"/api/jobs/{obj.pk}/file"
        return None

    @staticmethod
    def resolve_page(obj: Job) -> str:
        return reverse("background:job", args=[obj.pk])


class JobIn(Schema):
    kind: str = Field(
        ..., description="nuc_report, donor_report, fund_report, anp_export or iati_export"
    )
    year: int | None = Field(None, description="The ANP year (nuc_report, anp_export)")
    project: str | None = Field(None, description="The project's key (donor_report)")
    fund: str | None = Field(None, description="The trust fund's key (fund_report)")
    start: dt.date | None = Field(None, description="The period's first day (fund_report)")
    end: dt.date | None = Field(None, description="The period's last day (fund_report)")
    table: str | None = Field(None, description="measures or status (anp_export)")
    language: str = Field("en", description="en or uk")


def _job(request: HttpRequest, pk: int) -> Job:
    job = selectors.job_get(user=request.user, pk=pk)  # type: ignore[arg-type]
    if job is None:
        raise Http404
    return job


@router.get("/jobs", response=list[JobOut], auth=PERSONAL)
def jobs(request: HttpRequest) -> Any:
    """The caller's own prepared files and imports, newest first (the last 50)."""
    return list(selectors.jobs_for(user=request.user)[:50])  # type: ignore[arg-type]


def _params(payload: JobIn) -> dict[str, Any]:
    params = payload.dict(exclude={"kind", "start", "end"}, exclude_none=True)
    for key, day in (("from", payload.start), ("to", payload.end)):
        if day is not None:
            params[key] = day.isoformat()
    return params


@router.post("/jobs", response={202: JobOut}, auth=PERSONAL)
def job_start(request: HttpRequest, payload: JobIn) -> Any:
    """Asks the worker for a report or export; follow it at `/api/jobs/{id}`. Imports start
    where their file is sent (`/api/anp/{year}/import`, `/api/trust-funds/{fund}/iati`)."""
    job = services.job_start(
        by=request.user,  # type: ignore[arg-type]
        kind=payload.kind,
        params=_params(payload),
    )
    return Status(202, job)


@router.get("/jobs/{pk}", response=JobOut, auth=PERSONAL)
def job(request: HttpRequest, pk: int) -> Any:
    """Its status and progress; `download` once the file is ready."""
    return _job(request, pk)


@router.post("/jobs/{pk}/retry", response={202: JobOut}, auth=PERSONAL)
def job_retry(request: HttpRequest, pk: int) -> Any:
    """A failed job queued again (an import with the file it was sent)."""
    return Status(202, services.job_retry(by=request.user, job=_job(request, pk)))  # type: ignore[arg-type]


@router.get("/jobs/{pk}/file", auth=PERSONAL)
def job_file(request: HttpRequest, pk: int) -> Any:
    """The prepared file, to its requester only, while they may see what it was made from."""
    from partnership.background.views import prepared_response

    return prepared_response(_job(request, pk))
