"""An organization's administrator manages its people; nobody else can."""

import pytest
from django.test import Client

from partnership.core.models import User

pytestmark = pytest.mark.django_db


def test_administrator_adds_a_person_to_their_own_organization(client: Client) -> None:
    client.force_login(User.objects.get(username="nato-admin"))

    page = client.get("/en/organization/people/").content.decode()
    assert "nato-editor" in page and "ua-viewer" not in page

    response = client.post(
        "/en/organization/people/",
        {"username": "nato-analyst", "password": "analysis-desk-2026", "roles": ["viewer"]},
    )

    assert response.status_code == 302
    person = User.objects.get(username="nato-analyst")
    assert person.organization.slug == "nato-is" and person.roles == {"viewer"}


def test_a_role_the_organization_cannot_hold_is_explained(client: Client) -> None:
    client.force_login(User.objects.get(username="nato-admin"))

    response = client.post(
        "/uk/organization/people/",
        {"username": "x-assessor", "password": "analysis-desk-2026", "roles": ["assessor"]},
    )

    assert response.status_code == 200
    assert "Роль оцінювача можуть мати лише" in response.content.decode()
    assert not User.objects.filter(username="x-assessor").exists()


def test_people_page_is_for_administrators_only(client: Client) -> None:
    client.force_login(User.objects.get(username="nato-editor"))

    assert client.get("/en/organization/people/").status_code == 403
