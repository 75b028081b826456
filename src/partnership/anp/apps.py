"""The Annual National Programme: plan, quarterly reporting, Allied assessment, report to the NUC."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnpConfig(AppConfig):
    name = "partnership.anp"
    label = "anp"
    verbose_name = _("Annual National Programme")
