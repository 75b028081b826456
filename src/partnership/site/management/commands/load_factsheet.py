"""Loads the factsheet data file; a malformed file stops with file, line and reason."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnership.core.factsheet_file import FactsheetDataError, factsheet_load


class Command(BaseCommand):
    help = "Load every fact of the factsheet data file. Running it twice changes nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=settings.FACTSHEET_DATA)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = factsheet_load(path=options["file"], progress=not options["no_progress"])
        except FactsheetDataError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] == 0:
            return
        if report.changed:
            created = ", ".join(f"{n} {k}" for k, n in sorted(report.created.items())) or "0"
            updated = ", ".join(f"{n} {k}" for k, n in sorted(report.updated.items())) or "0"
            self.stdout.write(self.style.SUCCESS(f"Created: {created}. Updated: {updated}."))
        else:
            self.stdout.write(f"Nothing changed ({report.unchanged} records already up to date).")
