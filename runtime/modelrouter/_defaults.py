"""Built-in knowledge the catalogue does not carry: public base URLs, wire protocols, limits.

Catalogue entries for the big providers often have no URL (their AI SDK packages hard-code
it), so the runtime keeps the public defaults here. A provider listed in this table also
works when the catalogue is missing altogether.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from modelrouter._version import __version__

if TYPE_CHECKING:
    from modelrouter._types import WireFormat

__all__ = [
    "ANTHROPIC_VERSION",
    "DEFAULT_ENV_VARS",
    "DEFAULT_KEEPALIVE_EXPIRY",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_MAX_KEEPALIVE",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_MAX_TOKENS",
    "DEFAULT_WIRE",
    "PUBLIC_BASE_URLS",
    "USER_AGENT",
    "env_prefix",
]

USER_AGENT: Final = f"modelrouter/{__version__}"

DEFAULT_MAX_RETRIES: Final = 2
"""Retries after the first try for a model given without an explicit `max_retries`."""

DEFAULT_MAX_TOKENS: Final = 4096
"""Anthropic requires `max_tokens`; this is what we send when the caller set none."""

ANTHROPIC_VERSION: Final = "2023-06-01"

# The connection pool of a client the Agent makes itself (`Agent(limits=...)` replaces it).
# httpx's own default (100 connections, 20 kept alive) queues the 101st concurrent call, and
# closes and reopens all but 20 connections after a burst; an LLM call holds its connection
# for seconds, so the pool is sized for 1,000 calls in flight, all kept alive between bursts.
DEFAULT_MAX_CONNECTIONS: Final = 1000
DEFAULT_MAX_KEEPALIVE: Final = 1000
DEFAULT_KEEPALIVE_EXPIRY: Final = 30.0

# Base URLs include the version segment, as the AI SDK's do; transports append the path.
PUBLIC_BASE_URLS: Final[dict[str, str]] = {
    "anthropic": "https://api.anthropic.com/v1",
    "cerebras": "https://api.cerebras.ai/v1",
    "deepinfra": "https://api.deepinfra.com/v1/openai",
    "deepseek": "https://api.deepseek.com/v1",
    "fireworks-ai": "https://api.fireworks.ai/inference/v1",
    "google": "https://generativelanguage.googleapis.com/v1beta",
    "groq": "https://api.groq.com/openai/v1",
    "mistral": "https://api.mistral.ai/v1",
    "openai": "https://api.openai.com/v1",
    "openrouter": "https://openrouter.ai/api/v1",
    "perplexity": "https://api.perplexity.ai",
    "togetherai": "https://api.together.xyz/v1",
    "xai": "https://api.x.ai/v1",
}

# Only the providers that do not speak OpenAI chat completions need an entry.
DEFAULT_WIRE: Final[dict[str, WireFormat]] = {
    "anthropic": "anthropic",
    "google": "gemini",
}

# Used when the catalogue is absent; the catalogue's own list wins when present.
DEFAULT_ENV_VARS: Final[dict[str, tuple[str, ...]]] = {
    "google": ("GOOGLE_GENERATIVE_AI_API_KEY", "GOOGLE_API_KEY", "GEMINI_API_KEY"),
    "fireworks-ai": ("FIREWORKS_API_KEY",),
    "togetherai": ("TOGETHER_API_KEY",),
}

_NON_ALNUM: Final = re.compile(r"[^A-Za-z0-9]+")


def env_prefix(provider_key: str) -> str:
    """`openai` -> `OPENAI`, `fireworks-ai` -> `FIREWORKS_AI`, `netlify/openai` -> `NETLIFY_OPENAI`."""
    return _NON_ALNUM.sub("_", provider_key).strip("_").upper()


def default_env_vars(provider_key: str) -> tuple[str, ...]:
    """The key variables of a provider the catalogue does not describe."""
    return DEFAULT_ENV_VARS.get(provider_key, (f"{env_prefix(provider_key)}_API_KEY",))
