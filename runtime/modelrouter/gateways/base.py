"""The gateway contract: where providers and models come from, and how to reach them.

A *gateway* lists providers and their models and knows how to authenticate against them
(models.dev, the Netlify AI gateway, OpenRouter, or a user's subclass). A *provider* is one
catalogue entry, described by `ProviderConfig`. Models of a gateway with a `prefix` are
addressed as `prefix/provider/model`; a registry (no prefix) gives plain `provider/model`.

Each I/O method may be written as a plain or an `async def` method: callers pass the result
through `resolve_maybe_awaitable`, as the seed's `T | Promise<T>` allowed either.
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias, TypeVar

if TYPE_CHECKING:
    from modelrouter._types import LanguageModel, WireFormat

__all__ = [
    "MaybeAwaitable",
    "ModelGateway",
    "ModelInfo",
    "PriceTier",
    "ProviderConfig",
    "resolve_maybe_awaitable",
]

T = TypeVar("T")
MaybeAwaitable: TypeAlias = "T | Awaitable[T]"

PriceTier: TypeAlias = "tuple[int, float | None, float | None, float | None, float | None]"
"""A context tier: `(above, input, output, cache_read, cache_write)`, prices in USD per million
tokens that replace the base prices for a whole request whose prompt (`Usage.input_tokens`,
cached tokens included) is above `above` tokens. A plain tuple so the generator can print it."""


async def resolve_maybe_awaitable(value: T | Awaitable[T]) -> T:
    """Await `value` if a gateway method returned an awaitable, else return it."""
    if inspect.isawaitable(value):
        return await value
    return value


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What a gateway knows about one model. Every field but `id` is optional."""

    id: str
    name: str | None = None
    family: str | None = None
    context_limit: int | None = None
    input_limit: int | None = None
    output_limit: int | None = None
    input_cost: float | None = None
    """USD per million input tokens."""
    output_cost: float | None = None
    """USD per million output tokens."""
    cache_read_cost: float | None = None
    cache_write_cost: float | None = None
    capabilities: tuple[str, ...] = ()
    """Sorted flags such as "attachment", "reasoning", "structured_output", "temperature", "tool_call"."""
    input_modalities: tuple[str, ...] = ()
    output_modalities: tuple[str, ...] = ()
    status: str | None = None
    """None for a current model, else e.g. "deprecated", "beta", "alpha"."""
    release_date: str | None = None
    knowledge: str | None = None
    url: str | None = None
    """A per-model base URL that overrides the provider's."""
    wire: WireFormat | None = None
    """A per-model wire-protocol override."""
    context_tiers: tuple[PriceTier, ...] = ()
    """Long-context prices, sorted by threshold (e.g. Anthropic's and Gemini's above 200k)."""


@dataclass(frozen=True, slots=True)
class ProviderConfig:
    """One provider as a gateway describes it.

    Attributes:
        name: display name, e.g. "OpenAI".
        models: bare model ids (without the provider prefix).
        api_key_env_var: the variable, or variables in order of preference, holding the key.
        gateway: id of the gateway that listed it.
        url: base URL including the version segment (`https://api.openai.com/v1`); may hold
            `${VAR}` placeholders filled from the environment at run time.
        api_key_header: header carrying the key when it is not the protocol's usual one.
        doc_url: where the provider documents its models.
        wire: wire protocol; None means the provider's default (see the runtime's table).
        model_info: per-model metadata, keyed by bare model id.
    """

    name: str
    models: Sequence[str]
    api_key_env_var: str | Sequence[str]
    gateway: str
    url: str | None = None
    api_key_header: str | None = None
    doc_url: str | None = None
    wire: WireFormat | None = None
    model_info: Mapping[str, ModelInfo] = field(default_factory=dict)

    @property
    def env_vars(self) -> tuple[str, ...]:
        """`api_key_env_var` as a tuple, whichever form it was given in."""
        if isinstance(self.api_key_env_var, str):
            return (self.api_key_env_var,)
        return tuple(self.api_key_env_var)


class ModelGateway(ABC):
    """Base class of every gateway, built-in or user-written.

    Subclasses set `id`, `name` and (for a gateway that proxies other providers) `prefix`,
    and implement `fetch_providers`. The other methods have defaults that suit a registry.
    Register an instance with `modelrouter.register_gateway` for run-time routing, and name
    the class in `modelrouter generate --gateway pkg.module:Class` (or `[tool.modelrouter]
    gateways`) to put its models into the typed catalogue.
    """

    id: str
    name: str
    prefix: str | None = None

    @abstractmethod
    def fetch_providers(self) -> MaybeAwaitable[dict[str, ProviderConfig]]:
        """Return every provider this gateway offers, keyed by provider id."""

    def build_url(
        self, model_id: str, env: Mapping[str, str] | None = None
    ) -> MaybeAwaitable[str | None]:
        """Base URL for `model_id`, or None to use the catalogue's."""
        return None

    def get_api_key(self, model_id: str) -> MaybeAwaitable[str | None]:
        """The key for `model_id`, or None to fall back to the provider's env vars."""
        return None

    def resolve_language_model(
        self,
        *,
        model_id: str,
        provider_id: str,
        api_key: str,
        headers: Mapping[str, str] | None = None,
    ) -> MaybeAwaitable[LanguageModel | None]:
        """A ready model object, or None to let the router build one from the catalogue."""
        return None

    def get_id(self) -> str:
        return self.id

    def __repr__(self) -> str:
        return f"{type(self).__name__}(id={self.id!r}, prefix={self.prefix!r})"
