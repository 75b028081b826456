"""Two writers at the same moment on PostgreSQL, each on its own connection: no lost update, no
overdraw. (SQLite takes its write lock when a transaction starts, so it cannot race at all.)"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, connections

from partnership.anp import services as anp
from partnership.anp.generate import generate_year
from partnership.anp.models import Measure, QuarterlyReport
from partnership.core.exceptions import ApplicationError
from partnership.core.models import Organization, User
from partnership.trustfunds import services as funds
from partnership.trustfunds.models import Kind, Project, TrustFund

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Runs the calls in threads released together; each thread has its own connection."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(i: int) -> None:
        barrier.wait()
        try:
            results[i] = calls[i]()
        except Exception as error:  # the test looks at what each writer got
            results[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def people() -> dict[str, User]:
    call_command("load_factsheet", "--no-progress", verbosity=0)
    call_command("demo_users", verbosity=0)
    return {u.username: u for u in User.objects.filter(username__in=["ua-reporter", "us-lead"])}


def test_two_reporters_filing_the_same_quarter_at_once_both_land_one_report_stays(
    people: dict[str, User],
) -> None:
    # given a measure of the Ministry of Defence with no report yet for the third quarter
    reporter = people["ua-reporter"]
    generate_year(
        year=2025, measures=5, agencies=[Organization.objects.get(slug="ua-mod")],
        reporter=reporter, quarters=2,
    )  # fmt: skip
    measure = Measure.objects.filter(programme__year=2025, agency__slug="ua-mod").first()
    assert measure is not None

    # when two of its reporters file that quarter at the same moment, again and again
    for round_ in range(5):
        QuarterlyReport.objects.filter(measure=measure, year=2025, quarter=3).delete()
        results = at_once(*[
            lambda status=status, round_=round_: anp.report_submit(
                by=reporter, measure=Measure.objects.get(pk=measure.pk), year=2025, quarter=3,
                status=status, progress_en=f"round {round_}: {status}",
            )
            for status in ("at_risk", "done")
        ])  # fmt: skip

        # then both were accepted (none got a server error), one report is kept, and the
        # measure's status is that report's (the earlier one is in the history)
        assert [type(r).__name__ for r in results] == ["QuarterlyReport"] * 2, results
        (kept,) = QuarterlyReport.objects.filter(measure=measure, year=2025, quarter=3)
        measure.refresh_from_db()
        assert measure.status == kept.status
        assert kept.history.count() >= 2


def test_two_disbursements_at_once_cannot_overdraw_a_project(people: dict[str, User]) -> None:
    # given a project whose lead nation has received 100,000 EUR
    lead = people["us-lead"]
    us, ua = Organization.objects.get(slug="us"), Organization.objects.get(slug="ua-mod")
    fund = TrustFund.objects.create(
        slug="race-fund", name_en="Race fund", partner=Organization.objects.get(slug="ua"),
        executing_agent=Organization.objects.get(slug="nspa"), marking="PUBLIC",
    )  # fmt: skip
    fund.lead_nations.add(us)
    project = Project.objects.create(
        fund=fund, slug="race-project", iati_identifier="XI-PARTNERSHIP-race", title_en="Race",
        status="2", period="2024/2026", budget_eur=Decimal(1_000_000), marking="PUBLIC",
    )  # fmt: skip
    day = dt.date(2025, 3, 1)
    for kind in (Kind.PLEDGE, Kind.COMMITMENT, Kind.PAYMENT):
        funds.transaction_record(
            by=lead, project=project, kind=kind, date=day, organization=us, currency="EUR",
            amount=Decimal(100_000),
        )  # fmt: skip

    # when two clerks disburse 60,000 EUR each at the same moment
    def disburse() -> Any:
        return funds.transaction_record(
            by=lead, project=Project.objects.get(pk=project.pk), kind=Kind.DISBURSEMENT,
            date=day, organization=ua, currency="EUR", amount=Decimal(60_000),
        )  # fmt: skip

    results = at_once(disburse, disburse)

    # then one is recorded, the other refused as an overdraw, and the balance stays positive
    refused = [r for r in results if isinstance(r, ApplicationError)]
    assert len(refused) == 1, results
    assert "overdraw" in str(refused[0].message)
    assert funds.balance_eur(project) == Decimal(40_000)
