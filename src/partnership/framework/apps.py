"""The partnership framework: bodies, meetings, decisions, action items, agreements, milestones."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrameworkConfig(AppConfig):
    name = "partnership.framework"
    label = "framework"
    verbose_name = _("Partnership framework")
