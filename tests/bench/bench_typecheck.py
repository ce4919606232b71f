"""mypy cold on a user file typed with the catalogue's `ModelId` vs the same file typed `str`.

Target (issue 2): <= 1.3x. Both runs are cold (no cache) and use the committed catalogue.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_REPO = Path(__file__).resolve().parents[2]
_BODY = """
def call(model: {annotation}) -> str:
    return model


call("openai/gpt-4o")
call("anthropic/claude-sonnet-4-5")
"""
_TYPED = "from modelrouter_catalog.model_ids import ModelId\n" + _BODY.format(annotation="ModelId")
_PLAIN = _BODY.format(annotation="str")
_RUNS = 3


def _mypy_seconds(folder: Path, source: str) -> float:
    user = folder / "user.py"
    user.write_text(source, encoding="utf-8")
    config = folder / "mypy.ini"
    config.write_text(f"[mypy]\nmypy_path = {_REPO / 'generated'}\n", encoding="utf-8")
    command = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config)]
    command += ["--cache-dir", "/dev/null", str(user)]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(done.stdout + done.stderr)
    return elapsed


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        typed = statistics.median(_mypy_seconds(folder, _TYPED) for _ in range(_RUNS))
        plain = statistics.median(_mypy_seconds(folder, _PLAIN) for _ in range(_RUNS))
    print(
        f"mypy cold, ModelId: {typed:.2f} s; str: {plain:.2f} s;"
        f" ratio {typed / plain:.2f}x (target <= 1.3x)"
    )


if __name__ == "__main__":
    main()
