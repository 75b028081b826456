"""Programmes, institutions, events with counted participation, grants, PARP and CEP."""

from __future__ import annotations

from django.conf import settings
from django.db import models
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


class Programme(Releasable, Sourced):
    """A capacity-building programme (PDP, DEEP, Building Integrity, SPS …) with its managers."""

    slug = models.SlugField(_("key"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=255, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=32, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_uk = models.TextField(_("description (Ukrainian)"), blank=True)
    started = PartialDateField(_("started"), blank=True)
    started_start = models.DateField(null=True, blank=True, editable=False)
    started_end = models.DateField(null=True, blank=True, editable=False)
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("managers"), blank=True, related_name="programmes"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [releasable_constraint("programme")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Institution(Releasable, Sourced):
    """An institution a programme works with (the eight DEEP defence education institutions …)."""

    # A child never outlives its parent's marking (core.selectors.released_filter).
    released_with = ("programme",)

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="institutions")
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=255, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=100)
    city_uk = models.CharField(_("city (Ukrainian)"), max_length=100, blank=True)
    # No public source names the eight DEEP institutions (the factsheet names their cities): the
    # demo's names are generated records, never loaded as facts.
    demo = models.BooleanField(_("generated demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["city_en", "name_en"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [releasable_constraint("institution")]

    def __str__(self) -> str:
        return localized(self, "name")


class EventKind(models.TextChoices):
    COURSE = "course", _("Course")
    SEMINAR = "seminar", _("Seminar")
    VISIT = "visit", _("Visit")
    EXERCISE = "exercise", _("Exercise")
    CONFERENCE = "conference", _("Conference")


class Event(Releasable, Sourced, Withdrawable):
    """A course, seminar, visit or exercise; its participants are counted, not registered. A
    withdrawn event counts nowhere (totals, figures, exports) but its managers still read it."""

    # A child never outlives its parent's marking (core.selectors.released_filter).
    released_with = ("programme",)

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255, blank=True)
    date = PartialDateField(_("date"))
    date_start = models.DateField(null=True, blank=True, editable=False)
    date_end = models.DateField(null=True, blank=True, editable=False)
    place_en = models.CharField(_("place (English)"), max_length=255, blank=True)
    place_uk = models.CharField(_("place (Ukrainian)"), max_length=255, blank=True)
    organizers = models.ManyToManyField(Organization, verbose_name=_("organizers"), blank=True)
    participants_total = models.PositiveIntegerField(_("participants in all"), default=0)
    demo = models.BooleanField(_("generated demo record"), default=False)
    history = HistoricalRecords(m2m_fields=[organizers])

    class Meta:
        ordering = ["-date_start", "title_en"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            releasable_constraint("event"),
            withdrawal_constraint("event"),
            models.CheckConstraint(
                condition=models.Q(date_start__lte=models.F("date_end"))
                | models.Q(date_start__isnull=True)
                | models.Q(date_end__isnull=True),
                name="event_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return localized(self, "title")

    @property
    def date_display(self) -> str:
        return PartialDate.parse(self.date).render()


class Service(models.TextChoices):
    CIVILIAN = "civilian", _("civilian")
    MILITARY = "military", _("military")


class Sex(models.TextChoices):
    FEMALE = "female", _("women")
    MALE = "male", _("men")
    UNSPECIFIED = "unspecified", _("not stated")


class RankGroup(models.TextChoices):
    JUNIOR = "junior", _("junior")
    MIDDLE = "middle", _("middle")
    SENIOR = "senior", _("senior")
    NOT_APPLICABLE = "n/a", _("not applicable")


class Participation(models.Model):
    """How many people of one organization and one kind took part: counts, not names."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participation")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    service = models.CharField(_("civilian or military"), max_length=8, choices=Service.choices)
    sex = models.CharField(_("sex"), max_length=12, choices=Sex.choices)
    rank_group = models.CharField(_("rank group"), max_length=8, choices=RankGroup.choices)
    count = models.PositiveIntegerField(_("count"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participation")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization", "service", "sex", "rank_group"],
                name="one_count_per_group",
            ),
            models.CheckConstraint(condition=models.Q(count__gt=0), name="participation_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.event}: {self.count}"


class GrantStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    UNDER_REVIEW = "review", _("Under review")
    AWARDED = "awarded", _("Awarded")
    REJECTED = "rejected", _("Rejected")
    COMPLETED = "completed", _("Completed")


class Topic(models.TextChoices):
    CBRN = "cbrn", _("CBRN agents")
    ENERGY = "energy", _("Energy security")
    CYBER = "cyber", _("Cyber defence")
    DEMINING = "demining", _("Humanitarian demining")
    IT = "it", _("Information technologies")
    ENVIRONMENT = "environment", _("Defence-related environmental problems")
    MATERIALS = "materials", _("New materials")


class Grant(Releasable, Sourced, Withdrawable):
    """A Science for Peace and Security grant: application, review, award, periods, outputs.
    Its applicant may withdraw it until a reviewer has recommended or a manager decided."""

    # A child never outlives its parent's marking (core.selectors.released_filter).
    released_with = ("programme",)

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="grants")
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255, blank=True)
    topic = models.CharField(_("topic"), max_length=16, choices=Topic.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=GrantStatus.choices, default=GrantStatus.APPLIED
    )
    beneficiary = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="grants",
        verbose_name=_("beneficiary country"),
    )  # fmt: skip
    institutions = models.ManyToManyField(
        Organization, verbose_name=_("partner institutions"), blank=True, related_name="+"
    )
    ceiling_eur = models.DecimalField(_("approved ceiling (EUR)"), max_digits=12, decimal_places=2)
    awarded_eur = models.DecimalField(
        _("awarded (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    period = PartialDateField(_("project period"), blank=True)
    period_start = models.DateField(null=True, blank=True, editable=False)
    period_end = models.DateField(null=True, blank=True, editable=False)
    outputs_en = models.TextField(_("outputs (English)"), blank=True)
    summary_en = models.TextField(_("application summary"), blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("applicant"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )  # fmt: skip
    decision_note = models.TextField(_("decision note"), blank=True)
    demo = models.BooleanField(_("generated demo record"), default=False)
    history = HistoricalRecords(m2m_fields=[institutions])

    class Meta:
        ordering = ["reference"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            releasable_constraint("grant"),
            withdrawal_constraint("grant"),
            models.CheckConstraint(
                condition=models.Q(awarded_eur__isnull=True)
                | models.Q(awarded_eur__lte=models.F("ceiling_eur")),
                name="award_within_ceiling",
            ),
            models.CheckConstraint(
                condition=models.Q(awarded_eur__isnull=True) | models.Q(awarded_eur__gt=0),
                name="award_positive",
            ),
            models.CheckConstraint(condition=models.Q(ceiling_eur__gt=0), name="request_positive"),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end"))
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True),
                name="grant_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {localized(self, 'title')}"

    @property
    def period_display(self) -> str:
        return PartialDate.parse(self.period).render() if self.period else ""


class Recommendation(models.TextChoices):
    AWARD = "award", _("award")
    REJECT = "reject", _("reject")


class GrantReview(models.Model):
    """An expert's review of an SPS application: a score, a recommendation and the reasons."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewer"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    score = models.PositiveSmallIntegerField(
        _("score (1-5)"), choices=[(n, str(n)) for n in range(1, 6)]
    )
    recommendation = models.CharField(
        _("recommendation"), max_length=8, choices=Recommendation.choices
    )
    comment = models.TextField(_("comment"))
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["grant", "reviewed_at"]
        verbose_name = _("grant review")
        verbose_name_plural = _("grant reviews")
        constraints = [
            models.UniqueConstraint(fields=["grant", "reviewer"], name="one_review_per_reviewer")
        ]

    def __str__(self) -> str:
        return f"{self.grant.reference}: {self.score} ({self.get_recommendation_display()})"


class GoalStatus(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    NEGOTIATED = "negotiated", _("Negotiated")
    APPROVED = "approved", _("Approved")


class PartnershipGoal(Releasable):
    """A PARP Partnership Goal, agreed in an even year and assessed in the odd years."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255, blank=True)
    cycle = models.PositiveSmallIntegerField(_("PARP cycle (even year)"))
    status = models.CharField(
        _("status"), max_length=12, choices=GoalStatus.choices, default=GoalStatus.DRAFTED
    )
    # What serves the goal: trust-fund projects here, ANP measures through Measure.partnership_goals.
    projects = models.ManyToManyField(
        "trustfunds.Project",
        verbose_name=_("trust-fund projects"),
        blank=True,
        related_name="partnership_goals",
    )
    demo = models.BooleanField(_("generated demo record"), default=False)
    history = HistoricalRecords(m2m_fields=[projects])

    class Meta:
        ordering = ["cycle", "code"]
        verbose_name = _("Partnership Goal")
        verbose_name_plural = _("Partnership Goals")
        constraints = [
            releasable_constraint("partnershipgoal"),
            models.CheckConstraint(condition=models.Q(cycle__gte=1994), name="goal_cycle_year"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {localized(self, 'title')}"


class GoalAssessment(Releasable):
    """The PARP Assessment of one goal in an odd year: progress and the assessors' words."""

    # A child never outlives its parent's marking (core.selectors.released_filter).
    released_with = ("goal",)

    goal = models.ForeignKey(PartnershipGoal, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("assessment year (odd)"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"))
    comment_en = models.TextField(_("comment (English)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["goal", "year"]
        verbose_name = _("PARP assessment")
        verbose_name_plural = _("PARP assessments")
        constraints = [
            releasable_constraint("goalassessment"),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="progress_percent"),
            models.UniqueConstraint(fields=["goal", "year"], name="one_assessment_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.goal.code} {self.year}: {self.progress}%"


class AssistanceDirection(models.TextChoices):
    RECEIVED = "received", _("Received by Ukraine")
    GIVEN = "given", _("Given by Ukraine")


class Assistance(Releasable, Sourced):
    """Civil emergency assistance received or given (the floods of 1995, 1998, 2001; 2010)."""

    direction = models.CharField(_("direction"), max_length=8, choices=AssistanceDirection.choices)
    date = PartialDateField(_("date"))
    date_start = models.DateField(null=True, blank=True, editable=False)
    date_end = models.DateField(null=True, blank=True, editable=False)
    description_en = models.TextField(_("description (English)"))
    description_uk = models.TextField(_("description (Ukrainian)"), blank=True)
    partners = models.ManyToManyField(Organization, verbose_name=_("partners"), blank=True)
    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        ordering = ["date_start"]
        verbose_name = _("emergency assistance")
        verbose_name_plural = _("emergency assistance")
        constraints = [releasable_constraint("assistance")]

    def __str__(self) -> str:
        return localized(self, "description")[:60]

    @property
    def date_display(self) -> str:
        return PartialDate.parse(self.date).render()


class IntegrityStepKind(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", _("Self-assessment questionnaire")
    PEER_REVIEW = "peer_review", _("Peer review visit")
    TAILORED_PROGRAMME = "tailored", _("Tailored programme")


class IntegrityStep(Releasable):
    """A step of the Building Integrity process: the partner's self-assessment, the expert
    team's peer review visit and its report, then the tailored programme that follows."""

    # A child never outlives its parent's marking (core.selectors.released_filter).
    released_with = ("programme",)

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="integrity_steps"
    )
    partner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("step"), max_length=16, choices=IntegrityStepKind.choices)
    date = PartialDateField(_("date"))
    date_start = models.DateField(null=True, blank=True, editable=False)
    date_end = models.DateField(null=True, blank=True, editable=False)
    team_en = models.CharField(_("expert team (English)"), max_length=255, blank=True)
    summary_en = models.TextField(_("summary or report (English)"))
    summary_uk = models.TextField(_("summary or report (Ukrainian)"), blank=True)
    demo = models.BooleanField(_("generated demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date_start", "kind"]
        verbose_name = _("Building Integrity step")
        verbose_name_plural = _("Building Integrity steps")
        constraints = [releasable_constraint("integritystep")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {PartialDate.parse(self.date).render()}"


class IntegrityAnswer(models.Model):
    """One question of the self-assessment questionnaire with the partner's answer and evidence;
    seen by whoever sees its step."""

    step = models.ForeignKey(IntegrityStep, on_delete=models.CASCADE, related_name="answers")
    position = models.PositiveSmallIntegerField(_("position"))
    question_en = models.TextField(_("question (English)"))
    answer_en = models.TextField(_("answer (English)"))
    evidence = models.URLField(_("evidence"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["step", "position"]
        verbose_name = _("questionnaire answer")
        verbose_name_plural = _("questionnaire answers")
        constraints = [models.UniqueConstraint(fields=["step", "position"], name="answer_position")]

    def __str__(self) -> str:
        return self.question_en[:60]


class ParpSurvey(Releasable):
    """The partner's PARP survey: the planning information the Partnership Goals start from."""

    partner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    cycle = models.PositiveSmallIntegerField(_("PARP cycle (even year)"))
    summary_en = models.TextField(_("summary (English)"))
    summary_uk = models.TextField(_("summary (Ukrainian)"), blank=True)
    demo = models.BooleanField(_("generated demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-cycle"]
        verbose_name = _("PARP survey")
        verbose_name_plural = _("PARP surveys")
        constraints = [
            releasable_constraint("parpsurvey"),
            models.UniqueConstraint(fields=["partner", "cycle"], name="one_survey_per_cycle"),
        ]

    def __str__(self) -> str:
        return f"PARP {self.cycle}: {self.partner}"
