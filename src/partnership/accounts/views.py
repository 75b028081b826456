"""Pages of a person's second factors: set one up, pass it at login, recovery codes, reset."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from partnership.accounts import services
from partnership.accounts.forms import CodeForm
from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.forms import add_service_error
from partnership.core.models import User


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


@login_required
def mfa(request: HttpRequest) -> HttpResponse:
    """What second factors the person has; new recovery codes; a passkey to register."""
    user = _user(request)
    codes: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "recovery":
        if not services.second_factor_enrolled(user):
            raise PermissionDenied
        codes = services.recovery_codes_renew(user=user)
    return render(
        request,
        "accounts/mfa.html",
        {
            "factors": services.second_factors_of(user),
            "required": services.second_factor_required(user),
            "codes": codes,
            "next": _next(request),
        },
    )


@login_required
def totp(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the code (or type the secret), then confirm with the
    code it shows, which proves the app and the server agree."""
    user = _user(request)
    form = CodeForm(request.POST or None)
    device = services.totp_pending(user=user)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.totp_confirm(user=user, token=form.cleaned_data["code"])
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            confirmed = services.second_factors_of(user)["totp"][0]
            otp_login(request, confirmed)
            messages.success(request, _("The authenticator app is now your second factor."))
            return render(
                request,
                "accounts/mfa.html",
                {
                    "factors": services.second_factors_of(user),
                    "required": services.second_factor_required(user),
                    "codes": codes,
                    "next": _next(request),
                },
            )
    if device is None or request.method == "GET":
        device = services.totp_begin(user=user)
    secret = base64.b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "accounts/totp.html",
        {
            "form": form,
            "secret": secret,
            "qr": qr.svg_data_uri(scale=5, border=2),
            "next": _next(request),
        },
    )


def verify(request: HttpRequest) -> HttpResponse:
    """The second step of a login: a code from the authenticator app, a recovery code, or a
    passkey (its own endpoints, see django-otp-webauthn)."""
    if not request.user.is_authenticated:
        return redirect("login")
    if request.user.is_verified():  # type: ignore[union-attr,attr-defined]
        return redirect(_next(request) or "public:factsheet")
    user = _user(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(user=user, token=form.cleaned_data["code"])
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            otp_login(request, device)
            return redirect(_next(request) or "public:factsheet")
    factors = services.second_factors_of(user)
    return render(
        request,
        "accounts/verify.html",
        {"form": form, "factors": factors, "next": _next(request)},
    )


@login_required
@require_POST
def reset(request: HttpRequest, pk: int) -> HttpResponse:
    """An administrator removes a person's second factors (a lost phone or key)."""
    person = get_object_or_404(User, pk=pk)
    try:
        services.second_factor_reset(by=_user(request), user=person)
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    messages.success(
        request,
        _("%(name)s's second factors were removed; they set one up at their next login.")
        % {"name": person.username},
    )
    return redirect("core:people")
