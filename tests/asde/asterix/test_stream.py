"""The ASTERIX stream splitter: blocks cut at their own length, whatever the arrival pieces."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asde.asterix import DecodeError
from asde.asterix.stream import BlockSplitter

# Two blocks: CAT 062 of 5 octets, CAT 065 of 4 octets (contents do not matter to the cut).
FIRST = bytes([62, 0, 5, 0xAA, 0xBB])
SECOND = bytes([65, 0, 4, 0xCC])


def test_blocks_come_out_whole_whatever_the_pieces_they_arrive_in() -> None:
    # given a splitter fed one octet at a time
    splitter = BlockSplitter()
    out = b""
    for octet in FIRST + SECOND:
        splitter.receive_data(bytes([octet]))
        out += splitter.blocks_received()
        # then nothing comes out that is not a whole block
        assert out in (b"", FIRST, FIRST + SECOND)
    assert out == FIRST + SECOND and splitter.pending == 0


def test_half_a_block_waits_for_the_rest() -> None:
    splitter = BlockSplitter()
    splitter.receive_data(FIRST + SECOND[:2])
    assert splitter.blocks_received() == FIRST
    assert splitter.pending == 2
    splitter.receive_data(SECOND[2:])
    assert splitter.blocks_received() == SECOND


def test_a_false_length_gives_the_blocks_before_it_then_the_error() -> None:
    # given a good block, then a block whose length (2) cannot be true
    splitter = BlockSplitter()
    splitter.receive_data(FIRST + bytes([62, 0, 2, 0xFF]))
    # when the blocks are taken, then the good one comes first
    assert splitter.blocks_received() == FIRST
    assert splitter.lost
    # and then the error, naming where the stream was lost
    with pytest.raises(DecodeError) as error:
        splitter.blocks_received()
    assert error.value.offset == len(FIRST) and "length 2" in error.value.reason
    with pytest.raises(DecodeError):
        splitter.receive_data(SECOND)


@given(
    bodies=st.lists(st.binary(max_size=40), max_size=12),
    cuts=st.lists(st.integers(min_value=0, max_value=600), max_size=8),
)
def test_any_blocks_cut_anywhere_come_out_as_they_went_in(
    bodies: list[bytes], cuts: list[int]
) -> None:
    # given blocks of any contents, their stream cut at any points
    stream = b"".join(bytes([62]) + (len(b) + 3).to_bytes(2, "big") + b for b in bodies)
    points = sorted({min(c, len(stream)) for c in cuts} | {0, len(stream)})
    splitter = BlockSplitter()
    out = b""
    # when the pieces arrive one after the other
    for start, end in itertools.pairwise(points):
        splitter.receive_data(stream[start:end])
        out += splitter.blocks_received()
    # then the blocks come out whole, all of them, and nothing waits
    assert out == stream and splitter.pending == 0 and not splitter.lost
