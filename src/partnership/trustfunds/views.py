"""Pages of the trust funds. Thin: services decide, selectors read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.formatting import number
from partnership.core.forms import WithdrawForm, add_service_error, refusal_message
from partnership.core.lists import NUMBER, Column, record_list
from partnership.core.models import User
from partnership.core.steps import form_step
from partnership.trustfunds import iati, report, selectors, services
from partnership.trustfunds.forms import (
    MEASUREMENT_WITHDRAW_CONFIRM,
    FundCloseForm,
    IatiImportForm,
    MeasurementForm,
    RateForm,
    TransactionForm,
    VoidForm,
)
from partnership.trustfunds.models import FundStatus, Kind, Project

XML = "application/xml"


def _date_key(value: dt.date | None) -> tuple[bool, dt.date]:
    return (value is None, value or dt.date.min)


def _total(name: str) -> Any:
    def value(row: Any, user: Any = None) -> Any:
        return row[1][name]

    return value


# The rows are (fund, totals) pairs: the totals are summed per fund for the reader, so the
# columns sort in Python (a few dozen funds).
FUND_COLUMNS = (
    Column("name", gettext_lazy("Trust fund"), lambda r, u: r[0].name, lambda r: r[0].name.casefold()),
    Column(
        "established", gettext_lazy("Established"), lambda r, u: r[0].established_display,
        lambda r: _date_key(r[0].established_start),
    ),
    Column(
        "agent", gettext_lazy("Executing agent"), lambda r, u: r[0].executing_agent or "",
        lambda r: str(r[0].executing_agent or "").casefold(),
    ),
    Column(
        "lead_nations", gettext_lazy("Lead nations"),
        lambda r, u: ", ".join(str(n) for n in r[0].lead_nations.all()),
    ),
    Column(
        "pledged", gettext_lazy("Pledged (EUR)"), _total("pledged"), _total("pledged"), NUMBER
    ),
    Column(
        "received", gettext_lazy("Received (EUR)"), _total("received"), _total("received"),
        NUMBER,
    ),
    Column("spent", gettext_lazy("Used (EUR)"), _total("used"), _total("used"), NUMBER),
)  # fmt: skip


# A fund's projects with the reader's totals: (project, totals) pairs, sorted in Python (a
# fund has tens of projects).
PROJECT_COLUMNS = (
    Column("title", gettext_lazy("Project"), lambda r, u: r[0].title, lambda r: r[0].title.casefold()),
    Column(
        "period", gettext_lazy("Period"), lambda r, u: r[0].period_display,
        lambda r: (_date_key(r[0].period_start), _date_key(r[0].period_end)),
    ),
    Column(
        "status", gettext_lazy("Status"), lambda r, u: r[0].get_status_display(),
        lambda r: str(r[0].get_status_display()),
    ),
    Column(
        "budget", gettext_lazy("Budget (EUR)"), lambda r, u: r[0].budget_eur,
        lambda r: r[0].budget_eur, NUMBER,
    ),
    Column(
        "received", gettext_lazy("Received (EUR)"), _total("received"), _total("received"),
        NUMBER,
    ),
    Column("used", gettext_lazy("Used (EUR)"), _total("used"), _total("used"), NUMBER),
)  # fmt: skip


def fund_list(request: HttpRequest) -> HttpResponse:
    funds = list(selectors.fund_list(user=request.user).prefetch_related("lead_nations"))
    totals = selectors.totals_by_fund(user=request.user, funds=funds)
    listing = record_list(
        request,
        [(f, totals[f.pk]) for f in funds],
        columns=FUND_COLUMNS,
        filename=str(_("Trust funds")),
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "trustfunds/fund_list.html",
        {
            "rows": listing.page,
            "listing": listing,
            "can_import": request.user.is_authenticated
            and selectors.funds_to_import_into(user=request.user).exists(),
            "can_record_rates": services.can_record_rates(request.user),
        },
    )


def fund_detail(request: HttpRequest, slug: str) -> HttpResponse:
    fund = selectors.fund_get(user=request.user, slug=slug)
    if fund is None:
        raise Http404
    projects = list(selectors.project_list(user=request.user, fund=fund).order_by("slug"))
    # Asked once, and given to each figure (each asking costs a query).
    totals_of_all = selectors.sees_all_totals(request.user, fund)
    totals = selectors.totals_by_project(
        user=request.user, projects=projects, totals_of_all=totals_of_all
    )
    listing = record_list(
        request,
        [(p, totals[p.pk]) for p in projects],
        columns=PROJECT_COLUMNS,
        default_sort="period",
        filename=f"{fund.slug}-projects",
    )
    if isinstance(listing, HttpResponse):
        return listing
    next_status = {
        FundStatus.PROPOSED: FundStatus.APPROVED,
        FundStatus.APPROVED: FundStatus.IMPLEMENTATION,
        FundStatus.IMPLEMENTATION: FundStatus.CLOSED,
    }.get(FundStatus(fund.status))
    return render(
        request,
        "trustfunds/fund_detail.html",
        {
            "fund": fund,
            "next_status": next_status,
            "can_advance": next_status is not None
            and services.can_advance(request.user, fund, next_status),
            "totals": selectors.fund_totals(
                user=request.user, fund=fund, totals_of_all=totals_of_all
            ),
            "totals_of_all": totals_of_all,
            "projects": listing.page,
            "listing": listing,
        },
    )


def _project(request: HttpRequest, slug: str) -> Project:
    project = selectors.project_get(user=request.user, slug=slug)
    if project is None:
        raise Http404
    return project


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    user = request.user
    context = report.context(user=user, project=project, with_fund=False)
    money = _number_format()
    kinds = dict(Kind.choices)
    # The rows as plain text, formatted once here: per-cell template filters cost more than
    # the query (see benchmarks/README.md).
    latest = [
        {
            "pk": t.pk, "date": date_format(t.date, "DATE_FORMAT"), "kind": kinds[t.kind],
            "organization": t.organization.name,
            "amount": f"{money(t.amount)} {t.currency}", "rate": number(t.rate.normalize(), None),
            "eur": money(t.amount_eur), "description": t.description,
            "reverses": t.reverses_id, "reason": t.void_reason, "by": t.recorded_by,
            "voided_by": getattr(t, "voided_by", None), "above_pledge": t.above_pledge,
        }
        for t in selectors.ledger(user=user, project=project)
    ]  # fmt: skip
    can_record = services.can_record(user, project)
    context.update(
        {
            "transactions": latest,
            "above_pledge": selectors.commitments_above_pledge(user=user, project=project),
            "can_void": can_record and project.fund.status != FundStatus.CLOSED,
            "agreements": project.agreements.prefetch_related("parties").select_related(
                "agreement"
            ),
            "can_record": can_record,
            # Who records the project's money attaches its documents (`may_attach`): asked
            # once for both.
            "can_attach": can_record and user.is_authenticated and user.is_active,
            "fund_closed": project.fund.status == FundStatus.CLOSED,
            # The recorded values, withdrawn ones too, for those who correct them.
            "measurements": selectors.measurements_for(user=user, project=project)
            if can_record
            else [],
        }
    )
    return render(request, "trustfunds/project_detail.html", context)


def _correction(
    request: HttpRequest,
    slug: str,
    pk: int,
    *,
    find: Callable[[User, Project, int], Any],
    form: Callable[[Any], forms.Form],
    act: Callable[[User, Any, str], object],
    done: str,
    template: str,
    name: str,
) -> HttpResponse:
    """A recorder's correction of one of the project's entries: the entry shown, why and a
    confirmation asked, then the service (the entry is kept: withdrawn or reversed)."""
    project = _project(request, slug)
    user = request.user
    assert isinstance(user, User)
    found = find(user, project, pk)
    if found is None:
        raise Http404
    if not services.can_record(user, project):
        raise PermissionDenied(str(services.MSG_NOT_RECORDER))
    return form_step(
        request,
        form(request.POST or None),
        lambda data: act(user, found, data["reason"]),
        done=done,
        then=reverse("trustfunds:project", kwargs={"slug": project.slug}),
        template=template,
        context={"project": project, name: found},
    )


def _measurement(user: User, project: Project, pk: int) -> Any:
    return selectors.measurement_get(user=user, project=project, pk=pk)


def _transaction(user: User, project: Project, pk: int) -> Any:
    found = selectors.transaction_get(user=user, pk=pk)
    return found if found is not None and found.project_id == project.pk else None


@login_required
def measurement_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Asks why and for confirmation, then withdraws a wrong result (kept, not counted)."""
    return _correction(
        request,
        slug,
        pk,
        find=_measurement,
        form=lambda data: WithdrawForm(data, confirm=MEASUREMENT_WITHDRAW_CONFIRM),
        act=lambda by, found, reason: services.measurement_withdraw(
            by=by, measurement=found, reason=reason
        ),
        done=_("The result was withdrawn."),
        template="trustfunds/measurement_withdraw.html",
        name="measurement",
    )


