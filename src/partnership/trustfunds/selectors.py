"""Reads of the trust funds. Records come through `visible_to`. The totals of a fund or project
are either *totals of all* its transactions, shown only to those `sees_all_totals` names (NATO
staff, the fund's lead nations, its executing agent and its donors: a donor sees the fund
totals, and its own contributions in detail), or, for everyone else, totals of the
transactions they may see; pages say which (`totals_of_all`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Exists, Q, Sum
from django.utils.translation import get_language

from partnership.core.models import Indicator, Measurement
from partnership.core.selectors import AnyUser, standing_measurements, visible_to
from partnership.trustfunds.models import (
    INCOMING,
    OUTGOING,
    ExchangeRate,
    FundStatus,
    Kind,
    Project,
    Transaction,
    TrustFund,
)

ZERO = Decimal(0)
CENT = Decimal("0.01")


def fund_list(*, user: AnyUser) -> models.QuerySet[TrustFund]:
    return visible_to(user, TrustFund.objects.select_related("executing_agent", "partner"))


def funds_to_import_into(*, user: AnyUser) -> models.QuerySet[TrustFund]:
    """The funds the user sees and may record money in, not closed (the IATI import's choice
    list: a closed fund takes nothing more)."""
    from partnership.trustfunds.services import can_import_into

    funds = fund_list(user=user).exclude(status=FundStatus.CLOSED)
    return funds.filter(pk__in=[f.pk for f in funds if can_import_into(user, f)])


def fund_get(*, user: AnyUser, slug: str) -> TrustFund | None:
    return fund_list(user=user).prefetch_related("lead_nations").filter(slug=slug).first()


def project_list(*, user: AnyUser, fund: TrustFund | None = None) -> models.QuerySet[Project]:
    queryset = Project.objects.select_related("fund")
    if fund is not None:
        queryset = queryset.filter(fund=fund)
    return visible_to(user, queryset)


def project_get(*, user: AnyUser, slug: str) -> Project | None:
    return (
        project_list(user=user)
        .select_related("fund__executing_agent", "fund__partner")
        .filter(slug=slug)
        .first()
    )


def _sums(queryset: models.QuerySet[Transaction]) -> dict[str, Decimal]:
    return _finish_sums(queryset.aggregate(**_SUMS))


def _finish_sums(sums: dict[str, Any]) -> dict[str, Decimal]:
    out = {k: Decimal(v or 0).quantize(CENT) for k, v in sums.items() if k in _SUMS}
    out["used"] = out["disbursed"] + out["spent"]
    out["balance"] = out["received"] - out["used"]
    out["outstanding"] = max(out["committed"] - out["received"], ZERO)
    return out


_SUMS: dict[str, Any] = dict(
    pledged=Sum("amount_eur", filter=Q(kind=Kind.PLEDGE)),
    committed=Sum("amount_eur", filter=Q(kind=Kind.COMMITMENT)),
    received=Sum("amount_eur", filter=Q(kind=Kind.PAYMENT)),
    disbursed=Sum("amount_eur", filter=Q(kind=Kind.DISBURSEMENT)),
    spent=Sum("amount_eur", filter=Q(kind=Kind.EXPENDITURE)),
    in_kind=Sum("amount_eur", filter=Q(kind=Kind.IN_KIND)),
    # How many generated demo transactions the totals hold: a total with any is a demo
    # value, and pages, reports and the API say so.
    demo=Count("pk", filter=Q(demo=True)),
)


@dataclass(frozen=True)
class Period:
    """A reporting period (either end open); dates are the transactions' own dates."""

    start: dt.date | None = None
    end: dt.date | None = None

    def filter(self, queryset: Any) -> Any:
        if self.start:
            queryset = queryset.filter(date__gte=self.start)
        if self.end:
            queryset = queryset.filter(date__lte=self.end)
        return queryset

    @property
    def until(self) -> Period:
        """Everything up to the period's end (the cumulative figures)."""
        return Period(None, self.end)


ALL_TIME = Period()


