"""Subprocess side of the kill test: the catalogue write phase, slowed so a kill can land
anywhere in it.

    python -m tests.integration.generator.slow_writer OUT FILES_JSON exchange|fallback

Takes the writer lock, prints "writing", writes FILES_JSON ({relative path: text}) with
`write_tree` pausing around every step (each staged file, the swap, every rename, the removal
of the old tree), then prints "done". `fallback` refuses the atomic exchange, as a system
without renameat2 would.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path, PurePosixPath
from typing import Final

from modelrouter_generator import swap, write
from modelrouter_generator.lock import catalog_lock

PAUSE: Final = 0.005
# Longer around renames, so kills land between the fallback's two renames too.
RENAME_PAUSE: Final = 0.03


def main(out: Path, files_json: Path, mode: str) -> None:
    files = {PurePosixPath(k): v for k, v in json.loads(files_json.read_text()).items()}
    real_rename, real_remove = os.rename, swap.remove_tree

    def slow_write(path: Path, data: bytes) -> None:
        time.sleep(PAUSE)
        write._write_file(path, data)  # pyright: ignore[reportPrivateUsage]

    def slow_exchange(first: Path, second: Path) -> bool:
        time.sleep(PAUSE)
        done = mode == "exchange" and swap.exchange_dirs(first, second)
        time.sleep(PAUSE)
        return done

    def slow_rename(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> None:
        time.sleep(RENAME_PAUSE)
        real_rename(src, dst)
        time.sleep(RENAME_PAUSE)

    def slow_remove(path: Path) -> None:
        time.sleep(PAUSE)
        real_remove(path)

    setattr(os, "rename", slow_rename)  # `swap` looks these up at call time
    setattr(swap, "remove_tree", slow_remove)
    with catalog_lock(out):
        print("writing", flush=True)
        write.write_tree(out, files, write_file=slow_write, exchange=slow_exchange)
    print("done", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
