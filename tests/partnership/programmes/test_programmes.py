"""Programmes: counted participation that must add up, grants within their ceiling, and the
factsheet's figures computed from records."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Organization, User
from partnership.core.services import api_token_create
from partnership.programmes import selectors, services
from partnership.programmes.models import Event, Grant, GrantStatus, Institution, Programme

pytestmark = pytest.mark.django_db


def manager() -> User:
    return User.objects.get(username="nato-editor")


def counts(*numbers: int) -> list[services.Count]:
    mod = Organization.objects.get(slug="ua-mod")
    groups = [
        ("civilian", "female", "n/a"),
        ("military", "male", "senior"),
        ("military", "female", "junior"),
    ]
    return [services.Count(mod, *groups[i], n) for i, n in enumerate(numbers)]


def test_an_event_is_saved_with_its_participation() -> None:
    event = services.event_record(
        by=manager(), programme=Programme.objects.get(slug="pdp"), kind="course",
        title_en="Defence budgeting course", date="2015-03", participants_total=12,
        counts=counts(5, 4, 3), marking="PUBLIC",
    )  # fmt: skip

    assert sum(p.count for p in event.participation.all()) == 12


def test_counts_that_do_not_add_up_are_refused_with_the_numbers() -> None:
    before = Event.objects.count()
    with pytest.raises(ApplicationError) as info:
        services.event_record(
            by=manager(), programme=Programme.objects.get(slug="pdp"), kind="course",
            title_en="Course", date="2015-03", participants_total=15, counts=counts(5, 4, 3),
            marking="PUBLIC",
        )  # fmt: skip

    assert "add up to 12" in str(info.value.message) and "15 participants" in str(
        info.value.message
    )
    assert info.value.field == "participants_total"
    assert Event.objects.count() == before


def test_only_the_programmes_managers_record_events() -> None:
    with pytest.raises(PermissionDeniedError):
        services.event_record(
            by=User.objects.get(username="ua-viewer"), programme=Programme.objects.get(slug="pdp"),
            kind="course", title_en="x", date="2015", participants_total=0, counts=[],
            marking="PUBLIC",
        )  # fmt: skip


def test_a_grant_above_its_ceiling_is_refused() -> None:
    grant = Grant.objects.create(
        programme=Programme.objects.get(slug="sps"), reference="T-1", title_en="Sensors",
        topic="cbrn", beneficiary=Organization.objects.get(slug="ua"), ceiling_eur=Decimal(100000),
        status=GrantStatus.UNDER_REVIEW, marking="PUBLIC",
    )  # fmt: skip
    services.grant_review_record(
        by=User.objects.get(username="nato-approver"), grant=grant, score=4,
        recommendation="award", comment="Sound.",
    )  # fmt: skip

    with pytest.raises(ApplicationError) as info:
        services.grant_award(by=manager(), grant=grant, amount_eur=Decimal(100001), confirm=True)
    assert "above the approved ceiling" in str(info.value.message)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.UNDER_REVIEW

    awarded = services.grant_award(
        by=manager(), grant=grant, amount_eur=Decimal(100000), confirm=True
    )
    assert awarded.status == GrantStatus.AWARDED


def test_participation_tripled_in_2014_is_computed_from_the_events() -> None:
    years = selectors.participation_by_year(
        user=AnonymousUser(), programme=Programme.objects.get(slug="building-integrity")
    )

    assert {row["year"]: row["factor"] for row in years}[2014] == 3.0


def test_ukraine_is_the_largest_sps_beneficiary_by_the_grants() -> None:
    rows = selectors.grants_by_beneficiary(user=AnonymousUser())

    assert rows[0]["beneficiary"] == "Ukraine"


def test_the_eight_deep_institutions_are_in_five_cities_and_their_names_are_demo() -> None:
    deep = Institution.objects.filter(programme__slug="deep")

    assert deep.count() == 8
    # The factsheet names the cities only: the names are the demo's, never loaded as facts.
    assert all(deep.values_list("demo", flat=True))
    assert set(deep.values_list("city_en", flat=True)) == {
        "Kyiv",
        "Lviv",
        "Kharkiv",
        "Odesa",
        "Zhytomyr",
    }


def test_partnership_goals_are_not_public(client: Client) -> None:
    anonymous = client.get("/en/programmes/").content.decode()
    client.force_login(User.objects.get(username="ua-viewer"))
    partner = client.get("/en/programmes/").content.decode()

    assert "G-0101" not in anonymous and "G-0101" in partner


def test_an_event_over_the_api_in_ukrainian_errors(client: Client) -> None:
    _token, raw = api_token_create(user=manager(), name="t")
    payload = {"kind": "seminar", "title_en": "Seminar", "date": "2015-04", "participants_total": 3,
               "participation": [{"organization": "ua-mod", "service": "civilian", "sex": "female",
                                  "rank_group": "n/a", "count": 2}], "marking": "PUBLIC"}  # fmt: skip

    response = client.post("/api/programmes/pdp/events", payload, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_ACCEPT_LANGUAGE="uk")  # fmt: skip

    assert response.status_code == 400
    assert "становить 2" in response.json()["message"]
    payload["participants_total"] = 2
    ok = client.post("/api/programmes/pdp/events", payload, content_type="application/json",
                     HTTP_AUTHORIZATION=f"Bearer {raw}")  # fmt: skip
    assert ok.status_code == 201 and ok.json()["participants_total"] == 2


def test_building_integrity_reports_are_not_public(client: Client) -> None:
    anonymous = client.get("/en/programmes/building-integrity/").content.decode()
    client.force_login(User.objects.get(username="ua-viewer"))
    partner = client.get("/en/programmes/building-integrity/").content.decode()
    client.force_login(User.objects.get(username="ge-viewer"))
    other = client.get("/en/programmes/building-integrity/").content.decode()

    assert "peer review report" not in anonymous and "peer review report" not in other
    assert "peer review report" in partner and "independent audit" in partner


def test_the_pdp_budget_doubled_in_2014_from_its_indicator(client: Client) -> None:
    from partnership.programmes.selectors import indicators_of

    rows = indicators_of(user=AnonymousUser(), record=Programme.objects.get(slug="pdp"))

    assert rows[0]["factor"] == 2.0
    assert "× 2.0" in client.get("/en/programmes/pdp/").content.decode()


def test_goals_and_integrity_steps_over_the_api_follow_releasability(client: Client) -> None:
    assert client.get("/api/partnership-goals").json() == []
    assert client.get("/api/programmes/building-integrity/integrity-steps").json() == []
    _token, raw = api_token_create(user=User.objects.get(username="ua-viewer"), name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    goals = client.get("/api/partnership-goals", **auth).json()
    steps = client.get("/api/programmes/building-integrity/integrity-steps", **auth).json()

    assert {g["code"] for g in goals} == {"G-0101", "G-0205", "G-0310"}
    assert all(g["assessments"][0]["year"] == 2015 for g in goals)
    assert [s["kind"] for s in steps] == ["self_assessment", "peer_review", "tailored"]
    floods = client.get("/api/emergency-assistance").json()
    assert [a["date"] for a in floods if a["direction"] == "received"][:3] == [
        "1995",
        "1998",
        "2001",
    ]


def test_the_parp_survey_is_for_the_partnership(client: Client) -> None:
    assert client.get("/api/parp-surveys").json() == []
    client.force_login(User.objects.get(username="ua-viewer"))

    surveys = client.get("/api/parp-surveys").json()

    assert [(s["partner"], s["cycle"]) for s in surveys] == [("ua", 2014)]
    assert "PARP 2014" in client.get("/en/programmes/").content.decode()
