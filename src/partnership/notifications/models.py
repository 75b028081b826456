"""Notifications: what a person is told, how they chose to be told, and whether the e-mail went."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    REPORT_DUE = "report_due", _("Quarterly report due in 7 days")
    REPORT_OVERDUE = "report_overdue", _("Quarterly report overdue")
    REPORTS_LATE = "reports_late", _("Who is late with quarterly reports (coordinator)")
    SILENCE_OPENED = "silence_opened", _("Silence procedure opened")
    SILENCE_ENDING = "silence_ending", _("Silence procedure ends within 24 hours")
    SILENCE_BROKEN = "silence_broken", _("Silence broken")
    ACTION_ASSIGNED = "action_assigned", _("Action item assigned")
    ACTION_DUE = "action_due", _("Action item due in 3 days")
    ACTION_OVERDUE = "action_overdue", _("Action item overdue")
    SPS_REVIEW = "sps_review", _("SPS application waiting for review")
    ANP_SUBMITTED = "anp_submitted", _("ANP submitted for approval")
    ANP_APPROVED = "anp_approved", _("ANP approved")
    ANP_RETURNED = "anp_returned", _("ANP returned for drafting")
    FUND_APPROVAL = "fund_approval", _("Trust-fund step needing approval")
    RENEGADE = "renegade", _("Renegade alert escalated")
    JOB_DONE = "job_done", _("File prepared in the background")


class Channel(models.TextChoices):
    IMMEDIATE = "immediate", _("at once (site and e-mail)")
    DIGEST = "digest", _("daily digest (site at once, e-mail once a day)")
    OFF = "off", _("off")


class EmailState(models.TextChoices):
    PENDING = "pending", _("to send")
    DIGEST = "digest", _("waiting for the digest")
    SENT = "sent", _("sent")
    NONE = "none", _("not by e-mail")
    WITHHELD = "withheld", _("withheld: the record is no longer visible")


class Recipient(models.Model):
    """A person's notification settings: the language their messages are written in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    language = models.CharField(_("language of messages"), max_length=8, choices=settings.LANGUAGES)
    # When this person's last digest went out (none is sent twice on a day).
    digest_sent_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"


class Preference(models.Model):
    """How one person wants to hear of one kind; a kind without a row is told at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    channel = models.CharField(_("how"), max_length=12, choices=Channel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} {self.channel}"


class Notification(models.Model):
    """One thing one person is told, once: unique per recipient, kind, record and occasion."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    record_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    record = GenericForeignKey("record_type", "record_id")
    # "framework.decision:12", or "" for news of no record (a renegade alert): the key of the
    # once-only rule, where a NULL would never be equal to another.
    record_key = models.CharField(max_length=80, blank=True)
    # What makes this notice this one: a due date, a deadline, the moment of an event.
    occasion = models.CharField(max_length=64)
    # Written in both languages when made: the site shows the page's language, the e-mail
    # the recipient's.
    subject_en = models.CharField(max_length=300)
    subject_uk = models.CharField(max_length=300)
    body_en = models.TextField(blank=True)
    body_uk = models.TextField(blank=True)
    # Where the record is, without the language prefix ("/anp/2026/measures/").
    path = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=12, choices=EmailState.choices)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_next_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=300, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "record_key", "occasion"], name="notified_once"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_state", "email_next_at"]),
        ]

    def __str__(self) -> str:
        return self.subject_en

    def subject_in(self, language: str) -> str:
        return self.subject_uk if language.startswith("uk") and self.subject_uk else self.subject_en

    def body_in(self, language: str) -> str:
        return self.body_uk if language.startswith("uk") and self.body_uk else self.body_en
