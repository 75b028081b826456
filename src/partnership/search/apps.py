"""One search over every record a user may see, kept up to date as records are saved."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "partnership.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from partnership.search import index

        index.connect_signals()
