"""The ASTERIX codec: sans-I/O, bytes in and typed records out, and back.

Categories: 062 (system tracks), 065 (SDPS service status), 034 (radar service messages),
048 (monoradar target reports), 021 (ADS-B) and 004 (safety-net messages).
"""

from asde.asterix import cat004, cat021, cat034, cat048, cat062, cat065  # noqa: F401
from asde.asterix.codec import (
    CATEGORIES,
    Record,
    decode,
    decode_block,
    encode,
    iter_blocks,
)
from asde.asterix.errors import AsterixError, DecodeError, EncodeError

__all__ = [
    "CATEGORIES",
    "AsterixError",
    "DecodeError",
    "EncodeError",
    "Record",
    "decode",
    "decode_block",
    "encode",
    "iter_blocks",
]
