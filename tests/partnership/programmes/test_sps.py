"""SPS grants from application to completion: review before award, no one reviews their own
application, and every step in the history."""

from decimal import Decimal

import pytest
from django.test import Client

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Organization, User
from partnership.programmes import services
from partnership.programmes.models import Grant, GrantStatus, Programme
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def user(name: str) -> User:
    return User.objects.get(username=name)


def apply(by: str = "ua-coordinator") -> Grant:
    return services.grant_apply(
        by=user(by), programme=Programme.objects.get(slug="sps"),
        title_en="Detection of explosives with terahertz sensors", topic="cbrn",
        beneficiary=Organization.objects.get(slug="ua"), ceiling_eur=Decimal(250000),
        period="2027/2029", summary_en="Stand-off detection for checkpoints.",
        institutions=[Organization.objects.get(slug="ua-defence-academy")],
    )  # fmt: skip


def test_application_review_award_and_completion() -> None:
    grant = apply()
    assert grant.status == GrantStatus.APPLIED and grant.reference.startswith("SPS-")
    manager = user("nato-editor")
    with pytest.raises(ApplicationError):  # not under review yet
        services.grant_review_record(by=user("nato-approver"), grant=grant, score=5,
                                     recommendation="award", comment="Strong.")  # fmt: skip
    grant = services.grant_review_start(by=manager, grant=grant)
    with pytest.raises(ApplicationError) as info:
        services.grant_award(by=manager, grant=grant, amount_eur=Decimal(200000))
    assert "review recommends" in str(info.value.message)
    services.grant_review_record(by=user("nato-approver"), grant=grant, score=5,
                                 recommendation="award", comment="Strong team, clear benefit.")  # fmt: skip
    grant = services.grant_award(by=manager, grant=grant, amount_eur=Decimal(200000), confirm=True)
    grant = services.grant_complete(by=manager, grant=grant, outputs_en="A field-tested prototype.")
    assert grant.status == GrantStatus.COMPLETED
    statuses = [h.status for h in grant.history.order_by("history_date")]
    # Consecutive rows of one status are the application and its institutions (m2m history).
    assert [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s] == [
        "applied", "review", "awarded", "completed",
    ]  # fmt: skip


def test_no_one_reviews_their_own_application_and_partners_do_not_review() -> None:
    grant = services.grant_review_start(by=user("nato-editor"), grant=apply(by="us-lead"))
    with pytest.raises(PermissionDeniedError) as info:
        services.grant_review_record(by=user("us-lead"), grant=grant, score=5,
                                     recommendation="award", comment="Mine is great.")  # fmt: skip
    assert "own application" in str(info.value.message)
    with pytest.raises(PermissionDeniedError):
        services.grant_review_record(by=user("ua-coordinator"), grant=grant, score=5,
                                     recommendation="award", comment="Good.")  # fmt: skip
    assert grant.reviews.count() == 0


def test_rejection_keeps_the_reason() -> None:
    grant = services.grant_reject(
        by=user("nato-editor"), grant=apply(), note="Outside the SPS key priorities."
    )
    assert (grant.status, grant.decision_note) == (
        GrantStatus.REJECTED,
        "Outside the SPS key priorities.",
    )
    with pytest.raises(ApplicationError):
        services.grant_review_start(by=user("nato-editor"), grant=grant)


def test_the_web_workflow(client: Client) -> None:
    assert client.login(username="ua-coordinator", password=DEMO_PASSWORD)
    ua = Organization.objects.get(slug="ua").pk
    page = client.post("/en/programmes/sps/grants/apply/", {
        "title_en": "Cyber range for universities", "topic": "cyber", "beneficiary": ua,
        "ceiling_eur": "180000", "period": "2027/2028", "summary_en": "Training range.",
        "marking": "PARTNERSHIP",
    })  # fmt: skip
    assert page.status_code == 302, page.content.decode()[:2000]
    grant = Grant.objects.get(title_en="Cyber range for universities")
    client.logout()
    assert client.login(username="nato-editor", password=DEMO_PASSWORD)
    url = f"/en/programmes/grants/{grant.reference}/"
    assert client.post(url, {"action": "start_review"}).status_code == 302
    client.logout()
    assert client.login(username="nato-approver", password=DEMO_PASSWORD)
    client.post(
        url, {"action": "review", "score": "4", "recommendation": "award", "comment": "Useful."}
    )
    client.logout()
    assert client.login(username="nato-editor", password=DEMO_PASSWORD)
    unconfirmed = client.post(url, {"action": "award", "amount_eur": "170000"})
    assert unconfirmed.status_code == 400 and "I confirm the award" in unconfirmed.content.decode()
    grant.refresh_from_db()
    assert grant.status == GrantStatus.UNDER_REVIEW
    client.post(url, {"action": "award", "amount_eur": "170000", "confirm": "on"})
    grant.refresh_from_db()
    assert (grant.status, grant.awarded_eur) == (GrantStatus.AWARDED, Decimal(170000))
    body = client.get(url).content.decode()
    assert "Useful." in body and "170,000" in body


def test_the_api_workflow(client: Client) -> None:
    from partnership.core.services import api_token_create

    def bearer(name: str) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=user(name), name='t')[1]}"}

    applied = client.post("/api/grants", {"title_en": "Demining robots", "topic": "demining",
                          "beneficiary": "ua", "ceiling_eur": "90000", "summary_en": "Robots."},
                          content_type="application/json", **bearer("ua-coordinator"))  # fmt: skip
    assert applied.status_code == 201, applied.content
    ref = applied.json()["reference"]
    decide = f"/api/grants/{ref}/decision"
    assert client.post(decide, {"action": "award", "amount_eur": "1"}, content_type="application/json",
                       **bearer("nato-editor")).status_code == 400  # fmt: skip
    client.post(
        decide, {"action": "start_review"}, content_type="application/json", **bearer("nato-editor")
    )
    review = {"score": 3, "recommendation": "award", "comment": "OK."}
    reviewed = client.post(f"/api/grants/{ref}/reviews", review,
                           content_type="application/json", **bearer("nato-approver"))  # fmt: skip
    assert reviewed.status_code == 201
    awarded = client.post(decide, {"action": "award", "amount_eur": "90000", "confirm": True},
                          content_type="application/json",
                          **bearer("nato-editor"))  # fmt: skip
    assert awarded.json()["status"] == "awarded"


def test_each_partnership_goal_lists_the_anp_measures_and_projects_that_serve_it(
    client: Client,
) -> None:
    goals = {g["code"]: g for g in client.get("/api/partnership-goals").json()}  # anonymous
    assert goals == {}  # PARTNERSHIP goals are not public
    assert client.login(username="ua-viewer", password=DEMO_PASSWORD)
    goals = {g["code"]: g for g in client.get("/api/partnership-goals").json()}
    medical = goals["G-0310"]
    assert medical["projects"] == ["demo-medical-rehabilitation-1"]
    assert len(medical["anp_measures"]) == 2  # the 2015 and the current year's measure
    page = client.get("/en/programmes/").content.decode()
    assert "Demo: rehabilitation equipment and training for military hospitals" in page
