"""Pages of the programmes: what each does, its events and participation, grants, PARP, CEP."""

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.filters import text_filter
from partnership.core.formatting import money
from partnership.core.forms import WithdrawForm, add_service_error, refusal_message
from partnership.core.glossary import abbreviation
from partnership.core.lists import MONEY, NUMBER, PERCENT, Column, natural_key, record_list
from partnership.core.models import User
from partnership.core.partial_input import shown_partial
from partnership.core.selectors import marking_default, shown_text, visible_to
from partnership.core.steps import form_step
from partnership.programmes import selectors, services
from partnership.programmes.forms import (
    MAX_ROWS,
    CountForm,
    CountFormSet,
    EventForm,
    GrantApplicationForm,
    GrantAwardForm,
    GrantReviewForm,
)
from partnership.programmes.models import (
    Event,
    EventKind,
    GoalStatus,
    Grant,
    GrantStatus,
    Programme,
    Topic,
)


class ProgrammeFilter(django_filters.FilterSet):
    q = text_filter("name_en", "name_uk", "abbreviation")


PROGRAMME_COLUMNS = (
    Column("name", gettext_lazy("Programme"), lambda p, u: p.name, ("name_en",)),
    Column(
        "abbreviation", gettext_lazy("Abbreviation"), lambda p, u: abbreviation(p.abbreviation),
        ("abbreviation",),
    ),
    Column(
        "started", gettext_lazy("Started"), lambda p, u: shown_partial(p.started),
        ("started_start", "started_end"),
    ),
)  # fmt: skip


class EventFilter(django_filters.FilterSet):
    q = text_filter("title_en", "title_uk", "place_en", "place_uk")
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Kind"), choices=EventKind.choices, empty_label=gettext_lazy("All")
    )


# Dates are partial ("2015", "June 2015"): by their start, then their end, the undated last.
EVENT_COLUMNS = (
    Column("date", gettext_lazy("Date"), lambda e, u: e.date_display, ("date_start", "date_end")),
    Column("title", gettext_lazy("Event"), lambda e, u: str(e), ("title_en",)),
    Column("kind", gettext_lazy("Kind"), lambda e, u: e.get_kind_display(), ("kind",)),
    Column(
        "participants", gettext_lazy("Participants"), lambda e, u: e.participants_total,
        ("participants_total",), NUMBER,
    ),
)  # fmt: skip


def programme_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    listing = record_list(
        request,
        selectors.programme_list(user=user),
        columns=PROGRAMME_COLUMNS,
        default_sort="name",
        filterset=ProgrammeFilter,
        filename="programmes",
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "programmes/programme_list.html",
        {
            "programmes": listing.page,
            "listing": listing,
            "beneficiaries": selectors.grants_by_beneficiary(user=user),
            "goals": selectors.goal_list(user=user),
            "surveys": selectors.survey_list(user=user),
            "assistance": selectors.assistance_list(user=user),
        },
    )


class BeneficiaryFilterForm(forms.Form):
    topic = forms.ChoiceField(
        label=gettext_lazy("Topic"), required=False,
        choices=[("", gettext_lazy("All")), *Topic.choices],
    )  # fmt: skip


# Rows are totals per country (a few dozen), sorted in Python.
BENEFICIARY_COLUMNS = (
    Column("beneficiary", gettext_lazy("Beneficiary"), lambda r, u: r["beneficiary"],
           lambda r: r["beneficiary"].casefold()),
    Column("grants", gettext_lazy("Grants"), lambda r, u: r["grants"], lambda r: r["grants"],
           NUMBER),
    Column("eur", gettext_lazy("Awarded (EUR)"), lambda r, u: r["eur"], lambda r: r["eur"],
           MONEY),
    # Generated values say so in the export as on the page.
    Column("demo", gettext_lazy("Demo values"),
           lambda r, u: gettext_lazy("demo") if r["demo"] else ""),
)  # fmt: skip


