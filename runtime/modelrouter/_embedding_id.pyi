# What every type checker reads for `modelrouter._embedding_id`: the catalogue's Literal union.
from modelrouter_catalog.model_ids import EmbeddingModelId as EmbeddingModelId

__all__ = ["EmbeddingModelId"]
