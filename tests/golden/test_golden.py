"""The fixture's generated tree must match `expected/` byte for byte (`make golden` updates it)."""

from __future__ import annotations

from pathlib import Path

from tests.golden.fixture import fixture_files

EXPECTED = Path(__file__).parent / "expected"


def test_generated_tree_matches_golden() -> None:
    files = fixture_files()
    on_disk = {
        str(path.relative_to(EXPECTED)): path.read_text(encoding="utf-8")
        for path in EXPECTED.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert sorted(on_disk) == sorted(files), "run `make golden` and review the diff"
    for path, text in files.items():
        assert on_disk[path] == text, f"{path} differs: run `make golden` and review the diff"
