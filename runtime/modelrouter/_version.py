"""The package version: one place, read by hatch and by the User-Agent header."""

from __future__ import annotations

from typing import Final

__version__: Final[str] = "0.1.0"
