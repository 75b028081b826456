"""The codec: exact bytes, exact round trips, and one documented error for every bad input."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asde.asterix import CATEGORIES, DecodeError, EncodeError, Record, decode, encode
from asde.asterix.codec import decode_block, iter_blocks
from tests.asde.asterix.strategies import records

# A CAT 065 end-of-batch message from a recorded SDPS stream (asterix-decoder's sample data).
CAT065_BYTES = bytes.fromhex("41000c" + "F8196402043C608718")
CAT065_RECORD = Record(
    65,
    {
        "I010": {"SAC": 25, "SIC": 100},
        "I000": {"Typ": 2},
        "I015": {"SID": 4},
        "I030": {"ToD": 30913.0546875},
        "I020": {"BTN": 24},
    },
)


def test_a_cat065_message_decodes_to_its_values_and_back_to_its_bytes() -> None:
    assert decode(CAT065_BYTES) == [CAT065_RECORD]
    assert encode([CAT065_RECORD]) == CAT065_BYTES


def test_a_cat062_track_encodes_to_exact_bytes() -> None:
    record = Record(
        62,
        {
            "I010": {"SAC": 25, "SIC": 100},
            "I040": {"TrkN": 4980},
            "I060": {"V": 0, "G": 0, "CH": 0, "Mode3A": "7500"},
            "I105": {"Lat": 50.0, "Lon": 30.5},
            "I380": {"ID": {"ACID": "AUI101  "}},
        },
    )

    data = encode([record])

    # FSPEC: FRN 1 (010) and 5 (105), FX / FRN 9 (060), 11 (380) and 12 (040).
    assert data[:5] == bytes([62, 0, len(data), 0x89, 0x58])
    lat = round(50.0 / (180 / 2**25)).to_bytes(4, "big", signed=True)
    assert lat in data
    assert bytes.fromhex("0f40") in data  # Mode 3/A 7500 in octal: 0o7500 = 0x0F40
    decoded = decode(data)[0]
    lsb = 180 / 2**25
    assert abs(decoded["I105"]["Lat"] - 50.0) <= lsb / 2
    assert abs(decoded["I105"]["Lon"] - 30.5) <= lsb / 2
    assert decoded["I380"] == {"ID": {"ACID": "AUI101  "}}
    assert encode([decoded]) == data


@pytest.mark.parametrize(
    ("data", "offset", "reason"),
    [
        (b"\x3e\x00", 0, "truncated data block header"),
        (b"\x3e\x00\x02\x80", 1, "shorter than its header"),
        (b"\x3e\x00\x09\x80\x19", 1, "runs past the data"),
        (b"\x3e\x00\x04\x81", 4, "FSPEC runs past the end"),
        (b"\x3e\x00\x05\x80\x19", 4, "item needs 2 octets"),
        (b"\x99\x00\x06\x80\x19\x64", 0, "unknown category 153"),
        (b"\x3e\x00\x05\x40\x19", 4, "FRN 2 is not used"),
        (b"\x41\x00\x05\x04\xff", 4, "spare bits are set"),  # CAT 065 I040 with spare bits
    ],
)
def test_bad_bytes_raise_decode_error_with_offset_and_reason(
    data: bytes, offset: int, reason: str
) -> None:
    with pytest.raises(DecodeError) as info:
        decode(data)

    assert info.value.offset == offset
    assert reason in info.value.reason


def test_a_bad_block_is_reported_and_the_next_block_still_decodes() -> None:
    bad = b"\x41\x00\x05\x04\xff"
    results = list(iter_blocks(bad + CAT065_BYTES))

    assert isinstance(results[0], DecodeError)
    assert results[1] == [CAT065_RECORD]


@pytest.mark.parametrize(
    ("record", "item"),
    [
        (Record(62, {"I040": {"TrkN": 70000}}), "I062/040"),
        (Record(62, {"I060": {"V": 0, "G": 0, "CH": 0, "Mode3A": "8000"}}), "I062/060"),
        (Record(62, {"I999": {}}), "I999"),
        (Record(62, {"I010": {"SAC": 1}}), "I062/010"),
        (Record(62, {"I245": {"STI": 0, "TId": "ab$"}}), "I062/245"),
        (Record(7, {"I010": {"SAC": 1, "SIC": 2}}), "CAT 7"),
    ],
)
def test_records_that_cannot_be_encoded_raise_encode_error_naming_the_item(
    record: Record, item: str
) -> None:
    with pytest.raises(EncodeError) as info:
        encode([record])

    assert info.value.item == item


@pytest.mark.parametrize("category", sorted(CATEGORIES))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_every_item_of_every_category_round_trips(category: int, data: st.DataObject) -> None:
    batch = data.draw(st.lists(records(category), min_size=1, max_size=4))

    encoded = encode(batch)

    assert decode(encoded) == batch
    assert encode(decode(encoded)) == encoded


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_garbage_raises_only_decode_error(data: bytes) -> None:
    with contextlib.suppress(DecodeError):
        decode(data)


def test_many_records_fill_several_blocks_of_at_most_65535_bytes() -> None:
    many = [CAT065_RECORD] * 10_000  # 9 bytes each

    data = encode(many)

    first, end = decode_block(data)
    assert end <= 65535 and len(first) == (65535 - 3) // 9
    assert decode(data) == many
