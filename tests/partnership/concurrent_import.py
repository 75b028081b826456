"""An ANP import of a whole year while other people write: the scenario the database settings
must survive (SQLite's WAL and busy timeout; PostgreSQL as it is). Run by test_database.py in
this process (PostgreSQL) or as `python -m tests.partnership.concurrent_import` against a
fresh SQLite file (SQLite's in-memory test database cannot show file locking)."""

from __future__ import annotations

import io
import json
import threading
import time
from typing import Any

from django.db import connection
from openpyxl import Workbook

HEADER = ["Chapter", "Goal code", "Goal", "Measure code", "Measure", "Responsible agency",
          "Co-executors", "Deadline", "Indicator", "Unit", "Baseline", "Target"]  # fmt: skip


def year_workbook(measures: int) -> bytes:
    """A year of `measures` measures over the five chapters, as a ministry would send it."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for n in range(measures):
        chapter = n % 5 + 1
        sheet.append([
            chapter, f"{chapter}.1", f"Goal {chapter}.1", f"{chapter}.1.{n + 1}",
            f"Measure {n + 1}", "Ministry of Defence of Ukraine", "", "by end 2034",
            "Done", "", 0, 1,
        ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_while_writing(*, year: int = 2034, measures: int = 450, writes: int = 20) -> dict:
    """Imports a year in one thread while another writes `writes` records; returns what failed
    and when each side ran."""
    from partnership.anp import services, spreadsheets
    from partnership.core.models import User
    from partnership.core.services import api_token_create

    parsed = spreadsheets.parse(year_workbook(measures))
    assert not parsed.errors, parsed.errors
    coordinator = User.objects.get(username="ua-coordinator")
    editor = User.objects.get(username="nato-editor")
    errors: list[str] = []
    times: dict[str, float] = {}
    importing = threading.Event()

    def run_import() -> None:
        try:
            times["import_start"] = time.perf_counter()
            importing.set()
            services.measures_import(by=coordinator, year=year, rows=parsed.rows)
            times["import_end"] = time.perf_counter()
        except Exception as exc:  # what the test reports, whatever it is
            errors.append(f"import: {exc!r}")
        finally:
            importing.set()
            connection.close()

    def run_writes() -> None:
        importing.wait()
        time.sleep(0.05)  # the import has its write lock by now
        times["writes_start"] = time.perf_counter()
        for i in range(writes):
            try:
                api_token_create(user=editor, name=f"concurrent-{i}")
            except Exception as exc:
                errors.append(f"write {i}: {exc!r}")
        times["writes_end"] = time.perf_counter()
        connection.close()

    threads = [threading.Thread(target=run_import), threading.Thread(target=run_writes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return {"errors": errors, "times": times}


def main() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_factsheet", "--no-progress", verbosity=0)
    call_command("demo_users", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]
    result: dict[str, Any] = import_while_writing()
    result["journal_mode"] = mode
    print(json.dumps(result))


if __name__ == "__main__":
    main()
