"""Files attached to the partnership's records, and each person's calendar."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "partnership.documents"
    label = "documents"
    verbose_name = _("Documents and calendars")
