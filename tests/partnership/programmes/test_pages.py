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


# ---- corrections: an event edited and withdrawn, an application edited and withdrawn --------


def recorded_event(client: Client, lang: str = "en") -> Event:
    sps = manager_of_sps(client)
    assert (
        client.post(f"/{lang}/programmes/{sps.slug}/events/new/", event([row(6)])).status_code
        == 302
    )
    return Event.objects.get(title_en="Pages test course")


@pytest.mark.parametrize(("lang", "words"), [("en", "Edit the event"), ("uk", "Редагувати подію")])
def test_a_manager_edits_an_event_adding_rows_on_its_page(
    client: Client, lang: str, words: str
) -> None:
    # Given a recorded event, whose page offers its manager to edit it
    e = recorded_event(client, lang)
    page = f"/{lang}/programmes/sps/events/{e.pk}/"
    assert 'data-testid="edit"' in client.get(page).content.decode()
    # When the manager opens the form, it holds the event as recorded, its one row filled in
    form = client.get(page + "edit/").content.decode()
    assert words in form and 'value="Pages test course"' in form
    # ... and sends it corrected with two rows
    data = event([row(3), {**row(3), "sex": "male"}], title="Pages course corrected")
    assert client.post(page + "edit/", data).status_code == 302
    # Then the event and its table are the corrected ones, and the page says so
    e.refresh_from_db()
    assert e.title_en == "Pages course corrected"
    assert sorted(p.sex for p in e.participation.all()) == ["female", "male"]
    assert "Pages course corrected" in client.get(page).content.decode()


def test_a_duplicate_row_in_a_correction_is_a_field_error(client: Client) -> None:
    e = recorded_event(client)
    response = client.post(
        f"/en/programmes/sps/events/{e.pk}/edit/", event([row(3), row(3)], title="Not saved")
    )
    assert response.status_code == 200 and "Two rows count" in response.content.decode()
    e.refresh_from_db()
    assert e.title_en == "Pages test course"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Tick the box to confirm the withdrawal"), ("uk", "Позначте поле, щоб підтвердити")],
)
def test_withdrawing_an_event_asks_for_the_confirmation_and_keeps_it_marked(
    client: Client, lang: str, words: str
) -> None:
    e = recorded_event(client, lang)
    url = f"/{lang}/programmes/sps/events/{e.pk}/withdraw/"
    # Without the box ticked nothing is withdrawn, and the form says why
    refused = client.post(url, {"reason": "Recorded twice"})
    assert refused.status_code == 400 and words in refused.content.decode()
    # ... without the box's sentence put before the error as if it were a field's name
    assert ".: " not in refused.content.decode() and ".:</span>" not in refused.content.decode()
    e.refresh_from_db()
    assert not e.withdrawn
    # With it, the event leaves the programme's list and is kept, marked, for its manager
    assert client.post(url, {"reason": "Recorded twice", "confirm": "on"}).status_code == 302
    programme_page = client.get(f"/{lang}/programmes/sps/").content.decode()
    assert 'data-testid="withdrawn-events"' in programme_page
    kept = client.get(f"/{lang}/programmes/sps/events/{e.pk}/").content.decode()
    assert 'data-testid="withdrawn"' in kept and "Recorded twice" in kept
    assert 'data-testid="edit"' not in kept
    # ... and is not found by others
    client.force_login(User.objects.get(username="ua-viewer"))
    assert client.get(f"/{lang}/programmes/sps/events/{e.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Only the programme&#x27;s managers"), ("uk", "лише керівники програми")],
)
def test_someone_else_is_refused_the_event_pages_with_the_reason(
    client: Client, lang: str, words: str
) -> None:
    e = recorded_event(client, lang)
    client.force_login(User.objects.get(username="ua-coordinator"))
    for page in ("edit/", "withdraw/"):
        refused = client.get(f"/{lang}/programmes/sps/events/{e.pk}/{page}")
        assert refused.status_code == 403 and words in refused.content.decode(), page


def applied(client: Client) -> Grant:
    client.force_login(User.objects.get(username="ua-coordinator"))
    data = {
        "title_en": "Pages application", "topic": "cyber",
        "beneficiary": Organization.objects.get(slug="ua").pk, "ceiling_eur": "80000",
        "period": "2027/2028", "summary_en": "Sensors.", "marking": Marking.PUBLIC,
    }  # fmt: skip
    assert client.post("/en/programmes/sps/grants/apply/", data).status_code == 302
    return Grant.objects.get(title_en="Pages application")


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_applicant_edits_and_withdraws_an_application_on_its_pages(
    client: Client, lang: str
) -> None:
    grant = applied(client)
    page = f"/{lang}/programmes/grants/{grant.reference}/"
    assert 'data-testid="withdraw-link"' in client.get(page).content.decode()
    form = client.get(page + "edit/").content.decode()
    assert 'value="Pages application"' in form
    data = {
        "title_en": "Pages application corrected", "topic": "cyber",
        "beneficiary": grant.beneficiary_id, "ceiling_eur": "60000", "period": "2027/2028",
        "summary_en": "Sensors.", "marking": Marking.PUBLIC,
    }  # fmt: skip
    assert client.post(page + "edit/", data).status_code == 302
    grant.refresh_from_db()
    assert (grant.title_en, grant.ceiling_eur) == ("Pages application corrected", Decimal(60_000))
    assert client.post(page + "withdraw/", {"reason": "Funded", "confirm": "on"}).status_code == 302
    grant.refresh_from_db()
    assert grant.withdrawn and 'data-testid="withdrawn"' in client.get(page).content.decode()


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "reviewer&#x27;s recommendation"), ("uk", "рекомендацію рецензента")]
)
def test_a_reviewed_application_is_refused_on_its_form_and_to_others_with_a_403(
    client: Client, lang: str, words: str
) -> None:
    grant = applied(client)
    Grant.objects.filter(pk=grant.pk).update(status=GrantStatus.UNDER_REVIEW)
    GrantReview.objects.create(
        grant=grant, reviewer=User.objects.get(username="ally-assessor"), score=4,
        recommendation="award", comment="Sound.",
    )  # fmt: skip
    # The applicant: the state is the refusal's reason, shown on the form
    refused = client.post(
        f"/{lang}/programmes/grants/{grant.reference}/withdraw/",
        {"reason": "Late", "confirm": "on"},
    )
    assert refused.status_code == 400 and words in refused.content.decode()
    grant.refresh_from_db()
    assert not grant.withdrawn
    # Someone else: not theirs to change, the 403 page says so
    client.force_login(User.objects.get(username="nato-editor"))
    other = client.get(f"/{lang}/programmes/grants/{grant.reference}/edit/")
    assert other.status_code == 403
