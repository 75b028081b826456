"""Numbers and money as the active language writes them, for pages, charts, PDFs and exports.

One formatter everywhere: Django's l10n `number_format` with grouping, the same one the
templates' `floatformat:"0g"` calls, so that a chart beside a table writes "25 000 000" under
/uk/ and "25,000,000" under /en/, never one of each.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import get_language


def number(value: float | int | Decimal, decimals: int | None = 0) -> str:
    """A number grouped in thousands by the active language: "2,789,995", "2 789 995";
    `decimals=None` keeps the value's own decimals."""
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def money(value: float | int | Decimal, decimals: int = 0) -> str:
    """An amount in euros as the pages write it: "€25,000,000", "€25 000 000"."""
    return f"€{number(value, decimals)}"


def percent(share: float | Decimal, decimals: int = 1) -> str:
    """A share (0.453) as a percentage: "45.3%" in English, "45,3 %" in Ukrainian, which
    parts the sign from the number."""
    text = number(Decimal(str(share)) * 100, decimals)
    return f"{text}\xa0%" if (get_language() or "en").startswith("uk") else f"{text}%"
