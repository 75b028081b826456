"""NATO standards and their adoption, items of supply and their NSNs, stock movements, and the
destruction of stockpiles against a trust-fund project's targets."""

from __future__ import annotations

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
from partnership.core.partial_dates import PartialDateField
from partnership.logistics.codes import Nsn

# ---- standardization ----------------------------------------------------------------------


class StandardKind(models.TextChoices):
    STANAG = "stanag", _("STANAG")
    PUBLICATION = "publication", _("Allied publication")


class StandardArea(models.TextChoices):
    LOGISTICS = "logistics", _("Logistics")
    CODIFICATION = "codification", _("Codification")
    AMMUNITION = "ammunition", _("Ammunition and explosives")
    MATERIEL = "materiel", _("Materiel and equipment")
    MEDICAL = "medical", _("Medical")
    C3 = "c3", _("Command, control and communications")
    OPERATIONS = "operations", _("Operations and doctrine")
    OTHER = "other", _("Other")


class Standard(Releasable):
    """A NATO standardization agreement (STANAG) or Allied publication (AJP, AAP, ACodP …)."""

    number = models.CharField(_("number"), max_length=40)
    kind = models.CharField(_("kind"), max_length=12, choices=StandardKind.choices)
    edition = models.CharField(_("edition"), max_length=20, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=400)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=400, blank=True)
    # The NATO body that keeps the standard (its tasking authority or custodian panel).
    custodian = models.CharField(_("NATO body responsible"), max_length=200, blank=True)
    area = models.CharField(_("area"), max_length=16, choices=StandardArea.choices)
    # Where the number and title come from (NSPA's or the NSO's public pages).
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "number", "edition"]
        verbose_name = _("NATO standard")
        verbose_name_plural = _("NATO standards")
        constraints = [
            releasable_constraint("standard"),
            models.UniqueConstraint(fields=["number", "edition"], name="standard_edition_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number}{f' ({self.edition})' if self.edition else ''}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class AdoptionStatus(models.TextChoices):
    STUDIED = "studied", _("studied")
    RATIFIED = "ratified", _("ratified")
    RATIFIED_RESERVATIONS = "ratified_reservations", _("ratified with reservations")
    IMPLEMENTED = "implemented", _("implemented")


class StandardAdoption(Releasable):
    """Where a nation stands with one standard, and what serves its adoption."""

    released_with = ("standard",)

    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="adoptions", verbose_name=_("standard")
    )
    nation = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="standard_adoptions",
        verbose_name=_("nation"),
    )  # fmt: skip
    status = models.CharField(_("status"), max_length=24, choices=AdoptionStatus.choices)
    studied = PartialDateField(_("studied"), blank=True)
    studied_start = models.DateField(null=True, blank=True, editable=False)
    studied_end = models.DateField(null=True, blank=True, editable=False)
    ratified = PartialDateField(_("ratified"), blank=True)
    ratified_start = models.DateField(null=True, blank=True, editable=False)
    ratified_end = models.DateField(null=True, blank=True, editable=False)
    implemented = PartialDateField(_("implemented"), blank=True)
    implemented_start = models.DateField(null=True, blank=True, editable=False)
    implemented_end = models.DateField(null=True, blank=True, editable=False)
    reservations = models.TextField(_("reservations"), blank=True)
    national_document = models.CharField(
        _("national document implementing it"), max_length=300, blank=True
    )
    # A status the demo made up (the partner's real statuses are not public).
    demo = models.BooleanField(_("generated demo record"), default=False)
    measures = models.ManyToManyField(
        "anp.Measure", blank=True, related_name="standard_adoptions", verbose_name=_("ANP measures")
    )
    partnership_goals = models.ManyToManyField(
        "programmes.PartnershipGoal", blank=True, related_name="standard_adoptions",
        verbose_name=_("Partnership Goals"),
    )  # fmt: skip
    projects = models.ManyToManyField(
        "trustfunds.Project", blank=True, related_name="standard_adoptions",
        verbose_name=_("trust-fund projects"),
    )  # fmt: skip
    history = HistoricalRecords(m2m_fields=[measures, partnership_goals, projects])

    class Meta:
        ordering = ["standard__area", "standard__number"]
        verbose_name = _("adoption of a standard")
        verbose_name_plural = _("adoptions of standards")
        constraints = [
            releasable_constraint("standardadoption"),
            models.UniqueConstraint(fields=["standard", "nation"], name="adoption_once_per_nation"),
        ]

    def __str__(self) -> str:
        return f"{self.standard} – {self.nation}: {self.get_status_display()}"


