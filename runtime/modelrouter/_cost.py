"""What a call cost, in USD, from the catalogue's prices: never a guess.

The formula (prices are USD per million tokens, as the catalogue stores them; `Usage` counts
cached tokens inside `input_tokens`, see its docstring):

    uncached = input_tokens - cache_read_tokens - cache_write_tokens
    cost = (uncached * input + cache_read_tokens * cache_read
            + cache_write_tokens * cache_write + output_tokens * output) / 1_000_000

Reasoning tokens are output tokens and billed as such. A context tier (the catalogue's
`context_tiers`, from models.dev `cost.tiers`: e.g. Anthropic's and Gemini's prices past 200k
prompt tokens, OpenAI's past 272k) replaces the base prices for the whole request when
`input_tokens` (cached tokens included, as the providers count the prompt) is strictly above
its threshold; of several, the highest threshold passed applies. The cost is None when the
usage is unknown, or when any token kind the call used (a count above 0) has no price at the
prices that apply: a missing cache price is not taken to be the input price, nor a tier's
missing price to be the base one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from modelrouter._types import Usage

if TYPE_CHECKING:
    from modelrouter.gateways.base import ModelInfo

__all__ = ["Prices", "Tier", "cost_of", "prices_of", "price_usage"]

_PER: float = 1_000_000.0


@dataclass(frozen=True, slots=True)
class Tier:
    """Prices that apply, to the whole request, once `input_tokens` is above `above`."""

    above: int
    prices: Prices


@dataclass(frozen=True, slots=True)
class Prices:
    """USD per million tokens of each kind (None: the catalogue has no price for it)."""

    input: float | None = None
    output: float | None = None
    cache_read: float | None = None
    cache_write: float | None = None
    tiers: tuple[Tier, ...] = ()


def prices_of(info: ModelInfo) -> Prices | None:
    """A catalogue entry's prices, with its context tiers; None when it lists neither an input
    nor an output price."""
    if info.input_cost is None and info.output_cost is None:
        return None
    tiers = tuple(
        Tier(above, Prices(input_, output, read, write))
        for above, input_, output, read, write in info.context_tiers
    )
    return Prices(
        info.input_cost, info.output_cost, info.cache_read_cost, info.cache_write_cost, tiers
    )


def _term(tokens: int | None, price: float | None) -> float | None:
    """tokens x price, 0 for no tokens; None for tokens without a price."""
    if not tokens:
        return 0.0
    return None if price is None else tokens * price


def price_usage(usage: Usage, prices: Prices) -> float | None:
    """The module's formula applied to `usage` at `prices`."""
    if usage.input_tokens is None and usage.output_tokens is None:
        return None
    inputs = usage.input_tokens or 0
    for tier in sorted(prices.tiers, key=lambda t: t.above, reverse=True):
        if inputs > tier.above:
            prices = tier.prices
            break
    read = usage.cache_read_tokens or 0
    write = usage.cache_write_tokens or 0
    terms = (
        _term(max(inputs - read - write, 0), prices.input),
        _term(read, prices.cache_read),
        _term(write, prices.cache_write),
        _term(usage.output_tokens, prices.output),
    )
    total = 0.0
    for term in terms:
        if term is None:
            return None
        total += term
    return total / _PER


def _info(model_id: str) -> ModelInfo | None:
    from modelrouter._resolve import default_catalog, resolve_route

    try:
        route = resolve_route(model_id, lenient=True)
    except Exception:  # a custom model's id need not be "provider/model"
        return None
    if not route.known_model:
        return None
    provider = default_catalog().get_provider(route.provider_key)
    return None if provider is None else provider.model_info.get(route.model)


def cost_of(model_id: str, usage: Usage) -> float | None:
    """USD for `usage` on catalogue model `model_id` ("anthropic/claude-sonnet-4-5").

    None for a model the catalogue does not know or prices only in part (see the module's
    formula). `Step.cost` and `GenerateResult.cost` call this when read, so the request path
    never pays for the lookup.
    """
    info = _info(model_id)
    prices = None if info is None else prices_of(info)
    return None if prices is None else price_usage(usage, prices)
