"""IATI 2.03: every exported file validates against the official schema and codelists
(xmlschema with the IATI XSD), round-trips through import, and a bad file is refused whole."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import xmlschema
from django.conf import settings

from partnership.core.models import User
from partnership.trustfunds import iati, selectors
from partnership.trustfunds.models import Project, TrustFund

pytestmark = pytest.mark.django_db


def nato() -> User:
    return User.objects.get(username="nato-editor")


def test_every_project_exports_as_schema_valid_iati() -> None:
    data = iati.export(user=nato(), projects=iati.export_queryset(nato()))
    schema = xmlschema.XMLSchema(
        str(settings.IATI_REFERENCE_DIR / "schemas" / "iati-activities-schema.xsd")
    )
    schema.validate(data)  # raises on any error
    root = ET.fromstring(data)
    assert root.get("version") == "2.03"
    activities = {a.findtext("iati-identifier"): a for a in root.findall("iati-activity")}
    assert len(activities) == Project.objects.count()
    demil = activities["XI-PARTNERSHIP-demilitarization-munitions"]
    roles = {(p.get("role"), p.findtext("narrative")) for p in demil.findall("participating-org")}
    # The demo's lead nation of the fund is not a fact: IATI cannot say "demo", so not asserted.
    assert ("2", "United States") not in roles
    assert ("3", "NATO Support and Procurement Agency") in roles  # extending: the agent
    assert ("4", "Ukraine") in roles
    assert {t.find("transaction-type").get("code") for t in demil.findall("transaction")} == {
        "1",
        "3",
        "11",
        "13",
    }
    titles = [i.findtext("title/narrative") for i in demil.iter("indicator")]
    assert "Munitions destroyed (t)" in titles
    assert (
        demil.find("title/narrative[@{http://www.w3.org/XML/1998/namespace}lang='uk']") is not None
    )
    assert iati.validate(data) == []


def test_export_round_trips_through_import() -> None:
    project = Project.objects.get(slug="demo-medical-rehabilitation-1")
    data = iati.export(user=nato(), projects=[project]).decode()
    data = data.replace(
        "XI-PARTNERSHIP-demo-medical-rehabilitation-1", "XI-PARTNERSHIP-imported-medical"
    )
    result = iati.import_activities(by=nato(), fund=project.fund, data=data.encode())
    assert result.errors == []
    imported = result.projects[0]
    assert imported.title_uk == project.title_uk
    original = selectors.project_totals(user=_nato_staff(), project=project)
    again = selectors.project_totals(user=_nato_staff(), project=imported)
    for key in ("pledged", "committed", "received", "spent", "balance"):
        assert abs(again[key] - original[key]) <= Decimal("0.05"), key
    [res] = selectors.results(user=nato(), project=imported)
    assert (res["indicator"].target, res["actual"]) == (Decimal(8), Decimal(3))


def test_a_file_that_does_not_validate_is_refused_with_the_validators_messages() -> None:
    fund = TrustFund.objects.get(slug="medical-rehabilitation")
    before = Project.objects.count()
    bad = (
        b'<iati-activities version="2.03"><iati-activity><title/></iati-activity></iati-activities>'
    )
    with pytest.raises(iati.IatiError) as info:
        iati.import_activities(by=nato(), fund=fund, data=bad)
    assert any("iati-identifier" in m or "reporting-org" in m for m in info.value.messages)
    assert Project.objects.count() == before


def test_a_valid_file_whose_money_breaks_the_rules_saves_nothing() -> None:
    project = Project.objects.get(slug="demo-medical-rehabilitation-1")
    data = iati.export(user=nato(), projects=[project]).decode()
    data = data.replace("XI-PARTNERSHIP-demo-medical-rehabilitation-1", "XI-PARTNERSHIP-overdrawn")
    data = data.replace(">350000.00<", ">9350000.00<")  # spend far more than was received
    before = Project.objects.count()
    result = iati.import_activities(by=nato(), fund=project.fund, data=data.encode())
    assert result.errors and "overdraw" in result.errors[0]
    assert Project.objects.count() == before


def test_unknown_codes_are_named() -> None:
    project = Project.objects.get(slug="demo-medical-rehabilitation-1")
    data = (
        iati.export(user=nato(), projects=[project])
        .decode()
        .replace('code="12191"', 'code="99999"')
    )
    assert any("99999" in m and "Sector" in m for m in iati.validate(data.encode()))


def _nato_staff() -> User:
    """NATO staff are shown a project's totals of all its transactions."""
    return User.objects.get(username="nato-editor")


def test_a_recorded_lead_nation_is_exported_as_accountable() -> None:
    # Given the demilitarization fund's lead nation recorded as a fact, not as demo data
    TrustFund.objects.filter(slug="pfp-demilitarization").update(lead_nations_demo=False)
    project = Project.objects.get(slug="demilitarization-munitions")

    # When its project is exported
    root = ET.fromstring(iati.export(user=nato(), projects=Project.objects.filter(pk=project.pk)))

    # Then the lead nation is the activity's accountable organisation
    roles = {(p.get("role"), p.findtext("narrative")) for p in root.iter("participating-org")}
    assert ("2", "United States") in roles
