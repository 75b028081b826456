"""The Annual National Programme: chapters, goals, measures, quarterly reports, assessments."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnership.core.models import (
    Organization,
    Releasable,
    Withdrawable,
    localized,
    releasable_constraint,
    withdrawal_constraint,
)
from partnership.core.partial_dates import PartialDateField, partial_date

# The five chapters every ANP has, in the order the programme numbers them.
CHAPTERS: list[tuple[int, str, str]] = [
    (1, "Political and economic issues", "Політичні та економічні питання"),
    (2, "Defence and military issues", "Оборонні та військові питання"),
    (3, "Resources", "Ресурси"),
    (4, "Security issues", "Питання безпеки"),
    (5, "Legal issues", "Правові питання"),
]


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")


class Status(models.TextChoices):
    """The government's own status of a measure, as its agency reports it each quarter."""

    DONE = "done", _("done")
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    OVERDUE = "overdue", _("overdue")
    NOT_STARTED = "not_started", _("not started")


# Where a status stands on the Allied five-step scale; used to find disagreements.
STATUS_SCORE = {
    Status.DONE: 5,
    Status.ON_TRACK: 4,
    Status.AT_RISK: 2,
    Status.OVERDUE: 1,
    Status.NOT_STARTED: 1,
}
# Government and Allies disagree when they are this many steps apart on the scale.
DISAGREEMENT_STEPS = 2


class Rating(models.IntegerChoices):
    """The published scale of the Allied assessment."""

    INSUFFICIENT = 1, _("1 – insufficient progress")
    LIMITED = 2, _("2 – limited progress")
    SOME = 3, _("3 – some progress")
    GOOD = 4, _("4 – good progress")
    SUBSTANTIAL = 5, _("5 – substantial progress")


