"""A bounded fuzzing run in every test run; longer runs are reported in benchmarks/."""

import subprocess
import sys
from pathlib import Path

from asde.asterix import decode, encode
from tests.asde.test_batch import picture_stream

FUZZER = Path(__file__).resolve().parents[3] / "fuzzing" / "fuzz_decode.py"


def test_fuzzing_finds_no_escaping_exception(tmp_path: Path) -> None:
    # Seeds: a valid CAT 065 block, so the fuzzer starts from structure, not only noise.
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "cat065").write_bytes(bytes.fromhex("41000cF8196402043C608718"))
    # CAT 062 blocks of the exchange's own updates, four records each: the block path's ground.
    updates = decode(picture_stream(12))
    (corpus / "cat062").write_bytes(b"".join(encode(updates[i : i + 4]) for i in (0, 4, 8)))
    result = subprocess.run(
        [sys.executable, str(FUZZER), "-runs=30000", "-seed=1", str(corpus)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,  # where libFuzzer writes a crashing input
    )

    assert result.returncode == 0, result.stderr[-3000:]
    assert "Done 30000 runs" in result.stderr
