"""ASDE in the web platform: exchange agreements per partner, approved by both sides, and the
live map of the exchanged air picture."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AirpictureConfig(AppConfig):
    name = "partnership.airpicture"
    label = "airpicture"
    verbose_name = _("Air picture")
