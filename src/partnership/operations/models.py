"""Operations and missions, and the contributions of partners to them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnership.core.models import (
    Organization,
    Releasable,
    Sourced,
    localized,
    releasable_constraint,
)
from partnership.core.partial_dates import PartialDate, PartialDateField


class OperationKind(models.TextChoices):
    OPERATION = "operation", _("Operation")
    MISSION = "mission", _("Mission")
    FORCE = "force", _("Force")


class Operation(Releasable, Sourced):
    """A NATO-led operation or mission (IFOR/SFOR, KFOR, ISAF, Resolute Support …)."""

    slug = models.SlugField(_("key"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=OperationKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=255, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=32, blank=True)
    theatre_en = models.CharField(_("theatre (English)"), max_length=255, blank=True)
    theatre_uk = models.CharField(_("theatre (Ukrainian)"), max_length=255, blank=True)
    period = PartialDateField(_("period"), blank=True)
    period_start = models.DateField(null=True, blank=True, editable=False)
    period_end = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period_start", "name_en"]
        verbose_name = _("operation or mission")
        verbose_name_plural = _("operations and missions")
        constraints = [releasable_constraint("operation")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class ContributionKind(models.TextChoices):
    TROOPS = "troops", _("Troops or unit")
    SHIP = "ship", _("Ship")
    AIRLIFT = "airlift", _("Airlift")
    MEDICAL = "medical", _("Medical staff")
    INSTRUCTORS = "instructors", _("Instructors or officers")
    TRANSIT = "transit", _("Over-flight and transit")
    SPECIALIST = "specialist", _("Specialist unit")


class Contribution(Releasable, Sourced):
    """What a contributor sent to an operation, when, and how many people where known."""

    # A child never outlives its parent's marking (core.selectors.released_filter).
    released_with = ("operation",)

    operation = models.ForeignKey(
        Operation,
        on_delete=models.PROTECT,
        related_name="contributions",
        verbose_name=_("operation"),
    )
    contributor = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="contributions",
        verbose_name=_("contributor"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=16, choices=ContributionKind.choices)
    asset_en = models.CharField(_("unit or asset (English)"), max_length=255)
    asset_uk = models.CharField(_("unit or asset (Ukrainian)"), max_length=255, blank=True)
    period = PartialDateField(_("period"), blank=True)  # blank: the source does not date it
    period_start = models.DateField(null=True, blank=True, editable=False)
    period_end = models.DateField(null=True, blank=True, editable=False)
    personnel = models.PositiveIntegerField(_("personnel"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period_start", "id"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [releasable_constraint("contribution")]

    def __str__(self) -> str:
        return f"{self.operation}: {self.asset}"

    @property
    def asset(self) -> str:
        return localized(self, "asset")

    @property
    def period_display(self) -> str:
        return PartialDate.parse(self.period).render()
