# What every type checker reads for `modelrouter._model_id`: the catalogue's Literal union.
from modelrouter_catalog.model_ids import ModelId as ModelId

__all__ = ["ModelId"]
