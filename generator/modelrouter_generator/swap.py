"""Switch a catalogue folder from its old tree to a finished new one in a single step.

The new tree is built complete beside the old one (same parent, so the same filesystem), then:

- on Linux, `renameat2(RENAME_EXCHANGE)` swaps the two folders atomically: whatever instant a
  `kill -9` lands, the package path names either the whole old tree or the whole new one. The
  name the new tree was built under then holds the old tree, which is removed.
- where renameat2 is missing (not Linux, an old libc) or the filesystem refuses it, two renames:
  old tree aside, new tree in. A writer killed between the two leaves no package at all, only
  the old tree under its aside name; `recover` (run by the next writer, under the writer lock)
  puts it back, so the catalogue is again entirely one version.

Aside trees are named `.<package>.<new|old>-<pid>-<token>`; `recover` removes any whose writer
is dead (or that is older than any live write could be).
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

__all__ = ["Exchange", "aside_path", "exchange_dirs", "recover", "remove_tree", "swap_in"]

Exchange = Callable[[Path, Path], bool]
"""Swap two paths atomically; False when the platform or filesystem cannot."""

_AT_FDCWD: Final = -100
_RENAME_EXCHANGE: Final = 2
# Errors meaning "this kernel/filesystem has no exchange", not "this exchange failed".
_UNSUPPORTED: Final = frozenset({errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})
# An aside tree this old is never a live writer's: staging takes seconds.
_ORPHAN_AGE_S: Final = 600.0
_ASIDE: Final = re.compile(r"^\.(?P<package>.+)\.(?P<tag>new|old)-(?P<pid>\d+)-[0-9a-f]+$")


def _load_renameat2() -> Callable[..., int] | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


_renameat2: Final = _load_renameat2()


def exchange_dirs(first: Path, second: Path) -> bool:
    """Swap `first` and `second` in one atomic step; False if the system cannot.

    Raises:
        OSError: the exchange is supported but failed (a path missing, no permission, ...).
    """
    if _renameat2 is None:
        return False
    status = _renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if status == 0:
        return True
    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def aside_path(root: Path, tag: str) -> Path:
    """A fresh name beside `root` for a tree being built ("new") or taken out ("old")."""
    return root.with_name(f".{root.name}.{tag}-{os.getpid()}-{secrets.token_hex(4)}")


def remove_tree(path: Path) -> None:
    """Remove a folder that is no longer the catalogue; what cannot go is left for `recover`."""
    if path.is_symlink():  # a catalogue folder the user had symlinked: drop the link only
        path.unlink(missing_ok=True)
        return
    shutil.rmtree(path, ignore_errors=True)


def swap_in(stage: Path, root: Path, *, exchange: Exchange = exchange_dirs) -> None:
    """Make the finished tree `stage` the folder `root`, and remove the old tree.

    Raises:
        OSError: a rename failed; `root` still holds one whole version (or, in the fallback,
            none, with the old tree aside for `recover`).
    """
    if not os.path.lexists(root):
        os.rename(stage, root)
        return
    if exchange(stage, root):
        remove_tree(stage)  # `stage` now names the old tree
        return
    old = aside_path(root, "old")
    os.rename(root, old)
    # A kill here leaves no `root`: `recover` renames `old` back.
    try:
        os.rename(stage, root)
    except BaseException:
        os.rename(old, root)
        raise
    remove_tree(old)


def _writer_gone(path: Path, pid: int, now: float) -> bool:
    try:
        if now - path.lstat().st_mtime > _ORPHAN_AGE_S:
            return True
    except OSError:
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # alive, another user's
    return False


def recover(root: Path) -> list[Path]:
    """Repair what a killed writer left beside `root`; returns the aside trees removed.

    A missing `root` with an old tree aside (the fallback killed between its renames) gets that
    tree back. Aside trees of dead writers are then removed.
    """
    now = time.time()
    strays: list[tuple[str, Path]] = []
    try:
        entries = list(root.parent.iterdir())
    except FileNotFoundError:
        return []
    for path in entries:
        match = _ASIDE.match(path.name)
        if match is None or match["package"] != root.name:
            continue
        if _writer_gone(path, int(match["pid"]), now):
            strays.append((match["tag"], path))
    if not os.path.lexists(root):
        olds = sorted((p for tag, p in strays if tag == "old"), key=lambda p: p.lstat().st_mtime)
        if olds:
            os.rename(olds[-1], root)
            strays = [(tag, p) for tag, p in strays if p != olds[-1]]
    for _, path in strays:
        remove_tree(path)
    return sorted(path for _, path in strays)
