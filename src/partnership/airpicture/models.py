"""Exchange agreements as the two air operations centres negotiate and approve them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnership.core.models import Organization, Releasable, releasable_constraint


class ExchangeAgreement(Releasable):
    """One version of what one side's centre sends the other: area (GeoJSON), altitude band,
    items removed, update period. In force from `valid_from` once both sides approved it."""

    sender = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("sending side"))  # fmt: skip
    partner = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("receiving side"))  # fmt: skip
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=255)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    area = models.JSONField(_("area (GeoJSON)"))
    min_ft = models.IntegerField(_("lowest altitude (ft)"), default=0)
    max_ft = models.IntegerField(_("highest altitude (ft)"), default=66000)
    remove_items = models.CharField(_("items removed"), max_length=255, blank=True)
    update_period_s = models.PositiveIntegerField(_("update period (s)"), default=4)
    approved_by_sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by_partner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["partner", "-version"]
        verbose_name = _("exchange agreement")
        verbose_name_plural = _("exchange agreements")
        constraints = [
            releasable_constraint("exchangeagreement"),
            models.UniqueConstraint(fields=["sender", "partner", "version"], name="one_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def approved(self) -> bool:
        return self.approved_by_sender_id is not None and self.approved_by_partner_id is not None
