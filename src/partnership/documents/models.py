"""Documents attached to meetings, decisions, agreements, ANP reports, grants and projects, their
versions (each a file of its own), and each person's calendar feed."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnership.core.models import Releasable, localized, releasable_constraint


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda")
    PAPER = "paper", _("Paper")
    MINUTES = "minutes", _("Minutes")
    ACTION_SHEET = "action_sheet", _("Action sheet")
    SIGNED_TEXT = "signed_text", _("Signed text")
    EVIDENCE = "evidence", _("Evidence")
    APPLICATION = "application", _("Application")
    PLAN = "plan", _("Plan")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


# The records a document can be attached to, in the order its parent is looked for: a
# quarterly report's document names the report and its measure (through which it is read).
PARENT_FIELDS = ("meeting", "decision", "agreement", "report", "measure", "grant", "project")
# Of these, at most one is set (the services always set one; the measure goes with a report).
EXCLUSIVE_PARENTS = ("meeting", "decision", "agreement", "measure", "grant", "project")


def _at_most_one_parent() -> models.Q:
    condition = models.Q(**{f"{field}__isnull": True for field in EXCLUSIVE_PARENTS})
    for field in EXCLUSIVE_PARENTS:
        condition |= models.Q(
            **{f"{field}__isnull": False},
            **{f"{other}__isnull": True for other in EXCLUSIVE_PARENTS if other != field},
        )
    return condition


def parent_field(model: str, verbose_name: Any) -> models.ForeignKey[Any]:
    """A record a document may be attached to: optional (a document has one parent), and
    never deleted while documents hang on it (withdrawn records keep theirs)."""
    return models.ForeignKey(
        model,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )


class Document(Releasable):
    """A document of a record (a meeting's paper, an agreement's signed text …): its titles,
    kind and marking; its content is in its versions, of which the newest is current."""

    # The document is seen only where its parent is too (core.selectors.released_filter). A
    # quarterly report has no marking of its own: it is seen through its measure, which is
    # therefore kept beside it.
    released_with = EXCLUSIVE_PARENTS

    meeting = parent_field("framework.Meeting", _("meeting"))
    decision = parent_field("framework.Decision", _("decision"))
    agreement = parent_field("framework.Agreement", _("agreement"))
    report = parent_field("anp.QuarterlyReport", _("quarterly report"))
    measure = parent_field("anp.Measure", _("measure"))
    grant = parent_field("programmes.Grant", _("grant"))
    project = parent_field("trustfunds.Project", _("project"))
    kind = models.CharField(_("kind"), max_length=16, choices=DocumentKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("attached at"), auto_now_add=True)
    # Withdrawn, never deleted: its versions stay for the record, no longer offered to anyone.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "title_en", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            releasable_constraint("documents_document"),
            models.CheckConstraint(
                condition=_at_most_one_parent(), name="document_at_most_one_parent"
            ),
            models.CheckConstraint(
                condition=models.Q(report__isnull=True) | models.Q(measure__isnull=False),
                name="document_report_with_its_measure",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def parent(self) -> Any:
        for field in PARENT_FIELDS:
            if getattr(self, f"{field}_id") is not None:
                return getattr(self, field)
        return None

    @property
    def parent_kind(self) -> str:
        """ "" for a document on nothing (none is made so, but the database allows it)."""
        return next((f for f in PARENT_FIELDS if getattr(self, f"{f}_id") is not None), "")


def version_path(version: DocumentVersion, filename: str) -> str:
    """Where a version's bytes are kept: under a random name, never the uploader's (which is
    kept apart, sanitised, for the download)."""
    return f"documents/{version.document_id}/{version.number}-{secrets.token_hex(12)}"


class DocumentVersion(models.Model):
    """One version of a document: its own file, never overwritten by the next."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path, max_length=255)
    filename = models.CharField(_("file name"), max_length=160)
    content_type = models.CharField(_("type"), max_length=120)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    # The first page (PDF) or the picture (image) as a small PNG, made once on first view.
    preview = models.FileField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["document_id", "-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"


class CalendarFeed(models.Model):
    """A person's secret calendar address; only its hash is kept, like an API token's."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The calendar's language: the one the page was in when the address was made.
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()
