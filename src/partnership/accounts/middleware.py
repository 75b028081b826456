"""Request guards: a body size limit before anything reads it, and the second-factor gate."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from partnership.accounts import services

# Paths a person who has not passed the second factor may still reach: the factor's own
# endpoints (django-otp-webauthn checks enrolment itself), the language switch, static files.
_OPEN_PREFIXES = ("/static/", "/webauthn/", "/i18n/")
# Pages open on the way: to pass a factor one has, or to set up the first one.
_OPEN_TO_VERIFY = {"accounts:verify", "logout"}
_OPEN_TO_ENROL = {"accounts:mfa", "accounts:totp", "logout"}


class RequestSizeLimitMiddleware:
    """413 for a body longer than REQUEST_MAX_BYTES, from its Content-Length alone, so that no
    upload is spooled, parsed or checked for CSRF first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            # Before LocaleMiddleware: take the language from the path or the browser here.
            with translation.override(translation.get_language_from_request(request, True)):
                message = _("The request is larger than %(limit)s MB.") % {
                    "limit": settings.REQUEST_MAX_BYTES // (1024 * 1024)
                }
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class SecondFactorMiddleware:
    """A person with a second factor passes it before anything else; under MFA_REQUIRED a
    person whose roles need one and who has none enrols before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, args: object, kwargs: object
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or request.path.startswith(_OPEN_PREFIXES):
            return None
        if user.is_verified():  # type: ignore[union-attr,attr-defined]
            return None
        if services.second_factor_enrolled(user):  # type: ignore[arg-type]
            target, open_views = "accounts:verify", _OPEN_TO_VERIFY
            message = _("Enter your second factor first.")
        elif services.second_factor_required(user):
            target, open_views = "accounts:mfa", _OPEN_TO_ENROL
            message = _("Your roles need a second factor: set one up.")
        else:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in open_views:
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=403)
        return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
