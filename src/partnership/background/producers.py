"""What each kind of job makes: the same report and export functions the pages call."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop as N_

from partnership.background.models import Job, JobKind
from partnership.core.exceptions import ApplicationError
from partnership.core.models import Releasable

# progress(percent, step, values): the step is a msgid, shown in the reader's language.
Progress = Callable[..., None]


@dataclass(frozen=True)
class Made:
    data: bytes
    file_name: str
    content_type: str


@dataclass(frozen=True)
class Imported:
    """What an import saved (or, checked only, would save): shown on the job's page."""

    result: dict[str, Any]


class ImportRefused(ApplicationError):
    """The file has errors: each one named ({"row", "column", "message"}); nothing was saved."""

    def __init__(self, message: Any, errors: list[dict[str, Any]]) -> None:
        super().__init__(message, field="file", code="import_refused")
        self.errors = errors


MSG_GONE = gettext_lazy(
    "The record this file is made from is no longer there or no longer visible to you."
)


def source_of(*, kind: str, params: dict[str, Any], user: Any) -> Releasable | None:
    """The record a job is made from, as the user may see it (None: not there or hidden).
    The IATI export of all projects has none: it holds what the user may see."""
    if kind == JobKind.NUC_REPORT:
        from partnership.anp import selectors

        return selectors.programme_get(user=user, year=int(params["year"]))
    if kind == JobKind.DONOR_REPORT:
        from partnership.trustfunds import selectors as funds

        return funds.project_get(user=user, slug=str(params["project"]))
    if kind == JobKind.FUND_REPORT:
        from partnership.trustfunds import selectors as funds

        return funds.fund_get(user=user, slug=str(params["fund"]))
    if kind == JobKind.ANP_EXPORT:
        from partnership.anp import selectors

        return selectors.programme_get(user=user, year=int(params["year"]))
    return None


def period_of(params: dict[str, Any]) -> Any:
    """A fund report's period from its job's ISO dates ("" or absent: that end is open)."""
    import datetime as dt

    from partnership.trustfunds.selectors import Period

    start, end = (params.get(key) or "" for key in ("from", "to"))
    return Period(dt.date.fromisoformat(start) if start else None,
                  dt.date.fromisoformat(end) if end else None)  # fmt: skip


def _nuc_report(job: Job, progress: Progress) -> Made:
    from partnership.anp import report

    programme = source_of(kind=job.kind, params=job.params, user=job.requested_by)
    if programme is None:
        raise ApplicationError(MSG_GONE)
    language = job.params.get("language", "en")
    progress(10, N_("Reading the programme and its assessments"))
    html = report.render_html(user=job.requested_by, programme=programme, language=language)  # type: ignore[arg-type]
    progress(40, N_("Laying out the PDF"))
    from partnership.core import charts

    data = charts.html_to_pdf(html)
    return Made(data, f"anp-{job.params['year']}-nuc-report-{language}.pdf", "application/pdf")


def _donor_report(job: Job, progress: Progress) -> Made:
    from partnership.core import charts
    from partnership.trustfunds import report

    project = source_of(kind=job.kind, params=job.params, user=job.requested_by)
    if project is None:
        raise ApplicationError(MSG_GONE)
    language = job.params.get("language", "en")
    progress(10, N_("Adding up the project's money and results"))
    html = report.render_html(user=job.requested_by, project=project, language=language)  # type: ignore[arg-type]
    progress(40, N_("Laying out the PDF"))
    data = charts.html_to_pdf(html)
    return Made(data, f"{job.params['project']}-donor-report-{language}.pdf", "application/pdf")


def _fund_report(job: Job, progress: Progress) -> Made:
    from partnership.trustfunds import report

    fund = source_of(kind=job.kind, params=job.params, user=job.requested_by)
    if fund is None:
        raise ApplicationError(MSG_FUND_GONE)
    language = job.params.get("language", "en")
    progress(10, N_("Adding up the fund's projects, money and results"))
    data = report.render_fund_pdf(user=job.requested_by, fund=fund, period=period_of(job.params),  # type: ignore[arg-type]
                                  language=language)  # fmt: skip
    return Made(data, f"{job.params['fund']}-donor-report-{language}.pdf", "application/pdf")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _anp_export(job: Job, progress: Progress) -> Made:
    from partnership.anp import selectors, spreadsheets

    programme = source_of(kind=job.kind, params=job.params, user=job.requested_by)
    if programme is None:
        raise ApplicationError(MSG_GONE)
    table = str(job.params["table"])
    progress(10, N_("Writing the workbook"))
    rows = selectors.export_rows(user=job.requested_by, programme=programme)  # type: ignore[arg-type]
    data = spreadsheets.export(table, programme, rows, language=job.params.get("language", "en"))  # type: ignore[arg-type]
    return Made(data, f"anp-{job.params['year']}-{table}.xlsx", XLSX)


