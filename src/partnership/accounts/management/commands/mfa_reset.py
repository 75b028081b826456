"""`partnership mfa_reset NAME`: remove a person's second factors (a lost phone or key)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from partnership.accounts.services import second_factor_reset
from partnership.core.models import User


class Command(BaseCommand):
    help = "Remove every second factor of a person; they set one up again at their next login."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"There is no user “{options['username']}”.")
        removed = second_factor_reset(by=None, user=user)
        self.stdout.write(f"{user.username}: {removed} second-factor records removed.")
