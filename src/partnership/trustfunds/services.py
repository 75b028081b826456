"""Writes of the trust funds. The money rules live here and nowhere else:

- a currency other than EUR needs a recorded rate for the transaction's date (never guessed);
- a donor pays no more than it has committed and not yet paid, in the same currency;
- only money received is spent: a disbursement or expenditure never takes a project's EUR
  balance (payments received − disbursements − expenditure) below zero;
- money that moved is dated from 1991 to today, never in the future;
- a commitment above what the donor pledged is recorded only on explicit confirmation, and
  flagged;
- nothing is posted into a closed fund;
- money is never deleted: a wrong transaction is voided by a reversing entry with a reason
  (`transaction_void`), which the totals count like any other.

Transactions are never edited; the project row is locked while one is checked and written,
so two clerks recording at once cannot overdraw it together.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction as db_transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.utils import update_change_reason

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.formatting import number
from partnership.core.models import Indicator, Marking, Measurement, Organization, Role, Side, User
from partnership.core.partial_input import check_plausible, parse_partial
from partnership.core.services import full_clean_or_error, marking_clean, marking_within
from partnership.trustfunds.iati_parse import Activity
from partnership.trustfunds.models import (
    INCOMING,
    OUTGOING,
    ActivityStatus,
    AgreementKind,
    ExchangeRate,
    FundStatus,
    Kind,
    Phase,
    Project,
    ProjectAgreement,
    Transaction,
    TrustFund,
)

MSG_NO_RATE = _(
    "There is no %(currency)s rate for %(date)s; record the rate for that date first "
    "(rates are never guessed)."
)
MSG_OVER_COMMITTED = _(
    "A payment of %(amount)s %(currency)s from %(donor)s is more than it has committed and not "
    "yet paid (%(open)s %(currency)s)."
)
MSG_OVERDRAWN = _(
    "This %(kind)s of %(amount)s EUR would overdraw the project: %(balance)s EUR received and "
    "not yet spent."
)
MSG_NOT_RECORDER = _(
    "Only an editor of a lead nation, of the executing agent or of NATO records this fund's money."
)
MSG_AMOUNT = _("The amount must be greater than zero.")
MSG_CURRENCY = _("“%(value)s” is not a three-letter ISO 4217 currency code.")
MSG_KIND = _("“%(value)s” is not a kind of transaction.")
MSG_PHASE = _("Phase %(number)s is not a phase of this project.")
MSG_RATE = _("A rate must be greater than zero.")
MSG_RATES_FINANCE_ONLY = _(
    "Only the trust funds' finance staff on the NATO side record exchange rates."
)
MSG_IMPORT_NOT_ALLOWED = _("You may not import activities into any trust fund.")
MSG_FUND_CLOSED = _("The trust fund “%(fund)s” is closed: nothing more is posted into it.")
MSG_ABOVE_PLEDGE = _(
    "This commitment takes %(donor)s to %(committed)s %(currency)s committed against "
    "%(pledged)s %(currency)s pledged. Confirm that the commitment is above the pledge."
)
MSG_VOID_REASON = _("Give the reason why the transaction is voided.")
MSG_VOID_TWICE = _("This transaction was already voided.")
MSG_VOID_REVERSAL = _("A reversing entry is not voided itself; record the transaction again.")
MSG_VOID_OVERDRAWS = _(
    "Voiding this payment of %(amount)s EUR would overdraw the project: only %(balance)s EUR "
    "received is not yet spent."
)
MSG_VOID_BELOW_PAID = _(
    "Voiding this commitment would leave %(donor)s having paid more than it committed; void "
    "the payment first."
)
MSG_CLOSE_CONFIRM = _(
    "Closing the fund leaves %(balance)s EUR received and not spent and %(running)s project(s) "
    "still running. Confirm that the fund is closed."
)
MSG_CONFIRM = _("Tick the box to confirm.")
MSG_NOT_A_PROJECT_INDICATOR = _("This indicator is not one of a trust-fund project.")
MSG_ACTUAL = _("The actual value cannot be negative.")
MSG_MEASUREMENT_REASON = _("Say why the result is withdrawn.")
MSG_MEASUREMENT_WITHDRAWN = _("This result was already withdrawn.")

CENT = Decimal("0.01")
CURRENCY = re.compile(r"^[A-Z]{3}$")


def can_record(user: Any, project: Project) -> bool:
    """Who records a project's money: NATO-side editors, and the editors of the fund's
    executing agent and lead nations; always only in a project (or fund) they may see."""
    from partnership.core.selectors import can_see

    if not isinstance(user, User):
        return False
    if user.is_superuser:
        return True
    if not can_see(user, project if project.pk is not None else project.fund):
        return False
    if not user.has_role(Role.EDITOR) or user.organization is None:
        return False
    org = user.organization
    if org.side == Side.NATO:
        return True
    fund = project.fund
    nation = org.nation
    return org.pk == fund.executing_agent_id or (
        nation is not None and fund.lead_nations.filter(pk=nation.pk).exists()
    )


def can_import_into(user: Any, fund: TrustFund) -> bool:
    """Who brings IATI activities into a fund: whoever records its money, and only into a
    fund they may see."""
    return can_record(user, Project(fund=fund))


def can_record_rates(user: Any) -> bool:
    """The exchange rates are one table for every fund's books: only the trust funds' finance
    roles on the NATO side (NATO staff, the Financial Controller, the executing agencies such
    as NSPA) record them; a lead nation or partner editor records its fund's money only."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    org = user.organization
    return user.has_role(Role.EDITOR) and org is not None and org.side == Side.NATO


