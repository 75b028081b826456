"""The public factsheet and timeline, generated from the database."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "partnership.public"
    label = "public"
    verbose_name = _("Public factsheet")
