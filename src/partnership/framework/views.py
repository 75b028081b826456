"""Pages of the framework: thin views over selectors and services."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.forms import WithdrawForm, add_service_error, refusal_message
from partnership.core.lists import DATETIME, Column, Listing, marking_column, record_list
from partnership.core.models import User, localized
from partnership.core.partial_input import shown_partial
from partnership.core.selectors import (
    Restricted,
    by_name,
    marking_default,
    members_on,
    membership_source,
    shown,
)
from partnership.core.steps import form_step
from partnership.framework import filters, selectors, services
from partnership.framework.forms import (
    ActionItemForm,
    ActionStatusForm,
    AgreementForm,
    BodyForm,
    ConfirmForm,
    DecisionForm,
    MarkedForm,
    MeetingForm,
    MilestoneForm,
    WithdrawnFilterForm,
)
from partnership.framework.models import ActionStatus, DecisionStatus
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
    return render(
        request,
        "framework/body_list.html",
        {"bodies": listing.page, "listing": listing, "can_edit": _is_editor(request)},
    )


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
            "can_keep": services.can_keep(request.user, body),
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
        # The list shows no meeting's body: PostgreSQL sorts the meetings alone, not each
        # joined to its body's long description (a tenth of the time on 5,000 meetings).
        selectors.meeting_list(user=request.user).select_related(None),
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
            "can_keep": services.can_keep(user, meeting),
        },
    )


def _is_editor(request: HttpRequest) -> bool:
    return services.can_edit(request.user)


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
        {"agreements": listing.page, "listing": listing, "can_edit": _is_editor(request)},
    )


def agreement_detail(request: HttpRequest, slug: str) -> HttpResponse:
    agreement = selectors.agreement_get(user=request.user, slug=slug)
    if agreement is None:
        raise Http404
    return render(
        request,
        "framework/agreement_detail.html",
        {"agreement": agreement, "can_keep": services.can_keep(request.user, agreement)},
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
    # A record deleted or hidden since the search was made is left out, not a 500.
    page.object_list = search_selectors.present(page.object_list)
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
# A search shows at most this many hits (over pages of 25); narrowing by kind shows others.
SEARCH_HITS = 200


# ---- create and edit: one form page, one service call, then a redirect (POST-redirect-GET) ---


MSG_SAVED = gettext_lazy("Saved.")


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # login_required lets only people through
        raise Http404
    return user


def _require_editor(user: User) -> None:
    """The page refuses with the service's own rule and reason, before showing a form."""
    if not services.can_edit(user):
        raise PermissionDeniedError(services.MSG_EDITORS_ONLY)


def _require_keeper(user: User, record: Any) -> None:
    if not services.can_keep(user, record):
        raise PermissionDeniedError(services.MSG_EDITORS_ONLY)


def _kept(request: HttpRequest, kind: str, key: object) -> tuple[User, Any]:
    """An edit page's record of `kind` (see KINDS) and its keeper: 404 where the reader may
    not see it, the service's refusal where they may not keep it."""
    user = _user(request)
    record = _record(request, kind, str(key))
    _require_keeper(user, record)
    return user, record


def _form_page(
    request: HttpRequest,
    form: MarkedForm | Any,
    save: Callable[[Any], Any],
    *,
    title: str,
    cancel: str,
) -> HttpResponse:
    """Saves a valid form through its service and redirects to the record, or shows the form
    again with the service's refusal on the field it names."""
    if request.method == "POST" and form.is_valid():
        try:
            record = save(form)
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, str(MSG_SAVED))
            return redirect(record_url(record))
    return render(
        request,
        "framework/record_form.html",
        {"form": form, "title": title, "cancel": cancel},
        status=400 if form.is_bound else 200,
    )


def _marking_initial(record: Any) -> dict[str, Any]:
    return {"marking": record.marking, "nations": record.releasable_codes}


def record_url(record: Any) -> str:
    """Where a record of the framework is read (its page; a milestone's is public)."""
    for kind, (_get, name, attr, _label) in KINDS.items():
        if type(record).__name__.lower() == kind.replace("-", ""):
            return reverse(name, args=[getattr(record, attr)])
    raise ValueError(record)