@db_transaction.atomic
def rate_record(
    *, by: User, currency: str, date: dt.date, eur_per_unit: Decimal, source: str = ""
) -> ExchangeRate:
    if not can_record_rates(by):
        raise PermissionDeniedError(MSG_RATES_FINANCE_ONLY)
    currency = currency.strip().upper()
    if not CURRENCY.match(currency):
        raise ApplicationError(MSG_CURRENCY % {"value": currency}, field="currency")
    if eur_per_unit <= 0:
        raise ApplicationError(MSG_RATE, field="eur_per_unit")
    rate, _created = ExchangeRate.objects.update_or_create(
        currency=currency, date=date, defaults={"eur_per_unit": eur_per_unit, "source": source}
    )
    return rate


def rate_for(currency: str, date: dt.date) -> Decimal:
    if currency == "EUR":
        return Decimal(1)
    rate = (
        ExchangeRate.objects.filter(currency=currency, date=date)
        .values_list("eur_per_unit", flat=True)
        .first()
    )
    if rate is None:
        raise ApplicationError(
            MSG_NO_RATE % {"currency": currency, "date": date.isoformat()}, field="currency"
        )
    return rate


def _default_marking(
    project: Project, kind: str, organization: Organization
) -> tuple[str, list[str]]:
    """Money from a nation is releasable to that nation and the lead nations (NATO sees all);
    other donors see the fund totals, not its details. What is spent is NATO and partner."""
    if kind in INCOMING and organization.nation is not None:
        codes = {organization.nation.country_code}
        codes |= set(project.fund.lead_nations.values_list("country_code", flat=True))
        codes.add(project.fund.partner.country_code)
        return Marking.NATIONS, sorted(c for c in codes if c)
    return Marking.PARTNERSHIP, []


