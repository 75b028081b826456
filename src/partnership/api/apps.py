"""The REST API: one router per app, one place for errors, OpenAPI at /api/openapi.json."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "partnership.api"
    label = "api"
