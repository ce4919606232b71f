"""Evidence for issue 5: a dev session picks up a newly listed model with no manual step.

After one refresh round against a loopback models.dev that has just added `acme/gamma-3-preview`:
`mypy --strict` on a user file using the new id passes (it failed before), jedi completes the
new constant, a basedpyright language server offers the new id inside the string, and the
runtime's lookup knows it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jedi
import pytest

from modelrouter_generator.lock import CatalogTarget
from modelrouter_generator.pipeline import GenerateOptions
from modelrouter_generator.refresh import RefreshJob

from .conftest import ChangingGateway, driver_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

NEW_ID = "acme/gamma-3-preview"
USER_FILE = f"""\
from modelrouter._types import ModelId
from modelrouter_catalog.providers.acme import ALPHA_1

MODEL: ModelId = "{NEW_ID}"
FALLBACK: ModelId = ALPHA_1
"""
LSP_TOOL = Path(__file__).resolve().parents[4] / "shared" / "tools" / "lsp_complete.py"


def _mypy(app: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "main.py"],
        cwd=app,
        # What the fallback log line tells users to set, pointed at the test's catalogue.
        env={**os.environ, "MYPYPATH": str(out)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _constants(out: Path) -> set[str]:
    source = "from modelrouter_catalog.providers.acme import "
    # A fresh Project each time, as an editor reopening the file would see it.
    script = jedi.Script(source, project=jedi.Project(out, sys_path=[str(out), *sys.path]))
    return {completion.name for completion in script.complete(1, len(source))}


def _runtime_knows(out: Path) -> bool:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from modelrouter import _catalog;"
            f" print(_catalog.has_model('acme', '{NEW_ID.split('/')[1]}'))",
        ],
        env=driver_env(out),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip() == "True"


def _lsp_offers(app: Path, out: Path, *checks: str) -> subprocess.CompletedProcess[str]:
    """Complete `"acme/` in a fresh basedpyright server (one-shot, as after a restart)."""
    (app / "pyrightconfig.json").write_text(f'{{"extraPaths": ["{out}"]}}')
    return subprocess.run(
        [
            sys.executable,
            str(LSP_TOOL),
            "--server",
            "basedpyright",
            "--root",
            str(app),
            "--text",
            'from modelrouter._types import ModelId\\n\\nm: ModelId = "acme/<|>"\\n',
            *checks,
            "--repeat",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_dev_session_picks_up_a_new_model_id(gateway: ChangingGateway, tmp_path: Path) -> None:
    out, app = tmp_path / "generated", tmp_path / "app"
    app.mkdir()
    (app / "main.py").write_text(USER_FILE)
    job = RefreshJob(
        GenerateOptions(out_dir=out, verify=False),
        CatalogTarget(out_dir=out, preferred=out),
        interval=1e-9,
        reload=lambda: None,
    )
    job.step()  # models.dev lists V1: no gamma yet

    if LSP_TOOL.is_file():
        offered = _lsp_offers(app, out, "--expect", "acme/alpha-1", "--forbid", NEW_ID)
        assert offered.returncode == 0, offered.stdout + offered.stderr
    before = _mypy(app, out)
    assert before.returncode == 1, before.stdout
    assert NEW_ID in before.stdout
    constants = _constants(out)
    assert "ALPHA_1" in constants and "GAMMA_3_PREVIEW" not in constants
    assert not _runtime_knows(out)

    job.step()  # models.dev now lists gamma: the job picks it up

    after = _mypy(app, out)
    assert after.returncode == 0, after.stdout
    assert {"ALPHA_1", "GAMMA_3_PREVIEW"} <= _constants(out)
    assert _runtime_knows(out)
    if LSP_TOOL.is_file():
        offered = _lsp_offers(app, out, "--expect", "acme/alpha-1", "--expect", NEW_ID)
        assert offered.returncode == 0, offered.stdout + offered.stderr
