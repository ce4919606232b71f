"""A custom gateway that never answers is abandoned at its timeout and the process exits.

Real `modelrouter generate` processes: a sync `fetch_providers` blocked for good, and an async
one that blocks its event loop. Before the fix the first hung at exit (the executor thread was
joined) and the second hung for good (its blocked loop never ran the timeout).
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Final

import pytest

from modelrouter_generator.pipeline import previous_models
from tests.integration.generator.gateways import HANG_MARK_ENV, LOOP_BLOCK, SYNC_HANG
from tests.integration.generator.runs import start_generate

# What `collect_listings` allows a custom gateway: 10 s per try x (2 retries + 1).
GATEWAY_TIMEOUT: Final = 30.0
# The bound: the run ends within the gateway's timeout plus 10 s.
EXIT_BOUND: Final = GATEWAY_TIMEOUT + 10.0

pytestmark = pytest.mark.timeout(300)

CASES: Final = {
    "sync": (SYNC_HANG, "sync-hang", "hung-sync", "kept-sync"),
    "loop": (LOOP_BLOCK, "loop-block", "hung-async", "kept-async"),
}


def test_a_hanging_gateway_is_abandoned_and_the_others_models_are_written(
    tmp_path: Path,
) -> None:
    before = {"openai": ["gpt-4o"]}
    after = {"openai": ["gpt-4o", "gpt-5"], "acme": ["a1"]}
    outs = {case: tmp_path / case / "out" for case in CASES}
    for case, (spec, *_rest) in CASES.items():
        outs[case].parent.mkdir()
        # A good run first, so the gateway has a last good snapshot to keep.
        first = start_generate(outs[case], tmp_path / case / "snapshots", before, gateways=[spec])
        output, _ = first.communicate(timeout=120)
        assert first.returncode == 0, output
    marks = {case: tmp_path / case / "hung-at" for case in CASES}
    runs = {
        case: start_generate(
            outs[case],
            tmp_path / case / "snapshots",
            after,
            gateways=[spec],
            hang=True,
            extra_env={HANG_MARK_ENV: str(marks[case])},
        )
        for case, (spec, *_rest) in CASES.items()
    }
    exited = _exit_times(runs)
    for case, run in runs.items():
        output, _ = run.communicate(timeout=60)
        _, gateway_id, key, model = CASES[case]
        # From the moment the gateway hung (not the interpreter's start, slow on a busy host).
        elapsed = exited[case] - float(marks[case].read_text())
        assert elapsed < EXIT_BOUND, f"{case}: exited {elapsed:.1f}s after the hang\n{output}"
        assert run.returncode == 0, output
        assert f"FAILED {gateway_id}: gateway {gateway_id!r}: no answer in 30s" in output
        models = previous_models(outs[case])
        # The other gateways' new data is in; the hung one keeps its last good models.
        assert models["openai"] == {"gpt-4o", "gpt-5"} and models["acme"] == {"a1"}
        assert models[key] == {model}


def _exit_times(runs: dict[str, subprocess.Popen[str]]) -> dict[str, float]:
    """Wall-clock time each process was seen to exit (polled, so both are timed fairly)."""
    exited: dict[str, float] = {}
    deadline = time.monotonic() + EXIT_BOUND + 120
    while len(exited) < len(runs):
        assert time.monotonic() < deadline, f"still running: {set(runs) - set(exited)}"
        for case, run in runs.items():
            if case not in exited and run.poll() is not None:
                exited[case] = time.time()
        time.sleep(0.05)
    return exited