@login_required
def body_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_editor(user)
    form = BodyForm(
        request.POST or None, bodies=selectors.body_list(user=user), initial=marking_default(user)
    )
    return _form_page(
        request,
        form,
        lambda f: services.body_create(by=user, **f.values()),
        title=_("New body"),
        cancel=reverse("framework:bodies"),
    )


@login_required
def body_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user, body = _kept(request, "body", slug)
    initial = {
        **{n: getattr(body, n) for n in BodyForm.base_fields if hasattr(body, n)},
        "members": list(body.members.all()),
        **_marking_initial(body),
    }
    form = BodyForm(
        request.POST or None,
        bodies=selectors.body_list(user=user).exclude(pk=body.pk),
        initial=initial,
    )
    return _form_page(
        request,
        form,
        lambda f: services.body_update(by=user, body=body, **f.values()),
        title=_("Edit body"),
        cancel=record_url(body),
    )


def _meeting_values(form: MeetingForm) -> dict[str, Any]:
    data = form.cleaned_data
    names = ("body", "level", "title_en", "title_uk", "date", "place_en", "place_uk")
    return {
        **{n: data[n] for n in names},
        "participants": data["participants"],
        "agenda": services.agenda_from_lines(data["agenda"], data["agenda_uk"]),
        **form.marking_values(),
    }


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_editor(user)
    form = MeetingForm(
        request.POST or None, bodies=selectors.body_list(user=user), initial=marking_default(user)
    )
    return _form_page(
        request,
        form,
        lambda f: services.meeting_create(by=user, **_meeting_values(f)),
        title=_("New meeting"),
        cancel=reverse("framework:meetings"),
    )


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, meeting = _kept(request, "meeting", pk)
    agenda = list(meeting.agenda_items.all())
    initial = {
        **{n: getattr(meeting, n) for n in MeetingForm.base_fields if hasattr(meeting, n)},
        "participants": list(meeting.participants.all()),
        "agenda": "\n".join(a.title_en for a in agenda),
        "agenda_uk": "\n".join(a.title_uk for a in agenda),
        **_marking_initial(meeting),
    }
    form = MeetingForm(request.POST or None, bodies=selectors.body_list(user=user), initial=initial)
    return _form_page(
        request,
        form,
        lambda f: services.meeting_update(by=user, meeting=meeting, **_meeting_values(f)),
        title=_("Edit meeting"),
        cancel=record_url(meeting),
    )


# ---- decisions -----------------------------------------------------------------------------


def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.decision_get(user=request.user, pk=pk)
    if decision is None:
        raise Http404
    user = request.user
    return render(
        request,
        "framework/decision_detail.html",
        {
            "decision": decision,
            "action_items": selectors.action_item_list(user=user, decision=decision),
            "can_keep": services.can_keep(user, decision),
            "can_adopt": services.can_adopt(user, decision)
            and decision.status != DecisionStatus.ADOPTED,
            "can_break": services.can_break_silence(user)
            and decision.status == DecisionStatus.UNDER_SILENCE,
        },
    )


@login_required
def decision_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_editor(user)
    initial = marking_default(user)
    meeting = request.GET.get("meeting", "")
    if meeting.isascii() and meeting.isdigit() and len(meeting) < 19:
        initial["meeting"] = selectors.meeting_get(user=user, pk=int(meeting))
    form = DecisionForm(
        request.POST or None, meetings=selectors.meeting_list(user=user), initial=initial
    )
    return _form_page(
        request,
        form,
        lambda f: services.decision_create(by=user, **f.values()),
        title=_("New decision"),
        cancel=reverse("framework:meetings"),
    )


@login_required
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, decision = _kept(request, "decision", pk)
    initial = {
        **{n: getattr(decision, n) for n in DecisionForm.base_fields if hasattr(decision, n)},
        "silence_deadline": timezone.localtime(decision.silence_deadline)
        if decision.silence_deadline
        else None,
        **_marking_initial(decision),
    }
    form = DecisionForm(
        request.POST or None, meetings=selectors.meeting_list(user=user), initial=initial
    )
    return _form_page(
        request,
        form,
        lambda f: services.decision_update(by=user, decision=decision, **f.values()),
        title=_("Edit decision"),
        cancel=record_url(decision),
    )


