"""The site's one number formatter (`core/formatting.py`), in both languages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from partnership.core.formatting import money, number, percent


@pytest.mark.parametrize(
    ("language", "grouped", "euros", "share"),
    [
        ("en", "2,789,995", "€17,014,923.22", "45.3%"),
        ("uk", "2\xa0789\xa0995", "€17\xa0014\xa0923,22", "45,3\xa0%"),
    ],
)
def test_numbers_money_and_shares_are_written_by_the_language(
    language: str, grouped: str, euros: str, share: str
) -> None:
    # Given figures as stored, when written under each language
    with translation.override(language):
        # then thousands are grouped and decimals marked as that language writes them
        assert number(2789995) == grouped
        assert money(Decimal("17014923.22"), 2) == euros
        assert percent(0.453) == share


def _amounts() -> list[Decimal | int]:
    """Amounts as the money tables hold them, and the edges of rounding: halves, negative
    zeros, exponents, whole numbers, long ones."""
    edges = [
        Decimal(0), Decimal("-0"), Decimal("0.00"), Decimal("-0.004"), Decimal("0.005"),
        Decimal("-0.005"), Decimal("0.5"), Decimal("-0.5"), Decimal("2.5"), Decimal("1E+3"),
        Decimal("1.5E+2"), Decimal("123456789.995"), Decimal("-1234.5"), Decimal("999.999"),
        Decimal("17014923.22"), 0, 7, -12, 10**15, -(10**9) - 1,
    ]  # fmt: skip
    steps = [Decimal(n).scaleb(e) for n in (1, 4, 5, 49, 50, 51, 995, 123456789, -987654321)
             for e in range(-4, 4)]  # fmt: skip
    return edges + steps


@pytest.mark.parametrize("language", ["en", "uk"])
@pytest.mark.parametrize("places", ["0g", "2g"])
def test_the_amount_filter_writes_what_floatformat_writes(language: str, places: str) -> None:
    from django.template.defaultfilters import floatformat

    from partnership.core.formatting import amount

    # Given the amounts of the money tables, written under each language
    with translation.override(language):
        for value in _amounts():
            # then the faster filter's text is floatformat's, character for character
            assert amount(value, places) == floatformat(value, places), value
        # and what it does not speed up (None, floats, other places) is floatformat's own
        for value, arg in ((None, places), (2.5, places), ("x", places), (Decimal("2.25"), "1")):
            assert amount(value, arg) == floatformat(value, arg)
