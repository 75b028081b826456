from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnership.anp import report, selectors
from partnership.core.models import User


class Command(BaseCommand):
    help = "Write the ANP assessment report to the NUC for a year, as PDF or HTML."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("year", type=int)
        parser.add_argument("--language", choices=["en", "uk"], default="en")
        parser.add_argument("--output", "-o", required=True, help="a .pdf or .html file")
        parser.add_argument(
            "--as-user", default="", help="write what this user may see (default: everything)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user: Any = None
        if options["as_user"]:
            user = User.objects.filter(username=options["as_user"]).first()
            if user is None:
                raise CommandError(f"No user “{options['as_user']}”.")
        else:
            # The command is run by whoever runs the server: it sees what a superuser sees.
            user = User(is_superuser=True, is_active=True)
        programme = selectors.programme_get(user=user, year=options["year"])
        if programme is None:
            raise CommandError(f"There is no ANP for {options['year']} that this user may see.")
        out = Path(options["output"])
        if out.suffix == ".pdf":
            out.write_bytes(
                report.render_pdf(user=user, programme=programme, language=options["language"])
            )
        elif out.suffix in (".html", ".htm"):
            out.write_text(
                report.render_html(user=user, programme=programme, language=options["language"]),
                encoding="utf-8",
            )
        else:
            raise CommandError("The output file must end in .pdf or .html.")
        self.stdout.write(f"{out} ({out.stat().st_size:,} bytes)")
