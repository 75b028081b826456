"""The `asde` command is installed with the distribution."""

import pytest

from asde import __version__
from asde.cli import main


def test_asde_reports_its_version(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])

    assert info.value.code == 0
    assert __version__ in capsys.readouterr().out
