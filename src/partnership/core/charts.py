"""Charts as inline SVG: the same markup on the page, in print and in the PDF (no JavaScript,
no image files, nothing fetched)."""

from __future__ import annotations

import math
import textwrap
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from partnership.core.formatting import number, percent

COLOURS = {
    "done": "#2e7d32",
    "on_track": "#7cb342",
    "at_risk": "#f9a825",
    "overdue": "#c62828",
    "not_started": "#9e9e9e",
}


FONT_SIZE = 11
LINE_H = 14
# DejaVu Sans at 11 px: about 6.7 px a character on average (Cyrillic included); used to wrap
# labels and place legends without measuring text, which an SVG string cannot do.
CHAR_W = 6.7


def wrap(label: str, width: float) -> list[str]:
    """A label in as many lines as it needs to fit `width` pixels: chapter names are whole
    sentences ("1. Політичні та економічні питання"), and a cut one is no longer a name."""
    per_line = max(int(width / CHAR_W), 8)
    lines = textwrap.wrap(label, per_line, break_long_words=True, break_on_hyphens=False)
    return lines or [""]


def _label(x: float, y: float, lines: list[str], anchor: str = "start", fill: str = "") -> str:
    """A multi-line text whose first baseline is at `y`."""
    colour = f' fill="{fill}"' if fill else ""
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else LINE_H}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{colour}>{spans}</text>'


def _legend(parts: list[str], items: list[tuple[str, str]], y: float, width: int) -> float:
    """Coloured keys left to right, onto a new line when the next would pass the edge;
    returns the height used."""
    x, line = 10.0, 0
    for colour, text in items:
        w = 14 + CHAR_W * len(text) + 16
        if x > 10 and x + w > width:
            x, line = 10.0, line + 1
        top = y + line * (LINE_H + 4)
        parts.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14:.1f}" y="{top + 9:.1f}">{escape(text)}</text>'
        )
        x += w
    return (line + 1) * (LINE_H + 4)


def _svg(width: int, height: float, title: str, body: list[str]) -> SafeString:
    h = int(height + 0.5)
    return mark_safe(  # every text in `body` is escaped where it is made
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
        f'height="{h}" viewBox="0 0 {width} {h}" font-family="DejaVu Sans, sans-serif" '
        f'font-size="{FONT_SIZE}"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def status_bars(
    rows: list[tuple[str, list[dict[str, Any]]]],
    *,
    title: str,
    width: int = 640,
    empty: str | None = None,
) -> SafeString:
    """One horizontal bar per row under its (wrapped) label, split by the share of each
    status, the count at its end; a legend below."""
    bar_h, gap, count_w = 18, 10, 50
    bar_w = width - 10 - count_w
    # Outside the f-strings, where the message extractor sees them.
    empty = empty or _("no measures")
    parts: list[str] = []
    y = 4.0
    for label, shares in rows:
        lines = wrap(label, width - 20)
        parts.append(_label(10, y + FONT_SIZE, lines))
        y += len(lines) * LINE_H + 2
        x = 10.0
        total = sum(s["count"] for s in shares)
        for s in shares:
            w = bar_w * s["share"] / 100 if total else 0
            if w <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{COLOURS[s["status"]]}"><title>{escape(s["label"])}: '
                f"{number(s['count'])} ({percent(s['share'] / 100, 0)})</title></rect>"
            )
            x += w
        if not total:
            parts.append(
                f'<rect x="10" y="{y:.1f}" width="{bar_w}" height="{bar_h}" fill="none" '
                f'stroke="#bbb"/><text x="16" y="{y + bar_h - 5:.1f}" fill="#555">'
                f"{escape(empty)}</text>"
            )
        parts.append(f'<text x="{10 + bar_w + 6}" y="{y + bar_h - 5:.1f}">{number(total)}</text>')
        y += bar_h + gap
    keys = [(COLOURS[s["status"]], str(s["label"])) for s in (rows[0][1] if rows else [])]
    y += _legend(parts, keys, y + 4, width) + 4
    return _svg(width, y, title, parts)


def rating_pairs(
    rows: list[tuple[str, float | None, float | None]], *, title: str, width: int = 640
) -> SafeString:
    """Per chapter, the government's own score beside the Allied rating on the 1–5 scale."""
    government_label, allied_label = _("Government (own statuses)"), _("Allied rating")
    bar_h, gap = 10, 12
    bar_w = width - 10 - 40
    parts: list[str] = []
    y = 4.0
    for label, government, allied in rows:
        lines = wrap(label, width - 20)
        parts.append(_label(10, y + FONT_SIZE, lines))
        y += len(lines) * LINE_H + 2
        for j, (value, colour) in enumerate(((government, "#1f5fa8"), (allied, "#e07b00"))):
            if value is None:
                continue
            w = bar_w * value / 5
            parts.append(
                f'<rect x="10" y="{y + j * bar_h:.1f}" width="{w:.1f}" height="{bar_h - 1}" '
                f'fill="{colour}"/><text x="{10 + w + 4:.1f}" y="{y + j * bar_h + 9:.1f}">'
                f"{number(value, 1)}</text>"
            )
        y += 2 * bar_h + gap
    keys = [("#1f5fa8", str(government_label)), ("#e07b00", str(allied_label))]
    y += _legend(parts, keys, y + 4, width) + 4
    return _svg(width, y, title, parts)


