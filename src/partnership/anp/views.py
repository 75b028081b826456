"""Pages of the ANP. Thin: the services decide, the selectors read."""

from __future__ import annotations

from typing import Any

import django_filters
from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnership.anp import report, selectors, services, spreadsheets
from partnership.anp.forms import (
    MEASURE_WITHDRAW_CONFIRM,
    REPORT_WITHDRAW_CONFIRM,
    AmendmentForm,
    AssessmentForm,
    ConfirmForm,
    CopyForm,
    ImportForm,
    IndicatorFormSet,
    MeasureContentForm,
    MeasureCreateForm,
    MeasureFilterForm,
    ProgrammeForm,
    ReportCorrectForm,
    ReportForm,
    indicator_rows,
    indicators_of,
)
from partnership.anp.models import AnnualProgramme, Assessment, Measure, ProgrammeStatus, Status
from partnership.core import charts
from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.forms import WithdrawForm, add_service_error, refusal_message
from partnership.core.lists import Column, marking_column, marking_text, record_list
from partnership.core.models import Marking, User
from partnership.core.selectors import marking_default, visible_to
from partnership.core.steps import form_step
from partnership.documents.selectors import documents_of_measure

PAGE_SIZE = 50


def _programme(request: HttpRequest, year: int) -> AnnualProgramme:
    return selectors.programme_or_404(user=request.user, year=year)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


class ProgrammeFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=ProgrammeStatus.choices,
        empty_label=gettext_lazy("All"),
    )  # fmt: skip


# The year is a name here ("2026"), not a quantity: written without grouping.
PROGRAMME_COLUMNS = (
    Column("year", gettext_lazy("Year"), lambda p, u: str(p.year), ("year",)),
    Column("status", gettext_lazy("Status"), lambda p, u: p.get_status_display(), ("status", "year")),
    marking_column(),
)  # fmt: skip


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    listing = record_list(
        request,
        selectors.programme_list(user=request.user),
        columns=PROGRAMME_COLUMNS,
        default_sort="-year",
        filterset=ProgrammeFilter,
        filename=str(_("Annual National Programmes")),
    )
    if isinstance(listing, HttpResponse):
        return listing
    return render(
        request,
        "anp/programme_list.html",
        {
            "programmes": listing.page,
            "listing": listing,
            "can_coordinate": services.can_coordinate(request.user),
        },
    )


