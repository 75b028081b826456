"""Organizations, people and their roles, and the releasability marking every record carries."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnership.core.partial_dates import PartialDateField


def localized(obj: Any, field: str) -> str:
    """The Ukrainian or English text of a bilingual field, in the page's language, falling
    back to the other language's where it has none (a report written in Ukrainian only is
    still read on the English pages)."""
    first, second = ("uk", "en") if (get_language() or "en").startswith("uk") else ("en", "uk")
    return str(getattr(obj, f"{field}_{first}", "") or getattr(obj, f"{field}_{second}", "") or "")


class Side(models.TextChoices):
    """Which side of the partnership an organization is on; decides what it may see."""

    NATO = "nato", _("NATO")
    ALLY = "ally", _("Ally")
    PARTNER = "partner", _("Partner")
    OTHER_PARTNER = "other_partner", _("Other partner country")
    NONE = "none", _("None")


class OrganizationKind(models.TextChoices):
    NATO_BODY = "nato_body", _("NATO body")
    NATO_AGENCY = "nato_agency", _("NATO agency")
    NATO_EDUCATION = "nato_education", _("NATO education and training facility")
    ALLY = "ally", _("Allied nation")
    PARTNER = "partner", _("Partner nation")
    PARTNER_INSTITUTION = "partner_institution", _("Ministry or agency of the partner")
    PARTNER_COUNTRY = "partner_country", _("Other partner country")
    EMBASSY = "embassy", _("Embassy")
    OTHER = "other", _("Other organization")


NATION_KINDS = (OrganizationKind.ALLY, OrganizationKind.PARTNER, OrganizationKind.PARTNER_COUNTRY)
NATO_KINDS = (
    OrganizationKind.NATO_BODY,
    OrganizationKind.NATO_AGENCY,
    OrganizationKind.NATO_EDUCATION,
)
_SIDE_OF_NATION = {
    OrganizationKind.ALLY: Side.ALLY,
    OrganizationKind.PARTNER: Side.PARTNER,
    OrganizationKind.PARTNER_COUNTRY: Side.OTHER_PARTNER,
}


class Organization(models.Model):
    """A NATO body or agency, a nation, or an institution or embassy of a nation."""

    slug = models.SlugField(_("key"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganizationKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=255)
    name_uk = models.CharField(_("name (Ukrainian)"), max_length=255, blank=True)
    abbreviation = models.CharField(_("abbreviation"), max_length=32, blank=True)
    # ISO 3166-1 alpha-2 for nations; their institutions and embassies take their nation's code.
    country_code = models.CharField(_("ISO country code"), max_length=2, blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=[k.value for k in NATION_KINDS])
                | ~models.Q(country_code=""),
                name="nation_has_country_code",
            ),
            models.UniqueConstraint(
                fields=["country_code"],
                condition=models.Q(kind__in=[k.value for k in NATION_KINDS]),
                name="one_nation_per_country_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def is_nation(self) -> bool:
        return self.kind in NATION_KINDS

    @cached_property
    def nation(self) -> Organization | None:
        """The nation this organization belongs to (itself for a nation)."""
        org: Organization | None = self
        seen = 0
        while org is not None and seen < 10:
            if org.kind in NATION_KINDS:
                return org
            org = org.parent
            seen += 1
        return None

    @cached_property
    def side(self) -> str:
        if self.kind in NATO_KINDS:
            return Side.NATO
        nation = self.nation
        return _SIDE_OF_NATION[OrganizationKind(nation.kind)] if nation else Side.NONE


class Role(models.TextChoices):
    VIEWER = "viewer", _("viewer")
    EDITOR = "editor", _("editor")
    APPROVER = "approver", _("approver")
    ASSESSOR = "assessor", _("assessor")
    REPORTER = "reporter", _("reporter")
    ADMINISTRATOR = "administrator", _("administrator")
    AIR_OPERATIONS = "air_operations", _("air operations")
    # Staff of a national codification bureau: research and codify items of supply.
    CODIFIER = "codifier", _("codification bureau")


class User(AbstractUser):
    """A person working for one organization."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(self.role_grants.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles)) or self.is_superuser