@login_required
def transaction_void(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Asks why and for confirmation, then voids by a reversing entry."""
    return _correction(
        request,
        slug,
        pk,
        find=_transaction,
        form=VoidForm,
        act=lambda by, found, reason: services.transaction_void(
            by=by, transaction=found, reason=reason
        ),
        done=_("The transaction was voided by a reversing entry."),
        template="trustfunds/transaction_void.html",
        name="transaction",
    )


@login_required
def measurement_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A result: the actual value of one of the project's indicators for a period."""
    project = _project(request, slug)
    user = request.user
    assert isinstance(user, User)
    if not services.can_record(user, project):
        raise PermissionDenied(str(services.MSG_NOT_RECORDER))
    indicators = selectors.indicators_for(user=user, project=project)
    form = MeasurementForm(request.POST or None, indicators=indicators)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.measurement_record(
                by=user, indicator=d["indicator"], period=d["period"], actual=d["actual"],
                note=d["note"],
            )  # fmt: skip
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The result was recorded."))
            return redirect("trustfunds:project", slug=project.slug)
    return render(
        request,
        "trustfunds/measurement_form.html",
        {"project": project, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def transaction_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    user = request.user
    assert isinstance(user, User)
    if not services.can_record(user, project):
        raise PermissionDenied(str(services.MSG_NOT_RECORDER))
    form = TransactionForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.transaction_record(
                by=user, project=project, kind=d["kind"], date=d["date"],
                organization=d["organization"], currency=d["currency"], amount=d["amount"],
                phase=d["phase"], description=d["description"],
                confirm_above_pledge=d["confirm_above_pledge"],
            )  # fmt: skip
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The transaction was recorded."))
            return redirect("trustfunds:project", slug=project.slug)
    rate_form = RateForm(request.POST if request.POST.get("rate") else None, prefix="rate")
    return render(
        request,
        "trustfunds/transaction_form.html",
        {
            "project": project,
            "form": form,
            "rate_form": rate_form if services.can_record_rates(user) else None,
        },
    )


@login_required
def rate_create(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    user = request.user
    assert isinstance(user, User)
    if not services.can_record_rates(user):
        raise PermissionDenied(str(services.MSG_RATES_FINANCE_ONLY))
    form = RateForm(request.POST or None, prefix="rate")
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_record(by=user, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, refusal_message(exc))
        else:
            messages.success(request, _("The exchange rate was recorded."))
    else:
        messages.error(request, _("Give the currency, the date and the rate."))
    return redirect("trustfunds:transaction_create", slug=project.slug)


RATE_COLUMNS = (
    Column("currency", gettext_lazy("Currency"), lambda r, u: r.currency, ("currency", "date")),
    Column("date", gettext_lazy("Date"), lambda r, u: r.date, ("date", "currency")),
    Column(
        "eur_per_unit",
        gettext_lazy("EUR per unit"),
        lambda r, u: number(r.eur_per_unit.normalize(), None),
        ("eur_per_unit",),
    ),
    Column("source", gettext_lazy("Source"), lambda r, u: r.source, ("source",)),
)


def _rates_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not services.can_record_rates(user):
        raise PermissionDenied(str(services.MSG_RATES_FINANCE_ONLY))
    return user


@login_required
def rate_list(request: HttpRequest) -> HttpResponse:
    """The finance staff's page of exchange rates: every recorded rate, and a new one (a rate
    for a currency and day already recorded corrects it)."""
    user = _rates_user(request)
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_record(by=user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The exchange rate was recorded."))
            return redirect("trustfunds:rates")
    listing = record_list(
        request,
        selectors.rate_list(),
        columns=RATE_COLUMNS,
        default_sort="-date",
        filename=str(_("Exchange rates")),
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "trustfunds/rate_list.html",
        {"form": form, "listing": listing, "rates": listing.page},
        status=400 if form.is_bound else 200,
    )


@login_required
def rate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Corrects one day's rate of a currency (the currency and the day stay; the history
    keeps the former value). Transactions already booked keep the rate they were booked at."""
    user = _rates_user(request)
    rate = selectors.rate_list().filter(pk=pk).first()
    if rate is None:
        raise Http404
    form = RateForm(
        request.POST or None,
        initial={f: getattr(rate, f) for f in ("currency", "date", "eur_per_unit", "source")},
    )
    for name in ("currency", "date"):
        form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.rate_record(by=user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The exchange rate was corrected."))
            return redirect("trustfunds:rates")
    return render(
        request,
        "trustfunds/rate_form.html",
        {"form": form, "rate": rate},
        status=400 if form.is_bound else 200,
    )


def _number_format() -> Callable[[Decimal], str]:
    """Amounts with two decimals and the active language's separators (the site's one
    formatter, as in the pages and charts)."""

    def fmt(value: Decimal) -> str:
        return number(value, 2)

    return fmt


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or get_language() or "en"
    return "uk" if lang.startswith("uk") else "en"


# A standalone printable page: its one inline style sheet is the report's layout.
@csp_replace({"style-src": [SELF, UNSAFE_INLINE]})  # type: ignore[arg-type]  # typed for (request) only
def donor_report(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    project = _project(request, slug)
    lang = _language(request)
    if fmt == "pdf":  # laid out by the worker: the link goes to the job's page
        from partnership.background.views import print_link

        return print_link(request, kind="donor_report", params={"project": slug, "language": lang})
    return HttpResponse(report.render_html(user=request.user, project=project, language=lang))


def iati_project(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    return _xml(request, [project], f"{slug}.iati.xml")


def iati_all(request: HttpRequest) -> HttpResponse:
    return _xml(request, list(iati.export_queryset(request.user)), "trust-funds.iati.xml")


def _xml(request: HttpRequest, projects: list[Project], name: str) -> HttpResponse:
    try:
        data = iati.export(user=request.user, projects=projects)
    except iati.IatiError as exc:
        return HttpResponse("\n".join(exc.messages), status=500, content_type="text/plain")
    response = HttpResponse(data, content_type=XML)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def iati_import(request: HttpRequest) -> HttpResponse:
    """Upload → the worker checks the file against the schema and records its activities
    whole or not at all → the job's page shows its progress and every error."""
    from partnership.background import services as background

    funds = selectors.funds_to_import_into(user=request.user)
    if not funds:
        raise PermissionDenied(str(services.MSG_IMPORT_NOT_ALLOWED))
    form = IatiImportForm(request.POST or None, request.FILES or None, funds=funds)
    if request.method == "POST" and form.is_valid():
        try:
            job = background.import_start(
                by=request.user, kind="iati_import", upload=form.cleaned_data["file"],  # type: ignore[arg-type]
                params={"fund": form.cleaned_data["fund"].slug,
                        "check": form.cleaned_data["check"]},
            )  # fmt: skip
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            return redirect("background:job", job.pk)
    return render(request, "trustfunds/iati_import.html", {"form": form},
                  status=400 if form.errors else 200)  # fmt: skip


def _period(request: HttpRequest) -> selectors.Period:
    """?from=YYYY-MM-DD&to=YYYY-MM-DD, either may be left out."""
    import datetime as dt

    values = []
    for key in ("from", "to"):
        text = request.GET.get(key, "").strip()
        try:
            values.append(dt.date.fromisoformat(text) if text else None)
        except ValueError:
            raise ApplicationError(
                _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": text}, field=key
            ) from None
    return selectors.Period(values[0], values[1])


# A standalone printable page: its one inline style sheet is the report's layout.
@csp_replace({"style-src": [SELF, UNSAFE_INLINE]})  # type: ignore[arg-type]  # typed for (request) only
def fund_report(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    fund = selectors.fund_get(user=request.user, slug=slug)
    if fund is None:
        raise Http404
    try:
        period = _period(request)
    except ApplicationError as exc:
        return HttpResponse(
            refusal_message(exc), status=400, content_type="text/plain; charset=utf-8"
        )
    lang = _language(request)
    if fmt == "pdf":  # laid out by the worker: the link goes to the job's page
        from partnership.background.views import print_link

        ends = {"from": period.start.isoformat() if period.start else "",
                "to": period.end.isoformat() if period.end else ""}  # fmt: skip
        return print_link(request, kind="fund_report",
                          params={"fund": slug, "language": lang, **ends})  # fmt: skip
    return HttpResponse(
        report.render_fund_html(user=request.user, fund=fund, period=period, language=lang)
    )


@login_required
def fund_status(request: HttpRequest, slug: str) -> HttpResponse:
    """The fund's next step. Closing first shows what the fund still holds (its balance, its
    running projects) and needs the box ticked; the other steps are one button."""
    fund = selectors.fund_get(user=request.user, slug=slug)
    if fund is None:
        raise Http404
    user = request.user
    assert isinstance(user, User)
    wanted = request.POST.get("status") or request.GET.get("status") or ""
    closing = wanted == FundStatus.CLOSED
    form = FundCloseForm(request.POST if request.method == "POST" and closing else None)
    if request.method == "POST" and (not closing or form.is_valid()):
        try:
            services.fund_status_advance(
                by=user, fund=fund, status=wanted, confirm=closing and form.cleaned_data["confirm"]
            )
        except ApplicationError as exc:
            if not closing:
                messages.error(request, refusal_message(exc))
                return redirect("trustfunds:fund", slug=fund.slug)
            add_service_error(form, exc)
        else:
            messages.success(request, _("The fund's status was changed."))
            return redirect("trustfunds:fund", slug=fund.slug)
    if not closing:
        raise Http404
    if not services.can_advance(user, fund, FundStatus.CLOSED):
        raise PermissionDenied(str(services.MSG_NOT_RECORDER))
    return render(
        request,
        "trustfunds/fund_close.html",
        {"fund": fund, "form": form, "remains": services.fund_remains(fund)},
        status=400 if form.is_bound else 200,
    )
