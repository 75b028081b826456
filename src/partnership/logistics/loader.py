"""Loads what the factsheet states about logistics (the DTC priority, the demilitarization
targets and the landmines destroyed) and the NCS standards, traced to their sources; and,
for the demo, a codification bureau, depots, codified items moved between them, and lots."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import resources
from typing import Any

import yaml
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from partnership.core.models import Figure, Indicator, Organization, OrganizationKind, Role, User
from partnership.framework.models import Body
from partnership.logistics import services
from partnership.logistics.models import (
    AdoptionStatus,
    CodificationBureau,
    DestructionLot,
    DestructionTarget,
    Location,
    Priority,
    Standard,
)
from partnership.trustfunds.models import Project

DATA = "logistics.yaml"
DEMO_BUREAU_ORG = "ua-ncb"
# The demo bureau's two-digit code: made up (the partner's real NCB code is not in the
# factsheet); `source` stays empty so pages say it is a demo value.
DEMO_BUREAU_CODE = "90"


def read() -> dict[str, Any]:
    text = resources.files("partnership.logistics").joinpath("data", DATA).read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def _paragraph(line: int | None) -> str:
    """The factsheet's paragraph at a line, as the public factsheet loaded it."""
    from partnership.public.models import FactsheetParagraph

    found = FactsheetParagraph.objects.filter(source_line=line).first()
    return str(found.text_en) if found else ""


@transaction.atomic
def load() -> None:
    """Running it twice changes nothing."""
    data = read()
    for row in data["priorities"]:
        Priority.objects.update_or_create(
            source_key=f"priority-{row['line']}",
            defaults={
                "body": Body.objects.get(slug=row["body"]),
                "text_en": row["en"],
                "text_uk": row["uk"],
                "source_line": row["line"],
                "source_text": row["en"],
            },
        )
    project_type = ContentType.objects.get_for_model(Project)
    for row in data["targets"]:
        project = Project.objects.get(slug=row["project"])
        figure = Figure.objects.get(key=row["figure"])
        indicator = None
        if row.get("indicator"):
            indicator = Indicator.objects.get(
                subject_type=project_type, subject_id=project.pk, name_en=row["indicator"]
            )
        target, _created = DestructionTarget.objects.update_or_create(
            project=project,
            category=row["category"],
            defaults={
                "quantity": figure.value,
                "unit": row["unit"],
                "indicator": indicator,
                "marking": project.marking,
                "releasable_to": project.releasable_to,
                "source_line": figure.source_line,
                "source_text": _paragraph(figure.source_line) or figure.label_en,
                "source_key": f"target-{figure.key}",
            },
        )
        for lot in row.get("lots", []):
            DestructionLot.objects.update_or_create(
                target=target,
                lot_number=lot["lot"],
                defaults={
                    "quantity": Decimal(str(lot["quantity"])),
                    "period": lot["period"],
                    "site": lot["site"],
                    "source_line": figure.source_line,
                    "marking": target.marking,
                    "releasable_to": target.releasable_to,
                },
            )
    for row in data["standards"]:
        Standard.objects.update_or_create(
            number=row["number"],
            edition=row.get("edition", ""),
            defaults={
                "kind": row["kind"],
                "area": row["area"],
                "title_en": row["title"]["en"],
                "title_uk": row["title"]["uk"],
                "custodian": row.get("custodian", ""),
                "source": data["standards_source"],
                "marking": "PUBLIC",
            },
        )


DEMO_PASSWORD_NOTE = "the demo password"
DEMO_USERS = [
    # username, organization, roles: the bureau's staff, and a logistician of the forces who
    # requests codification, receives, issues and (as approver) authorizes disposals.
    ("ua-codifier", DEMO_BUREAU_ORG, [Role.CODIFIER, Role.VIEWER]),
    ("ua-logistician", "ua-armed-forces", [Role.EDITOR, Role.APPROVER, Role.VIEWER]),
]


