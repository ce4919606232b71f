"""Check a written catalogue the way users will meet it: import it, then `mypy --strict` it.

Both run in subprocesses of the current interpreter with the output folder first on the path, so
an installed or older catalogue cannot stand in for the one just written.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from modelrouter_generator._errors import VerifyError

__all__ = ["verify_catalog"]

_OUTPUT_CHARS: Final = 4000

# Imports the package, every provider module and the id aliases; prints nothing on success.
_IMPORT_ALL: Final = """
import importlib, sys
import modelrouter_catalog as catalog
assert catalog.__file__ and catalog.__file__.startswith(sys.argv[1]), catalog.__file__
for module in catalog.PROVIDERS.values():
    provider = importlib.import_module("modelrouter_catalog.providers." + module)
    assert len(provider.MODELS) == len(provider.PROVIDER.models), module
import modelrouter_catalog.model_ids
"""


def _runtime_path() -> str | None:
    """The folder holding `modelrouter` when it is a checkout (not site-packages), for mypy."""
    import modelrouter

    parent = Path(modelrouter.__file__).resolve().parent.parent
    site = {
        Path(p).resolve()
        for p in (sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"])
    }
    return None if parent in site else str(parent)


def _run(step: str, command: Sequence[str], *, cwd: Path, env: dict[str, str]) -> None:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()
        raise VerifyError(step, output[:_OUTPUT_CHARS])


def verify_catalog(out_dir: Path, *, mypy: bool = True, cache_dir: Path | None = None) -> None:
    """Import every generated module, then run `mypy --strict` over the package.

    mypy runs with an empty config of its own: the checkout's settings (plugins, file lists)
    must not decide whether a user's catalogue passes.

    Args:
        out_dir: the folder that contains `modelrouter_catalog/`.
        mypy: also type-check (the slow half, about a second for the full catalogue).
        cache_dir: mypy's cache folder; by default none is kept.

    Raises:
        VerifyError: with the failing step and the tool's output.
    """
    out = str(out_dir.resolve())
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([out, *filter(None, [env.get("PYTHONPATH")])])
    _run("import", [sys.executable, "-c", _IMPORT_ALL, out], cwd=out_dir, env=env)
    if not mypy:
        return
    env["MYPYPATH"] = os.pathsep.join([out, *filter(None, [_runtime_path()])])
    with tempfile.TemporaryDirectory(prefix="modelrouter-verify-") as scratch:
        config = Path(scratch) / "mypy.ini"
        config.write_text("[mypy]\n", encoding="utf-8")
        command = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config)]
        command += ["--cache-dir", str(cache_dir) if cache_dir else os.devnull]
        command += ["-p", "modelrouter_catalog"]
        _run("mypy --strict", command, cwd=Path(scratch), env=env)
