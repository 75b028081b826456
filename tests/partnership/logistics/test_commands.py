"""The logistics CLI: standards exported, then imported back; a bad workbook saves nothing."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from partnership.logistics.models import Standard, StandardAdoption

pytestmark = pytest.mark.django_db


def test_an_export_imports_back_unchanged(logistics: None, tmp_path: Path) -> None:
    out = tmp_path / "standards.xlsx"
    call_command("standards_export", "-o", str(out), "--as", "ua-logistician", verbosity=0)
    before = sorted(StandardAdoption.objects.values_list("standard__number", "status", "ratified"))

    call_command("standards_import", str(out), "--as-user", "ua-logistician", verbosity=0)

    after = sorted(StandardAdoption.objects.values_list("standard__number", "status", "ratified"))
    assert after == before and Standard.objects.count() == 5


def test_a_bad_workbook_lists_its_rows_and_saves_nothing(
    logistics: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Number", "Kind", "Title (English)", "Area", "Status"])
    sheet.append(["STANAG 1", "stanag", "A", "logistics", ""])
    sheet.append(["STANAG 2", "stanag", "B", "logistics", "adopted"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    with pytest.raises(CommandError, match="1 errors; nothing was saved"):
        call_command("standards_import", str(path), "--as-user", "ua-logistician")
    assert "row 3, Status: “adopted” is not a status of a standard." in capsys.readouterr().err
    assert not Standard.objects.filter(number="STANAG 1").exists()
