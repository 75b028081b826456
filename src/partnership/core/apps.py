"""Core: organizations, people and roles, releasability markings, partial dates, history."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "partnership.core"
    label = "core"
    verbose_name = _("Core")
