"""Target choice, freshness stamp and the cross-process writer lock."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

from modelrouter_generator.lock import (
    CatalogTarget,
    catalog_age,
    choose_target,
    is_writable,
    mark_refreshed,
    writer_lock,
)


def test_writable_folder_is_kept(tmp_path: Path) -> None:
    target = choose_target(tmp_path / "generated", cache_dir=tmp_path / "cache")
    assert target.out_dir == tmp_path / "generated"
    assert not target.is_fallback


def test_unwritable_folder_falls_back_to_cache(tmp_path: Path) -> None:
    # A parent that is a regular file defeats even root, unlike chmod.
    blocker = tmp_path / "site-packages"
    blocker.write_text("not a folder")
    assert not is_writable(blocker / "pkg")
    target = choose_target(blocker / "pkg", cache_dir=tmp_path / "cache")
    assert target.is_fallback
    assert target.out_dir == tmp_path / "cache"
    assert target.preferred == blocker / "pkg"
    assert target.package_dir == tmp_path / "cache" / "modelrouter_catalog"


def test_writability_probe_leaves_no_files(tmp_path: Path) -> None:
    assert is_writable(tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["modelrouter_catalog"]


def test_age_prefers_stamp_then_init_then_infinite(tmp_path: Path) -> None:
    target = CatalogTarget(out_dir=tmp_path, preferred=tmp_path)
    assert catalog_age(target, now=1_000_000.0) == math.inf
    target.package_dir.mkdir()
    init = target.package_dir / "__init__.py"
    init.write_text("")
    os.utime(init, (1_000.0, 1_000.0))
    assert catalog_age(target, now=1_500.0) == 500.0
    mark_refreshed(target, now=1_400.0)
    assert catalog_age(target, now=1_500.0) == 100.0
    # A clock behind the file never yields a negative age.
    assert catalog_age(target, now=1_000.0) == 0.0


def test_writer_lock_admits_one_holder(tmp_path: Path) -> None:
    target = CatalogTarget(out_dir=tmp_path / "out", preferred=tmp_path / "out")
    with writer_lock(target, timeout=1) as first:
        assert first
        with writer_lock(target, timeout=0) as second:
            assert not second
    with writer_lock(target, timeout=0) as again:
        assert again


def test_writer_lock_releases_on_error(tmp_path: Path) -> None:
    target = CatalogTarget(out_dir=tmp_path, preferred=tmp_path)
    with pytest.raises(RuntimeError):
        with writer_lock(target, timeout=0) as held:
            assert held
            raise RuntimeError("boom")
    with writer_lock(target, timeout=0) as held:
        assert held
