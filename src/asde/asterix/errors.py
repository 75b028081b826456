"""The one exception type of the ASTERIX codec, split by direction as h11 does."""

from __future__ import annotations


class AsterixError(Exception):
    """Base of every error the codec raises; nothing else escapes `decode` or `encode`."""


class DecodeError(AsterixError):
    """The bytes are not valid ASTERIX: says where (byte offset) and why."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(f"offset {offset}: {reason}")
        self.offset = offset
        self.reason = reason


class EncodeError(AsterixError):
    """A record cannot be encoded: names the item and why (a value out of range, a bad name)."""

    def __init__(self, item: str, reason: str) -> None:
        super().__init__(f"{item}: {reason}")
        self.item = item
        self.reason = reason