@db_transaction.atomic
def transaction_record(
    *,
    by: User | None,
    project: Project,
    kind: str,
    date: dt.date,
    organization: Organization,
    currency: str,
    amount: Decimal,
    description: str = "",
    phase: Phase | None = None,
    marking: str | None = None,
    nations: Sequence[str] = (),
    demo: bool = False,
    confirm_above_pledge: bool = False,
) -> Transaction:
    """Checks one transaction against the money rules and records it, or raises and records
    nothing. `by=None` is the system itself (the demo, an IATI import already checked)."""
    if by is not None and not can_record(by, project):
        raise PermissionDeniedError(MSG_NOT_RECORDER)
    fund_check_open(project.fund)
    money_date_check(date)
    if kind not in Kind.values:
        raise ApplicationError(MSG_KIND % {"value": kind}, field="kind")
    currency = (currency or "").strip().upper()
    if not CURRENCY.match(currency):
        raise ApplicationError(MSG_CURRENCY % {"value": currency}, field="currency")
    amount = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    if amount < 0 or (amount == 0 and kind != Kind.IN_KIND):
        raise ApplicationError(MSG_AMOUNT, field="amount")
    if phase is not None and phase.project_id != project.pk:
        raise ApplicationError(MSG_PHASE % {"number": phase.number}, field="phase")
    # Serialize the checks and the write for this project.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    rate = rate_for(currency, date)
    amount_eur = (amount * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    mine = Transaction.objects.filter(project=project)
    above_pledge = False
    if kind == Kind.COMMITMENT:
        sums = mine.filter(organization=organization, currency=currency).aggregate(
            pledged=Sum("amount", filter=Q(kind=Kind.PLEDGE)),
            committed=Sum("amount", filter=Q(kind=Kind.COMMITMENT)),
        )
        pledged = sums["pledged"] or Decimal(0)
        committed = (sums["committed"] or Decimal(0)) + amount
        above_pledge = committed > pledged
        if above_pledge and not confirm_above_pledge:
            raise ApplicationError(
                MSG_ABOVE_PLEDGE
                % {
                    "donor": organization.name, "committed": f"{committed:,.2f}",
                    "pledged": f"{pledged:,.2f}", "currency": currency,
                },
                field="confirm_above_pledge",
            )  # fmt: skip
    if kind == Kind.PAYMENT:
        sums = mine.filter(organization=organization, currency=currency).aggregate(
            committed=Sum("amount", filter=Q(kind=Kind.COMMITMENT)),
            paid=Sum("amount", filter=Q(kind=Kind.PAYMENT)),
        )
        open_amount = (sums["committed"] or 0) - (sums["paid"] or 0)
        if amount > open_amount:
            raise ApplicationError(
                MSG_OVER_COMMITTED
                % {
                    "amount": number(amount, 2), "currency": currency, "donor": organization.name,
                    "open": number(open_amount, 2),
                },
                field="amount",
            )  # fmt: skip
    if kind in OUTGOING:
        balance = balance_eur(project)
        if amount_eur > balance:
            raise ApplicationError(
                MSG_OVERDRAWN
                % {
                    "kind": Kind(kind).label, "amount": number(amount_eur, 2),
                    "balance": number(balance, 2),
                },
                field="amount",
            )  # fmt: skip
    if marking is None:
        marking, nations = _default_marking(project, kind, organization)
        # What the system marks itself is no wider than the project (and its fund).
        for parent in (project.fund, project):
            marking, nations = marking_within(marking=marking, nations=nations, parent=parent)
    marking, releasable_to = marking_clean(marking=marking, nations=nations)
    record = Transaction(
        project=project, phase=phase, kind=kind, date=date, organization=organization,
        currency=currency, amount=amount, rate=rate, amount_eur=amount_eur,
        description=description, demo=demo, recorded_by=by, marking=marking,
        releasable_to=releasable_to, above_pledge=above_pledge,
    )  # fmt: skip
    full_clean_or_error(record, exclude=["recorded_by"])
    record.save()
    _running_total_add(project, kind, amount_eur)
    return record


def _running_total_add(project: Project, kind: str, amount_eur: Decimal) -> None:
    column = RUNNING_TOTAL.get(Kind(kind))
    if column:
        Project.objects.filter(pk=project.pk).update(**{column: F(column) + amount_eur})


def money_date_check(date: dt.date, *, field: str = "date") -> None:
    """Money that moved: from 1991 (also a constraint, models.EARLIEST_MONEY) to today."""
    check_plausible(date.isoformat(), field=field, kind="past", label=_("Date"))


def fund_check_open(fund: TrustFund) -> None:
    """Nothing is posted into a closed fund: no money, no result, no agreement, no import."""
    if fund.status == FundStatus.CLOSED:
        raise ApplicationError(MSG_FUND_CLOSED % {"fund": fund.name}, field="fund")


@db_transaction.atomic
def transaction_void(*, by: User, transaction: Transaction, reason: str) -> Transaction:
    """Voids a wrong transaction by a reversing entry: the same kind, donor, currency, rate and
    date, the opposite amount, the reason and who. The original stays in the ledger; every
    total counts both, so the wrong money adds up to nothing. Refused where the reversal would
    break a money rule (a payment already spent, a commitment already paid)."""
    project = transaction.project
    if not can_record(by, project):
        raise PermissionDeniedError(MSG_NOT_RECORDER)
    reason = reason.strip()
    if not reason:
        raise ApplicationError(MSG_VOID_REASON, field="reason")
    fund_check_open(project.fund)
    Project.objects.select_for_update().filter(pk=project.pk).first()
    original = Transaction.objects.select_for_update().get(pk=transaction.pk)
    if original.reverses_id is not None:
        raise ApplicationError(MSG_VOID_REVERSAL, field="reason")
    if Transaction.objects.filter(reverses=original).exists():
        raise ApplicationError(MSG_VOID_TWICE, field="reason")
    mine = Transaction.objects.filter(
        project=project, organization=original.organization, currency=original.currency
    )
    if original.kind == Kind.PAYMENT:
        balance = balance_eur(project)
        if original.amount_eur > balance:
            raise ApplicationError(
                MSG_VOID_OVERDRAWS
                % {"amount": f"{original.amount_eur:,.2f}", "balance": f"{balance:,.2f}"},
                field="reason",
            )
    if original.kind == Kind.COMMITMENT:
        sums = mine.aggregate(
            committed=Sum("amount", filter=Q(kind=Kind.COMMITMENT)),
            paid=Sum("amount", filter=Q(kind=Kind.PAYMENT)),
        )
        if (sums["committed"] or 0) - original.amount < (sums["paid"] or 0):
            raise ApplicationError(
                MSG_VOID_BELOW_PAID % {"donor": original.organization.name}, field="reason"
            )
    reversal = Transaction(
        project=project, phase=original.phase, kind=original.kind, date=original.date,
        organization=original.organization, currency=original.currency,
        amount=-original.amount, rate=original.rate, amount_eur=-original.amount_eur,
        description=original.description, demo=original.demo, recorded_by=by,
        marking=original.marking, releasable_to=original.releasable_to, reverses=original,
        void_reason=reason,
    )  # fmt: skip
    full_clean_or_error(reversal, exclude=["recorded_by", "reverses"])
    reversal.save()
    _running_total_add(project, original.kind, reversal.amount_eur)
    return reversal


RUNNING_TOTAL = {
    Kind.PLEDGE: "total_pledged",
    Kind.COMMITMENT: "total_committed",
    Kind.PAYMENT: "total_received",
    Kind.DISBURSEMENT: "total_used",
    Kind.EXPENDITURE: "total_used",
}


def running_totals_refresh(project: Project) -> None:
    """Recomputes a project's running totals from its transactions (after bulk loads)."""
    sums = Transaction.objects.filter(project=project).aggregate(
        **{
            column: Sum(
                "amount_eur",
                filter=Q(kind__in=[k for k, c in RUNNING_TOTAL.items() if c == column]),
            )
            for column in set(RUNNING_TOTAL.values())
        }
    )
    Project.objects.filter(pk=project.pk).update(**{k: v or 0 for k, v in sums.items()})


def balance_eur(project: Project) -> Decimal:
    """Money received and not yet spent, in EUR, from every transaction of the project."""
    sums = Transaction.objects.filter(project=project).aggregate(
        received=Sum("amount_eur", filter=Q(kind=Kind.PAYMENT)),
        spent=Sum("amount_eur", filter=Q(kind__in=OUTGOING)),
    )
    return Decimal(sums["received"] or 0) - Decimal(sums["spent"] or 0)


MSG_FUND_STEP = _("The fund is %(status)s; the next step is %(next)s, not %(wanted)s.")
MSG_FUND_APPROVAL = _("The Allies approve a fund: an approver of NATO records their decision.")
MSG_AGREEMENT_PARTIES = _("%(kind)s: the parties must include %(who)s.")


def can_advance(user: Any, fund: TrustFund, status: str) -> bool:
    """The Allies approve a fund (a NATO approver records it); its recorders move it on."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if status == FundStatus.APPROVED:
        side = user.organization.side if user.organization else Side.NONE
        return user.is_superuser or (side == Side.NATO and user.has_role(Role.APPROVER))
    return can_record(user, Project(fund=fund))


RUNNING = (
    ActivityStatus.PIPELINE,
    ActivityStatus.IMPLEMENTATION,
    ActivityStatus.FINALISATION,
    ActivityStatus.SUSPENDED,
)


def fund_remains(fund: TrustFund) -> dict[str, Any]:
    """What a fund still holds when it is closed: the money received and not spent in EUR
    (over all its transactions) and the projects not closed or cancelled."""
    sums = Transaction.objects.filter(project__fund=fund).aggregate(
        received=Sum("amount_eur", filter=Q(kind=Kind.PAYMENT)),
        spent=Sum("amount_eur", filter=Q(kind__in=OUTGOING)),
    )
    balance = Decimal(sums["received"] or 0) - Decimal(sums["spent"] or 0)
    running = list(fund.projects.filter(status__in=RUNNING).order_by("slug"))
    return {"balance": balance.quantize(CENT), "running": running}


def fund_status_advance(
    *, by: User, fund: TrustFund, status: str, confirm: bool = False
) -> TrustFund:
    """proposed → approved by the Allies → implementation → closed, one step at a time.
    Closing is not undone: it says what the fund still holds and needs `confirm`."""
    flow = {
        FundStatus.PROPOSED: FundStatus.APPROVED,
        FundStatus.APPROVED: FundStatus.IMPLEMENTATION,
        FundStatus.IMPLEMENTATION: FundStatus.CLOSED,
    }
    with db_transaction.atomic():
        fund = TrustFund.objects.select_for_update().get(pk=fund.pk)
        expected = flow.get(FundStatus(fund.status))
        if status != expected:
            raise ApplicationError(
                MSG_FUND_STEP
                % {
                    "status": FundStatus(fund.status).label,
                    "next": FundStatus(expected).label if expected else "–",
                    "wanted": FundStatus(status).label if status in FundStatus.values else status,
                },
                field="status",
            )
        if not can_advance(by, fund, status):
            raise PermissionDeniedError(
                MSG_FUND_APPROVAL if status == FundStatus.APPROVED else MSG_NOT_RECORDER
            )
        if status == FundStatus.CLOSED and not confirm:
            remains = fund_remains(fund)
            raise ApplicationError(
                MSG_CLOSE_CONFIRM
                % {"balance": f"{remains['balance']:,.2f}", "running": len(remains["running"])},
                field="confirm",
            )
        fund.status = status
        fund.save(update_fields=["status"])
    return fund


def agreement_record(
    *,
    by: User,
    project: Project,
    kind: str,
    parties: Sequence[Organization],
    signed: str = "",
    agreement: Any = None,
) -> ProjectAgreement:
    """One of the four agreements of a project, with its parties (each must be there)."""
    if not can_record(by, project):
        raise PermissionDeniedError(MSG_NOT_RECORDER)
    fund_check_open(project.fund)
    if kind not in AgreementKind.values:
        raise ApplicationError(
            _("“%(value)s” is not a kind of agreement.") % {"value": kind}, field="kind"
        )
    fund = project.fund
    ids = {o.pk for o in parties}
    nations = {o.nation.pk for o in parties if o.nation is not None}
    agent = fund.executing_agent
    needs: list[tuple[bool, Any]] = []
    if kind in (AgreementKind.MOU, AgreementKind.IMPLEMENTING):
        needs = [(agent is None or agent.pk in ids, _("the executing agent")),
                 (fund.partner_id in nations, _("the partner"))]  # fmt: skip
    elif kind == AgreementKind.EXECUTING_AGENT:
        leads = set(fund.lead_nations.values_list("pk", flat=True))
        needs = [(agent is None or agent.pk in ids, _("the executing agent")),
                 (not leads or bool(leads & nations), _("a lead nation"))]  # fmt: skip
    else:
        needs = [(bool(nations - {fund.partner_id}), _("the contributing nation"))]
    for ok, who in needs:
        if not ok:
            raise ApplicationError(
                MSG_AGREEMENT_PARTIES % {"kind": AgreementKind(kind).label, "who": who},
                field="parties",
            )
    with db_transaction.atomic():
        record = ProjectAgreement(project=project, kind=kind, signed=signed, agreement=agreement)
        full_clean_or_error(record)
        record.save()
        record.parties.set(parties)
    return record


def _project_of(indicator: Indicator) -> Project:
    if indicator.subject_type_id != ContentType.objects.get_for_model(Project).pk:
        raise ApplicationError(MSG_NOT_A_PROJECT_INDICATOR, field="indicator")
    return Project.objects.select_related("fund").get(pk=indicator.subject_id)


def result_period_clean(period: str, *, field: str = "period") -> str:
    """A result is measured over a period as people write it (or EDTF), kept as EDTF: its
    ends in order, begun by today, not before 1991."""
    from django.core.exceptions import ValidationError

    try:
        edtf = parse_partial(period)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field=field) from exc
    check_plausible(edtf, field=field, kind="past")
    return edtf


@db_transaction.atomic
def measurement_record(
    *, by: User, indicator: Indicator, period: str, actual: Decimal, note: str = ""
) -> Measurement:
    """The actual value of a project's result indicator for a period. A second value for
    the same period corrects the first (the history keeps both)."""
    from partnership.core.selectors import can_see

    project = _project_of(indicator)
    if not can_record(by, project) or not can_see(by, indicator):
        raise PermissionDeniedError(MSG_NOT_RECORDER)
    fund_check_open(project.fund)
    period = result_period_clean(period)
    if actual < 0:
        raise ApplicationError(MSG_ACTUAL, field="actual")
    measurement = (
        Measurement.objects.select_for_update().filter(indicator=indicator, period=period).first()
    )
    if measurement is None:
        measurement = Measurement(indicator=indicator, period=period)
    measurement.actual = Decimal(actual).quantize(CENT, rounding=ROUND_HALF_UP)
    measurement.note = note.strip()
    measurement.demo = False
    # A withdrawn value of the same period is recorded again: it counts again, the history
    # keeps its withdrawal.
    measurement.withdrawn_at = measurement.withdrawn_by = None
    measurement.withdrawal_reason = ""
    full_clean_or_error(measurement)
    measurement.save()
    return measurement


@db_transaction.atomic
def measurement_withdraw(*, by: User, measurement: Measurement, reason: str) -> Measurement:
    """Takes a wrong result out of the project's figures (page, report, IATI) without
    deleting it: it stays with who withdrew it, when and why, and in the history."""
    from partnership.core.selectors import can_see

    project = _project_of(measurement.indicator)
    if not can_record(by, project) or not can_see(by, measurement.indicator):
        raise PermissionDeniedError(MSG_NOT_RECORDER)
    fund_check_open(project.fund)
    if not reason.strip():
        raise ApplicationError(MSG_MEASUREMENT_REASON, field="reason")
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    if measurement.withdrawn:
        raise ApplicationError(MSG_MEASUREMENT_WITHDRAWN, field="reason")
    measurement.withdrawn_at, measurement.withdrawn_by = timezone.now(), by
    measurement.withdrawal_reason = reason.strip()
    measurement.save()
    update_change_reason(measurement, reason.strip()[:100])
    return measurement


@dataclass
class ImportResult:
    projects: list[Project] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# Commitments before payments before spending on the same day, as the books require.
_BOOK_ORDER = {
    Kind.PLEDGE: 0,
    Kind.COMMITMENT: 1,
    Kind.PAYMENT: 2,
    Kind.DISBURSEMENT: 3,
    Kind.EXPENDITURE: 3,
}


@db_transaction.atomic
def project_import(
    *, by: User | None, fund: TrustFund, activities: Sequence[Activity]
) -> ImportResult:
    """Brings a donor's activities (as `iati_parse.parse` read them) into a fund: each becomes a
    project with its transactions (through the same money rules) and results. Nothing is
    saved unless every activity goes in whole; the errors say what stopped it."""
    from partnership.core.exceptions import PermissionDeniedError as Denied
    from partnership.trustfunds.iati import org_ref

    if by is not None and not can_import_into(by, fund):
        raise Denied(MSG_NOT_RECORDER)
    fund_check_open(fund)
    organizations = list(Organization.objects.all())
    by_ref = {org_ref(o): o for o in organizations}
    by_name = {o.name_en.lower(): o for o in organizations}
    project_type = ContentType.objects.get_for_model(Project)
    result = ImportResult()
    problems: list[str] = []
    for activity in activities:
        where = activity.where
        if Project.objects.filter(iati_identifier=activity.identifier).exists():
            problems.append(
                _("%(where)s: a project with this IATI identifier exists already.")
                % {"where": where}
            )
            continue
        problems.extend(activity.problems)
        slug = (
            "iati-" + "".join(c if c.isalnum() else "-" for c in activity.identifier.lower())[:70]
        )
        project = Project(
            fund=fund, slug=slug, iati_identifier=activity.identifier,
            title_en=activity.title_en, title_uk=activity.title_uk,
            description_en=activity.description_en, description_uk=activity.description_uk,
            status=activity.status, period=activity.period, sector_code=activity.sector_code,
            budget_eur=activity.budget_eur,
            # An import takes the marking of the fund it goes into.
            marking=fund.marking, releasable_to=fund.releasable_to,
        )  # fmt: skip
        project.save()
        for t in sorted(
            activity.transactions, key=lambda t: (t.date, _BOOK_ORDER[Kind(t.kind)], t.number)
        ):
            t_where = f"{where}, transaction {t.number}"
            party = t.party
            found = party and (by_ref.get(party.ref) or by_name.get(party.name.lower()))
            if not found:
                if party is not None:
                    problems.append(
                        _("%(where)s: the organization “%(name)s” (%(ref)s) is not known.")
                        % {"where": t_where, "name": party.name, "ref": party.ref or "-"}
                    )
                continue
            try:
                # The file's commitments were decided where it comes from (a publisher rarely
                # reports pledges): one above the pledge is taken as confirmed, and flagged.
                transaction_record(
                    by=by, project=project, kind=t.kind, date=t.date, organization=found,
                    currency=t.currency, amount=t.amount, description=t.description,
                    confirm_above_pledge=True,
                )  # fmt: skip
            except ApplicationError as exc:
                problems.append(f"{t_where}: {exc.message}")
        for ind in activity.indicators:
            indicator = Indicator.objects.create(
                subject_type=project_type, subject_id=project.pk, name_en=ind.title_en,
                name_uk=ind.title_uk, level=ind.level, baseline=ind.baseline, target=ind.target,
                marking=project.marking, releasable_to=project.releasable_to,
            )  # fmt: skip
            for period, actual in ind.actuals:
                Measurement.objects.create(indicator=indicator, period=period, actual=actual)
        result.projects.append(project)
    if problems:
        # Undo everything: the file goes in whole or not at all.
        db_transaction.set_rollback(True)
        result.projects = []
        result.errors = problems
    return result
