"""Small catalogues for the directory tests, generated through the real pipeline stages.

Listings -> `normalize` -> `render_catalog` -> `write_tree` gives a `modelrouter_catalog`
package in a temp folder, exactly as `modelrouter generate` would write it; the page is then
rendered from that folder. The hostile one comes from a custom gateway, collected as
`modelrouter generate --gateway` collects it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

from modelrouter.gateways.base import ModelGateway, ModelInfo, ProviderConfig
from modelrouter_generator.normalize import normalize
from modelrouter_generator.render import render_catalog
from modelrouter_generator.sources import collect_listings
from modelrouter_generator.structures import Listing
from modelrouter_generator.write import write_tree
from tests.unit.generator.listings import listing, provider

__all__ = [
    "HOSTILE_DOC_URL",
    "HOSTILE_IDS",
    "HostileGateway",
    "hostile_catalog",
    "small_catalog",
    "write_catalog",
]

HOSTILE_IDS: Final = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "{{ 7*7 }}",
    "{% raw %}x",
    "</script><!--",
    "javascript:alert(3)",
)
HOSTILE_DOC_URL: Final = "javascript:alert(4)"


def write_catalog(folder: Path, listings: Sequence[Listing]) -> Path:
    """Generate a catalogue from `listings` into `folder`; returns `folder`."""
    write_tree(folder, render_catalog(normalize(listings)))
    return folder


def _info(model: str, **fields: object) -> ModelInfo:
    return ModelInfo(id=model, **fields)  # type: ignore[arg-type]


def small_catalog(folder: Path) -> Path:
    """Two providers, seven models with known prices, limits and capabilities."""
    openai: Mapping[str, ModelInfo] = {
        "gpt-4o": _info(
            "gpt-4o",
            name="GPT-4o",
            context_limit=128000,
            output_limit=16384,
            input_cost=2.5,
            output_cost=10.0,
            cache_read_cost=1.25,
            capabilities=("attachment", "structured_output", "tool_call"),
            input_modalities=("image", "text"),
            output_modalities=("text",),
        ),
        "gpt-4o-mini": _info(
            "gpt-4o-mini",
            name="GPT-4o mini",
            context_limit=128000,
            output_limit=16384,
            input_cost=0.15,
            output_cost=0.6,
            capabilities=("structured_output", "tool_call"),
            input_modalities=("image", "text"),
            output_modalities=("text",),
        ),
        "o1": _info(
            "o1",
            name="o1",
            context_limit=200000,
            output_limit=100000,
            input_cost=15.0,
            output_cost=60.0,
            capabilities=("reasoning", "tool_call"),
            input_modalities=("text",),
            output_modalities=("text",),
        ),
        "gpt-3.5-turbo": _info(
            "gpt-3.5-turbo",
            name="GPT-3.5 Turbo",
            context_limit=16385,
            output_limit=4096,
            input_cost=0.5,
            output_cost=1.5,
            status="deprecated",
            input_modalities=("text",),
            output_modalities=("text",),
        ),
    }
    anthropic: Mapping[str, ModelInfo] = {
        "claude-sonnet-4": _info(
            "claude-sonnet-4",
            name="Claude Sonnet 4",
            context_limit=200000,
            output_limit=64000,
            input_cost=3.0,
            output_cost=15.0,
            capabilities=("attachment", "reasoning", "tool_call"),
            input_modalities=("image", "pdf", "text"),
            output_modalities=("text",),
        ),
        "claude-haiku-3": _info(
            "claude-haiku-3",
            name="Claude Haiku 3",
            context_limit=200000,
            output_limit=4096,
            input_cost=0.25,
            output_cost=1.25,
            capabilities=("tool_call",),
            input_modalities=("image", "text"),
            output_modalities=("text",),
        ),
        "claude-next": _info("claude-next", name="Claude Next"),
    }
    registry = listing(
        {
            "openai": provider(openai, name="OpenAI", env="OPENAI_API_KEY"),
            "anthropic": provider(anthropic, name="Anthropic", env="ANTHROPIC_API_KEY"),
        }
    )
    return write_catalog(folder, [registry])


class HostileGateway(ModelGateway):
    """A custom gateway whose ids, names and doc URL are markup, script and template syntax."""

    id = "hostile"
    name = "Hostile"

    def fetch_providers(self) -> dict[str, ProviderConfig]:
        models = {
            model: ModelInfo(
                id=model,
                name=f"name {model}",
                context_limit=1000 * (n + 1),
                input_cost=float(n + 1),
                capabilities=("tool_call",),
            )
            for n, model in enumerate(HOSTILE_IDS)
        }
        return {
            "evil": ProviderConfig(
                name='<b>Evil</b> "Corp" {{ 7*7 }}',
                models=tuple(models),
                api_key_env_var="EVIL_API_KEY",
                gateway=self.id,
                doc_url=HOSTILE_DOC_URL,
                model_info=models,
            ),
            "safe": ProviderConfig(
                name="Safe",
                models=("plain",),
                api_key_env_var="SAFE_API_KEY",
                gateway=self.id,
                doc_url="https://docs.example.com/models",
            ),
        }


def hostile_catalog(folder: Path, snapshots: Path) -> Path:
    """The hostile gateway's catalogue, collected as a custom gateway and generated."""
    result = collect_listings([HostileGateway()], offline=True, snapshot_dir=snapshots)
    assert result.failures == (), result.failures
    return write_catalog(folder, result.listings)
