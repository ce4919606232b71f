"""A parent with the generator already imported that forks test workers on request.

Tests that start dozens of writers pay an interpreter start and the imports (about a second on
a busy machine) per worker; forked from this parent, each worker is a real process from the
first instruction of its job, at the cost of a fork.

    python -m tests.integration.generator.forker

Protocol, one JSON object per line, each request answered by one line:

    {"op": "spawn", "job": "generate", "args": [...], "env": {...}, "cwd": DIR, "log": FILE}
        -> {"pid": N}    the child runs `modelrouter <args>` (the CLI's `main`)
    {"op": "spawn", "job": "slow_write", "args": [OUT, FILES_JSON, MODE], ...}
        -> {"pid": N}    the child runs `slow_writer.main`
    {"op": "wait", "pid": N}
        -> {"code": C}   reaped; C is the exit code, or -signal

The child applies `env`, changes to `cwd` and sends its stdout and stderr to `log`.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

import modelrouter_generator.cli
from tests.integration.generator import slow_writer
from tests.integration.generator.runs import generate_args

REPO = Path(__file__).resolve().parents[3]


def _child(request: dict[str, Any]) -> int:
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    args = list(request["args"])
    try:
        if request["job"] == "generate":
            return modelrouter_generator.cli.main(args)
        slow_writer.main(Path(args[0]), Path(args[1]), args[2])
        return 0
    finally:
        sys.stdout.flush()
        sys.stderr.flush()


def _warm_up() -> None:
    # Compile the templates and load the gateway code once here rather than in every child.
    with tempfile.TemporaryDirectory() as folder:
        env = {"MODELROUTER_SNAPSHOT_DIR": folder, "MODELROUTER_TEST_MODELS": "warm:up"}
        os.environ.update(env)
        with contextlib.redirect_stdout(io.StringIO()):
            modelrouter_generator.cli.main(generate_args(Path(folder) / "out"))
        for name in env:
            del os.environ[name]


def serve() -> None:
    _warm_up()
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "spawn":
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    code = _child(request)
                finally:
                    os._exit(code)
            reply: dict[str, int] = {"pid": pid}
        else:
            _, status = os.waitpid(request["pid"], 0)
            reply = {"code": os.waitstatus_to_exitcode(status)}
        print(json.dumps(reply), flush=True)


class Forker:
    """The test side: start the parent, spawn and reap workers."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "tests.integration.generator.forker"],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _ask(self, request: dict[str, Any]) -> dict[str, int]:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        answer = self._process.stdout.readline()
        assert answer, "the forker died"
        reply: dict[str, int] = json.loads(answer)
        return reply

    def spawn(
        self, job: str, args: list[str], *, log: Path, cwd: Path, env: dict[str, str] | None = None
    ) -> int:
        """Start a worker; returns its pid."""
        request = {"op": "spawn", "job": job, "args": args, "env": env or {}}
        return self._ask({**request, "cwd": str(cwd), "log": str(log)})["pid"]

    def wait(self, pid: int) -> int:
        """Reap a worker; returns its exit code, or -signal."""
        return self._ask({"op": "wait", "pid": pid})["code"]

    def __enter__(self) -> Forker:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.close()
        self._process.wait(timeout=60)
        self._process.stdout.close()


if __name__ == "__main__":
    serve()
