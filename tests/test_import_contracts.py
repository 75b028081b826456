"""The import contracts of pyproject.toml hold: core depends on no other app, asde on neither
Django nor the platform, and anp on programmes one way only."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONTRACTS = (
    "core depends on no other app",
    "asde imports neither Django nor the platform",
    "anp imports programmes, programmes does not import anp",
)


def test_every_import_contract_is_kept() -> None:
    # Given the contracts in pyproject.toml
    # When import-linter checks the source tree (as `make lint` does)
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    # Then each of them was checked and none is broken
    assert result.returncode == 0, result.stdout + result.stderr
    kept = [line for line in result.stdout.splitlines() if line.endswith(" KEPT")]
    for contract in CONTRACTS:
        assert any(line.startswith(contract) for line in kept), result.stdout
