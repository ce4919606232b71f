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
from modelrouter_generator.extra import require_generate_extra

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


def _start(command: Sequence[str], *, cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _finish(step: str, process: subprocess.Popen[str]) -> None:
    try:
        output, _ = process.communicate()
    except BaseException:
        process.kill()  # as subprocess.run does: no orphan checker outlives a Ctrl-C
        process.wait()
        raise
    if process.returncode != 0:
        raise VerifyError(step, output.strip()[:_OUTPUT_CHARS])


def verify_catalog(out_dir: Path, *, mypy: bool = True, cache_dir: Path | None = None) -> None:
    """Import every generated module and run `mypy --strict` over the package, side by side.

    mypy runs with an empty config of its own: the checkout's settings (plugins, file lists)
    must not decide whether a user's catalogue passes.

    Args:
        out_dir: the folder that contains `modelrouter_catalog/`.
        mypy: also type-check (the slow half: about 2 s cold for the full catalogue).
        cache_dir: mypy's cache folder; by default none is kept.

    Raises:
        VerifyError: with the failing step and the tool's output.
    """
    if mypy:  # a missing mypy is an install problem, not a fault of the catalogue
        require_generate_extra("verifying the generated catalogue", verify=True)
    out = str(out_dir.resolve())
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([out, *filter(None, [env.get("PYTHONPATH")])])
    # The two checks are independent: run side by side; a failed import is reported first.
    importing = _start([sys.executable, "-c", _IMPORT_ALL, out], cwd=out_dir, env=env)
    typing_error: VerifyError | None = None
    try:
        if mypy:
            _mypy(out, env, cache_dir)
    except VerifyError as exc:
        typing_error = exc
    except BaseException:
        importing.kill()
        importing.wait()
        raise
    _finish("import", importing)
    if typing_error is not None:
        raise typing_error


def _mypy(out: str, env: dict[str, str], cache_dir: Path | None) -> None:
    env = {**env, "MYPYPATH": os.pathsep.join([out, *filter(None, [_runtime_path()])])}
    with tempfile.TemporaryDirectory(prefix="modelrouter-verify-") as scratch:
        config = Path(scratch) / "mypy.ini"
        config.write_text("[mypy]\n", encoding="utf-8")
        command = [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config)]
        command += ["--cache-dir", str(cache_dir) if cache_dir else os.devnull]
        command += ["-p", "modelrouter_catalog"]
        _finish("mypy --strict", _start(command, cwd=Path(scratch), env=env))