def beneficiary_list(request: HttpRequest) -> HttpResponse:
    form = BeneficiaryFilterForm(request.GET or None)
    topic = form.cleaned_data["topic"] if form.is_valid() else ""
    listing = record_list(
        request,
        selectors.grants_by_beneficiary(user=request.user, topic=topic),
        columns=BENEFICIARY_COLUMNS,
        default_sort="-eur",
        filename=_("SPS beneficiaries"),
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "programmes/beneficiary_list.html",
        {"rows": listing.page, "listing": listing, "form": form},
    )


class GoalFilter(django_filters.FilterSet):
    q = text_filter("code", "title_en", "title_uk")
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=GoalStatus.choices, empty_label=gettext_lazy("All")
    )
    cycle = django_filters.NumberFilter(label=gettext_lazy("Cycle"), min_value=1994, max_value=2100)


def _latest(goal: Any) -> Any:
    return goal.visible_assessments[-1] if goal.visible_assessments else None


def served_by(goal: Any) -> str:
    """The ANP measures and trust-fund projects that serve a goal, as the export writes them."""
    anp = _("ANP")
    measures = [
        f"{anp} {m.programme.year} {m.code} ({m.get_status_display()})"
        for m in goal.visible_measures
    ]
    return "; ".join([*measures, *(str(p.title) for p in goal.visible_projects)])


GOAL_COLUMNS = (
    Column("goal", gettext_lazy("Goal"), lambda g, u: str(g), lambda g: natural_key(g.code)),
    Column("cycle", gettext_lazy("Cycle"), lambda g, u: str(g.cycle), ("cycle", "code")),
    Column("status", gettext_lazy("Status"), lambda g, u: g.get_status_display(),
           ("status", "code")),
    Column("assessed", gettext_lazy("Latest assessment"),
           lambda g, u: str(_latest(g).year) if _latest(g) else "",
           lambda g: (_latest(g) is None, _latest(g).year if _latest(g) else 0)),
    Column("progress", gettext_lazy("Progress"),
           lambda g, u: _latest(g).progress / 100 if _latest(g) else None,
           lambda g: (_latest(g) is None, _latest(g).progress if _latest(g) else 0), PERCENT),
    Column("served", gettext_lazy("Served by"), lambda g, u: served_by(g)),
)  # fmt: skip


def goal_list(request: HttpRequest) -> HttpResponse:
    listing = record_list(
        request,
        selectors.goal_list(user=request.user),
        columns=GOAL_COLUMNS,
        default_sort="goal",
        filterset=GoalFilter,
        filename=_("Partnership Goals"),
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "programmes/goal_list.html",
        {
            "goals": [{"goal": g, "latest": _latest(g)} for g in listing.page],
            "listing": listing,
            "surveys": selectors.survey_list(user=request.user),
        },
    )


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    programme = selectors.programme_get(user=user, slug=slug)
    if programme is None:
        raise Http404
    by_year = selectors.participation_by_year(user=user, programme=programme)
    listing = record_list(
        request,
        selectors.event_list(user=user, programme=programme),
        columns=EVENT_COLUMNS,
        default_sort="-date",
        filterset=EventFilter,
        filename=f"{programme.slug}-events",
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "events": listing.page,
            "listing": listing,
            "by_year": by_year,
            "by_year_demo": any(row["demo"] for row in by_year),
            "breakdown": selectors.participation_breakdown(user=user, programme=programme),
            "institutions": selectors.institution_list(user=user, programme=programme),
            "grants": visible_to(user, programme.grants.all()),
            "integrity_steps": selectors.integrity_steps(user=user, programme=programme),
            "indicators": selectors.indicators_of(user=user, record=programme),
            "is_manager": services.can_manage(user, programme),
            "withdrawn_events": selectors.withdrawn_events(user=user, programme=programme),
        },
    )


