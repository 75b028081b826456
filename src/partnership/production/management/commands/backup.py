"""`partnership backup`: a consistent copy of the live database (SQLite online backup, pg_dump)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnership.core.exceptions import ApplicationError
from partnership.production.backup import backups_prune, database_backup, default_backup_path


class Command(BaseCommand):
    help = (
        "Back up the database while the site serves: to -o FILE, or to "
        "DATA_DIR/backups/partnership-<UTC time>.sqlite3|.pgdump; --keep N removes older ones."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path)
        parser.add_argument("--keep", type=int, help="keep only the newest N in the folder")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path = options["output"] or default_backup_path()
            database_backup(to=path)
            self.stdout.write(str(path))
            if options["keep"] is not None:
                for old in backups_prune(folder=path.parent, keep=options["keep"]):
                    self.stdout.write(f"removed {old}")
        except ApplicationError as error:
            raise CommandError(str(error.message)) from None
