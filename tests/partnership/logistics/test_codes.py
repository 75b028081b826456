"""The structure of NSNs and NCAGE codes."""

import pytest

from partnership.logistics.codes import (
    CodeError,
    ncage_parse,
    nsn_parse,
    reference_key,
    supply_class_parse,
)


@pytest.mark.parametrize("written", ["1005-12-345-6789", "1005123456789", "1005 12 345 6789"])
def test_an_nsn_is_read_however_it_is_written_and_split_into_its_parts(written: str) -> None:
    nsn = nsn_parse(written)

    assert (nsn.group, nsn.supply_class, nsn.bureau, nsn.item_number) == (
        "10", "1005", "12", "3456789",
    )  # fmt: skip
    assert nsn.niin == "123456789" and str(nsn) == "1005-12-345-6789"


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("1005-12-345-678", "13 digits"),
        ("1005-12-345-678A", "13 digits"),
        ("0905-12-345-6789", "supply group"),
        ("", "13 digits"),
    ],
)
def test_a_malformed_nsn_is_refused_naming_the_rule(written: str, says: str) -> None:
    with pytest.raises(CodeError, match=says):
        nsn_parse(written)


def test_a_supply_class_has_four_digits_and_a_group_from_10() -> None:
    assert supply_class_parse("61-40") == "6140"
    for bad in ("614", "0940", "61A0"):
        with pytest.raises(CodeError, match="supply classification"):
            supply_class_parse(bad)


def test_ncage_codes_have_five_characters_without_i_and_o() -> None:
    assert ncage_parse(" u7k21 ") == "U7K21"
    for bad in ("U7K2", "U7K211", "UIK21", "U0O21", "U7-21"):
        with pytest.raises(CodeError, match="NCAGE"):
            ncage_parse(bad)


def test_references_compare_without_case_spaces_or_punctuation() -> None:
    assert reference_key("MS-3367 4") == reference_key("ms33674") == "MS33674"
