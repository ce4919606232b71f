"""`EmbeddingModelId`: which catalogue models are embedding models, and how the ids are printed."""

from __future__ import annotations

import ast
from pathlib import PurePosixPath
from typing import Literal, get_args

import black
import pytest
from black.mode import TargetVersion

from modelrouter._embedding_rule import is_embedding_model
from modelrouter.gateways.base import ModelInfo
from modelrouter_generator.normalize import normalize
from modelrouter_generator.render import render_catalog
from tests.unit.generator.listings import listing, provider

_MODE = black.Mode(target_versions={TargetVersion.PY311}, line_length=100)
_IDS = PurePosixPath("modelrouter_catalog/model_ids.py")

# (bare id, family) pairs from the models.dev data, with the rule's verdict.
EMBEDDING = [
    ("text-embedding-3-small", "text-embedding"),
    ("gemini-embedding-001", "gemini"),
    ("mistral-embed", "mistral-embed"),
    ("cohere-embed-v3-english", "cohere-embed"),
    ("amazon/titan-embed-text-v2", "titan-embed"),
    ("all-mini-lm-l6-v2", "text-embedding"),
    ("nvidia/nv-embedcode-7b-v1", None),
    ("workers-ai/@cf/baai/bge-m3", "bge"),
    ("bge-multilingual-gemma2", "gemma"),
    ("intfloat/e5-mistral-7b-instruct", "mistral"),
    ("voyage/voyage-3.5-lite", "voyage"),
    ("Qwen/Qwen3-Embedding-8B", "qwen"),
]
NOT_EMBEDDING = [
    ("gpt-4o", "gpt"),
    ("claude-sonnet-4-5", "claude-sonnet"),
    ("gemini-2.5-pro", "gemini-pro"),
    ("bge-reranker-v2-m3", "bge"),
    ("Qwen/Qwen3-Reranker-0.6B", "qwen"),
    ("openai/whisper-large-v3", "whisper"),
    ("gemma-3-27b-it", "gemma"),
    ("workers-ai/@cf/huggingface/distilbert-sst-2-int8", "distilbert"),
    ("gpt-5", None),
]


@pytest.mark.parametrize(("model", "family"), EMBEDDING)
def test_embedding_models_by_name_or_family(model: str, family: str | None) -> None:
    assert is_embedding_model(model, family)


@pytest.mark.parametrize(("model", "family"), NOT_EMBEDDING)
def test_chat_models_and_rerankers_are_not_embedding_models(model: str, family: str | None) -> None:
    assert not is_embedding_model(model, family)


def _render(models: dict[str, ModelInfo] | list[str]) -> str:
    catalog = normalize([listing({"acme": provider(models)})])
    return render_catalog(catalog)[_IDS]


def _alias(text: str, name: str) -> object:
    namespace: dict[str, object] = {}
    exec(compile(text, "model_ids.py", "exec"), namespace)
    return namespace[name]


def test_embedding_ids_are_a_literal_of_exactly_the_embedding_models() -> None:
    hostile = 'embed-it\'s "q"\\ """'
    text = _render(
        {
            "gpt-4o": ModelInfo(id="gpt-4o", family="gpt"),
            "e5-large-v2": ModelInfo(id="e5-large-v2", family="text-embedding"),
            "bge-reranker": ModelInfo(id="bge-reranker", family="bge"),
            hostile: ModelInfo(id=hostile),
        }
    )
    ast.parse(text)
    assert black.format_str(text, mode=_MODE) == text
    embedding = _alias(text, "EmbeddingModelId")
    assert set(get_args(embedding)) == {"acme/e5-large-v2", f"acme/{hostile}"}
    assert "acme/gpt-4o" in str(_alias(text, "ModelId"))


def test_a_catalogue_without_embedding_models_gets_never() -> None:
    text = _render(["gpt-4o", "gpt-5"])
    assert "EmbeddingModelId: TypeAlias = Never" in text
    assert black.format_str(text, mode=_MODE) == text
    from typing import Never

    assert _alias(text, "EmbeddingModelId") is Never
    assert _alias(text, "ModelId") == Literal["acme/gpt-4o", "acme/gpt-5"]


def test_an_empty_catalogue_gets_never_for_both() -> None:
    text = _render([])
    assert "ModelId: TypeAlias = Never" in text
    assert "EmbeddingModelId: TypeAlias = Never" in text
    # Not black-checked: the ModelId part leaves one blank line too many when no provider has
    # models (older than EmbeddingModelId; reported, the model-id template is TYPES3's).
    ast.parse(text)
