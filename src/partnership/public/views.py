"""The public factsheet and timeline: thin views over the selectors."""

from typing import Any

from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
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
    language = get_language()
    version = None if user.is_authenticated else _data_version()
    kept = _PUBLIC_CONTENT.get(language)
    if version is not None and kept is not None and kept[0] == version:
        content = kept[1]
    else:
        content = _factsheet_content(request)
        if version is not None:
            _PUBLIC_CONTENT[language] = (version, content)
    return render(request, "public/factsheet.html", {"content": content})


def _factsheet_content(request: HttpRequest) -> SafeString:
    user = request.user
    as_of = factsheet_date()
    return mark_safe(  # a template's output, escaped as it was drawn
        render_to_string(
            "public/_factsheet_content.html",
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
            request,
        )
    )


# The public's factsheet (the page's content, not its header: that has the request's nonce),
# by language: (the data version it was drawn at, the HTML). Every anonymous reader is shown
# the same records (`visible_to` of the public), so one drawing serves them all until the
# next write; a signed-in reader's is drawn for them each time.
_PUBLIC_CONTENT: dict[str, tuple[str, SafeString]] = {}


def _data_version() -> str | None:
    """A mark that moves on with every write to the database, or None where there is none (the
    page is then drawn afresh). PostgreSQL's WAL insert position: every change and every
    commit or rollback moves it forward, so a page drawn at one position shows what had been
    committed by then. Not inside a transaction (whose own uncommitted writes the page would
    show), nor on SQLite (no such mark that other connections' writes move)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_insert_lsn()::text")
            row = cursor.fetchone()
    except DatabaseError:  # a standby server (in recovery) has no insert position
        return None
    return str(row[0]) if row else None


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
