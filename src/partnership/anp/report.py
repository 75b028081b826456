"""The assessment report for a year, to the NATO-Ukraine Commission: HTML and PDF, in English
and Ukrainian, from one template. The PDF is WeasyPrint's rendering of the same HTML."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from partnership.anp import selectors
from partnership.anp.models import AnnualProgramme
from partnership.core import charts
from partnership.core.selectors import AnyUser


def context(*, user: AnyUser, programme: AnnualProgramme) -> dict[str, Any]:
    """Everything the report shows, read as `user` may see it (call inside the language)."""
    chapters = selectors.chapter_summary(user=user, programme=programme)
    indicators: dict[int, list[Any]] = defaultdict(list)
    for indicator in selectors.indicator_rows(user=user, programme=programme):
        indicators[indicator.measure.chapter_id].append(indicator)
    rated: dict[int, list[Any]] = defaultdict(list)
    measure_rows = selectors.measure_assessments(user=user, programme=programme)
    for row in measure_rows:
        rated[row["measure"].chapter_id].append(row)
    for row in chapters:
        chapter = row["chapter"]
        row["indicators"] = indicators.get(chapter.pk, [])
        row["measure_assessments"] = rated.get(chapter.pk, [])
        row["measures_assessed"] = len({r["measure"].pk for r in row["measure_assessments"]})
        row["chart"] = charts.status_bars(
            [(_("Measures"), row["shares"])], title=_("Measures by status")
        )
    total = sum(row["total"] for row in chapters)
    return {
        "programme": programme,
        "chapters": chapters,
        "total": total,
        "status_chart": charts.status_bars(
            [(str(row["chapter"]), row["shares"]) for row in chapters],
            title=_("Share of measures by status, per chapter"),
        ),
        "rating_chart": charts.rating_pairs(
            [(str(r["chapter"]), r["government_score"], r["allied_rating"]) for r in chapters],
            title=_("Government's own statuses beside the Allied rating"),
        ),
        "half_year": charts.status_bars(
            [
                (str(r["chapter"]), r["shares"])
                for r in selectors.period_summary(user=user, programme=programme, last_quarter=2)
            ],
            title=_("Half-year summary"),
        ),
        "coverage": selectors.assessment_coverage(chapters),
        "measures_assessed": len({r["measure"].pk for r in measure_rows}),
        "measures_disagreeing": sum(1 for r in measure_rows if r["disagree"]),
        "generated": timezone.now(),
    }


def render_html(*, user: AnyUser, programme: AnnualProgramme, language: str) -> str:
    with translation.override(language):
        return render_to_string(
            "anp/nuc_report.html",
            {**context(user=user, programme=programme), "LANGUAGE_CODE": language, "reader": user},
        )


def render_pdf(*, user: AnyUser, programme: AnnualProgramme, language: str) -> bytes:
    return charts.html_to_pdf(render_html(user=user, programme=programme, language=language))
