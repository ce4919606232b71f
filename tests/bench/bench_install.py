"""Issue 11's slim-install target: `pip install modelrouter` in a fresh venv, site-packages <= 22 MB.

Builds the wheel, installs it with its base dependencies only (no pip or setuptools in the venv),
and prints the size and what was installed; then the same with `[generate]` for comparison.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.support.install import (
    BUILD_TOOLS,
    SIZE_TARGET_MB,
    build_wheel,
    download_dependencies,
    fresh_venv,
)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="modelrouter-bench-install-") as scratch:
        root = Path(scratch)
        wheel = build_wheel(root / "dist")
        download_dependencies(wheel, root / "house")
        for label, requirement in (("base", str(wheel)), ("[generate]", f"{wheel}[generate]")):
            venv = fresh_venv(root / label)
            venv.pip_install(root / "house", requirement)
            installed = venv.installed()
            tools = sorted(installed & BUILD_TOOLS) or ["none"]
            target = f" (target <= {SIZE_TARGET_MB:g} MB)" if label == "base" else ""
            print(f"{label:>10}: site-packages {venv.size_mb():5.1f} MB{target},", end=" ")
            print(f"{len(installed)} distributions; build tools: {', '.join(tools)}")


if __name__ == "__main__":
    main()
