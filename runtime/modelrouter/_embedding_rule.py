"""Which catalogue models are embedding models: one rule for the generator and the runtime.

The catalogue has no "embedding" flag (models.dev lists an embedding model's output modality
as "text", like a chat model's), so the rule reads names, as a user would:

- the bare id or the family contains "embed" (`text-embedding-3-small`, `gemini-embedding-001`,
  `mistral-embed`, `cohere-embed-v3-english`, `titan-embed-text-v2`, and every model of the
  `text-embedding` family, such as DigitalOcean's `e5-large-v2` or `all-mini-lm-l6-v2`);
- or the id or family names an embedding-only family whose name does not say so, as a whole
  word: `bge`, `e5`, `gte`, `voyage` (`bge-m3`, `intfloat/e5-mistral-7b-instruct`,
  `voyage/voyage-3.5`);
- never a reranker (`rerank` in the id, e.g. `bge-reranker-v2-m3`): it scores pairs of texts
  and returns no vectors.

The generator prints the ids this rule accepts as `EmbeddingModelId`; `embed` refuses, before
any request, a catalogue model it rejects.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["is_embedding_model"]

_FAMILY_WORDS: Final = re.compile(r"(?<![a-z0-9])(?:bge|e5|gte|voyage)(?![a-z])")


def is_embedding_model(model: str, family: str | None) -> bool:
    """True when the bare model id and its catalogue family name an embedding model."""
    name = model.lower()
    if "rerank" in name:
        return False
    text = f"{name} {(family or '').lower()}"
    return "embed" in text or _FAMILY_WORDS.search(text) is not None
