"""NATO-led operations and missions, and what Ukraine contributed to each."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "partnership.operations"
    label = "operations"
    verbose_name = _("Operations and missions")
