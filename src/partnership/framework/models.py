"""Bodies, meetings and what they decide, agreements and the milestones of the relationship."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnership.core.models import (
    Organization,
    Releasable,
    Sourced,
    Withdrawable,
    localized,
    releasable_constraint,
    withdrawal_constraint,
)
from partnership.core.partial_dates import PartialDate, PartialDateField

# Dates of the relationship start with Ukraine's independence (the factsheet's first line is
# 1991); anything earlier is a typing error, not a record (a body's founding date may be older).
EARLIEST = dt.date(1991, 1, 1)


def not_before_1991(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{field}_start__isnull": True})
        | models.Q(**{f"{field}_start__gte": EARLIEST}),
        name=f"{name}_{field}_not_before_1991",
    )


def ordered(first: str, then: str, name: str) -> models.CheckConstraint:
    """`then` does not end before `first` begins (partial dates: their start and end)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{first}_start__isnull": True})
        | models.Q(**{f"{then}_end__isnull": True})
        | models.Q(**{f"{first}_start__lte": models.F(f"{then}_end")}),
        name=f"{name}_{first}_before_{then}",
    )


class BodyKind(models.TextChoices):
    COMMISSION = "commission", _("Commission")
    COUNCIL = "council", _("Council")
    COMMITTEE = "committee", _("Committee")
    JOINT_WORKING_GROUP = "jwg", _("Joint working group")
    OFFICE = "office", _("NATO office in Kyiv")
    NATIONAL_COMMISSION = "national_commission", _("National commission")


