from django.apps import AppConfig


class ProductionConfig(AppConfig):
    """Running the platform as a service: health, metrics, request logs, backups."""

    name = "partnership.production"
    verbose_name = "Production"