@login_required
def programme_create(request: HttpRequest) -> HttpResponse:
    """A new programme year from nothing (besides copying last year or importing a
    workbook): the coordinator then adds its goals and measures."""
    user = _user(request)
    if not services.can_coordinate(user):
        raise PermissionDenied(str(services.MSG_NOT_COORDINATOR))
    latest = selectors.programme_list(user=user).order_by("-year").first()
    initial = {
        "year": latest.year + 1 if latest else timezone.localdate().year,
        "marking": marking_default(user, nations=False)["marking"],
    }
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(by=user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("The %(year)s draft was created; add its goals and measures.")
                % {"year": programme.year},
            )
            return redirect("anp:dashboard", year=programme.year)
    return render(
        request, "anp/programme_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
def dashboard(request: HttpRequest, year: int) -> HttpResponse:
    programme = _programme(request, year)
    user = request.user
    today = timezone.localdate()
    # The summaries from one read of the measures, the reports and the ratings, not one each.
    overview = selectors.year_overview(user=user, programme=programme, today=today)
    chapters, agencies = overview.chapters, overview.agencies
    agency = next(
        (a["agency"] for a in agencies if str(a["agency"].pk) == request.GET.get("agency")), None
    )
    quarters = overview.quarters(agency=agency.pk if agency else None)
    coordinator = services.can_edit(user, programme)
    gaps = overview.gaps(today=today) if coordinator else []
    # A quarter's due date written once, not once per agency behind in it.
    due = {g["due"]: date_format(g["due"], "DATE_FORMAT") for g in gaps}
    for g in gaps:
        g["due_text"] = due[g["due"]]
    return render(
        request,
        "anp/dashboard.html",
        {
            "programme": programme,
            "chapters": chapters,
            "chapter_chart": charts.status_bars(
                [(str(r["chapter"]), r["shares"]) for r in chapters],
                title=_("Share of measures by status, per chapter"),
            ),
            "quarter_chart": charts.status_bars(
                [(f"Q{r['quarter']} {programme.year}", r["shares"]) for r in quarters],
                title=_("Reported statuses per quarter"),
                empty=_("no reports yet"),
            ),
            "quarter_agency": agency,
            "rating_chart": charts.rating_pairs(
                [(str(r["chapter"]), r["government_score"], r["allied_rating"]) for r in chapters],
                title=_("Government's own statuses beside the Allied rating"),
            ),
            "agencies": agencies[:30],
            # Each list read only when the overview counted some of it.
            "overdue": selectors.overdue(user=user, programme=programme, today=today)[:20]
            if overview.overdue
            else [],
            "upcoming": selectors.upcoming(user=user, programme=programme, today=today)[:20]
            if overview.upcoming
            else [],
            "gaps": gaps,
            "disagreements": overview.disagreements,
            "without_deadline": selectors.without_deadline(user=user, programme=programme)
            if coordinator and overview.without_deadline
            else [],
            "can_coordinate": coordinator,
            "can_approve": services.can_approve(user, programme),
            "can_assess": services.can_assess(user),
            "copy_form": CopyForm(initial={"year": programme.year + 1}),
            # Links of the lists' rows: the address reversed once, not once per row.
            "measure_link": reverse("anp:measure", args=[0])[:-2],
        },
    )


@login_required
def chapter_dashboard(request: HttpRequest, year: int, number: int) -> HttpResponse:
    programme = _programme(request, year)
    chapter = programme.chapters.filter(number=number).first()
    if chapter is None:
        raise Http404
    user = request.user
    summary = selectors.chapter_row(user=user, chapter=chapter)
    quarters = selectors.quarter_progress(user=user, programme=programme, chapter=chapter)
    return render(
        request,
        "anp/chapter.html",
        {
            "programme": programme,
            "chapter": chapter,
            "summary": summary,
            "goals": chapter.goals.all(),
            "quarter_chart": charts.status_bars(
                [(f"Q{r['quarter']} {programme.year}", r["shares"]) for r in quarters],
                title=_("Reported statuses per quarter"),
                empty=_("no reports yet"),
            ),
            "can_assess": services.can_assess(user),
        },
    )


# Codes in counting order (1.3.3 before 1.3.23, goal 1.2 before 1.10) in the database:
# a measure's code is its goal's code and a number, so by goal code length, goal code,
# then code length and code.
NATURAL_CODE = ("chapter__number", Length("goal__code"), "goal__code", Length("code"), "code")
MEASURE_COLUMNS = (
    Column("code", gettext_lazy("Code"), lambda m, u: m.code, NATURAL_CODE),
    Column("text", gettext_lazy("Measure"), lambda m, u: m.text, ("text_en",)),
    Column(
        "agency", gettext_lazy("Responsible agency"), lambda m, u: m.agency.name,
        ("agency__name_en",),
    ),
    Column(
        "deadline", gettext_lazy("Deadline"), lambda m, u: m.deadline_display,
        ("deadline_start", "deadline_end"),
    ),
    Column("status", gettext_lazy("Status"), lambda m, u: m.get_status_display(), ("status",)),
    Column("marking", gettext_lazy("Marking"), marking_text, ("marking",)),
)  # fmt: skip


@login_required
def measure_list(request: HttpRequest, year: int) -> HttpResponse:
    programme = _programme(request, year)
    form = MeasureFilterForm(request.GET or None)
    filters = selectors.MeasureFilter()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.MeasureFilter(
            chapter=d["chapter"], agency=d["agency"].pk if d["agency"] else None,
            status=d["status"] or None, deadline_from=d["deadline_from"],
            deadline_to=d["deadline_to"], marking=d["marking"] or None, text=d["q"],
        )  # fmt: skip
    measures = selectors.measure_list(user=request.user, programme=programme, filters=filters)
    # The filters stay the page's own form (written out by hand for speed); sorting, pages
    # and the CSV/XLSX export are the shared list helper's.
    listing = record_list(
        request,
        measures,
        columns=MEASURE_COLUMNS,
        default_sort="code",
        filename=_("Measures") + " " + str(programme.year),
        per_page=PAGE_SIZE,
    )
    if isinstance(listing, HttpResponse):
        return listing
    page = listing.page
    # The rows as plain values: labels looked up once, not through a lazy translation per cell.
    statuses, markings = dict(Status.choices), dict(Marking.choices)
    link = reverse("anp:measure", args=[0])[:-2]
    rows = [
        {
            "url": f"{link}{m.pk}/", "code": m.code, "text": m.text, "agency": m.agency.name,
            "deadline": m.deadline_display, "status": m.status,
            "status_label": statuses[m.status], "marking": markings[m.marking],
        }
        for m in page.object_list
    ]  # fmt: skip
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "anp/measure_list.html",
        {
            "programme": programme, "form": form, "filters": filters, "page": page, "rows": rows,
            "listing": listing,
            "query": query.urlencode(), "chapter_numbers": range(1, 6),
            "agencies": selectors.agencies_of(user=request.user, programme=programme),
            "statuses": Status.choices, "markings": Marking.choices,
        },
    )  # fmt: skip


