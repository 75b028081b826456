"""The public factsheet and timeline, in both languages, generated from the database."""

import pytest
from django.test import Client
from django.utils.html import escape

from partnership.framework.models import Milestone
from partnership.public.models import FactsheetParagraph, FactsheetSection

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "uk"])
def test_public_factsheet_contains_every_milestone(client: Client, language: str) -> None:
    page = client.get(f"/{language}/").content.decode()

    for milestone in Milestone.objects.all():
        text = milestone.text_en if language == "en" else milestone.text_uk
        date = milestone.partial_date.render(language)
        assert f'data-number="{milestone.number}"' in page
        assert f">{date}</a>" in page, (milestone.number, date)
        assert escape(text) in page, milestone.number


def test_public_factsheet_carries_every_section(client: Client) -> None:
    english = client.get("/en/").content.decode()
    ukrainian = client.get("/uk/").content.decode()

    for section in FactsheetSection.objects.all():
        assert escape(section.title_en) in english and escape(section.title_uk) in ukrainian
    for paragraph in FactsheetParagraph.objects.all():
        assert escape(paragraph.text_en) in english
        assert escape(paragraph.text_uk or paragraph.text_en) in ukrainian
    assert not FactsheetParagraph.objects.filter(text_uk="").exists()
    assert "Хартія про особливе партнерство між НАТО та Україною" in ukrainian
    assert 'lang="uk"' in ukrainian


def test_factsheet_changes_when_the_data_changes(client: Client) -> None:
    milestone = Milestone.objects.get(number=36)
    milestone.text_en = "A memorandum on Air Situation Data Exchange is signed (corrected)."
    milestone.save()

    assert "(corrected)" in client.get("/en/").content.decode()


def test_timeline_filters_by_year_and_theme(client: Client) -> None:
    page = client.get("/en/timeline/?year=2014").content.decode()
    assert page.count('class="milestone ') == 7
    assert "4-5 September 2014" in page and "April and June 2014" in page

    page = client.get("/uk/timeline/?year=2005&theme=civil_emergency").content.decode()
    assert page.count('class="milestone ') == 1
    assert "Спільна допомога 2005" in page and "Жовтень 2005" in page


def test_timeline_ignores_a_bad_filter(client: Client) -> None:
    page = client.get("/en/timeline/?year=abc&theme=<script>").content.decode()

    assert page.count('class="milestone ') == 51
    assert "<script>" not in page


def test_milestone_page_shows_source_and_history(client: Client) -> None:
    page = client.get("/en/milestones/44/").content.decode()

    assert "2014-09-04/2014-09-05" in page
    assert "Factsheet, line 245" in page
    assert "History" in page and "Created" in page


def test_root_redirects_to_a_language(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="uk")

    assert response.status_code == 302 and response["Location"] == "/uk/"


def test_search_page_finds_records_in_either_language(client: Client) -> None:
    page = client.get("/uk/framework/search/?q=Уельс").content.decode()

    assert "4–5 вересня 2014" in page
    page = client.get("/en/framework/search/?q=Strategic Airlift").content.decode()
    assert "/en/framework/agreements/strategic-airlift/" in page
    assert "3 results" in page  # the agreement and the two milestones (signed, ratified)
    page = client.get("/en/framework/search/?q=Demo").content.decode()
    assert "Demo:" not in page  # only public records for anonymous visitors
