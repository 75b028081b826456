"""Reading a printed report back: each table header whole or properly hyphenated, on A4.

The headers come from the report's HTML (every `<th>`, so a new column is checked without
being listed); their place in the PDF from PDFium's text (pypdfium2), which keeps a cell's
lines together, one line break between them, and the hyphen WeasyPrint adds at a break.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser

import pypdfium2

# WeasyPrint's hyphenate-character (U+2010), an ASCII hyphen, or PDFium's own marks for a
# soft hyphen at the end of a line.
HYPHENS = "\u2010\u00ad\x02-"
# The reports' left and right page margins (includes/report_style.html: 16 mm), in points.
MARGIN_PT = 16 / 25.4 * 72
# Half a point for rounding: a character box is measured, the margin is a length.
TOLERANCE_PT = 0.5


class _Headers(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.text: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag == "th":
            self.depth += 1
            self.text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self.depth:
            self.depth -= 1
            if header := " ".join("".join(self.text).split()):
                self.found.append(header)

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def table_headers(html: str) -> list[str]:
    """Every table header of the page, each once, in the order they come."""
    parser = _Headers()
    parser.feed(html)
    return list(dict.fromkeys(parser.found))


def _header_pattern(header: str) -> re.Pattern[str]:
    """The header as PDFium may read it: its words apart by any white space (a header wraps
    at its spaces), and a line break possible between any two letters of a word, caught in a
    group to see whether a hyphen ends the line before it."""
    inside = f"([{re.escape(HYPHENS)}]?\\s+)?"
    words = [inside.join(re.escape(letter) for letter in word) for word in header.split()]
    return re.compile(r"\s+".join(words))


def header_problems(pdf: bytes, headers: Iterable[str]) -> list[str]:
    """What is wrong with the headers as printed: a header missing from the text, a word cut
    at a line end without a hyphen ("Оцінк|а"), a letter outside the page's side margins (a
    table too wide for A4 runs into them and off the page)."""
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    for index in range(len(document)):
        page = document[index]
        textpage = page.get_textpage()
        pages.append((index + 1, page.get_width(), textpage, textpage.get_text_range()))
    problems = []
    for header in headers:
        pattern = _header_pattern(header)
        found = False
        for number, width, textpage, text in pages:
            for match in pattern.finditer(text):
                found = True
                cuts = [
                    group
                    for group in range(1, (match.lastindex or 0) + 1)
                    if match.group(group) is not None and match.group(group)[0] not in HYPHENS
                ]
                if cuts:
                    # As printed, each cut shown as "|": "Оцінк|а союзників".
                    printed = text[match.start() : match.end()]
                    for group in reversed(cuts):
                        start, end = (
                            match.start(group) - match.start(),
                            match.end(group) - match.start(),
                        )
                        printed = printed[:start] + "|" + printed[end:]
                    problems.append(
                        f"page {number}: {header!r} has a word cut without a hyphen: "
                        f"{' '.join(printed.split())!r}"
                    )
                for at in range(match.start(), match.end()):
                    if text[at].isspace():
                        continue
                    left, _bottom, right, _top = textpage.get_charbox(at)
                    if left < MARGIN_PT - TOLERANCE_PT or right > width - MARGIN_PT + TOLERANCE_PT:
                        problems.append(
                            f"page {number}: {header!r} is outside the margins: "
                            f"{text[at]!r} at x {left:.0f}-{right:.0f} of {width:.0f} pt"
                        )
                        break
        if not found:
            problems.append(f"{header!r} is not in the report's text")
    return problems
