"""`partnership backup` and `partnership restore`: a restore into an empty database shows the same pages."""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.partnership.production.conftest import ROOT, Run, run_cli


def _page_digests(data_dir: Path, database_url: str) -> dict[str, list[object]]:
    import subprocess
    import sys

    from tests.partnership.production.conftest import production_env

    done = subprocess.run(
        [sys.executable, "-m", "tests.partnership.production.pages"],
        env=production_env(data_dir, database_url), cwd=ROOT, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def _fill(run: Run) -> None:
    run("load-factsheet")
    run("demo_users")


def test_sqlite_backup_restored_into_an_empty_file_shows_the_same_pages(
    sqlite_copy: Path, tmp_path: Path
) -> None:
    # given the live database with the factsheet and the demo users
    source = f"sqlite:///{sqlite_copy}"
    run = run_cli(tmp_path, source)
    _fill(run)
    before = _page_digests(tmp_path, source)

    # when it is backed up and restored into a file that does not exist yet
    backup = tmp_path / "backups" / "nightly.sqlite3"
    assert run("backup", "-o", str(backup)).stdout.strip() == str(backup)
    restored = tmp_path / "restored.sqlite3"
    run_cli(tmp_path, f"sqlite:///{restored}")("restore", str(backup))

    # then every page reads the same from it, the backup is one self-contained file
    assert _page_digests(tmp_path, f"sqlite:///{restored}") == before
    assert all(status == 200 for status, _, _ in before.values())
    assert sorted(p.name for p in backup.parent.iterdir()) == ["nightly.sqlite3"]


def test_restore_refuses_a_database_that_holds_tables(sqlite_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).close()
    run = run_cli(tmp_path, f"sqlite:///{other}")
    run("backup", "-o", str(tmp_path / "empty.sqlite3"))

    done = run_cli(tmp_path, f"sqlite:///{sqlite_copy}")(
        "restore", str(tmp_path / "empty.sqlite3"), check=False
    )

    assert done.returncode == 1
    assert "already holds tables" in done.stderr and "--replace" in done.stderr
    # nothing was changed: the migrations are all still there
    with sqlite3.connect(sqlite_copy) as connection:
        assert connection.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 10


def test_restore_names_a_file_that_is_no_backup(tmp_path: Path) -> None:
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("minutes of the NUC\n")

    done = run_cli(tmp_path, f"sqlite:///{tmp_path / 'x.sqlite3'}")(
        "restore", str(not_a_backup), check=False
    )

    assert done.returncode == 1
    assert f"{not_a_backup} is not a backup of this platform" in done.stderr


def test_restore_in_ukrainian_says_why_in_ukrainian(tmp_path: Path) -> None:
    from django.utils import translation

    from partnership.core.exceptions import ApplicationError
    from partnership.production.backup import database_restore

    with translation.override("uk"), pytest.raises(ApplicationError) as raised:
        database_restore(
            source=tmp_path / "missing.pgdump",
            database={"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "x")},
        )
    with translation.override("uk"):
        assert "Немає файлу резервної копії" in str(raised.value.message)


def test_old_backups_are_pruned_to_the_newest(tmp_path: Path) -> None:
    from partnership.production.backup import backups_prune

    for stamp in ("20261128T023000Z", "20261129T023000Z", "20261130T023000Z"):
        (tmp_path / f"partnership-{stamp}.sqlite3").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("kept")

    removed = backups_prune(folder=tmp_path, keep=2)

    assert [p.name for p in removed] == ["partnership-20261128T023000Z.sqlite3"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.txt", "partnership-20261129T023000Z.sqlite3", "partnership-20261130T023000Z.sqlite3",
    ]  # fmt: skip


@pytest.fixture
def postgres_databases() -> Iterator[tuple[str, str]]:
    """Two new databases on the test's PostgreSQL server: one to fill, one left empty."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("PostgreSQL only (scripts/with-postgres.sh)")
    import psycopg

    names = [f"restore_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("source", "target")]
    with psycopg.connect(url, autocommit=True) as connection:
        for name in names:
            connection.execute(f'CREATE DATABASE "{name}"')
    base = url.rsplit("/", 1)[0]
    try:
        yield f"{base}/{names[0]}", f"{base}/{names[1]}"
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            for name in names:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_pg_dump_restored_into_an_empty_database_shows_the_same_pages(
    postgres_databases: tuple[str, str], tmp_path: Path
) -> None:
    source, target = postgres_databases
    run = run_cli(tmp_path, source)
    run("migrate", "--verbosity", "0", timeout=600)
    _fill(run)
    before = _page_digests(tmp_path, source)

    backup = tmp_path / "nightly.pgdump"
    run("backup", "-o", str(backup))
    assert backup.read_bytes().startswith(b"PGDMP")
    run_cli(tmp_path, target)("restore", str(backup))

    assert _page_digests(tmp_path, target) == before
    # ... with the planner's statistics of the restored tables, not left to autovacuum
    import psycopg

    with psycopg.connect(target) as connection:
        analysed = connection.execute(
            "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables"
            " WHERE relname IN ('trustfunds_transaction', 'anp_measure', 'core_organization')"
        ).fetchall()
    assert sorted(analysed) == [
        ("anp_measure", True), ("core_organization", True), ("trustfunds_transaction", True)
    ]  # fmt: skip
    # and a second restore into the now full database is refused, naming --replace
    again = run_cli(tmp_path, target)("restore", str(backup), check=False)
    assert again.returncode == 1 and "--replace" in again.stderr
