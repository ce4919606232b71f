"""`kill -9` at random instants of the catalogue write phase, in a real subprocess.

Before the folder swap a kill could leave `model_ids.py` new and the provider modules old (5 in
20 trials) plus stray temp files. Now, after every kill, the package must be byte-identical to
the old version or the new one, and the next run must leave nothing else beside it. With the
two-rename fallback (no renameat2) a kill between the renames may leave no package at all; the
next run's recovery must then put the old one back.
"""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path, PurePosixPath
from typing import Final

import pytest

from modelrouter_generator import swap
from modelrouter_generator.normalize import normalize
from modelrouter_generator.render import render_catalog
from modelrouter_generator.write import write_tree
from tests.integration.generator.forker import Forker
from tests.integration.generator.runs import REPO
from tests.integration.generator.test_concurrent_writers import imports, tree
from tests.unit.generator.listings import listing, provider

KILLS: Final = 50
FALLBACK_KILLS: Final = 50

pytestmark = pytest.mark.timeout(600)


def _version(tag: str, providers: int) -> dict[PurePosixPath, str]:
    return render_catalog(
        normalize(
            [
                listing(
                    {
                        f"p{i}": provider([f"{tag}-model-{i}", f"shared-{i}"])
                        for i in range(providers)
                    }
                )
            ]
        )
    )


def _marked(log: Path, pid: int) -> None:
    """Wait until the writer holds the lock and starts writing."""
    deadline = time.monotonic() + 60
    while "writing" not in log.read_text():
        assert time.monotonic() < deadline, f"writer {pid} never started: {log.read_text()}"
        time.sleep(0.001)


def _start(forker: Forker, out: Path, files: Path, mode: str, log: Path) -> int:
    log.write_text("")
    pid = forker.spawn("slow_write", [str(out), str(files), mode], cwd=REPO, log=log)
    _marked(log, pid)
    return pid


def _write_phase_seconds(forker: Forker, tmp_path: Path, files: Path, mode: str) -> float:
    log = tmp_path / f"calibrate-{mode}.log"
    pid = _start(forker, tmp_path / f"calibrate-{mode}", files, mode, log)
    started = time.monotonic()
    assert forker.wait(pid) == 0, log.read_text()
    return time.monotonic() - started


@pytest.mark.parametrize(("mode", "kills"), [("exchange", KILLS), ("fallback", FALLBACK_KILLS)])
def test_kill_9_in_the_write_phase_leaves_one_whole_version(
    tmp_path: Path, mode: str, kills: int
) -> None:
    versions = [_version("old", 9), _version("new", 6)]
    payloads = []
    for k, files in enumerate(versions):
        payload = tmp_path / f"version{k}.json"
        payload.write_text(json.dumps({str(rel): text for rel, text in files.items()}))
        payloads.append(payload)
        reference = tmp_path / f"reference{k}"
        write_tree(reference, files)
        assert "p0" in imports(reference)
    with Forker() as forker:
        # Kill anywhere from just after the lock is taken to a little past the end.
        window = 1.2 * _write_phase_seconds(forker, tmp_path, payloads[0], mode)
        outcomes = _kill_repeatedly(forker, tmp_path, versions, payloads, mode, kills, window)
    print(f"{mode}: {kills} kills -> {outcomes}")
    # The kills landed on both sides of the switch (and, in the fallback, between its renames).
    assert outcomes["old"] and outcomes["new"]
    assert outcomes["recovered"] or mode == "exchange"


def _kill_repeatedly(
    forker: Forker,
    tmp_path: Path,
    versions: list[dict[PurePosixPath, str]],
    payloads: list[Path],
    mode: str,
    kills: int,
    window: float,
) -> dict[str, int]:
    expected = [tree(tmp_path / f"reference{k}") for k in range(2)]
    out = tmp_path / "out"
    write_tree(out, versions[0])
    current = 0
    outcomes = {"old": 0, "new": 0, "recovered": 0}
    rng = random.Random(20261130)
    log = tmp_path / "writer.log"
    for trial in range(kills):
        target = 1 - current
        pid = _start(forker, out, payloads[target], mode, log)
        time.sleep(rng.uniform(0, window))
        os.kill(pid, signal.SIGKILL)
        # Reaped: its pid is dead for the next run's cleanup. It may have finished first.
        assert forker.wait(pid) in (0, -signal.SIGKILL), log.read_text()
        root = out / "modelrouter_catalog"
        if not root.exists():
            # Only the fallback may leave no package, and only with the old tree aside.
            assert mode == "fallback", f"trial {trial}: no package after the kill"
            assert any(p.name.startswith(".modelrouter_catalog.old-") for p in out.iterdir())
            swap.recover(root)
            outcomes["recovered"] += 1
        found = tree(out)
        assert found in expected, f"trial {trial}: the catalogue mixes versions"
        current = expected.index(found)
        outcomes["new" if current == target else "old"] += 1
        # The next run (a no-op here) removes whatever the killed one left beside the package.
        write_tree(out, versions[current])
        assert sorted(p.name for p in out.iterdir()) == [
            ".modelrouter_catalog.lock",
            "modelrouter_catalog",
        ]
        assert not [p for p in root.rglob("*") if p.name.endswith(".tmp")]
    assert "p0" in imports(out)
    return outcomes