class Body(Releasable, Sourced, Withdrawable):
    """A body of the partnership: the NUC, a joint working group, an office in Kyiv …"""

    slug = models.SlugField(_("key"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=BodyKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=255, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=32, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_uk = models.TextField(_("description (Ukrainian)"), blank=True)
    established = PartialDateField(_("established"), blank=True)
    established_start = models.DateField(null=True, blank=True, editable=False)
    established_end = models.DateField(null=True, blank=True, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("under the auspices of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidiaries",
    )
    chair_en = models.CharField(_("chair (English)"), max_length=255, blank=True)
    chair_uk = models.CharField(_("chair (Ukrainian)"), max_length=255, blank=True)
    members = models.ManyToManyField(Organization, verbose_name=_("members"), blank=True)
    history = HistoricalRecords(m2m_fields=[members])

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        constraints = [releasable_constraint("body"), withdrawal_constraint("body")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class MeetingLevel(models.TextChoices):
    SUMMIT = "summit", _("Summit")
    FOREIGN_MINISTERS = "foreign_ministers", _("Ministerial (foreign ministers)")
    DEFENCE_MINISTERS = "defence_ministers", _("Ministerial (defence ministers)")
    AMBASSADORS = "ambassadors", _("Ambassadorial")
    EXPERTS = "experts", _("Expert level")


class Meeting(Releasable, Sourced, Withdrawable):
    """A meeting of a body at a level, on a (partial) date, at a place."""

    # A natural key for meetings loaded from data files; meetings entered by hand have none.
    slug = models.SlugField(_("key"), max_length=80, unique=True, null=True, blank=True)
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings"
    )
    level = models.CharField(_("level"), max_length=32, choices=MeetingLevel.choices)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255, blank=True)
    date = PartialDateField(_("date"))
    date_start = models.DateField(null=True, blank=True, editable=False)
    date_end = models.DateField(null=True, blank=True, editable=False)
    place_en = models.CharField(_("place (English)"), max_length=255, blank=True)
    place_uk = models.CharField(_("place (Ukrainian)"), max_length=255, blank=True)
    # Why the meeting was called, e.g. consultations requested under Article 14 of the Charter.
    trigger_en = models.TextField(_("requested because (English)"), blank=True)
    trigger_uk = models.TextField(_("requested because (Ukrainian)"), blank=True)
    requested_by = models.ForeignKey(
        Organization,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    participants = models.ManyToManyField(
        Organization, verbose_name=_("participants"), blank=True, related_name="meetings"
    )
    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        ordering = ["-date_start", "title_en"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            releasable_constraint("meeting"),
            withdrawal_constraint("meeting"),
            not_before_1991("date", "meeting"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")


class AgendaItem(models.Model):
    """An item of a meeting's agenda; seen by whoever sees the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(_("position"))
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_unique")
        ]

    def __str__(self) -> str:
        return localized(self, "title")


class DocumentKind(models.TextChoices):
    COUNCIL_PAPER = "council_paper", _("Council paper")
    STATEMENT = "statement", _("Statement")
    DECLARATION = "declaration", _("Declaration")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other document")


council_reference = RegexValidator(
    r"^[A-Z]{1,4}(-[A-Z]{1,4})?\(\d{4}\)\d{4}$",
    _("A council-paper reference looks like C-M(2014)0042."),
)


class Document(Releasable):
    """A paper of a meeting: council paper, joint statement, declaration, report."""

    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices)
    reference = models.CharField(_("reference"), max_length=32, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255, blank=True)
    url = models.URLField(_("link"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference", "title_en"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [releasable_constraint("document")]

    def __str__(self) -> str:
        return f"{self.reference} {localized(self, 'title')}".strip()


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNDER_SILENCE = "silence", _("Under silence procedure")
    SILENCE_BROKEN = "broken", _("Silence broken")
    ADOPTED = "adopted", _("Adopted")


class Decision(Releasable, Withdrawable):
    """A decision taken at a meeting or by silence procedure, with its action sheet."""

    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    reference = models.CharField(
        _("reference"), max_length=32, blank=True, validators=[council_reference]
    )
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255, blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    text_uk = models.TextField(_("text (Ukrainian)"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    silence_deadline = models.DateTimeField(_("silence procedure ends"), null=True, blank=True)
    # Who broke silence (an Ally's person, or NATO staff on its behalf) and when; who adopted.
    silence_broken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("silence broken by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    silence_broken_for = models.ForeignKey(
        Organization,
        verbose_name=_("silence broken for"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    silence_broken_at = models.DateTimeField(
        _("silence broken"), null=True, blank=True, editable=False
    )
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adopted by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    adopted_at = models.DateTimeField(_("adopted"), null=True, blank=True, editable=False)
    # The action sheet: what the decision tasks, as the council paper records it; the action
    # items that follow it point at the decision.
    action_sheet_en = models.TextField(_("action sheet (English)"), blank=True)
    action_sheet_uk = models.TextField(_("action sheet (Ukrainian)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            releasable_constraint("decision"),
            withdrawal_constraint("decision"),
            models.CheckConstraint(
                condition=~models.Q(status="broken") | models.Q(silence_broken_at__isnull=False),
                name="broken_silence_says_when",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="adopted") | models.Q(adopted_at__isnull=False),
                name="adopted_decision_says_when",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="silence") | models.Q(silence_deadline__isnull=False),
                name="silence_procedure_has_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {localized(self, 'title')}".strip()


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(Releasable, Withdrawable):
    """Who does what by when, following a meeting or decision; may point at any record."""

    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="action_items"
    )
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="action_items"
    )
    title_en = models.CharField(_("action (English)"), max_length=255)
    title_uk = models.CharField(_("action (Ukrainian)"), max_length=255, blank=True)
    owner = models.ForeignKey(
        Organization, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="action_items"
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    # Any record the action serves (an ANP measure, a trust-fund project …).
    linked_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_id = models.PositiveBigIntegerField(null=True, blank=True)
    linked = GenericForeignKey("linked_type", "linked_id")
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        constraints = [
            releasable_constraint("actionitem"),
            withdrawal_constraint("actionitem"),
            models.CheckConstraint(
                condition=models.Q(deadline__isnull=True) | models.Q(deadline__gte=EARLIEST),
                name="actionitem_deadline_not_before_1991",
            ),
            models.CheckConstraint(
                condition=models.Q(linked_type__isnull=True, linked_id__isnull=True)
                | models.Q(linked_type__isnull=False, linked_id__isnull=False),
                name="actionitem_link_is_whole",
            ),
        ]

    def __str__(self) -> str:
        return localized(self, "title")


class AgreementKind(models.TextChoices):
    CHARTER = "charter", _("Charter or declaration")
    TREATY = "treaty", _("Agreement")
    MOU = "mou", _("Memorandum of understanding")
    EXCHANGE_OF_LETTERS = "letters", _("Exchange of letters")


class Agreement(Releasable, Sourced, Withdrawable):
    """An agreement with its parties and its signature, ratification and entry into force."""

    slug = models.SlugField(_("key"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255, blank=True)
    covers_en = models.TextField(_("what it covers (English)"), blank=True)
    covers_uk = models.TextField(_("what it covers (Ukrainian)"), blank=True)
    parties = models.ManyToManyField(Organization, verbose_name=_("parties"), blank=True)
    signed = PartialDateField(_("signed"), blank=True)
    signed_start = models.DateField(null=True, blank=True, editable=False)
    signed_end = models.DateField(null=True, blank=True, editable=False)
    ratified = PartialDateField(_("ratified"), blank=True)
    ratified_start = models.DateField(null=True, blank=True, editable=False)
    ratified_end = models.DateField(null=True, blank=True, editable=False)
    in_force = PartialDateField(_("entered into force"), blank=True)
    in_force_start = models.DateField(null=True, blank=True, editable=False)
    in_force_end = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        ordering = ["signed_start", "title_en"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            releasable_constraint("agreement"),
            withdrawal_constraint("agreement"),
            not_before_1991("signed", "agreement"),
            not_before_1991("ratified", "agreement"),
            not_before_1991("in_force", "agreement"),
            ordered("signed", "ratified", "agreement"),
            ordered("signed", "in_force", "agreement"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")


class Theme(models.TextChoices):
    POLITICAL = "political", _("Political dialogue")
    OPERATIONS = "operations", _("Operations and missions")
    DEFENCE_REFORM = "defence_reform", _("Defence and security sector reform")
    AGREEMENTS = "agreements", _("Agreements and institutions")
    CIVIL_EMERGENCY = "civil_emergency", _("Civil emergency planning")
    CRISIS = "crisis", _("Response to the conflict")
    TRUST_FUNDS = "trust_funds", _("Trust funds")


# The factsheet lists milestones by the year they start in and, within a year, as written:
# "May 1997, July 1997, 1997", "April 2008, 2008, December 2008", "January 2015, 29 January 2015".
# No order by dates alone gives that (by start "1997" comes first, by end "January 2015" comes
# after "29 January 2015"), so the number, which is the position in the factsheet, decides.
MILESTONE_ORDER = (ExtractYear("date_start").asc(), "number")


class Milestone(Releasable, Sourced, Withdrawable):
    """A milestone of the relationship, dated as the factsheet dates it."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    date = PartialDateField(_("date"))
    date_start = models.DateField(null=True, blank=True, editable=False)
    date_end = models.DateField(null=True, blank=True, editable=False)
    text_en = models.TextField(_("text (English)"))
    text_uk = models.TextField(_("text (Ukrainian)"))
    theme = models.CharField(_("theme"), max_length=32, choices=Theme.choices)
    bodies = models.ManyToManyField(Body, verbose_name=_("bodies"), blank=True)
    meetings = models.ManyToManyField(Meeting, verbose_name=_("meetings"), blank=True)
    agreements = models.ManyToManyField(Agreement, verbose_name=_("agreements"), blank=True)
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("organizations"), blank=True
    )
    history = HistoricalRecords(m2m_fields=[bodies, meetings, agreements, organizations])

    class Meta:
        ordering = MILESTONE_ORDER
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            releasable_constraint("milestone"),
            withdrawal_constraint("milestone"),
            not_before_1991("date", "milestone"),
        ]

    def __str__(self) -> str:
        return f"{self.date_display}: {localized(self, 'text')[:60]}"

    @property
    def partial_date(self) -> PartialDate:
        return PartialDate.parse(self.date)

    @property
    def date_display(self) -> str:
        return self.partial_date.render()

    @property
    def text(self) -> str:
        return localized(self, "text")
