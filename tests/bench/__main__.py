"""`make bench`: run every `tests/bench/bench_*.py` that defines `main()` and print its figures.

Benchmarks print numbers against the targets in the issues; they never fail on time, so a slow
machine shows up as figures to read, not as a flaky build. Run one with
`python -m tests.bench router` (matches the module name).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
import traceback
from pathlib import Path


def main(argv: list[str]) -> int:
    wanted = argv[1:]
    here = Path(__file__).parent
    failures = 0
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if not info.name.startswith("bench_"):
            continue
        if wanted and not any(w in info.name for w in wanted):
            continue
        module = importlib.import_module(f"tests.bench.{info.name}")
        entry = getattr(module, "main", None)
        if entry is None:
            continue
        print(f"== {info.name}", flush=True)
        try:
            entry()
        except Exception:  # a broken bench must not hide the others' figures
            failures += 1
            traceback.print_exc()
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
