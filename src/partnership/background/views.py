"""Pages of prepared files: ask for one, watch its progress, download it, retry it."""

from __future__ import annotations

import datetime as dt

import django_filters
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnership.anp.models import AnnualProgramme
from partnership.background import selectors, services
from partnership.background.forms import JobForm
from partnership.background.models import Job, JobKind, JobStatus
from partnership.background.storage import prepared_files
from partnership.core.exceptions import ApplicationError
from partnership.core.forms import add_service_error
from partnership.core.lists import DATETIME, Column, marking_column, record_list
from partnership.core.models import localized
from partnership.core.selectors import visible_to
from partnership.trustfunds.models import Project


def _form(request: HttpRequest) -> JobForm:
    years = list(
        visible_to(request.user, AnnualProgramme.objects.all()).values_list("year", flat=True)
    )
    projects = [(p.slug, localized(p, "title") or p.slug)
                for p in visible_to(request.user, Project.objects.order_by("slug"))]  # fmt: skip
    initial = {"language": get_language() or "en", "kind": request.GET.get("kind", ""),
               "year": request.GET.get("year", ""), "project": request.GET.get("project", "")}  # fmt: skip
    return JobForm(request.POST or None, years=years, projects=projects, initial=initial)


class JobFilter(django_filters.FilterSet):
    # Not "kind"/"status": the request form above the list has a "kind" field of its own.
    what = django_filters.ChoiceFilter(
        field_name="kind",
        label=gettext_lazy("File"),
        choices=JobKind.choices,
        empty_label=gettext_lazy("All"),
    )
    state = django_filters.ChoiceFilter(
        field_name="status", label=gettext_lazy("Status"), choices=JobStatus.choices,
        empty_label=gettext_lazy("All"),
    )  # fmt: skip


def job_title(job: Job) -> str:
    """What a prepared file is, as its list names it: "Donor report … · demining-1"."""
    parts = [str(job.get_kind_display())]
    parts[0] += f" {job.params['year']}" if job.params.get("year") else ""
    parts += [str(job.params[key]) for key in ("project", "fund") if job.params.get(key)]
    if job.params.get("table"):
        parts.append(str(TABLES.get(job.params["table"], job.params["table"])))
    if job.params.get("from") or job.params.get("to"):
        ends = [date_format(dt.date.fromisoformat(job.params[key]), "DATE_FORMAT")
                if job.params.get(key) else "…" for key in ("from", "to")]  # fmt: skip
        parts.append(" – ".join(ends))
    return " · ".join(parts)


TABLES = {"measures": gettext_lazy("measures"), "status": gettext_lazy("quarterly status")}


def print_link(request: HttpRequest, *, kind: str, params: dict[str, object]) -> HttpResponse:
    """What a print or export link (`….pdf`, `….xlsx`) answers: the reader's job for that file
    — the one already queued or being made for the same file, else a new one — and 303 to its
    page, which shows the progress and then the download. Nothing is rendered in the request.
    The caller has already answered 404 for a record the reader may not see.

    A GET may start it: following the link again while the file is being made finds the same
    job (`reuse`), so a reload, a double click or a bookmark makes one file, not more."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        job = services.job_start(by=request.user, kind=kind, params=params, reuse=True)  # type: ignore[arg-type]
    except ApplicationError:
        raise Http404 from None
    response = HttpResponseRedirect(reverse("background:job", args=[job.pk]))
    response.status_code = 303  # See Other: the job's page, by GET, whatever asked
    return response


JOB_COLUMNS = (
    Column("file", gettext_lazy("File"), lambda j, u: job_title(j), ("kind", "created_at")),
    Column("asked", gettext_lazy("Asked for"), lambda j, u: j.created_at, ("created_at",),
           DATETIME),
    Column("status", gettext_lazy("Status"), lambda j, u: j.get_status_display(),
           ("status", "created_at")),
    marking_column(),
)  # fmt: skip


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_start(by=request.user, kind=form.cleaned_data["kind"],  # type: ignore[arg-type]
                                     params=form.cleaned_data)  # fmt: skip
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("background:job", job.pk)
    listing = record_list(
        request,
        selectors.jobs_for(user=request.user),  # type: ignore[arg-type]
        columns=JOB_COLUMNS,
        default_sort="-asked",
        filterset=JobFilter,
        filename=_("Prepared files"),
    )
    if isinstance(listing, HttpResponse):
        return listing
    jobs = [{"job": job, "title": job_title(job)} for job in listing.page]
    return render(request, "background/list.html",
                  {"form": form, "jobs": jobs, "listing": listing},
                  status=400 if form.errors else 200)  # fmt: skip


def _job(request: HttpRequest, pk: int) -> Job:
    job = selectors.job_get(user=request.user, pk=pk)  # type: ignore[arg-type]
    if job is None:
        raise Http404
    return job


def _state(request: HttpRequest, job: Job) -> dict[str, object]:
    return {
        "status": job.status,
        "status_label": str(JobStatus(job.status).label),
        "progress": job.progress,
        "step": job.step_text,
        "error": job.error,
        "download": reverse("background:download", args=[job.pk])
        if job.status == JobStatus.DONE and job.file
        else "",
    }


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    return render(request, "background/detail.html",
                  {"job": job, "title": job_title(job), "state": _state(request, job)})  # fmt: skip


@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(_state(request, _job(request, pk)))


def prepared_response(job: Job) -> FileResponse:
    """The file of a job the reader may see (the caller found it through `selectors`)."""
    if (
        job.status != JobStatus.DONE
        or not job.file
        or (job.expires_at and job.expires_at <= timezone.now())
    ):
        raise Http404
    response = FileResponse(
        prepared_files().open(job.file, "rb"), as_attachment=True, filename=job.file_name,
        content_type=job.content_type,
    )  # fmt: skip
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    return prepared_response(_job(request, pk))


@login_required
@require_POST
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    services.job_retry(by=request.user, job=_job(request, pk))  # type: ignore[arg-type]
    return redirect("background:job", pk)
