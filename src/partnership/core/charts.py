"""Charts as inline SVG: the same markup on the page, in print and in the PDF (no JavaScript,
no image files, nothing fetched)."""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

COLOURS = {
    "done": "#2e7d32",
    "on_track": "#7cb342",
    "at_risk": "#f9a825",
    "overdue": "#c62828",
    "not_started": "#9e9e9e",
}


def status_bars(
    rows: list[tuple[str, list[dict[str, Any]]]],
    *,
    title: str,
    width: int = 640,
    empty: str | None = None,
) -> SafeString:
    """One horizontal bar per row, split by the share of each status; a legend below."""
    label_w, bar_h, gap = 190, 18, 8
    bar_w = width - label_w - 50
    height = len(rows) * (bar_h + gap) + 40
    # Outside the f-strings, where the message extractor sees them.
    empty = empty or _("no measures")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" '
        f'font-size="11"><title>{escape(title)}</title>'
    ]
    for i, (label, shares) in enumerate(rows):
        y = i * (bar_h + gap)
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 5}" text-anchor="end">{escape(short)}</text>'
        )
        x = float(label_w)
        total = sum(s["count"] for s in shares)
        for s in shares:
            w = bar_w * s["share"] / 100 if total else 0
            if w <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{COLOURS[s["status"]]}"><title>{escape(s["label"])}: {s["count"]} '
                f"({s['share']}%)</title></rect>"
            )
            x += w
        if not total:
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{bar_w}" height="{bar_h}" fill="none" '
                f'stroke="#bbb"/><text x="{label_w + 6}" y="{y + bar_h - 5}" fill="#777">'
                f"{escape(empty)}</text>"
            )
        parts.append(f'<text x="{label_w + bar_w + 6}" y="{y + bar_h - 5}">{total}</text>')
    _legend(parts, rows[0][1] if rows else [], len(rows) * (bar_h + gap) + 14)
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _legend(parts: list[str], shares: list[dict[str, Any]], y: int) -> None:
    x = 10
    for s in shares:
        parts.append(
            f'<rect x="{x}" y="{y}" width="10" height="10" fill="{COLOURS[s["status"]]}"/>'
            f'<text x="{x + 14}" y="{y + 9}">{escape(s["label"])}</text>'
        )
        x += 24 + 7 * len(str(s["label"]))


def rating_pairs(
    rows: list[tuple[str, float | None, float | None]], *, title: str, width: int = 640
) -> SafeString:
    """Per chapter, the government's own score beside the Allied rating on the 1–5 scale."""
    government_label, allied_label = _("Government (own statuses)"), _("Allied rating")
    label_w, bar_h, gap = 190, 10, 12
    bar_w = width - label_w - 50
    height = len(rows) * (2 * bar_h + gap) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" '
        f'font-size="11"><title>{escape(title)}</title>'
    ]
    for i, (label, government, allied) in enumerate(rows):
        y = i * (2 * bar_h + gap)
        short = label if len(label) <= 30 else label[:29] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h + 4}" text-anchor="end">{escape(short)}</text>'
        )
        for j, (value, colour) in enumerate(((government, "#1f5fa8"), (allied, "#e07b00"))):
            if value is None:
                continue
            w = bar_w * value / 5
            parts.append(
                f'<rect x="{label_w}" y="{y + j * bar_h}" width="{w:.1f}" height="{bar_h - 1}" '
                f'fill="{colour}"/><text x="{label_w + w + 4:.1f}" y="{y + j * bar_h + 9}">'
                f"{value:.1f}</text>"
            )
    y = len(rows) * (2 * bar_h + gap) + 14
    parts.append(
        f'<rect x="10" y="{y}" width="10" height="10" fill="#1f5fa8"/><text x="24" y="{y + 9}">'
        f'{escape(government_label)}</text><rect x="250" y="{y}" width="10" '
        f'height="10" fill="#e07b00"/><text x="264" y="{y + 9}">{escape(allied_label)}</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def value_bars(
    rows: list[tuple[str, float, str]], *, title: str, colour: str = "#1f5fa8", width: int = 640
) -> SafeString:
    """One bar per row, scaled to the largest value, with its value written beside it."""
    label_w, bar_h, gap = 200, 16, 6
    bar_w = width - label_w - 120
    height = max(len(rows), 1) * (bar_h + gap) + 10
    peak = max([v for _l, v, _t in rows] + [1e-9])
    parts = [_svg_open(width, height, title)]
    for i, (label, value, text) in enumerate(rows):
        y = i * (bar_h + gap)
        w = bar_w * max(value, 0) / peak
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 4}" text-anchor="end">{escape(_short(label))}'
            f'</text><rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar_h - 4}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def progress_bars(
    rows: list[tuple[str, float, float, str]], *, title: str, width: int = 640
) -> SafeString:
    """Per row, how far an actual has come towards its target (0–100 %), with a label."""
    label_w, bar_h, gap = 200, 16, 6
    bar_w = width - label_w - 120
    height = max(len(rows), 1) * (bar_h + gap) + 10
    parts = [_svg_open(width, height, title)]
    for i, (label, actual, target, text) in enumerate(rows):
        y = i * (bar_h + gap)
        share = min(max(actual / target, 0), 1) if target else 0
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 4}" text-anchor="end">{escape(_short(label))}'
            f'</text><rect x="{label_w}" y="{y}" width="{bar_w}" height="{bar_h}" fill="#e4e8ee"/>'
            f'<rect x="{label_w}" y="{y}" width="{bar_w * share:.1f}" height="{bar_h}" '
            f'fill="#2e7d32"/><text x="{label_w + bar_w + 4}" y="{y + bar_h - 4}">'
            f"{escape(text)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def line_chart(
    series: list[tuple[str, str, list[tuple[float, float]]]],
    *,
    title: str,
    x_labels: list[tuple[float, str]],
    width: int = 640,
    height: int = 220,
) -> SafeString:
    """Lines over a shared x axis: (name, colour, [(x, y)]); x and y scaled to fit."""
    left, bottom, top = 70, 40, 10
    xs = [x for _n, _c, pts in series for x, _y in pts] or [0.0, 1.0]
    ys = [y for _n, _c, pts in series for _x, y in pts] or [0.0, 1.0]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y1 = max([*ys, 1e-9])
    plot_w, plot_h = width - left - 20, height - bottom - top

    def px(x: float) -> float:
        return left + plot_w * (x - x0) / (x1 - x0)

    def py(y: float) -> float:
        return top + plot_h * (1 - y / y1)

    parts = [_svg_open(width, height, title)]
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="#888"/><line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" '
        f'stroke="#888"/><text x="{left - 4}" y="{top + 8}" text-anchor="end">{y1:,.0f}</text>'
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end">0</text>'
    )
    for x, label in x_labels:
        parts.append(
            f'<text x="{px(x):.1f}" y="{top + plot_h + 14}" text-anchor="middle">'
            f"{escape(label)}</text>"
        )
    for i, (name, colour, points) in enumerate(series):
        if points:
            path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        parts.append(
            f'<rect x="{left + i * 200}" y="{height - 14}" width="10" height="10" '
            f'fill="{colour}"/><text x="{left + i * 200 + 14}" y="{height - 5}">'
            f"{escape(name)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every text above is escaped


def _svg_open(width: int, height: int, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" '
        f'font-size="11"><title>{escape(title)}</title>'
    )


def _short(label: str, size: int = 32) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def html_to_pdf(html: str) -> bytes:
    """A report page as PDF (WeasyPrint; the fonts are Debian's DejaVu, Cyrillic included)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
