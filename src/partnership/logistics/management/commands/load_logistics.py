"""`partnership load_logistics [--demo]`: the factsheet's logistics facts, and demo records."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from partnership.logistics import loader


class Command(BaseCommand):
    help = "Load the factsheet's logistics facts (and, with --demo, demo logistics records)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="also create demo records")

    def handle(self, *args: Any, **options: Any) -> None:
        loader.load()
        if options["demo"]:
            from partnership.site.management.commands.demo_users import DEMO_PASSWORD

            loader.load_demo(password=DEMO_PASSWORD)
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS("Logistics data loaded."))
