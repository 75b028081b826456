"""The demo: migrate, load the factsheet, create demo users and serve on http://127.0.0.1:8000."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from partnership.site.management.commands.demo_users import (
    DEMO_MFA_USER,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    DEMO_USERS,
)


class Command(BaseCommand):
    help = "Set up the demo database and serve the site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true")
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_factsheet")
        call_command("demo_users")
        call_command("demo_data")
        call_command("load_logistics", "--demo")
        call_command("demo_notifications")
        from partnership.logistics.loader import DEMO_USERS as LOGISTICS_USERS

        lines = [
            "",
            f"Partnership is ready at http://{options['address']}/ (English: /en/, Ukrainian: /uk/)",
            f"Log in at http://{options['address']}/en/accounts/login/ with password {DEMO_PASSWORD!r} as:",
        ]
        for username, org, roles in [*DEMO_USERS, *LOGISTICS_USERS]:
            lines.append(f"  {username:<15} {org:<16} {', '.join(str(r) for r in roles)}")
        lines += [
            f"{DEMO_MFA_USER} has an authenticator app set up: after the password the site asks",
            f"for its code; give any TOTP app the secret {DEMO_TOTP_SECRET} (or run",
            f"`oathtool --totp -b {DEMO_TOTP_SECRET}`). Any user sets one up at /en/accounts/second-factor/.",
            "The bell in the header opens each person's notifications; their e-mails are files in",
            f"{settings.EMAIL_FILE_PATH}. Reports and exports are prepared in the background at",
            f"http://{options['address']}/en/prepared/ (the worker runs beside the site).",
        ]
        self.stdout.write("\n".join(lines) + "\n")
        if not options["no_serve"]:
            call_command("serve", options["address"])
