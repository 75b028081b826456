"""The donor reports print on A4 in both languages: no table runs off the page, and the last
column's header of each table is on the page (the Ukrainian headers are the longest)."""

import io
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from partnership.core.models import User
from tests.partnership.background.jobs import prepared
from tests.partnership.printed import header_problems, table_headers

pytestmark = pytest.mark.django_db

PROJECT = "/{lang}/trust-funds/projects/demilitarization-munitions/donor-report.pdf?lang={lang}"
FUND = "/{lang}/trust-funds/pfp-demilitarization/donor-report.pdf?lang={lang}"
# The last column header of each money table, in each language.
LAST_HEADERS = {
    "uk": ["Зобов'язано, ще не сплачено", "Отримано (євро)", "Досягнення цілі (прогноз)"],
    "en": ["Committed, not yet paid", "Received (EUR)", "Target reached (forecast)"],
}


def _pages(client: Client, url: str) -> list[Any]:
    response = prepared(client, url)
    assert response["Content-Type"] == "application/pdf"
    return list(PdfReader(io.BytesIO(response.content)).pages)


def _overflowing(html: str) -> list[str]:
    """What the report's layout puts beyond the right edge of an A4 page (a table too wide
    for it runs off there, and the PDF cuts it): WeasyPrint's own boxes, as it prints them."""
    from weasyprint import HTML

    found = []
    for number, page in enumerate(HTML(string=html).render().pages, start=1):
        box = page._page_box  # the laid-out page (WeasyPrint has no public layout tree)
        right = box.margin_width()
        for child in box.descendants():
            edge = child.position_x + child.margin_width()
            if edge > right + 0.5:
                text = getattr(child, "text", "") or type(child).__name__
                found.append(f"page {number}: {text[:40]!r} ends at {edge:.0f} > {right:.0f}")
    return found


@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize("url", [PROJECT, FUND])
def test_the_donor_report_fits_a4_with_its_last_column_headers(
    client: Client, lang: str, url: str
) -> None:
    # Given NATO staff, who see every row and so the widest figures
    client.force_login(User.objects.get(username="nato-editor"))
    # When the report is printed
    pages = _pages(client, url.format(lang=lang))
    # Then every page is A4 portrait and the last column headers are in its text
    for page in pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
    words = " ".join(" ".join(page.extract_text() for page in pages).split())
    for header in LAST_HEADERS[lang]:
        assert header in words, header
    # And nothing of the layout runs off the page's right edge
    html = client.get(url.format(lang=lang).replace(".pdf", ".html")).content.decode()
    assert _overflowing(html) == []


@pytest.mark.parametrize("lang", ["uk", "en"])
@pytest.mark.parametrize("url", [PROJECT, FUND])
def test_every_header_of_the_donor_report_is_whole_or_hyphenated_within_the_margins(
    client: Client, lang: str, url: str
) -> None:
    """The money table's seven columns used to push its Ukrainian last column into the page's
    right margin; every header now wraps at its spaces or hyphenates by the language."""
    # Given NATO staff, who see every row and so the widest figures
    client.force_login(User.objects.get(username="nato-editor"))
    # When the report is printed
    pdf = prepared(client, url.format(lang=lang)).content
    headers = table_headers(
        client.get(url.format(lang=lang).replace(".pdf", ".html")).content.decode()
    )
    # Then each table header reads whole or properly hyphenated, inside the margins
    assert set(LAST_HEADERS[lang]) <= set(headers)
    assert header_problems(pdf, headers) == []
