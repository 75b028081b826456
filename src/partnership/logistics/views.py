"""Pages of logistics: standards and their adoption, codification, holdings, demilitarization."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import django_filters
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from partnership.core import charts, files
from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.filters import text_filter
from partnership.core.formatting import percent
from partnership.core.forms import add_service_error, refusal_message
from partnership.core.lists import Column, natural_key, record_list
from partnership.core.models import NATION_KINDS, Organization, User
from partnership.core.selectors import can_see_who_acted, marking_default, shown_text
from partnership.logistics import selectors, services, spreadsheets
from partnership.logistics.forms import (
    AdoptionForm,
    ImportForm,
    LotForm,
    MovementForm,
    RejectForm,
    RequestForm,
    StandardForm,
)
from partnership.logistics.models import CodificationBureau, Priority, RequestStatus
from partnership.trustfunds.models import TrustFund

SESSION_KEY = "logistics-standards-import"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _audit(user: User) -> dict[str, bool]:
    """Whether the page names who recorded each movement, and offers to reverse it."""
    return {"show_who": can_see_who_acted(user), "may_move": services.can_edit(user)}


def _day(value: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    fund = TrustFund.objects.filter(slug="logistics-standardization").first()
    progress = selectors.destruction_progress(user=user)
    return render(
        request,
        "logistics/overview.html",
        {
            "fund": fund,
            "priorities": Priority.objects.select_related("body"),
            "areas": selectors.adoption_progress_by_area(user=user),
            "progress": progress,
            "requests_open": selectors.request_list(user=user)
            .filter(status__in=[RequestStatus.RECEIVED, RequestStatus.RESEARCHED])
            .count(),
        },
    )


# Rows are (standard, Ukraine's adoption or None) pairs, sorted in Python (a few hundred).
STANDARD_COLUMNS = (
    Column(
        "number", gettext_lazy("Number"), lambda r, u: str(r[0]), lambda r: natural_key(str(r[0]))
    ),
    Column("title", gettext_lazy("Title"), lambda r, u: r[0].title, lambda r: r[0].title.casefold()),
    Column(
        "area", pgettext_lazy("standardization", "Area"), lambda r, u: r[0].get_area_display(),
        lambda r: str(r[0].get_area_display()),
    ),
    Column(
        "status", gettext_lazy("Status in Ukraine"),
        lambda r, u: r[1].get_status_display() if r[1] else "",
        lambda r: str(r[1].get_status_display()) if r[1] else "",
    ),
)  # fmt: skip


@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    area = request.GET.get("area", "")
    adoptions = {a.standard_id: a for a in selectors.adoption_list(user=user)}
    by_year = selectors.adoption_progress_by_year(user=user)
    chart = (
        charts.line_chart(
            [
                (
                    _("ratified"),
                    "#1f5fa8",
                    [(float(r["year"]), float(r["ratified"])) for r in by_year],
                ),
                (
                    _("implemented"),
                    "#2e7d32",
                    [(float(r["year"]), float(r["implemented"])) for r in by_year],
                ),
            ],
            title=_("Standards ratified and implemented by Ukraine, by year"),
        )
        if by_year
        else ""
    )
    standards = selectors.standard_list(user=user, area=area, q=request.GET.get("q", ""))
    # The page's own filters (area, text) narrow the rows; sorting, pages and the CSV/XLSX
    # export of what is shown are the shared list helper's.
    listing = record_list(
        request,
        [(s, adoptions.get(s.pk)) for s in standards],
        columns=STANDARD_COLUMNS,
        filename=_("NATO standards"),
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "logistics/standard_list.html",
        {
            "rows": listing.page,
            "listing": listing,
            "areas": selectors.adoption_progress_by_area(user=user),
            "chart": chart,
            "area": area,
            "q": request.GET.get("q", ""),
            "may_edit": services.can_edit(user),
        },
    )


@login_required
def standard_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    standard = selectors.standard_get(user=user, pk=pk)
    if standard is None:
        raise Http404
    return render(
        request,
        "logistics/standard_detail.html",
        {
            "standard": standard,
            "adoptions": selectors.adoption_list(user=user, nation="", standard=standard),
            "may_edit": services.can_edit(user),
        },
    )


@login_required
def standards_export(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    adoptions = {a.standard_id: a for a in selectors.adoption_list(user=user)}
    data = spreadsheets.export_standards(adoptions, selectors.standard_list(user=user))
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="standards.xlsx"'
    return response


@login_required
def standards_import(request: HttpRequest) -> HttpResponse:
    """Upload → preview with every row error → confirm, as the ANP's import: the workbook
    waits in storage between the steps, and the confirmation saves what was previewed."""
    user = _user(request)
    _require_editor(user)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form, "parsed": None}
    if request.method == "POST" and request.POST.get("confirm"):
        pending = request.session.get(SESSION_KEY)
        if not pending or pending["digest"] != request.POST.get("digest"):
            messages.error(request, _("The preview has expired; upload the workbook again."))
            return redirect("logistics:standards_import")
        try:
            data = files.staged_read(pending["name"])
            parsed = spreadsheets.parse(data)
            if parsed.errors:
                raise ApplicationError(parsed.errors[0].message)
            count = services.standards_import(
                by=user, nation=Organization.objects.get(slug="ua"), rows=parsed.rows
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ApplicationError as exc:
            messages.error(request, refusal_message(exc))
            return redirect("logistics:standards_import")
        files.staged_delete(pending["name"])
        del request.session[SESSION_KEY]
        messages.success(request, _("%(count)s standards were imported.") % {"count": count})
        return redirect("logistics:standards")
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            files.upload_check_size(upload, kind="xlsx")
        except ApplicationError as exc:
            add_service_error(form, exc)
            return render(request, "logistics/import.html", context, status=413)
        data = upload.read()
        parsed = spreadsheets.parse(data)
        digest = hashlib.sha256(data).hexdigest()
        previous = request.session.pop(SESSION_KEY, None)
        if previous:
            files.staged_delete(previous["name"])
        if not parsed.errors:
            request.session[SESSION_KEY] = {
                "name": files.staged_save(upload, kind="xlsx"),
                "digest": digest,
            }
        context.update(parsed=parsed, digest=digest)
    return render(request, "logistics/import.html", context)


ITEM_COLUMNS = (
    Column("nsn", gettext_lazy("NATO Stock Number"), lambda i, u: i.nsn_display, ("nsn",)),
    Column("name", gettext_lazy("Name"), lambda i, u: i.name, ("name_en",)),
    Column("unit", gettext_lazy("Unit of issue"), lambda i, u: i.unit_of_issue, ("unit_of_issue",)),
)


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    q = request.GET.get("q", "")
    # The search (NSN, reference number, supplier, name) is the selector's; sorting, pages and
    # the export are the shared list helper's.
    listing = record_list(
        request,
        selectors.item_search(user=user, q=q),
        columns=ITEM_COLUMNS,
        default_sort="nsn",
        filename="items-of-supply",
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request, "logistics/item_list.html", {"items": listing.page, "listing": listing, "q": q}
    )


@login_required
def item_detail(request: HttpRequest, nsn: str) -> HttpResponse:
    user = _user(request)
    item = selectors.item_get(user=user, nsn=nsn)
    if item is None:
        raise Http404
    on = _day(request.GET.get("on"))
    return render(
        request,
        "logistics/item_detail.html",
        {
            "item": item,
            "references": selectors.item_references(user=user, item=item),
            "holdings": selectors.holdings(user=user, on=on, item=item),
            "movements": selectors.movement_list(user=user, item=item),
            "requests": selectors.request_list(user=user).filter(item=item),
            "on": on,
            **_audit(user),
        },
    )


class RequestFilter(django_filters.FilterSet):
    q = text_filter("number", "name_en", "name_uk", "reference")
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=RequestStatus.choices,
        empty_label=gettext_lazy("All"),
    )  # fmt: skip


# The item a request led to is a reference: the reader sees it only if they may see the item.
REQUEST_COLUMNS = (
    Column(
        "number", gettext_lazy("Request"), lambda r, u: r.number, lambda r: natural_key(r.number)
    ),
    Column("name", gettext_lazy("Item"), lambda r, u: r.name, lambda r: r.name.casefold()),
    Column(
        "unit", gettext_lazy("Requesting unit"), lambda r, u: shown_text(u, r.unit),
        lambda r: str(r.unit).casefold(),
    ),
    Column(
        "status", gettext_lazy("Status"), lambda r, u: r.get_status_display(),
        lambda r: str(r.get_status_display()),
    ),
    Column(
        "nsn", gettext_lazy("NATO Stock Number"),
        lambda r, u: shown_text(u, r.item, "nsn_display") if r.item_id else "",
    ),
)  # fmt: skip


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    listing = record_list(
        request,
        selectors.request_list(user=user),
        columns=REQUEST_COLUMNS,
        default_sort="-number",
        filterset=RequestFilter,
        filename="codification-requests",
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request, "logistics/request_list.html", {"requests": listing.page, "listing": listing}
    )


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = RequestForm(request.POST or None)
    bureau = CodificationBureau.objects.filter(organization__country_code="UA").first()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if bureau is None:
                raise ApplicationError(services.MSG_NO_BUREAU % {"value": "UA"}, field="bureau")
            created = services.codification_request_submit(
                by=user, bureau=bureau, data=services.RequestData(**data)
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, _("Request %(number)s was received.") % {"number": created.number}
            )
            return redirect("logistics:request", number=created.number)
    return render(request, "logistics/request_form.html", {"form": form, "bureau": bureau})


@login_required
def request_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    found = selectors.request_get(user=user, number=number)
    if found is None:
        raise Http404
    may_act = services.can_codify(user, found.bureau)
    return render(
        request,
        "logistics/request_detail.html",
        {"req": found, "may_act": may_act, "reject_form": RejectForm()},
    )


@login_required
@require_POST
def request_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    user = _user(request)
    found = selectors.request_get(user=user, number=number)
    if found is None:
        raise Http404
    try:
        if action == "research":
            services.codification_request_research(by=user, request=found)
        elif action == "codify":
            done = services.codification_request_codify(by=user, request=found)
            assert done.item is not None
            messages.success(
                request, _("Codified as NSN %(nsn)s.") % {"nsn": done.item.nsn_display}
            )
        elif action == "reject":
            services.codification_request_reject(
                by=user, request=found, reason=request.POST.get("rejection_reason", "")
            )
        else:
            raise Http404
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ApplicationError as exc:
        messages.error(request, refusal_message(exc))
    return redirect("logistics:request", number=number)


# Rows are (place, item, quantity) as of a day, computed and sorted in Python.
HOLDING_COLUMNS = (
    Column(
        "location", gettext_lazy("Depot or unit"), lambda r, u: str(r["location"]),
        lambda r: (str(r["location"]).casefold(), natural_key(r["item"].nsn)),
    ),
    Column(
        "nsn", gettext_lazy("NATO Stock Number"), lambda r, u: r["item"].nsn_display,
        lambda r: natural_key(r["item"].nsn),
    ),
    Column("item", gettext_lazy("Item"), lambda r, u: r["item"].name,
           lambda r: r["item"].name.casefold()),
    # A number in the workbook, with the decimals it was counted in (12, or 2.5 tonnes).
    Column("quantity", gettext_lazy("Quantity"), lambda r, u: r["quantity"],
           lambda r: r["quantity"]),
    Column("unit", gettext_lazy("Unit of issue"), lambda r, u: r["item"].unit_of_issue,
           lambda r: r["item"].unit_of_issue.casefold()),
)  # fmt: skip


@login_required
def holdings(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    on = _day(request.GET.get("on"))
    location = selectors.location_get(user=user, code=request.GET.get("location", ""))
    # The page's own filters (the day, the place) make the rows; sorting, pages and the
    # export of what is shown are the shared list helper's.
    listing = record_list(
        request,
        selectors.holdings(user=user, on=on, location=location),
        columns=HOLDING_COLUMNS,
        default_sort="location",
        filename=_("Holdings") + " " + on.isoformat(),
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "logistics/holdings.html",
        {
            "rows": listing.page,
            "listing": listing,
            "on": on,
            "location": location,
            "locations": selectors.location_list(user=user),
            # The latest movements; an item's page has its whole trail.
            "movements": selectors.movement_list(user=user, location=location, limit=20),
            # Reversals are offered on the item's page, where its stock is shown beside them.
            **_audit(user),
            "may_move": False,
        },
    )


@login_required
def movement_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    places = selectors.location_list(user=user)
    form = MovementForm(request.POST or None, places=places, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nsn = services.item_nsn_check(data["nsn"])
            item = selectors.item_get(user=user, nsn=nsn)
            if item is None:
                raise ApplicationError(
                    _("There is no item with NSN %(nsn)s.") % {"nsn": data["nsn"]}, field="nsn"
                )
            services.movement_record(
                by=user,
                item=item,
                data=services.MovementData(
                    kind=data["kind"], quantity=data["quantity"], occurred_on=data["occurred_on"],
                    from_location=data["from_location"], to_location=data["to_location"],
                    serial=data["serial"], authority=data["authority"], note=data["note"],
                ),
            )  # fmt: skip
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The movement was recorded."))
            return redirect("logistics:item", nsn=item.nsn)
    return render(request, "logistics/movement_form.html", {"form": form})


@login_required
@require_POST
def movement_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    movement = selectors.movement_get(user=user, pk=pk)
    if movement is None:
        raise Http404
    try:
        services.movement_reverse(by=user, movement=movement, note=request.POST.get("note", ""))
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ApplicationError as exc:
        messages.error(request, refusal_message(exc))
    else:
        messages.success(request, _("The movement was reversed."))
    return redirect("logistics:item", nsn=movement.item.nsn)


def destruction(request: HttpRequest) -> HttpResponse:
    """The demilitarization projects' destroyed quantities against their targets: public
    where the project is, computed from the lots."""
    user = request.user
    progress = selectors.destruction_progress(user=user)
    chart = charts.progress_bars(
        [
            (
                str(row["target"].get_category_display()),
                float(row["destroyed"]),
                float(row["target"].quantity),
                percent(row["share"]),
            )
            for row in progress
        ],
        title=_("Destroyed against the targets"),
    )
    return render(request, "logistics/destruction.html", {"progress": progress, "chart": chart})


@login_required
def lot_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    target = selectors.target_get(user=user, pk=pk)
    if target is None:
        raise Http404
    form = LotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.destruction_lot_record(by=user, target=target, **data)
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The lot was recorded."))
            return redirect("logistics:destruction")
    return render(request, "logistics/lot_form.html", {"form": form, "target": target})


def _standard_data(data: dict[str, Any]) -> services.StandardData:
    return services.StandardData(
        number=data["number"], kind=data["kind"], title_en=data["title_en"], area=data["area"],
        edition=data["edition"], title_uk=data["title_uk"], custodian=data["custodian"],
        marking=data["marking"], nations=tuple(n.country_code for n in data["nations"]),
    )  # fmt: skip


def _require_editor(user: User) -> None:
    if not services.can_edit(user):
        raise PermissionDenied(str(services.MSG_NOT_EDITOR))


@login_required
def standard_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    _require_editor(user)
    form = StandardForm(request.POST or None, initial={"marking": "PUBLIC"})
    if request.method == "POST" and form.is_valid():
        try:
            standard = services.standard_create(by=user, data=_standard_data(form.cleaned_data))
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The standard was saved."))
            return redirect("logistics:standard", pk=standard.pk)
    return render(request, "logistics/standard_form.html", {"form": form, "standard": None})


@login_required
def standard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    standard = selectors.standard_get(user=user, pk=pk)
    if standard is None:
        raise Http404
    _require_editor(user)
    initial = {
        name: getattr(standard, name)
        for name in ("number", "kind", "edition", "title_en", "title_uk", "custodian", "area",
                     "marking")
    }  # fmt: skip
    initial["nations"] = standard.releasable_codes
    form = StandardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_update(
                by=user, standard=standard, data=_standard_data(form.cleaned_data)
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The standard was saved."))
            return redirect("logistics:standard", pk=standard.pk)
    return render(request, "logistics/standard_form.html", {"form": form, "standard": standard})


@login_required
def adoption_edit(request: HttpRequest, pk: int, nation: str) -> HttpResponse:
    """Where a nation stands with the standard, and the measures, goals and projects that
    serve it: the choices are only what the editor may see."""
    user = _user(request)
    standard = selectors.standard_get(user=user, pk=pk)
    country = Organization.objects.filter(slug=nation, kind__in=NATION_KINDS).first()
    if standard is None or country is None:
        raise Http404
    _require_editor(user)
    adoption = selectors.adoption_list(user=user, nation=country.slug, standard=standard).first()
    initial: dict[str, Any] = {"status": "", **marking_default(user)}
    if adoption is not None:
        initial = {
            name: getattr(adoption, name)
            for name in ("status", "studied", "ratified", "implemented", "reservations",
                         "national_document", "marking")
        }  # fmt: skip
        initial.update(
            nations=adoption.releasable_codes,
            measures=list(adoption.measures.values_list("pk", flat=True)),
            partnership_goals=list(adoption.partnership_goals.values_list("pk", flat=True)),
            projects=list(adoption.projects.values_list("pk", flat=True)),
        )
    form = AdoptionForm(
        request.POST or None, initial=initial, links=selectors.adoption_link_choices(user=user)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.AdoptionData(
            status=d["status"], studied=d["studied"], ratified=d["ratified"],
            implemented=d["implemented"], reservations=d["reservations"],
            national_document=d["national_document"], marking=d["marking"],
            nations=tuple(n.country_code for n in d["nations"]),
        )  # fmt: skip
        try:
            services.standard_adoption_set(
                by=user, standard=standard, nation=country, data=data,
                measures=d["measures"], partnership_goals=d["partnership_goals"],
                projects=d["projects"],
            )  # fmt: skip
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Where %(nation)s stands was saved.") % {"nation": country})
            return redirect("logistics:standard", pk=standard.pk)
    return render(
        request,
        "logistics/adoption_form.html",
        {"form": form, "standard": standard, "nation": country},
    )
