"""The one shape of a page that asks, then acts: a form (a reason, a confirmation), one service
call, the refusal on its field or a message and a redirect (POST-redirect-GET)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.forms import add_service_error


def form_step(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[[dict[str, Any]], object],
    *,
    done: str,
    then: str,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A valid POST calls `act` with the form's cleaned data once; success says `done` and goes
    to `then` (a URL); a service's refusal goes on the field it names and the page is shown
    again (400: the form sent was refused). A permission refusal is not the form's: it goes on
    to the translated 403 page (PermissionErrorMiddleware)."""
    if request.method == "POST" and form.is_valid():
        try:
            act(form.cleaned_data)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(then)
    return render(
        request, template, {**context, "form": form}, status=400 if form.is_bound else 200
    )
