"""SVG charts (`core/charts.py`): numbers as the language writes them, whole labels, year axes
without gaps or overlaps, no rows of nothing."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pytest
from django.utils import translation

from partnership.core import charts
from partnership.trustfunds.report import donor_chart

CHAPTER = (
    "1. Політичні та економічні питання, зокрема демократичні інституції та верховенство права"
)


def axis_labels(svg: str) -> list[tuple[float, str]]:
    """The x-axis labels of a line chart: (x, text), left to right."""
    found = re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle">([^<]+)</text>', svg)
    return [(float(x), text) for x, text in found]


@pytest.mark.parametrize(
    ("language", "written", "foreign"),
    [("en", "25,000,000", "25\xa0000\xa0000"), ("uk", "25\xa0000\xa0000", "25,000,000")],
)
def test_a_charts_numbers_are_written_as_the_pages_write_them(
    language: str, written: str, foreign: str
) -> None:
    # Given a line reaching €25 million, when drawn under each language
    with translation.override(language):
        svg = charts.line_chart(
            [("Received", "#000", [(2015.0, 0.0), (2020.0, 25_000_000.0)])], title="t"
        )
    # then its axis groups thousands the way the tables beside it do
    assert written in svg
    assert foreign not in svg


def test_a_long_chapter_name_is_wrapped_never_cut() -> None:
    # Given a chapter with a long Ukrainian name, when drawn as a status bar
    shares = [{"status": "done", "label": "Виконано", "count": 3, "share": 100}]
    svg = charts.status_bars([(CHAPTER, shares)], title="t", width=390)
    # then every word of the name is in the chart, over several lines, and nothing is elided
    spans = re.findall(r"<tspan [^>]*>([^<]*)</tspan>", svg)
    assert len(spans) > 1
    assert " ".join(spans) == CHAPTER
    assert "…" not in svg


def test_each_wrapped_line_fits_the_chart() -> None:
    # Given a narrow chart, when a long label is wrapped
    lines = charts.wrap(CHAPTER, 300)
    # then no line is wider than the space it has
    assert all(len(line) * charts.CHAR_W <= 300 for line in lines)


def test_the_year_axis_has_every_year_or_an_even_step() -> None:
    # Given a burn-down from 2014 to late 2026, when its years are chosen
    ticks = charts.year_ticks(2014.0, 2026.9, plot_w=550)
    # then they run without a jump, at one even step
    steps = {b - a for a, b in itertools.pairwise(ticks)}
    assert ticks[0] <= 2015 and ticks[-1] >= 2025
    assert len(steps) == 1


def test_year_labels_never_overlap_on_a_narrow_chart() -> None:
    # Given thirteen years on a phone-wide chart, when drawn
    points = [(2014 + m / 12, float(m)) for m in range(0, 156)]
    svg = charts.line_chart([("Used", "#000", points)], title="t", width=390)
    labels = axis_labels(svg)
    # then each year label ends before the next begins
    assert len(labels) >= 3
    for (x_a, a), (x_b, b) in itertools.pairwise(labels):
        assert x_a + len(a) * charts.CHAR_W / 2 < x_b - len(b) * charts.CHAR_W / 2


def test_value_bars_leave_out_rows_of_nothing() -> None:
    # Given a donor that has paid nothing yet, when the bars are drawn
    svg = charts.value_bars([("Norway", 10.0, "€10"), ("Latvia", 0.0, "€0")], title="t")
    # then only the donor that paid has a bar
    assert "Norway" in svg
    assert "Latvia" not in svg


def test_a_donor_giving_in_two_currencies_has_one_bar() -> None:
    # Given a donor's rows in euros and in its own currency (the table keeps both)
    donors = [
        {"donor": "Norway", "currency": "EUR", "payment_eur": Decimal("1000000")},
        {"donor": "Norway", "currency": "NOK", "payment_eur": Decimal("0")},
        {"donor": "Norway", "currency": "USD", "payment_eur": Decimal("500000")},
    ]
    # when the chart of money received is drawn in English
    with translation.override("en"):
        svg = donor_chart(donors)
    # then the donor appears once, with its total, and no €0 bar
    assert svg.count(">Norway<") == 1
    assert "€1,500,000" in svg
    assert "€0<" not in svg
