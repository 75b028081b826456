"""`partnership prepare anp-import`: an import through the worker from the command line, with
its progress bar, every row error as `file: row N, column: reason`, and nothing saved."""

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from partnership.anp.models import Measure
from partnership.background.management.commands import prepare
from partnership.core.models import User
from partnership.notifications.models import Recipient
from tests.partnership.anp.test_spreadsheets import GOOD, workbook

pytestmark = pytest.mark.django_db


class InThisThread:
    """`--here` runs the job in a thread of this process; here in this very thread, so that it
    sees the test's own transaction."""

    def __init__(self, target: Any, kwargs: dict[str, Any]) -> None:
        self.target, self.kwargs = target, kwargs

    def start(self) -> None:
        self.target(**self.kwargs)


@pytest.fixture(autouse=True)
def in_this_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepare.threading, "Thread", InThisThread)
    Recipient.objects.create(user=User.objects.get(username="ua-coordinator"), language="en")


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("prepare", *args, "--as-user", "ua-coordinator", "--here", stdout=out,
                     stderr=err)  # fmt: skip
    finally:
        print(out.getvalue(), err.getvalue())
    return out.getvalue(), err.getvalue()


def test_a_workbook_is_imported_through_the_worker_with_a_progress_bar(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "anp.xlsx"
    path.write_bytes(workbook(GOOD))
    out, _err = run("anp-import", "--file", str(path), "--year", "2035")
    assert '"measures": 2' in out and '"saved": true' in out
    assert "100%" in capsys.readouterr().err, "tqdm draws its bar on the terminal's stderr"
    assert Measure.objects.filter(programme__year=2035).count() == 2


def test_every_row_error_is_listed_and_nothing_is_saved(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook([[9, "9.1", "", "9.1.1", "x", "ua-mod", "", "2035", "", "", "", ""]]))
    with pytest.raises(CommandError, match="Nothing was imported"):
        run("anp-import", "--file", str(path), "--year", "2035", "--no-progress")
    assert f"{path}: row 3, Chapter: “9” is not a chapter (1 to 5)." in capsys.readouterr().out
    assert not Measure.objects.filter(programme__year=2035).exists()


def test_an_import_needs_its_file() -> None:
    with pytest.raises(CommandError, match="--file"):
        run("anp-import", "--year", "2035")
