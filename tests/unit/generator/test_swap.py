"""The folder swap: atomic exchange, the two-rename fallback, and recovery after a killed writer."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

import pytest

from modelrouter_generator import swap
from modelrouter_generator.normalize import normalize
from modelrouter_generator.render import render_catalog
from modelrouter_generator.write import write_tree
from tests.unit.generator.listings import hostile_listing, listing, provider


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: the pid names no process now
    return child.pid


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _make(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    first = _make(tmp_path / "a", {"x.py": "a"})
    second = _make(tmp_path / "b", {"y.py": "b"})
    assert swap.exchange_dirs(first, second), "renameat2(RENAME_EXCHANGE) should work on Linux"
    assert _tree(first) == {"y.py": b"b"} and _tree(second) == {"x.py": b"a"}


def test_exchange_of_a_missing_folder_is_an_oserror(tmp_path: Path) -> None:
    _make(tmp_path / "a", {"x.py": "a"})
    with pytest.raises(FileNotFoundError):
        swap.exchange_dirs(tmp_path / "a", tmp_path / "missing")


def test_without_an_exchange_the_two_rename_fallback_switches_versions(tmp_path: Path) -> None:
    old = render_catalog(normalize([hostile_listing()]))
    new = render_catalog(normalize([listing({"openai": provider(["gpt-4o"])})]))
    write_tree(tmp_path, old, exchange=lambda a, b: False)
    result = write_tree(tmp_path, new, exchange=lambda a, b: False)
    assert result.removed
    expected = {str(PurePosixPath(*rel.parts[1:])): text.encode() for rel, text in new.items()}
    assert _tree(tmp_path / "modelrouter_catalog") == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["modelrouter_catalog"]


def test_recover_puts_back_a_tree_a_killed_fallback_took_aside(tmp_path: Path) -> None:
    root = tmp_path / "modelrouter_catalog"
    pid = _dead_pid()
    # The fallback was killed between its renames: no package, old tree aside, new tree staged.
    _make(tmp_path / f".modelrouter_catalog.old-{pid}-0a1b2c3d", {"__init__.py": "old"})
    _make(tmp_path / f".modelrouter_catalog.new-{pid}-4e5f6a7b", {"__init__.py": "new"})
    removed = swap.recover(root)
    assert _tree(root) == {"__init__.py": b"old"}
    assert [p.name for p in removed] == [f".modelrouter_catalog.new-{pid}-4e5f6a7b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["modelrouter_catalog"]


def test_recover_leaves_live_writers_and_other_folders_alone(tmp_path: Path) -> None:
    root = _make(tmp_path / "modelrouter_catalog", {"__init__.py": "current"})
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        mine = _make(tmp_path / f".modelrouter_catalog.new-{os.getpid()}-00000001", {"a": "1"})
        theirs = _make(tmp_path / f".modelrouter_catalog.new-{live.pid}-00000002", {"a": "2"})
        other = _make(tmp_path / f".other_package.new-{_dead_pid()}-00000003", {"a": "3"})
        user = _make(tmp_path / ".modelrouter_catalog.notes", {"a": "4"})
        assert swap.recover(root) == []
        assert all(p.is_dir() for p in (mine, theirs, other, user))
    finally:
        live.kill()
        live.wait()


def test_recover_removes_dead_and_abandoned_writers_trees(tmp_path: Path) -> None:
    root = _make(tmp_path / "modelrouter_catalog", {"__init__.py": "current"})
    dead = _make(tmp_path / f".modelrouter_catalog.old-{_dead_pid()}-0000000a", {"a": "1"})
    # A live pid (ours) cannot hold a tree this old: staging takes seconds, so it is a leftover.
    aged = _make(tmp_path / f".modelrouter_catalog.new-{os.getpid()}-0000000b", {"a": "2"})
    an_hour_ago = time.time() - 3600
    os.utime(aged, (an_hour_ago, an_hour_ago))
    assert swap.recover(root) == sorted([dead, aged])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["modelrouter_catalog"]
    assert _tree(root) == {"__init__.py": b"current"}


def test_a_write_cleans_up_a_killed_writers_trees_even_when_nothing_changed(
    tmp_path: Path,
) -> None:
    files = render_catalog(normalize([hostile_listing()]))
    write_tree(tmp_path, files)
    stray = _make(tmp_path / f".modelrouter_catalog.new-{_dead_pid()}-0000000c", {"x.py": "half"})
    result = write_tree(tmp_path, files)
    assert result.written == () and result.removed == ()
    assert not stray.exists()


def test_a_symlinked_catalogue_folder_is_replaced_and_its_target_left_alone(
    tmp_path: Path,
) -> None:
    elsewhere = tmp_path / "elsewhere"
    write_tree(elsewhere, render_catalog(normalize([hostile_listing()])))
    out = tmp_path / "out"
    out.mkdir()
    (out / "modelrouter_catalog").symlink_to(elsewhere / "modelrouter_catalog")
    new = render_catalog(normalize([listing({"openai": provider(["gpt-4o"])})]))
    write_tree(out, new)
    assert not (out / "modelrouter_catalog").is_symlink()
    assert (out / "modelrouter_catalog/providers/openai.py").read_text().count("gpt-4o")
    assert sorted(p.name for p in out.iterdir()) == ["modelrouter_catalog"]
    assert (elsewhere / "modelrouter_catalog/providers/hostile.py").is_file()
