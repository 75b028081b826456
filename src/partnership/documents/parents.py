"""The records documents are attached to: how each is found, who may attach to it, which kinds
of document it takes, and its page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse

from partnership.anp.models import Measure, QuarterlyReport
from partnership.core.models import Releasable
from partnership.core.selectors import AnyUser, visible_to
from partnership.documents.models import DocumentKind
from partnership.framework.models import Agreement, Decision, Meeting
from partnership.programmes.models import Grant
from partnership.trustfunds.models import Project


def _framework_editor(user: AnyUser, record: Any) -> bool:
    from partnership.framework.services import can_edit

    return can_edit(user)


def _reporter(user: AnyUser, report: QuarterlyReport) -> bool:
    from partnership.anp.services import can_report

    return can_report(user, report.measure)


def _measure_reporter(user: AnyUser, measure: Measure) -> bool:
    from partnership.anp.services import can_report

    return can_report(user, measure)


def _grant_side(user: AnyUser, grant: Grant) -> bool:
    """The programme's managers, and the applicant (the application's own papers)."""
    from partnership.programmes.services import can_manage

    return can_manage(user, grant.programme) or (
        user.is_authenticated and grant.applicant_id == user.pk
    )


def _recorder(user: AnyUser, project: Project) -> bool:
    from partnership.trustfunds.services import can_record

    return can_record(user, project)


@dataclass(frozen=True)
class Parent:
    model: type[models.Model]
    may_attach: Callable[[AnyUser, Any], bool]
    kinds: tuple[str, ...]
    url: Callable[[Any], str]


PARENTS: dict[str, Parent] = {
    "meeting": Parent(
        Meeting,
        _framework_editor,
        (DocumentKind.AGENDA, DocumentKind.PAPER, DocumentKind.MINUTES, DocumentKind.OTHER),
        lambda m: reverse("framework:meeting", args=[m.pk]),
    ),
    "decision": Parent(
        Decision,
        _framework_editor,
        (DocumentKind.PAPER, DocumentKind.ACTION_SHEET, DocumentKind.OTHER),
        lambda d: (
            reverse("framework:meeting", args=[d.meeting_id])
            if d.meeting_id
            else reverse("framework:meetings")
        ),
    ),
    "agreement": Parent(
        Agreement,
        _framework_editor,
        (DocumentKind.SIGNED_TEXT, DocumentKind.OTHER),
        lambda a: reverse("framework:agreement", args=[a.slug]),
    ),
    "report": Parent(
        QuarterlyReport,
        _reporter,
        (DocumentKind.EVIDENCE, DocumentKind.OTHER),
        lambda r: reverse("anp:measure", args=[r.measure_id]),
    ),
    "measure": Parent(
        Measure,
        _measure_reporter,
        (DocumentKind.EVIDENCE, DocumentKind.OTHER),
        lambda m: reverse("anp:measure", args=[m.pk]),
    ),
    "grant": Parent(
        Grant,
        _grant_side,
        (DocumentKind.APPLICATION, DocumentKind.REPORT, DocumentKind.OTHER),
        lambda g: reverse("programmes:grant", args=[g.reference]),
    ),
    "project": Parent(
        Project,
        _recorder,
        (DocumentKind.PLAN, DocumentKind.REPORT, DocumentKind.AGENDA, DocumentKind.OTHER),
        lambda p: reverse("trustfunds:project", args=[p.slug]),
    ),
}
KIND_OF_MODEL = {parent.model: key for key, parent in PARENTS.items()}


def parent_kind(record: models.Model) -> str:
    return KIND_OF_MODEL[type(record)]


def parent_get(*, user: AnyUser, kind: str, pk: int) -> models.Model | None:
    """The record of that kind with that id if the user may see it (a report by its measure)."""
    parent = PARENTS.get(kind)
    if parent is None:
        return None
    if parent.model is QuarterlyReport:
        report = QuarterlyReport.objects.select_related("measure").filter(pk=pk).first()
        if report is None or not visible_to(user, Measure.objects.filter(pk=report.measure_id)):
            return None
        return report
    return visible_to(user, parent.model._default_manager.filter(pk=pk)).first()  # type: ignore[type-var]


def marking_parent(record: models.Model) -> Releasable:
    """The record whose marking a document on `record` may not be wider than."""
    if isinstance(record, QuarterlyReport):
        return record.measure
    assert isinstance(record, Releasable)
    return record


def parent_url(record: models.Model | None) -> str:
    return PARENTS[parent_kind(record)].url(record) if record is not None else ""


def may_attach(user: AnyUser, record: models.Model | None) -> bool:
    """Whether the user may attach documents to the record (and add versions, withdraw)."""
    if record is None or not user.is_authenticated or not user.is_active:
        return False
    return PARENTS[parent_kind(record)].may_attach(user, record)
