"""Through the real worker: a NUC report PDF made in the background and downloaded, and a
worker SIGKILLed in the middle of one, which leaves no half file and is retried."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.partnership.production.conftest import PARTNERSHIP, ROOT, production_env, run_cli

SCENARIO = [sys.executable, "-m", "tests.partnership.background.scenario"]
# Both tests on one pytest-xdist worker: the module's database (a migration and a 300-measure
# year, a minute or more) is made once, not once on each worker.
pytestmark = pytest.mark.xdist_group("background-worker")


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file with the factsheet, the demo users and a 300-measure ANP year."""
    folder = tmp_path_factory.mktemp("worker")
    path = folder / "partnership.sqlite3"
    run_cli(folder, f"sqlite:///{path}")("migrate", "--verbosity", "0", timeout=600)
    step(folder, path, "setup")
    return path


def env(data_dir: Path, database: Path) -> dict[str, str]:
    return {**production_env(data_dir, f"sqlite:///{database}"), "BACKGROUND_STALE_S": "600"}


def step(data_dir: Path, database: Path, *args: str) -> str:
    done = subprocess.run([*SCENARIO, *args], env=env(data_dir, database), cwd=ROOT,
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def job_row(database: Path, job: int) -> dict[str, object]:
    with sqlite3.connect(database, timeout=30) as connection:
        connection.row_factory = sqlite3.Row
        row = connection.execute("SELECT * FROM background_job WHERE id = ?", (job,)).fetchone()
    return dict(row)


def wait_for(database: Path, job: int, condition: object, seconds: float = 180) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        row = job_row(database, job)
        if condition(row):  # type: ignore[operator]
            return row
        assert time.monotonic() < deadline, f"timed out; the job is {row}"
        time.sleep(0.02)


@pytest.fixture
def worker_of(database: Path) -> Iterator[object]:
    started: list[subprocess.Popen[bytes]] = []

    def start(data_dir: Path) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [*PARTNERSHIP, "worker", "--tick", "1", "--interval", "0.1"],
            env=env(data_dir, database), cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=(data_dir / "worker.log").open("ab"),
        )  # fmt: skip
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=30)


def prepared(data_dir: Path) -> list[Path]:
    return sorted(p for p in (data_dir / "media" / "prepared").rglob("*") if p.is_file())


def test_a_pdf_made_by_the_worker_is_downloaded_by_its_requester_only(
    database: Path, tmp_path: Path, worker_of: object
) -> None:
    job = int(step(tmp_path, database, "start", "ua-coordinator"))
    worker_of(tmp_path)  # type: ignore[operator]

    row = wait_for(database, job, lambda r: r["status"] in ("done", "failed"))
    assert row["status"] == "done", row["error"]
    assert row["marking"] == "PARTNERSHIP" and row["progress"] == 100

    out = tmp_path / "report.pdf"
    answer = json.loads(step(tmp_path, database, "download", str(job), "ua-coordinator", str(out)))
    assert answer == {"status": 200, "type": "application/pdf"}
    text = "".join(page.extract_text() for page in PdfReader(out).pages[:2])
    assert "2030" in text
    # Another person, even one who may see the programme, does not get someone else's file.
    other = json.loads(step(tmp_path, database, "download", str(job), "nato-editor", str(out)))
    assert other["status"] == 404


def test_a_worker_killed_mid_pdf_leaves_no_half_file_and_the_next_worker_retries(
    database: Path, tmp_path: Path, worker_of: object
) -> None:
    job = int(step(tmp_path, database, "start", "ua-approver"))
    first = worker_of(tmp_path)  # type: ignore[operator]
    # When the worker is laying out the PDF (40 %), it is killed without a word
    wait_for(database, job, lambda r: r["status"] == "running" and r["progress"] >= 40)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)

    row = job_row(database, job)
    assert row["status"] == "running" and row["attempts"] == 1
    assert not [p for p in prepared(tmp_path) if not p.name.startswith(".partial-")]

    # Then the next worker finds the job of a dead worker, runs it again, and it completes
    worker_of(tmp_path)  # type: ignore[operator]
    row = wait_for(database, job, lambda r: r["status"] in ("done", "failed"))
    assert row["status"] == "done" and row["attempts"] == 2, row
    files = [p for p in prepared(tmp_path) if not p.name.startswith(".partial-")]
    assert [p.relative_to(tmp_path / "media" / "prepared").as_posix() for p in files] == [
        row["file"]
    ]
    data = files[0].read_bytes()
    assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF")
    assert len(PdfReader(files[0]).pages) > 1
