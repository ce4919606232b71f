"""`python -m tests.golden.refresh` (`make golden`): rewrite `expected/` from the fixture."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath

from modelrouter_generator.write import write_tree
from tests.golden.fixture import fixture_files

EXPECTED = Path(__file__).parent / "expected"


def main() -> None:
    shutil.rmtree(EXPECTED, ignore_errors=True)
    files = {PurePosixPath(path): text for path, text in fixture_files().items()}
    result = write_tree(EXPECTED, files)
    print(f"wrote {len(result.written)} files under {EXPECTED}")


if __name__ == "__main__":
    main()