def value_bars(
    rows: list[tuple[str, float, str]], *, title: str, colour: str = "#1f5fa8", width: int = 640
) -> SafeString:
    """One bar per row under its label, scaled to the largest value, its value written beside
    it. Rows of nothing are left out: a bar of €0 says nothing but takes a line."""
    rows = [row for row in rows if row[1] > 0]
    bar_h, gap, text_w = 16, 8, 130
    bar_w = width - 10 - text_w
    peak = max([v for _l, v, _t in rows] + [1e-9])
    parts: list[str] = []
    y = 4.0
    for label, value, text in rows:
        lines = wrap(label, width - 20)
        parts.append(_label(10, y + FONT_SIZE, lines))
        y += len(lines) * LINE_H + 2
        w = bar_w * value / peak
        parts.append(
            f'<rect x="10" y="{y:.1f}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>'
            f'<text x="{10 + w + 4:.1f}" y="{y + bar_h - 4:.1f}">{escape(text)}</text>'
        )
        y += bar_h + gap
    return _svg(width, max(y, 20), title, parts)


def progress_bars(
    rows: list[tuple[str, float, float, str]], *, title: str, width: int = 640
) -> SafeString:
    """Per row, how far an actual has come towards its target (0–100 %), with a label."""
    bar_h, gap, text_w = 16, 8, 170
    bar_w = width - 10 - text_w
    parts: list[str] = []
    y = 4.0
    for label, actual, target, text in rows:
        lines = wrap(label, width - 20)
        parts.append(_label(10, y + FONT_SIZE, lines))
        y += len(lines) * LINE_H + 2
        share = min(max(actual / target, 0), 1) if target else 0
        parts.append(
            f'<rect x="10" y="{y:.1f}" width="{bar_w}" height="{bar_h}" fill="#e4e8ee"/>'
            f'<rect x="10" y="{y:.1f}" width="{bar_w * share:.1f}" height="{bar_h}" '
            f'fill="#2e7d32"/><text x="{10 + bar_w + 6}" y="{y + bar_h - 4:.1f}">'
            f"{escape(text)}</text>"
        )
        y += bar_h + gap
    return _svg(width, max(y, 20), title, parts)


def year_ticks(x0: float, x1: float, *, plot_w: float, min_gap: float = 48) -> list[int]:
    """Every year from the first to the last, or every second, fifth or tenth one where
    every year would not fit: the axis never skips years unevenly nor writes them over
    one another."""
    first, last = math.ceil(x0), math.floor(x1)
    if last < first:
        return [round(x0)]
    span = max(x1 - x0, 1)
    for step in (1, 2, 5, 10, 20, 50):
        if plot_w * step / span >= min_gap:
            break
    return [year for year in range(first, last + 1) if year % step == 0]


def line_chart(
    series: list[tuple[str, str, list[tuple[float, float]]]],
    *,
    title: str,
    x_labels: list[tuple[float, str]] | None = None,
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """Lines over a shared x axis: (name, colour, [(x, y)]); x and y scaled to fit. Without
    `x_labels` the x axis is in years (`year_ticks`)."""
    left, bottom, top = 10 + int(CHAR_W * 11), 24, 10
    xs = [x for _n, _c, pts in series for x, _y in pts] or [0.0, 1.0]
    ys = [y for _n, _c, pts in series for _x, y in pts] or [0.0, 1.0]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y1 = max([*ys, 1e-9])
    plot_w, plot_h = width - left - 20, height - bottom - top

    def px(x: float) -> float:
        return left + plot_w * (x - x0) / (x1 - x0)

    def py(y: float) -> float:
        return top + plot_h * (1 - y / y1)

    if x_labels is None:
        x_labels = [(float(y), str(y)) for y in year_ticks(x0, x1, plot_w=plot_w)]
    parts = [
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="#888"/><line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" '
        f'stroke="#888"/>'
    ]
    for fraction in (0, 0.5, 1):
        value = y1 * fraction
        text = number(value, 0) if y1 >= 10 else number(value, 1)
        parts.append(
            f'<text x="{left - 4}" y="{py(value) + 4:.1f}" text-anchor="end">{text}</text>'
        )
    last_end = -1e9
    for x, label in x_labels:
        # A label that would run into the one before is left out, never drawn over it.
        half = CHAR_W * len(label) / 2
        if px(x) - half < last_end + 6:
            continue
        last_end = px(x) + half
        parts.append(
            f'<text x="{px(x):.1f}" y="{top + plot_h + 14}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for _name, colour, points in series:
        if points:
            path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
    used = _legend(parts, [(c, str(n)) for n, c, _p in series], height + 2, width)
    return _svg(width, height + used + 2, title, parts)


def html_to_pdf(html: str) -> bytes:
    """A report page as PDF (WeasyPrint; see `core.pdf`)."""
    from partnership.core import pdf

    return pdf.html_to_pdf(html)
