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
    return None


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


PRODUCERS: dict[str, Callable[[Job, Progress], Made]] = {
    JobKind.NUC_REPORT: _nuc_report,
    JobKind.DONOR_REPORT: _donor_report,
    JobKind.IATI_EXPORT: _iati_export,
}
