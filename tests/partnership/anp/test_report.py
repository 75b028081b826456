"""The report to the NUC says what the data say, in both languages (text read back from the PDF)."""

import io

import pytest
from pypdf import PdfReader

from partnership.anp import report, selectors
from partnership.core.models import User

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
