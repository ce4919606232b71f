"""Put rendered files on disk: atomically, only what changed, stale files removed.

Each file goes to a temp file in its own folder and is `os.replace`d over the old one, so a
crash or Ctrl-C leaves every file either old or new, never half written. New and changed files
are written first and the package `__init__.py` last, and stale files are removed only after
that: a reader sees the old provider map (whose modules all still exist) until the new
`__init__.py` switches it over in one rename.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from modelrouter_generator._errors import WriteError

__all__ = ["WriteResult", "write_tree"]

# Files the writer owns inside the package; anything else a user drops there is left alone.
_OWNED_SUFFIXES: Final = (".py", ".pyi", "py.typed")
# A temp file this old belongs to a writer that was killed; a live writer renames in milliseconds.
_ORPHAN_TMP_AGE_S: Final = 600.0


def _file_mode() -> int:
    # mkstemp creates 0600 files; a catalogue must be as readable as any file the user writes.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@dataclass(frozen=True)
class WriteResult:
    """What `write_tree` did, as paths under the output folder."""

    written: tuple[Path, ...]
    removed: tuple[Path, ...]


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, _file_mode())
        os.replace(tmp, path)
    except BaseException:
        # Also on KeyboardInterrupt: no temp file may outlive the run.
        Path(tmp).unlink(missing_ok=True)
        raise


def _is_last(relative: PurePosixPath, package: str) -> bool:
    return relative == PurePosixPath(package) / "__init__.py"


def _stale(out_dir: Path, package: str, wanted: set[Path]) -> list[Path]:
    root = out_dir / package
    if not root.is_dir():
        return []
    stale = [
        path
        for path in root.rglob("*")
        if path.is_file() and path.name.endswith(_OWNED_SUFFIXES) and path not in wanted
    ]
    return sorted(stale)


def _orphan_temp_files(out_dir: Path, package: str, now: float) -> list[Path]:
    root = out_dir / package
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.rglob(".*.tmp")
        if path.is_file() and now - path.stat().st_mtime > _ORPHAN_TMP_AGE_S
    )


def write_tree(
    out_dir: Path,
    files: Mapping[PurePosixPath, str],
    *,
    package: str = "modelrouter_catalog",
    write_file: Callable[[Path, bytes], None] = _atomic_write,
) -> WriteResult:
    """Write `files` (paths relative to `out_dir`) and remove the package's stale files.

    Args:
        out_dir: the folder that contains the package folder.
        files: relative path -> text, as `render_catalog` returns them.
        package: the package folder whose stale `.py`/`py.typed` files are removed.
        write_file: the atomic writer (tests inject a failing one).

    Returns:
        The files written (changed or new) and removed.

    Raises:
        WriteError: a file could not be written or removed; files not yet reached keep their
            old contents.
    """
    order = sorted(files, key=lambda rel: (_is_last(rel, package), str(rel)))
    written: list[Path] = []
    try:
        for relative in order:
            path = out_dir / relative
            data = files[relative].encode("utf-8")
            try:
                if path.read_bytes() == data:
                    continue
            except FileNotFoundError:
                pass
            write_file(path, data)
            written.append(path)
        # Only after the new `__init__.py` stopped naming them, so no reader can miss a module.
        removed = _stale(out_dir, package, {out_dir / rel for rel in files})
        for path in removed:
            path.unlink(missing_ok=True)
        for path in _orphan_temp_files(out_dir, package, time.time()):
            path.unlink(missing_ok=True)
    except OSError as exc:
        raise WriteError(f"could not write the catalogue under {out_dir}: {exc}") from exc
    return WriteResult(written=tuple(written), removed=tuple(removed))
