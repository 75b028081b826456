"""The printed reports as PDF: WeasyPrint, with what does not depend on the document paid once.

A worker process renders many reports; what WeasyPrint sets up for any document (its modules,
Pango and fontconfig, the DejaVu faces, pyphen's en and uk dictionaries, the SVG code) is the
same for all of them, so it is paid at the worker's start (`warm_up`) instead of by the first
reader of a report, and each thread keeps its font configuration. Nothing that depends on the
data or on the reader is kept: every PDF is rendered from its own HTML.
"""

from __future__ import annotations

import threading
from typing import Any

_local = threading.local()


def _font_config() -> Any:
    # One per thread, not one per process: a FontConfiguration wraps a Pango font map, which is
    # not made to be used by two threads at once (gunicorn's gthread workers answer several
    # requests in parallel). The reports declare no @font-face, so nothing builds up in it.
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def html_to_pdf(html: str) -> bytes:
    """A report page as PDF (the fonts are Debian's DejaVu, Cyrillic included)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf(font_config=_font_config())
    return pdf


def warm_up() -> None:
    """Render a small report once, so that the first real one costs what the others do.

    It uses the reports' own style sheet and the two languages' text, hyphenation and an SVG
    chart, so that the faces, dictionaries and code the reports need are loaded.
    """
    from django.template.loader import render_to_string

    style = render_to_string("includes/report_style.html")
    for lang, words in (("en", "Interoperability"), ("uk", "Взаємосумісність")):
        html_to_pdf(
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">{style}</head>'
            f"<body><h1>{words}</h1><p><strong>{words}</strong> {words}</p>"
            f'<table><tr><th style="width:3em">{words}</th><td class="num">1</td></tr></table>'
            '<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="40" height="20" '
            'viewBox="0 0 40 20"><rect x="0" y="0" width="20" height="10" fill="#2e7d32"/>'
            '<text x="0" y="18" font-family="DejaVu Sans" font-size="11">1</text></svg>'
            "</body></html>"
        )
