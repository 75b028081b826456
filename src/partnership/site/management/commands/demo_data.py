"""Generated demo records for the programmes, clearly marked `demo`, so every page shows figures.

Participation in Building Integrity is generated so that 2014 holds three times 2013, as the
factsheet says; the pages compute the factor from these records, they do not state it.
"""

import random
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import transaction

from partnership.core.glossary import abbreviation
from partnership.core.models import Indicator, Marking, Measurement, Organization, User
from partnership.core.services import marking_apply
from partnership.programmes import services
from partnership.programmes.models import (
    Event,
    GoalAssessment,
    Grant,
    GrantReview,
    GrantStatus,
    Institution,
    IntegrityStep,
    ParpSurvey,
    PartnershipGoal,
    Programme,
)

# DEEP's "eight main defence education institutions in Kyiv, Lviv, Kharkiv, Odessa and Zhitomir"
# (factsheet line 77): the cities are the factsheet's, the names are not, and no public source
# found names the eight, so they are demo records, shown with the demo badge.
DEEP_INSTITUTIONS = [
    ("National Defence University of Ukraine", "Національний університет оборони України",
     "Kyiv", "Київ"),
    ("Military Institute of Taras Shevchenko National University of Kyiv",
     "Військовий інститут Київського національного університету імені Тараса Шевченка",
     "Kyiv", "Київ"),
    ("Military Institute of Telecommunications and Informatisation",
     "Військовий інститут телекомунікацій та інформатизації", "Kyiv", "Київ"),
    ("Hetman Petro Sahaidachnyi National Army Academy",
     "Національна академія сухопутних військ імені гетьмана Петра Сагайдачного", "Lviv", "Львів"),
    ("Ivan Kozhedub Kharkiv National Air Force University",
     "Харківський національний університет Повітряних Сил імені Івана Кожедуба",
     "Kharkiv", "Харків"),
    ("National Academy of the National Guard of Ukraine",
     "Національна академія Національної гвардії України", "Kharkiv", "Харків"),
    ("Odesa Military Academy", "Військова академія (м. Одеса)", "Odesa", "Одеса"),
    ("Korolov Zhytomyr Military Institute",
     "Житомирський військовий інститут імені С. П. Корольова", "Zhytomyr", "Житомир"),
]  # fmt: skip
UA_BODIES = ["ua-mod", "ua-mfa", "ua-nsdc", "ua-armed-forces", "ua-ses"]


def _counts(rng: random.Random, total: int) -> list[services.Count]:
    """A participation table summing to `total`, spread over organizations and groups."""
    orgs = list(Organization.objects.filter(slug__in=UA_BODIES))
    lines: dict[tuple[Any, ...], int] = {}
    for _ in range(total):
        org = rng.choice(orgs)
        service = "military" if org.slug == "ua-armed-forces" or rng.random() < 0.4 else "civilian"
        sex = "female" if rng.random() < 0.3 else "male"
        rank = rng.choice(["junior", "middle", "senior"]) if service == "military" else "n/a"
        key = (org.pk, service, sex, rank)
        lines[key] = lines.get(key, 0) + 1
    by_pk = {o.pk: o for o in orgs}
    return [services.Count(by_pk[k[0]], k[1], k[2], k[3], n) for k, n in lines.items()]


