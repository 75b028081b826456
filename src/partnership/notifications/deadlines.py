"""The scheduled evaluation of deadlines: what is due soon or late today, and who is told."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import partial

from django.db.models import Exists, OuterRef
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from partnership.anp.models import (
    AnnualProgramme,
    Measure,
    ProgrammeStatus,
    QuarterlyReport,
    quarter_due,
)
from partnership.core.models import Role, User
from partnership.core.selectors import visible_to
from partnership.framework.models import ActionItem, ActionStatus, Decision, DecisionStatus
from partnership.notifications.events import (
    body_members_of,
    decision_path,
    path_of,
)
from partnership.notifications.models import Kind
from partnership.notifications.recipients import nato_approvers, people
from partnership.notifications.services import Message, notify
from partnership.trustfunds.models import FundStatus, TrustFund

REPORT_WARNING_DAYS = 7
ACTION_WARNING_DAYS = 3
SILENCE_WARNING = dt.timedelta(hours=24)
# Overdue reminders stop once the next quarter's report is the one due.
OVERDUE_FOR_DAYS = 90


def _date(day: dt.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _unreported(programme: AnnualProgramme, year: int, quarter: int) -> object:
    reported = QuarterlyReport.objects.counted().filter(
        measure=OuterRef("pk"), year=year, quarter=quarter
    )
    return Measure.objects.filter(programme=programme).exclude(Exists(reported))


def _reports(today: dt.date) -> int:
    made = 0
    programme = AnnualProgramme.objects.filter(
        year=today.year, status=ProgrammeStatus.APPROVED
    ).first()
    if programme is None:
        return 0
    for quarter in (1, 2, 3, 4):
        due = quarter_due(today.year, quarter)
        days = (due - today).days
        if 0 <= days <= REPORT_WARNING_DAYS:
            kind = Kind.REPORT_DUE
        elif -OVERDUE_FOR_DAYS <= days < 0:
            kind = Kind.REPORT_OVERDUE
        else:
            continue
        unreported = _unreported(programme, today.year, quarter)
        agencies = set(unreported.values_list("agency_id", flat=True))  # type: ignore[attr-defined]
        for agency in agencies:
            for user in people(organizations=[agency], roles=[Role.REPORTER]):
                count = visible_to(user, unreported.filter(agency_id=agency)).count()  # type: ignore[attr-defined]
                if not count:
                    continue

                def message(user: User, count: int = count, due: dt.date = due,
                            quarter: int = quarter, kind: str = kind) -> Message:  # fmt: skip
                    values = {"count": count, "quarter": quarter, "year": due.year,
                              "date": _date(due)}  # fmt: skip
                    if kind == Kind.REPORT_DUE:
                        return Message(_("%(count)s measures need their Q%(quarter)s %(year)s "
                                         "report by %(date)s") % values)  # fmt: skip
                    return Message(_("%(count)s measures are late with their Q%(quarter)s "
                                     "%(year)s report, due %(date)s") % values)  # fmt: skip

                made += len(notify(
                    kind=kind, recipients=[user], record=programme, occasion=due.isoformat(),
                    path=path_of("anp:measures", programme.year), message=message,
                ))  # fmt: skip
        if kind == Kind.REPORT_OVERDUE and programme.coordinator_id:
            made += _late_summary(programme, unreported, due, quarter)
    return made


def _late_summary(
    programme: AnnualProgramme, unreported: object, due: dt.date, quarter: int
) -> int:
    made = 0
    coordinators = people(organizations=[programme.coordinator_id],  # type: ignore[list-item]
                          roles=[Role.EDITOR, Role.APPROVER])  # fmt: skip
    for user in coordinators:
        late = Counter(
            visible_to(user, unreported).values_list("agency__name_en", flat=True)  # type: ignore[arg-type]
        )
        if not late:
            continue

        def message(user: User, late: Counter[str] = late) -> Message:
            lines = "\n".join(f"- {agency}: {count}" for agency, count in sorted(late.items()))
            return Message(
                _(
                    "%(agencies)s agencies are late with %(count)s Q%(quarter)s reports, due %(date)s"
                )
                % {
                    "agencies": len(late),
                    "count": sum(late.values()),
                    "quarter": quarter,
                    "date": _date(due),
                },
                lines,
            )

        made += len(notify(
            kind=Kind.REPORTS_LATE, recipients=[user], record=programme, occasion=due.isoformat(),
            path=path_of("anp:dashboard", programme.year), message=message,
        ))  # fmt: skip
    return made


def _silence_message(decision: Decision, user: User) -> Message:
    deadline = timezone.localtime(decision.silence_deadline)  # type: ignore[arg-type]
    return Message(
        _("Silence procedure on %(decision)s ends at %(deadline)s")
        % {"decision": str(decision), "deadline": formats.date_format(deadline, "DATETIME_FORMAT")}
    )


def _fund_message(fund: TrustFund, user: User) -> Message:
    return Message(
        _("The trust fund %(fund)s is proposed and waits for the Allies' approval")
        % {"fund": str(fund)}
    )


def _silences(now: dt.datetime) -> int:
    made = 0
    ending = Decision.objects.filter(
        status=DecisionStatus.UNDER_SILENCE,
        silence_deadline__gt=now,
        silence_deadline__lte=now + SILENCE_WARNING,
    ).select_related("meeting__body")
    for decision in ending:
        made += len(
            notify(
                kind=Kind.SILENCE_ENDING,
                recipients=body_members_of(decision),
                record=decision,
                occasion=decision.silence_deadline.isoformat(),  # type: ignore[union-attr]
                path=decision_path(decision),
                message=partial(_silence_message, decision),
            )
        )
    return made


def _action_items(today: dt.date) -> int:
    made = 0
    live = ActionItem.objects.filter(
        status__in=[ActionStatus.OPEN, ActionStatus.IN_PROGRESS], deadline__isnull=False
    ).select_related("owner")
    soon = live.filter(deadline__gte=today, deadline__lte=today + dt.timedelta(ACTION_WARNING_DAYS))
    late = live.filter(deadline__lt=today, deadline__gte=today - dt.timedelta(OVERDUE_FOR_DAYS))
    for kind, items in ((Kind.ACTION_DUE, soon), (Kind.ACTION_OVERDUE, late)):
        for item in items:

            def message(user: User, item: ActionItem = item, kind: str = kind) -> Message:
                from partnership.core.models import localized

                values = {"action": localized(item, "title"), "date": _date(item.deadline)}  # type: ignore[arg-type]
                if kind == Kind.ACTION_DUE:
                    return Message(_("Action item due on %(date)s: %(action)s") % values)
                return Message(_("Action item overdue since %(date)s: %(action)s") % values)

            made += len(notify(
                kind=kind, recipients=people(organizations=[item.owner_id]), record=item,
                occasion=item.deadline.isoformat(),  # type: ignore[union-attr]
                path=path_of("framework:action_items"), message=message,
            ))  # fmt: skip
    return made


def _funds() -> int:
    made = 0
    approvers = nato_approvers()
    for fund in TrustFund.objects.filter(status=FundStatus.PROPOSED):
        made += len(notify(
            kind=Kind.FUND_APPROVAL, recipients=approvers, record=fund, occasion="proposed",
            path=path_of("trustfunds:fund", fund.slug),
            message=partial(_fund_message, fund),
        ))  # fmt: skip
    return made


def deadlines_evaluate(*, now: dt.datetime | None = None) -> int:
    """Every reminder due at `now`; run it as often as you like, each is made once."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    return _reports(today) + _silences(now) + _action_items(today) + _funds()
