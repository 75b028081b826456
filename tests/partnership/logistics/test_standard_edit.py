"""One standard and where Ukraine stands with it, edited through the page, the API and the
service alike; links only to records the editor may see."""

from __future__ import annotations

import pytest
from django.test import Client

from partnership.core.exceptions import ApplicationError
from partnership.core.models import Marking, Organization, User
from partnership.logistics import services
from partnership.logistics.models import Standard, StandardAdoption
from partnership.programmes.models import PartnershipGoal
from partnership.trustfunds.models import Project
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def _data(standard: Standard, **changes: str) -> services.StandardData:
    values = {
        "number": standard.number, "kind": standard.kind, "title_en": standard.title_en,
        "area": standard.area, "edition": standard.edition, "title_uk": standard.title_uk,
        "custodian": standard.custodian, "marking": standard.marking,
    }  # fmt: skip
    values.update(changes)
    return services.StandardData(**values)  # type: ignore[arg-type]


def test_a_corrected_title_is_saved_and_the_history_keeps_the_old_one(logistics: None) -> None:
    # Given a standard and an editor
    standard = Standard.objects.order_by("pk").first()
    assert standard is not None
    old_title = standard.title_en
    editor = User.objects.get(username="ua-logistician")

    # When the editor corrects its title
    services.standard_update(by=editor, standard=standard, data=_data(standard, title_en="Fixed"))

    # Then the standard has the new title and its history the old one
    standard.refresh_from_db()
    assert standard.title_en == "Fixed"
    assert old_title in list(standard.history.values_list("title_en", flat=True))


def test_an_edition_already_recorded_is_refused_naming_the_number(logistics: None) -> None:
    first, second = Standard.objects.order_by("pk")[:2]
    editor = User.objects.get(username="ua-logistician")

    with pytest.raises(ApplicationError) as refusal:
        services.standard_update(
            by=editor, standard=second, data=_data(second, number=first.number,
                                                   edition=first.edition),
        )  # fmt: skip

    assert refusal.value.field == "number"
    second.refresh_from_db()
    assert second.number != first.number or second.edition != first.edition


def test_an_adoption_cannot_point_at_a_record_its_editor_may_not_see(logistics: None) -> None:
    # Given a Partnership Goal released to NATO only, and a Ukrainian editor
    hidden = PartnershipGoal.objects.create(
        code="PG-NATO-ONLY", title_en="NATO only", cycle=2026, marking=Marking.NATO
    )
    standard = Standard.objects.order_by("pk").first()
    assert standard is not None
    editor = User.objects.get(username="ua-logistician")

    # When the editor links it to Ukraine's adoption of a standard
    with pytest.raises(ApplicationError) as refusal:
        services.standard_adoption_set(
            by=editor, standard=standard, nation=Organization.objects.get(slug="ua"),
            data=services.AdoptionData(status="studied", studied="2025"),
            partnership_goals=[hidden],
        )  # fmt: skip

    # Then it is refused naming the field, and nothing was saved
    assert refusal.value.field == "partnership_goals"
    assert not hidden.standard_adoptions.exists()


def test_the_editor_records_where_ukraine_stands_through_the_page_in_ukrainian(
    logistics: None,
) -> None:
    # Given an editor on the adoption page of a standard
    standard = Standard.objects.order_by("pk").first()
    assert standard is not None
    project = Project.objects.filter(marking=Marking.PUBLIC).order_by("pk").first()
    assert project is not None
    client = _client("ua-logistician")
    url = f"/uk/logistics/standards/{standard.pk}/adoption/ua/"
    assert client.get(url).status_code == 200

    # When they record it ratified in a quarter written in Ukrainian, served by a project
    response = client.post(url, {
        "status": "ratified", "ratified": "III квартал 2025", "marking": Marking.NATIONS,
        "nations": ["UA"], "projects": [project.pk],
    })  # fmt: skip

    # Then it is saved as EDTF with the link, and the standard's page shows the project
    assert response.status_code == 302
    adoption = StandardAdoption.objects.get(standard=standard, nation__slug="ua")
    assert adoption.ratified == "2025-35" and list(adoption.projects.all()) == [project]
    assert project.title in client.get(f"/uk/logistics/standards/{standard.pk}/").content.decode()


def test_a_viewer_is_refused_the_edit_page_with_the_reason(logistics: None) -> None:
    standard = Standard.objects.order_by("pk").first()
    assert standard is not None

    response = _client("ua-viewer").get(f"/uk/logistics/standards/{standard.pk}/edit/")

    assert response.status_code == 403
    assert "може лише редактор" in response.content.decode()


def test_the_api_sets_links_by_key_and_refuses_a_hidden_one_alike(logistics: None) -> None:
    # Given a standard, a visible project and a NATO-only Partnership Goal
    standard = Standard.objects.order_by("pk").first()
    assert standard is not None
    project = Project.objects.filter(marking=Marking.PUBLIC).order_by("pk").first()
    assert project is not None
    PartnershipGoal.objects.create(
        code="PG-NATO-ONLY", title_en="NATO only", cycle=2026, marking=Marking.NATO
    )
    client = _client("ua-logistician")
    url = f"/api/logistics/standards/{standard.pk}/adoptions/ua"

    # When the editor sets the adoption with the project, then with the hidden goal
    done = client.put(url, {"status": "implemented", "implemented": "2026-03",
                            "projects": [project.slug]}, content_type="application/json")  # fmt: skip
    hidden = client.put(url, {"status": "implemented", "implemented": "2026-03",
                              "partnership_goals": ["PG-NATO-ONLY"]},
                        content_type="application/json")  # fmt: skip
    unknown = client.put(url, {"status": "implemented", "implemented": "2026-03",
                               "partnership_goals": ["PG-NO-SUCH"]},
                         content_type="application/json")  # fmt: skip

    # Then the first is saved; a hidden and an unknown goal get the same refusal
    assert done.status_code == 200 and done.json()["projects"] == [project.slug]
    assert hidden.status_code == unknown.status_code == 400
    assert hidden.json() == unknown.json()
