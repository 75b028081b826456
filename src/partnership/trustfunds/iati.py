"""IATI 2.03 activity XML for trust-fund projects: export, validation against the official schema
and codelists, and the import of a donor's own publication (read by `iati_parse`, recorded by
`services.project_import`).

The schema and codelists are the IATI Standard's own files (settings.IATI_REFERENCE_DIR);
validation uses `xmlschema`, the same validator on the way out and on the way in.
"""

from __future__ import annotations

import datetime as dt
import functools
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from partnership.core import files
from partnership.core.exceptions import ApplicationError
from partnership.core.models import (
    NATO_KINDS,
    Indicator,
    Organization,
    OrganizationKind,
)
from partnership.core.selectors import AnyUser
from partnership.trustfunds import iati_parse, selectors, services
from partnership.trustfunds.models import (
    IATI_TYPE,
    INCOMING,
    ActivityStatus,
    Kind,
    Project,
    TrustFund,
)

XML_LANG = iati_parse.XML_LANG
# IATI OrganisationRole: 1 funding, 2 accountable, 3 extending, 4 implementing.
FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = "1", "2", "3", "4"
# Which codelist each coded attribute must come from.
CODED = [
    ("activity-status", "code", "ActivityStatus"),
    ("activity-date", "type", "ActivityDateType"),
    ("participating-org", "role", "OrganisationRole"),
    ("participating-org", "type", "OrganisationType"),
    ("reporting-org", "type", "OrganisationType"),
    ("recipient-country", "code", "Country"),
    ("sector", "code", "Sector"),
    ("transaction-type", "code", "TransactionType"),
    ("budget", "type", "BudgetType"),
    ("budget", "status", "BudgetStatus"),
    ("value", "currency", "Currency"),
    ("result", "type", "ResultType"),
    ("indicator", "measure", "IndicatorMeasure"),
    ("description", "type", "DescriptionType"),
]


class IatiError(ApplicationError):
    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages[:5]), field="file")
        self.messages = messages


def _reference() -> Path:
    path = Path(settings.IATI_REFERENCE_DIR)
    if not (path / "schemas" / "iati-activities-schema.xsd").exists():
        raise IatiError([_("The IATI 2.03 schema is not installed at %(path)s.") % {"path": path}])
    return path


@functools.lru_cache(maxsize=1)
def _schema(path: str) -> Any:
    # libxml2 (through lxml) validates 36 MB of activities in about a second; a pure-Python
    # validator took 19 s. The tests check the same files with xmlschema as well.
    from lxml import etree

    return etree.XMLSchema(etree.parse(str(Path(path) / "schemas" / "iati-activities-schema.xsd")))


@functools.lru_cache(maxsize=64)
def codelist(name: str) -> frozenset[str]:
    tree = ET.parse(_reference() / "codelists" / f"{name}.xml")
    return frozenset(
        (item.findtext("code") or "").strip() for item in tree.getroot().iter("codelist-item")
    )


def validate(data: bytes) -> list[str]:
    """The validator's messages (schema, then codelists); empty when the file is valid."""
    schema = _schema(str(_reference()))
    try:
        # No DTD, no entities, no network: a DOCTYPE is refused with its reason.
        document = files.xml_parse(data)
    except ApplicationError as exc:
        return [str(exc.message)]
    if not schema.validate(document):
        return [f"line {e.line}: {e.message}" for e in list(schema.error_log)[:50]]
    errors: list[str] = []
    for tag, attribute, name in CODED:
        allowed = codelist(name)
        for element in document.iter(tag):
            code = element.get(attribute)
            if code is None:
                continue
            if tag == "sector" and element.get("vocabulary", "1") != "1":
                continue
            if code not in allowed:
                errors.append(
                    _("%(tag)s/@%(attribute)s “%(code)s” is not in the %(codelist)s codelist.")
                    % {"tag": tag, "attribute": attribute, "code": code, "codelist": name}
                )
    return errors


def org_ref(org: Organization) -> str:
    return f"{settings.IATI_ORG_PREFIX}-{org.slug}"