class RoleGrant(models.Model):
    """A role a user holds at their organization."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class Marking(models.TextChoices):
    PUBLIC = "PUBLIC", _("Public")
    PARTNERSHIP = "PARTNERSHIP", _("NATO and partner")
    NATO = "NATO", _("NATO")
    NATIONS = "NATIONS", _("Releasable to named nations")


class Releasable(models.Model):
    """A record with a releasability marking. Read it only through `selectors.visible_to`."""

    # The parents (foreign keys) whose marking this record's visibility also takes.
    released_with: ClassVar[tuple[str, ...]] = ()

    marking = models.CharField(
        _("releasability"), max_length=12, choices=Marking.choices, default=Marking.NATO
    )
    # The named nations of a NATIONS marking as ISO codes between commas (",LT,UA,"), so that
    # one indexed column answers "may this nation see it" and the history keeps it as it was.
    releasable_to = models.CharField(_("releasable to"), max_length=400, blank=True, default="")

    class Meta:
        abstract = True

    @property
    def releasable_codes(self) -> list[str]:
        return [code for code in self.releasable_to.split(",") if code]

    @property
    def marking_label(self) -> str:
        if self.marking == Marking.NATIONS:
            # A list's rows have their nations read for all of them at once
            # (`selectors.read_nations`); a record on its own reads its own.
            nations = self.__dict__.get("_nations")
            if nations is None:
                nations = nations_named(self.releasable_codes)
            return str(_("Releasable to %(nations)s")) % {
                "nations": ", ".join(n.name for n in nations)
            }
        return str(Marking(self.marking).label)


def nations_named(codes: Iterable[str]) -> list[Organization]:
    """The nations of these ISO codes, in the order their names are shown."""
    return list(Organization.objects.filter(kind__in=NATION_KINDS, country_code__in=codes))


def releasable_constraint(model_name: str) -> models.CheckConstraint:
    """NATIONS names at least one nation; the other markings name none."""
    return models.CheckConstraint(
        condition=(models.Q(marking=Marking.NATIONS) & ~models.Q(releasable_to=""))
        | (~models.Q(marking=Marking.NATIONS) & models.Q(releasable_to="")),
        name=f"{model_name}_releasable_to_matches_marking",
    )


class Withdrawable(models.Model):
    """A record that is withdrawn instead of deleted: it leaves lists, totals and public pages,
    stays readable (marked withdrawn) to those who may keep it, and its history keeps who
    withdrew it, when and why. Each concrete model adds `withdrawal_constraint(name)`."""

    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def withdrawal_constraint(name: str) -> models.CheckConstraint:
    """Withdrawn says when, by whom and why, or nothing at all."""
    return models.CheckConstraint(
        condition=models.Q(
            withdrawn_at__isnull=True, withdrawn_by__isnull=True, withdrawal_reason=""
        )
        | (
            models.Q(withdrawn_at__isnull=False, withdrawn_by__isnull=False)
            & ~models.Q(withdrawal_reason="")
        ),
        name=f"{name}_withdrawn_with_reason",
    )


class Sourced(models.Model):
    """A fact loaded from the factsheet keeps the sentence it came from."""

    source_line = models.PositiveIntegerField(_("factsheet line"), null=True, blank=True)
    source_text = models.TextField(_("factsheet sentence"), blank=True)
    # The key a data file gives a record that has no natural key of its own.
    source_key = models.SlugField(max_length=80, null=True, blank=True, unique=True, editable=False)

    class Meta:
        abstract = True


class Figure(Sourced):
    """A number the factsheet states (133,000 tons, €25 million, eight DEEP institutions …)."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=255)
    label_uk = models.CharField(_("label (Ukrainian)"), max_length=255, blank=True)
    # The figure as the factsheet writes it ("1.5 million", "tripled"), and in Ukrainian; the
    # value is for sorting and sums, the words are what a reader is told.
    written_en = models.CharField(_("as written (English)"), max_length=64, blank=True)
    written_uk = models.CharField(_("as written (Ukrainian)"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["source_line", "key"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}".strip()

    @property
    def label(self) -> str:
        return localized(self, "label")

    @property
    def written(self) -> str:
        return localized(self, "written")


class Membership(Sourced):
    """An organization's membership of another over a period: Finland in NATO since 4 April
    2023. What a page lists as members is as of the date the page speaks of: the factsheet of
    May 2015 has 28 Allies, not today's 32."""

    member = models.ForeignKey(
        Organization,
        verbose_name=_("member"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    group = models.ForeignKey(
        Organization,
        verbose_name=_("member of"),
        on_delete=models.CASCADE,
        related_name="member_periods",
    )
    since = PartialDateField(_("member since"))
    since_start = models.DateField(null=True, blank=True, editable=False)
    since_end = models.DateField(null=True, blank=True, editable=False)
    until = PartialDateField(_("member until"), blank=True)
    until_start = models.DateField(null=True, blank=True, editable=False)
    until_end = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["group", "since_start", "member__name_en"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["member", "group", "since"], name="membership_once"),
            models.CheckConstraint(
                condition=~models.Q(member=models.F("group")), name="membership_not_of_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.group} ({self.since}/{self.until or '..'})"


class ApiToken(models.Model):
    """A token for programs using the API; only its SHA-256 hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["last_used_at"])

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def generate() -> str:
        return secrets.token_urlsafe(32)


class Indicator(Releasable):
    """A result indicator of any record (a programme, an ANP measure, a trust-fund project):
    what is counted, in what unit, from which baseline to which target."""

    subject_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField()
    name_en = models.CharField(_("indicator (English)"), max_length=255)
    name_uk = models.CharField(_("indicator (Ukrainian)"), max_length=255, blank=True)
    level = models.CharField(
        _("level"),
        max_length=8,
        choices=[("output", _("output")), ("outcome", _("outcome"))],
        default="output",
    )
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=2, default=0)
    target = models.DecimalField(
        _("target"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    demo = models.BooleanField(_("generated demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [releasable_constraint("indicator")]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")


class Measurement(Withdrawable):
    """The actual value of an indicator for one period (a year, a quarter …); a wrong value is
    withdrawn, not deleted: it stays (with the history) but counts nowhere."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    period = models.CharField(_("period (EDTF)"), max_length=32)
    period_start = models.DateField(null=True, blank=True, editable=False)
    period_end = models.DateField(null=True, blank=True, editable=False)
    actual = models.DecimalField(_("actual"), max_digits=16, decimal_places=2)
    note = models.CharField(_("note"), max_length=255, blank=True)
    # A generated value (the demo's actuals beside the factsheet's own targets).
    demo = models.BooleanField(_("generated demo record"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period_start"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period"], name="one_value_per_period"),
            withdrawal_constraint("measurement"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.actual} ({self.period})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from partnership.core.partial_dates import PartialDate

        parsed = PartialDate.parse(self.period)
        self.period_start, self.period_end = parsed.start, parsed.end
        super().save(*args, **kwargs)


class FormSubmission(models.Model):
    """A form's one-time token, kept once the form was sent: the same page sent again (Back,
    then submit; a double click) is recognised and saves nothing a second time."""

    token = models.CharField(max_length=32, unique=True)
    path = models.CharField(max_length=255)
    submitted = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"{self.path} {self.submitted:%Y-%m-%d %H:%M}"
