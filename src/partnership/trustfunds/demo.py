"""Generated, clearly marked money and results for the factsheet's trust funds, so that every
page and report has something to show, and the bulk data set of the benchmark.

Everything generated says "Demo:" (or `demo=True`, or a rate source "Demo"): the factsheet's own
figures (133,000 tons, 1.5 million small arms, 1,000 MANPADS, €25 million, 12 years) are targets
and budget, never mixed with the generated actuals. As NATO announced in 2005 (`PHASE_1_SOURCE`),
the demilitarization project runs in four phases with phase 1 led by the United States at
€7 million; NSPA is its executing agent. The fund's own lead nation is the demo's
(`lead_nations_demo`): no source names one for the whole fund.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from partnership.core.models import Indicator, Marking, Measurement, Organization
from partnership.trustfunds import services
from partnership.trustfunds.models import (
    ActivityStatus,
    ExchangeRate,
    Kind,
    Phase,
    Project,
    ProjectAgreement,
    Transaction,
    TrustFund,
)

# Roughly the EUR value of each currency in the years shown; generated, marked "Demo".
RATES = {
    "USD": Decimal("0.78"),
    "CAD": Decimal("0.70"),
    "GBP": Decimal("1.20"),
    "NOK": Decimal("0.12"),
}
# Phase 1's lead nation and budget are public facts the factsheet does not state.
PHASE_1_SOURCE = (
    "NATO, press release on the launch of the PfP Trust Fund project to destroy surplus weapons "
    "and ammunition in Ukraine (February 2005), and U.S. Department of State, statement of "
    "18 February 2005 (The Ukrainian Weekly, 27 February 2005, "
    "https://ukrweekly.com/old/archive/2005/090508.shtml): the United States leads the first of "
    "the four phases, estimated at EUR 7 million over three years"
)
DONORS = [("us", "USD"), ("ca", "CAD"), ("de", "EUR"), ("nl", "EUR"), ("gb", "GBP"), ("bg", "EUR")]


def _rate(currency: str, date: dt.date, rng: random.Random) -> None:
    if currency != "EUR":
        wobble = Decimal(1) + Decimal(rng.randint(-40, 40)) / Decimal(1000)
        ExchangeRate.objects.get_or_create(
            currency=currency, date=date,
            defaults={"eur_per_unit": (RATES[currency] * wobble).quantize(Decimal("0.000001")),
                      "source": "Demo: generated rate"},
        )  # fmt: skip


def _money(project: Project, donor: Organization, currency: str, date: dt.date, amount: Decimal,
           rng: random.Random, kinds: tuple[str, ...]) -> None:  # fmt: skip
    for step, kind in enumerate(kinds):
        when = date + dt.timedelta(days=45 * step)
        _rate(currency, when, rng)
        services.transaction_record(
            by=None, project=project, kind=kind, date=when, organization=donor,
            currency=currency, amount=amount, description=f"Demo: {Kind(kind).label}", demo=True,
        )  # fmt: skip


@transaction.atomic
def generate() -> None:
    if Transaction.objects.filter(demo=True).exists():
        return
    rng = random.Random(2005)
    orgs = {o.slug: o for o in Organization.objects.all()}
    fund = TrustFund.objects.get(slug="pfp-demilitarization")
    fund.executing_agent = orgs["nspa"]
    # No source names a lead nation of the whole fund (the United States led phase 1 of its second
    # project only): the fund-level relation is the demo's, so that a lead nation's rights show.
    fund.lead_nations.add(orgs["us"])
    fund.lead_nations_demo = True
    fund.objectives = (
        "Demo: destroy the surplus stocks named in the factsheet, safely and verifiably."
    )
    fund.method = "Demo: industrial demilitarization at Ukrainian state plants, recycling metal."
    fund.verification_plan = (
        "Demo: NSPA verifies each destruction lot with the Ministry of Defence."
    )
    fund.save()
    project = Project.objects.get(slug="demilitarization-munitions")
    phases = [
        Phase.objects.get_or_create(project=project, number=n, defaults={
            "title_en": title, "period": period, "budget_eur": Decimal(budget),
            "lead_nation": orgs["us"] if n == 1 else None,
            "source_text": PHASE_1_SOURCE if n == 1 else ""})[0]
        for n, title, period, budget in (
            (1, "Phase 1 (led by the United States)", "2005/2008", 7_000_000),
            (2, "Demo: phase 2", "2009/2011", 6_000_000),
            (3, "Demo: phase 3", "2012/2014", 6_000_000),
            (4, "Demo: phase 4", "2015/2017", 6_000_000),
        )
    ]  # fmt: skip
    for kind, parties, signed in (
        ("mou", ["nspa", "ua-mod"], "2005-06"),
        ("implementing", ["nspa", "ua-mod"], "2005-09"),
        ("executing_agent", ["us", "nspa"], "2005-06"),
    ):
        agreement = ProjectAgreement.objects.create(project=project, kind=kind, signed=signed)
        agreement.parties.set([orgs[p] for p in parties])
    ua = orgs["ua-mod"]
    for year in range(2005, 2015):
        donors = rng.sample(DONORS, 3)
        for slug, currency in donors:
            amount = Decimal(rng.randrange(300, 900) * 1000)
            kinds = (Kind.PLEDGE, Kind.COMMITMENT, Kind.PAYMENT)
            _money(project, orgs[slug], currency, dt.date(year, 2, 1), amount, rng, kinds)
            # A financial management agreement with each contributor, once.
            if not project.agreements.filter(kind="financial", parties=orgs[slug]).exists():
                fma = ProjectAgreement.objects.create(
                    project=project, kind="financial", signed=str(year)
                )
                fma.parties.set([orgs["us"], orgs["nato-is"], orgs[slug]])
        balance = services.balance_eur(project)
        spend = (balance * Decimal("0.8")).quantize(Decimal(1))
        phase = phases[min((year - 2005) // 3, 3)]
        services.transaction_record(
            by=None, project=project, kind=Kind.DISBURSEMENT, date=dt.date(year, 11, 15),
            organization=ua, currency="EUR", amount=spend, phase=phase,
            description="Demo: destruction lots paid to the state plants", demo=True,
        )  # fmt: skip
        services.transaction_record(
            by=None, project=project, kind=Kind.IN_KIND, date=dt.date(year, 12, 1),
            organization=ua, currency="EUR", amount=Decimal(0), phase=phase,
            description="Demo: Ukraine's own work at the plants (not valued)", demo=True,
        )  # fmt: skip
    # Results at the pace the money allows: cumulative figures per year, marked in the note.
    project_type = ContentType.objects.get_for_model(Project)
    pace = {"t": Decimal("8200"), "pieces": Decimal("60000")}
    for indicator in Indicator.objects.filter(subject_type=project_type, subject_id=project.pk):
        total = Decimal(0)
        for year in range(2006, 2015):
            if indicator.name_en.startswith("MANPADS"):
                step = Decimal(250) if year <= 2009 else Decimal(0)
            else:
                step = pace.get(indicator.unit, Decimal(0)) * Decimal(rng.randint(80, 120)) / 100
            total = min(total + step.quantize(Decimal(1)), indicator.target or total + step)
            Measurement.objects.create(indicator=indicator, period=str(year), actual=total,
                                       note="Demo: generated", demo=True)  # fmt: skip
    _medical(orgs, rng)
    # The demo Partnership Goal on medical rehabilitation is served by the demo project.
    from partnership.programmes.models import PartnershipGoal

    goal = PartnershipGoal.objects.filter(code="G-0310", demo=True).first()
    if goal is not None:
        goal.projects.add(Project.objects.get(slug="demo-medical-rehabilitation-1"))


def _medical(orgs: dict[str, Organization], rng: random.Random) -> None:
    fund = TrustFund.objects.get(slug="medical-rehabilitation")
    project = Project.objects.create(
        fund=fund, slug="demo-medical-rehabilitation-1",
        iati_identifier="XI-PARTNERSHIP-demo-medical-rehabilitation-1",
        title_en="Demo: rehabilitation equipment and training for military hospitals",
        title_uk="Демо: реабілітаційне обладнання та навчання для військових госпіталів",
        status=ActivityStatus.IMPLEMENTATION, period="2015/2017", budget_eur=Decimal(1_500_000),
        sector_code="12191", marking=Marking.PUBLIC, demo=True,
    )  # fmt: skip
    for slug, currency in (("bg", "EUR"), ("us", "USD")):
        _money(project, orgs[slug], currency, dt.date(2015, 3, 1), Decimal(400_000), rng,
               (Kind.PLEDGE, Kind.COMMITMENT, Kind.PAYMENT))  # fmt: skip
    # The factsheet's NSPA agreement with Ukraine (28 April 2015) is the framework of the
    # medical rehabilitation projects: the demo project's implementing agreement points to it.
    from partnership.framework.models import Agreement

    implementing = ProjectAgreement.objects.create(
        project=project, kind="implementing", signed="2015-04-28",
        agreement=Agreement.objects.filter(slug="nspa-ukraine-2015").first(),
    )  # fmt: skip
    implementing.parties.set([orgs["nspa"], orgs["ua"]])
    services.transaction_record(
        by=None, project=project, kind=Kind.EXPENDITURE, date=dt.date(2015, 10, 1),
        organization=orgs["nspa"], currency="EUR", amount=Decimal(350_000),
        description="Demo: equipment for three rehabilitation centres", demo=True,
    )  # fmt: skip
    indicator = Indicator.objects.create(
        subject_type=ContentType.objects.get_for_model(Project), subject_id=project.pk,
        name_en="Demo: rehabilitation centres equipped", name_uk="Демо: обладнано реабілітаційних центрів",
        unit="centres", target=Decimal(8), marking=Marking.PUBLIC, demo=True,
    )  # fmt: skip
    Measurement.objects.create(
        indicator=indicator, period="2015", actual=Decimal(3), note="Demo: generated", demo=True
    )