def sees_all_totals(user: AnyUser, fund: TrustFund) -> bool:
    """Whether the user is shown the fund's totals over all its transactions (hidden rows
    included): NATO staff, the fund's executing agent, its lead nations and its donors. The
    others (the partner's staff, other nations, the public) get totals of what they may see."""
    from partnership.core.models import Side, User

    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    org = user.organization
    if org is None:
        return False
    if org.side == Side.NATO or org.pk == fund.executing_agent_id:
        return True
    nation = org.nation
    if nation is None:
        return False
    # A lead nation or a donor, asked in one query (pages ask it for each of their figures).
    own = Q(organization=nation) | Q(organization__parent=nation) | Q(organization=org)
    donor = Transaction.objects.filter(own, project__fund=fund, kind__in=INCOMING)
    return (
        TrustFund.objects.filter(pk=fund.pk).filter(Q(lead_nations=nation) | Exists(donor)).exists()
    )


def _sees_all(user: AnyUser, fund: TrustFund, totals_of_all: bool | None) -> bool:
    """`sees_all_totals`, unless the page has asked it already (it asks once, and passes the
    answer to each figure it reads: `totals_of_all`)."""
    return sees_all_totals(user, fund) if totals_of_all is None else totals_of_all


def _money(user: AnyUser, fund: TrustFund, queryset: Any, totals_of_all: bool | None = None) -> Any:
    """The transactions a total adds up for this user: all of them, or those they may see."""
    return queryset if _sees_all(user, fund, totals_of_all) else visible_to(user, queryset)


def project_totals(
    *,
    user: AnyUser,
    project: Project,
    period: Period = ALL_TIME,
    totals_of_all: bool | None = None,
) -> dict[str, Decimal]:
    queryset = Transaction.objects.filter(project=project)
    return _sums(period.filter(_money(user, project.fund, queryset, totals_of_all)))


def project_sums(
    *,
    user: AnyUser,
    fund: TrustFund,
    projects: list[Project],
    period: Period = ALL_TIME,
    totals_of_all: bool | None = None,
) -> dict[int, dict[str, Decimal]]:
    """`project_totals` of many projects of one fund in one grouped query."""
    queryset = period.filter(
        _money(user, fund, Transaction.objects.filter(project__in=projects), totals_of_all)
    )
    rows = {r["project_id"]: r for r in queryset.values("project_id").annotate(**_SUMS).order_by()}
    return {p.pk: _finish_sums(rows.get(p.pk, {k: None for k in _SUMS})) for p in projects}


def fund_totals(
    *, user: AnyUser, fund: TrustFund, totals_of_all: bool | None = None
) -> dict[str, Decimal]:
    queryset = Transaction.objects.filter(project__fund=fund)
    if not _sees_all(user, fund, totals_of_all):
        # Of the projects the user may see, too: a hidden project's money stays out.
        # (This fund's projects: the subquery need not list every fund's.)
        queryset = visible_to(user, queryset.filter(project__in=project_list(user=user, fund=fund)))
    return _sums(queryset)


def totals_by_project(
    *, user: AnyUser, projects: list[Project], totals_of_all: bool | None = None
) -> dict[int, dict[str, Decimal]]:
    """The totals of many projects in one query (a fund page lists them all); for projects
    of one fund, `totals_of_all` is the page's answer of `sees_all_totals` for it."""
    funds = {p.fund_id: p.fund for p in projects}
    complete = [pk for pk, fund in funds.items() if _sees_all(user, fund, totals_of_all)]
    queryset = Transaction.objects.filter(project__in=projects)
    queryset = queryset.filter(project__fund__in=complete) | visible_to(
        user, queryset.exclude(project__fund__in=complete)
    )
    rows = queryset.values("project_id", "kind").annotate(eur=Sum("amount_eur")).order_by()
    by: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for row in rows:
        by[row["project_id"]][row["kind"]] = Decimal(row["eur"] or 0).quantize(CENT)
    out = {}
    demo = _demo_counts(Transaction.objects.filter(project__in=projects), "project_id")
    for p in projects:
        k = by[p.pk]
        used = k[Kind.DISBURSEMENT] + k[Kind.EXPENDITURE]
        out[p.pk] = {
            "pledged": k[Kind.PLEDGE], "committed": k[Kind.COMMITMENT],
            "received": k[Kind.PAYMENT], "used": used, "balance": k[Kind.PAYMENT] - used,
            "demo": demo.get(p.pk, ZERO),
        }  # fmt: skip
    return out


