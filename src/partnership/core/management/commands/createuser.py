"""Creates a person in an organization with their roles."""

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnership.core.exceptions import ApplicationError
from partnership.core.models import Organization, Role
from partnership.core.services import user_create


class Command(BaseCommand):
    help = "Create a user: partnership createuser NAME --org ua-mod --role reporter"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--org", required=True, help="organization key, e.g. nato-is, ua-mod")
        parser.add_argument("--role", action="append", default=[], choices=Role.values)
        parser.add_argument("--password", help="read from the terminal when not given")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        org = Organization.objects.filter(slug=options["org"]).first()
        if org is None:
            raise CommandError(f"No organization with key “{options['org']}”.")
        password = options["password"] or getpass.getpass("Password: ")
        try:
            user = user_create(
                by=None,  # the operator at the server: see user_create
                username=options["username"],
                password=password,
                organization=org,
                roles=options["role"],
                email=options["email"],
            )
        except ApplicationError as exc:
            raise CommandError(f"{exc.field}: {exc.message}") from exc
        self.stdout.write(
            self.style.SUCCESS(f"Created {user.username} ({org}): {sorted(user.roles)}")
        )