def org_type(org: Organization) -> str:
    """IATI OrganisationType: NATO bodies and agencies are multilateral (40); nations and their
    ministries are government (10); anything else is other (90)."""
    if org.kind in NATO_KINDS:
        return "40"
    if org.kind in (
        OrganizationKind.ALLY, OrganizationKind.PARTNER, OrganizationKind.PARTNER_COUNTRY,
        OrganizationKind.PARTNER_INSTITUTION, OrganizationKind.EMBASSY,
    ):  # fmt: skip
        return "10"
    return "90"


def _narratives(parent: ET.Element, tag: str, en: str, uk: str = "", **attrs: str) -> None:
    if not (en or uk):
        return
    element = ET.SubElement(parent, tag, attrs)
    if en:
        ET.SubElement(element, "narrative").text = en
    if uk:
        ET.SubElement(element, "narrative", {XML_LANG: "uk"}).text = uk


def _org(parent: ET.Element, tag: str, org: Organization, **attrs: str) -> None:
    element = ET.SubElement(parent, tag, {"ref": org_ref(org), **attrs, "type": org_type(org)})
    ET.SubElement(element, "narrative").text = org.name_en
    if org.name_uk:
        ET.SubElement(element, "narrative", {XML_LANG: "uk"}).text = org.name_uk


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def activity(*, user: AnyUser, project: Project, reporting: Organization) -> ET.Element:
    fund = project.fund
    root = ET.Element(
        "iati-activity",
        {
            "last-updated-datetime": timezone.now().replace(microsecond=0).isoformat(),
            XML_LANG: "en", "default-currency": "EUR", "hierarchy": "2",
        },
    )  # fmt: skip
    ET.SubElement(root, "iati-identifier").text = project.iati_identifier
    _org(root, "reporting-org", reporting)
    _narratives(root, "title", project.title_en, project.title_uk)
    # The schema requires a description; a project without one is described by its fund's area,
    # or else by its title.
    _narratives(
        root,
        "description",
        project.description_en or fund.area_en or project.title_en,
        project.description_uk or fund.area_uk or project.title_uk,
        type="1",
    )
    # Plain rows, not model instances: an export of 100,000 transactions spends its time here.
    transactions = list(
        selectors.transactions_for(user=user, project=project)
        .order_by("date", "id")
        .values_list("kind", "date", "currency", "amount", "description", "organization_id")
    )
    orgs = Organization.objects.in_bulk({row[5] for row in transactions})
    funders = {orgs[row[5]] for row in transactions if row[0] in INCOMING}
    for org in sorted(funders, key=lambda o: o.slug):
        _org(root, "participating-org", org, role=FUNDING)
    # IATI has no way to say "generated": demo lead nations are not asserted in the export.
    leads = [] if fund.lead_nations_demo else fund.lead_nations.all()
    for org in sorted(leads, key=lambda o: o.slug):
        _org(root, "participating-org", org, role=ACCOUNTABLE)
    if fund.executing_agent:
        _org(root, "participating-org", fund.executing_agent, role=EXTENDING)
    _org(root, "participating-org", fund.partner, role=IMPLEMENTING)
    ET.SubElement(root, "activity-status", {"code": project.status})
    if project.period_start:
        started = project.status != ActivityStatus.PIPELINE
        ET.SubElement(root, "activity-date", {"iso-date": project.period_start.isoformat(),
                                              "type": "2" if started else "1"})  # fmt: skip
    if project.period_end and project.period_end != dt.date.max:
        ended = project.status == ActivityStatus.CLOSED
        ET.SubElement(root, "activity-date", {"iso-date": project.period_end.isoformat(),
                                              "type": "4" if ended else "3"})  # fmt: skip
    if fund.partner.country_code:
        ET.SubElement(
            root, "recipient-country", {"code": fund.partner.country_code, "percentage": "100"}
        )
    ET.SubElement(
        root, "sector", {"vocabulary": "1", "code": project.sector_code, "percentage": "100"}
    )
    for phase in project.phases.all():
        if phase.period_start and phase.period_end and phase.budget_eur:
            budget = ET.SubElement(root, "budget", {"type": "1", "status": "2"})
            ET.SubElement(budget, "period-start", {"iso-date": phase.period_start.isoformat()})
            ET.SubElement(budget, "period-end", {"iso-date": phase.period_end.isoformat()})
            value = ET.SubElement(
                budget, "value", {"currency": "EUR", "value-date": phase.period_start.isoformat()}
            )
            value.text = _money(phase.budget_eur)
    for kind, date, currency, amount, description, org_id in transactions:
        if kind == Kind.IN_KIND:
            continue  # IATI has no transaction type for work given in kind
        element = ET.SubElement(root, "transaction")
        ET.SubElement(element, "transaction-type", {"code": IATI_TYPE[Kind(kind)]})
        day = date.isoformat()
        ET.SubElement(element, "transaction-date", {"iso-date": day})
        value = ET.SubElement(element, "value", {"currency": currency, "value-date": day})
        value.text = _money(amount)
        if description:
            _narratives(element, "description", description)
        _org(element, "provider-org" if kind in INCOMING else "receiver-org", orgs[org_id])
    for row in selectors.results(user=user, project=project):
        indicator: Indicator = row["indicator"]
        result = ET.SubElement(root, "result", {"type": "1" if indicator.level == "output" else "2",
                                                 "aggregation-status": "0"})  # fmt: skip
        _narratives(result, "title", indicator.name_en, indicator.name_uk)
        element = ET.SubElement(result, "indicator", {"measure": "1", "ascending": "1"})
        _narratives(element, "title", f"{indicator.name_en} ({indicator.unit})".replace(" ()", ""),
                    indicator.name_uk)  # fmt: skip
        base_year = (
            row["values"][0].period_start.year
            if row["values"]
            else (project.period_start or dt.date.today()).year
        )
        ET.SubElement(
            element, "baseline", {"year": str(base_year), "value": _money(indicator.baseline)}
        )
        for m in row["values"]:
            period = ET.SubElement(element, "period")
            ET.SubElement(period, "period-start", {"iso-date": m.period_start.isoformat()})
            ET.SubElement(period, "period-end", {"iso-date": m.period_end.isoformat()})
            if indicator.target is not None:
                ET.SubElement(period, "target", {"value": _money(indicator.target)})
            ET.SubElement(period, "actual", {"value": _money(m.actual)})
    return root


