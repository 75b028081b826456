"""A piece of long work the worker does for a person: its progress, its file and its marking."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from partnership.core.models import Releasable, releasable_constraint

# The step of a job whose worker died, shown in the reader's language.
STEP_WORKER_DIED = gettext_noop(
    "The worker stopped while preparing this file (attempt %(attempt)s of %(most)s)."
)


class JobKind(models.TextChoices):
    NUC_REPORT = "nuc_report", _("ANP assessment report to the NUC (PDF)")
    DONOR_REPORT = "donor_report", _("Donor report of a trust-fund project (PDF)")
    FUND_REPORT = "fund_report", _("Donor report of a trust fund (PDF)")
    ANP_EXPORT = "anp_export", _("ANP measures or quarterly status table (XLSX)")
    IATI_EXPORT = "iati_export", _("IATI 2.03 export of all projects (XML)")
    ANP_IMPORT = "anp_import", _("ANP import from a workbook (XLSX)")
    IATI_IMPORT = "iati_import", _("IATI 2.03 import into a trust fund (XML)")


# Kinds that read a file someone sent and save records, rather than make a file to download.
IMPORT_KINDS = (JobKind.ANP_IMPORT, JobKind.IATI_IMPORT)


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("in progress")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired (file removed)")


class Job(Releasable):
    """Carries the marking of the record it was made from: its file is never shown wider."""

    kind = models.CharField(_("what"), max_length=16, choices=JobKind.choices)
    # What to make: {"year": 2026, "language": "uk"}, {"project": "slug", "language": "en"},
    # {"fund": "slug", "from": "2026-01-01", "to": "", "language": "en"} or
    # {"year": 2026, "table": "measures", "language": "uk"}.
    params = models.JSONField(default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="background_jobs"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # What it is doing now, as a msgid and its values: shown in the reader's language.
    step = models.CharField(_("step"), max_length=200, blank=True)
    step_values = models.JSONField(default=dict, blank=True)
    error = models.TextField(_("why it failed"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # host:pid of the worker running it, and when it last said so: a dead worker's job is
    # found by the next one (retried, or failed after BACKGROUND_MAX_ATTEMPTS).
    worker = models.CharField(max_length=120, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    file = models.CharField(max_length=200, blank=True)
    # An import's file as it was sent, kept (in the prepared files' storage, under no URL)
    # until the import is saved or the job expires, so a failed one can be tried again.
    upload = models.CharField(max_length=200, blank=True)
    upload_name = models.CharField(max_length=200, blank=True)
    # What an import did ({"measures": 450, "year": 2026} / {"projects": [...]}), and every
    # error it found ({"row", "column", "message"}), shown on the job's page.
    result = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=80, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("prepared file")
        verbose_name_plural = _("prepared files")
        constraints = [
            releasable_constraint("job"),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="job_progress_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{JobKind(self.kind).label} #{self.pk}"

    @property
    def is_import(self) -> bool:
        return self.kind in IMPORT_KINDS

    @property
    def step_text(self) -> str:
        if not self.step:
            return ""
        try:
            return gettext(self.step) % self.step_values
        except (KeyError, TypeError, ValueError):
            return gettext(self.step)
