"""Start real `modelrouter generate` processes on a small, test-chosen catalogue."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from tests.integration.generator.gateways import ENV_CATALOG, HANG_ENV, MODELS_ENV

REPO = Path(__file__).resolve().parents[3]


def models_spec(models: Mapping[str, Sequence[str]]) -> str:
    """The `MODELROUTER_TEST_MODELS` value that makes `EnvCatalogGateway` list `models`."""
    return ";".join(f"{key}:{','.join(ids)}" for key, ids in models.items())


def start_generate(
    out: Path,
    snapshots: Path,
    models: Mapping[str, Sequence[str]],
    *,
    gateways: Sequence[str] = (),
    hang: bool = False,
) -> subprocess.Popen[str]:
    """`python -m modelrouter_generator generate --offline --no-verify` into `out`.

    Offline, models.dev is replaced by `EnvCatalogGateway` (same id) and the other built-ins
    have no snapshot, so the run renders only `models` plus what `gateways` list.
    """
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        "MODELROUTER_SNAPSHOT_DIR": str(snapshots),
        MODELS_ENV: models_spec(models),
        HANG_ENV: "1" if hang else "0",
    }
    args = ["generate", "--offline", "--no-verify", "--out", str(out)]
    for spec in (ENV_CATALOG, *gateways):
        args += ["--gateway", spec]
    return subprocess.Popen(
        [sys.executable, "-m", "modelrouter_generator", *args],
        cwd=out.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
