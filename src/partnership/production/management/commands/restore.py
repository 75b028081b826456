"""`partnership restore FILE`: a backup into the configured (empty) database."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnership.core.exceptions import ApplicationError
from partnership.production.backup import database_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `partnership backup` into DATABASE_URL's database, which must "
        "be empty unless --replace. Stop the site first when replacing."
    )
    # The database may be empty: there is nothing to check yet.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--replace", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            database_restore(source=options["file"], replace=options["replace"])
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
        self.stdout.write(f"restored {options['file']}")
