"""Which models `embed` takes at run time agrees with the generated `EmbeddingModelId`.

One rule (`modelrouter._embedding_rule`) decides both: the generator prints the ids it accepts
as `EmbeddingModelId`, and `embed` refuses the catalogue models it rejects before any request.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import get_args

import pytest

from modelrouter import ConfigurationError, InvalidModelIdError, custom_embedding_model
from modelrouter._embedding_rule import is_embedding_model
from tests.integration.embeddings.conftest import EmbedServer, call


def _catalogue() -> dict[str, tuple[str, str | None]]:
    """full id -> (bare id, family) over every generated provider module."""
    import modelrouter_catalog.providers as providers

    found: dict[str, tuple[str, str | None]] = {}
    for info in pkgutil.iter_modules(providers.__path__):
        module = importlib.import_module(f"{providers.__name__}.{info.name}")
        prefix = module.PROVIDER_ID if "__" not in info.name else info.name.replace("__", "/")
        for model, entry in module.MODELS.items():
            found[f"{prefix}/{model}"] = (model, entry.family)
    return found


def test_the_committed_union_is_exactly_what_the_rule_accepts() -> None:
    from modelrouter_catalog.model_ids import EmbeddingModelId

    typed = set(get_args(EmbeddingModelId))
    catalogue = _catalogue()
    ruled = {
        full for full, (model, family) in catalogue.items() if is_embedding_model(model, family)
    }
    assert typed == ruled
    assert "openai/text-embedding-3-small" in typed and "openai/gpt-4o" not in typed
    assert 40 < len(typed) < 200  # the bundled models.dev has 72; a rule gone wrong shows here


@pytest.mark.parametrize(
    "model_id",
    ["digitalocean/bge-m3", "vercel/voyage/voyage-3.5", "stackit/intfloat/e5-mistral-7b-instruct"],
)
def test_embedding_models_whose_id_does_not_say_embed_are_sent(
    fake: EmbedServer, mode: str, model_id: str
) -> None:
    result = call(mode, fake.config(model_id), ["x"])
    assert result.model_id == model_id and len(fake.requests) == 1
    assert fake.requests[0].json()["model"] == model_id.split("/", 1)[1]


@pytest.mark.parametrize("model_id", ["digitalocean/bge-reranker-v2-m3", "openai/gpt-4o-mini"])
def test_rerankers_and_chat_models_are_refused_before_a_request(
    fake: EmbedServer, mode: str, model_id: str
) -> None:
    with pytest.raises(ConfigurationError, match=f"{model_id} is not an embedding model"):
        call(mode, fake.config(model_id), ["x"])
    assert fake.requests == []


def test_custom_embedding_model_is_sent_as_given(fake: EmbedServer, mode: str) -> None:
    model_id = custom_embedding_model("openai/text-embedding-9-preview")
    result = call(mode, fake.config(model_id), ["x"])
    assert result.model_id == "openai/text-embedding-9-preview"
    assert fake.requests[0].json()["model"] == "text-embedding-9-preview"


def test_custom_embedding_model_still_refuses_a_catalogue_chat_model(fake: EmbedServer) -> None:
    with pytest.raises(ConfigurationError, match="openai/gpt-4o is not an embedding model"):
        call("embed", fake.config(custom_embedding_model("openai/gpt-4o")), ["x"])
    assert fake.requests == []


@pytest.mark.parametrize("bad", ["text-embedding-3-small", "openai/", "/x", ""])
def test_custom_embedding_model_checks_the_shape(bad: str) -> None:
    with pytest.raises(InvalidModelIdError):
        custom_embedding_model(bad)
