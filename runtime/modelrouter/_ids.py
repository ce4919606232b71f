"""The typed escape hatch for ids the catalogue does not list yet."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from modelrouter._errors import InvalidModelIdError
from modelrouter._validate import check_model_id

if TYPE_CHECKING:
    from modelrouter._embedding_id import EmbeddingModelId
    from modelrouter._types import ModelId

__all__ = ["custom_embedding_model", "custom_model"]


def custom_model(model_id: str) -> ModelId:
    """Use a model id the generated catalogue does not know, and keep mypy strict elsewhere.

    Providers add models faster than any catalogue; `custom_model("openai/brand-new")` is the
    one place a plain string becomes a `ModelId`, so every other literal is still checked.

    Raises:
        InvalidModelIdError: `model_id` is not shaped `provider/model` with both parts non-empty.
    """
    check_model_id(model_id)  # _validate: the same rule as every id the router sends
    if not isinstance(model_id, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise InvalidModelIdError(f"a model id must be a str, not {type(model_id).__name__}")
    provider, sep, model = model_id.partition("/")
    if not sep or not provider.strip() or not model.strip():
        raise InvalidModelIdError(
            f"{model_id!r} is not a model id: expected 'provider/model', e.g. 'openai/gpt-5'"
        )
    return cast("ModelId", model_id)


def custom_embedding_model(model_id: str) -> EmbeddingModelId:
    """`custom_model` for `embed`: an embedding model id the catalogue does not list yet.

    A catalogue model that is not an embedding model is still refused when `embed` runs.

    Raises:
        InvalidModelIdError: `model_id` is not shaped `provider/model` with both parts non-empty.
    """
    return cast("EmbeddingModelId", custom_model(model_id))
