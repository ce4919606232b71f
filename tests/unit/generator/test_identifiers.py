from __future__ import annotations

import keyword

import pytest

from modelrouter_generator.identifiers import (
    MAX_ID_CHARS,
    constant_names,
    id_problem,
    module_names,
    provider_problem,
)
from tests.unit.generator.listings import HOSTILE_KEPT, HOSTILE_SKIPPED


@pytest.mark.parametrize("model_id", HOSTILE_KEPT)
def test_printable_ids_are_accepted(model_id: str) -> None:
    assert id_problem(model_id) is None


@pytest.mark.parametrize("model_id", HOSTILE_SKIPPED)
def test_unsafe_ids_are_rejected_with_a_reason(model_id: str) -> None:
    assert id_problem(model_id)


def test_length_limit_is_inclusive() -> None:
    assert id_problem("a" * MAX_ID_CHARS) is None
    assert id_problem("a" * (MAX_ID_CHARS + 1)) == f"longer than {MAX_ID_CHARS} characters"


def test_provider_ids_may_not_hold_a_slash() -> None:
    assert provider_problem("a/b")
    assert provider_problem("wafer.ai") is None


@pytest.mark.parametrize(
    ("key", "module"),
    [
        ("openai", "openai"),
        ("302ai", "_302ai"),
        ("wafer.ai", "wafer_ai"),
        ("amazon-bedrock", "amazon_bedrock"),
        ("netlify/openai", "netlify__openai"),
        ("import", "import_"),
        ("match", "match_"),
        ("Ünïcode", "unicode"),
        ("模型", "provider"),
    ],
)
def test_module_names(key: str, module: str) -> None:
    assert module_names([key]) == {key: module}


def test_module_name_collisions_get_suffixes_in_sorted_order() -> None:
    names = module_names(["wafer_ai", "wafer.ai", "wafer-ai"])
    assert names == {"wafer-ai": "wafer_ai", "wafer.ai": "wafer_ai_2", "wafer_ai": "wafer_ai_3"}
    assert module_names(reversed(list(names))) == names


def test_constant_collisions_are_deterministic() -> None:
    ids = ["claude-3.5-haiku", "claude-3-5-haiku", "claude_3_5_haiku"]
    names = constant_names(ids)
    assert names == {
        "claude-3-5-haiku": "CLAUDE_3_5_HAIKU",
        "claude-3.5-haiku": "CLAUDE_3_5_HAIKU_2",
        "claude_3_5_haiku": "CLAUDE_3_5_HAIKU_3",
    }
    assert constant_names(reversed(ids)) == names


def test_a_natural_suffix_does_not_steal_a_collision_name() -> None:
    names = constant_names(["a-1", "a.1", "a-1-2"])
    assert len(set(names.values())) == 3


@pytest.mark.parametrize("model_id", [*HOSTILE_KEPT, "MODELS", "provider-id", "PROVIDER"])
def test_constants_are_safe_identifiers(model_id: str) -> None:
    name = constant_names([model_id])[model_id]
    assert name.isascii() and name.isidentifier() and not keyword.iskeyword(name)
    assert name not in {"MODELS", "PROVIDER", "PROVIDER_ID"}


@pytest.mark.parametrize(
    "keys",
    [
        ["OpenAI", "openai"],
        ["openai", "OpenAI"],
        ["OPENAI", "OpenAI", "openai"],
    ],
)
def test_an_exact_lower_case_id_keeps_its_module_name_against_case_variants(
    keys: list[str],
) -> None:
    names = module_names(keys)
    assert names["openai"] == "openai"
    assert sorted(names.values()) == ["openai", "openai_2", "openai_3"][: len(keys)]


def test_a_prefixed_lower_case_id_keeps_its_module_name_too() -> None:
    names = module_names(["netlify/OpenAI", "netlify/openai"])
    assert names == {"netlify/openai": "netlify__openai", "netlify/OpenAI": "netlify__openai_2"}
