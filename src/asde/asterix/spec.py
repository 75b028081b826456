"""The building blocks of ASTERIX items: fixed, extended, repetitive, compound and explicit.

Each block decodes from `(data, offset)` to a Python value and encodes it back. Values are in
engineering units: scaled fields become floats, codes stay integers, Mode 3/A codes are octal
strings, aircraft addresses hexadecimal strings and callsigns text. Spare bits must be zero.
Decoding then encoding a canonical record gives the same bytes: an extended item keeps as many
octets as it had (the encoder writes up to the last octet any of whose fields is present).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from asde.asterix.errors import DecodeError, EncodeError

# ICAO Annex 10 six-bit characters are the low six bits of ASCII: codes 1-26 are A-Z, 32 is
# space, 48-57 are digits. Undefined codes map to the ASCII character of the same number
# (0 to NUL, 33 to "!" ...), which collides with nothing, so decoding stays reversible.
_SIXBIT = "".join(chr(64 + c) if 1 <= c <= 26 else chr(c) for c in range(64))
_SIXBIT_INDEX = {ch: i for i, ch in enumerate(_SIXBIT)}
# For each primary-subfield octet value, the bit positions (0-6) set in it, FX excluded.
_BITS_OF_OCTET = tuple(tuple(b for b in range(7) if v & (0x80 >> b)) for v in range(256))


@dataclass(frozen=True)
class Field:
    """`bits` wide, of `kind`: u(nsigned), s(igned), o(ctal), x (hex), c6 (six-bit text),
    a(scii text) or spare; `scale` turns the raw integer into engineering units."""

    name: str
    bits: int
    kind: str = "u"
    scale: float | None = None


def parse_fields(text: str) -> list[Field]:
    """`"SAC:8 SIC:8"`, `"Lat:32:s*0.0000053644"`, `"-:4"` (spare), `"Mode3A:12:o"`."""
    fields = []
    for token in text.split():
        scale = None
        if "*" in token:
            token, scale_text = token.split("*")
            scale = float(scale_text)
        parts = token.split(":")
        name, bits = parts[0], int(parts[1])
        kind = parts[2] if len(parts) > 2 else "u"
        if name == "-":
            kind = "spare"
        fields.append(Field(name, bits, kind, scale))
    return fields


def _decoder(field: Field) -> Callable[[int], Any]:
    bits, scale = field.bits, field.scale
    if field.kind == "s":
        sign, full = 1 << (bits - 1), 1 << bits
        if scale is None:
            return lambda raw: raw - full if raw & sign else raw
        return lambda raw: (raw - full if raw & sign else raw) * scale
    if field.kind == "o":
        width = bits // 3
        return lambda raw: format(raw, "o").zfill(width)
    if field.kind == "x":
        width = bits // 4
        return lambda raw: format(raw, "X").zfill(width)
    if field.kind == "c6":
        shifts = tuple(6 * i for i in reversed(range(bits // 6)))
        table = _SIXBIT
        return lambda raw: "".join([table[(raw >> s) & 0x3F] for s in shifts])
    if field.kind == "a":
        count = bits // 8
        return lambda raw: raw.to_bytes(count, "big").decode("latin-1")
    if scale is not None:
        return lambda raw: raw * scale
    return lambda raw: raw


def _encode_value(field: Field, value: Any) -> int:
    """The raw integer of one field's value; raises ValueError with the reason."""
    bits = field.bits
    kind = field.kind
    if kind == "o":
        raw = int(str(value), 8)
    elif kind == "x":
        raw = int(str(value), 16)
    elif kind == "c6":
        text = str(value)
        if len(text) != bits // 6:
            text = text.ljust(bits // 6)[: bits // 6]
        raw = 0
        for ch in text:
            if ch not in _SIXBIT_INDEX:
                raise ValueError(f"{ch!r} is not in the six-bit character set")
            raw = (raw << 6) | _SIXBIT_INDEX[ch]
    elif kind == "a":
        data = str(value).encode("latin-1")
        if len(data) != bits // 8:
            data = data.ljust(bits // 8)[: bits // 8]
        raw = int.from_bytes(data, "big")
    else:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{value!r} is not a number")
        number = value / field.scale if field.scale is not None else value
        raw = round(number)
        if field.scale is None and raw != number:
            raise ValueError(f"{value!r} is not a whole number")
        if kind == "s":
            low, high = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
            if not low <= raw <= high:
                raise ValueError(f"{value!r} is out of range")
            return raw & ((1 << bits) - 1)
    if not 0 <= raw < (1 << bits):
        raise ValueError(f"{value!r} is out of range")
    return raw


class Format:
    """One item format: decodes from bytes and encodes a value back."""

    def decode(self, data: bytes, pos: int, end: int) -> tuple[Any, int]:
        raise NotImplementedError

    def encode(self, value: Any, item: str) -> bytes:
        raise NotImplementedError


class Fixed(Format):
    def __init__(self, fields: str | Sequence[Field]) -> None:
        self.fields = parse_fields(fields) if isinstance(fields, str) else list(fields)
        total = sum(f.bits for f in self.fields)
        if total % 8:
            raise ValueError(f"fields of {total} bits do not fill whole octets")
        self.length = total // 8
        shift = total
        self._plan: list[tuple[str, int, int, Callable[[int], Any] | None]] = []
        for f in self.fields:
            shift -= f.bits
            conv = None if f.kind == "spare" else _decoder(f)
            self._plan.append((f.name, shift, (1 << f.bits) - 1, conv))
        self.names = [f.name for f in self.fields if f.kind != "spare"]
        self.decode = self._compile()  # type: ignore[method-assign,assignment]
        self._checked_encode = self.encode
        self.encode = self._compile_encode()  # type: ignore[method-assign,assignment]

    def _compile_encode(self) -> Callable[[Any, str], bytes]:
        """Straight-line encoding of well-formed values; anything unusual (a wrong type, a
        value out of range, a missing or unknown name) goes to the checked encoder, which
        raises the precise EncodeError."""
        env: dict[str, Any] = {"slow": self._checked_encode, "_encode_value": _encode_value}
        count = len(self.names)
        lines = [
            "def encode(value, item):",
            f"    if value.__class__ is not dict or len(value) != {count}:",
            "        return slow(value, item)",
            "    try:",
            "        raw = 0",
        ]
        for index, (f, (name, shift, mask, conv)) in enumerate(
            zip(self.fields, self._plan, strict=True)
        ):
            if conv is None:
                continue
            lines.append(f"        v = value[{name!r}]")
            if f.kind == "u" and f.scale is None:
                lines += [f"        if v.__class__ is not int or not 0 <= v <= {mask}:",
                          "            return slow(value, item)"]  # fmt: skip
            elif f.kind in ("u", "s"):
                low, high = (
                    (0, mask) if f.kind == "u" else (-(1 << (f.bits - 1)), (1 << (f.bits - 1)) - 1)
                )
                scaled = f"round(v / {f.scale!r})" if f.scale is not None else "v"
                lines += ["        if v.__class__ is not int and v.__class__ is not float:",
                          "            return slow(value, item)",
                          f"        v = {scaled}",
                          f"        if not {low} <= v <= {high}:",
                          "            return slow(value, item)"]  # fmt: skip
                if f.kind == "s":
                    lines.append(f"        v &= {mask}")
            else:
                env[f"field{index}"] = f
                lines.append(f"        v = _encode_value(field{index}, v)")
            lines.append(f"        raw |= v << {shift}" if shift else "        raw |= v")
        lines += [
            f"        return raw.to_bytes({self.length}, 'big')",
            "    except Exception:",
            "        return slow(value, item)",
        ]
        exec("\n".join(lines), env)  # code built from the codec's own tables
        return env["encode"]  # type: ignore[no-any-return]

    def _compile(self) -> Callable[[bytes, int, int], tuple[dict[str, Any], int]]:
        """Straight-line decoding for this layout: the codec's hot path (about 3x a loop)."""
        env: dict[str, Any] = {"DecodeError": DecodeError}
        lines = [
            "def decode(data, pos, end):",
            f"    stop = pos + {self.length}",
            "    if stop > end:",
            f"        raise DecodeError(pos, 'item needs {self.length} octets, ' + str(end - pos) + ' left')",
            "    raw = int.from_bytes(data[pos:stop], 'big')",
        ]
        entries = self.field_lines(lines, env, "f")
        lines.append("    return {" + ", ".join(entries) + "}, stop")
        exec("\n".join(lines), env)  # code built from the codec's own tables
        return env["decode"]  # type: ignore[no-any-return]

    def field_lines(self, lines: list[str], env: dict[str, Any], tag: str) -> list[str]:
        """Appends the checks of spare bits to `lines`; returns the `name: expression` entries
        that read each field from the integer `raw`."""
        entries = []
        for index, (f, (name, shift, mask, conv)) in enumerate(
            zip(self.fields, self._plan, strict=True)
        ):
            part = f"((raw >> {shift}) & {mask})" if shift else f"(raw & {mask})"
            if conv is None:
                lines.append(f"    if {part}:")
                lines.append("        raise DecodeError(pos, 'spare bits are set')")
                continue
            if f.kind == "u" and f.scale is None:
                expr = part
            elif f.kind == "u":
                expr = f"{part} * {f.scale!r}"
            elif f.kind == "s":
                var = f"v{tag}{index}"
                lines.append(f"    {var} = {part}")
                signed = f"({var} - {1 << f.bits} if {var} & {1 << (f.bits - 1)} else {var})"
                expr = signed if f.scale is None else f"{signed} * {f.scale!r}"
            else:
                env[f"conv{tag}{index}"] = conv
                expr = f"conv{tag}{index}({part})"
            entries.append(f"{name!r}: {expr}")
        return entries

    def encode(self, value: Any, item: str) -> bytes:
        if not isinstance(value, dict):
            raise EncodeError(item, f"expected a mapping of {', '.join(self.names)}")
        raw = 0
        for f, (name, shift, _mask, conv) in zip(self.fields, self._plan, strict=True):
            if conv is None:
                continue
            if name not in value:
                raise EncodeError(item, f"“{name}” is missing")
            try:
                raw |= _encode_value(f, value[name]) << shift
            except (ValueError, TypeError) as exc:
                raise EncodeError(item, f"{name}: {exc}") from None
        unknown = set(value) - set(self.names)
        if unknown:
            raise EncodeError(item, f"unknown subfields: {', '.join(sorted(unknown))}")
        return raw.to_bytes(self.length, "big")


class Extended(Format):
    """Octet groups each ending with an FX bit: the first group, then extensions while FX=1."""

    def __init__(self, *parts: str) -> None:
        # Each part's text covers its octets but the final FX bit.
        self.parts = [Fixed([*parse_fields(p), Field("FX", 1)]) for p in parts]
        self.decode = self._compile()  # type: ignore[method-assign,assignment]

    def _compile(self) -> Callable[[bytes, int, int], tuple[dict[str, Any], int]]:
        """Straight-line decoding of the octet groups, stopping at the first FX=0."""
        env: dict[str, Any] = {"DecodeError": DecodeError}
        lines = ["def decode(data, pos, end):", "    out = {}"]
        for index, part in enumerate(self.parts):
            length = part.length
            lines += [
                f"    if pos + {length} > end:",
                f"        raise DecodeError(pos, 'item needs {length} octets, ' + str(end - pos) + ' left')",
                f"    raw = int.from_bytes(data[pos:pos + {length}], 'big')",
            ]
            entries = [
                e for e in part.field_lines(lines, env, f"p{index}_") if not e.startswith("'FX'")
            ]
            lines.append("    out.update({" + ", ".join(entries) + "})")
            lines.append(f"    pos += {length}")
            lines.append("    if not raw & 1:")
            lines.append("        return out, pos")
        lines.append(
            "    raise DecodeError(pos - 1, 'extension bit set past the last defined octet')"
        )
        exec("\n".join(lines), env)  # code built from the codec's own tables
        return env["decode"]  # type: ignore[no-any-return]

    def encode(self, value: Any, item: str) -> bytes:
        if not isinstance(value, dict):
            raise EncodeError(item, "expected a mapping")
        last = 0
        for index, part in enumerate(self.parts):
            if any(name in value for name in part.names if name != "FX"):
                last = index
        known = {n for p in self.parts for n in p.names if n != "FX"}
        unknown = set(value) - known
        if unknown:
            raise EncodeError(item, f"unknown subfields: {', '.join(sorted(unknown))}")
        out = bytearray()
        for index in range(last + 1):
            part = self.parts[index]
            values = {n: value.get(n, 0) for n in part.names if n != "FX"}
            values["FX"] = 1 if index < last else 0
            out += part.encode(values, item)
        return bytes(out)


class Repetitive(Format):
    """A one-octet repetition count, then that many elements."""

    def __init__(self, element: Format) -> None:
        self.element = element

    def decode(self, data: bytes, pos: int, end: int) -> tuple[list[Any], int]:
        if pos >= end:
            raise DecodeError(pos, "repetition count missing")
        count = data[pos]
        pos += 1
        out = []
        for _ in range(count):
            value, pos = self.element.decode(data, pos, end)
            out.append(value)
        return out, pos

    def encode(self, value: Any, item: str) -> bytes:
        if not isinstance(value, list) or len(value) > 255:
            raise EncodeError(item, "expected a list of at most 255 elements")
        return bytes([len(value)]) + b"".join(self.element.encode(v, item) for v in value)


class RepetitiveFX(Format):
    """Elements each ending with an FX bit, repeated while FX=1 (e.g. warning conditions)."""

    def __init__(self, fields: str) -> None:
        self.element = Fixed([*parse_fields(fields), Field("FX", 1)])

    def decode(self, data: bytes, pos: int, end: int) -> tuple[list[Any], int]:
        out = []
        while True:
            values, pos = self.element.decode(data, pos, end)
            fx = values.pop("FX")
            out.append(values)
            if not fx:
                return out, pos

    def encode(self, value: Any, item: str) -> bytes:
        if not isinstance(value, list) or not value:
            raise EncodeError(item, "expected a non-empty list")
        chunks = []
        for index, element in enumerate(value):
            if not isinstance(element, dict):
                raise EncodeError(item, "expected mappings")
            fields = {**element, "FX": 1 if index < len(value) - 1 else 0}
            chunks.append(self.element.encode(fields, item))
        return b"".join(chunks)


class Compound(Format):
    """A primary subfield (presence bits, FX every seventh) followed by the present subfields."""

    def __init__(self, subfields: Sequence[tuple[str, Format] | None]) -> None:
        self.subfields = list(subfields)
        self.by_name = {s[0]: (i, s[1]) for i, s in enumerate(self.subfields) if s is not None}
        self._decoders = [None if s is None else (s[0], s[1].decode) for s in self.subfields]

    def decode(self, data: bytes, pos: int, end: int) -> tuple[dict[str, Any], int]:
        present: list[int] = []
        index = 0
        while True:
            if pos >= end:
                raise DecodeError(pos, "compound item ends inside its presence octets")
            octet = data[pos]
            pos += 1
            for bit in _BITS_OF_OCTET[octet]:
                present.append(index + bit)
            index += 7
            if not octet & 1:
                break
        if not present:
            raise DecodeError(pos - 1, "compound item without any subfield")
        out: dict[str, Any] = {}
        decoders = self._decoders
        for i in present:
            entry = decoders[i] if i < len(decoders) else None
            if entry is None:
                raise DecodeError(pos, f"compound subfield {i + 1} is not defined")
            out[entry[0]], pos = entry[1](data, pos, end)
        return out, pos

    def encode(self, value: Any, item: str) -> bytes:
        if not isinstance(value, dict) or not value:
            raise EncodeError(item, "expected a mapping of subfields")
        indices = []
        for name in value:
            if name not in self.by_name:
                raise EncodeError(item, f"unknown subfield “{name}”")
            indices.append(self.by_name[name][0])
        octets = max(indices) // 7 + 1
        primary = bytearray(octets)
        for i in indices:
            primary[i // 7] |= 0x80 >> (i % 7)
        for o in range(octets - 1):
            primary[o] |= 1
        body = b"".join(
            self.by_name[name][1].encode(value[name], f"{item}/{name}")
            for name in sorted(value, key=lambda n: self.by_name[n][0])
        )
        return bytes(primary) + body


class Explicit(Format):
    """RE and SP: a length octet (counting itself), then bytes passed through unread."""

    def decode(self, data: bytes, pos: int, end: int) -> tuple[bytes, int]:
        if pos >= end:
            raise DecodeError(pos, "explicit item without its length")
        length = data[pos]
        if length < 1 or pos + length > end:
            raise DecodeError(pos, f"explicit item length {length} runs past the record")
        return bytes(data[pos + 1 : pos + length]), pos + length

    def encode(self, value: Any, item: str) -> bytes:
        if isinstance(value, str):
            try:
                value = bytes.fromhex(value)
            except ValueError:
                raise EncodeError(item, "expected bytes or hexadecimal text") from None
        if not isinstance(value, bytes | bytearray) or len(value) > 254:
            raise EncodeError(item, "expected at most 254 bytes")
        return bytes([len(value) + 1]) + bytes(value)


@dataclass(frozen=True)
class Category:
    """A category: its number, edition and User Application Profile (items by FRN)."""

    number: int
    edition: str
    uap: tuple[str | None, ...]
    items: dict[str, Format]

    def __post_init__(self) -> None:
        for name in self.uap:
            if name is not None and name not in self.items:
                raise ValueError(f"CAT {self.number:03d}: UAP names unknown item {name}")

    @property
    def frn(self) -> dict[str, int]:
        return {name: i for i, name in enumerate(self.uap) if name is not None}
