"""Production processes for the tests: the `partnership` CLI run with production settings."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[3]
PARTNERSHIP = [sys.executable, "-m", "partnership.cli"]

Run = Callable[..., subprocess.CompletedProcess[str]]


def production_env(data_dir: Path, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PARTNERSHIP_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="partnership.settings",
        DATABASE_URL=database_url,
        PARTNERSHIP_DATA_DIR=str(data_dir),
        SECRET_KEY="production-test-" + "k" * 40,
        DEBUG="0",
        # The test talks plain HTTP to the server; TLS is the reverse proxy's (deploy/README.md).
        HTTPS="0",
        MFA_REQUIRED="0",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        PYTHONPATH=str(ROOT),
    )
    return env


def run_cli(data_dir: Path, database_url: str) -> Run:
    def run(
        *args: str, check: bool = True, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [*PARTNERSHIP, *args], env=production_env(data_dir, database_url), cwd=ROOT,
            capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        if check and done.returncode != 0:
            raise AssertionError(f"partnership {' '.join(args)}: {done.stderr[-2000:]}")
        return done

    return run


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """An SQLite file with every migration applied, made once (migrating takes ~40 s here): by
    the first pytest-xdist worker that needs it, in the folder the run's workers share, under
    a lock that the others wait on; the tests copy it, so it is never written after."""
    if worker_id == "master":  # not under xdist: this session's own folder
        folder = tmp_path_factory.mktemp("migrated")
    else:
        folder = tmp_path_factory.getbasetemp().parent / "migrated"
        folder.mkdir(exist_ok=True)
    database = folder / "template.sqlite3"
    with FileLock(folder / "template.lock"):
        if not database.exists():
            # Migrated under another name and renamed: a worker that finds the file finds it whole.
            partial = folder / "partial.sqlite3"
            run_cli(folder, f"sqlite:///{partial}")("migrate", "--verbosity", "0", timeout=600)
            partial.rename(database)
    return database


@pytest.fixture
def sqlite_copy(migrated_sqlite: Path, tmp_path: Path) -> Path:
    target = tmp_path / "partnership.sqlite3"
    shutil.copyfile(migrated_sqlite, target)
    return target