def _measure(request: HttpRequest, pk: int) -> Measure:
    return selectors.measure_or_404(user=request.user, pk=pk)


@login_required
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(request, pk)
    user = request.user
    assessments = visible_to(
        user, Assessment.objects.filter(measure=measure).select_related("organization")
    ).order_by("organization__name_en")
    reports = selectors.measure_reports(measure=measure)
    # Whether the user reports on the measure, asked once: it says who files reports, who may
    # change them, and who attaches documents to the measure and to its reports (the rule of
    # both kinds of parent, `documents.parents`). Its documents and its reports' are read
    # together (`{% attachments %}` takes them).
    reporter = services.can_report(user, measure)
    changeable = reporter and services.reports_changeable(measure)
    documents, of_reports = documents_of_measure(user=user, measure=measure, reports=reports)
    for r in reports:
        r.changeable = changeable and not r.withdrawn  # type: ignore[attr-defined]
        r.documents = of_reports[r.pk]  # type: ignore[attr-defined]
    return render(
        request,
        "anp/measure_detail.html",
        {
            "measure": measure,
            "documents": documents,
            "reports": reports,
            "assessments": assessments,
            "amendments": measure.amendments.select_related("approved_by"),
            "can_report": reporter,
            "can_attach": reporter and user.is_active,
            "can_amend": not measure.withdrawn
            and services.can_approve(user, measure.programme)
            and measure.programme.status == ProgrammeStatus.APPROVED,
            "can_edit": not measure.withdrawn
            and services.can_edit(user, measure.programme)
            and measure.programme.status == ProgrammeStatus.DRAFT,
            "can_withdraw": not measure.withdrawn and _may_withdraw(user, measure),
            "can_assess": not measure.withdrawn and services.can_assess(user),
        },
    )


def _may_withdraw(user: Any, measure: Measure) -> bool:
    programme = measure.programme
    if programme.status == ProgrammeStatus.APPROVED:
        return services.can_approve(user, programme)
    return programme.status == ProgrammeStatus.DRAFT and services.can_edit(user, programme)


@login_required
def measure_create(request: HttpRequest, year: int) -> HttpResponse:
    """A new measure of a draft programme, with its indicators (as many rows as needed)."""
    programme = _programme(request, year)
    user = _user(request)
    if not services.can_edit(user, programme):
        raise PermissionDenied(str(services.MSG_NOT_COORDINATOR))
    services.require_draft(programme)
    form = MeasureCreateForm(request.POST or None, initial=marking_default(user))
    indicators = IndicatorFormSet(request.POST or None, prefix="indicators")
    if request.method == "POST" and form.is_valid() and indicators.is_valid():
        d = form.cleaned_data
        data = services.MeasureData(
            chapter=d["chapter"], goal_code=d["goal_code"],
            goal_en=d["goal_en"] or d["goal_code"], goal_uk=d["goal_uk"], code=d["code"],
            text_en=d["text_en"], text_uk=d["text_uk"], agency=d["agency"],
            co_executors=list(d["co_executors"]), deadline=d["deadline"],
            indicators=indicators_of(indicators), marking=d["marking"],
            nations=[n.country_code for n in d["nations"]],
        )  # fmt: skip
        try:
            measure = services.measure_create(by=user, programme=programme, data=data)
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("Measure %(code)s was added.") % {"code": measure.code})
            return redirect("anp:measure", pk=measure.pk)
    return render(
        request,
        "anp/measure_form.html",
        {"programme": programme, "form": form, "indicators": indicators, "measure": None},
    )


