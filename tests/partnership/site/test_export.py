"""`partnership export`: each kind in JSON and CSV, as the user may see it."""

import csv
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from partnership.core.files import text_cell
from partnership.core.models import Marking, Organization
from partnership.framework.models import ActionItem, Agreement, Body, Meeting, Milestone

pytestmark = pytest.mark.django_db

# The columns of each kind, written out: a client's spreadsheet reads them by name.
COLUMNS = {
    "milestones": ["number", "date", "date_display", "theme", "text", "marking"],
    "meetings": [
        "id", "body", "level", "date", "date_display", "title", "marking", "releasable_to",
    ],
    "agreements": ["key", "title", "signed", "ratified", "in_force", "marking"],
    "bodies": ["key", "kind", "name", "established", "marking"],
    "action-items": ["id", "title", "owner", "deadline", "status", "marking"],
}  # fmt: skip

# Where each kind's export shows the record's identity, and how it reads for a record.
IDENTITY: dict[str, tuple[str, Any]] = {
    "milestones": ("number", lambda r: r.number),
    "meetings": ("id", lambda r: r.pk),
    "agreements": ("key", lambda r: r.slug),
    "bodies": ("key", lambda r: r.slug),
    "action-items": ("id", lambda r: r.pk),
}


@pytest.fixture
def hidden() -> dict[str, Any]:
    """One record of each kind that only NATO may see."""
    nuc = Body.objects.get(slug="nuc")
    nato = Marking.NATO
    return {
        "milestones": Milestone.objects.create(
            number=9001, date="2026-05", text_en="Hidden milestone", text_uk="Прихована подія",
            theme="political", marking=nato,
        ),
        "meetings": Meeting.objects.create(
            body=nuc, level="experts", title_en="Hidden meeting", date="2026-05", marking=nato
        ),
        "agreements": Agreement.objects.create(
            slug="hidden-agreement", kind="mou", title_en="Hidden agreement", marking=nato
        ),
        "bodies": Body.objects.create(
            slug="hidden-body", kind="committee", name_en="Hidden body", marking=nato
        ),
        "action-items": ActionItem.objects.create(
            title_en="Hidden action", owner=Organization.objects.get(slug="nato-is"),
            marking=nato,
        ),
    }  # fmt: skip


def _export(kind: str, fmt: str, *who: str) -> list[dict[str, Any]]:
    # The command writes to the process's standard output or to a file: a file it is.
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"export.{fmt}"
        as_who = ("--as", who[0]) if who else ()
        call_command("export", kind, "--format", fmt, *as_who, "--output", str(path))
        text = path.read_text(encoding="utf-8")
    if fmt == "json":
        rows: list[dict[str, Any]] = json.loads(text)
        return rows
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_each_kind_exports_its_columns_in_json_and_csv_alike(
    kind: str, hidden: dict[str, Any]
) -> None:
    # Given what NATO's editor sees, when exported in JSON and in CSV:
    as_json = _export(kind, "json", "nato-editor")
    as_csv = _export(kind, "csv", "nato-editor")

    # then both hold the same rows under the same columns (CSV writes every value as text,
    # a formula-like one behind an apostrophe).
    assert as_json and list(as_json[0]) == COLUMNS[kind]
    assert list(as_csv[0]) == COLUMNS[kind]
    assert [
        {k: "" if v is None else str(text_cell(v)) for k, v in row.items()} for row in as_json
    ] == as_csv
    name, identity = IDENTITY[kind]
    assert identity(hidden[kind]) in [row[name] for row in as_json]


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("kind", list(COLUMNS))
def test_a_hidden_record_is_absent_from_the_export(
    kind: str, fmt: str, hidden: dict[str, Any]
) -> None:
    name, identity = IDENTITY[kind]
    wanted = str(identity(hidden[kind]))

    for who in [(), ("ua-viewer",)]:
        rows = _export(kind, fmt, *who)
        assert wanted not in [str(row[name]) for row in rows]
