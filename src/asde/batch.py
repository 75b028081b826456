"""CAT 062 a data block at a time: the hot path of decode -> picture -> filter -> encode.

The record-at-a-time path (decode -> Record -> report_from_cat062; track_to_cat062 -> decide
-> encode) is the reference: it names every field and explains every decision. This module
gives the same results for whole data blocks, doing the per-field work with numpy on the
columns of records that share a layout (the same FSPEC, extensions and compound subfields, so
the same length and the same field offsets). What it does not cover goes to the reference
path, so that errors and results stay exactly the reference's: another category, an item
whose length its presence bits do not give (repetitive, explicit), a spare bit set, a value
out of range. The tests hold the two paths equal on recordings and on generated records.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar

import numpy as np

from asde.agreements import SOURCES, CompiledFilter, TrackColumns
from asde.asterix import CATEGORIES, DecodeError, Record, decode_block, encode
from asde.asterix.codec import MAX_BLOCK, decode_record, each_block
from asde.asterix.spec import Compound, Extended, Fixed, Format, _encode_value
from asde.convert import (
    DAY,
    KT_TO_MS,
    SystemId,
    _callsign,
    report_from_cat021,
    report_from_cat062,
    track_to_cat062,
)
from asde.picture import Track, TrackStatus
from asde.reports import Source, TargetReport, icao_address, mode3a_code
from asde.timeline import Timeline, TimeOfDayError, nearest_day

CAT062 = CATEGORIES[62]
EMERGENCY_CODES = ("7500", "7600", "7700")


CODES = 100_000  # addresses and callsigns remembered: a picture of 20,000 tracks fits


class _Irregular(Exception):
    """Not for the fast path: the block goes to the reference path."""


K = TypeVar("K")
V = TypeVar("V")


def _remember(cache: dict[K, V], key: K, value: V, limit: int) -> V:
    """Caches grow with what the inputs send: a peer sending garbage must not grow them
    without end, so a full cache starts again (the values are cheap to learn again)."""
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value


# -- decoding ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Piece:
    """A fixed part of a record at its offset: a fixed item, an octet group of an extended
    item, or a subfield of a compound item."""

    item: str  # "105", "380/ID", "080" ...
    offset: int
    format: Fixed


def _compound_lengths(compound: Compound) -> tuple[dict[bytes, int], Callable[[bytes], int]]:
    """The lengths of a compound item's subfields by presence octets, learnt as they are met,
    and what learns one: the sum when every present subfield is fixed; it raises _Irregular
    otherwise (the reference path then decides)."""
    lengths: dict[bytes, int] = {}

    def learn(primary: bytes) -> int:
        total = 0
        for _index, (_name, fmt) in _compound_members(compound, primary):
            if not isinstance(fmt, Fixed):
                raise _Irregular
            total += fmt.length
        _remember(lengths, primary, total, 1024)
        return total

    return lengths, learn


def _compound_members(compound: Compound, primary: bytes) -> list[tuple[int, tuple[str, Format]]]:
    members = []
    for octet_index, octet in enumerate(primary):
        for bit in range(7):
            if octet & (0x80 >> bit):
                index = octet_index * 7 + bit
                entry = compound.subfields[index] if index < len(compound.subfields) else None
                if entry is None:
                    raise _Irregular
                members.append((index, entry))
    if not members:
        raise _Irregular
    return members


def _make_walker(fspec: bytes) -> Callable[[bytes, int], tuple[int, tuple[Any, ...]]] | None:
    """Straight-line code that steps over one record with this FSPEC and returns where it ends
    and its layout (the FSPEC, each extended item's octet groups, each compound item's
    presence octets); None when an item of the FSPEC is not for the fast path."""
    names: list[str] = []
    for octet_index, octet in enumerate(fspec):
        for bit in range(7):
            if octet & (0x80 >> bit):
                frn = octet_index * 7 + bit
                name = CAT062.uap[frn] if frn < len(CAT062.uap) else None
                if name is None:
                    return None
                names.append(name)
    if not names:
        return None
    env: dict[str, Any] = {"Irregular": _Irregular, "FSPEC": fspec}
    lines = ["def walk(data, p):"]
    layout = ["FSPEC"]
    for index, name in enumerate(names):
        fmt = CAT062.items[name]
        if isinstance(fmt, Fixed):
            lines.append(f"    p += {fmt.length}")
        elif isinstance(fmt, Extended):
            var = f"n{index}"
            layout.append(var)
            indent = "    "
            for part_index, part in enumerate(fmt.parts):
                lines.append(f"{indent}p += {part.length}")
                lines.append(f"{indent}{var} = {part_index + 1}")
                lines.append(f"{indent}if data[p - 1] & 1:")
                indent += "    "
            lines.append(f"{indent}raise Irregular")
        elif isinstance(fmt, Compound):
            var = f"k{index}"
            layout.append(var)
            env[f"lengths{index}"], env[f"learn{index}"] = _compound_lengths(fmt)
            lines += [
                "    q = p",
                "    while data[p] & 1:",
                "        p += 1",
                "    p += 1",
                f"    {var} = data[q:p]",
                f"    length = lengths{index}.get({var})",
                f"    p += length if length is not None else learn{index}({var})",
            ]
        else:
            return None
    lines.append(f"    return p, ({', '.join(layout)},)")
    exec("\n".join(lines), env)  # code built from the codec's own tables
    return env["walk"]  # type: ignore[no-any-return]


_WALKERS: dict[bytes, Callable[[bytes, int], tuple[int, tuple[Any, ...]]] | None] = {}


class _Layout:
    """Where each fixed part sits in records of one layout, and which bits must be zero."""

    def __init__(self, layout: tuple[Any, ...]) -> None:
        fspec, *structure = layout
        pieces: list[_Piece] = []
        offset = len(fspec)
        structure_iter = iter(structure)
        for octet_index, octet in enumerate(fspec):
            for bit in range(7):
                if not octet & (0x80 >> bit):
                    continue
                name = CAT062.uap[octet_index * 7 + bit]
                assert name is not None
                fmt = CAT062.items[name]
                if isinstance(fmt, Fixed):
                    pieces.append(_Piece(name, offset, fmt))
                    offset += fmt.length
                elif isinstance(fmt, Extended):
                    for part in fmt.parts[: next(structure_iter)]:
                        pieces.append(_Piece(name, offset, part))
                        offset += part.length
                elif isinstance(fmt, Compound):
                    primary = next(structure_iter)
                    offset += len(primary)
                    for _index, (sub, sub_fmt) in _compound_members(fmt, primary):
                        assert isinstance(sub_fmt, Fixed)
                        pieces.append(_Piece(f"{name}/{sub}", offset, sub_fmt))
                        offset += sub_fmt.length
        self.length = offset
        spare = np.zeros(offset, dtype=np.uint8)
        self.fields: dict[tuple[str, str], tuple[int, int, int, Any]] = {}
        for piece in pieces:
            bits = piece.format.length * 8
            for f, (name, shift, _mask, _conv) in zip(
                piece.format.fields, piece.format._plan, strict=True
            ):
                if f.kind == "spare":
                    for bit_index in range(shift, shift + f.bits):
                        byte = piece.offset + (bits - 1 - bit_index) // 8
                        spare[byte] |= 1 << (bit_index % 8)
                elif name != "FX":
                    self.fields[(piece.item, name)] = (piece.offset, piece.format.length,
                                                       shift, f)  # fmt: skip
        self.spare = spare if spare.any() else None

    def column(self, rows: np.ndarray, item: str, name: str) -> np.ndarray | None:
        """The raw field of every row, as non-negative integers, or None if not in the layout."""
        where = self.fields.get((item, name))
        if where is None:
            return None
        offset, length, shift, f = where
        first = length - 1 - (shift + f.bits - 1) // 8
        last = length - 1 - shift // 8
        value = rows[:, offset + first].astype(np.int64)
        for byte in range(first + 1, last + 1):
            value = (value << 8) | rows[:, offset + byte]
        low = shift - (length - 1 - last) * 8
        if low:
            value >>= low
        return value & ((1 << f.bits) - 1)  # type: ignore[no-any-return]

    def number(self, rows: np.ndarray, item: str, name: str) -> np.ndarray | None:
        """The field in engineering units (signed and scaled as the codec does)."""
        raw = self.column(rows, item, name)
        if raw is None:
            return None
        f = self.fields[(item, name)][3]
        if f.kind == "s":
            raw = np.where(raw & (1 << (f.bits - 1)), raw - (1 << f.bits), raw)
        return raw * f.scale if f.scale is not None else raw  # type: ignore[no-any-return]


_LAYOUTS: dict[tuple[Any, ...], _Layout] = {}
_MODE3A = [format(code, "o").zfill(4) for code in range(4096)]
_ADDRESSES: dict[int, str] = {}
_CALLSIGNS: dict[int, str | None] = {}
_ACID = CAT062.items["380"].by_name["ID"][1]  # type: ignore[attr-defined]


def _walk(
    data: bytes, blocks: Sequence[tuple[int, int]]
) -> tuple[dict[tuple[Any, ...], tuple[list[int], list[int]]], list[int]]:
    """The records of the blocks (their records' start and end offsets) grouped by layout:
    each layout's record offsets and indices; and how many records each block holds."""
    groups: dict[tuple[Any, ...], tuple[list[int], list[int]]] = {}
    counts = []
    index = 0
    for start, end in blocks:
        first = index
        index = _walk_block(data, start, end, index, groups)
        if index == first:
            raise _Irregular
        counts.append(index - first)
    return groups, counts


def _walk_block(
    data: bytes,
    start: int,
    end: int,
    index: int,
    groups: dict[tuple[Any, ...], tuple[list[int], list[int]]],
) -> int:
    walkers = _WALKERS
    pos = start
    try:
        while pos < end:
            record = pos
            while data[pos] & 1:
                pos += 1
            pos += 1
            fspec = data[record:pos]
            if fspec in walkers:
                walker = walkers[fspec]
            else:
                walker = _remember(walkers, fspec, _make_walker(fspec), 4096)
            if walker is None:
                raise _Irregular
            pos, layout = walker(data, pos)
            group = groups.get(layout)
            if group is None:
                group = groups[layout] = ([], [])
            group[0].append(record)
            group[1].append(index)
            index += 1
    except IndexError:
        raise _Irregular from None
    if pos != end:
        raise _Irregular
    return index


Placement = float | Timeline  # near the receive time (live), or a recording's timeline


def _cat062_reports(
    data: bytes, blocks: Sequence[tuple[int, int]], near: Placement
) -> list[tuple[list[TargetReport], list[DecodeError]]]:
    """The reports of consecutive CAT 062 blocks (their records' start and end offsets), per
    block, with the times a recording's timeline refused; numpy works on the records of all
    of them at once."""
    groups, counts = _walk(data, blocks)
    buffer = np.frombuffer(data, dtype=np.uint8)
    count = sum(counts)
    # First every check that may send the run to the reference path: the timeline must not
    # move for reports that the reference path then places again.
    columns: list[tuple[list[int], list[int], np.ndarray | None, _Columns]] = []
    for layout_key, (offsets, indices) in groups.items():
        layout = _LAYOUTS.get(layout_key)
        if layout is None:
            layout = _remember(_LAYOUTS, layout_key, _Layout(layout_key), 4096)
        starts = np.array(offsets, dtype=np.intp)
        rows = buffer[starts[:, None] + np.arange(layout.length)]
        if layout.spare is not None and (rows & layout.spare).any():
            raise _Irregular  # the reference path names the item and offset
        cols = _columns(layout, rows, len(indices))
        if cols is not None:  # no position: no report (as the reference)
            columns.append((offsets, indices, layout.number(rows, "070", "ToT"), cols))
    refused: dict[int, DecodeError] = {}
    times = np.full(count, math.nan)  # of each record with a position
    if isinstance(near, Timeline):
        # In the order of the records, as the reference path places them.
        tods = np.full(count, math.nan)
        starts_at = np.zeros(count, dtype=np.intp)
        reported = np.zeros(count, dtype=bool)
        for offsets, indices, tod, _cols in columns:
            where = np.array(indices, dtype=np.intp)
            reported[where] = True
            starts_at[where] = offsets
            if tod is not None:
                tods[where] = tod
        order = np.flatnonzero(reported)
        times[order], placing_errors = near.place_all(tods[order])
        for position, error in placing_errors.items():
            index = int(order[position])
            refused[index] = DecodeError(int(starts_at[index]), error.reason)
    else:
        for _offsets, indices, tod, _cols in columns:
            times[indices] = near if tod is None else nearest_day(tod, near)
    out: list[TargetReport | None] = [None] * count
    ssr = Source.SSR
    for _offsets, indices, _tod, cols in columns:
        for i, t, la, lo, adr, cs, sq, alt, gs, trk, roc, alarm, system, number, end in zip(
            indices, times[indices].tolist(), *cols, strict=True
        ):  # fmt: skip
            if i in refused:
                continue
            out[i] = TargetReport(t, ssr, la, lo, adr, cs, sq, alt, gs, trk, roc, None,
                                  alarm or sq in EMERGENCY_CODES, system, number, end)  # fmt: skip
    per_block = []
    first = 0
    for size in counts:
        reports = [report for report in out[first : first + size] if report is not None]
        errors = [refused[i] for i in range(first, first + size) if i in refused]
        per_block.append((reports, errors))
        first += size
    return per_block


_Columns = tuple[list[Any], ...]


def _columns(layout: _Layout, rows: np.ndarray, n: int) -> _Columns | None:
    """What reports take from the rows, field by field in TargetReport's order (time aside);
    None without a position."""
    lat = layout.number(rows, "105", "Lat")
    lon = layout.number(rows, "105", "Lon")
    if lat is None or lon is None:
        return None
    squawks = _listed(layout.column(rows, "060", "Mode3A"), _MODE3A.__getitem__, n)
    addresses = _listed(layout.column(rows, "380/ADR", "ADR"), _address, n)
    callsigns = _listed(layout.column(rows, "380/ID", "ACID"), _acid, n)
    altitudes = _listed(layout.number(rows, "136", "MFL"), None, n)
    rates = _listed(layout.number(rows, "220", "RoC"), None, n)
    me = layout.column(rows, "080", "ME")
    alarms = [False] * n if me is None else me.astype(bool).tolist()
    vx = layout.number(rows, "185", "Vx")
    vy = layout.number(rows, "185", "Vy")
    speeds: list[float | None] = [None] * n
    courses: list[float | None] = [None] * n
    if vx is not None and vy is not None:
        hypot, atan2, degrees = math.hypot, math.atan2, math.degrees
        pairs = list(zip(vx.tolist(), vy.tolist(), strict=True))
        speeds = [hypot(x, y) / KT_TO_MS for x, y in pairs]
        courses = [degrees(atan2(x, y)) % 360 for x, y in pairs]
    sacs = _listed(layout.column(rows, "010", "SAC"), None, n)
    sics = _listed(layout.column(rows, "010", "SIC"), None, n)
    systems = [None if a is None else (a, b) for a, b in zip(sacs, sics, strict=True)]
    numbers = _listed(layout.column(rows, "040", "TrkN"), None, n)
    tse = layout.column(rows, "080", "TSE")
    ends = [False] * n if tse is None else tse.astype(bool).tolist()
    return (lat.tolist(), lon.tolist(), addresses, callsigns, squawks, altitudes, speeds,
            courses, rates, alarms, systems, numbers, ends)  # fmt: skip


def _listed(values: np.ndarray | None, convert: Callable[[int], Any] | None, n: int) -> list[Any]:
    if values is None:
        return [None] * n
    listed = values.tolist()
    return listed if convert is None else [convert(v) for v in listed]


def _address(raw: int) -> str:
    text = _ADDRESSES.get(raw)
    if text is None:
        text = _remember(_ADDRESSES, raw, format(raw, "X").zfill(6), CODES)
    return text


def _acid(raw: int) -> str | None:
    if raw in _CALLSIGNS:
        return _CALLSIGNS[raw]
    text = _ACID.decode(raw.to_bytes(6, "big"), 0, 6)[0]["ACID"].strip() or None
    _remember(_CALLSIGNS, raw, text, CODES)
    return text


def block_reports(data: bytes, offset: int, near: float) -> tuple[list[TargetReport], int]:
    """The target reports of the data block at `offset` (CAT 062 tracks, CAT 021 ADS-B; other
    categories give none) and the offset after it; a bad block raises DecodeError, as
    decode_block does. `near` (the receive time) places times of day on a date."""
    reports, _refused, end = _block_reports(data, offset, near)
    return reports, end


def _block_reports(
    data: bytes, offset: int, near: Placement
) -> tuple[list[TargetReport], list[DecodeError], int]:
    """block_reports, on a recording's timeline too: with the times it refused."""
    if len(data) - offset >= 3 and data[offset] == 62:
        length = int.from_bytes(data[offset + 1 : offset + 3], "big")
        end = offset + length
        if length > 3 and end <= len(data):
            try:
                reports, refused = _cat062_reports(data, [(offset + 3, end)], near)[0]
                return reports, refused, end
            except _Irregular:
                pass
    records, end = decode_block(data, offset)
    reports = []
    refused = []
    for index, record in enumerate(records):
        try:
            if record.category == 62:
                report = report_from_cat062(record, near)
            elif record.category == 21:
                report = report_from_cat021(record, near)
            else:
                continue
        except TimeOfDayError as error:
            refused.append(DecodeError(_record_offset(data, offset, index), error.reason))
            continue
        if report is not None:
            reports.append(report)
    return reports, refused, end


def _record_offset(data: bytes, offset: int, index: int) -> int:
    """Where the block's record `index` starts (the block decoded once already)."""
    category = CATEGORIES[data[offset]]
    end = offset + int.from_bytes(data[offset + 1 : offset + 3], "big")
    pos = offset + 3
    for _ in range(index):
        _record, pos = decode_record(category, data, pos, end)
    return pos


def iter_reports(data: bytes, near: Placement) -> Iterator[list[TargetReport] | DecodeError]:
    """Each data block's target reports, or the error of a bad block (as iter_blocks); on a
    recording's timeline, the error of each report whose time it refused comes first, then
    the block's other reports. Consecutive CAT 062 blocks are decoded together: small blocks
    (a radar scan's, a UDP datagram's) would otherwise pay numpy's fixed cost each."""
    plain_until = 0  # the blocks of a run that was not for the fast path: one at a time

    def reports_at(
        chunk: bytes, pos: int
    ) -> tuple[list[tuple[list[TargetReport], list[DecodeError]]], int]:
        nonlocal plain_until
        if pos >= plain_until:
            run = _cat062_run(chunk, pos)
            if len(run) > 1:
                try:
                    return _cat062_reports(chunk, [(s + 3, e) for s, e in run], near), run[-1][1]
                except _Irregular:
                    plain_until = run[-1][1]
        reports, refused, end = _block_reports(chunk, pos, near)
        return [(reports, refused)], end

    for result in each_block(data, reports_at):
        if isinstance(result, DecodeError):
            yield result
            continue
        for reports, refused in result:
            yield from refused
            yield reports


def _cat062_run(data: bytes, pos: int, limit: int = 1 << 20) -> list[tuple[int, int]]:
    """The consecutive CAT 062 blocks from `pos` whose lengths fit the data (at most `limit`
    bytes of them): their starts and ends."""
    run = []
    end = pos
    while end < len(data) - 2 and data[end] == 62 and end - pos < limit:
        length = int.from_bytes(data[end + 1 : end + 3], "big")
        if length <= 3 or end + length > len(data):
            break
        run.append((end, end + length))
        end += length
    return run


# -- encoding ---------------------------------------------------------------------------------
class TrackState(NamedTuple):
    """What a CAT 062 update says of a track, taken at `now` (the track goes on changing)."""

    now: float
    number: int
    last_update: float
    lat: float | None
    lon: float | None
    ground_speed_kt: float | None
    track_deg: float | None
    squawk: str | None
    squawk_changed_at: float | None
    psr: float | None  # when each source last reported
    ssr: float | None
    mode_s: float | None
    adsb: float | None
    sources: int
    status: TrackStatus
    updates: int
    emergency: bool
    altitude_ft: float | None
    vertical_rate_fpm: float | None
    address: str | None
    callsign: str | None


_TRACK_FIELDS = attrgetter(
    "number", "last_update", "lat", "lon", "ground_speed_kt", "track_deg", "squawk",
    "squawk_changed_at",
)  # fmt: skip
_TRACK_TAIL = attrgetter(
    "status", "updates", "emergency", "altitude_ft", "vertical_rate_fpm", "address", "callsign"
)
# A tuple made a TrackState without the argument handling of the NamedTuple's constructor:
# this runs once per report on the hot path.
_new_state: Callable[[tuple[Any, ...]], TrackState] = partial(tuple.__new__, TrackState)  # type: ignore[assignment]
_PSR, _SSR, _MDS, _ADS = Source.PSR, Source.SSR, Source.MODE_S, Source.ADSB


def state_of(track: Track, now: float) -> TrackState:
    times = track.source_times
    return _new_state((now, *_TRACK_FIELDS(track), times.get(_PSR), times.get(_SSR),
                       times.get(_MDS), times.get(_ADS), len(times), *_TRACK_TAIL(track)))  # fmt: skip


def _track_of(state: TrackState) -> Track:
    """The track as the state saw it: what the reference path reads."""
    times = {
        source: seen
        for source, seen in (
            (_PSR, state.psr),
            (_SSR, state.ssr),
            (_MDS, state.mode_s),
            (_ADS, state.adsb),
        )
        if seen is not None
    }
    return Track(
        number=state.number, first_seen=state.last_update, last_update=state.last_update,
        status=state.status, address=state.address, callsign=state.callsign,
        squawk=state.squawk, squawk_changed_at=state.squawk_changed_at, lat=state.lat,
        lon=state.lon, altitude_ft=state.altitude_ft, ground_speed_kt=state.ground_speed_kt,
        track_deg=state.track_deg, vertical_rate_fpm=state.vertical_rate_fpm,
        emergency=state.emergency, updates=state.updates, source_times=times,
    )  # fmt: skip


@dataclass
class Encoded:
    payload: bytes  # CAT 062 data blocks, empty when nothing was sent
    sent: int
    withheld: int


# The items of an update in FSPEC order, and what a layout bit means.
_OPTIONAL = ("105", "185", "060", "380/ADR", "380/ID", "290/PSR", "290/SSR", "290/MDS",
             "290/ADS", "136", "220")  # fmt: skip
_ALWAYS = ("010", "015", "070", "040", "080")
_SQUAWKS: dict[str, int] = {}
_ADDRESS_VALUES: dict[str, int] = {}
_CALLSIGN_VALUES: dict[str, int] = {}
_ID_FIELD = _ACID.fields[0]


def _code_value(cache: dict[str, int], text: str, valid: Callable[[str], Any], base: int) -> int:
    """A Mode 3/A code (octal) or an ICAO address (hexadecimal) as its integer; one the
    inputs' own check refuses goes to the reference path, which raises its EncodeError."""
    value = cache.get(text)
    if value is None:
        if valid(text) is None:
            raise _Irregular
        value = _remember(cache, text, int(text, base), CODES)
    return value


def _callsign_value(text: str) -> int:
    value = _CALLSIGN_VALUES.get(text)
    if value is None:
        value = _remember(_CALLSIGN_VALUES, text, _encode_value(_ID_FIELD, _callsign(text)), CODES)
    return value


class TrackEncoder:
    """Track states to CAT 062 data blocks, through an agreement's filter when there is one:
    the bytes `encode()` writes for the records `decide()` lets go of `track_to_cat062()`."""

    def __init__(self, system: SystemId, compiled: CompiledFilter | None = None) -> None:
        self.system = system
        self.filter = compiled
        removed: set[str] = set()
        self._reference_only = False
        if compiled is not None:
            for path in compiled.removals:
                item = path[0][1:] if path[0].startswith("I") else path[0]
                if len(path) == 1:
                    removed.add(item)
                elif item in ("380", "290"):
                    # A subfield updates never carry needs no removing.
                    removed.add(f"{item}/{path[1]}")
                else:
                    # A subfield of another item: the reference path says what that means.
                    self._reference_only = True
        self._removed = removed
        if not (0 <= system.sac < 256 and 0 <= system.sic < 256 and 0 <= system.service < 256):
            self._reference_only = True  # the reference path raises the EncodeError
        self._groups: dict[int, tuple[bytes, list[tuple[str, int, Fixed]], int]] = {}

    def encode(self, states: Sequence[TrackState]) -> Encoded:
        if not states:
            return Encoded(b"", 0, 0)
        if self._reference_only:
            return self._reference(states)
        try:
            return self._fast(states)
        except _Irregular:
            return self._reference(states)

    def _reference(self, states: Sequence[TrackState]) -> Encoded:
        records: list[Record] = []
        for state in states:
            record = track_to_cat062(_track_of(state), self.system, state.now)
            if self.filter is not None:
                decision = self.filter.decide(record, state.now)
                if not decision.sent or decision.record is None:
                    continue
                record = decision.record
            records.append(record)
        return Encoded(encode(records), len(records), len(states) - len(records))

    def _fast(self, states: Sequence[TrackState]) -> Encoded:
        n = len(states)
        (now, numbers, last_update, lat, lon, speed, course, squawk, changed_at, psr, ssr, mds,
         ads, sources, status, updates, emergency, altitude, rate, address,
         callsign) = zip(*states, strict=True)  # fmt: skip
        f = np.array
        now_a = f(now, dtype=float)
        lat_a, lon_a = f(lat, dtype=float), f(lon, dtype=float)
        alt_a, rate_a = f(altitude, dtype=float), f(rate, dtype=float)
        seen = [f(column, dtype=float) for column in (psr, ssr, mds, ads)]
        has_position = ~np.isnan(lat_a) & ~np.isnan(lon_a)
        has_altitude = ~np.isnan(alt_a)
        # The values the records carry, as the reference rounds and clamps them.
        mfl = np.clip(np.rint(alt_a / 25), -32768, 32767)
        squawk_values = [
            None if s is None else _code_value(_SQUAWKS, s, mode3a_code, 8) for s in squawk
        ]
        address_values = [
            None if a is None else _code_value(_ADDRESS_VALUES, a, icao_address, 16)
            for a in address
        ]
        if max(numbers) > 0xFFFF or min(numbers) < 0:
            raise _Irregular
        if has_position.any():
            for value in (lat_a[has_position], lon_a[has_position]):
                raw = np.rint(value / (180 / 2**25))
                if (raw < -(2**31)).any() or (raw >= 2**31).any():
                    raise _Irregular

        sent = np.ones(n, dtype=bool)
        compiled = self.filter
        if compiled is not None:
            # The agreement's own rule, on the values the records carry (altitude as its
            # flight level rounds it).
            columns = TrackColumns(
                lat=lat_a, lon=lon_a, altitude_ft=np.where(has_altitude, mfl * 25, np.nan),
                address=address, mode3a=f([-1 if v is None else v for v in squawk_values]),
                fed={name: ~np.isnan(times) for name, times in zip(SOURCES, seen, strict=True)},
                number=numbers, now=now,
            )  # fmt: skip
            sent = compiled.release(columns) == 0
        chosen = np.flatnonzero(sent)
        if not len(chosen):
            return Encoded(b"", 0, n)

        # Which optional parts each record has: one bit each, in _OPTIONAL's order.
        has_velocity = f([s is not None and c is not None for s, c in zip(speed, course,
                                                                         strict=True)])  # fmt: skip
        bits = [has_position, has_velocity, f([s is not None for s in squawk]),
                f([a is not None for a in address]), f([bool(c) for c in callsign]),
                *(~np.isnan(times) for times in seen), has_altitude, ~np.isnan(rate_a)]  # fmt: skip
        keys = np.zeros(n, dtype=np.int64)
        for position, (name, present) in enumerate(zip(_OPTIONAL, bits, strict=True)):
            if name not in self._removed and name.split("/")[0] not in self._removed:
                keys |= present.astype(np.int64) << position

        # Field values, as track_to_cat062 computes them.
        tot = np.rint(np.mod(f(last_update, dtype=float), DAY) * 128)
        vx = np.zeros(n, dtype=np.int64)
        vy = np.zeros(n, dtype=np.int64)
        # In Python's math, as track_to_cat062: numpy's sin and cos may differ in the last bit.
        sin, cos, radians = math.sin, math.cos, math.radians
        for i in np.flatnonzero(has_velocity & sent).tolist():
            metres = speed[i] * KT_TO_MS
            heading = radians(course[i])
            x = round(metres * sin(heading) * 4) / 4
            y = round(metres * cos(heading) * 4) / 4
            vx[i] = round(max(-8192, min(8191.75, x)) / 0.25)
            vy[i] = round(max(-8192, min(8191.75, y)) / 0.25)
        change = f([c is not None and t - c < 60 for t, c in zip(now, changed_at, strict=True)])
        ages = [
            np.minimum(np.rint(np.maximum(0.0, now_a - times) * 4), top)
            for times, top in zip(seen, (255, 255, 255, 65535), strict=True)
        ]
        status_a = f([s == TrackStatus.TENTATIVE for s in status])
        coasting = f([s == TrackStatus.COASTING for s in status])
        ended = f([s == TrackStatus.TERMINATED for s in status])
        values: dict[tuple[str, str], Any] = {
            ("010", "SAC"): self.system.sac, ("010", "SIC"): self.system.sic,
            ("015", "SID"): self.system.service, ("070", "ToT"): tot,
            ("040", "TrkN"): f(numbers), ("105", "Lat"): np.rint(np.nan_to_num(lat_a) / (180 / 2**25)),
            ("105", "Lon"): np.rint(np.nan_to_num(lon_a) / (180 / 2**25)),
            ("185", "Vx"): vx, ("185", "Vy"): vy,
            ("060", "CH"): change, ("060", "Mode3A"): f([v or 0 for v in squawk_values]),
            ("380/ADR", "ADR"): f([v or 0 for v in address_values]),
            ("380/ID", "ACID"): f([_callsign_value(c) if c else 0 for c in callsign], dtype=np.uint64),
            ("290/PSR", "PSR"): ages[0], ("290/SSR", "SSR"): ages[1],
            ("290/MDS", "MDS"): ages[2], ("290/ADS", "ADS"): ages[3],
            ("136", "MFL"): np.nan_to_num(mfl), ("220", "RoC"): np.nan_to_num(
                np.clip(np.rint(rate_a / 6.25), -32768, 32767)),
            ("080", "MON"): f(sources) == 1, ("080", "CNF"): status_a,
            ("080", "TSB"): f(updates) == 1, ("080", "ME"): f(emergency),
            ("080", "CST"): coasting, ("080", "TSE"): ended, ("080", "PSR"): np.isnan(seen[0]),
            ("080", "SSR"): np.isnan(seen[1]), ("080", "MDS"): np.isnan(seen[2]),
            ("080", "ADS"): np.isnan(seen[3]),
        }  # fmt: skip

        bodies: list[bytes] = [b""] * n
        chosen_keys = keys[chosen]
        for key in np.unique(chosen_keys).tolist():
            members = chosen[chosen_keys == key]
            fspec, pieces, length = self._group(key)
            out = np.empty((len(members), length), dtype=np.uint8)
            out[:, : len(fspec)] = np.frombuffer(fspec, dtype=np.uint8)
            offset = len(fspec)
            for item, primary, fixed in pieces:
                if primary >= 0:
                    out[:, offset] = primary
                    offset += 1
                raw = np.zeros(len(members), dtype=np.uint64)
                for name, shift, mask, conv in fixed._plan:
                    if conv is None or name == "FX":
                        continue
                    value = values.get((item, name), 0)
                    if isinstance(value, np.ndarray):
                        value = value[members].astype(np.int64).astype(np.uint64)
                    raw |= (np.uint64(value) & np.uint64(mask)) << np.uint64(shift)
                if item == "080":
                    raw |= np.uint64(fixed is not self._last_080)  # FX: another octet follows
                for byte in range(fixed.length):
                    shifted = raw >> np.uint64(8 * (fixed.length - 1 - byte))
                    out[:, offset + byte] = shifted & np.uint64(0xFF)
                offset += fixed.length
            chunk = out.tobytes()
            for j, i in enumerate(members.tolist()):
                bodies[i] = chunk[j * length : (j + 1) * length]

        payload = bytearray()
        block = bytearray()
        for i in chosen.tolist():
            body = bodies[i]
            if len(block) + len(body) + 3 > MAX_BLOCK:
                payload += b"\x3e" + (len(block) + 3).to_bytes(2, "big") + block
                block = bytearray()
            block += body
        payload += b"\x3e" + (len(block) + 3).to_bytes(2, "big") + block
        return Encoded(bytes(payload), len(chosen), n - len(chosen))

    _last_080 = CAT062.items["080"].parts[3]  # type: ignore[attr-defined]

    def _group(self, key: int) -> tuple[bytes, list[tuple[str, int, Fixed]], int]:
        """The FSPEC and the fixed parts of an update with these optional parts."""
        cached = self._groups.get(key)
        if cached is not None:
            return cached
        present = {name for position, name in enumerate(_OPTIONAL) if key >> position & 1}
        present |= {name for name in _ALWAYS if name not in self._removed}
        items = sorted({name.split("/")[0] for name in present}, key=CAT062.frn.__getitem__)
        frns = [CAT062.frn[name] for name in items]
        fspec_array = bytearray(frns[-1] // 7 + 1)
        for frn in frns:
            fspec_array[frn // 7] |= 0x80 >> (frn % 7)
        for i in range(len(fspec_array) - 1):
            fspec_array[i] |= 1
        pieces: list[tuple[str, int, Fixed]] = []
        for name in items:
            fmt = CAT062.items[name]
            if isinstance(fmt, Fixed):
                pieces.append((name, -1, fmt))
            elif isinstance(fmt, Extended):
                pieces += [(name, -1, part) for part in fmt.parts[:4]]
            elif isinstance(fmt, Compound):
                subs = [sub for sub in fmt.by_name if f"{name}/{sub}" in present]
                primary = 0
                for sub in subs:
                    primary |= 0x80 >> fmt.by_name[sub][0]
                for index, sub in enumerate(subs):
                    fixed = fmt.by_name[sub][1]
                    assert isinstance(fixed, Fixed)
                    pieces.append((f"{name}/{sub}", primary if index == 0 else -1, fixed))
        length = len(fspec_array) + sum(p.length for _n, _p, p in pieces)
        length += sum(1 for _n, primary, _p in pieces if primary >= 0)
        self._groups[key] = (bytes(fspec_array), pieces, length)
        return self._groups[key]
