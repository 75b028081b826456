"""Coverage-guided fuzzing of the ASTERIX decoder with atheris (libFuzzer).

Only DecodeError may escape `decode`; whatever decodes must encode and decode to the same records.

    .venv/bin/python fuzzing/fuzz_decode.py -runs=200000        # a bounded run
    .venv/bin/python fuzzing/fuzz_decode.py -max_total_time=600 # ten minutes
"""

import sys

import atheris

with atheris.instrument_imports():
    from asde.asterix import DecodeError, decode, encode


def test_one_input(data: bytes) -> None:
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
