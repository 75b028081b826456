"""Refusals and missing pages are the site's own pages, translated, with the service's reason
and a way back; a service refusal a view lets through is a 403, never a server error."""

import pytest
from django.test import Client, RequestFactory

from partnership.core.exceptions import PermissionDeniedError
from partnership.core.middleware import PermissionErrorMiddleware
from partnership.core.models import User

pytestmark = pytest.mark.django_db


def test_a_refusal_in_ukrainian_gives_the_reason_in_the_layout(client: Client) -> None:
    # Given a viewer who may not manage people
    client.force_login(User.objects.get(username="ua-viewer"))

    # When they open the people page under /uk/
    response = client.get("/uk/organization/people/")

    # Then the 403 is the site's page, in Ukrainian, with the reason and the navigation
    page = response.content.decode()
    assert response.status_code == 403
    assert "Недозволено" in page and "може лише адміністратор цієї організації" in page
    assert 'href="/uk/framework/search/' in page and "ua-viewer" in page  # menu and session bar


def test_a_missing_page_in_english_is_in_the_layout(client: Client) -> None:
    response = client.get("/en/meetings/no-such-meeting-at-all/")

    page = response.content.decode()
    assert response.status_code == 404
    assert "Not found" in page and "not released to you" in page and 'class="top"' in page


def test_a_missing_page_in_ukrainian_is_translated(client: Client) -> None:
    response = client.get("/uk/no-such-page/")

    assert response.status_code == 404
    assert "Не знайдено" in response.content.decode()


def test_a_service_refusal_a_view_lets_through_is_a_403_with_its_reason() -> None:
    # Given a request whose view let a service's refusal through
    request = RequestFactory().get("/en/")
    request.user = User.objects.get(username="ua-viewer")
    middleware = PermissionErrorMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]

    # When the middleware sees the exception
    response = middleware.process_exception(
        request, PermissionDeniedError("Only the fund's manager approves this step.")
    )

    # Then it answers 403 with the reason, not 500
    assert response is not None and response.status_code == 403
    assert "Only the fund" in response.content.decode()
