"""The PDF renderer: what it keeps between reports changes no page, and nothing of a report."""

from __future__ import annotations

import threading
from typing import Any

import pypdfium2
import pyphen
import pytest
from django.template.loader import render_to_string
from weasyprint import HTML

from partnership.core import pdf


def _report(title: str) -> str:
    style = render_to_string("includes/report_style.html")
    rows = "".join(
        f'<tr><th style="width:4em">Взаємосумісність {n}</th><td class="num">{n}</td></tr>'
        for n in range(40)
    )
    return (
        f'<!doctype html><html lang="uk"><head><meta charset="utf-8">{style}</head><body>'
        f"<h1>{title}</h1><table>{rows}</table>"
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="200" height="40" '
        'viewBox="0 0 200 40"><rect x="0" y="0" width="120" height="18" fill="#c62828"/>'
        '<text x="0" y="34" font-family="DejaVu Sans" font-size="11">Частка</text></svg>'
        "</body></html>"
    )


def _pixels(data: bytes) -> list[bytes]:
    document = pypdfium2.PdfDocument(data)
    try:
        return [bytes(page.render(scale=60 / 72).buffer) for page in document]
    finally:
        document.close()


def test_a_reused_font_configuration_draws_the_same_pages_as_a_new_one() -> None:
    # Given a report, rendered once as before (WeasyPrint's own new font configuration)
    html = _report("Звіт")
    expected = _pixels(HTML(string=html).write_pdf())
    assert len(expected) >= 2
    # When this thread renders another report, then the first again with the kept configuration
    pdf.html_to_pdf(_report("Інший звіт"))
    again = pdf.html_to_pdf(html)
    # Then its pages are the same, pixel for pixel
    assert _pixels(again) == expected


def test_each_thread_keeps_a_font_configuration_of_its_own() -> None:
    # Given the configuration of this thread, kept between two reports
    mine = pdf._font_config()
    assert pdf._font_config() is mine
    # When another thread renders
    theirs: list[Any] = []
    thread = threading.Thread(target=lambda: theirs.append(pdf._font_config()))
    thread.start()
    thread.join()
    # Then it has its own (Pango's font map is not shared between threads)
    assert theirs and theirs[0] is not mine


def test_two_reports_are_never_the_same_pdf() -> None:
    # Given two reports of different contents (nothing rendered is kept)
    first, second = pdf.html_to_pdf(_report("Перший")), pdf.html_to_pdf(_report("Другий"))
    # Then each PDF is its own document's
    assert first != second
    assert _pixels(first)[0] != _pixels(second)[0]


def test_the_warm_up_loads_both_languages_hyphenation(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given no hyphenation dictionary loaded yet
    monkeypatch.setattr(pyphen, "hdcache", {})
    # When a worker warms the renderer up
    pdf.warm_up()
    # Then the reports' two dictionaries are loaded before the first reader's report
    loaded = {path.name for path in pyphen.hdcache}
    assert any(name.startswith("hyph_en") for name in loaded), loaded
    assert "hyph_uk_UA.dic" in loaded
