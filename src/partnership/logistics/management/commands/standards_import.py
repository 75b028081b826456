"""`partnership standards_import FILE --as-user U [--check]`: NATO standards and Ukraine's
status from an XLSX workbook; every row error is listed and nothing is saved unless none."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnership.core.exceptions import ApplicationError
from partnership.core.models import Organization, User
from partnership.logistics import services, spreadsheets


class Command(BaseCommand):
    help = "Import NATO standards and Ukraine's status from an XLSX workbook (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--as-user", required=True, help="an editor")
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
            self.stdout.write(f"{len(parsed.rows)} standards, no errors.")
            return
        try:
            count = services.standards_import(
                by=user, nation=Organization.objects.get(slug="ua"), rows=parsed.rows
            )
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"{count} standards imported.")
