"""Capacity-building programmes: events and participation, SPS grants, PARP, Building Integrity,
civil emergency planning."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "partnership.programmes"
    label = "programmes"
    verbose_name = _("Programmes")
