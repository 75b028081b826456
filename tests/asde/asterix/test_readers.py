"""Readers: raw streams, length-prefixed files and pcap captures give the same blocks."""

import struct
from pathlib import Path

import asterix
import pytest

from asde.asterix import DecodeError, decode
from asde.asterix.readers import detect, read, read_pcap, write_length_prefixed

SAMPLES = Path(asterix.__file__).parent / "sample_data"
BLOCK = bytes.fromhex("41000cF8196402043C608718")


def pcap(payloads: list[bytes]) -> bytes:
    """A minimal Ethernet/IPv4/UDP capture of the payloads."""
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for n, payload in enumerate(payloads):
        udp = struct.pack(">HHHH", 5000, 8600, 8 + len(payload), 0) + payload
        ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                         bytes([127, 0, 0, 1]), bytes([127, 0, 0, 2])) + udp  # fmt: skip
        frame = b"\x00" * 12 + b"\x08\x00" + ip
        out += struct.pack("<IIII", 1700000000 + n, 500000, len(frame), len(frame)) + frame
    return out


def test_a_built_capture_yields_its_udp_payloads_with_their_times() -> None:
    chunks = list(read_pcap(pcap([BLOCK, BLOCK + BLOCK])))

    assert [c.data for c in chunks] == [BLOCK, BLOCK + BLOCK]
    assert chunks[1].timestamp == pytest.approx(1700000001.5)


def test_the_recorded_capture_holds_cat062_and_cat065() -> None:
    data = (SAMPLES / "cat_062_065.pcap").read_bytes()

    categories = {r.category for c in read(data) for r in decode(c.data)}

    assert detect(data) == "pcap"
    assert categories == {62, 65}


def test_length_prefixed_and_raw_streams() -> None:
    prefixed = write_length_prefixed([BLOCK, BLOCK])

    assert [c.data for c in read(prefixed, "length-prefixed")] == [BLOCK, BLOCK]
    assert [c.data for c in read(BLOCK * 3)] == [BLOCK] * 3
    assert detect(BLOCK) == "raw"


@pytest.mark.parametrize(
    ("data", "kind"),
    [(b"\xd4\xc3\xb2\xa1" + b"\x00" * 10, "pcap"), (b"\x00\x00\x00\x20ab", "length-prefixed")],
)
def test_truncated_inputs_raise_decode_error(data: bytes, kind: str) -> None:
    with pytest.raises(DecodeError):
        list(read(data, kind))
