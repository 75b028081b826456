"""The generated factsheet against the factsheet itself: every sentence in English, every
number and date in Ukrainian, and Ukrainian dates in the case their preposition governs."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.test import Client

from partnership.core.glossary import ukrainian_problems

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[3].parent / "shared" / "seeds" / "000_fac3e64f6ad963bc.txt"
needs_seed = pytest.mark.skipif(
    not SEED.exists(), reason="the shared factsheet is not beside the repository"
)

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# Stems every case of a Ukrainian month name starts with (травень, травня, травні).
MONTH_STEMS_UK = [
    "січ",
    "лют",
    "берез",
    "квіт",
    "трав",
    "черв",
    "лип",
    "серп",
    "верес",
    "жовт",
    "листопад",
    "груд",
]
NOMINATIVE_UK = [
    "січень",
    "лютий",
    "березень",
    "квітень",
    "травень",
    "червень",
    "липень",
    "серпень",
    "вересень",
    "жовтень",
    "листопад",
    "грудень",
]


def normalised(text: str) -> str:
    return " ".join(text.split())


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
HIDDEN = {"script", "style", "nav", "header", "footer", "select"}


class _Text(HTMLParser):
    """The visible text of a page's main content and the links it holds; with `skip_english`,
    without what the page itself marks as English (`lang="en"`, such as a quoted source)."""

    def __init__(self, skip_english: bool = False) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._stack: list[bool] = []
        self._skip_english = skip_english

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("href") and tag == "a":
            self.links.append(str(found["href"]))
        if tag in VOID:
            return
        hidden = tag in HIDDEN or (self._skip_english and found.get("lang") == "en")
        self._stack.append(hidden)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not any(self._stack):
            self.parts.append(data)


def page_text(content: str, *, skip_english: bool = False) -> tuple[str, list[str]]:
    parser = _Text(skip_english)
    parser.feed(content)
    return normalised(html.unescape("".join(parser.parts))), parser.links


def seed_lines() -> list[str]:
    """The factsheet's lines with text, without their bullets."""
    lines = [normalised(line.replace("•", "")) for line in SEED.read_text("utf-8").split("\n")]
    return [line for line in lines if line]


def english_numbers(text: str) -> set[str]:
    """Numbers as the factsheet writes them, in one form: "400,000" -> "400000", "1.5"."""
    found = set()
    for number in re.findall(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?", text):
        found.add(number.replace(",", ""))
    return found


def ukrainian_numbers(text: str) -> set[str]:
    """Numbers as Ukrainian writes them: "400 000" (with a space or a no-break space), "1,5";
    each group alone counts too, since "2002–2003" holds two numbers."""
    found = set()
    for number in re.findall(r"\d+(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?", text):
        found.add(re.sub(r"[ \u00a0\u202f]", "", number).replace(",", "."))
        found.update(re.findall(r"\d+", number))
    return found


@needs_seed
def test_every_sentence_of_the_factsheet_is_on_the_english_page_in_order(client: Client) -> None:
    # Given the factsheet's text; when the English factsheet page is generated
    text, _links = page_text(client.get("/en/").content.decode())

    # Then each of its lines is there, whitespace aside, and after the line before it
    missing = [line for line in seed_lines() if line not in text]
    assert missing == []
    cursor, out_of_order = 0, []
    for line in seed_lines():
        found = text.find(line, cursor)
        if found < 0:
            out_of_order.append(line)
        else:
            cursor = found + len(line)
    assert out_of_order == []


@needs_seed
def test_every_number_and_date_of_the_factsheet_is_on_the_ukrainian_page(client: Client) -> None:
    source = "\n".join(seed_lines())
    text, _links = page_text(client.get("/uk/").content.decode())

    missing_numbers = english_numbers(source) - ukrainian_numbers(text)
    assert missing_numbers == set()
    # Each "May 2000" or "2 March 2014" of the factsheet: that month (in any case) and year.
    missing_dates = []
    for day, month, year in re.findall(rf"(\d{{1,2}} )?({'|'.join(MONTHS_EN)}) (\d{{4}})", source):
        stem = MONTH_STEMS_UK[MONTHS_EN.index(month)]
        if not re.search(rf"{day}{stem}\w* {year}", text, re.IGNORECASE):
            missing_dates.append(f"{day}{month} {year}")
    assert missing_dates == []


def ukrainian_pages(client: Client, limit: int = 400) -> Iterator[tuple[str, str]]:
    """Every page an anonymous visitor reaches from the Ukrainian factsheet, with its text."""
    queue, seen = ["/uk/"], {"/uk/"}
    while queue and len(seen) <= limit:
        url = queue.pop(0)
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        text, links = page_text(response.content.decode(), skip_english=True)
        yield url, text
        for link in links:
            link = link.split("#", 1)[0]
            if link.startswith("/uk/") and link not in seen and "/accounts/" not in link:
                seen.add(link)
                queue.append(link)


def test_no_ukrainian_page_has_a_nominative_month_after_a_preposition(client: Client) -> None:
    # "з Липень 1997" is wrong: "з" governs the genitive (з липня), "у" the locative (у липні).
    # "бл." (близько, about) governs the genitive too: "бл. грудня 2008".
    pattern = re.compile(
        rf"(?:\b(?:з|із|зі|у|в|від|до)|бл\.)\s+(?:{'|'.join(NOMINATIVE_UK)})\b", re.I
    )
    found = []
    pages = 0
    for url, text in ukrainian_pages(client):
        pages += 1
        found.extend(
            f"{url}: …{text[max(0, m.start() - 40) : m.end() + 10]}…"
            for m in pattern.finditer(text)
        )
    assert pages > 20  # the factsheet, timeline, milestones, bodies, agreements, programmes…
    assert found == []


def test_ukrainian_pages_write_acronyms_and_names_as_the_glossary_does(client: Client) -> None:
    # Given the glossary ("NUC" is "КУН" in Ukrainian); when every Ukrainian page is read,
    # leaving out what a page marks as English (the factsheet's own sentence, quoted)
    found = [
        f"{url}: {problem}"
        for url, text in ukrainian_pages(client)
        for problem in ukrainian_problems(text)
    ]

    # Then none writes an English acronym that has a Ukrainian form, or a replaced name
    assert found == []
