"""Exports records as a given user may see them (the same selector as pages and API)."""

import csv
import json
import sys
from typing import Any, TextIO

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from partnership.core import files
from partnership.core.models import User
from partnership.core.partial_dates import PartialDate
from partnership.core.selectors import shown_text
from partnership.framework import selectors

KINDS = ("milestones", "meetings", "agreements", "bodies", "action-items")


def _rows(kind: str, user: Any) -> list[dict[str, Any]]:
    if kind == "milestones":
        return [
            {
                "number": m.number,
                "date": m.date,
                "date_display": m.date_display,
                "theme": m.theme,
                "text": m.text,
                "marking": m.marking,
            }
            for m in selectors.milestone_list(user=user)
        ]
    if kind == "meetings":
        return [
            {
                "id": m.pk,
                "body": shown_text(user, m.body, "slug"),
                "level": m.level,
                "date": m.date,
                "date_display": PartialDate.parse(m.date).render(),
                "title": m.title,
                "marking": m.marking,
                "releasable_to": " ".join(m.releasable_codes),
            }
            for m in selectors.meeting_list(user=user)
        ]
    if kind == "agreements":
        return [
            {
                "key": a.slug,
                "title": a.title,
                "signed": a.signed,
                "ratified": a.ratified,
                "in_force": a.in_force,
                "marking": a.marking,
            }
            for a in selectors.agreement_list(user=user)
        ]
    if kind == "bodies":
        return [
            {
                "key": b.slug,
                "kind": b.kind,
                "name": b.name,
                "established": b.established,
                "marking": b.marking,
            }
            for b in selectors.body_list(user=user)
        ]
    return [
        {
            "id": a.pk,
            "title": str(a),
            "owner": a.owner.slug,
            "deadline": str(a.deadline or ""),
            "status": a.status,
            "marking": a.marking,
        }
        for a in selectors.action_item_list(user=user)
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
        parser.add_argument("kind", choices=KINDS)
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
