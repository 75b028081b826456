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
