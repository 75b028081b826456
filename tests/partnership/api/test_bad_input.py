"""The inputs that gave server errors (found by schemathesis): each is now a client error or an
empty answer, with a reason."""

import pytest
from django.test import Client

from partnership.core.models import User
from partnership.core.services import api_token_create

pytestmark = pytest.mark.django_db


def bearer(username: str) -> dict[str, str]:
    _token, raw = api_token_create(user=User.objects.get(username=username), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("year", ["10000", "²", "0", "-5", "٣"])
def test_a_year_no_date_can_have_is_refused_on_the_timeline_naming_it(
    client: Client, year: str
) -> None:
    response = client.get("/en/timeline/", {"year": year})
    assert response.status_code == 400
    assert f"“{year}” is not a year" in response.content.decode()


@pytest.mark.parametrize("year", ["0", "10000", "-1"])
def test_the_api_answers_an_impossible_year_with_no_milestones(client: Client, year: str) -> None:
    response = client.get("/api/milestones", {"year": year})
    assert response.status_code == 200
    assert response.json() == []


def test_an_id_beyond_64_bits_in_bulk_status_is_a_400(client: Client) -> None:
    response = client.post(
        "/api/action-items/bulk-status",
        {"ids": [10**30], "status": "done"},
        content_type="application/json",
        **bearer("nato-editor"),
    )
    # SQLite's driver cannot take the number (400); PostgreSQL's backend finds no such row (404).
    assert response.status_code in (400, 404, 422)
    assert response.json()["message"]


def test_an_id_beyond_64_bits_in_a_page_form_is_ignored(client: Client) -> None:
    client.force_login(User.objects.get(username="nato-editor"))
    response = client.post(
        "/en/framework/action-items/", {"items": ["9" * 40, "²"], "new_status": "done"}
    )
    assert response.status_code in (200, 302)


def test_a_multipart_body_without_boundary_is_a_400(client: Client) -> None:
    response = client.generic(
        "POST",
        "/api/anp/2015/import",
        b"--x\r\n",
        content_type="multipart/form-data",
        **bearer("ua-coordinator"),
    )
    assert response.status_code == 400
    page = Client()
    page.force_login(User.objects.get(username="ua-coordinator"))
    form = page.generic("POST", "/en/anp/import/", b"--x\r\n", content_type="multipart/form-data")
    assert form.status_code == 400


def test_an_over_long_path_id_is_a_client_error(client: Client) -> None:
    assert client.get(f"/api/anp/measures/{'9' * 30}").status_code in (400, 404, 422)
    assert client.get(f"/api/milestones/{'9' * 30}").status_code in (400, 404, 422)
    assert client.get(f"/en/milestones/{'9' * 30}/").status_code in (400, 404)
