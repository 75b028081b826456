"""Exports records as a given user may see them (the same selector as pages and API)."""

import csv
import json
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TextIO

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from partnership.core import files
from partnership.core.models import User
from partnership.core.partial_dates import PartialDate
from partnership.core.selectors import shown_text
from partnership.framework import selectors

# A column: the record's attribute of that name, or what a function makes of the record for
# the user (a reference the user may not follow is shown as restricted).
Column = str | Callable[[Any, Any], Any]


@dataclass(frozen=True)
class ExportKind:
    """One kind of record: the selector that gives what the user may see, and its columns."""

    records: Callable[..., Iterable[Any]]
    columns: dict[str, Column]


KINDS: dict[str, ExportKind] = {
    "milestones": ExportKind(
        selectors.milestone_list,
        {
            "number": "number",
            "date": "date",
            "date_display": "date_display",
            "theme": "theme",
            "text": "text",
            "marking": "marking",
        },
    ),
    "meetings": ExportKind(
        selectors.meeting_list,
        {
            "id": "pk",
            "body": lambda m, user: shown_text(user, m.body, "slug"),
            "level": "level",
            "date": "date",
            "date_display": lambda m, user: PartialDate.parse(m.date).render(),
            "title": "title",
            "marking": "marking",
            "releasable_to": lambda m, user: " ".join(m.releasable_codes),
        },
    ),
    "agreements": ExportKind(
        selectors.agreement_list,
        {
            "key": "slug",
            "title": "title",
            "signed": "signed",
            "ratified": "ratified",
            "in_force": "in_force",
            "marking": "marking",
        },
    ),
    "bodies": ExportKind(
        selectors.body_list,
        {
            "key": "slug",
            "kind": "kind",
            "name": "name",
            "established": "established",
            "marking": "marking",
        },
    ),
    "action-items": ExportKind(
        selectors.action_item_list,
        {
            "id": "pk",
            "title": lambda a, user: str(a),
            "owner": lambda a, user: a.owner.slug,
            "deadline": lambda a, user: str(a.deadline or ""),
            "status": "status",
            "marking": "marking",
        },
    ),
}


def _value(record: Any, column: Column, user: Any) -> Any:
    return getattr(record, column) if isinstance(column, str) else column(record, user)


def _rows(kind: str, user: Any) -> list[dict[str, Any]]:
    export = KINDS[kind]
    return [
        {name: _value(record, column, user) for name, column in export.columns.items()}
        for record in export.records(user=user)
    ]


def _write(rows: list[dict[str, Any]], out: TextIO, fmt: str) -> None:
    if fmt == "json":
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        # A spreadsheet program opening the CSV would run "=…" text as a formula.
        writer.writerows({k: files.text_cell(v) for k, v in row.items()} for row in rows)


class Command(BaseCommand):
    help = (
        "Export records as USER may see them: partnership export milestones --as USER --format csv"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=list(KINDS))
        parser.add_argument(
            "--as",
            dest="username",
            help="export what this user may see (without it: only public records)",
        )
        parser.add_argument("--format", choices=("json", "csv"), default="json")
        parser.add_argument("--language", choices=("en", "uk"), default="en")
        parser.add_argument("--output", help="file to write (standard output by default)")

    def handle(self, *args: Any, **options: Any) -> None:
        user: Any = AnonymousUser()
        if options["username"]:
            user = User.objects.filter(username=options["username"], is_active=True).first()
            if user is None:
                raise CommandError(f"No active user “{options['username']}”.")
        with translation.override(options["language"]):
            rows = _rows(options["kind"], user)
        if options["output"]:
            with open(options["output"], "w", newline="", encoding="utf-8") as out:
                _write(rows, out, options["format"])
        else:
            _write(rows, sys.stdout, options["format"])
        if options["output"]:
            self.stderr.write(f"{len(rows)} {options['kind']} written to {options['output']}")
