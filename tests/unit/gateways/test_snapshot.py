"""Last good payloads on disk: round trip, corruption, atomic writes, canonical hashes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from modelrouter_generator import snapshot


def test_round_trip_and_overwrite(tmp_path: Path) -> None:
    assert snapshot.load_snapshot(tmp_path, "models.dev") is None
    snapshot.save_snapshot(tmp_path / "new", "models.dev", b'{"a": 1}')
    stored = snapshot.load_snapshot(tmp_path / "new", "models.dev")
    assert stored is not None and stored.raw == b'{"a": 1}'
    snapshot.save_snapshot(tmp_path / "new", "models.dev", b'{"a": 2}')
    stored = snapshot.load_snapshot(tmp_path / "new", "models.dev")
    assert stored is not None and stored.raw == b'{"a": 2}'
    # Only the payload and its sidecar: no temp files left behind.
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == [
        "models.dev.json",
        "models.dev.meta.json",
    ]


def test_tampered_or_half_written_snapshot_is_ignored(tmp_path: Path) -> None:
    snapshot.save_snapshot(tmp_path, "netlify", b'{"providers": {}}')
    payload, meta = snapshot.snapshot_paths(tmp_path, "netlify")
    payload.write_bytes(b'{"providers": {')
    assert snapshot.load_snapshot(tmp_path, "netlify") is None
    snapshot.save_snapshot(tmp_path, "netlify", b"{}")
    meta.write_text("not json")
    assert snapshot.load_snapshot(tmp_path, "netlify") is None


def test_failed_write_keeps_the_previous_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot.save_snapshot(tmp_path, "openrouter", b'{"data": []}')

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        snapshot.save_snapshot(tmp_path, "openrouter", b'{"data": [1]}')
    monkeypatch.undo()
    stored = snapshot.load_snapshot(tmp_path, "openrouter")
    assert stored is not None and stored.raw == b'{"data": []}'
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_ids_map_to_distinct_safe_names(tmp_path: Path) -> None:
    names = {snapshot.snapshot_paths(tmp_path, gid)[0].name for gid in ("a/b", "a_b", "a:b", "..")}
    assert len(names) == 4
    assert all("/" not in name for name in names)


def test_canonical_hash_ignores_formatting_only() -> None:
    assert snapshot.canonical_hash(b'{"b": 1, "a": [1, 2]}') == snapshot.canonical_hash(
        b'{\n  "a": [1,2],\n  "b": 1\n}'
    )
    assert snapshot.canonical_hash(b'{"a": 1}') != snapshot.canonical_hash(b'{"a": 2}')
    assert len(snapshot.canonical_hash(b"not json")) == 16
