"""Trust funds, their projects and phases, the four agreements, the money and exchange rates."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
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
from partnership.core.partial_dates import PartialDateField, partial_date


class FundStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved by the Allies")
    IMPLEMENTATION = "implementation", _("implementation")
    CLOSED = "closed", _("closed")


class TrustFund(Releasable, Sourced):
    slug = models.SlugField(_("key"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=255, blank=True)
    area_en = models.TextField(_("area (English)"), blank=True)
    area_uk = models.TextField(_("area (Ukrainian)"), blank=True)
    established = PartialDateField(_("established"), blank=True)
    established_start = models.DateField(null=True, blank=True, editable=False)
    established_end = models.DateField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=FundStatus.choices, default=FundStatus.PROPOSED
    )
    lead_nations = models.ManyToManyField(
        Organization, verbose_name=_("lead nations"), blank=True, related_name="led_trust_funds"
    )
    # Generated for the demonstration, not a fact of the partnership: no source names the fund's
    # lead nations (the demo sets one so that a lead nation's rights can be shown).
    lead_nations_demo = models.BooleanField(_("lead nations are demo data"), default=False)
    executing_agent = models.ForeignKey(
        Organization,
        verbose_name=_("executing agent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="executed_trust_funds",
    )
    partner = models.ForeignKey(
        Organization, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="+"
    )
    # The proposal: what will be done, how, at what cost, and the four plans.
    objectives = models.TextField(_("objectives"), blank=True)
    method = models.TextField(_("method"), blank=True)
    costs = models.TextField(_("costs"), blank=True)
    implementation_plan = models.TextField(_("implementation plan"), blank=True)
    verification_plan = models.TextField(_("verification plan"), blank=True)
    financial_plan = models.TextField(_("financial plan"), blank=True)
    communication_plan = models.TextField(_("communication plan"), blank=True)
    history = HistoricalRecords(m2m_fields=[lead_nations])

    class Meta:
        ordering = ["established_start", "name_en"]
        verbose_name = _("trust fund")
        verbose_name_plural = _("trust funds")
        constraints = [releasable_constraint("trustfund")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def area(self) -> str:
        return localized(self, "area")

    @property
    def established_display(self) -> str:
        parsed = partial_date(self.established)
        return parsed.render() if parsed else ""


class ActivityStatus(models.TextChoices):
    """The IATI ActivityStatus codelist."""

    PIPELINE = "1", _("pipeline/identification")
    IMPLEMENTATION = "2", _("implementation")
    FINALISATION = "3", _("finalisation")
    CLOSED = "4", _("closed")
    CANCELLED = "5", _("cancelled")
    SUSPENDED = "6", _("suspended")


class Project(Releasable, Sourced):
    # A child never outlives its parent's marking (core.selectors.released_filter).
    released_with = ("fund",)
    fund = models.ForeignKey(TrustFund, on_delete=models.PROTECT, related_name="projects")
    slug = models.SlugField(_("key"), max_length=80, unique=True)
    iati_identifier = models.CharField(_("IATI identifier"), max_length=150, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_uk = models.TextField(_("description (Ukrainian)"), blank=True)
    status = models.CharField(
        _("status"), max_length=1, choices=ActivityStatus.choices, default=ActivityStatus.PIPELINE
    )
    period = PartialDateField(_("period"), blank=True)
    period_start = models.DateField(null=True, blank=True, editable=False)
    period_end = models.DateField(null=True, blank=True, editable=False)
    budget_eur = models.DecimalField(_("budget (EUR)"), max_digits=14, decimal_places=2, default=0)
    # OECD DAC 5-digit purpose code (IATI Sector vocabulary 1).
    sector_code = models.CharField(_("DAC sector"), max_length=5, default="15210")
    demo = models.BooleanField(_("generated demo record"), default=False)
    # Running sums of the project's transactions in EUR, written in the same database
    # transaction as each transaction (services.transaction_record), so that a list of 50 funds
    # does not add up 100,000 rows on every view. Derived, never edited, not in the history;
    # `selectors.project_totals` still adds up from the transactions themselves.
    total_pledged = models.DecimalField(max_digits=16, decimal_places=2, default=0, editable=False)
    total_committed = models.DecimalField(
        max_digits=16, decimal_places=2, default=0, editable=False
    )
    total_received = models.DecimalField(max_digits=16, decimal_places=2, default=0, editable=False)
    total_used = models.DecimalField(max_digits=16, decimal_places=2, default=0, editable=False)
    history = HistoricalRecords(
        excluded_fields=["total_pledged", "total_committed", "total_received", "total_used"]
    )

    class Meta:
        ordering = ["fund_id", "period_start", "slug"]
        verbose_name = _("trust-fund project")
        verbose_name_plural = _("trust-fund projects")
        constraints = [
            releasable_constraint("project"),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end"))
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True),
                name="project_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def period_display(self) -> str:
        parsed = partial_date(self.period)
        return parsed.render() if parsed else ""


class Phase(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("phase"))
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    period = PartialDateField(_("period"), blank=True)
    period_start = models.DateField(null=True, blank=True, editable=False)
    period_end = models.DateField(null=True, blank=True, editable=False)
    budget_eur = models.DecimalField(_("budget (EUR)"), max_digits=14, decimal_places=2, default=0)
    lead_nation = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The public source of the phase's lead nation and budget where the factsheet has none; a
    # phase without one is generated (its title says "Demo:").
    source_text = models.TextField(_("source (not in the factsheet)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "number"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="one_phase_number"),
            models.CheckConstraint(
                condition=models.Q(period_start__lte=models.F("period_end"))
                | models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True),
                name="phase_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.slug} {self.number}"

    @property
    def period_display(self) -> str:
        parsed = partial_date(self.period)
        return parsed.render() if parsed else ""


class AgreementKind(models.TextChoices):
    MOU = "mou", _("memorandum of understanding (agency and partner)")
    IMPLEMENTING = "implementing", _("implementing agreement (agency and partner)")
    EXECUTING_AGENT = "executing_agent", _("executing-agent agreement (lead nation and agency)")
    FINANCIAL = "financial", _("financial management agreement (with a contributor)")


class ProjectAgreement(models.Model):
    """One of the four agreements that tie a project together, with its parties."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    parties = models.ManyToManyField(Organization, verbose_name=_("parties"), related_name="+")
    signed = PartialDateField(_("signed"), blank=True)
    signed_start = models.DateField(null=True, blank=True, editable=False)
    signed_end = models.DateField(null=True, blank=True, editable=False)
    # The framework's record of the same agreement, where it has one (the factsheet's NSPA
    # and NCIA agreements with Ukraine of April 2015).
    agreement = models.ForeignKey(
        "framework.Agreement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        ordering = ["project_id", "kind", "signed_start"]
        verbose_name = _("project agreement")
        verbose_name_plural = _("project agreements")

    def __str__(self) -> str:
        return f"{self.project.slug}: {self.get_kind_display()}"

    @property
    def signed_display(self) -> str:
        parsed = partial_date(self.signed)
        return parsed.render() if parsed else ""


class ExchangeRate(models.Model):
    """EUR per unit of a currency on a date, as recorded by the fund's financial controller."""

    currency = models.CharField(_("currency"), max_length=3)
    date = models.DateField(_("date"))
    eur_per_unit = models.DecimalField(_("EUR per unit"), max_digits=18, decimal_places=8)
    source = models.CharField(_("source"), max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["currency", "date"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(fields=["currency", "date"], name="one_rate_per_day"),
            models.CheckConstraint(condition=models.Q(eur_per_unit__gt=0), name="rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.date}: {self.eur_per_unit}"


class Kind(models.TextChoices):
    PLEDGE = "pledge", _("pledge")
    COMMITMENT = "commitment", _("commitment")
    PAYMENT = "payment", _("payment received")
    DISBURSEMENT = "disbursement", _("disbursement")
    EXPENDITURE = "expenditure", _("expenditure")
    IN_KIND = "in_kind", _("in-kind contribution")


INCOMING = (Kind.PLEDGE, Kind.COMMITMENT, Kind.PAYMENT, Kind.IN_KIND)
OUTGOING = (Kind.DISBURSEMENT, Kind.EXPENDITURE)
# IATI TransactionType codes.
IATI_TYPE = {
    Kind.PLEDGE: "13",
    Kind.COMMITMENT: "11",
    Kind.PAYMENT: "1",
    Kind.DISBURSEMENT: "3",
    Kind.EXPENDITURE: "4",
}


# Money that moved is dated no earlier than Ukraine's independence (services check the
# other end, today, which a constraint cannot).
EARLIEST_MONEY = dt.date(1991, 1, 1)


class Transaction(Releasable):
    """Money (or work) moving into or out of a project. Never edited nor deleted: a wrong one
    is voided by a reversing entry (the same kind, the opposite amount, a reason and who), so
    that every figure adds up from the transactions as they were recorded."""

    # A child never outlives its parent's marking (core.selectors.released_filter).
    released_with = ("project",)

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="transactions")
    phase = models.ForeignKey(
        Phase, null=True, blank=True, on_delete=models.PROTECT, related_name="transactions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("date"))
    # The donor for money coming in; the receiver (contractor, agency) for money going out.
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("donor or receiver"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    currency = models.CharField(_("currency"), max_length=3)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2)
    rate = models.DecimalField(_("EUR per unit"), max_digits=18, decimal_places=8)
    amount_eur = models.DecimalField(_("amount (EUR)"), max_digits=16, decimal_places=2)
    description = models.CharField(_("description"), max_length=255, blank=True)
    demo = models.BooleanField(_("generated demo record"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # The reversing entry of a voided transaction points at it; one reversal per transaction.
    reverses = models.OneToOneField(
        "self", verbose_name=_("voids"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="reversal",
    )  # fmt: skip
    void_reason = models.CharField(_("reason for the void"), max_length=255, blank=True)
    # A commitment above what the donor pledged, recorded on explicit confirmation: the
    # project page flags it.
    above_pledge = models.BooleanField(_("commitment above the pledge"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project_id", "date", "id"]
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        constraints = [
            releasable_constraint("transaction"),
            # Amounts are positive (work given in kind may be valued at nothing); only a
            # reversing entry, which gives a reason, is the opposite of the one it voids.
            models.CheckConstraint(
                condition=(
                    models.Q(reverses__isnull=True, amount__gt=0)
                    | models.Q(reverses__isnull=True, kind="in_kind", amount=0)
                    | models.Q(reverses__isnull=False, amount__lte=0) & ~models.Q(void_reason="")
                ),
                name="amount_positive_or_reversal",
            ),
            models.CheckConstraint(
                condition=models.Q(date__gte=EARLIEST_MONEY), name="transaction_not_before_1991"
            ),
        ]
        indexes = [models.Index(fields=["project", "kind"]), models.Index(fields=["organization"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} {self.currency} ({self.date})"
