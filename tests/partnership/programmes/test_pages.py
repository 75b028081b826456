"""The programme pages of this issue, in both languages: as many participation rows as an event
needs, none pre-chosen, a duplicate row refused on its field; an award confirmed on its form."""

from decimal import Decimal

import pytest
from django.test import Client

from partnership.core.models import Marking, Organization, User
from partnership.programmes.models import Event, Grant, GrantReview, GrantStatus, Programme

pytestmark = pytest.mark.django_db


def manager_of_sps(client: Client) -> Programme:
    sps = Programme.objects.get(slug="sps")
    client.force_login(User.objects.get(username="nato-editor"))
    return sps


def event(rows: list[dict[str, object]], title: str = "Pages test course") -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "course", "title_en": title, "date": "May 2024", "participants_total": 6,
        "marking": Marking.PARTNERSHIP, "count-TOTAL_FORMS": len(rows), "count-INITIAL_FORMS": 0,
    }  # fmt: skip
    for i, row in enumerate(rows):
        data.update({f"count-{i}-{k}": v for k, v in row.items()})
    return data


def row(count: int = 3) -> dict[str, object]:
    ua = Organization.objects.get(slug="ua-mod").pk
    return {"organization": ua, "service": "military", "sex": "female", "rank_group": "junior",
            "count": count}  # fmt: skip


@pytest.mark.parametrize(("lang", "more"), [("en", "More rows"), ("uk", "Більше рядків")])
def test_the_event_form_starts_with_nothing_chosen_and_grows_by_more_rows(
    client: Client, lang: str, more: str
) -> None:
    sps = manager_of_sps(client)
    url = f"/{lang}/programmes/{sps.slug}/events/new/"
    blank = client.get(url).content.decode()
    assert more in blank and "selected>civilian" not in blank and "selected>women" not in blank
    # When "More rows" is pressed with one row typed, then the row is kept and five are added
    grown = client.post(url, {**event([row()]), "more_rows": "1"})
    assert grown.status_code == 200
    assert grown.context["table"].total_form_count() == 6
    assert not Event.objects.filter(title_en="Pages test course").exists()


@pytest.mark.parametrize(("lang", "words"), [("en", "Two rows count"), ("uk", "Два рядки")])
def test_two_identical_participation_rows_are_a_field_error_not_a_500(
    client: Client, lang: str, words: str
) -> None:
    sps = manager_of_sps(client)
    response = client.post(f"/{lang}/programmes/{sps.slug}/events/new/", event([row(), row()]))
    assert response.status_code == 200 and words in response.content.decode()
    assert not Event.objects.filter(title_en="Pages test course").exists()
    saved = client.post(
        f"/{lang}/programmes/{sps.slug}/events/new/", event([row(3), {**row(3), "sex": "male"}])
    )
    assert saved.status_code == 302
    assert Event.objects.get(title_en="Pages test course").date == "2024-05"


@pytest.mark.parametrize(("lang", "words"), [("en", "I confirm the award"), ("uk", "Підтверджую")])
def test_an_award_is_confirmed_on_its_form(client: Client, lang: str, words: str) -> None:
    sps = manager_of_sps(client)
    grant = Grant.objects.create(
        programme=sps, reference="SPS-PAGES-0001", title_en="Pages grant", topic="cyber",
        beneficiary=Organization.objects.get(slug="ua"), ceiling_eur=Decimal(50_000),
        applicant=User.objects.get(username="ua-coordinator"), status=GrantStatus.UNDER_REVIEW,
        marking=Marking.PUBLIC,
    )  # fmt: skip
    GrantReview.objects.create(
        grant=grant, reviewer=User.objects.get(username="nato-approver"), score=4,
        recommendation="award", comment="Sound.",
    )  # fmt: skip
    url = f"/{lang}/programmes/grants/{grant.reference}/"
    assert words in client.get(url).content.decode()
    negative = client.post(url, {"action": "award", "amount_eur": "-5", "confirm": "on"})
    assert negative.status_code == 400
    grant.refresh_from_db()
    assert grant.status == GrantStatus.UNDER_REVIEW and grant.awarded_eur is None
    assert (
        client.post(url, {"action": "award", "amount_eur": "40000", "confirm": "on"}).status_code
        == 302
    )
    grant.refresh_from_db()
    assert (grant.status, grant.awarded_eur) == (GrantStatus.AWARDED, Decimal(40_000))
