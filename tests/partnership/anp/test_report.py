"""The report to the NUC says what the data say, in both languages (text read back from the PDF)."""

import html
import io
import re
import shutil
import subprocess
from typing import Any

import pytest
from pypdf import PdfReader

from partnership.anp import report, selectors
from partnership.core.models import User
from tests.partnership.printed import header_problems, table_headers

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_pdf_holds_chapters_statuses_allied_ratings_and_disagreements() -> None:
    viewer = User.objects.get(username="ua-viewer")
    programme = selectors.programme_get(user=viewer, year=2015)
    assert programme is not None
    text = " ".join(
        text_of(report.render_pdf(user=viewer, programme=programme, language="en")).split()
    )
    assert "Annual National Programme 2015" in text
    assert "Defence and military issues" in text
    # The demo's Allied rating of chapter 2 is 1 while most of its measures are done.
    summary = {
        r["chapter"].number: r for r in selectors.chapter_summary(user=viewer, programme=programme)
    }
    assert summary[2]["disagree"]
    assert "disagree in this chapter" in text
    assert "Demo: priorities recommended for chapter 2." in text
    assert f"{summary[2]['shares'][0]['share']}%" in text


def test_the_ukrainian_report_is_in_ukrainian() -> None:
    viewer = User.objects.get(username="ua-viewer")
    programme = selectors.programme_get(user=viewer, year=2015)
    assert programme is not None
    text = " ".join(
        text_of(report.render_pdf(user=viewer, programme=programme, language="uk")).split()
    )
    assert "Річна національна програма 2015" in text
    assert "Оборонні та військові питання" in text
    assert "Оцінка союзників" in text


def _one_chapter_and_one_measure_assessed() -> tuple[Any, User]:
    """A fresh approved year where the Allies rated chapter 2 and one measure only."""
    from decimal import Decimal

    from partnership.anp import services
    from partnership.core.models import Organization

    coordinator = User.objects.get(username="ua-coordinator")
    programme = services.programme_create(by=coordinator, year=2033)
    for number, code in ((1, "1.1.1"), (2, "2.1.1")):
        services.measure_create(
            by=coordinator, programme=programme,
            data=services.MeasureData(
                chapter=number, goal_code=code[:3], goal_en="Goal", code=code,
                text_en=f"Measure {code}", agency=Organization.objects.get(slug="ua-mod"),
                deadline="2033-35",
                indicators=[services.IndicatorData(name_en="Units", target=Decimal(1))],
            ),
        )  # fmt: skip
    services.programme_submit(by=coordinator, programme=programme)
    services.programme_approve(by=User.objects.get(username="ua-approver"), programme=programme)
    assessor = User.objects.get(username="ally-assessor")
    chapter2 = programme.chapters.get(number=2)
    # Rated 1 as the agency's "not started" is scored: the two agree.
    services.assessment_record(by=assessor, chapter=chapter2, rating=1, comment="Chapter view.")
    services.assessment_record(
        by=assessor, chapter=programme.chapters.get(number=1),
        measure=programme.measures.get(code="1.1.1"), rating=5,
        comment="Measure-level view of 1.1.1.",
    )  # fmt: skip
    return programme, User.objects.get(username="ua-viewer")


def test_the_report_counts_the_chapters_assessed_and_does_not_say_they_all_agree() -> None:
    # Given the Allies rated one chapter of five and one measure,
    programme, viewer = _one_chapter_and_one_measure_assessed()
    # when the report is rendered,
    page = " ".join(report.render_html(user=viewer, programme=programme, language="en").split())
    # then it says how much was assessed, and nothing about chapters nobody assessed.
    assert "1 of 5 chapters assessed by the Allies." in page
    assert "1 measure assessed individually" in page
    assert "agree in every chapter" not in page
    assert "In the one chapter assessed, the government" in page
    assert "Not assessed yet: 1. Political and economic issues; 3. Resources" in page
    # The measure-level assessment is in its chapter's section.
    assert "Measure-level view of 1.1.1." in page
    assert "1 of 1 measures assessed individually." in page
    coverage = selectors.assessment_coverage(
        selectors.chapter_summary(user=viewer, programme=programme)
    )
    assert (coverage["assessed"], coverage["chapters"]) == (1, 5)


def test_a_year_nobody_assessed_says_so() -> None:
    from partnership.anp import services

    programme = services.programme_create(by=User.objects.get(username="ua-coordinator"), year=2034)
    page = report.render_html(
        user=User.objects.get(username="ua-coordinator"), programme=programme, language="uk"
    )
    assert "0 з 5 розділів оцінено союзниками." in " ".join(page.split())
    assert "Жоден розділ ще не має оцінки союзників" in page


def _words(pdf: bytes, page: int) -> tuple[float, list[tuple[str, float, float, float]]]:
    """The words pdftotext finds on one page, cropped to the page as it prints: (page
    width, [(word, xMin, xMax, yMin)])."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
        input=pdf, capture_output=True, check=True,
    ).stdout.decode()  # fmt: skip
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))  # type: ignore[union-attr]
    words = [
        (html.unescape(w), float(x0), float(x1), float(y0))
        for x0, y0, x1, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
            out,
        )
    ]
    return width, words


@pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="needs poppler-utils (scripts/system-deps.sh)"
)
@pytest.mark.parametrize("language", ["uk", "en"])
def test_the_summary_tables_last_column_header_is_on_the_a4_page(language: str) -> None:
    """The summary table's last column ("Allied rating", "Оцінка союзників") is the one a
    wide Ukrainian table used to push off the page: its header words are on page 1, inside
    the page's width, on the table's header row."""
    viewer = User.objects.get(username="ua-viewer")
    programme = selectors.programme_get(user=viewer, year=2015)
    assert programme is not None
    pdf = report.render_pdf(user=viewer, programme=programme, language=language)
    width, words = _words(pdf, 1)
    first, last = {"uk": ("Розділ", "союзників"), "en": ("Chapter", "rating")}[language]
    header_y = next(y for w, _x0, _x1, y in words if w == first)
    on_header_row = [
        (x0, x1) for w, x0, x1, y in words if w == last and header_y - 1 <= y <= header_y + 30
    ]
    assert on_header_row, f"“{last}” is not on the summary table's header row"
    assert all(x1 <= width for _x0, x1 in on_header_row)
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert round(float(page.mediabox.width)) == 595  # A4 portrait, 210 mm wide


@pytest.mark.parametrize("language", ["uk", "en"])
def test_every_header_of_the_report_is_whole_or_hyphenated_and_on_the_a4_page(
    language: str,
) -> None:
    """The narrow columns (the summary's statuses, the assessments' ratings) used to cut their
    Ukrainian headers mid-word without a hyphen ("виконан|о"); each header word is now whole
    or hyphenated by the language's dictionary, inside the page's margins."""
    # Given the demo's 2015 year (an Allied chapter rating with recommendations) and a year
    # with a measure assessed individually (the report's one four-column assessment table)
    fresh, viewer = _one_chapter_and_one_measure_assessed()
    demo = selectors.programme_get(user=viewer, year=2015)
    assert demo is not None
    for programme in (demo, fresh):
        # When the report is printed
        pdf = report.render_pdf(user=viewer, programme=programme, language=language)
        headers = table_headers(
            report.render_html(user=viewer, programme=programme, language=language)
        )
        # Then each table header reads whole or properly hyphenated, on A4
        assert {"uk": "Оцінка союзників", "en": "Allied rating"}[language] in headers
        assert header_problems(pdf, headers) == [], programme.year
        assert all(round(page.mediabox.width) == 595 for page in PdfReader(io.BytesIO(pdf)).pages)
