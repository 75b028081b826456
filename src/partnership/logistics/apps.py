"""Logistics, standardization and codification: NATO standards, items of supply, stock."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "partnership.logistics"
    label = "logistics"
    verbose_name = _("Logistics and standardization")
