"""A wheel install works as well as the checkout: templates, catalogue, py.typed, console script."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("modelrouter", "modelrouter_generator", "modelrouter_catalog")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("modelrouter-*.whl")
    return built


@pytest.mark.slow
def test_wheel_holds_three_packages_templates_and_markers(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert tops == set(PACKAGES)  # never a bare `runtime` or `generator` package
    for package in PACKAGES:
        assert f"{package}/py.typed" in names
    assert (
        "modelrouter_generator/templates/modelrouter_catalog/providers/provider.py.jinja2" in names
    )
    assert "modelrouter_catalog/providers/openai.py" in names
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    parser = configparser.ConfigParser()
    parser.read_string(zipfile.ZipFile(wheel).read(entry_points).decode())
    assert parser["console_scripts"]["modelrouter"] == "modelrouter_generator.cli:main"


@pytest.mark.slow
def test_installed_wheel_generates_and_routes_without_the_checkout(
    wheel: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site)]
        + [str(wheel)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    script = (
        "import sys, modelrouter, modelrouter_catalog, modelrouter_generator.render as r\n"
        f"site = {str(site)!r}\n"
        "assert modelrouter.__file__.startswith(site), modelrouter.__file__\n"
        "assert str(r.templates_dir()).startswith(site), r.templates_dir()\n"
        "from modelrouter import _catalog\n"
        "assert _catalog.has_model('openai', 'gpt-4o')\n"
        "from modelrouter_generator.cli import main\n"
        f"sys.exit(main(['generate', '--offline', '--out', {str(tmp_path / 'out')!r}]))\n"
    )
    # PYTHONPATH puts the installed wheel ahead of the editable checkout; the venv still
    # provides the dependencies. Run from tmp so the checkout's folders are not on the path.
    env = {**os.environ, "PYTHONPATH": str(site), "MODELROUTER_SNAPSHOT_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "out" / "modelrouter_catalog" / "providers" / "openai.py").is_file()