def _demo_counts(queryset: models.QuerySet[Transaction], by: str) -> dict[int, Decimal]:
    rows = queryset.filter(demo=True).values(by).annotate(n=Count("pk")).order_by()
    return {row[by]: Decimal(row["n"]) for row in rows}


def transactions_for(*, user: AnyUser, project: Project) -> models.QuerySet[Transaction]:
    return visible_to(user, project.transactions.select_related("organization", "phase"))


def transaction_get(*, user: AnyUser, pk: int) -> Transaction | None:
    """One transaction the user may see, in a project the user may see."""
    found = (
        visible_to(user, Transaction.objects.select_related("project__fund", "organization"))
        .filter(pk=pk)
        .first()
    )
    if found is None or project_get(user=user, slug=found.project.slug) is None:
        return None
    return found


def ledger(*, user: AnyUser, project: Project, limit: int = 50) -> list[Transaction]:
    """The latest transactions the user may see, newest first, each with its reversing
    entry (`voided_by`) when it was voided: the ledger shows both, the totals count both."""
    rows = list(
        transactions_for(user=user, project=project)
        .select_related("recorded_by", "reverses")
        .order_by("-date", "-id")[:limit]
    )
    # A reversing entry is posted in its entry's project (`services.transaction_void`): asked
    # of the project's rows, the planner keeps to the project's index.
    reversals = {
        r.reverses_id: r
        for r in visible_to(
            user,
            Transaction.objects.filter(
                project=project, reverses__in=[t.pk for t in rows]
            ).select_related("recorded_by"),
        )
    }
    for row in rows:
        row.voided_by = reversals.get(row.pk)  # type: ignore[attr-defined]
    return rows


def commitments_above_pledge(*, user: AnyUser, project: Project) -> list[Transaction]:
    """The commitments recorded above their donor's pledge (on confirmation), not voided:
    the project is flagged with them."""
    # Whether a row is itself a reversing entry is asked here, not of the database: "no
    # reversing entry" is true of nearly every transaction of every project, and a planner that
    # took the index of that column for the query read them all.
    rows = (
        transactions_for(user=user, project=project)
        .filter(above_pledge=True, reversal__isnull=True)
        .order_by("date", "id")
    )
    return [t for t in rows if t.reverses_id is None]


