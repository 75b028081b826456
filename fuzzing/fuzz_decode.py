"""Coverage-guided fuzzing of the ASTERIX decoder with atheris (libFuzzer).

Only DecodeError may escape `decode`; whatever decodes must encode and decode to the same records;
the block-at-a-time path (asde.batch) must give the same reports and errors as the reference.

    .venv/bin/python fuzzing/fuzz_decode.py -runs=200000        # a bounded run
    .venv/bin/python fuzzing/fuzz_decode.py -max_total_time=600 # ten minutes
"""

import sys

import atheris

with atheris.instrument_imports():
    from asde.asterix import DecodeError, decode, encode, iter_blocks
    from asde.batch import iter_reports
    from asde.convert import report_from_cat021, report_from_cat062

NEAR = 1633608773.0


def reference(data: bytes) -> list[object]:
    out: list[object] = []
    for block in iter_blocks(data):
        if isinstance(block, DecodeError):
            out.append((block.offset, block.reason))
            continue
        converted = [report_from_cat062(r, NEAR) if r.category == 62 else
                     report_from_cat021(r, NEAR) if r.category == 21 else None for r in block]
        out.append([r for r in converted if r is not None])
    return out


def test_one_input(data: bytes) -> None:
    fast = [(b.offset, b.reason) if isinstance(b, DecodeError) else b
            for b in iter_reports(data, NEAR)]
    if fast != reference(data):
        raise AssertionError(f"block path differs on {data.hex()}")
    try:
        records = decode(data)
    except DecodeError:
        return
    again = decode(encode(records))
    if again != records:
        raise AssertionError(f"round trip changed {data.hex()}")


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