class Priority(Sourced):
    """A priority a body of the partnership set for this area, as the factsheet states it
    (the JWG on Defence Technical Cooperation: "standardization and codification …")."""

    body = models.ForeignKey(
        "framework.Body", on_delete=models.PROTECT, related_name="logistics_priorities",
        verbose_name=_("body"),
    )  # fmt: skip
    text_en = models.TextField(_("priority (English)"))
    text_uk = models.TextField(_("priority (Ukrainian)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["source_line"]
        verbose_name = _("priority")
        verbose_name_plural = _("priorities")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return localized(self, "text")


# ---- codification -------------------------------------------------------------------------


class CodificationBureau(models.Model):
    """A National Codification Bureau and the two-digit code that starts the NIINs it assigns."""

    organization = models.OneToOneField(
        Organization, on_delete=models.PROTECT, related_name="codification_bureau",
        verbose_name=_("organization"),
    )  # fmt: skip
    code = models.CharField(_("NCB code"), max_length=2, unique=True)
    # Where the code comes from (NSPA's public list of NCB codes); "" for a demo bureau.
    source = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("national codification bureau")
        verbose_name_plural = _("national codification bureaus")

    def __str__(self) -> str:
        return f"{self.code} {self.organization}"


class Supplier(Releasable):
    """A manufacturer or supplier, identified by its NCAGE code."""

    # Five characters, checked by `codes.ncage_parse`; the column is wider than the code.
    ncage = models.CharField(_("NCAGE code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=255)
    country = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT,
        related_name="suppliers", verbose_name=_("country"),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        constraints = [releasable_constraint("supplier")]

    def __str__(self) -> str:
        return f"{self.ncage} {self.name}"


class SupplyItem(Releasable):
    """An item of supply with its NATO Stock Number."""

    nsn = models.CharField(_("NATO Stock Number"), max_length=13, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=255, blank=True)
    unit_of_issue = models.CharField(_("unit of issue"), max_length=8, default="EA")
    # Weapons and the like are tracked one by one: each movement is of one serial number.
    tracked_singly = models.BooleanField(_("tracked by serial number"), default=False)
    bureau = models.ForeignKey(
        CodificationBureau, on_delete=models.PROTECT, related_name="items",
        verbose_name=_("codification bureau"),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        ordering = ["nsn"]
        verbose_name = _("item of supply")
        verbose_name_plural = _("items of supply")
        constraints = [releasable_constraint("supplyitem")]

    def __str__(self) -> str:
        return f"{self.nsn_display} {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def nsn_parts(self) -> Nsn:
        return Nsn(self.nsn)

    @property
    def nsn_display(self) -> str:
        return str(Nsn(self.nsn))


class ItemReference(models.Model):
    """A manufacturer's or supplier's reference (part) number of an item."""

    item = models.ForeignKey(
        SupplyItem, on_delete=models.CASCADE, related_name="references", verbose_name=_("item")
    )
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="references", verbose_name=_("supplier")
    )
    reference = models.CharField(_("reference number"), max_length=64)
    # The reference as compared: "MS-3367 4" and "ms33674" are the same part.
    reference_key = models.CharField(max_length=64, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["reference_key"]
        verbose_name = _("reference number")
        verbose_name_plural = _("reference numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["supplier", "reference_key"], name="reference_once_per_supplier"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supplier.ncage} {self.reference}"


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("received")
    RESEARCHED = "researched", _("researched")
    CODIFIED = "codified", _("codified")
    REJECTED = "rejected", _("rejected")


class CodificationRequest(Releasable):
    """A national unit's request that the codification bureau give an item an NSN."""

    # Given by the service: the year and its next number (CR-2026-00001).
    number = models.CharField(_("request number"), max_length=20, unique=True)
    unit = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="codification_requests",
        verbose_name=_("requesting unit"),
    )  # fmt: skip
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("requested by"),
    )  # fmt: skip
    bureau = models.ForeignKey(
        CodificationBureau, on_delete=models.PROTECT, related_name="requests",
        verbose_name=_("codification bureau"),
    )  # fmt: skip
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=255, blank=True)
    supplier = models.ForeignKey(
        Supplier, on_delete=models.PROTECT, related_name="codification_requests",
        verbose_name=_("supplier"),
    )  # fmt: skip
    reference = models.CharField(_("reference number"), max_length=64)
    supply_class = models.CharField(_("proposed supply class"), max_length=4)
    unit_of_issue = models.CharField(_("unit of issue"), max_length=8, default="EA")
    tracked_singly = models.BooleanField(_("tracked by serial number"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    # Research finds an item already codified under the same reference: no new number then.
    duplicate_of = models.ForeignKey(
        SupplyItem, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("already codified as"),
    )  # fmt: skip
    item = models.ForeignKey(
        SupplyItem, null=True, blank=True, on_delete=models.PROTECT,
        related_name="codification_requests", verbose_name=_("item"),
    )  # fmt: skip
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-received_at", "-number"]
        verbose_name = _("codification request")
        verbose_name_plural = _("codification requests")
        constraints = [
            releasable_constraint("codificationrequest"),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(rejection_reason=""),
                name="rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="codified") | models.Q(item__isnull=False),
                name="codified_has_item",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"

    @property
    def name(self) -> str:
        return localized(self, "name")


# ---- equipment and supplies ---------------------------------------------------------------


class LocationKind(models.TextChoices):
    DEPOT = "depot", _("depot")
    UNIT = "unit", _("unit")


class Location(Releasable):
    """A depot or unit that holds stock."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=8, choices=LocationKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="stock_locations",
        verbose_name=_("organization"),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name_en"]
        verbose_name = _("depot or unit")
        verbose_name_plural = _("depots and units")
        constraints = [releasable_constraint("location")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("receipt")
    ISSUE = "issue", _("issue")
    TRANSFER = "transfer", _("transfer")
    DISPOSAL = "disposal", _("disposal")
    REVERSAL = "reversal", _("reversal")


class Movement(Releasable):
    """Stock coming into a location, leaving it, or both. Never edited: a wrong movement is
    corrected by a reversal, so that stock as of any past date stays what it was reported.
    No service, page, API call or admin form changes one (the admin shows them read-only)."""

    # A movement of an item the reader may not see is not seen either.
    released_with = ("item",)

    item = models.ForeignKey(
        SupplyItem, on_delete=models.PROTECT, related_name="movements", verbose_name=_("item")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MovementKind.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    from_location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="movements_out",
        verbose_name=_("from"),
    )  # fmt: skip
    to_location = models.ForeignKey(
        Location, null=True, blank=True, on_delete=models.PROTECT, related_name="movements_in",
        verbose_name=_("to"),
    )  # fmt: skip
    occurred_on = models.DateField(_("date"))
    serial = models.CharField(_("serial number"), max_length=64, blank=True)
    # The order or act that authorizes the movement; a disposal has none without it.
    authority = models.CharField(_("authority"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by",
        verbose_name=_("reverses"),
    )  # fmt: skip
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("recorded by"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        constraints = [
            releasable_constraint("movement"),
            # Which places each kind needs is the services' rule (services.PLACES).
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="movement_positive"),
        ]
        # Stock of one item at one place as of a date is a sum over these.
        indexes = [
            models.Index(fields=["item", "to_location", "occurred_on"], name="movement_in_idx"),
            models.Index(fields=["item", "from_location", "occurred_on"], name="movement_out_idx"),
            # The audit trail, newest first, of everything and of one item.
            models.Index(fields=["-occurred_on", "-id"], name="movement_newest_idx"),
            models.Index(fields=["item", "-occurred_on", "-id"], name="movement_item_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity} {self.item.nsn_display}"


class StockBalance(models.Model):
    """What a place holds of an item today: kept by the movement services under the item's
    lock, so that the holdings page reads one row per (place, item) instead of summing every
    movement ever made. Stock as of a past date is this minus the movements since."""

    item = models.ForeignKey(SupplyItem, on_delete=models.CASCADE, related_name="balances")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="balances")
    quantity = models.DecimalField(_("quantity"), max_digits=16, decimal_places=3, default=0)

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.UniqueConstraint(fields=["item", "location"], name="one_balance_per_place"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="balance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location}: {self.quantity} {self.item}"


# ---- demilitarization ---------------------------------------------------------------------


class DestructionCategory(models.TextChoices):
    MUNITIONS = "munitions", _("conventional munitions")
    SMALL_ARMS = "small_arms", _("small arms and light weapons")
    MANPADS = "manpads", _("MANPADS")
    LANDMINES = "landmines", _("anti-personnel landmines")


class DestructionTarget(Releasable, Sourced):
    """What a demilitarization project is to destroy of one category (133,000 tons …)."""

    released_with = ("project",)

    project = models.ForeignKey(
        "trustfunds.Project", on_delete=models.PROTECT, related_name="destruction_targets",
        verbose_name=_("trust-fund project"),
    )  # fmt: skip
    category = models.CharField(_("category"), max_length=12, choices=DestructionCategory.choices)
    quantity = models.DecimalField(_("target"), max_digits=14, decimal_places=3)
    unit = models.CharField(_("unit"), max_length=12)
    # The project's results indicator the destroyed quantities are reported to donors through.
    indicator = models.OneToOneField(
        "core.Indicator", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="destruction_target", verbose_name=_("results indicator"),
    )  # fmt: skip
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "category"]
        verbose_name = _("destruction target")
        verbose_name_plural = _("destruction targets")
        constraints = [
            releasable_constraint("destructiontarget"),
            models.UniqueConstraint(fields=["project", "category"], name="target_once"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_category_display()}"


class DestructionLot(Releasable):
    """A lot destroyed in one period, of one target's category."""

    released_with = ("target",)

    target = models.ForeignKey(
        DestructionTarget, on_delete=models.CASCADE, related_name="lots", verbose_name=_("target")
    )
    lot_number = models.CharField(_("lot number"), max_length=40)
    quantity = models.DecimalField(_("quantity destroyed"), max_digits=14, decimal_places=3)
    period = PartialDateField(_("period"))
    period_start = models.DateField(null=True, blank=True, editable=False)
    period_end = models.DateField(null=True, blank=True, editable=False)
    site = models.CharField(_("site"), max_length=200, blank=True)
    # None for a lot the factsheet states (400,000 landmines in 2002-2003).
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("recorded by"),
    )  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    source_line = models.PositiveIntegerField(_("factsheet line"), null=True, blank=True)
    demo = models.BooleanField(_("generated demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period_start", "lot_number"]
        verbose_name = _("destruction lot")
        verbose_name_plural = _("destruction lots")
        constraints = [
            releasable_constraint("destructionlot"),
            models.UniqueConstraint(fields=["target", "lot_number"], name="lot_once"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="lot_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_number}: {self.quantity} {self.target.unit}"