def _iati_export(job: Job, progress: Progress) -> Made:
    from partnership.trustfunds import iati

    projects = list(iati.export_queryset(job.requested_by))
    total = max(len(projects), 1)

    def counted() -> Iterator[Any]:
        for number, project in enumerate(projects, start=1):
            progress(5 + 85 * number // total, N_("Project %(n)s of %(total)s"),
                     {"n": number, "total": len(projects)})  # fmt: skip
            yield project

    try:
        data = iati.export(user=job.requested_by, projects=counted())
    except iati.IatiError as error:
        raise ApplicationError("; ".join(error.messages)) from None
    return Made(data, "trust-funds.iati.xml", "application/xml")


MSG_ROWS_REFUSED = gettext_lazy("%(count)s errors in the file; nothing was saved.")
MSG_FUND_GONE = gettext_lazy("The trust fund is no longer there or no longer visible to you.")


def _upload(job: Job) -> bytes:
    from partnership.background.storage import prepared_files

    if not job.upload:
        raise ApplicationError(MSG_UPLOAD_GONE)
    with prepared_files().open(job.upload, "rb") as handle:
        return bytes(handle.read())


MSG_UPLOAD_GONE = gettext_lazy("The file that was sent is no longer kept; upload it again.")


def _anp_import(job: Job, progress: Progress) -> Imported:
    from partnership.anp import services, spreadsheets

    progress(5, N_("Reading the workbook"))
    parsed = spreadsheets.parse(_upload(job))
    if parsed.errors:
        errors = [{"row": e.row, "column": e.column, "message": str(e.message)}
                  for e in parsed.errors]  # fmt: skip
        raise ImportRefused(MSG_ROWS_REFUSED % {"count": len(errors)}, errors)
    year = int(job.params["year"])
    if job.params.get("check"):
        return Imported({"measures": len(parsed.rows), "year": year, "saved": False})
    # One transaction (the service's): every measure or none. Its progress cannot be seen
    # from outside while it runs (a reader sees only what is committed), so it is one step.
    progress(40, N_("Saving %(count)s measures, all or none"), {"count": len(parsed.rows)})
    services.measures_import(by=job.requested_by, year=year, rows=parsed.rows)
    return Imported({"measures": len(parsed.rows), "year": year, "saved": True})


def _iati_import(job: Job, progress: Progress) -> Imported:
    from partnership.trustfunds import iati, iati_parse, selectors, services

    fund = selectors.fund_get(user=job.requested_by, slug=str(job.params["fund"]))
    if fund is None:
        raise ApplicationError(MSG_FUND_GONE)
    data = _upload(job)
    progress(5, N_("Checking the file against the IATI 2.03 schema"))
    problems = iati.validate(data)  # not well-formed or a DOCTYPE is one reason among these
    if problems:
        raise ImportRefused(MSG_ROWS_REFUSED % {"count": len(problems)},
                            [{"row": 0, "column": "", "message": p} for p in problems])  # fmt: skip
    progress(30, N_("Reading the activities"))
    activities = iati_parse.parse(data)
    if job.params.get("check"):
        return Imported({"projects": [a.identifier for a in activities], "saved": False})
    progress(50, N_("Recording %(count)s activities, all or none"), {"count": len(activities)})
    # The service runs in one transaction and undoes everything when any activity fails.
    result = services.project_import(by=job.requested_by, fund=fund, activities=activities)
    if result.errors:
        raise ImportRefused(MSG_ROWS_REFUSED % {"count": len(result.errors)},
                            [{"row": 0, "column": "", "message": str(e)} for e in result.errors])  # fmt: skip
    return Imported({"projects": [p.slug for p in result.projects], "fund": fund.slug,
                     "saved": True})  # fmt: skip


PRODUCERS: dict[str, Callable[[Job, Progress], Made | Imported]] = {
    JobKind.NUC_REPORT: _nuc_report,
    JobKind.DONOR_REPORT: _donor_report,
    JobKind.FUND_REPORT: _fund_report,
    JobKind.ANP_EXPORT: _anp_export,
    JobKind.IATI_EXPORT: _iati_export,
    JobKind.ANP_IMPORT: _anp_import,
    JobKind.IATI_IMPORT: _iati_import,
}
