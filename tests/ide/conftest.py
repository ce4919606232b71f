"""A throwaway project whose `modelrouter_catalog` comes from the shared snapshots.

The catalogue sits at the project root, so language servers and type checkers run there pick it
up before the installed one (both put the execution root ahead of site-packages).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from modelrouter_generator.pipeline import GenerateOptions, generate_catalog
from tests.integration.generator.conftest import ENV, PATHS, Gateways
from tests.support.server import LoopbackServer

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def project(shared_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ide-project")
    state = Gateways(shared_dir / "data")
    with LoopbackServer(state.answer) as server, pytest.MonkeyPatch.context() as patch:
        patch.delenv("MODELROUTER_OFFLINE", raising=False)
        patch.setenv("MODELROUTER_SNAPSHOT_DIR", str(root / ".snapshots"))
        for gateway, variable in ENV.items():
            patch.setenv(variable, server.url + PATHS[gateway])
        report = generate_catalog(GenerateOptions(out_dir=root, verify=False))
    assert report.failures == ()
    return root


def complete(
    root: Path, server: str, text: str, expect: Sequence[str], *, prefix_only: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run the shared LSP probe; exit 0 means every expected id was offered."""
    command = [
        sys.executable,
        str(REPO.parent / "shared" / "tools" / "lsp_complete.py"),
        "--server",
        server,
        "--root",
        str(root),
        "--text",
        text,
        "--repeat",
        "0",
        "--timeout",
        "240",
    ]
    for model_id in expect:
        command += ["--expect", model_id]
    if prefix_only:
        command.append("--expect-prefix")
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