@login_required
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's measure as the coordinator changes it; the indicators' rows are replaced."""
    measure = _measure(request, pk)
    user = _user(request)
    programme = measure.programme
    if not services.can_edit(user, programme):
        raise PermissionDenied(str(services.MSG_NOT_COORDINATOR))
    services.require_draft(programme)  # approved: the 403 page says to amend instead
    form = MeasureContentForm(request.POST or None, programme=programme, initial=_content(measure))
    indicators = IndicatorFormSet(
        request.POST or None, prefix="indicators", initial=indicator_rows(measure)
    )
    if request.method == "POST" and form.is_valid() and indicators.is_valid():
        try:
            services.measure_update(
                by=user, measure=measure, indicators=indicators_of(indicators), **form.changes()
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The measure was saved."))
            return redirect("anp:measure", pk=measure.pk)
    return render(
        request,
        "anp/measure_form.html",
        {"programme": programme, "form": form, "indicators": indicators, "measure": measure},
    )


def _content(measure: Measure) -> dict[str, Any]:
    return {
        "text_en": measure.text_en, "text_uk": measure.text_uk, "goal": measure.goal,
        "agency": measure.agency, "co_executors": list(measure.co_executors.all()),
        "deadline": measure.deadline,
    }  # fmt: skip


@login_required
def measure_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(request, pk)
    user = _user(request)
    if not _may_withdraw(user, measure):
        raise PermissionDenied(
            str(
                services.MSG_NOT_APPROVER
                if measure.programme.status == ProgrammeStatus.APPROVED
                else services.MSG_NOT_COORDINATOR
            )
        )
    form = WithdrawForm(request.POST or None, confirm=MEASURE_WITHDRAW_CONFIRM)
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_withdraw(by=user, measure=measure, reason=form.cleaned_data["reason"])
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The measure was withdrawn."))
            return redirect("anp:measure", pk=measure.pk)
    return render(request, "anp/withdraw_form.html", {"measure": measure, "form": form})


@login_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(request, pk)
    user = _user(request)
    if not services.can_report(user, measure):
        raise PermissionDenied(
            str(services.MSG_OTHER_AGENCY % {"code": measure.code, "agency": measure.agency.name})
        )
    today = timezone.localdate()
    current = (today.month - 1) // 3 + 1 if today.year == measure.programme.year else 4
    form = ReportForm(
        request.POST or None,
        indicators=measure.indicators.all(),
        initial={"quarter": current, "status": measure.status},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        evidence = [(d["evidence_title"], d["evidence_url"])] if d["evidence_url"] else []
        try:
            saved = services.report_submit(
                by=user, measure=measure, year=measure.programme.year, quarter=d["quarter"],
                status=d["status"], progress_en=d["progress_en"], progress_uk=d["progress_uk"],
                actuals=form.actuals(), evidence=evidence,
            )  # fmt: skip
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc.message)) from exc
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            if saved.late:
                messages.warning(
                    request,
                    _(
                        "The report was saved; it came after the due date (%(due)s) and is marked late."
                    )
                    % {"due": saved.due.isoformat()},
                )
            else:
                messages.success(request, _("The report was saved."))
            return redirect("anp:measure", pk=measure.pk)
    return render(request, "anp/report_form.html", {"measure": measure, "form": form})


def _report_changeable(request: HttpRequest, pk: int) -> Any:
    """The report the user may correct or withdraw now, or the answer that says why not: the
    403 page for a refusal of permission, the measure's page for a withdrawn report."""
    found = selectors.report_or_404(user=request.user, pk=pk)
    try:
        services.report_check_changeable(request.user, found)
    except ApplicationError as exc:
        messages.error(request, refusal_message(exc))
        return redirect("anp:measure", pk=found.measure_id)
    return found