@transaction.atomic
def load_demo(*, password: str) -> None:
    """A bureau, two depots and a unit, items codified through the request workflow and
    moved between them, adoption statuses and destruction lots, all marked as demo."""
    from partnership.core.services import user_create

    ua = Organization.objects.get(slug="ua")
    bureau_org, _c = Organization.objects.get_or_create(
        slug=DEMO_BUREAU_ORG,
        defaults={
            "kind": OrganizationKind.PARTNER_INSTITUTION,
            "parent": ua,
            "country_code": "UA",
            "name_en": "National Codification Bureau of Ukraine (demo)",
            "name_uk": "Національне бюро кодифікації України (демо)",
            "abbreviation": "NCB UA",
        },
    )
    bureau, _c = CodificationBureau.objects.get_or_create(
        organization=bureau_org, defaults={"code": DEMO_BUREAU_CODE}
    )
    for username, org, roles in DEMO_USERS:
        if not User.objects.filter(username=username).exists():
            user_create(
                by=None,
                username=username,
                password=password,
                organization=Organization.objects.get(slug=org),
                roles=roles,
            )
    if Location.objects.filter(code="depot-central-1").exists():
        return
    forces = Organization.objects.get(slug="ua-armed-forces")
    places = {
        code: Location.objects.create(
            code=code,
            kind=kind,
            name_en=en,
            name_uk=uk,
            organization=forces,
            marking="NATIONS",
            releasable_to=",UA,",
        )
        for code, kind, en, uk in (
            (
                "depot-central-1",
                "depot",
                "Central depot No. 1 (demo)",
                "Центральний склад № 1 (демо)",
            ),
            ("depot-west-2", "depot", "Western depot No. 2 (demo)", "Західний склад № 2 (демо)"),
            (
                "unit-logistics-bn",
                "unit",
                "Logistics battalion (demo)",
                "Логістичний батальйон (демо)",
            ),
        )
    }
    logistician = User.objects.get(username="ua-logistician")
    codifier = User.objects.get(username="ua-codifier")
    items = []
    for name_en, name_uk, ncage, supplier, ref, fsc, singly in (
        (
            "Battery, storage, 12 V",
            "Акумулятор, 12 В",
            "U7K21",
            "Demo Batteries LLC",
            "6ST-190A",
            "6140",
            False,
        ),
        (
            "Radio set, handheld",
            "Радіостанція носима",
            "U3M08",
            "Demo Radio Works",
            "R-187P1",
            "5820",
            True,
        ),
        (
            "Tyre, pneumatic, 12.00R20",
            "Шина пневматична 12.00R20",
            "U5T44",
            "Demo Tyre Plant",
            "KI-115A",
            "2610",
            False,
        ),
    ):
        request = services.codification_request_submit(
            by=logistician,
            bureau=bureau,
            data=services.RequestData(
                name_en=name_en,
                name_uk=name_uk,
                ncage=ncage,
                supplier_name=supplier,
                reference=ref,
                supply_class=fsc,
                tracked_singly=singly,
            ),
        )
        services.codification_request_research(by=codifier, request=request)
        items.append(services.codification_request_codify(by=codifier, request=request).item)
    services.codification_request_submit(
        by=logistician,
        bureau=bureau,
        data=services.RequestData(
            name_en="Filter, fuel",
            name_uk="Фільтр паливний",
            ncage="U7K21",
            reference="FT-020",
            supply_class="2910",
        ),
    )
    battery, radio, tyre = items
    assert battery and radio and tyre
    day = dt.date(2026, 9, 1)
    moves = [
        (battery, "receipt", 400, None, "depot-central-1", ""),
        (tyre, "receipt", 120, None, "depot-central-1", ""),
        (battery, "transfer", 150, "depot-central-1", "depot-west-2", ""),
        (battery, "issue", 60, "depot-west-2", "unit-logistics-bn", ""),
        (tyre, "issue", 24, "depot-central-1", "unit-logistics-bn", ""),
    ]
    for offset, (item, kind, qty, src, dst, serial) in enumerate(moves):
        services.movement_record(
            by=logistician,
            item=item,
            data=services.MovementData(
                kind=kind,
                quantity=qty,
                occurred_on=day + dt.timedelta(days=offset * 7),
                from_location=places[src] if src else None,
                to_location=places[dst] if dst else None,
                serial=serial,
            ),
        )
    for n in range(1, 4):
        services.movement_record(
            by=logistician,
            item=radio,
            data=services.MovementData(
                kind="receipt",
                quantity=1,
                occurred_on=day,
                serial=f"R187-{n:04d}",
                to_location=places["depot-central-1"],
            ),
        )
    for standard, status, dates in (
        (
            "STANAG 3150",
            AdoptionStatus.IMPLEMENTED,
            {"studied": "2015", "ratified": "2016", "implemented": "2018"},
        ),
        ("STANAG 3151", AdoptionStatus.RATIFIED, {"studied": "2016", "ratified": "2017"}),
        ("STANAG 4177", AdoptionStatus.STUDIED, {"studied": "2019"}),
    ):
        adoption = services.standard_adoption_set(
            by=logistician,
            standard=Standard.objects.get(number=standard),
            nation=ua,
            data=services.AdoptionData(
                status=status,
                studied=dates.get("studied", ""),
                ratified=dates.get("ratified", ""),
                implemented=dates.get("implemented", ""),
            ),
            projects=Project.objects.filter(fund__slug="logistics-standardization"),
        )
        adoption.demo = True
        adoption.save(update_fields=["demo"])
    munitions = DestructionTarget.objects.get(
        project__slug="demilitarization-munitions", category="munitions"
    )
    reporter = User.objects.filter(username="ua-reporter").first() or logistician
    for year, tons in ((2012, 2400), (2013, 3100), (2014, 1800)):
        services.destruction_lot_record(
            by=reporter,
            target=munitions,
            lot_number=f"DEMO-{year}-01",
            quantity=tons,
            period=str(year),
            site="Shostka (demo)",
        )
    DestructionLot.objects.filter(lot_number__startswith="DEMO-").update(demo=True)
