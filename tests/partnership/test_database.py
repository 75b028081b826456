"""A long import does not make other writes fail: SQLite in WAL mode with a busy timeout and
write transactions that take their lock up front; PostgreSQL as configured."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.partnership.concurrent_import import import_while_writing

ROOT = Path(__file__).resolve().parents[2]


def overlapped(times: dict[str, float]) -> bool:
    """The writes were sent while the import was still running (else nothing was tested)."""
    return times["writes_start"] < times["import_end"]


# It migrates a database of its own in a subprocess and times writes against an import: under
# three workers' browser tests the migration alone passed 600 s on CI, so it runs alone.
@pytest.mark.serial
def test_on_sqlite_writes_wait_for_a_long_import_instead_of_failing(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'partnership.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "partnership.settings",
        "PARTNERSHIP_TESTING": "1",
        "PYTHONPATH": str(ROOT),
    }
    run = subprocess.run(
        [sys.executable, "-m", "tests.partnership.concurrent_import"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])

    assert result["journal_mode"] == "wal"
    assert result["errors"] == []
    assert overlapped(result["times"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_writes_go_on_during_a_long_import() -> None:
    from django.core.management import call_command

    call_command("load_factsheet", "--no-progress", verbosity=0)
    call_command("demo_users", verbosity=0)
    result = import_while_writing()

    assert result["errors"] == []
    assert overlapped(result["times"])