def _confirm_page(
    request: HttpRequest,
    record: Any,
    act: Callable[[], Any],
    *,
    title: str,
    explanation: str,
    done: str,
) -> HttpResponse:
    """An irreversible step: a page that says what will happen and a required "I confirm"."""
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            act()
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, done)
            return redirect(record_url(record))
    return render(
        request,
        "framework/confirm.html",
        {
            "form": form,
            "title": title,
            "explanation": explanation,
            "record": record,
            "cancel": record_url(record),
        },
        status=400 if form.is_bound else 200,
    )


@login_required
def decision_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    decision = selectors.decision_get(user=user, pk=pk)
    if decision is None:
        raise Http404
    if not services.can_adopt(user, decision):
        raise PermissionDeniedError(
            services.MSG_NUC_APPROVERS_ONLY
            if user.has_role("approver")
            else services.MSG_APPROVERS_ONLY
        )
    return _confirm_page(
        request,
        decision,
        lambda: services.decision_adopt(by=user, decision=decision),
        title=_("Adopt the decision"),
        explanation=_("Adopting records you as the approver; it cannot be undone."),
        done=_("The decision is adopted."),
    )


@login_required
def decision_break_silence(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    decision = selectors.decision_get(user=user, pk=pk)
    if decision is None:
        raise Http404
    if not services.can_break_silence(user):
        raise PermissionDeniedError(services.MSG_ALLIES_ONLY)
    return _confirm_page(
        request,
        decision,
        lambda: services.decision_break_silence(by=user, decision=decision),
        title=_("Break silence"),
        explanation=_(
            "Breaking silence records an objection by your organization; the silence procedure "
            "ends and the decision is not adopted by it."
        ),
        done=_("Silence is broken."),
    )


# ---- action items --------------------------------------------------------------------------


def _linked(user: User, form: ActionItemForm) -> Any:
    kind, key = form.cleaned_data["linked_kind"], form.cleaned_data["linked_key"].strip()
    if not kind and not key:
        return None
    linked = selectors.linkable_get(user=user, kind=kind, key=key)
    if linked is None:
        raise ApplicationError(services.MSG_LINK_NOT_FOUND, field="linked_key")
    return linked


def _action_values(user: User, form: ActionItemForm, hidden_link: Any = None) -> dict[str, Any]:
    """`hidden_link`: a linked record the editor may not see, kept unless they name another."""
    data = form.cleaned_data
    names = ("title_en", "title_uk", "owner", "deadline", "status", "meeting", "decision")
    return {
        **{n: data[n] for n in names},
        "linked": _linked(user, form) or hidden_link,
        **form.marking_values(),
    }


def _action_form(request: HttpRequest, user: User, initial: dict[str, Any]) -> ActionItemForm:
    return ActionItemForm(
        request.POST or None,
        meetings=selectors.meeting_list(user=user),
        decisions=selectors.decision_list(user=user),
        initial=initial,
    )


@login_required
def action_item_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_editor(user)
    initial: dict[str, Any] = {**marking_default(user), "status": ActionStatus.OPEN}
    for name, get in (("meeting", selectors.meeting_get), ("decision", selectors.decision_get)):
        key = request.GET.get(name, "")
        if key.isascii() and key.isdigit() and len(key) < 19:
            initial[name] = get(user=user, pk=int(key))
    form = _action_form(request, user, initial)
    return _form_page(
        request,
        form,
        lambda f: services.action_item_create(by=user, **_action_values(user, f)),
        title=_("New action item"),
        cancel=reverse("framework:action_items"),
    )


@login_required
def action_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user, item = _kept(request, "action-item", pk)
    # The key of a linked record the editor may not see stays off the form (and unchanged).
    kind, key = selectors.linked_key(shown_record(user, item.linked))
    hidden = item.linked if item.linked is not None and not kind else None
    initial = {
        **{n: getattr(item, n) for n in ActionItemForm.base_fields if hasattr(item, n)},
        "linked_kind": kind,
        "linked_key": key,
        **_marking_initial(item),
    }
    form = _action_form(request, user, initial)
    return _form_page(
        request,
        form,
        lambda f: services.action_item_update(
            by=user, item=item, **_action_values(user, f, hidden_link=hidden)
        ),
        title=_("Edit action item"),
        cancel=record_url(item),
    )


def action_item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.action_item_get(user=request.user, pk=pk)
    if item is None:
        raise Http404
    return render(
        request,
        "framework/action_item_detail.html",
        {
            "item": item,
            "status_form": ActionStatusForm(initial={"status": item.status}),
            "can_keep": services.can_keep(request.user, item),
            "can_set_status": services.can_set_status(request.user, item),
        },
    )


@require_POST
@login_required
def action_item_status(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    item = selectors.action_item_get(user=user, pk=pk)
    if item is None:
        raise Http404
    try:
        services.action_item_set_status(by=user, item=item, status=request.POST.get("status", ""))
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, str(MSG_SAVED))
    return redirect(record_url(item))


def action_item_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST" and isinstance(user, User):
        ids = [
            int(i)
            for i in request.POST.getlist("items")
            if i.isascii() and i.isdigit() and len(i) < 19
        ]
        chosen = selectors.action_item_list(user=user).filter(pk__in=ids)
        try:
            changed = services.action_items_bulk_set_status(
                by=user, items=list(chosen), status=request.POST.get("new_status", "")
            )
        except PermissionDeniedError:
            raise
        except ApplicationError as exc:
            messages.error(request, refusal_message(exc))
        else:
            messages.success(
                request, _("%(count)d action items updated.") % {"count": len(changed)}
            )
        return redirect("framework:action_items")
    listing = record_list(
        request,
        # The list shows the owner, not the meeting or decision: the rows sort without them.
        selectors.action_item_list(user=request.user).select_related(None).select_related("owner"),
        columns=ACTION_ITEM_COLUMNS,
        default_sort="deadline",
        filterset=filters.ActionItemFilter,
        filename=str(_("Action items")),
    )
    if isinstance(listing, HttpResponse):
        return listing
    # The same rule as each item's own status change: a checkbox where the reader may move it.
    movable = {item.pk for item in listing.page if services.can_set_status(user, item)}
    return render(
        request,
        "framework/action_item_list.html",
        {
            "action_items": listing.page,
            "listing": listing,
            "movable": movable,
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


# ---- agreements and milestones -------------------------------------------------------------


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_editor(user)
    form = AgreementForm(request.POST or None, initial=marking_default(user))
    return _form_page(
        request,
        form,
        lambda f: services.agreement_create(by=user, **f.values()),
        title=_("New agreement"),
        cancel=reverse("framework:agreements"),
    )


@login_required
def agreement_edit(request: HttpRequest, slug: str) -> HttpResponse:
    user, agreement = _kept(request, "agreement", slug)
    initial = {
        **{n: getattr(agreement, n) for n in AgreementForm.base_fields if hasattr(agreement, n)},
        "parties": list(agreement.parties.all()),
        **_marking_initial(agreement),
    }
    form = AgreementForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda f: services.agreement_update(by=user, agreement=agreement, **f.values()),
        title=_("Edit agreement"),
        cancel=record_url(agreement),
    )


def _milestone_form(request: HttpRequest, user: User, initial: dict[str, Any]) -> MilestoneForm:
    return MilestoneForm(
        request.POST or None,
        bodies=selectors.body_list(user=user),
        meetings=selectors.meeting_list(user=user),
        agreements=selectors.agreement_list(user=user),
        initial=initial,
    )


@login_required
def milestone_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_editor(user)
    form = _milestone_form(request, user, marking_default(user))
    return _form_page(
        request,
        form,
        lambda f: services.milestone_create(by=user, **f.values()),
        title=_("New milestone"),
        cancel=reverse("public:timeline"),
    )


@login_required
def milestone_edit(request: HttpRequest, number: int) -> HttpResponse:
    user, milestone = _kept(request, "milestone", number)
    links = ("bodies", "meetings", "agreements", "organizations")
    initial = {
        **{n: getattr(milestone, n) for n in ("date", "text_en", "text_uk", "theme")},
        **{n: list(getattr(milestone, n).all()) for n in links},
        **_marking_initial(milestone),
    }
    form = _milestone_form(request, user, initial)
    return _form_page(
        request,
        form,
        lambda f: services.milestone_update(by=user, milestone=milestone, **f.values()),
        title=_("Edit milestone"),
        cancel=record_url(milestone),
    )


# ---- withdrawal and restoration ------------------------------------------------------------


def _int_key(get: Callable[..., Any], name: str) -> Callable[[Any, str], Any]:
    def found(user: Any, key: str) -> Any:
        if not (key.isascii() and key.isdigit() and len(key) < 19):
            return None
        return get(user=user, **{name: int(key)})

    return found


# kind in the address → (how to find it, its page, the key its page is addressed by, label)
KINDS: dict[str, tuple[Callable[[Any, str], Any], str, str, Any]] = {
    "body": (
        lambda user, key: selectors.body_get(user=user, slug=key),
        "framework:body",
        "slug",
        gettext_lazy("body"),
    ),
    "meeting": (
        _int_key(selectors.meeting_get, "pk"),
        "framework:meeting",
        "pk",
        gettext_lazy("meeting"),
    ),
    "decision": (
        _int_key(selectors.decision_get, "pk"),
        "framework:decision",
        "pk",
        gettext_lazy("decision"),
    ),
    "action-item": (
        _int_key(selectors.action_item_get, "pk"),
        "framework:action_item",
        "pk",
        gettext_lazy("action item"),
    ),
    "agreement": (
        lambda user, key: selectors.agreement_get(user=user, slug=key),
        "framework:agreement",
        "slug",
        gettext_lazy("agreement"),
    ),
    "milestone": (
        _int_key(selectors.milestone_get, "number"),
        "public:milestone",
        "number",
        gettext_lazy("milestone"),
    ),
}


def _record(request: HttpRequest, kind: str, key: str) -> Any:
    if kind not in KINDS:
        raise Http404
    record = KINDS[kind][0](request.user, key)
    if record is None:
        raise Http404
    return record


@login_required
def record_withdraw(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    user = _user(request)
    record = _record(request, kind, key)
    _require_keeper(user, record)
    return form_step(
        request,
        WithdrawForm(request.POST or None),
        lambda data: services.record_withdraw(by=user, record=record, reason=data["reason"]),
        done=_("The record is withdrawn."),
        then=record_url(record),
        template="framework/withdraw.html",
        context={"record": record, "kind": KINDS[kind][3], "cancel": record_url(record)},
    )


@require_POST
@login_required
def record_restore(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    user = _user(request)
    record = _record(request, kind, key)
    try:
        services.record_restore(by=user, record=record)
    except PermissionDeniedError:
        raise
    except ApplicationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("The record is restored."))
    return redirect(record_url(record))


# Rows are records of every withdrawable kind, sorted in Python (the withdrawn are few).
WITHDRAWN_COLUMNS = (
    Column(
        "record", pgettext_lazy("a list's column", "Record"), lambda r, u: str(r),
        lambda r: str(r).casefold(),
    ),
    Column(
        "kind", gettext_lazy("Kind"), lambda r, u: capfirst(r._meta.verbose_name),
        lambda r: str(r._meta.verbose_name).casefold(),
    ),
    Column(
        "withdrawn", gettext_lazy("Withdrawn"), lambda r, u: r.withdrawn_at,
        lambda r: r.withdrawn_at, DATETIME,
    ),
    Column(
        "reason", gettext_lazy("Reason"), lambda r, u: r.withdrawal_reason,
        lambda r: r.withdrawal_reason.casefold(),
    ),
)  # fmt: skip


@login_required
def withdrawn_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_editor(user)
    form = WithdrawnFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {"kind": "", "q": ""}
    listing = record_list(
        request,
        selectors.withdrawn_list(user=user, kind=chosen["kind"], text=chosen["q"]),
        columns=WITHDRAWN_COLUMNS,
        default_sort="-withdrawn",
        filename=str(_("Withdrawn records")),
    )
    if isinstance(listing, HttpResponse):
        return listing
    rows = [
        {"record": r, "label": capfirst(r._meta.verbose_name), "url": record_url(r)}
        for r in listing.page
    ]
    return render(
        request,
        "framework/withdrawn_list.html",
        {"rows": rows, "listing": listing, "form": form},
    )


def shown_record(user: Any, record: Any) -> Any:
    """A linked record as the reader may see it; None where restricted."""
    seen = shown(user, record)
    return None if isinstance(seen, Restricted) else seen
