"""Editors complete catalogue ids and type checkers reject typos with short messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.ide.conftest import BIN, complete

pytestmark = pytest.mark.slow

_AGENT = 'from modelrouter import Agent\n\nAgent(name="a", instructions=None, model="{}<|>")\n'


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("openai/gp", ["openai/gpt-4o", "openai/gpt-4o-mini"]),
        ("openrouter/anthropic/", ["openrouter/anthropic/claude-sonnet-4"]),
        ("netlify/openai/", ["netlify/openai/gpt-4o", "netlify/openai/o1"]),
    ],
)
def test_basedpyright_completes_model_ids(project: Path, typed: str, expected: list[str]) -> None:
    done = complete(project, "basedpyright", _AGENT.format(typed), expected)
    assert done.returncode == 0, done.stdout + done.stderr


def test_jedi_completes_the_constants(project: Path) -> None:
    text = "from modelrouter_catalog.providers import openai\n\nopenai.GPT_4<|>\n"
    done = complete(project, "jedi", text, ["GPT_4O", "GPT_4O_MINI"])
    assert done.returncode == 0, done.stdout + done.stderr


def _write_typo(project: Path) -> Path:
    user = project / "user_typo.py"
    user.write_text(
        "from modelrouter import Agent\n\nAgent(name='a', instructions=None, model='openai/gpt-5o-typo')\n",
        encoding="utf-8",
    )
    return user


def test_a_typo_fails_mypy_with_a_short_message(project: Path) -> None:
    user = _write_typo(project)
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", user.name],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    errors = [line for line in done.stdout.splitlines() if "user_typo.py" in line]
    assert any("openai/gpt-5o-typo" in line for line in errors), done.stdout
    assert len(done.stdout.encode()) <= 2048, done.stdout


def test_a_typo_fails_basedpyright_with_a_short_message(project: Path) -> None:
    user = _write_typo(project)
    done = subprocess.run(
        [str(BIN / "basedpyright"), "--pythonpath", sys.executable, user.name],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1, done.stdout
    message = "\n".join(line for line in done.stdout.splitlines() if "error" in line)
    assert "gpt-5o-typo" in message
    assert len(message.encode()) <= 1024, message
