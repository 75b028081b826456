"""The public factsheet and timeline: thin views over the selectors."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from partnership.core.selectors import organization_list as organizations_selector
from partnership.framework import selectors as framework
from partnership.framework.models import Theme
from partnership.public.selectors import section_list


def factsheet(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "public/factsheet.html",
        {
            "sections": section_list(),
            "bodies": framework.body_list(user=user),
            "agreements": framework.agreement_list(user=user),
            "milestones": framework.milestone_list(user=user),
        },
    )


def timeline(request: HttpRequest) -> HttpResponse:
    user = request.user
    year_text = request.GET.get("year", "")
    # isdigit() alone takes "²" and other Unicode digits that int() refuses.
    year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
    theme = request.GET.get("theme", "")
    if theme not in Theme.values:
        theme = ""
    return render(
        request,
        "public/timeline.html",
        {
            "milestones": framework.milestone_list(user=user, year=year, theme=theme),
            "years": framework.milestone_years(user=user),
            "themes": Theme.choices,
            "year": year,
            "theme": theme,
        },
    )


def milestone_detail(request: HttpRequest, number: int) -> HttpResponse:
    milestone = framework.milestone_list(user=request.user).filter(number=number).first()
    if milestone is None:
        raise Http404
    return render(request, "public/milestone.html", {"milestone": milestone})


def organization_list(request: HttpRequest) -> HttpResponse:
    return render(request, "public/organizations.html", {"organizations": organizations_selector()})
