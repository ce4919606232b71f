"""`result.output` is typed as declared: checked statically by `make typecheck` (mypy --strict and
basedpyright both evaluate every `assert_type`), and by running mypy's `reveal_type` here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import assert_type

import pytest
from pydantic import BaseModel

from modelrouter import Agent, GenerateResult, ModelRequest, ModelResponse

REPO = Path(__file__).resolve().parents[3]


class Forecast(BaseModel):
    city: str


class Echo:
    model_id = "mine/echo"

    def generate(self, request: ModelRequest) -> ModelResponse:
        return ModelResponse(text='{"city": "Oslo"}')

    async def agenerate(self, request: ModelRequest) -> ModelResponse:
        return self.generate(request)

    def stream(self, request: ModelRequest) -> object:
        raise NotImplementedError

    def astream(self, request: ModelRequest) -> object:
        raise NotImplementedError


def test_static_output_types() -> None:
    plain = Agent("a", None, "openai/gpt-4o")
    assert_type(plain, Agent[str])
    typed = Agent("a", None, "openai/gpt-4o", output_type=Forecast)
    assert_type(typed, Agent[Forecast])
    listed = Agent("a", None, "openai/gpt-4o", output_type=list[Forecast])
    assert_type(listed, Agent[list[Forecast]])
    if False:  # type-checked, never run: these calls would need a network
        assert_type(plain.generate("hi").output, str)
        assert_type(typed.generate("hi").output, Forecast)
        assert_type(plain.generate("hi", output_type=Forecast).output, Forecast)
        assert_type(typed.stream("hi").result.output, Forecast)
        assert_type(typed.astream("hi").result, GenerateResult[Forecast])


def test_output_at_run_time_matches() -> None:
    agent = Agent("a", None, Echo(), output_type=Forecast)  # type: ignore[arg-type]
    assert agent.generate("hi").output == Forecast(city="Oslo")


@pytest.mark.slow
def test_mypy_reveals_the_declared_type(tmp_path: Path) -> None:
    source = tmp_path / "reveal.py"
    source.write_text(
        "from pydantic import BaseModel\n"
        "from modelrouter import Agent\n"
        "class Forecast(BaseModel):\n"
        "    city: str\n"
        "agent = Agent('a', None, 'openai/gpt-4o', output_type=Forecast)\n"
        "reveal_type(agent.generate('hi').output)\n"
        "reveal_type(Agent('a', None, 'openai/gpt-4o').generate('hi').output)\n"
    )
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(REPO / ".mypy_cache"),
            str(source),
        ],
        cwd=REPO,
        env={**os.environ, "MYPYPATH": f"{REPO / 'runtime'}{os.pathsep}{REPO / 'generated'}"},
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert 'Revealed type is "reveal.Forecast"' in done.stdout, done.stdout + done.stderr
    assert 'Revealed type is "str"' in done.stdout or "builtins.str" in done.stdout, done.stdout
    pyright = subprocess.run(
        [
            str(Path(sys.executable).parent / "basedpyright"),
            "--pythonpath",
            sys.executable,
            str(source),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert 'is "Forecast"' in pyright.stdout, pyright.stdout + pyright.stderr
    assert 'is "str"' in pyright.stdout, pyright.stdout