def export(*, user: AnyUser, projects: Iterable[Project]) -> bytes:
    """An iati-activities file of the projects, valid or not written at all."""
    reporting = Organization.objects.get(slug=settings.IATI_REPORTING_ORG)
    root = ET.Element(
        "iati-activities",
        {
            "version": "2.03",
            "generated-datetime": timezone.now().replace(microsecond=0).isoformat(),
        },
    )
    for project in projects:
        root.append(activity(user=user, project=project, reporting=reporting))
    ET.indent(root)
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    errors = validate(data)
    if errors:
        raise IatiError(errors)
    return data


def export_queryset(user: AnyUser, fund: TrustFund | None = None) -> Any:
    return (
        selectors.project_list(user=user, fund=fund)
        .select_related("fund__executing_agent", "fund__partner")
        .prefetch_related("fund__lead_nations", "phases")
    )


# The import's result is the service's (re-exported for the callers of `import_activities`).
ImportResult = services.ImportResult


def import_activities(*, by: Any, fund: TrustFund, data: bytes) -> ImportResult:
    """A donor's IATI file into a fund: checked against the schema, read into plain data
    (`iati_parse`), recorded by `services.project_import`, whole or not at all."""
    # Who may import is decided before one byte of the file is parsed.
    if by is not None and not services.can_import_into(by, fund):
        from partnership.core.exceptions import PermissionDeniedError

        raise PermissionDeniedError(services.MSG_NOT_RECORDER)
    services.fund_check_open(fund)
    errors = validate(data)
    if errors:
        raise IatiError(errors)
    return services.project_import(by=by, fund=fund, activities=iati_parse.parse(data))
