from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelrouter import _catalog

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "expected"


@pytest.fixture
def golden_catalogue(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Swap in the golden tree as `modelrouter_catalog`, then put the real one back."""
    monkeypatch.syspath_prepend(str(GOLDEN))
    for name in [m for m in sys.modules if m.startswith("modelrouter_catalog")]:
        monkeypatch.delitem(sys.modules, name)
    _catalog.reload()
    yield
    monkeypatch.undo()
    for name in [m for m in sys.modules if m.startswith("modelrouter_catalog")]:
        del sys.modules[name]
    _catalog.reload()


def test_reads_the_golden_catalogue(golden_catalogue: None) -> None:
    keys = _catalog.provider_keys()
    assert "netlify/openai" in keys and keys == tuple(sorted(keys))
    assert _catalog.gateway_prefixes() == frozenset({"netlify"})
    assert _catalog.has_model("openrouter", "openai/gpt-4o")
    assert not _catalog.has_model("openai", "gpt-5o")
    assert _catalog.suggest_models("openai", "gpt-4") == ["gpt-4o"]
    assert _catalog.suggest_providers("opnai")[0] == "openai"
    config = _catalog.get_provider("empty-provider")
    assert config is not None and tuple(config.models) == ()
    assert _catalog.get_provider("nope") is None


def test_a_missing_catalogue_gives_empty_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "modelrouter_catalog", None)  # import now fails
    _catalog.reload()
    try:
        assert _catalog.provider_keys() == ()
        assert _catalog.get_provider("openai") is None
        assert not _catalog.has_model("openai", "gpt-4o")
        assert _catalog.suggest_providers("openai") == []
        assert _catalog.gateway_prefixes() == frozenset()
    finally:
        monkeypatch.undo()
        _catalog.reload()
    assert _catalog.has_model("openai", "gpt-4o")
