"""The donor report of a project (and its fund): what came in, what was spent on what, what was
achieved, with charts; HTML and PDF, English and Ukrainian, read as the user may see it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnership.core import charts
from partnership.core.formatting import money, number
from partnership.core.selectors import AnyUser
from partnership.trustfunds import selectors
from partnership.trustfunds.models import Phase, Project, TrustFund


def context(
    *,
    user: AnyUser,
    project: Project,
    with_fund: bool = True,
    period: selectors.Period = selectors.ALL_TIME,
) -> dict[str, Any]:
    """A project's figures; with a period, the money of the period and the totals up to its
    end (a donor report per period)."""
    # Asked once, and given to each figure (each asking costs a query).
    everything = selectors.sees_all_totals(user, project.fund)
    return _project_context(
        project=project,
        period=period,
        totals=selectors.project_totals(
            user=user, project=project, period=period.until, totals_of_all=everything
        ),
        results=selectors.results(user=user, project=project, period=period),
        flows=selectors.flows(user=user, project=project, period=period),
        series=selectors.burn_series(
            user=user, project=project, period=period, totals_of_all=everything
        ),
        period_totals=selectors.project_totals(
            user=user, project=project, period=period, totals_of_all=everything
        )
        if period.start
        else None,
        fund_totals=selectors.fund_totals(user=user, fund=project.fund, totals_of_all=everything)
        if with_fund
        else None,
        totals_of_all=everything,
        phases=project.phases.select_related("lead_nation"),
    )


def _project_context(
    *,
    project: Project,
    period: selectors.Period,
    totals: dict[str, Any],
    results: list[dict[str, Any]],
    flows: tuple[list[dict[str, Any]], list[dict[str, Any]]],
    series: list[Any],
    period_totals: dict[str, Any] | None,
    fund_totals: dict[str, Any] | None,
    totals_of_all: bool,
    phases: Any,
) -> dict[str, Any]:
    donors, spending = flows
    return {
        "project": project,
        "fund": project.fund,
        "totals": totals,
        "fund_totals": fund_totals,
        "totals_of_all": totals_of_all,
        "donors": donors,
        "spending": spending,
        "results": results,
        "money": selectors.money_forecast(totals=totals, results=results),
        "phases": phases,
        "burn_chart": burn_chart(project=project, totals=totals, series=series),
        "period": period,
        "period_totals": period_totals,
        "donor_chart": donor_chart(donors),
        "results_chart": results_chart(results),
        "generated": timezone.now(),
        "money_digits": "2g",
    }


def donor_chart(donors: list[dict[str, Any]]) -> Any:
    """Received per donor in euros: one bar per donor whatever the currencies it gave in (the
    table beside it keeps one row per currency), none for a donor that has paid nothing yet."""
    received: dict[str, Decimal] = {}
    for row in donors:
        received[row["donor"]] = received.get(row["donor"], Decimal(0)) + row["payment_eur"]
    ranked = sorted(received.items(), key=lambda item: (-item[1], item[0]))
    return charts.value_bars(
        [(donor, float(eur), money(eur)) for donor, eur in ranked if eur > 0],
        title=_("Contributions received, by donor"),
    )


# The printed reports give whole euros: seven columns of cents do not fit A4 portrait in
# Ukrainian (the pages keep the cents).
PRINTED = {"money_digits": "0g"}


def results_chart(results: list[dict[str, Any]]) -> Any:
    rows = []
    for r in results:
        target = r["indicator"].target or 0
        actual = r["actual"] or 0
        text = f"{number(actual)} / {number(target)} {r['indicator'].unit}"
        rows.append((r["indicator"].name, float(actual), float(target), text))
    return charts.progress_bars(rows, title=_("Results against targets"))


def burn_chart(*, project: Project, totals: dict[str, Any], series: list[Any]) -> Any:
    """Received and used over time (`selectors.burn_series`), and what remains of the budget
    (the burn-down)."""
    if not series:
        return ""
    budget = float(project.budget_eur or totals["committed"])
    xs = [(m.year + (m.month - 1) / 12, float(r), float(u)) for m, r, u in series]
    return charts.line_chart(
        [
            (_("Received"), "#1f5fa8", [(x, r) for x, r, _u in xs]),
            (_("Used"), "#c62828", [(x, u) for x, _r, u in xs]),
            (_("Budget remaining"), "#2e7d32", [(x, max(budget - u, 0)) for x, _r, u in xs]),
        ],
        title=_("Burn-down"),
    )


def render_html(*, user: AnyUser, project: Project, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "trustfunds/donor_report.html",
            {
                **context(user=user, project=project),
                **PRINTED,
                "LANGUAGE_CODE": language,
                "reader": user,
            },
        )


def render_pdf(*, user: AnyUser, project: Project, language: str) -> bytes:
    return charts.html_to_pdf(render_html(user=user, project=project, language=language))


def fund_context(*, user: AnyUser, fund: TrustFund, period: selectors.Period) -> dict[str, Any]:
    """The donor report of a fund for a period: every project the user may see."""
    # Each figure is read for all the projects at once, so that the report makes as many
    # queries for a fund of twelve projects as for one of two.
    found = list(
        selectors.project_list(user=user, fund=fund)
        .select_related("fund__executing_agent")
        .prefetch_related(Prefetch("phases", queryset=Phase.objects.select_related("lead_nation")))
    )
    totals_of_all = selectors.sees_all_totals(user, fund)
    totals = selectors.project_sums(
        user=user, fund=fund, projects=found, period=period.until, totals_of_all=totals_of_all
    )
    period_totals = (
        selectors.project_sums(
            user=user, fund=fund, projects=found, period=period, totals_of_all=totals_of_all
        )
        if period.start
        else {}
    )
    series = selectors.burn_series_of(
        user=user, fund=fund, projects=found, period=period, totals_of_all=totals_of_all
    )
    flows = selectors.flows_of(user=user, projects=found, period=period)
    results = selectors.results_of(user=user, projects=found, period=period)
    projects = [
        _project_context(
            project=p,
            period=period,
            totals=totals[p.pk],
            results=results[p.pk],
            flows=flows[p.pk],
            series=series[p.pk],
            period_totals=period_totals.get(p.pk),
            fund_totals=None,
            totals_of_all=totals_of_all,
            phases=p.phases.all(),
        )
        for p in found
    ]
    return {
        "fund": fund,
        "period": period,
        "fund_totals": selectors.fund_totals(user=user, fund=fund, totals_of_all=totals_of_all),
        "totals_of_all": totals_of_all,
        "projects": projects,
        "generated": timezone.now(),
    }


def render_fund_html(
    *, user: AnyUser, fund: TrustFund, period: selectors.Period, language: str
) -> str:
    with translation.override(language):
        return render_to_string(
            "trustfunds/fund_report.html",
            {
                **fund_context(user=user, fund=fund, period=period),
                **PRINTED,
                "LANGUAGE_CODE": language,
                "reader": user,
            },
        )


def render_fund_pdf(
    *, user: AnyUser, fund: TrustFund, period: selectors.Period, language: str
) -> bytes:
    return charts.html_to_pdf(
        render_fund_html(user=user, fund=fund, period=period, language=language)
    )
