"""Four `modelrouter generate` processes on one `--out`, each with different data, at once.

Without a writer lock their per-file writes interleaved and left a catalogue that failed to
import (3 in 30 trials, every process exiting 0). Now each trial must end with the catalogue
byte-identical to one of the four versions, and nothing left beside it.

The processes are forked from a parent that has the generator imported (`forker`), so 120 of
them take seconds; each runs the CLI's `main(["generate", ...])` as the console script does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

from modelrouter_generator.pipeline import GenerateOptions, generate_catalog
from tests.integration.generator.gateways import ENV_CATALOG, MODELS_ENV
from tests.integration.generator.forker import Forker
from tests.integration.generator.runs import generate_args, generate_env, models_spec

TRIALS: Final = 30
WRITERS: Final = 4

pytestmark = pytest.mark.timeout(900)

_IMPORT_ALL = """
import importlib, sys
package = importlib.import_module("modelrouter_catalog")
importlib.import_module("modelrouter_catalog.model_ids")
for module in package.PROVIDERS.values():
    importlib.import_module("modelrouter_catalog.providers." + module)
print(sorted(package.PROVIDERS))
"""


def _variant(k: int) -> dict[str, list[str]]:
    # Different models and a different set of provider modules per writer.
    return {"openai": ["gpt-4o", f"v{k}-model"], f"only{k}": [f"m{k}a", f"m{k}b"]}


def tree(out: Path) -> dict[str, bytes]:
    """Every file of the package but bytecode, by relative path."""
    root = out / "modelrouter_catalog"
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def imports(out: Path) -> str:
    """Import the whole catalogue in a fresh interpreter; returns what it printed."""
    probe = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL],
        env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    return probe.stdout


def test_concurrent_generate_runs_leave_one_whole_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    versions: list[dict[str, bytes]] = []
    for k in range(WRITERS):
        reference = tmp_path / f"reference{k}"
        monkeypatch.setenv("MODELROUTER_SNAPSHOT_DIR", str(tmp_path / "reference-snapshots"))
        monkeypatch.setenv(MODELS_ENV, models_spec(_variant(k)))
        options = GenerateOptions(
            out_dir=reference, offline=True, verify=False, gateways=(ENV_CATALOG,)
        )
        generate_catalog(options)
        assert f"only{k}" in imports(reference)
        versions.append(tree(reference))
    assert len({tuple(sorted(v.items())) for v in versions}) == WRITERS

    out = tmp_path / "shared" / "generated"
    out.parent.mkdir()
    seen: set[int] = set()
    with Forker() as forker:
        for trial in range(TRIALS):
            logs = [tmp_path / f"trial{trial}-writer{k}.log" for k in range(WRITERS)]
            pids = [
                forker.spawn(
                    "generate",
                    generate_args(out),
                    env=generate_env(tmp_path / f"snapshots{k}", _variant(k)),
                    cwd=out.parent,
                    log=logs[k],
                )
                for k in range(WRITERS)
            ]
            for pid, log in zip(pids, logs, strict=True):
                assert forker.wait(pid) == 0, log.read_text()
            _check(out, versions, trial, seen)
    assert "openai" in imports(out)
    print(f"{TRIALS} trials x {WRITERS} writers; final versions seen: {sorted(seen)}")


def _check(out: Path, versions: list[dict[str, bytes]], trial: int, seen: set[int]) -> None:
    found = tree(out)
    matches = [k for k, version in enumerate(versions) if found == version]
    assert matches, f"trial {trial}: the catalogue mixes versions: {sorted(found)}"
    seen.add(matches[0])
    assert sorted(p.name for p in out.iterdir()) == [
        ".modelrouter_catalog.lock",
        "modelrouter_catalog",
    ]
