"""`partnership search_rebuild`: the search index again from every record."""

from typing import Any

from django.core.management.base import BaseCommand

from partnership.search import index
from partnership.search.registry import Kind


class Command(BaseCommand):
    help = "Rebuild the search index from every searchable record."

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(kind: Kind, count: int) -> None:
            if options["verbosity"] > 1:
                self.stdout.write(f"{kind.key}: {count}")

        total = index.rebuild(progress)
        if options["verbosity"] > 0:
            self.stdout.write(f"{total} records indexed.")
