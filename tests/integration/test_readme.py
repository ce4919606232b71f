"""Every Python example in the README runs, against llmock on 127.0.0.1.

The examples are written for real providers; here the documented `<PROVIDER>_BASE_URL` variables
point them at a local server, which also checks that those variables work as documented.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from llmock.testing import LLMockServer

README = Path(__file__).resolve().parents[2] / "README.md"
_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _examples() -> list[str]:
    return _BLOCK.findall(README.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def llmock() -> Iterator[LLMockServer]:
    with LLMockServer() as server:
        yield server


def test_the_readme_has_examples() -> None:
    assert len(_examples()) >= 6


@pytest.mark.parametrize("index", range(len(_examples())))
def test_readme_example_runs(index: int, llmock: LLMockServer) -> None:
    env = {
        **os.environ,
        "OPENAI_API_KEY": "test-openai",
        "OPENAI_BASE_URL": llmock.base_url("openai"),
        "ANTHROPIC_API_KEY": "test-anthropic",
        "ANTHROPIC_BASE_URL": llmock.base_url("anthropic") + "/v1",
        "GOOGLE_API_KEY": "test-google",
        "GOOGLE_BASE_URL": llmock.base_url("gemini") + "/v1beta",
        "MODELROUTER_OFFLINE": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", _examples()[index]],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_readme_examples_pass_mypy_strict(tmp_path: Path) -> None:
    """The examples are the typed API users copy: they must type-check as written."""
    repo = README.parent
    files = []
    for index, code in enumerate(_examples()):
        path = tmp_path / f"example_{index}.py"
        path.write_text(code, encoding="utf-8")
        files.append(str(path))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *files],
        cwd=tmp_path,
        env={
            **os.environ,
            "MYPYPATH": os.pathsep.join(str(repo / d) for d in ("runtime", "generated")),
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
