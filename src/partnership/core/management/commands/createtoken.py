"""Creates an API token for a user and prints it once."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnership.core.models import User
from partnership.core.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token: partnership createtoken USERNAME --name 'reporting script'"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="cli")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"No active user “{options['username']}”.")
        _token, raw = api_token_create(user=user, name=options["name"])
        self.stdout.write(raw)
