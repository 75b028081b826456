"""Borders: Ukraine within its internationally recognised borders, Crimea included."""

import gzip
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from shapely import Point

from asde.geo import (
    PACKAGED,
    SEVASTOPOL,
    atlas_path,
    borders,
    country_of,
    load_countries,
    recognised,
)


def test_a_point_in_sevastopol_lies_in_ukraine() -> None:
    assert borders()["804"].geometry.contains(SEVASTOPOL)
    assert not borders()["643"].geometry.contains(SEVASTOPOL)
    assert country_of(44.6166, 33.5224) == "804"


def test_the_data_set_needed_the_correction_and_nothing_else_moved() -> None:
    raw = load_countries()
    fixed = recognised(raw)

    assert not raw["804"].geometry.contains(SEVASTOPOL)  # Natural Earth draws it de facto
    assert fixed["643"].geometry.contains(Point(37.62, 55.75))  # Moscow stays in Russia
    assert fixed["804"].geometry.contains(Point(30.52, 50.45))  # Kyiv
    assert fixed["804"].geometry.area == pytest.approx(
        raw["804"].geometry.area + (raw["643"].geometry.area - fixed["643"].geometry.area), rel=1e-6
    )


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [(50.45, 30.52, "804"), (52.23, 21.01, "616"), (47.50, 19.04, "348"), (45.0, 31.5, None)],
)
def test_country_of_a_point(lat: float, lon: float, code: str | None) -> None:
    assert country_of(lat, lon) == code


REPOSITORY = Path(__file__).resolve().parents[2]


def test_the_packaged_borders_are_world_atlas_byte_for_byte() -> None:
    """The committed copy is npm world-atlas's countries-50m.json (scripts/package-borders.sh);
    this fails when world-atlas is upgraded and the copy is not made again."""
    npm = REPOSITORY / "node_modules" / "world-atlas" / "countries-50m.json"
    assert npm.exists(), "run `make npm`"
    assert gzip.decompress(PACKAGED.read_bytes()) == npm.read_bytes()


def test_borders_come_from_the_package_not_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no node_modules here
    monkeypatch.delenv("ASDE_WORLD_ATLAS", raising=False)

    assert atlas_path() == PACKAGED
    assert recognised(load_countries())["804"].geometry.contains(SEVASTOPOL)


def test_pip_install_then_asde_alerts_in_an_empty_directory(tmp_path: Path) -> None:
    """`pip install .` into a fresh venv, then `asde simulate` and `asde alerts` where there
    is nothing else. The venv gets the project's third-party dependencies from the test
    venv's site-packages (a path, not its .pth files: the editable install of this checkout
    stays out), so the package itself, with its data, is what is installed and tested."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(sysconfig.get_paths()["purelib"])
    target = Path(subprocess.check_output(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        text=True).strip())  # fmt: skip
    build = tmp_path / "build"
    # From a copy of the sources without node_modules, .venv or var/, nor what other tests
    # (pytest-xdist workers beside this one) are writing meanwhile: screenshots, examples.
    shutil.copytree(REPOSITORY, build, ignore=shutil.ignore_patterns(
        "node_modules", ".venv", "var", ".git", "*.egg-info", "__pycache__", "build",
        "test-results", ".hypothesis", ".pytest_cache"))  # fmt: skip
    subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--no-deps", str(build)],
                   check=True, timeout=180)  # fmt: skip
    shutil.rmtree(build)
    # Only now the dependencies: pip must not see (nor touch) the test venv's installation.
    (target / "test-deps.pth").write_text(f"{site}\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    scenario = empty / "renegade.yaml"
    scenario.write_bytes((REPOSITORY / "src/asde/data/scenarios/renegade-lviv.yaml").read_bytes())
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path)}
    where = subprocess.check_output(
        [str(python), "-c", "import asde, sys; print(asde.__file__)"], cwd=empty, env=env,
        text=True,
    )  # fmt: skip
    assert where.startswith(str(venv)), where  # the installed package, not this checkout
    recording = empty / "renegade.ast"
    subprocess.run([str(venv / "bin" / "asde"), "simulate", "renegade.yaml", "-o", str(recording)],
                   cwd=empty, env=env, check=True, timeout=60)  # fmt: skip

    assert recording.stat().st_size > 0
    # The raw recording, whenever this runs: its times of day are placed on one timeline from
    # its first report (read twelve hours after its start, it used to split across two days
    # and this test failed at 22:00 UTC).
    result = subprocess.run([str(venv / "bin" / "asde"), "alerts", "renegade.ast"], cwd=empty,
                            env=env, capture_output=True, text=True, timeout=60)  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert "not found" not in result.stderr
    assert "border" in result.stdout and "renegade" in result.stdout, result.stdout[-2000:]
