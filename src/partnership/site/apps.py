"""The site as a whole: the commands that span every app (the demo, the export, the factsheet)."""

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "partnership.site"
    label = "site"
