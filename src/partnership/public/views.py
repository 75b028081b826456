"""The public factsheet and timeline: thin views over the selectors."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError
from partnership.core.filters import OrganizationFilter
from partnership.core.forms import refusal_message
from partnership.core.lists import Column, record_list
from partnership.core.selectors import allies_on, by_name, figure_list
from partnership.core.selectors import organization_list as organizations_selector
from partnership.framework import selectors as framework
from partnership.framework import services as framework_services
from partnership.framework.models import Theme
from partnership.public.selectors import factsheet_date, section_list


def factsheet(request: HttpRequest) -> HttpResponse:
    user = request.user
    as_of = factsheet_date()
    return render(
        request,
        "public/factsheet.html",
        {
            "sections": section_list(),
            "bodies": framework.body_list(user=user),
            "agreements": framework.agreement_list(user=user),
            "milestones": framework.milestone_list(user=user),
            "figures": figure_list(),
            # The factsheet speaks of May 2015: its Allies are those of that day.
            "as_of": as_of,
            "allies": by_name(allies_on(on=as_of)),
        },
    )


MSG_NOT_A_YEAR = _("“%(value)s” is not a year: give four digits, such as 2014.")


def timeline(request: HttpRequest) -> HttpResponse:
    """The milestones filtered by year and theme; a filter that means nothing is answered with
    an error naming it and no milestones (the API answers the same), not with all of them."""
    user = request.user
    year_text = request.GET.get("year", "").strip()
    theme = request.GET.get("theme", "").strip()
    error = ""
    milestones: Any = []
    # isdigit() alone takes "²" and other Unicode digits that int() refuses.
    year = (
        int(year_text)
        if year_text.isascii() and year_text.isdigit() and len(year_text) == 4
        else None
    )
    if year_text and year is None:
        error = MSG_NOT_A_YEAR % {"value": year_text}
    else:
        try:
            milestones = framework.milestone_list(user=user, year=year, theme=theme)
        except ApplicationError as exc:
            error = refusal_message(exc)
    return render(
        request,
        "public/timeline.html",
        {
            "milestones": milestones,
            "years": framework.milestone_years(user=user),
            "themes": Theme.choices,
            "year": year,
            "theme": theme,
            "error": error,
            "can_edit": framework_services.can_edit(user),
        },
        status=400 if error else 200,
    )


def milestone_detail(request: HttpRequest, number: int) -> HttpResponse:
    # A withdrawn milestone is gone from the public page, except for those who may restore it.
    milestone = framework.milestone_get(user=request.user, number=number)
    if milestone is None:
        raise Http404
    keep = framework_services.can_keep(request.user, milestone)
    return render(request, "public/milestone.html", {"milestone": milestone, "can_keep": keep})


ORGANIZATION_COLUMNS = (
    Column("name", _("Name"), lambda o, u: o.name, ("name_en",)),
    Column("kind", _("Kind"), lambda o, u: o.get_kind_display(), ("kind", "name_en")),
    Column("country", _("ISO country code"), lambda o, u: o.country_code, ("country_code",)),
    Column("parent", _("Part of"), lambda o, u: o.parent or "", ("parent__name_en",)),
)


def organization_list(request: HttpRequest) -> HttpResponse:
    listing = record_list(
        request,
        organizations_selector(),
        columns=ORGANIZATION_COLUMNS,
        default_sort="kind",
        filterset=OrganizationFilter,
        filename=str(_("Organizations")),
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "public/organizations.html",
        {"organizations": listing.page, "listing": listing},
    )
