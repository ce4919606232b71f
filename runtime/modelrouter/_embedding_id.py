"""`EmbeddingModelId` at run time: a plain `str`, so `import modelrouter` never loads the catalogue.

Type checkers read `_embedding_id.pyi` beside this file instead, which names the catalogue's
`Literal` union of embedding model ids (see `_embedding_rule` for which models those are). A
stub rather than an `if TYPE_CHECKING` pair for the reason `_model_id.py` gives: pyrefly merges
both branches and would then accept every string.
"""

from __future__ import annotations

from typing import TypeAlias

__all__ = ["EmbeddingModelId"]

EmbeddingModelId: TypeAlias = str
