"""Pages: attach, version, withdraw and download documents; the calendar address and feeds.

Files leave only through `download` and `preview`, after the same check as the document's
page: there is no media URL."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from partnership.core.exceptions import ApplicationError
from partnership.core.forms import add_service_error, refusal_message
from partnership.core.models import User
from partnership.core.steps import form_step
from partnership.documents import selectors, services
from partnership.documents.forms import DocumentForm, VersionForm, WithdrawForm
from partnership.documents.parents import (
    PARENTS,
    marking_parent,
    may_attach,
    parent_get,
    parent_url,
)
from partnership.framework.selectors import meeting_get


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@login_required
def document_attach(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    parent = parent_get(user=user, kind=kind, pk=pk)
    if parent is None:
        raise Http404
    if not may_attach(user, parent):
        raise services.PermissionDeniedError(services.MSG_MAY_NOT_ATTACH)
    within = marking_parent(parent)
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        kinds=PARENTS[kind].kinds,
        # A document starts at its parent's marking (it may be narrowed, never widened).
        initial={"marking": within.marking, "nations": within.releasable_codes},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.document_attach(
                by=user,
                parent=parent,
                kind=data["kind"],
                title_en=data["title_en"],
                title_uk=data["title_uk"],
                marking=data["marking"],
                nations=[n.country_code for n in data["nations"]],
                upload=data["file"],
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The document was attached."))
            return redirect("documents:document", pk=document.pk)
    return render(
        request,
        "documents/attach.html",
        {"form": form, "parent": parent, "parent_url": PARENTS[kind].url(parent)},
    )


def _document_or_404(request: HttpRequest, pk: int) -> selectors.Document:
    document = selectors.document_get(user=request.user, pk=pk)
    if document is None:
        raise Http404
    return document


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document_or_404(request, pk)
    parent = document.parent
    return render(
        request,
        "documents/document.html",
        {
            "document": document,
            "versions": document.versions.all(),
            "parent": parent,
            "parent_url": parent_url(parent),
            "can_attach": may_attach(request.user, parent),
        },
    )


@login_required
def version_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    document = _document_or_404(request, pk)
    if not may_attach(user, document.parent):
        raise services.PermissionDeniedError(services.MSG_MAY_NOT_ATTACH)
    form = VersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.document_add_version(
                by=user, document=document, upload=form.cleaned_data["file"]
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("Version %(number)s was added.") % {"number": version.number}
            )
            return redirect("documents:document", pk=document.pk)
    return render(request, "documents/version_form.html", {"form": form, "document": document})


@login_required
def document_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    document = _document_or_404(request, pk)
    parent = document.parent
    if not may_attach(user, parent):
        raise services.PermissionDeniedError(services.MSG_MAY_NOT_ATTACH)
    return form_step(
        request,
        WithdrawForm(request.POST if request.method == "POST" else None),
        lambda data: services.document_withdraw(by=user, document=document),
        done=_("The document was withdrawn."),
        then=parent_url(parent) or "/",
        template="documents/withdraw.html",
        context={"document": document},
    )


@require_GET
def download(request: HttpRequest, pk: int, number: int | None = None) -> FileResponse:
    """A version's bytes, to whoever may see the document and its parent."""
    version = selectors.version_get(user=request.user, pk=pk, number=number)
    if version is None:
        raise Http404
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.filename,
        content_type=version.content_type,
    )
    # Not kept by shared caches: the next reader may not be allowed to see it.
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def preview(request: HttpRequest, pk: int, number: int) -> FileResponse:
    version = selectors.version_get(user=request.user, pk=pk, number=number)
    if version is None or not services.version_preview_make(version=version):
        raise Http404
    version.refresh_from_db(fields=["preview"])
    response = FileResponse(version.preview.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    """The person's calendar address: made, shown once, revoked, made anew."""
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "issue":
            secret = services.calendar_feed_issue(person=user)
            # Shown once, on the page the redirect leads to; only its hash is kept.
            request.session["calendar_secret"] = secret
            messages.success(
                request, _("A new calendar address was made; the old one no longer works.")
            )
        elif action == "revoke":
            try:
                services.calendar_feed_revoke(person=user)
            except ApplicationError as exc:
                messages.error(request, refusal_message(exc))
            else:
                messages.success(request, _("The calendar address was revoked."))
        return redirect("documents:calendar")
    secret = request.session.pop("calendar_secret", None)
    feed_url = request.build_absolute_uri(f"/calendar/{secret}.ics") if secret is not None else None
    return render(
        request,
        "documents/calendar.html",
        {"has_feed": hasattr(user, "calendar_feed"), "feed_url": feed_url},
    )


@require_GET
def feed(request: HttpRequest, secret: str) -> HttpResponse:
    """A person's calendar, for their calendar program: the secret address is the key."""
    owner = selectors.feed_owner(secret=secret)
    if owner is None:
        raise Http404
    with translation.override(owner.language):
        body = selectors.person_calendar(user=owner.user, base_url=_base_url(request))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def meeting_ics(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = meeting_get(user=request.user, pk=pk)
    if meeting is None:
        raise Http404
    response = HttpResponse(
        selectors.meeting_calendar(meeting=meeting, base_url=_base_url(request)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response
