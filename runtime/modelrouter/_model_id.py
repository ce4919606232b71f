"""`ModelId` at run time: a plain `str`, so `import modelrouter` never loads the catalogue.

Type checkers read `_model_id.pyi` beside this file instead (a stub wins over its module in
every checker), which names the catalogue's `Literal` union. A stub, not an
`if TYPE_CHECKING: ... else: ModelId = str` pair, because pyrefly merges both branches of such a
pair into `Literal[...] | str` and then accepts every typo.
"""

from __future__ import annotations

from typing import TypeAlias

__all__ = ["ModelId"]

ModelId: TypeAlias = str
