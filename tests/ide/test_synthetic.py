"""The synthetic catalogue (`tests.ide.synthetic`) is what checkers read in its project."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.ide.conftest import CHECKERS, REVEAL, write_project
from tests.ide.synthetic import SHAPES, USED, render_model_ids, synthetic_ids, write_catalogue

pytestmark = pytest.mark.slow


def test_the_synthetic_ids_hold_the_ids_user_files_use() -> None:
    by_provider = synthetic_ids(400)
    ids = [model_id for ids in by_provider.values() for model_id in ids]
    assert set(USED) <= set(ids)
    assert len(ids) == len(set(ids)) == 400
    assert all(
        model_id.startswith(f"{name}/") for name, ids in by_provider.items() for model_id in ids
    )


@pytest.mark.parametrize("checker", ["ty", "pyrefly"])
def test_checkers_read_the_synthetic_catalogue(tmp_path: Path, checker: str) -> None:
    root = write_project(tmp_path)
    write_catalogue(root, 80)
    done = subprocess.run(
        CHECKERS[checker].command(root, [f"{REVEAL}.py", "typo_variable.py", "ok_forms.py"]),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    revealed = [line for line in output.splitlines() if "reveal" in line and "type" in line]
    assert any("prov00" in line for line in revealed), output  # the synthetic ids, not the real
    assert "typo_variable.py" in output and "openai/gpt-5o" in output, output
    assert "ok_forms.py" not in output, output


@pytest.mark.parametrize("shape", SHAPES)
def test_every_shape_is_a_module_naming_model_id(shape: str) -> None:
    namespace: dict[str, object] = {}
    exec(render_model_ids(synthetic_ids(80), shape), namespace)
    assert {"ModelId", "EmbeddingModelId", "openai_ids"} <= set(namespace)
    assert ("_IdsOf" in namespace) is (shape != "generated")
