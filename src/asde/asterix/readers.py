"""Where ASTERIX bytes come from: raw streams, length-prefixed files and pcap captures."""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass

from asde.asterix.errors import DecodeError

PCAP_MAGIC = {
    b"\xd4\xc3\xb2\xa1": ("<", 1e-6),
    b"\xa1\xb2\xc3\xd4": (">", 1e-6),
    b"\x4d\x3c\xb2\xa1": ("<", 1e-9),
    b"\xa1\xb2\x3c\x4d": (">", 1e-9),
}
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LINUX_SLL = 113


@dataclass(frozen=True)
class Chunk:
    """ASTERIX bytes (one or more data blocks) with the time they were captured, if known."""

    data: bytes
    timestamp: float | None = None
    offset: int = 0


def read_raw(data: bytes) -> Iterator[Chunk]:
    """A stream of data blocks back to back: one chunk per block, split by the LEN field."""
    pos = 0
    while pos < len(data):
        if len(data) - pos < 3:
            raise DecodeError(pos, "truncated data block header")
        length = int.from_bytes(data[pos + 1 : pos + 3], "big")
        if length < 3 or pos + length > len(data):
            raise DecodeError(pos + 1, f"data block length {length} does not fit the stream")
        yield Chunk(data[pos : pos + length], offset=pos)
        pos += length


def read_length_prefixed(data: bytes) -> Iterator[Chunk]:
    """Records of a 4-octet big-endian length, then that many octets of ASTERIX."""
    pos = 0
    while pos < len(data):
        if len(data) - pos < 4:
            raise DecodeError(pos, "truncated length prefix")
        (length,) = struct.unpack_from(">I", data, pos)
        if pos + 4 + length > len(data):
            raise DecodeError(pos, f"length prefix {length} runs past the file")
        yield Chunk(data[pos + 4 : pos + 4 + length], offset=pos + 4)
        pos += 4 + length


def write_length_prefixed(blocks: list[bytes]) -> bytes:
    return b"".join(struct.pack(">I", len(b)) + b for b in blocks)


def read_pcap(data: bytes) -> Iterator[Chunk]:
    """The UDP payloads of a libpcap capture (Ethernet, Linux cooked or raw IPv4)."""
    if len(data) < 24 or data[:4] not in PCAP_MAGIC:
        raise DecodeError(0, "not a pcap capture (unknown magic number)")
    endian, resolution = PCAP_MAGIC[data[:4]]
    linktype = struct.unpack_from(endian + "I", data, 20)[0]
    pos = 24
    while pos < len(data):
        if len(data) - pos < 16:
            raise DecodeError(pos, "truncated packet header")
        seconds, fraction, captured, _original = struct.unpack_from(endian + "IIII", data, pos)
        start = pos + 16
        if start + captured > len(data):
            raise DecodeError(pos, "packet runs past the end of the capture")
        frame = data[start : start + captured]
        pos = start + captured
        payload = _udp_payload(frame, linktype)
        if payload:
            yield Chunk(
                payload,
                timestamp=seconds + fraction * resolution,
                offset=start + (len(frame) - len(payload)),
            )


def _udp_payload(frame: bytes, linktype: int) -> bytes | None:
    if linktype == LINKTYPE_ETHERNET:
        if len(frame) < 14:
            return None
        ethertype = int.from_bytes(frame[12:14], "big")
        ip = frame[14:]
        if ethertype == 0x8100 and len(frame) >= 18:  # one VLAN tag
            ethertype = int.from_bytes(frame[16:18], "big")
            ip = frame[18:]
    elif linktype == LINKTYPE_LINUX_SLL:
        if len(frame) < 16:
            return None
        ethertype = int.from_bytes(frame[14:16], "big")
        ip = frame[16:]
    elif linktype == LINKTYPE_RAW:
        ethertype, ip = 0x0800, frame
    else:
        return None
    if ethertype != 0x0800 or len(ip) < 20 or ip[0] >> 4 != 4 or ip[9] != 17:
        return None
    header = (ip[0] & 0x0F) * 4
    if len(ip) < header + 8:
        return None
    udp_length = int.from_bytes(ip[header + 4 : header + 6], "big")
    return bytes(ip[header + 8 : header + max(udp_length, 8)])


def detect(data: bytes) -> str:
    """`pcap`, `raw` or `length-prefixed`, judged from the first bytes."""
    if data[:4] in PCAP_MAGIC:
        return "pcap"
    if len(data) >= 3:
        length = int.from_bytes(data[1:3], "big")
        if 3 <= length <= len(data) and data[0] != 0:
            return "raw"
    return "length-prefixed"


def read(data: bytes, kind: str = "auto") -> Iterator[Chunk]:
    kind = detect(data) if kind == "auto" else kind
    readers = {"pcap": read_pcap, "raw": read_raw, "length-prefixed": read_length_prefixed}
    if kind not in readers:
        raise ValueError(f"unknown input format {kind!r}")
    return readers[kind](data)
