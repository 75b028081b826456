"""Pages of notifications: the list, marking read, and each person's choices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnership.core.exceptions import ApplicationError
from partnership.core.forms import add_service_error
from partnership.core.lists import DATETIME, Column, record_list
from partnership.notifications import selectors, services
from partnership.notifications.forms import NoticeFilterForm, PreferencesForm
from partnership.notifications.models import Notification


def _language() -> str:
    return get_language() or "en"


# The notices are sorted in Python: there are at most 200, each checked for visibility.
NOTICE_COLUMNS = (
    Column("when", gettext_lazy("When"), lambda n, u: n.created_at, lambda n: n.created_at,
           DATETIME),
    Column("kind", gettext_lazy("Kind"), lambda n, u: n.get_kind_display(),
           lambda n: str(n.get_kind_display()).casefold()),
    Column("subject", gettext_lazy("Subject"), lambda n, u: n.subject_in(_language()),
           lambda n: n.subject_in(_language()).casefold()),
    Column("message", gettext_lazy("Message"), lambda n, u: n.body_in(_language())),
    # Unread notices first when sorted by it: they are what a person looks for.
    Column("read", gettext_lazy("Read"), lambda n, u: n.read_at,
           lambda n: (n.read_at is not None, n.read_at or n.created_at), DATETIME),
)  # fmt: skip


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    form = NoticeFilterForm(request.GET or None)
    kind, unread = (form.cleaned_data["kind"], form.unread()) if form.is_valid() else ("", None)
    listing = record_list(
        request,
        selectors.notifications_for(user=request.user, kind=kind, unread=unread),  # type: ignore[arg-type]
        columns=NOTICE_COLUMNS,
        default_sort="-when",
        filename=_("Notifications"),
    )
    if isinstance(listing, HttpResponse):
        return listing
    language = _language()
    notices = [
        {
            "notice": n,
            "subject": n.subject_in(language),
            "body": n.body_in(language),
            "link": f"/{language}{n.path}" if n.path else "",
        }
        for n in listing.page
    ]
    return render(
        request,
        "notifications/list.html",
        {"notices": notices, "listing": listing, "form": form, "trailing_cell": True},
    )


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
