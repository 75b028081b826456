"""Hypothesis strategies that build valid records of any category from the codec's own spec."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from asde.asterix import CATEGORIES, Record
from asde.asterix.spec import (
    Compound,
    Explicit,
    Extended,
    Field,
    Fixed,
    Format,
    Repetitive,
    RepetitiveFX,
)

SIXBIT_TEXT = "ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789"
ASCII_TEXT = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -/"


def field_values(field: Field) -> st.SearchStrategy[Any]:
    bits = field.bits
    if field.kind == "o":
        return st.integers(0, (1 << bits) - 1).map(lambda v: format(v, "o").zfill(bits // 3))
    if field.kind == "x":
        return st.integers(0, (1 << bits) - 1).map(lambda v: format(v, "X").zfill(bits // 4))
    if field.kind == "c6":
        return st.text(SIXBIT_TEXT, min_size=bits // 6, max_size=bits // 6)
    if field.kind == "a":
        return st.text(ASCII_TEXT, min_size=bits // 8, max_size=bits // 8)
    if field.kind == "s":
        raw = st.integers(-(1 << (bits - 1)), (1 << (bits - 1)) - 1)
    else:
        raw = st.integers(0, (1 << bits) - 1)
    if field.scale is not None:
        scale = field.scale
        return raw.map(lambda v: v * scale)
    return raw


def fixed_values(fmt: Fixed) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {f.name: field_values(f) for f in fmt.fields if f.kind != "spare" and f.name != "FX"}
    )


def format_values(fmt: Format) -> st.SearchStrategy[Any]:
    if isinstance(fmt, Fixed):
        return fixed_values(fmt)
    if isinstance(fmt, Extended):
        parts = fmt.parts

        @st.composite
        def extended(draw: st.DrawFn) -> dict[str, Any]:
            count = draw(st.integers(1, len(parts)))
            out: dict[str, Any] = {}
            for part in parts[:count]:
                out.update(draw(fixed_values(part)))
            return out

        return extended()
    if isinstance(fmt, Repetitive):
        return st.lists(format_values(fmt.element), max_size=3)
    if isinstance(fmt, RepetitiveFX):
        return st.lists(fixed_values(fmt.element), min_size=1, max_size=3)
    if isinstance(fmt, Compound):
        subfields = [s for s in fmt.subfields if s is not None]

        @st.composite
        def compound(draw: st.DrawFn) -> dict[str, Any]:
            chosen = draw(
                st.lists(st.sampled_from(subfields), min_size=1, unique_by=lambda s: s[0])
            )
            return {name: draw(format_values(sub)) for name, sub in chosen}

        return compound()
    if isinstance(fmt, Explicit):
        return st.binary(max_size=20)
    raise TypeError(fmt)


def records(category: int) -> st.SearchStrategy[Record]:
    spec = CATEGORIES[category]
    names = [n for n in spec.uap if n is not None]

    @st.composite
    def record(draw: st.DrawFn) -> Record:
        chosen = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        items = {}
        for name in chosen:
            key = name if name in ("RE", "SP") else f"I{name}"
            items[key] = draw(format_values(spec.items[name]))
        return Record(category, items)

    return record()