class AnnualProgramme(Releasable):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    # The partner's institution that coordinates this year's programme: its editors draft and
    # submit, its approvers approve. Roles elsewhere in the government do not reach the ANP.
    coordinator = models.ForeignKey(
        Organization,
        verbose_name=_("coordinating institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("copied from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    demo = models.BooleanField(_("generated demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("Annual National Programme")
        verbose_name_plural = _("Annual National Programmes")
        constraints = [
            releasable_constraint("annualprogramme"),
            models.CheckConstraint(condition=models.Q(year__gte=2000), name="anp_year"),
        ]

    def __str__(self) -> str:
        return str(_("Annual National Programme %(year)s")) % {"year": self.year}


class Chapter(models.Model):
    programme = models.ForeignKey(
        AnnualProgramme, on_delete=models.CASCADE, related_name="chapters"
    )
    number = models.PositiveSmallIntegerField(_("chapter"))
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255, blank=True)
    strategic_goal_en = models.TextField(_("strategic goal (English)"), blank=True)
    strategic_goal_uk = models.TextField(_("strategic goal (Ukrainian)"), blank=True)
    history = HistoricalRecords()

    # Orderings name the key columns ("programme_id"), not the relations: ordering by a
    # relation follows its model's own ordering through joins on every query.
    class Meta:
        ordering = ["programme_id", "number"]
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_chapter_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def strategic_goal(self) -> str:
        return localized(self, "strategic_goal")


class Goal(models.Model):
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(_("code"), max_length=16)
    text_en = models.TextField(_("goal (English)"))
    text_uk = models.TextField(_("goal (Ukrainian)"), blank=True)
    expected_result_en = models.TextField(_("expected result (English)"), blank=True)
    expected_result_uk = models.TextField(_("expected result (Ukrainian)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["chapter_id", "code"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [models.UniqueConstraint(fields=["chapter", "code"], name="one_goal_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def expected_result(self) -> str:
        return localized(self, "expected_result")


class Measure(Withdrawable, Releasable):
    # A child never outlives its parent's marking (core.selectors.released_filter).
    released_with = ("programme",)
    # The programme and chapter are also reachable through the goal; kept here so that the
    # filtered list of 5,000 measures needs no joins to filter.
    programme = models.ForeignKey(
        AnnualProgramme, on_delete=models.CASCADE, related_name="measures"
    )
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="measures")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="measures")
    code = models.CharField(_("code"), max_length=20)
    text_en = models.TextField(_("measure (English)"))
    text_uk = models.TextField(_("measure (Ukrainian)"), blank=True)
    agency = models.ForeignKey(
        Organization,
        verbose_name=_("responsible agency"),
        on_delete=models.PROTECT,
        related_name="anp_measures",
    )
    co_executors = models.ManyToManyField(
        Organization, verbose_name=_("co-executors"), blank=True, related_name="anp_co_measures"
    )
    # Empty only on a measure carried into a new year, until the coordinator gives the new
    # deadline: last year's would be wrong, and the draft cannot be submitted without one.
    deadline = PartialDateField(_("deadline"), blank=True)
    deadline_start = models.DateField(null=True, blank=True, editable=False)
    deadline_end = models.DateField(null=True, blank=True, editable=False, db_index=True)
    decisions = models.ManyToManyField(
        "framework.Decision",
        verbose_name=_("NUC decisions"),
        blank=True,
        related_name="anp_measures",
    )
    partnership_goals = models.ManyToManyField(
        "programmes.PartnershipGoal",
        verbose_name=_("PARP Partnership Goals"),
        blank=True,
        related_name="anp_measures",
    )
    projects = models.ManyToManyField(
        "trustfunds.Project",
        verbose_name=_("trust-fund projects"),
        blank=True,
        related_name="anp_measures",
    )
    # The government's status from the latest quarterly report, kept on the measure so that
    # lists and dashboards filter and count without reading every report.
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("carried over from"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
    )
    # A withdrawn measure stays (its reports and amendments with it) but no longer counts.
    history = HistoricalRecords(m2m_fields=[co_executors, decisions, partnership_goals, projects])

    class Meta:
        ordering = ["programme_id", "code"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            releasable_constraint("measure"),
            models.UniqueConstraint(fields=["programme", "code"], name="one_measure_code"),
            withdrawal_constraint("measure"),
        ]
        indexes = [
            models.Index(fields=["programme", "status"]),
            models.Index(fields=["programme", "agency"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def deadline_display(self) -> str:
        parsed = partial_date(self.deadline)
        return parsed.render() if parsed else ""


class MeasureIndicator(models.Model):
    """An effectiveness indicator of a measure: baseline, target and the latest actual."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="indicators")
    name_en = models.CharField(_("indicator (English)"), max_length=255)
    name_uk = models.CharField(_("indicator (Ukrainian)"), max_length=255, blank=True)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=2)
    actual = models.DecimalField(
        _("actual"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure_id", "id"]
        verbose_name = _("effectiveness indicator")
        verbose_name_plural = _("effectiveness indicators")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Amendment(models.Model):
    """A change to a measure of an approved programme: what changed, why, who approved it."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="amendments")
    changes = models.JSONField(_("changes"))
    reason = models.TextField(_("reason"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure_id", "approved_at"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")

    def __str__(self) -> str:
        return f"{self.measure.code}: {', '.join(self.changes)}"


def quarter_due(year: int, quarter: int) -> dt.date:
    """Reports are due on the 25th of the quarter's last month."""
    return dt.date(year, quarter * 3, 25)


class QuarterlyReportQuerySet(models.QuerySet["QuarterlyReport"]):
    def counted(self) -> QuarterlyReportQuerySet:
        """The reports that count: a withdrawn one stays readable, marked, and counts nowhere
        (the measure's status, progress, the NUC report, exports, dashboards)."""
        return self.filter(withdrawn_at__isnull=True)


class QuarterlyReport(Withdrawable):
    """An agency's report on one measure for one quarter; read through its measure's marking.

    Its agency corrects it (with a reason, kept in the history) or withdraws it until the
    Allies have assessed what it reports on."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)]
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    progress_en = models.TextField(_("progress (English)"), blank=True)
    progress_uk = models.TextField(_("progress (Ukrainian)"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    late = models.BooleanField(_("late"), default=False)
    # The latest correction's when and why; the history keeps every earlier version.
    corrected_at = models.DateTimeField(_("corrected at"), null=True, blank=True, editable=False)
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    history = HistoricalRecords()
    objects = QuarterlyReportQuerySet.as_manager()

    class Meta:
        ordering = ["measure_id", "year", "quarter"]
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        constraints = [
            # One report that counts per quarter: a withdrawn one leaves room for a new one.
            models.UniqueConstraint(
                fields=["measure", "year", "quarter"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_report",
            ),
            withdrawal_constraint("quarterlyreport"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarter_1_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.year} Q{self.quarter}"

    @property
    def progress(self) -> str:
        return localized(self, "progress")

    @property
    def due(self) -> dt.date:
        return quarter_due(self.year, self.quarter)


class IndicatorActual(models.Model):
    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="actuals")
    indicator = models.ForeignKey(
        MeasureIndicator, on_delete=models.CASCADE, related_name="actuals"
    )
    value = models.DecimalField(_("actual"), max_digits=16, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_actual_per_report")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class Evidence(models.Model):
    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(_("title"), max_length=255)
    url = models.URLField(_("link"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report_id", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.title


class Assessment(Releasable):
    """An Allied organization's rating of a chapter, or of one measure, for the year.

    Kept apart from the government's statuses; the two are shown side by side."""

    # A child never outlives its parent's marking (core.selectors.released_filter).
    released_with = (
        "programme",
        "measure",
    )

    programme = models.ForeignKey(
        AnnualProgramme, on_delete=models.CASCADE, related_name="assessments"
    )
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="assessments")
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="assessments"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["chapter__number", "measure__code", "organization__name_en"]
        verbose_name = _("Allied assessment")
        verbose_name_plural = _("Allied assessments")
        constraints = [
            releasable_constraint("assessment"),
            models.UniqueConstraint(
                fields=["chapter", "organization"],
                condition=models.Q(measure__isnull=True),
                name="one_chapter_rating_per_ally",
            ),
            models.UniqueConstraint(
                fields=["measure", "organization"],
                condition=models.Q(measure__isnull=False),
                name="one_measure_rating_per_ally",
            ),
        ]