def _manager(request: HttpRequest, slug: str) -> tuple[User, Programme]:
    """The programme, for one of its managers; the refusal said on the form's page already,
    not only after it was filled in and sent."""
    user = request.user
    programme = selectors.programme_get(user=user, slug=slug)
    if programme is None:
        raise Http404
    assert isinstance(user, User)
    if not services.can_manage(user, programme):
        raise PermissionDenied(str(services.MSG_MANAGERS_ONLY))
    return user, programme


def _event(request: HttpRequest, programme: Programme, pk: int) -> Event:
    event = selectors.event_get(user=request.user, programme=programme, pk=pk)
    if event is None:
        raise Http404
    return event


def _event_page(
    request: HttpRequest,
    programme: Programme,
    save: Callable[[dict[str, Any], list[services.Count]], Event],
    *,
    initial: dict[str, Any],
    rows: list[dict[str, Any]],
    event: Event | None = None,
) -> HttpResponse:
    """The event form with its participation table, to record an event or correct one."""
    context: dict[str, Any] = {"programme": programme, "event": event}
    form = EventForm(request.POST or None, initial=initial)
    table = CountFormSet(request.POST or None, initial=rows, prefix="count")
    if request.method == "POST" and "more_rows" in request.POST:
        # "More rows": the same form again, as typed so far and not yet checked, with empty rows
        # added below (no script needed).
        total = min(int(request.POST.get("count-TOTAL_FORMS") or 0), MAX_ROWS)
        typed = [
            {name: request.POST.get(f"count-{i}-{name}", "") for name in CountForm.base_fields}
            for i in range(total)
        ]
        form = EventForm(initial=request.POST.dict())
        table = CountFormSet(initial=[r for r in typed if any(r.values())], prefix="count")
        return render(
            request, "programmes/event_form.html", {**context, "form": form, "table": table}
        )
    if request.method == "POST" and form.is_valid() and table.is_valid():
        counts = [
            services.Count(row["organization"], row["service"], row["sex"], row["rank_group"],
                           row["count"])
            for row in table.cleaned_data
            if row
        ]  # fmt: skip
        try:
            saved = save(form.cleaned_data, counts)
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("programmes:event", slug=programme.slug, pk=saved.pk)
    return render(
        request,
        "programmes/event_form.html",
        {**context, "form": form, "table": table},
    )


def _event_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {
        name: data[name]
        for name in ("kind", "title_en", "title_uk", "date", "place_en", "participants_total",
                     "marking")
    }  # fmt: skip


@login_required
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    user, programme = _manager(request, slug)
    return _event_page(
        request,
        programme,
        lambda data, counts: services.event_record(
            by=user, programme=programme, counts=counts, **_event_fields(data)
        ),
        initial=marking_default(user, nations=False),
        rows=[],
    )


def event_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, slug=slug)
    if programme is None:
        raise Http404
    event = _event(request, programme, pk)
    return render(
        request,
        "programmes/event_detail.html",
        {
            "programme": programme,
            "event": event,
            "rows": selectors.event_participation(event=event),
            "is_manager": services.can_manage(request.user, programme),
        },
    )


@login_required
def event_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, programme = _manager(request, slug)
    event = _event(request, programme, pk)
    if event.withdrawn:
        raise PermissionDenied(str(services.MSG_EVENT_WITHDRAWN))
    initial = {
        "kind": event.kind, "title_en": event.title_en, "title_uk": event.title_uk,
        "date": event.date, "place_en": event.place_en,
        "participants_total": event.participants_total, "marking": event.marking,
    }  # fmt: skip
    rows = [
        {"organization": p.organization_id, "service": p.service, "sex": p.sex,
         "rank_group": p.rank_group, "count": p.count}
        for p in selectors.event_participation(event=event)
    ]  # fmt: skip
    return _event_page(
        request,
        programme,
        lambda data, counts: services.event_update(
            by=user,
            event=event,
            counts=counts,
            nations=event.releasable_codes,
            **_event_fields(data),
        ),
        initial=initial,
        rows=rows,
        event=event,
    )


