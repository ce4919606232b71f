"""`import modelrouter` vs `import httpx`: median wall time of separate interpreter processes.

Target (issue 2): <= 1.2x. The catalogue must not be loaded at import (it is lazy / TYPE_CHECKING).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

_RUNS = 15


def _median_wall(module: str) -> float:
    times: list[float] = []
    for _ in range(_RUNS):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", f"import {module}"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import modelrouter, sys; print('modelrouter_catalog' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    router = _median_wall("modelrouter")
    httpx = _median_wall("httpx")
    print(
        f"import modelrouter: {router * 1000:.0f} ms; import httpx: {httpx * 1000:.0f} ms;"
        f" ratio {router / httpx:.2f}x (target <= 1.2x); catalogue loaded at import: {loaded}"
    )


if __name__ == "__main__":
    main()
