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


MSG_ALREADY_SENT = _(
    "This form had already been sent; it was not saved a second time. Here is the page as it is now."
)
KEEP_SUBMISSIONS = 7  # days: longer than anyone keeps a page open before pressing Back


class OneTimeFormMiddleware:
    """POST-redirect-GET stops a reload from sending a form again; this stops Back + submit and
    the double click: a form carries a one-time token (`{% form_once %}`), and a token seen
    before answers with the page as it is now instead of running the view a second time.
    After CSRF (a forged request cannot use up a token) and before the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., HttpResponse], args: object, kwargs: object
    ) -> HttpResponse | None:
        import datetime as dt

        from django.contrib import messages
        from django.db import IntegrityError, transaction
        from django.shortcuts import redirect
        from django.utils import timezone

        from partnership.core.models import FormSubmission
        from partnership.core.templatetags.once import FIELD

        if request.method != "POST":
            return None
        token = request.POST.get(FIELD, "")
        if len(token) != 32 or not all(c in "0123456789abcdef" for c in token):
            return None  # a form without the token (an API client, an old page): as before
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(token=token, path=request.path[:255])
        except IntegrityError:
            logger.info("form sent again on %s", request.path)
            messages.warning(request, MSG_ALREADY_SENT)
            return redirect(request.get_full_path())
        if submission.pk % 500 == 0:  # now and then, forget tokens nobody can send again
            cutoff = timezone.now() - dt.timedelta(days=KEEP_SUBMISSIONS)
            FormSubmission.objects.filter(submitted__lt=cutoff).delete()
        return None