def flows(
    *, user: AnyUser, project: Project, period: Period = ALL_TIME
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """In one grouped query over the transactions the user may see: per donor, pledged,
    committed and received (in EUR and in the donor's own currency); and what was spent, by
    phase and receiver."""
    return flows_of(user=user, projects=[project], period=period)[project.pk]


def flows_of(
    *, user: AnyUser, projects: list[Project], period: Period = ALL_TIME
) -> dict[int, tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """`flows` of many projects in one grouped query."""
    rows = (
        period.filter(visible_to(user, Transaction.objects.filter(project__in=projects)))
        .values(
            "project_id", "organization_id", "organization__name_en", "organization__name_uk",
            "currency", "kind", "phase__number",
        )
        .annotate(amount=Sum("amount"), eur=Sum("amount_eur"))
        .order_by()
    )  # fmt: skip
    by_project: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_project[row["project_id"]].append(row)
    return {p.pk: _flows(by_project[p.pk]) for p in projects}


def _flows(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    uk = (get_language() or "en").startswith("uk")
    donors: dict[tuple[int, str], dict[str, Any]] = {}
    spent: dict[tuple[Any, str, str], dict[str, Any]] = {}
    for row in rows:
        name = (uk and row["organization__name_uk"]) or row["organization__name_en"]
        if row["kind"] in OUTGOING:
            key = (row["phase__number"], name, row["kind"])
            entry = spent.setdefault(key, {
                "phase__number": row["phase__number"], "organization__name_en": name,
                "kind": row["kind"], "kind_label": Kind(row["kind"]).label, "eur": ZERO,
            })  # fmt: skip
            entry["eur"] += Decimal(row["eur"] or 0).quantize(CENT)
            continue
        entry = donors.setdefault(
            (row["organization_id"], row["currency"]),
            {
                "donor": name, "currency": row["currency"],
                **{f"{k}": ZERO for k in ("pledge", "commitment", "payment", "in_kind")},
                **{f"{k}_eur": ZERO for k in ("pledge", "commitment", "payment", "in_kind")},
            },
        )  # fmt: skip
        entry[row["kind"]] += row["amount"] or ZERO
        entry[f"{row['kind']}_eur"] += Decimal(row["eur"] or 0).quantize(CENT)
    donor_list = sorted(
        donors.values(), key=lambda r: (-r["payment_eur"], -r["commitment_eur"], r["donor"])
    )
    spending = sorted(
        spent.values(), key=lambda r: (r["phase__number"] or 0, r["organization__name_en"])
    )
    return donor_list, spending


def donor_rows(*, user: AnyUser, project: Project) -> list[dict[str, Any]]:
    return flows(user=user, project=project)[0]


def indicators_for(*, user: AnyUser, project: Project) -> models.QuerySet[Indicator]:
    kind = ContentType.objects.get_for_model(Project)
    return visible_to(
        user, Indicator.objects.filter(subject_type=kind, subject_id=project.pk)
    ).prefetch_related(standing_measurements())


def rate_list() -> models.QuerySet[ExchangeRate]:
    """The exchange rates, one table for every fund's books (not releasable: rates are public
    figures; who records them is the service's rule)."""
    return ExchangeRate.objects.all()


def measurements_for(*, user: AnyUser, project: Project) -> models.QuerySet[Measurement]:
    """Every recorded value of the project's indicators the user may see, withdrawn ones too
    (the page where the project's editors correct them)."""
    indicators = indicators_for(user=user, project=project)
    return (
        Measurement.objects.filter(indicator__in=indicators)
        .select_related("indicator", "withdrawn_by")
        .order_by("indicator__name_en", "period_start", "pk")
    )


def measurement_get(*, user: AnyUser, project: Project, pk: int) -> Measurement | None:
    return measurements_for(user=user, project=project).filter(pk=pk).first()


def forecast(
    *, indicator: Indicator, measurements: list[Any], today: dt.date | None = None
) -> dict[str, Any]:
    """At the rate achieved so far (from the first to the latest measurement), when is the
    target reached? None when there is no rate yet or the target is already met."""
    target = indicator.target
    if not measurements or target is None:
        return {"actual": None, "eta": None, "share": None, "rate_per_year": None}
    ordered = sorted(measurements, key=lambda m: m.period_end or dt.date.min)
    latest = ordered[-1]
    actual = Decimal(latest.actual)
    span = Decimal(target - indicator.baseline)
    share = float((actual - indicator.baseline) / span) if span else 1.0
    first = ordered[0]
    start = first.period_start or dt.date.min
    end = latest.period_end or start
    days = (end - start).days + 1
    rate_per_day = (actual - indicator.baseline) / days if days > 0 else ZERO
    eta = None
    if actual < target and rate_per_day > 0:
        eta = end + dt.timedelta(days=float((target - actual) / rate_per_day))
    elif actual >= target:
        eta = end
    return {
        "actual": actual,
        "share": share,
        "eta": eta,
        "rate_per_year": rate_per_day * 365 if rate_per_day else None,
    }


def results(*, user: AnyUser, project: Project, period: Period = ALL_TIME) -> list[dict[str, Any]]:
    """Each indicator with its measurements up to the period's end, and the forecast."""
    return _results(indicators_for(user=user, project=project), period)


def results_of(
    *, user: AnyUser, projects: list[Project], period: Period = ALL_TIME
) -> dict[int, list[dict[str, Any]]]:
    """`results` of many projects: their indicators and measurements in two queries."""
    kind = ContentType.objects.get_for_model(Project)
    indicators = visible_to(
        user, Indicator.objects.filter(subject_type=kind, subject_id__in=[p.pk for p in projects])
    ).prefetch_related(standing_measurements())
    by_project: dict[int, list[Indicator]] = defaultdict(list)
    for indicator in indicators:
        by_project[indicator.subject_id].append(indicator)
    return {p.pk: _results(by_project[p.pk], period) for p in projects}


def _results(indicators: Any, period: Period) -> list[dict[str, Any]]:
    out = []
    for indicator in indicators:
        values = [
            m for m in indicator.measurements.all()
            if period.end is None or (m.period_end or dt.date.min) <= period.end
        ]  # fmt: skip
        out.append(
            {
                "indicator": indicator,
                "values": values,
                **forecast(indicator=indicator, measurements=values),
            }
        )
    return out


def money_forecast(*, totals: dict[str, Decimal], results: list[dict[str, Any]]) -> dict[str, Any]:
    """Is the money enough? At the cost so far per share of the target achieved, the whole
    project costs `projected`; it is enough when that is within what donors committed (and
    what they paid beyond it)."""
    shares = [r["share"] for r in results if r["share"] is not None and r["share"] > 0]
    if not shares or not totals["used"]:
        return {"projected": None, "available": None, "enough": None}
    done = min(min(shares), 1.0)
    projected = (totals["used"] / Decimal(str(done))).quantize(Decimal(1))
    available = max(totals["committed"], totals["received"])
    return {
        "projected": projected,
        "available": available,
        "enough": projected <= available,
        "done": done,
    }


def burn_series(
    *,
    user: AnyUser,
    project: Project,
    period: Period = ALL_TIME,
    totals_of_all: bool | None = None,
) -> list[tuple[dt.date, Decimal, Decimal]]:
    """Per month: cumulative EUR received and cumulative EUR used (for the burn-down chart)."""
    return burn_series_of(
        user=user, fund=project.fund, projects=[project], period=period,
        totals_of_all=totals_of_all,
    )[project.pk]  # fmt: skip


def burn_series_of(
    *,
    user: AnyUser,
    fund: TrustFund,
    projects: list[Project],
    period: Period = ALL_TIME,
    totals_of_all: bool | None = None,
) -> dict[int, list[tuple[dt.date, Decimal, Decimal]]]:
    """`burn_series` of many projects of one fund in one query."""
    queryset = _money(user, fund, Transaction.objects.filter(project__in=projects), totals_of_all)
    rows = (
        period.until.filter(queryset)
        .filter(kind__in=[Kind.PAYMENT, *OUTGOING])
        .values_list("project_id", "date", "kind", "amount_eur")
        .order_by("date", "id")
    )
    by_project: dict[int, list[tuple[dt.date, str, Decimal]]] = defaultdict(list)
    for project_id, date, kind, eur in rows:
        by_project[project_id].append((date, kind, eur))
    return {p.pk: _burn(by_project[p.pk]) for p in projects}


def _burn(rows: list[tuple[dt.date, str, Decimal]]) -> list[tuple[dt.date, Decimal, Decimal]]:
    months: dict[dt.date, list[Decimal]] = {}
    received = used = ZERO
    for date, kind, eur in rows:
        if kind == Kind.PAYMENT:
            received += eur
        else:
            used += eur
        months[date.replace(day=1)] = [received, used]
    return [(month, r, u) for month, (r, u) in months.items()]


def totals_by_fund(*, user: AnyUser, funds: list[TrustFund]) -> dict[int, dict[str, Decimal]]:
    """Per fund, the sum of its projects' running totals (kept with every transaction) for
    those shown totals of all; for the others, the sums of the transactions they may see."""
    complete = [f for f in funds if sees_all_totals(user, f)]
    rows = (
        Project.objects.filter(fund__in=complete)
        .values("fund_id")
        .annotate(
            pledged=Sum("total_pledged"), received=Sum("total_received"), used=Sum("total_used")
        )
        .order_by()
    )
    out: dict[int, dict[str, Decimal]] = {
        f.pk: {"pledged": ZERO, "received": ZERO, "used": ZERO} for f in funds
    }
    for row in rows:
        out[row["fund_id"]] = {
            k: Decimal(row[k] or 0).quantize(CENT) for k in ("pledged", "received", "used")
        }
    for fund in funds:
        if fund not in complete:
            sums = fund_totals(user=user, fund=fund)
            out[fund.pk] = {k: sums[k] for k in ("pledged", "received", "used")}
    # How many of the counted transactions are demo data: over what each reader is counted.
    demo = _demo_counts(
        visible_to(user, Transaction.objects.filter(project__fund__in=funds)), "project__fund_id"
    )
    for fund_id, entry in out.items():
        entry["balance"] = entry["received"] - entry["used"]
        entry["demo"] = demo.get(fund_id, ZERO)
    return out
