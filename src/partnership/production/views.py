"""`/healthz` (the database answers) and `/metrics` (Prometheus), outside the language prefixes."""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from partnership.production import metrics

log = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when a query goes through, 503 otherwise: what a proxy or systemd watches."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # The reason goes to the log only: a health check is answered to anyone.
        log.error("health check: the database does not answer: %s", error)
        return JsonResponse({"status": "failing", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _may_scrape(request: HttpRequest) -> bool:
    # A scraper sends METRICS_TOKEN as a bearer token; without one configured, only a caller on
    # this machine that did not come through the reverse proxy (no X-Forwarded-For) may read.
    token = os.environ.get("METRICS_TOKEN", "")
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if token:
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    if "HTTP_X_FORWARDED_FOR" in request.META:
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


@never_cache
@require_GET
def prometheus_metrics(request: HttpRequest) -> HttpResponse:
    if not _may_scrape(request):
        return HttpResponse(status=403)
    return HttpResponse(
        metrics.exposition(), content_type="text/plain; version=0.0.4; charset=utf-8"
    )
