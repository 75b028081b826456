"""`partnership standards_export -o FILE --as USER`: the standards USER may see, with
Ukraine's status, in the layout `standards_import` reads."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnership.core.models import User
from partnership.logistics import selectors, spreadsheets


class Command(BaseCommand):
    help = "Export the standards a user may see, with Ukraine's status, to an XLSX workbook."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", required=True)
        parser.add_argument("--as", dest="as_user", required=True, help="whose view to export")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["as_user"]).first()
        if user is None:
            raise CommandError(f"No user “{options['as_user']}”.")
        adoptions = {a.standard_id: a for a in selectors.adoption_list(user=user)}
        standards = list(selectors.standard_list(user=user))
        Path(options["output"]).write_bytes(spreadsheets.export_standards(adoptions, standards))
        self.stdout.write(f"{len(standards)} standards written to {options['output']}.")