def _withdraw_page(
    request: HttpRequest,
    record: Event | Grant,
    withdraw: Callable[[str, bool], Any],
    *,
    back: str,
    kind: str,
) -> HttpResponse:
    return form_step(
        request,
        WithdrawForm(request.POST or None),
        lambda d: withdraw(d["reason"], d["confirm"]),
        done=_("The record is withdrawn."),
        then=back,
        template="programmes/withdraw.html",
        context={"record": record, "kind": kind, "cancel": back},
    )


@login_required
def event_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    user, programme = _manager(request, slug)
    event = _event(request, programme, pk)
    if event.withdrawn:
        raise PermissionDenied(str(services.MSG_EVENT_WITHDRAWN))
    return _withdraw_page(
        request,
        event,
        lambda reason, confirm: services.event_withdraw(
            by=user, event=event, reason=reason, confirm=confirm
        ),
        back=reverse("programmes:event", args=[programme.slug, event.pk]),
        kind=_("event"),
    )


def grant_list(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, slug=slug)
    if programme is None:
        raise Http404
    listing = record_list(
        request,
        selectors.grant_list(user=request.user).filter(programme=programme),
        columns=GRANT_COLUMNS,
        default_sort="reference",
        filterset=GrantFilter,
        filename=_("Grants") + " " + programme.slug,
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "programmes/grant_list.html",
        {"programme": programme, "grants": listing.page, "listing": listing},
    )


class GrantFilter(django_filters.FilterSet):
    q = text_filter("reference", "title_en", "title_uk")
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=GrantStatus.choices, empty_label=gettext_lazy("All")
    )
    topic = django_filters.ChoiceFilter(
        label=gettext_lazy("Topic"), choices=Topic.choices, empty_label=gettext_lazy("All")
    )


GRANT_COLUMNS = (
    Column(
        "reference", gettext_lazy("reference"), lambda g, u: g.reference,
        lambda g: natural_key(g.reference),
    ),
    Column("title", gettext_lazy("Title"), lambda g, u: g.title_en, ("title_en",)),
    Column("topic", gettext_lazy("Topic"), lambda g, u: g.get_topic_display(), ("topic",)),
    Column(
        "beneficiary", gettext_lazy("Beneficiary country"), lambda g, u: shown_text(u, g.beneficiary),
        ("beneficiary__name_en",),
    ),
    Column("status", gettext_lazy("Status"), lambda g, u: g.get_status_display(), ("status",)),
    Column(
        "awarded", gettext_lazy("awarded (EUR)"), lambda g, u: g.awarded_eur,
        ("awarded_eur",),
    ),
)  # fmt: skip


@login_required
def grant_apply(request: HttpRequest, slug: str) -> HttpResponse:
    programme = selectors.programme_get(user=request.user, slug=slug)
    if programme is None:
        raise Http404
    user = request.user
    assert isinstance(user, User)
    form = GrantApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.grant_apply(by=user, programme=programme, **form.cleaned_data)
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("The application %(ref)s was received.") % {"ref": grant.reference}
            )
            return redirect("programmes:grant", reference=grant.reference)
    return render(request, "programmes/grant_apply.html", {"programme": programme, "form": form})


