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


def generate_args(out: Path, gateways: Sequence[str] = ()) -> list[str]:
    """`generate --offline --no-verify --out OUT` with `EnvCatalogGateway` and `gateways`.

    Offline, models.dev is replaced by `EnvCatalogGateway` (same id) and the other built-ins
    have no snapshot, so the run renders only the models its environment names.
    """
    args = ["generate", "--offline", "--no-verify", "--out", str(out)]
    for spec in (ENV_CATALOG, *gateways):
        args += ["--gateway", spec]
    return args


def generate_env(
    snapshots: Path, models: Mapping[str, Sequence[str]], *, hang: bool = False
) -> dict[str, str]:
    """The variables a run needs on top of the test's environment."""
    return {
        "MODELROUTER_SNAPSHOT_DIR": str(snapshots),
        MODELS_ENV: models_spec(models),
        HANG_ENV: "1" if hang else "0",
    }


def start_generate(
    out: Path,
    snapshots: Path,
    models: Mapping[str, Sequence[str]],
    *,
    gateways: Sequence[str] = (),
    hang: bool = False,
    extra_env: Mapping[str, str] | None = None,
) -> subprocess.Popen[str]:
    """`python -m modelrouter_generator` + `generate_args`, in a fresh interpreter."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
        **generate_env(snapshots, models, hang=hang),
        **(extra_env or {}),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "modelrouter_generator", *generate_args(out, gateways)],
        cwd=out.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
