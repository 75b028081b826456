"""A fund's life (proposed → approved by the Allies → implementation → closed), the four
agreements with the parties each must have, and the donor report of a fund for a period."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Organization, User
from partnership.trustfunds import services
from partnership.trustfunds.models import FundStatus, Project, TrustFund
from tests.conftest import DEMO_PASSWORD
from tests.partnership.background.jobs import prepared

pytestmark = pytest.mark.django_db


def user(name: str) -> User:
    return User.objects.get(username=name)


def org(slug: str) -> Organization:
    return Organization.objects.get(slug=slug)


def test_a_fund_goes_step_by_step_and_only_nato_approves_it() -> None:
    fund = TrustFund.objects.create(slug="test-fund", name_en="Test fund", partner=org("ua"),
                                    executing_agent=org("nspa"), marking="PUBLIC")  # fmt: skip
    fund.lead_nations.add(org("us"))
    with pytest.raises(PermissionDeniedError):
        services.fund_status_advance(by=user("us-lead"), fund=fund, status=FundStatus.APPROVED)
    with pytest.raises(ApplicationError) as info:
        services.fund_status_advance(by=user("nato-approver"), fund=fund, status=FundStatus.CLOSED)
    assert "the next step is approved by the Allies" in str(info.value.message)
    services.fund_status_advance(by=user("nato-approver"), fund=fund, status=FundStatus.APPROVED)
    fund = services.fund_status_advance(
        by=user("us-lead"), fund=fund, status=FundStatus.IMPLEMENTATION
    )
    assert fund.status == FundStatus.IMPLEMENTATION
    assert [h.status for h in fund.history.order_by("history_date")][-2:] == [
        "approved",
        "implementation",
    ]


def test_each_agreement_has_the_parties_it_needs() -> None:
    project = Project.objects.get(slug="demilitarization-munitions")
    with pytest.raises(ApplicationError) as info:
        services.agreement_record(by=user("us-lead"), project=project, kind="mou",
                                  parties=[org("us"), org("ua-mod")], signed="2005-06")  # fmt: skip
    assert "executing agent" in str(info.value.message)
    parties = [org("us"), org("nato-is"), org("nl")]
    fma = services.agreement_record(by=user("us-lead"), project=project, kind="financial",
                                    parties=parties, signed="2006")  # fmt: skip
    assert {o.slug for o in fma.parties.all()} == {"us", "nato-is", "nl"}
    with pytest.raises(PermissionDeniedError):
        services.agreement_record(by=user("ca-donor"), project=project, kind="financial",
                                  parties=[org("ca")], signed="2006")  # fmt: skip


def test_the_demo_project_is_tied_to_the_factsheets_nspa_agreement(client: Client) -> None:
    body = client.get("/en/trust-funds/projects/demo-medical-rehabilitation-1/").content.decode()
    assert "implementing agreement (agency and partner)" in body
    assert "NATO Support and Procurement Agency and Ukraine" in body


def test_the_fund_report_for_a_period(client: Client) -> None:
    assert client.login(username="nato-editor", password=DEMO_PASSWORD)
    url = "/en/trust-funds/pfp-demilitarization/donor-report"
    html = client.get(url + ".html?from=2010-01-01&to=2010-12-31").content.decode()
    assert "Period: 1 January 2010 – 31 December 2010" in html
    assert "In the period 1 January 2010 – 31 December 2010" in html
    assert client.get(url + ".html?from=2010-13-01").status_code == 400
    pdf = prepared(client, url + ".pdf?from=2010-01-01&to=2010-12-31&lang=uk")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "Звіт для донорів" in text and "Знищено боєприпасів" in text
