"""Trust funds: lead nations, donors, money from pledge to payment, projects and their results."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrustFundsConfig(AppConfig):
    name = "partnership.trustfunds"
    label = "trustfunds"
    verbose_name = _("Trust funds")
