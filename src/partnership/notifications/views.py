"""Pages of notifications: the list, marking read, and each person's choices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnership.core.exceptions import ApplicationError
from partnership.core.forms import add_service_error
from partnership.notifications import selectors, services
from partnership.notifications.forms import PreferencesForm
from partnership.notifications.models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    notices = [
        {
            "notice": n,
            "subject": n.subject_in(language),
            "body": n.body_in(language),
            "link": f"/{language}{n.path}" if n.path else "",
        }
        for n in selectors.notifications_for(user=request.user)  # type: ignore[arg-type]
    ]
    return render(request, "notifications/list.html", {"notices": notices})


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notice = Notification.objects.filter(pk=pk, recipient_id=request.user.pk).first()
    if notice is None:
        raise Http404
    services.notification_mark_read(by=request.user, notification=notice)  # type: ignore[arg-type]
    if notice.path and request.POST.get("open"):
        return redirect(f"/{get_language() or 'en'}{notice.path}")
    return redirect("notifications:list")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    services.notifications_mark_all_read(by=request.user)  # type: ignore[arg-type]
    return redirect("notifications:list")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    initial = {**selectors.channels_of(user), "language": selectors.language_of(user)}  # type: ignore[arg-type]
    form = PreferencesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preferences_set(
                by=user,  # type: ignore[arg-type]
                channels=form.channels(),
                language=form.cleaned_data["language"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "email": user.email},  # type: ignore[union-attr]
        status=400 if form.errors else 200,
    )
