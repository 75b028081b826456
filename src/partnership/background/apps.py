from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackgroundConfig(AppConfig):
    """Long work (report PDFs, exports) run by the worker, with progress and kept files."""

    name = "partnership.background"
    verbose_name = _("Prepared files")
