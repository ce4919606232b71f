"""Errors of the generator: each says which stage failed and what to do next."""

from __future__ import annotations

from modelrouter._errors import ModelRouterError

__all__ = ["GeneratorError", "RenderError", "VerifyError", "WriteError"]


class GeneratorError(ModelRouterError):
    """Base of every error `modelrouter generate` raises on its own account."""


class RenderError(GeneratorError):
    """A template or black failed, or a value cannot be printed safely as code."""


class WriteError(GeneratorError):
    """The catalogue could not be written; files already in place are left as they were."""


class VerifyError(GeneratorError):
    """The written catalogue failed to import or to pass `mypy --strict`."""

    def __init__(self, step: str, output: str) -> None:
        self.step = step
        self.output = output
        super().__init__(f"generated catalogue failed {step}:\n{output}")
