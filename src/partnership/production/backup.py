"""Backups of the database and their restore: SQLite's online backup, PostgreSQL's pg_dump."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError

MSG_NOT_A_BACKUP = _("%(file)s is not a backup of this platform (neither SQLite nor pg_dump).")
MSG_OTHER_ENGINE = _(
    "%(file)s is a %(kind)s backup, and the database is %(engine)s: restore it into a database "
    "of the same kind."
)
MSG_NOT_EMPTY = _(
    "The database %(name)s already holds tables; restore into an empty one, or pass --replace "
    "to overwrite it."
)
MSG_NO_FILE = _("No such backup file: %(file)s")
MSG_UNSUPPORTED = _("Backups are made for SQLite and PostgreSQL only, not %(engine)s.")
MSG_TOOL_FAILED = _("%(tool)s failed: %(reason)s")
MSG_CORRUPT = _("%(file)s does not pass SQLite's integrity check: %(reason)s")
MSG_KEEP = _("--keep must be at least 1.")

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
SUFFIX = {"sqlite": ".sqlite3", "postgresql": ".pgdump"}
PREFIX = "partnership-"


def _engine(database: Mapping[str, Any]) -> str:
    engine = str(database["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise ApplicationError(MSG_UNSUPPORTED % {"engine": engine})


def _kind_of(path: Path) -> str:
    if not path.is_file():
        raise ApplicationError(MSG_NO_FILE % {"file": path})
    with path.open("rb") as file:
        head = file.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise ApplicationError(MSG_NOT_A_BACKUP % {"file": path})


def _pg_environment(database: Mapping[str, Any]) -> dict[str, str]:
    # The connection travels in libpq's variables, never on the command line (ps shows that).
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                          ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):  # fmt: skip
        if database.get(key):
            env[variable] = str(database[key])
    return env


def _run(tool: str, arguments: list[str], env: dict[str, str]) -> None:
    if shutil.which(tool) is None:
        raise ApplicationError(MSG_TOOL_FAILED % {"tool": tool, "reason": "not installed"})
    done = subprocess.run([tool, *arguments], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode
        raise ApplicationError(MSG_TOOL_FAILED % {"tool": tool, "reason": reason})


def default_backup_path(*, folder: Path | None = None, now: dt.datetime | None = None) -> Path:
    kind = _engine(settings.DATABASES["default"])
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
    return (folder or Path(settings.DATA_DIR) / "backups") / f"{PREFIX}{stamp}{SUFFIX[kind]}"


def database_backup(*, to: Path, database: Mapping[str, Any] | None = None) -> Path:
    """A consistent copy of the live database at `to`, taken while the site keeps serving.

    Written beside its destination and renamed when complete: a failed backup leaves no file
    that looks like one.
    """
    database = database or settings.DATABASES["default"]
    kind = _engine(database)
    to.parent.mkdir(parents=True, exist_ok=True)
    handle, partial_name = tempfile.mkstemp(dir=to.parent, prefix=".partial-", suffix=to.suffix)
    os.close(handle)
    partial = Path(partial_name)
    try:
        if kind == "sqlite":
            # SQLite's online backup: pages copied under a read transaction, so writers go on
            # (WAL) and the copy is of one moment.
            source = sqlite3.connect(str(database["NAME"]))
            target = sqlite3.connect(str(partial))
            try:
                with target:
                    source.backup(target)
                # One self-contained file (no -wal beside it); the platform turns WAL back on
                # for the database it restores into at its first connection.
                target.execute("PRAGMA journal_mode=DELETE")
                _check_sqlite(target, to)
            finally:
                target.close()
                source.close()
        else:
            # Custom format: compressed, and pg_restore can restore it in parallel or in part.
            _run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges",
                             f"--file={partial}"], _pg_environment(database))  # fmt: skip
        partial.replace(to)
    finally:
        partial.unlink(missing_ok=True)
    return to


def _check_sqlite(connection: sqlite3.Connection, path: Path) -> None:
    result = connection.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise ApplicationError(MSG_CORRUPT % {"file": path, "reason": result})


def _sqlite_tables(connection: sqlite3.Connection) -> int:
    row = connection.execute(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()
    return int(row[0])


def database_restore(
    *, source: Path, replace: bool = False, database: Mapping[str, Any] | None = None
) -> None:
    """The backup at `source` into the configured database, which must be empty unless `replace`.

    Nothing is half-restored: SQLite's backup API replaces the file's pages in one step, and
    pg_restore runs in a single transaction that stops at the first error.
    """
    database = database or settings.DATABASES["default"]
    engine = _engine(database)
    kind = _kind_of(source)
    if kind != engine:
        raise ApplicationError(MSG_OTHER_ENGINE % {"file": source, "kind": kind, "engine": engine})
    if kind == "sqlite":
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(str(database["NAME"]), timeout=30)
        try:
            _check_sqlite(backup, source)
            if _sqlite_tables(target) and not replace:
                raise ApplicationError(MSG_NOT_EMPTY % {"name": database["NAME"]})
            with target:
                backup.backup(target)
        finally:
            target.close()
            backup.close()
        return
    env = _pg_environment(database)
    if _pg_tables(database) and not replace:
        raise ApplicationError(MSG_NOT_EMPTY % {"name": database["NAME"]})
    arguments = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                 f"--dbname={database['NAME']}"]  # fmt: skip
    if replace:
        arguments += ["--clean", "--if-exists"]
    _run("pg_restore", [*arguments, str(source)], env)
    # pg_restore leaves the tables without planner statistics until autovacuum comes round:
    # until then the first pages' queries can take whole-table scans (170 ms instead of 2 ms
    # for a fund's totals seen here). ANALYZE gives them the restored data's statistics.
    _pg_analyze(database)


def _pg_analyze(database: Mapping[str, Any]) -> None:
    import psycopg

    with psycopg.connect(
        host=database.get("HOST") or None, port=database.get("PORT") or None,
        user=database.get("USER") or None, password=database.get("PASSWORD") or None,
        dbname=database["NAME"], autocommit=True,
    ) as connection:  # fmt: skip
        connection.execute("ANALYZE")


def _pg_tables(database: Mapping[str, Any]) -> int:
    import psycopg

    with psycopg.connect(
        host=database.get("HOST") or None, port=database.get("PORT") or None,
        user=database.get("USER") or None, password=database.get("PASSWORD") or None,
        dbname=database["NAME"],
    ) as connection:  # fmt: skip
        row = connection.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    return int(row[0]) if row else 0


def backups_prune(*, folder: Path, keep: int) -> list[Path]:
    """Removes all but the newest `keep` backups in `folder` (by name: the names hold the time)."""
    if keep < 1:
        raise ApplicationError(MSG_KEEP)
    ours = sorted(p for p in folder.glob(f"{PREFIX}*") if p.suffix in SUFFIX.values())
    removed = ours[:-keep]
    for path in removed:
        path.unlink()
    return removed