@login_required
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency corrects a report it filed (status, progress, indicator values), with a
    reason; the history keeps what it said before."""
    found = _report_changeable(request, pk)
    if isinstance(found, HttpResponse):
        return found
    measure = found.measure
    values = {a.indicator_id: a.value for a in found.actuals.all()}
    initial = {
        "status": found.status, "progress_en": found.progress_en,
        "progress_uk": found.progress_uk, **{f"actual_{k}": v for k, v in values.items()},
    }  # fmt: skip
    form = ReportCorrectForm(
        request.POST or None, indicators=measure.indicators.all(), initial=initial
    )

    def correct(d: dict[str, Any]) -> object:
        return services.report_correct(
            by=_user(request), report=found, reason=d["reason"], status=d["status"],
            progress_en=d["progress_en"], progress_uk=d["progress_uk"], actuals=form.actuals(),
        )  # fmt: skip

    return form_step(
        request,
        form,
        correct,
        done=_("The report was corrected."),
        then=reverse("anp:measure", args=[measure.pk]),
        template="anp/report_correct.html",
        context={"measure": measure, "report": found},
    )


@login_required
def report_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency withdraws a report it filed: with a reason and a confirmation; it stays,
    marked, and counts nowhere."""
    found = _report_changeable(request, pk)
    if isinstance(found, HttpResponse):
        return found
    return form_step(
        request,
        WithdrawForm(request.POST or None, confirm=REPORT_WITHDRAW_CONFIRM),
        lambda d: services.report_withdraw(by=_user(request), report=found, reason=d["reason"]),
        done=_("The report was withdrawn."),
        then=reverse("anp:measure", args=[found.measure_id]),
        template="anp/report_withdraw.html",
        context={"measure": found.measure, "report": found},
    )


@login_required
def assess(request: HttpRequest, year: int, number: int) -> HttpResponse:
    programme = _programme(request, year)
    chapter = programme.chapters.filter(number=number).first()
    if chapter is None:
        raise Http404
    measure = None
    if request.GET.get("measure") or request.POST.get("measure"):
        text = request.GET.get("measure") or request.POST["measure"]
        if not (text.isascii() and text.isdigit() and len(text) < 19):
            raise Http404
        measure = selectors.measure_get(user=request.user, pk=int(text))
        if measure is None:
            raise Http404
    user = _user(request)
    if not services.can_assess(user):
        raise PermissionDenied(str(services.MSG_NOT_ASSESSOR))
    existing = (
        programme.assessments.filter(
            chapter=chapter, measure=measure, organization=user.organization
        )
        .values("rating", "comment", "recommendations")
        .first()
    )
    form = AssessmentForm(request.POST or None, initial=dict(existing or {}))
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_record(
                by=user, chapter=chapter, measure=measure, **form.cleaned_data
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The assessment was saved."))
            if measure is not None:
                return redirect("anp:measure", pk=measure.pk)
            return redirect("anp:chapter", year=year, number=number)
    return render(
        request,
        "anp/assessment_form.html",
        {"programme": programme, "chapter": chapter, "measure": measure, "form": form},
    )


@login_required
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _measure(request, pk)
    user = _user(request)
    if not services.can_approve(user, measure.programme):
        raise PermissionDenied(str(services.MSG_NOT_APPROVER))
    form = AmendmentForm(
        request.POST or None, programme=measure.programme, initial=_content(measure)
    )
    # A post without the indicators' rows (a client of the text fields only) leaves them be.
    with_rows = "indicators-TOTAL_FORMS" in request.POST
    indicators = IndicatorFormSet(
        request.POST if with_rows else None, prefix="indicators", initial=indicator_rows(measure)
    )
    if request.method == "POST" and form.is_valid() and (not with_rows or indicators.is_valid()):
        changes = form.changes()
        if with_rows:
            changes["indicators"] = indicators_of(indicators)
        try:
            services.measure_amend(
                by=user, measure=measure, reason=form.cleaned_data["reason"], **changes
            )
        except ApplicationError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, _("The amendment was recorded."))
            return redirect("anp:measure", pk=measure.pk)
    return render(
        request,
        "anp/amend_form.html",
        {"measure": measure, "form": form, "indicators": indicators},
    )


# Module-level, so lazy: read in the language of each request.
TRANSITION_DONE = {
    "submit": gettext_lazy("The programme was submitted for approval."),
    "approve": gettext_lazy("The programme was approved."),
    "return": gettext_lazy("The programme was returned to drafting."),
}
TRANSITION_TITLE = {
    "submit": gettext_lazy("Submit the programme for approval"),
    "approve": gettext_lazy("Approve the programme"),
    "return": gettext_lazy("Return the programme to drafting"),
}


