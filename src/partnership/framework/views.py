"""Pages of the framework: thin views over selectors and services."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnership.core.exceptions import ApplicationError
from partnership.core.forms import add_service_error
from partnership.core.lists import Column, Listing, marking_column, record_list
from partnership.core.models import User, localized
from partnership.core.partial_input import shown_partial
from partnership.core.selectors import by_name, marking_default, members_on, membership_source
from partnership.framework import filters, selectors, services
from partnership.framework.forms import MeetingForm
from partnership.framework.models import ActionStatus
from partnership.public.selectors import factsheet_date

MSG_NOT_A_DATE = gettext_lazy("“%(value)s” is not a date (YYYY-MM-DD).")


BODY_COLUMNS = (
    Column("name", gettext_lazy("Name"), lambda b, u: b.name, ("name_en",)),
    Column("kind", gettext_lazy("Kind"), lambda b, u: b.get_kind_display(), ("kind", "name_en")),
    Column(
        "established",
        gettext_lazy("Established"),
        lambda b, u: shown_partial(b.established),
        ("established_start", "established_end"),
    ),
    marking_column(),
)


def body_list(request: HttpRequest) -> HttpResponse:
    listing = record_list(
        request,
        selectors.body_list(user=request.user),
        columns=BODY_COLUMNS,
        default_sort="kind",
        filterset=filters.BodyFilter,
        filename=str(_("Bodies")),
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(request, "framework/body_list.html", {"bodies": listing.page, "listing": listing})


def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    body = selectors.body_get(user=request.user, slug=slug)
    if body is None:
        raise Http404
    # Members as of a date (today unless asked): the NUC of May 2015 had 28 Allies, not 32.
    as_of_text = request.GET.get("as_of", "").strip()
    try:
        as_of = dt.date.fromisoformat(as_of_text) if as_of_text else timezone.localdate()
        error = ""
    except ValueError:
        as_of, error = timezone.localdate(), MSG_NOT_A_DATE % {"value": as_of_text}
    return render(
        request,
        "framework/body_detail.html",
        {
            "body": body,
            "meetings": selectors.meeting_list(user=request.user, body=body),
            "as_of": as_of,
            "members": by_name(members_on(organizations=body.members.all(), on=as_of)),
            "membership_source": membership_source(organizations=body.members.all()),
            "factsheet_date": factsheet_date(),
            "error": error,
        },
        status=400 if error else 200,
    )


MEETING_COLUMNS = (
    Column(
        "date",
        gettext_lazy("Date"),
        lambda m, u: shown_partial(m.date),
        ("date_start", "date_end"),
    ),
    Column("title", gettext_lazy("Meeting"), lambda m, u: m.title, ("title_en",)),
    Column("level", gettext_lazy("Level"), lambda m, u: m.get_level_display(), ("level",)),
    Column("place", gettext_lazy("Place"), lambda m, u: localized(m, "place"), ("place_en",)),
    marking_column(),
)


def meeting_list(request: HttpRequest) -> HttpResponse:
    listing = record_list(
        request,
        selectors.meeting_list(user=request.user),
        columns=MEETING_COLUMNS,
        default_sort="-date",
        filterset=filters.MeetingFilter,
        filename=str(_("Meetings")),
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "framework/meeting_list.html",
        {
            "meetings": listing.page,
            "page": listing.page,
            "listing": listing,
            "can_edit": _is_editor(request),
        },
    )


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    if meeting is None:
        raise Http404
    user = request.user
    return render(
        request,
        "framework/meeting_detail.html",
        {
            "meeting": meeting,
            "decisions": selectors.meeting_decisions(user=user, meeting=meeting),
            "documents": selectors.meeting_documents(user=user, meeting=meeting),
            "action_items": selectors.action_item_list(user=user, meeting=meeting),
        },
    )


def _is_editor(request: HttpRequest) -> bool:
    return services.can_edit(request.user)


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User) or not services.can_edit(user):
        messages.error(request, str(services.MSG_EDITORS_ONLY))
        return redirect("framework:meetings")
    form = MeetingForm(
        request.POST or None, bodies=selectors.body_list(user=user), initial=marking_default(user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                by=user,
                body=data["body"],
                level=data["level"],
                title_en=data["title_en"],
                title_uk=data["title_uk"],
                date=data["date"],
                place_en=data["place_en"],
                place_uk=data["place_uk"],
                marking=data["marking"],
                nations=[n.country_code for n in data["nations"]],
                participants=data["participants"],
                agenda=data["agenda"].splitlines(),
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("framework:meeting", pk=meeting.pk)
    return render(request, "framework/meeting_form.html", {"form": form})


AGREEMENT_COLUMNS = (
    Column("title", gettext_lazy("Agreement"), lambda a, u: a.title, ("title_en",)),
    Column(
        "signed",
        gettext_lazy("Signed"),
        lambda a, u: shown_partial(a.signed),
        ("signed_start", "signed_end"),
    ),
    Column(
        "ratified",
        gettext_lazy("Ratified"),
        lambda a, u: shown_partial(a.ratified),
        ("ratified_start", "ratified_end"),
    ),
    Column(
        "in_force",
        gettext_lazy("In force"),
        lambda a, u: shown_partial(a.in_force),
        ("in_force_start", "in_force_end"),
    ),
    marking_column(),
)


def agreement_list(request: HttpRequest) -> HttpResponse:
    # In date order by default: signed first (an agreement not signed yet by its ratification).
    listing = record_list(
        request,
        selectors.agreement_list(user=request.user),
        columns=AGREEMENT_COLUMNS,
        default_sort="signed",
        filterset=filters.AgreementFilter,
        filename=str(_("Agreements")),
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "framework/agreement_list.html",
        {"agreements": listing.page, "listing": listing},
    )


def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, slug=slug)
    if agreement is None:
        raise Http404
    return render(request, "framework/agreement_detail.html", {"agreement": agreement})


def action_item_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST" and isinstance(user, User):
        ids = [
            int(i)
            for i in request.POST.getlist("items")
            if i.isascii() and i.isdigit() and len(i) < 19
        ]
        items = selectors.action_item_list(user=user).filter(pk__in=ids)
        try:
            changed = services.action_items_bulk_set_status(
                by=user, items=list(items), status=request.POST.get("new_status", "")
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("%(count)d action items updated.") % {"count": len(changed)}
            )
        return redirect("framework:action_items")
    listing = record_list(
        request,
        selectors.action_item_list(user=request.user),
        columns=ACTION_ITEM_COLUMNS,
        default_sort="deadline",
        filterset=filters.ActionItemFilter,
        filename=str(_("Action items")),
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "framework/action_item_list.html",
        {
            "action_items": listing.page,
            "listing": listing,
            "statuses": ActionStatus.choices,
            "can_edit": _is_editor(request),
        },
    )


ACTION_ITEM_COLUMNS = (
    Column("title", gettext_lazy("Action"), lambda a, u: localized(a, "title"), ("title_en",)),
    Column("owner", gettext_lazy("Owner"), lambda a, u: a.owner.name, ("owner__name_en",)),
    Column("deadline", gettext_lazy("Deadline"), lambda a, u: a.deadline or "", ("deadline",)),
    Column("status", gettext_lazy("Status"), lambda a, u: a.get_status_display(), ("status",)),
    marking_column(),
)


def search(request: HttpRequest) -> HttpResponse:
    """One search over every kind of record the reader may see, narrowed to a kind on ask."""
    from partnership.search import selectors as search_selectors

    query = request.GET.get("q", "")[:200]
    kind = request.GET.get("kind", "")
    kinds = search_selectors.kinds()
    if kind not in dict(kinds):
        kind = ""
    hits = search_selectors.search(user=request.user, query=query, kind=kind, limit=SEARCH_HITS)
    page = Paginator(hits, 25).get_page(request.GET.get("page"))
    listing = Listing(page=page, columns=(), sort="", filters=None, query=request.GET)
    return render(
        request,
        "framework/search.html",
        {
            "query": query,
            "kind": kind,
            "kinds": kinds,
            "hits": page,
            "page": page,
            "listing": listing,
            "total": len(hits),
            "more": len(hits) >= SEARCH_HITS,
        },
    )


# A search shows at most this many hits (over pages of 25); narrowing by kind shows others.
SEARCH_HITS = 200
