"""Numbers and money as the active language writes them, for pages, charts, PDFs and exports.

One formatter everywhere: Django's l10n `number_format` with grouping, the same one the
templates' `floatformat:"0g"` calls, so that a chart beside a table writes "25 000 000" under
/uk/ and "25,000,000" under /en/, never one of each.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.formats import get_format, number_format
from django.utils.safestring import SafeString, mark_safe
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


# The money tables' `floatformat:"0g"` and `"2g"` (`amount`): the places, and the step each
# rounds to.
_PLACES = {"0g": (0, Decimal(1)), "2g": (2, Decimal("0.01"))}
# Enough digits for any value floatformat rounds itself (it leaves longer ones as they are).
_WIDE = Context(prec=420)
_SEPARATORS: dict[str | None, tuple[str, Any, str]] = {}


def _separators() -> tuple[str, Any, str]:
    """The active language's decimal separator, grouping and thousands separator, read once
    (Django's `number_format` reads them again for every number)."""
    lang = get_language()
    found = _SEPARATORS.get(lang)
    if found is None:
        found = _SEPARATORS[lang] = (
            get_format("DECIMAL_SEPARATOR", lang, use_l10n=True),
            get_format("NUMBER_GROUPING", lang, use_l10n=True),
            get_format("THOUSAND_SEPARATOR", lang, use_l10n=True),
        )
    return found


def amount(value: Any, arg: Any = "2g") -> SafeString | str:
    """The text of Django's `floatformat:arg`, to the character, for the amounts of the money
    tables ("0g": whole, "2g": two decimals, grouped as the language groups), in a fifth of
    its time: a donor report writes hundreds. Any other value or argument is floatformat's."""
    found = _PLACES.get(arg) if isinstance(arg, str) else None
    kind = type(value)
    if found is None or kind not in (Decimal, int) or (kind is Decimal and not value.is_finite()):
        return floatformat(value, arg)
    decimal_sep, grouping, thousand_sep = _separators()
    _sign, digits, exponent = (value if kind is Decimal else Decimal(value)).as_tuple()
    if grouping != 3 or isinstance(grouping, bool) or len(digits) + abs(int(exponent)) > 200:
        return floatformat(value, arg)
    places, step = found
    # Half up, as floatformat rounds; a zero keeps no minus sign.
    rounded = Decimal(value).quantize(step, ROUND_HALF_UP, _WIDE)
    sign = "-" if rounded < 0 else ""
    whole, _dot, decimals = f"{abs(rounded):f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", thousand_sep)
    return mark_safe(f"{sign}{grouped}{decimal_sep}{decimals}" if places else sign + grouped)