@login_required
def transition(request: HttpRequest, year: int, action: str) -> HttpResponse:
    """A programme's step. Approve and return show what they do and ask for a confirmation
    first (GET: the confirmation page; POST: the step, if confirmed)."""
    programme = _programme(request, year)
    user = _user(request)
    if action not in services.TRANSITIONS:
        raise Http404
    confirmed = action in services.CONFIRMED_TRANSITIONS
    if confirmed and not services.can_approve(user, programme):
        # Said before the confirmation is asked for; the service says it again on POST.
        raise PermissionDenied(str(services.MSG_NOT_APPROVER))
    # Bound on any POST, even an empty one (an unticked box sends nothing).
    posted = request.POST if request.method == "POST" else None
    form = ConfirmForm(posted) if confirmed else None
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            services.TRANSITIONS[action](by=user, programme=programme)
        except ApplicationError as exc:
            messages.error(request, refusal_message(exc))
        else:
            messages.success(request, str(TRANSITION_DONE[action]))
        return redirect("anp:dashboard", year=year)
    if form is None:  # submitting is undone by the approver's return: no confirmation page
        return redirect("anp:dashboard", year=year)
    return render(
        request,
        "anp/confirm_transition.html",
        {
            "programme": programme,
            "action": action,
            "title": TRANSITION_TITLE[action],
            "form": form,
            "measures": selectors.measures_for(user=user, programme=programme).count(),
        },
    )


@login_required
@require_POST
def copy(request: HttpRequest, year: int) -> HttpResponse:
    programme = _programme(request, year)
    form = CopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the year of the new programme."))
        return redirect("anp:dashboard", year=year)
    try:
        new = services.programme_copy(
            by=_user(request), source=programme, year=form.cleaned_data["year"]
        )
    except ApplicationError as exc:
        messages.error(request, refusal_message(exc))
        return redirect("anp:dashboard", year=year)
    messages.success(
        request,
        _(
            "The %(year)s draft was created with %(count)s measures carried over; "
            "give each its new deadline before submitting."
        )
        % {"year": new.year, "count": new.measures.count()},
    )
    return redirect("anp:dashboard", year=new.year)


@login_required
def import_workbook(request: HttpRequest) -> HttpResponse:
    """Upload → the worker reads it, lists every row error or saves every measure (one
    transaction) → the job's page shows its progress and what it found. Who may import is
    checked before the upload is looked at, its size and type before it is kept."""
    from partnership.background import services as background

    user = _user(request)
    if not services.can_coordinate(user):
        raise PermissionDenied(str(services.MSG_NOT_COORDINATOR))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = background.import_start(
                by=user, kind="anp_import", upload=form.cleaned_data["file"],
                params={"year": form.cleaned_data["year"], "check": form.cleaned_data["check"]},
            )  # fmt: skip
        except ApplicationError as exc:
            add_service_error(form, exc)
            status = 413 if exc.code == "too_large" else 400
            return render(request, "anp/import.html", {"form": form}, status=status)
        return redirect("background:job", job.pk)
    return render(request, "anp/import.html", {"form": form}, status=400 if form.errors else 200)


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or get_language() or "en"
    return "uk" if lang.startswith("uk") else "en"


# A standalone printable page: its one inline style sheet is the report's layout.
@csp_replace({"style-src": [SELF, UNSAFE_INLINE]})  # type: ignore[arg-type]  # typed for (request) only
@login_required
def nuc_report(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    programme = _programme(request, year)
    lang = _language(request)
    if fmt == "pdf":  # laid out by the worker: the link goes to the job's page
        from partnership.background.views import print_link

        return print_link(request, kind="nuc_report", params={"year": year, "language": lang})
    return HttpResponse(report.render_html(user=request.user, programme=programme, language=lang))


@login_required
def export(request: HttpRequest, year: int, kind: str) -> HttpResponse:
    """The measures or the quarterly status table as a workbook, written by the worker: the
    link goes to the job's page (`background.views.print_link`)."""
    from partnership.background.views import print_link

    _programme(request, year)
    if kind not in spreadsheets.EXPORTS:
        raise Http404
    return print_link(request, kind="anp_export",
                      params={"year": year, "table": kind, "language": _language(request)})  # fmt: skip
