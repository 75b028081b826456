"""A project's page and donor report write numbers and dates one way per language: the charts
as the tables beside them, the dates in the site's one style."""

from __future__ import annotations

import itertools
import re

import pytest
from django.test import Client

from partnership.core.models import User

pytestmark = pytest.mark.django_db

PROJECT = "/{language}/trust-funds/projects/demilitarization-munitions/"
# A figure of a thousand or more written the English way ("1,234"), or the Ukrainian way.
ENGLISH_GROUPED = re.compile(r"\d,\d{3}")
UKRAINIAN_GROUPED = re.compile(r"\d\xa0\d{3}")
MONTHS_SHORT = re.compile(r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.")


def page(language: str) -> str:
    client = Client()
    client.force_login(User.objects.get(username="nato-editor"))
    response = client.get(PROJECT.format(language=language))
    assert response.status_code == 200
    return response.content.decode()


def charts_of(html: str) -> str:
    """The text the charts write (not their coordinates, "83.0,182.3")."""
    svgs = "".join(re.findall(r"<svg .*?</svg>", html, re.S))
    return " | ".join(re.findall(r">([^<>]+)<", svgs))


def test_the_ukrainian_charts_group_thousands_as_the_ukrainian_tables_do() -> None:
    # Given the demilitarization project read in Ukrainian
    html = page("uk")
    charts = charts_of(html)
    # then its charts and its tables group thousands with spaces, never with commas
    assert charts, "the project page draws its charts"
    assert UKRAINIAN_GROUPED.search(charts)
    assert not ENGLISH_GROUPED.search(charts)
    assert UKRAINIAN_GROUPED.search(html)


def test_the_english_charts_group_thousands_with_commas() -> None:
    # Given the same project read in English, its charts write "25,000,000"
    charts = charts_of(page("en"))
    assert ENGLISH_GROUPED.search(charts)
    assert not UKRAINIAN_GROUPED.search(charts)


@pytest.mark.parametrize("language", ["en", "uk"])
def test_the_burn_down_years_run_evenly(language: str) -> None:
    # Given the project's burn-down chart
    svgs = "".join(re.findall(r"<svg .*?</svg>", page(language), re.S))
    years = [int(y) for y in re.findall(r'text-anchor="middle">((?:19|20)\d\d)</text>', svgs)]
    # then its years rise at one step, with no jump
    assert len(years) >= 2
    assert len({b - a for a, b in itertools.pairwise(years)}) == 1


@pytest.mark.parametrize("language", ["en", "uk"])
def test_dates_are_written_in_the_sites_one_style(language: str) -> None:
    # Given the project's page, its dates are never "Dec. 15, 2026" nor "2026-12-15"
    html = page(language)
    main = html[html.index("<main") : html.index("</main>")]
    assert not MONTHS_SHORT.search(main)
    assert not re.search(r">\s*\d{4}-\d{2}-\d{2}\s*<", main)
