"""Pages of the programmes: what each does, its events and participation, grants, PARP, CEP."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import User
from partnership.core.selectors import visible_to
from partnership.programmes import selectors, services
from partnership.programmes.forms import CountFormSet, EventForm


def programme_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "programmes/programme_list.html",
        {
            "programmes": selectors.programme_list(user=user),
            "beneficiaries": selectors.grants_by_beneficiary(user=user),
            "goals": selectors.goal_list(user=user),
            "surveys": selectors.survey_list(user=user),
            "assistance": selectors.assistance_list(user=user),
        },
    )


def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    programme = selectors.programme_get(user=user, slug=slug)
    if programme is None:
        raise Http404
    return render(
        request,
        "programmes/programme_detail.html",
        {
            "programme": programme,
            "events": selectors.event_list(user=user, programme=programme)[:100],
            "by_year": selectors.participation_by_year(user=user, programme=programme),
            "breakdown": selectors.participation_breakdown(user=user, programme=programme),
            "institutions": selectors.institution_list(user=user, programme=programme),
            "grants": visible_to(user, programme.grants.all()),
            "integrity_steps": selectors.integrity_steps(user=user, programme=programme),
            "indicators": selectors.indicators_of(user=user, record=programme),
            "is_manager": isinstance(user, User)
            and (user.is_superuser or programme.managers.filter(pk=user.pk).exists()),
        },
    )


@login_required
def event_create(request: HttpRequest, slug: str) -> HttpResponse:
    user = request.user
    programme = selectors.programme_get(user=user, slug=slug)
    if programme is None:
        raise Http404
    assert isinstance(user, User)
    form = EventForm(request.POST or None)
    table = CountFormSet(request.POST or None, prefix="count")
    if request.method == "POST" and form.is_valid() and table.is_valid():
        data = form.cleaned_data
        counts = [
            services.Count(row["organization"], row["service"], row["sex"], row["rank_group"],
                           row["count"])
            for row in table.cleaned_data
            if row
        ]  # fmt: skip
        try:
            services.event_record(
                by=user, programme=programme, kind=data["kind"], title_en=data["title_en"],
                title_uk=data["title_uk"], date=data["date"], place_en=data["place_en"],
                participants_total=data["participants_total"], counts=counts,
                marking=data["marking"],
            )  # fmt: skip
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("The event was saved."))
            return redirect("programmes:detail", slug=programme.slug)
    return render(
        request,
        "programmes/event_form.html",
        {"programme": programme, "form": form, "table": table},
    )
