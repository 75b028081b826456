"""Bytes in, records out, and back: ASTERIX data blocks without any I/O."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from asde.asterix.errors import AsterixError, DecodeError, EncodeError
from asde.asterix.spec import Category

CATEGORIES: dict[int, Category] = {}
T = TypeVar("T")
MAX_BLOCK = 0xFFFF


def register(category: Category) -> Category:
    CATEGORIES[category.number] = category
    return category


@dataclass(frozen=True)
class Record:
    """One ASTERIX record: its category and its items keyed `I010`, `I105`, `RE`, `SP`."""

    category: int
    items: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.items[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.items.get(key, default)


def _item_key(name: str) -> str:
    return name if name in ("RE", "SP") else f"I{name}"


# For each FSPEC/primary octet value, the bit positions (0-6) set in it, FX excluded.
BITS_OF_OCTET: tuple[tuple[int, ...], ...] = tuple(
    tuple(bit for bit in range(7) if value & (0x80 >> bit)) for value in range(256)
)


def _plan(category: Category) -> tuple[tuple[str, Any] | None, ...]:
    """The item key and format of each FRN, looked up once per category."""
    cached = _PLANS.get(category.number)
    if cached is None:
        cached = tuple(
            None if name is None else (_item_key(name), category.items[name].decode)
            for name in category.uap
        )
        _PLANS[category.number] = cached
    return cached


_PLANS: dict[int, tuple[tuple[str, Any] | None, ...]] = {}


def decode_record(category: Category, data: bytes, pos: int, end: int) -> tuple[Record, int]:
    """One record starting at `pos`; returns it and the offset after it."""
    plan = _plan(category)
    size = len(plan)
    present: list[int] = []
    frn = 0
    while True:
        if pos >= end:
            raise DecodeError(pos, "FSPEC runs past the end of the data block")
        octet = data[pos]
        pos += 1
        for bit in BITS_OF_OCTET[octet]:
            present.append(frn + bit)
        frn += 7
        if not octet & 1:
            break
    if not present:
        raise DecodeError(pos, "record without any item")
    items: dict[str, Any] = {}
    for index in present:
        entry = plan[index] if index < size else None
        if entry is None:
            raise DecodeError(pos, f"FRN {index + 1} is not used in CAT {category.number:03d}")
        items[entry[0]], pos = entry[1](data, pos, end)
    return Record(category.number, items), pos


def decode_block(data: bytes, offset: int = 0) -> tuple[list[Record], int]:
    """The records of the data block at `offset`; returns them and the offset after the block."""
    if len(data) - offset < 3:
        raise DecodeError(offset, "truncated data block header")
    cat = data[offset]
    length = int.from_bytes(data[offset + 1 : offset + 3], "big")
    if length < 3:
        raise DecodeError(offset + 1, f"data block length {length} is shorter than its header")
    end = offset + length
    if end > len(data):
        raise DecodeError(offset + 1, f"data block length {length} runs past the data")
    category = CATEGORIES.get(cat)
    if category is None:
        raise DecodeError(offset, f"unknown category {cat}")
    pos = offset + 3
    records = []
    while pos < end:
        record, pos = decode_record(category, data, pos, end)
        records.append(record)
    if not records:
        raise DecodeError(offset, "data block without any record")
    return records, end


def decode(data: bytes) -> list[Record]:
    """Every record of every data block in `data`; the first bad block raises DecodeError."""
    data = bytes(data)
    records: list[Record] = []
    pos = 0
    while pos < len(data):
        block, pos = decode_block(data, pos)
        records.extend(block)
    return records


def iter_blocks(data: bytes) -> Iterator[list[Record] | DecodeError]:
    """Each data block's records, or the error of a bad block; goes on after a bad block
    when its length field is believable, and stops when nothing more can be trusted."""
    return each_block(data, decode_block)


def each_block(
    data: bytes, decode: Callable[[bytes, int], tuple[T, int]]
) -> Iterator[T | DecodeError]:
    """`decode(data, offset) -> (result, next offset)` over every data block, as iter_blocks."""
    data = bytes(data)
    pos = 0
    while pos < len(data):
        try:
            block, pos = decode(data, pos)
        except DecodeError as error:
            yield error
            if len(data) - pos < 3:
                return
            length = int.from_bytes(data[pos + 1 : pos + 3], "big")
            if length < 3 or pos + length > len(data):
                return
            pos += length
        else:
            yield block


def encode_record(record: Record) -> bytes:
    category = CATEGORIES.get(record.category)
    if category is None:
        raise EncodeError(f"CAT {record.category}", "unknown category")
    frns = category.frn
    indices = []
    for key in record.items:
        name = key[1:] if key.startswith("I") else key
        if name not in frns:
            raise EncodeError(key, f"not an item of CAT {record.category:03d}")
        indices.append((frns[name], name, key))
    if not indices:
        raise EncodeError(f"CAT {record.category:03d}", "record without any item")
    indices.sort()
    octets = indices[-1][0] // 7 + 1
    fspec = bytearray(octets)
    for frn, _name, _key in indices:
        fspec[frn // 7] |= 0x80 >> (frn % 7)
    for i in range(octets - 1):
        fspec[i] |= 1
    body = b"".join(
        category.items[name].encode(record.items[key], f"I{record.category:03d}/{name}")
        for _frn, name, key in indices
    )
    return bytes(fspec) + body


def encode(records: Iterable[Record]) -> bytes:
    """Data blocks holding the records: consecutive records of one category share a block."""
    out = bytearray()
    current: int | None = None
    block = bytearray()

    def flush() -> None:
        if current is not None and block:
            out.extend(bytes([current]) + (len(block) + 3).to_bytes(2, "big") + block)

    for record in records:
        body = encode_record(record)
        if record.category != current or len(block) + len(body) + 3 > MAX_BLOCK:
            flush()
            current = record.category
            block = bytearray()
        block += body
    flush()
    return bytes(out)


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
