"""An ASTERIX byte stream cut into data blocks: sans-I/O, bytes in as they arrive, blocks out.

A TCP stream carries data blocks back to back, each starting with its category (one octet)
and its length (two octets, the whole block's). What is left of a block waits for the next
bytes. A length under 3 octets cannot be true: the stream is lost from there on (the reader
should drop the connection and start again at a block boundary).
"""

from __future__ import annotations

from asde.asterix.errors import DecodeError

# A block's own header: category and length.
_HEADER = 3


class BlockSplitter:
    """Feed it bytes with `receive_data`; `blocks_received` gives the complete blocks so far
    (joined, ready for the decoder); after a false length it raises `DecodeError` and takes no
    more bytes."""

    def __init__(self) -> None:
        self._buffer = bytearray()
        self._offset = 0  # of the buffer's start in the whole stream, for the error message
        self._lost: DecodeError | None = None

    def receive_data(self, data: bytes) -> None:
        if self._lost is not None:
            raise self._lost
        self._buffer += data

    def blocks_received(self) -> bytes:
        """The complete blocks received so far, back to back (b"" when none is complete).
        Raises `DecodeError` at a false length, after the blocks before it were taken."""
        if self._lost is not None:
            raise self._lost
        buffer, end = self._buffer, 0
        while len(buffer) - end >= _HEADER:
            length = int.from_bytes(buffer[end + 1 : end + 3], "big")
            if length < _HEADER:
                self._lost = DecodeError(
                    self._offset + end, f"a data block of length {length}: the stream is lost"
                )
                break
            if len(buffer) - end < length:
                break
            end += length
        blocks = bytes(buffer[:end])
        del buffer[:end]
        self._offset += end
        if self._lost is not None and not blocks:
            raise self._lost
        return blocks

    @property
    def lost(self) -> bool:
        """A false length was met: the stream cannot be cut any further."""
        return self._lost is not None

    @property
    def pending(self) -> int:
        """Octets of an incomplete block waiting for the rest."""
        return len(self._buffer)
