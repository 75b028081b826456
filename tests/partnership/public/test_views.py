"""The public factsheet and timeline, in both languages, generated from the database."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils.html import escape

from partnership.framework.models import Milestone
from partnership.public.models import FactsheetParagraph, FactsheetSection

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "000_fac3e64f6ad963bc.txt"


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


@pytest.mark.parametrize(
    ("query", "named"),
    [("theme=<script>", "“&lt;script&gt;” is not a theme"), ("year=abc", "“abc” is not a year")],
)
def test_timeline_answers_a_bad_filter_with_an_error_not_everything(
    client: Client, query: str, named: str
) -> None:
    # Given a filter that means nothing; when the timeline is asked for it
    response = client.get(f"/en/timeline/?{query}")

    # Then it names what is wrong and lists no milestone (it used to list all 51)
    page = response.content.decode()
    assert response.status_code == 400
    assert named in page
    assert 'class="milestone ' not in page
    assert "<script>" not in page


def test_page_and_api_refuse_an_unknown_theme_alike(client: Client) -> None:
    page = client.get("/uk/timeline/?theme=war")
    api = client.get("/api/milestones?theme=war", HTTP_ACCEPT_LANGUAGE="uk")

    assert page.status_code == api.status_code == 400
    assert api.json()["code"] == "unknown_theme" and api.json()["field"] == "theme"
    assert api.json()["message"] in page.content.decode()
    assert "не є темою" in api.json()["message"]


def test_trust_fund_milestones_have_their_own_theme(client: Client) -> None:
    page = client.get("/en/timeline/?theme=trust_funds").content.decode()

    numbers = [int(n) for n in re.findall(r'data-number="(\d+)"', page)]
    assert numbers == [13, 25, 50, 51]
    assert "Trust funds" in page


def test_milestones_come_in_the_factsheets_order_on_every_page_and_the_api(
    client: Client,
) -> None:
    # Given the factsheet's own order: the milestone lines as they appear in it
    written = [
        line.strip().split(": ", 1)[0]
        for line in SEED.read_text(encoding="utf-8")
        .split("Milestones in relations", 1)[1]
        .split("\n")
        if re.match(r"^\s+[^:]{1,25}: ", line)
    ]
    assert len(written) == 51

    # When the factsheet, the timeline and the API list them
    for url in ("/en/", "/en/timeline/"):
        page = client.get(url).content.decode()
        dates = re.findall(r'<a class="date" href="[^"]+">([^<]+)</a>', page)
        # Then each lists them in the factsheet's order ("January 2015" before "29 January 2015")
        assert dates == written, url
    api = client.get("/api/milestones").json()
    assert [m["date_display"] for m in api] == written
    assert [m["number"] for m in api] == list(range(1, 52))


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


@pytest.mark.parametrize(
    ("language", "written", "label"),
    [
        ("en", "133,000 tons", "Conventional munitions to destroy"),
        ("en", "€25 million", "Projected cost of the demilitarization project"),
        ("en", "tripled", "Building Integrity"),
        ("uk", "1,5 мільйона", "Одиниць стрілецької зброї до знищення"),
        ("uk", "вісім", "Закладів військової освіти в програмі DEEP"),
    ],
)
def test_facts_and_figures_are_generated_from_the_figure_records(
    client: Client, language: str, written: str, label: str
) -> None:
    page = client.get(f"/{language}/").content.decode()
    figures = page.split('<section id="figures">', 1)[1].split("</section>", 1)[0]

    assert f"<dt>{escape(written)}</dt>" in figures
    assert label in figures
    assert figures.count('class="figure"') == 11


def test_the_api_gives_the_figures_in_the_factsheets_order(client: Client) -> None:
    figures = client.get("/api/figures", HTTP_ACCEPT_LANGUAGE="uk").json()

    lines = [f["source_line"] for f in figures]
    assert lines == sorted(lines) and len(figures) == 11
    mines = next(f for f in figures if f["key"] == "landmines-destroyed-donetsk")
    assert mines["written_en"] == "400,000" and float(mines["value"]) == 400000


def test_the_factsheet_lists_the_allies_of_its_own_day(client: Client) -> None:
    # Given the factsheet of 6 May 2015; when its page lists the Allies
    page = client.get("/en/").content.decode()
    allies = page.split('data-testid="allies">', 1)[1].split("</p>", 1)[0]

    # Then there are the 28 of that day: none who joined later
    assert "The 28 Allies on 6 May 2015" in page
    assert len(allies.split(", ")) == 28
    for later in ("Finland", "Sweden", "Montenegro", "North Macedonia"):
        assert later not in allies
    assert "Albania" in allies and "Croatia" in allies


def test_a_body_lists_its_members_as_of_the_date_asked(client: Client) -> None:
    today = client.get("/en/framework/bodies/nuc/").content.decode()
    in_2015 = client.get("/en/framework/bodies/nuc/?as_of=2015-05-06").content.decode()

    assert "Finland" in today.split('data-testid="members">', 1)[1].split("</dd>", 1)[0]
    members_2015 = in_2015.split('data-testid="members">', 1)[1].split("</dd>", 1)[0]
    assert "Finland" not in members_2015 and "Sweden" not in members_2015
    assert "Ukraine" in members_2015 and "North Atlantic Treaty Organization" in members_2015
    assert len(members_2015.split(", ")) == 30  # NATO, the 28 Allies and Ukraine
    bad = client.get("/uk/framework/bodies/nuc/?as_of=May-2015")
    assert bad.status_code == 400 and "не є датою" in bad.content.decode()


def test_the_api_gives_the_allies_on_a_date(client: Client) -> None:
    assert len(client.get("/api/allies?on=2015-05-06").json()) == 28
    assert len(client.get("/api/allies?on=2024-03-07").json()) == 32
    assert len(client.get("/api/allies?on=1949-08-24").json()) == 12


def test_a_fact_from_elsewhere_shows_its_source(client: Client) -> None:
    operation = client.get("/en/operations/ifor-sfor/").content.decode()
    deep = client.get("/uk/programmes/deep/").content.decode()
    nuc = client.get("/en/framework/bodies/nuc/").content.decode()

    assert "not in the factsheet" in operation and "topics_52122" in operation
    # The DEEP institutions' names have no source: not asserted as facts, but shown as demo.
    assert 'class="demo"' in deep and "five cities" not in deep
    assert "The Allies’ dates of membership are not in the factsheet" in nuc
    assert "NATO member countries" in nuc
