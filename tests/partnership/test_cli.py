"""The `partnership` verbs as people use them."""

import csv
import json

import pytest
from django.core.management import CommandError, call_command

from partnership.core.models import User

pytestmark = pytest.mark.django_db


def test_createuser_creates_a_person_with_roles(capsys: pytest.CaptureFixture) -> None:
    call_command(
        "createuser",
        "ses-reporter",
        "--org",
        "ua-ses",
        "--role",
        "reporter",
        "--password",
        "flood-season-2026",
    )

    user = User.objects.get(username="ses-reporter")
    assert user.organization.slug == "ua-ses" and user.roles == {"reporter"}
    assert user.check_password("flood-season-2026")


def test_createuser_refuses_a_role_the_organization_cannot_hold() -> None:
    with pytest.raises(CommandError, match="roles: The assessor role"):
        call_command(
            "createuser",
            "x",
            "--org",
            "ua-mod",
            "--role",
            "assessor",
            "--password",
            "flood-season-2026",
        )


def test_export_milestones_as_csv_in_ukrainian(tmp_path: object) -> None:
    path = f"{tmp_path}/m.csv"
    call_command("export", "milestones", "--format", "csv", "--language", "uk", "--output", path)

    with open(path, encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 51
    assert rows[-1]["date_display"] == "28 квітня 2015"


def test_export_agreements_as_json(tmp_path: object) -> None:
    path = f"{tmp_path}/a.json"
    call_command("export", "agreements", "--output", path)

    with open(path, encoding="utf-8") as handle:
        agreements = {a["key"]: a for a in json.load(handle)}
    assert agreements["strategic-airlift"]["ratified"] == "2006-10"
