"""Input that the database or the request parser cannot take is the sender's error (400), not
the server's: an id beyond 64 bits, a multipart body without its boundary."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# What such input raises: SQLite's driver an OverflowError for an integer beyond 64 bits,
# PostgreSQL's a DataError for a value out of its column's range; Django's parser a
# MultiPartParserError for a body that does not follow its Content-Type.
BAD_INPUT = (OverflowError, DataError, MultiPartParserError)
MSG_OUT_OF_RANGE = _("A value in the request is out of range (an id or a number too large).")
MSG_BAD_MULTIPART = _("The request body is not valid multipart form data: %(error)s")


def bad_input_message(exc: BaseException) -> str:
    if isinstance(exc, MultiPartParserError):
        return str(MSG_BAD_MULTIPART) % {"error": exc}
    return str(MSG_OUT_OF_RANGE)


class BadInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, BAD_INPUT):
            return None
        logger.info("bad input on %s: %r", request.path, exc)
        return HttpResponseBadRequest(
            bad_input_message(exc), content_type="text/plain; charset=utf-8"
        )


class PermissionErrorMiddleware:
    """A service's refusal that a view did not catch becomes the translated 403 page with the
    service's reason, rather than a server error: every view gets the same page for free."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        from django.views.defaults import permission_denied

        from partnership.core.exceptions import PermissionDeniedError

        if not isinstance(exc, PermissionDeniedError):
            return None
        logger.info("refused on %s: %s", request.path, exc.message)
        return permission_denied(request, PermissionDenied(str(exc.message)))
