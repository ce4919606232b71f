"""Put rendered files on disk: the whole package switches from old to new in one step.

Files are compared with what is on disk first. When none changed and none is stale, nothing is
touched (a no-op run writes nothing). Otherwise the complete new package is built beside the
old one: changed and new files are written, unchanged ones hard-linked (so they keep their
inode and mtime), and files the writer does not own (a user's notes, say) carried over. Then
`swap.swap_in` exchanges the two folders atomically and the old tree is removed.

Per-file renames are not enough: `model_ids.py` carries the types every provider module uses, so
a reader (or a `kill -9`) between two renames would see a catalogue mixing two versions. Here a
killed writer leaves the old package whole, or the new one whole, plus an aside folder that the
next run's `swap.recover` removes.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from modelrouter_generator import swap
from modelrouter_generator._errors import WriteError

__all__ = ["WriteResult", "write_tree"]

# Files the writer owns inside the package; anything else a user drops there is kept.
_OWNED_SUFFIXES: Final = (".py", ".pyi", "py.typed")
# A per-file temp file of an older writer this old belongs to a writer that was killed.
_ORPHAN_TMP_AGE_S: Final = 600.0

WriteFile = Callable[[Path, bytes], None]


@dataclass(frozen=True)
class WriteResult:
    """What `write_tree` did, as paths under the output folder.

    Attributes:
        written: files whose bytes changed or that are new.
        removed: files of the old package the new one no longer has.
    """

    written: tuple[Path, ...]
    removed: tuple[Path, ...]


def _write_file(path: Path, data: bytes) -> None:
    """Write a file of the new tree; the mode follows the umask, as any file the user writes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        # On disk before the swap makes it visible: a power cut after the rename must not
        # leave a catalogue of empty files (rename orders names, not data).
        os.fsync(handle.fileno())


def _carry(source: Path, target: Path) -> None:
    """Put an unchanged file into the new tree: a hard link, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
        return
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _owned(path: Path) -> bool:
    return path.name.endswith(_OWNED_SUFFIXES)


def _kept_user_files(root: Path) -> Iterable[Path]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if "__pycache__" in relative.parts or _is_temp(path) or path.is_dir():
            continue
        if not _owned(path):
            yield path


def _is_temp(path: Path) -> bool:
    return path.name.startswith(".") and path.name.endswith(".tmp")


def _stale(root: Path, wanted: set[Path]) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file()
        and _owned(path)
        and path not in wanted
        and "__pycache__" not in path.relative_to(root).parts
    )


def _orphan_temp_files(root: Path, now: float) -> list[Path]:
    # Left by writers from before the folder swap, which renamed files one by one.
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.rglob(".*.tmp")
        if path.is_file() and now - path.stat().st_mtime > _ORPHAN_TMP_AGE_S
    )


def _differs(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() != data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return True


def _build(
    stage: Path,
    root: Path,
    encoded: Mapping[PurePosixPath, bytes],
    changed: set[PurePosixPath],
    write_file: WriteFile,
) -> None:
    stage.mkdir()
    for relative in sorted(encoded):
        if relative in changed:
            write_file(stage / relative, encoded[relative])
        else:
            _carry(root / relative, stage / relative)
    for path in _kept_user_files(root):
        target = stage / path.relative_to(root)
        if not os.path.lexists(target):
            _carry(path, target)


def write_tree(
    out_dir: Path,
    files: Mapping[PurePosixPath, str],
    *,
    package: str = "modelrouter_catalog",
    write_file: WriteFile | None = None,
    exchange: swap.Exchange = swap.exchange_dirs,
) -> WriteResult:
    """Make `out_dir/package` hold exactly `files` (and the user's own files), in one step.

    Call it under the writer lock (`lock.catalog_lock`); `pipeline.generate_catalog` does.

    Args:
        out_dir: the folder that contains the package folder.
        files: relative path (starting with `package/`) -> text, as `render_catalog` returns.
        package: the package folder that is replaced as a whole.
        write_file: writes one file of the new tree (tests inject a failing or slow one).
        exchange: swaps two folders atomically (tests inject one that cannot).

    Returns:
        The files written (changed or new) and removed (stale).

    Raises:
        WriteError: the new tree could not be built or swapped in; the old package is
            unchanged (and the half-built tree removed).
        ValueError: a path in `files` lies outside `package`.
    """
    root = out_dir / package
    encoded: dict[PurePosixPath, bytes] = {}
    for relative, text in files.items():
        if not relative.is_relative_to(package) or relative == PurePosixPath(package):
            raise ValueError(f"{relative} is not a file inside {package}/")
        encoded[relative.relative_to(package)] = text.encode("utf-8")
    try:
        swap.recover(root)
        for path in _orphan_temp_files(root, time.time()):
            path.unlink(missing_ok=True)
        changed = {rel for rel, data in encoded.items() if _differs(root / rel, data)}
        removed = _stale(root, {root / rel for rel in encoded})
        if not changed and not removed:
            return WriteResult(written=(), removed=())
        stage = swap.aside_path(root, "new")
        out_dir.mkdir(parents=True, exist_ok=True)
        try:
            _build(stage, root, encoded, changed, write_file or _write_file)
            swap.swap_in(stage, root, exchange=exchange)
        except BaseException:
            # Also on KeyboardInterrupt: no half-built tree may outlive the run.
            swap.remove_tree(stage)
            raise
    except OSError as exc:
        raise WriteError(f"could not write the catalogue under {out_dir}: {exc}") from exc
    written = tuple(sorted(root / rel for rel in changed))
    return WriteResult(written=written, removed=tuple(removed))
