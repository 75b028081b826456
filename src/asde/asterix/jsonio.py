"""Records as JSON objects: `category` and items keyed `I062/105`, values in engineering units."""

from __future__ import annotations

from typing import Any

from asde.asterix.codec import Record
from asde.asterix.errors import EncodeError


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.hex().upper()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def record_to_json(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {"category": record.category}
    for key, value in record.items.items():
        name = key[1:] if key.startswith("I") else key
        out[f"I{record.category:03d}/{name}"] = _plain(value)
    return out


def record_from_json(obj: Any) -> Record:
    if not isinstance(obj, dict) or not isinstance(obj.get("category"), int):
        raise EncodeError("record", "expected an object with an integer “category”")
    category = obj["category"]
    prefix = f"I{category:03d}/"
    items: dict[str, Any] = {}
    for key, value in obj.items():
        if key == "category":
            continue
        if not key.startswith(prefix):
            raise EncodeError(key, f"item keys of CAT {category:03d} start with {prefix}")
        name = key[len(prefix) :]
        if name in ("RE", "SP"):
            try:
                items[name] = bytes.fromhex(value)
            except (TypeError, ValueError):
                raise EncodeError(key, "expected hexadecimal text") from None
        else:
            items[f"I{name}"] = value
    return Record(category, items)
