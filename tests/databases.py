"""The test database, built once per run and copied: migrated, with the factsheet and the demo.

Migrating takes about two minutes on an idle machine (more under load) and loading the demo
about ten seconds, so neither is done more than once per run:

- `set_up`: the first process of the run (pytest-xdist worker, or the only one) migrates its
  test database, loads the demo and saves it as the run's template; the other workers take a
  copy instead of migrating (SQLite: the backup API from the template file into the worker's
  in-memory database; PostgreSQL: CREATE DATABASE … TEMPLATE, a file copy in the server).
- `restore`: the browser tests, whose live server empties the database after each test, get
  the same state back from the template instead of loading the demo again.
- `drop`: the template goes when the run ends (`pytest_sessionfinish` of the process that
  started the run, after every worker is done with it).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.core.management import call_command
from filelock import FileLock

# What `set_up` writes once the template is whole: a worker that finds it may copy the template.
RECORD = "template.json"


@dataclass(frozen=True)
class Template:
    vendor: str  # "sqlite" or "postgresql"
    name: str  # the SQLite file, or the PostgreSQL database
    # The stored files the records point at (the demo's documents): each process has a
    # MEDIA_ROOT of its own (tests/settings.py), into which they are copied with the records.
    media: str


def load_demo() -> None:
    """What every test starts from: the factsheet, the demo users and the demo's records."""
    call_command("load_factsheet", "--no-progress", verbosity=0)
    call_command("demo_users", verbosity=0)
    call_command("demo_data", verbosity=0)


# `make test-sqlite`/`test-postgres` run pytest twice (the parallel tests, then the serial
# ones): a folder of their own, made empty for the two and removed after them, lets the second
# run copy the first one's template instead of migrating again.
SHARED = "PARTNERSHIP_TEST_TEMPLATE_DIR"


def folder_of_run(basetemp: Path, worker: bool) -> Path:
    """The folder every process of one run shares: pytest-xdist gives each worker a basetemp
    inside the one of the process that started the run (or the folder `SHARED` names)."""
    if os.environ.get(SHARED):
        return Path(os.environ[SHARED])
    return (basetemp.parent if worker else basetemp) / "test-database"


def set_up(folder: Path, setup_databases: Any) -> tuple[Template, list[Any]]:
    """This process's test database holding the demo, and what `teardown_databases` takes.
    `setup_databases` (migrating) is called only by the process that builds the template."""
    from django.db import connection

    folder.mkdir(parents=True, exist_ok=True)
    record = folder / RECORD
    with FileLock(folder / "template.lock"):
        if record.exists():
            template = Template(**json.loads(record.read_text()))
            old_config = _copy_without_migrating(template)
        else:
            old_config = setup_databases()
            load_demo()
            template = _save(folder)
            record.write_text(json.dumps(asdict(template)))
    connection.ensure_connection()
    return template, old_config


def _copy_without_migrating(template: Template) -> list[Any]:
    """What Django's `create_test_db` does, with the template's copy in place of `migrate`."""
    from django.conf import settings
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation._get_test_db_name()
    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = test_name
    connection.settings_dict["NAME"] = test_name
    restore(template)
    return [(connection, old_name, True)]


def _save(folder: Path) -> Template:
    from django.conf import settings
    from django.db import connection, connections

    media = folder / "media"
    shutil.copytree(settings.MEDIA_ROOT, media)
    if connection.vendor == "sqlite":
        path = folder / "template.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        return Template("sqlite", str(path), str(media))
    # A template may have no other session while it is copied: the source is this process's
    # own test database, which nothing else uses yet. The name is the run's own, so that two
    # runs on one server do not share (or drop) each other's template.
    source = connection.settings_dict["NAME"]
    run = hashlib.sha256(str(folder).encode()).hexdigest()[:8]
    name = f"{source}_template_{run}"
    connections.close_all()
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:  # on the server's maintenance database
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(source)}")
    return Template("postgresql", name, str(media))


def restore(template: Template) -> None:
    """Make this process's test database and stored files a copy of the template. The live
    server must be idle (between tests): on SQLite its request threads share the test's
    connection, which the backup overwrites; on PostgreSQL their sessions are ended with the
    database they are on."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, connections

    shutil.copytree(template.media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    if template.vendor == "sqlite":
        source = sqlite3.connect(template.name)
        connection.ensure_connection()
        source.backup(connection.connection)
        source.close()
    else:
        target = connection.settings_dict["NAME"]
        connections.close_all()
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(template.name)}")
    # Content types are cached by id; those of the copy are the template's.
    ContentType.objects.clear_cache()


def drop(folder: Path) -> None:
    """The run's template, once no process needs it (an SQLite file goes with the folder);
    a template in the `SHARED` folder is its owner's to remove (the Makefile's)."""
    from django.db import connection

    if os.environ.get(SHARED):
        return
    record = folder / RECORD
    if not record.exists():
        return
    template = Template(**json.loads(record.read_text()))
    if template.vendor == "postgresql":
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(template.name)}")
    record.unlink()