def grant_detail(request: HttpRequest, reference: str) -> HttpResponse:
    grant = selectors.grant_list(user=request.user).filter(reference=reference).first()
    if grant is None:
        raise Http404
    user = request.user
    review_form = GrantReviewForm(request.POST if request.POST.get("action") == "review" else None)
    award_form = GrantAwardForm(request.POST if request.POST.get("action") == "award" else None)
    if request.method == "POST" and request.POST.get("action") == "award":
        # The award asks for its confirmation in the same form; a refusal is shown on it.
        if not isinstance(user, User):
            raise PermissionDenied
        if award_form.is_valid():
            try:
                services.grant_award(
                    by=user, grant=grant, amount_eur=award_form.cleaned_data["amount_eur"],
                    confirm=award_form.cleaned_data["confirm"],
                )  # fmt: skip
            except ApplicationError as exc:
                add_service_error(award_form, exc)
            else:
                messages.success(request, _("The grant was awarded."))
                return redirect("programmes:grant", reference=grant.reference)
    elif request.method == "POST" and request.POST.get("action") == "review":
        # Like the award: a review that is incomplete or refused is shown again on its form,
        # each message on the field it names, with what the reviewer typed.
        if not isinstance(user, User):
            raise PermissionDenied
        if review_form.is_valid():
            try:
                services.grant_review_record(by=user, grant=grant, **review_form.cleaned_data)
            except PermissionDeniedError as exc:
                raise PermissionDenied(str(exc.message)) from exc
            except ApplicationError as exc:
                add_service_error(review_form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("programmes:grant", reference=grant.reference)
    elif request.method == "POST":
        if not isinstance(user, User):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "start_review":
                services.grant_review_start(by=user, grant=grant)
            elif action == "reject":
                services.grant_reject(by=user, grant=grant, note=request.POST.get("note", ""))
            elif action == "complete":
                services.grant_complete(
                    by=user, grant=grant, outputs_en=request.POST.get("outputs_en", "")
                )
            else:
                raise Http404
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ApplicationError as exc:
            messages.error(request, refusal_message(exc))
        else:
            messages.success(request, _("Saved."))
        return redirect("programmes:grant", reference=grant.reference)
    is_manager = services.can_manage(user, grant.programme)
    is_applicant = services.can_amend_application(user, grant)
    return render(
        request,
        "programmes/grant_detail.html",
        {
            "grant": grant,
            "reviews": selectors.grant_reviews(user=user, grant=grant),
            "is_manager": is_manager,
            "is_applicant": is_applicant,
            "application_open": services.application_open(grant),
            "requested": money(grant.ceiling_eur, 2),
            "can_review": isinstance(user, User) and services.can_review(user, grant),
            "review_form": review_form,
            "award_form": award_form,
        },
        status=400 if award_form.is_bound or review_form.is_bound else 200,
    )


def _own_application(request: HttpRequest, reference: str) -> tuple[User, Grant]:
    """The application, for its applicant while it is open: someone else is refused with the
    403 page, a reviewed or decided application on the grant's page with the reason."""
    grant = selectors.grant_list(user=request.user).filter(reference=reference).first()
    if grant is None:
        raise Http404
    user = request.user
    assert isinstance(user, User)
    if not services.can_amend_application(user, grant):
        raise PermissionDenied(str(services.MSG_APPLICANT_ONLY))
    return user, grant


@login_required
def grant_edit(request: HttpRequest, reference: str) -> HttpResponse:
    user, grant = _own_application(request, reference)
    initial = {
        "title_en": grant.title_en, "topic": grant.topic, "beneficiary": grant.beneficiary_id,
        "institutions": list(grant.institutions.values_list("pk", flat=True)),
        "ceiling_eur": grant.ceiling_eur, "period": grant.period,
        "summary_en": grant.summary_en, "marking": grant.marking,
    }  # fmt: skip
    return form_step(
        request,
        GrantApplicationForm(request.POST or None, initial=initial),
        lambda d: services.grant_update(by=user, grant=grant, **d),
        done=_("Saved."),
        then=reverse("programmes:grant", args=[grant.reference]),
        template="programmes/grant_apply.html",
        context={"programme": grant.programme, "grant": grant},
    )


@login_required
def grant_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    user, grant = _own_application(request, reference)
    return _withdraw_page(
        request,
        grant,
        lambda reason, confirm: services.grant_withdraw(
            by=user, grant=grant, reason=reason, confirm=confirm
        ),
        back=reverse("programmes:grant", args=[grant.reference]),
        kind=_("application"),
    )
