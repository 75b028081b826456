"""The search page and the API's search."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from partnership.core.models import Marking, User
from partnership.search import selectors as search_selectors
from partnership.search.registry import BY_KEY
from partnership.trustfunds.models import Project

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "query", "kind"),
    [("en", "landmines", "project"), ("uk", "ХАРТІЯ", "agreement")],
)
def test_the_page_shows_kind_title_and_marked_snippet(
    client: Client, language: str, query: str, kind: str
) -> None:
    page = client.get(f"/{language}/framework/search/", {"q": query}).content.decode()
    assert "<mark>" in page
    with translation.override(language):
        assert f'class="search-kind">{BY_KEY[kind].label}<' in page


def test_the_page_narrows_to_a_kind_and_pages_through_hits(client: Client) -> None:
    client.force_login(User.objects.get(username="nato-editor"))
    all_kinds = client.get("/en/framework/search/", {"q": "demo"}).content.decode()
    measures = client.get("/en/framework/search/", {"q": "demo", "kind": "measure"})
    text = measures.content.decode()
    assert 'class="search-kind">Measure' in text
    assert 'class="search-kind">Grant' not in text and 'class="search-kind">Grant' in all_kinds
    second = client.get("/en/framework/search/", {"q": "demo", "kind": "measure", "page": 2})
    assert second.status_code == 200 and 'start="26"' in second.content.decode()
    assert "kind=measure" in text  # the pages keep the narrowing


def test_an_unknown_kind_on_the_page_searches_every_kind(client: Client) -> None:
    page = client.get("/en/framework/search/", {"q": "charter", "kind": "<b>"})
    assert page.status_code == 200 and "<b>" not in page.content.decode()


def test_the_api_gives_hits_of_every_kind_with_url_and_plain_snippet(client: Client) -> None:
    found = client.get("/api/search", {"q": "landmines"}).json()
    project = next(h for h in found["hits"] if h["kind"] == "project")
    assert "/trust-funds/projects/demilitarization-landmines/" in project["url"]
    milestone = next(h for h in found["hits"] if h["kind"] == "milestone")
    assert "landmines" in milestone["snippet"] and "<mark>" not in milestone["snippet"]


def test_the_api_narrows_by_kind_and_limits(client: Client) -> None:
    found = client.get("/api/search", {"q": "Ukraine", "kind": "milestone", "limit": 3}).json()
    assert len(found["hits"]) == 3 and {h["kind"] for h in found["hits"]} == {"milestone"}


@pytest.mark.parametrize("url", ["/en/framework/search/", "/uk/framework/search/", "/api/search"])
def test_a_record_deleted_between_the_search_and_the_page_is_left_out(
    client: Client, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    # Given the search finds the demilitarization project and the milestones on landmines
    project = Project.objects.get(slug="demilitarization-landmines")
    real_search = search_selectors.search

    def search_then_hide(**kwargs: Any) -> list[search_selectors.Hit]:
        hits = real_search(**kwargs)
        # When the project is re-marked NATO-only after its id passed the check
        Project.objects.filter(pk=project.pk).update(marking=Marking.NATO)
        return hits

    monkeypatch.setattr(search_selectors, "search", search_then_hide)
    client.force_login(User.objects.get(username="ua-viewer"))
    response = client.get(url, {"q": "landmines"})
    # Then the page is shown without it, not a server error
    assert response.status_code == 200
    assert "/trust-funds/projects/demilitarization-landmines/" not in response.content.decode()
    if url.startswith("/api"):
        assert response.json()["hits"], "the other hits are still given"
    else:
        assert 'class="search-hit"' in response.content.decode()
