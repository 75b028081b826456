"""One JSON line and one set of Prometheus figures per request, under a request id."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from partnership.production import metrics
from partnership.production.context import current_request_id

log = logging.getLogger("partnership.requests")

# A request id from the reverse proxy is kept when it looks like one (so that the proxy's and
# the platform's logs join); anything else is replaced, so that no client writes into the log.
_GIVEN_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _request_id(request: HttpRequest) -> str:
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    return given if _GIVEN_ID.match(given) else uuid.uuid4().hex


def _user(request: HttpRequest) -> str:
    # request.user is set further in (AuthenticationMiddleware); it is read after the view ran.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "-"
    return str(user.get_username())


def _view(request: HttpRequest) -> str:
    # The view's name, not the path: one series per page kind, not one per record or language.
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or match.func.__module__ + "." + match.func.__name__


class RequestLogMiddleware:
    """Outermost middleware: every answer, a refusal of the size limit too, is logged and counted."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = _request_id(request)
        request.META["PARTNERSHIP_REQUEST_ID"] = request_id
        started = time.perf_counter()
        token = current_request_id.set(request_id)
        metrics.REQUESTS_IN_PROGRESS.inc()
        try:
            response = self.get_response(request)
        finally:
            metrics.REQUESTS_IN_PROGRESS.dec()
            current_request_id.reset(token)
        # For a stream (the live map's events) this is the time to its headers, which is what
        # the reader waits for; the stream's own length is not a latency.
        duration = time.perf_counter() - started
        view = _view(request)
        metrics.observe_request(
            method=request.method or "", view=view, status=response.status_code, seconds=duration
        )
        response["X-Request-ID"] = request_id
        log.info(
            "%s %s %d",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "view": view,
                "status": response.status_code,
                "duration_ms": round(duration * 1000, 2),
                "user": _user(request),
                "remote": request.META.get("REMOTE_ADDR", ""),
            },
        )
        return response