class Command(BaseCommand):
    def _agreements(self) -> None:
        """The demo centres' agreements (asde/data/agreements), approved by both sides."""
        from pathlib import Path

        from shapely.geometry import mapping

        import asde
        from asde.agreements import load_agreement
        from partnership.airpicture.models import ExchangeAgreement

        nato, ua = Organization.objects.get(slug="nato"), Organization.objects.get(slug="ua")
        approvers = User.objects.get(username="nato-airops"), User.objects.get(username="ua-airops")
        for name in ("nato-ua-v1-2008.yaml", "nato-ua-v2-2014.yaml"):
            spec = load_agreement(Path(asde.__file__).parent / "data" / "agreements" / name)
            ExchangeAgreement.objects.create(
                sender=nato, partner=ua, version=spec.version, name=spec.name,
                valid_from=spec.valid_from, valid_to=spec.valid_to,
                area=mapping(spec.area.simplify(0.02)), min_ft=int(spec.min_ft), max_ft=int(spec.max_ft),
                remove_items=", ".join(spec.remove_items), update_period_s=int(spec.update_period_s),
                approved_by_sender=approvers[0], approved_by_partner=approvers[1],
                marking=Marking.PARTNERSHIP,
            )  # fmt: skip

    def _anp(self) -> None:
        """Two generated ANP years: 2015, reported and assessed in full, and the current
        year with three quarters reported; some measures serve the demo Partnership Goals."""
        from django.utils import timezone

        from partnership.anp.generate import generate_year

        agencies = list(
            Organization.objects.filter(
                slug__in=["ua-mod", "ua-ses", "ua-mfa", "ua-nsdc", "ua-armed-forces", "ua-rada"]
            ).order_by("slug")
        )
        reporter = User.objects.get(username="ua-reporter")
        assessor = User.objects.get(username="ally-assessor")
        cabinet = Organization.objects.get(slug="ua-cabinet")
        this_year = timezone.localdate().year
        goals = list(PartnershipGoal.objects.filter(demo=True).order_by("code"))
        for year, quarters in ((2015, 4), (this_year, (timezone.localdate().month - 1) // 3)):
            programme = generate_year(
                year=year, measures=60, agencies=agencies, reporter=reporter,
                assessor=assessor if quarters == 4 else None, quarters=quarters,
                coordinator=cabinet,
            )  # fmt: skip
            for goal, measure in zip(
                goals, programme.measures.filter(chapter__number=2)[:3], strict=False
            ):
                measure.partnership_goals.add(goal)

    help = "Create generated, clearly marked demo events, participation, grants and goals."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        from partnership.documents.demo import generate as demo_documents

        # Documents first and on every run: a demo made before they existed gets them too.
        demo_documents()
        if Event.objects.filter(demo=True).exists():
            return
        rng = random.Random(2014)
        manager = User.objects.get(username="nato-editor")
        deep = Programme.objects.get(slug="deep")
        for name_en, name_uk, city_en, city_uk in DEEP_INSTITUTIONS:
            Institution.objects.update_or_create(
                programme=deep, name_en=name_en,
                defaults={"name_uk": name_uk, "city_en": city_en, "city_uk": city_uk,
                          "marking": Marking.PUBLIC, "demo": True},
            )  # fmt: skip
        for slug in ("building-integrity", "pdp", "sps", "deep"):
            Programme.objects.get(slug=slug).managers.add(manager)
        plan = {  # programme: {year: events (each ~participants)}
            "building-integrity": {2012: 3, 2013: 4, 2014: 12},
            "pdp": {2012: 5, 2013: 5, 2014: 10},
            "deep": {2013: 3, 2014: 6},
        }
        for slug, years in plan.items():
            programme = Programme.objects.get(slug=slug)
            # Ukrainian titles name the programme as the glossary does ("ППР", not "PDP").
            short_uk = abbreviation(programme.abbreviation, "uk") or programme.name_uk
            for year, events in years.items():
                for n in range(events):
                    total = 20
                    services.event_record(
                        by=manager, programme=programme, kind=rng.choice(["course", "seminar"]),
                        title_en=f"Demo: {programme.abbreviation or programme.name_en} course {year}-{n + 1}",
                        title_uk=f"Демо: курс «{short_uk}» {year}-{n + 1}",
                        date=f"{year}-{rng.randint(1, 12):02d}", participants_total=total,
                        counts=_counts(rng, total), marking=Marking.PUBLIC, demo=True,
                    )  # fmt: skip
        sps = Programme.objects.get(slug="sps")
        beneficiaries = [
            ("ua", 9, "cyber"),
            ("ua", 0, "cbrn"),
            ("ge", 3, "energy"),
            ("md", 2, "demining"),
        ]
        number = 1
        for country, count, topic in beneficiaries:
            for _ in range(max(count, 1)):
                ceiling = Decimal(rng.randrange(150, 400) * 1000)
                grant = Grant.objects.create(
                    programme=sps, reference=f"DEMO-SPS-{number:03d}",
                    title_en=f"Demo: SPS project {number} ({topic})", topic=topic,
                    beneficiary=Organization.objects.get(slug=country), ceiling_eur=ceiling,
                    status=GrantStatus.UNDER_REVIEW, period="2015/2017", marking=Marking.PUBLIC,
                    demo=True,
                )  # fmt: skip
                if count:
                    GrantReview.objects.create(
                        grant=grant,
                        reviewer=User.objects.get(username="nato-approver"),
                        score=4,
                        recommendation="award",
                        comment="Demo: sound science, a clear security benefit.",
                    )
                    services.grant_award(
                        by=manager, grant=grant, amount_eur=ceiling - 10000, confirm=True
                    )
                number += 1
        ParpSurvey.objects.create(
            partner=Organization.objects.get(slug="ua"), cycle=2014, marking=Marking.PARTNERSHIP,
            summary_en="Demo: Ukraine's survey for the 2014 cycle: forces offered, planning data.",
            summary_uk="Демо: огляд України для циклу 2014 року: запропоновані сили, дані планування.",
            demo=True,
        )  # fmt: skip
        for code, title in (("G-0101", "Demo: Command and control modernisation"),
                            ("G-0205", "Demo: Logistics standards (NATO codification)"),
                            ("G-0310", "Demo: Medical rehabilitation capacity")):  # fmt: skip
            goal = PartnershipGoal.objects.create(
                code=code, title_en=title, cycle=2014, status="approved",
                marking=Marking.PARTNERSHIP, demo=True,
            )  # fmt: skip
            GoalAssessment.objects.create(
                goal=goal, year=2015, progress=rng.randrange(20, 70), marking=Marking.PARTNERSHIP
            )
        bi = Programme.objects.get(slug="building-integrity")
        ua = Organization.objects.get(slug="ua")
        for kind, date, team, summary, marking, nations in (
            ("self_assessment", "2013", "", "Demo: the Ministry of Defence answered the integrity "
             "self-assessment questionnaire.", Marking.NATIONS, ["UA"]),
            ("peer_review", "2014-06", "Demo: five experts from four Allies", "Demo: peer review "
             "report on procurement and human-resource management.", Marking.NATIONS, ["UA"]),
            ("tailored", "2015/2017", "", "Demo: tailored programme on corruption as a security "
             "threat and on financial and human resources management.", Marking.PARTNERSHIP, []),
        ):  # fmt: skip
            step = IntegrityStep(programme=bi, partner=ua, kind=kind, date=date, team_en=team,
                                 summary_en=summary, demo=True)  # fmt: skip
            marking_apply(record=step, marking=marking, nations=nations)
            step.save()
            if kind == "self_assessment":
                step.answers.create(position=1, question_en="Demo: Is there an independent audit "
                                    "of defence procurement?", answer_en="Demo: Partly.")  # fmt: skip
        pdp = Programme.objects.get(slug="pdp")
        budget = Indicator.objects.create(
            subject_type=ContentType.objects.get_for_model(Programme), subject_id=pdp.pk,
            name_en="Demo: PDP budget", name_uk="Демо: бюджет ППР", unit="EUR",
            baseline=Decimal(400000), marking=Marking.PUBLIC, demo=True,
        )  # fmt: skip
        for year, amount in ((2012, 410000), (2013, 420000), (2014, 840000)):
            Measurement.objects.create(
                indicator=budget, period=str(year), actual=Decimal(amount), demo=True
            )
        self._agreements()
        self._anp()
        from partnership.trustfunds.demo import generate as trust_fund_money

        trust_fund_money()
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS("Demo programme records ready."))
