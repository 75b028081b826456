from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnership.anp import services, spreadsheets
from partnership.core.exceptions import ApplicationError
from partnership.core.models import User


class Command(BaseCommand):
    help = "Import an ANP year from an XLSX workbook; every row error is listed, nothing is saved."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--as-user", required=True, help="the national coordinator")
        parser.add_argument("--check", action="store_true", help="only list the errors")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["as_user"]).first()
        if user is None:
            raise CommandError(f"No user “{options['as_user']}”.")
        parsed = spreadsheets.parse(Path(options["file"]).read_bytes())
        for e in parsed.errors:
            self.stderr.write(f"{options['file']}: row {e.row}, {e.column or '-'}: {e.message}")
        if parsed.errors:
            raise CommandError(f"{len(parsed.errors)} errors; nothing was saved.")
        if options["check"]:
            self.stdout.write(f"{len(parsed.rows)} measures, no errors.")
            return
        try:
            programme = services.measures_import(by=user, year=options["year"], rows=parsed.rows)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"{len(parsed.rows)} measures imported into the {programme.year} draft.")
