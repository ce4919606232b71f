"""The cost formula against hand-computed figures, and `Usage` arithmetic.

Catalogue prices used (USD per million tokens, generated/modelrouter_catalog):
openai/gpt-4o-mini 0.15 in, 0.60 out, 0.08 cache read, no cache write;
anthropic/claude-haiku-4-5 1.00 in, 5.00 out, 0.10 cache read, 1.25 cache write;
google/gemini-2.5-flash 0.30 in, 2.50 out, 0.03 cache read.
"""

from __future__ import annotations

import pytest

from modelrouter import Usage, cost_of
from modelrouter._cost import Prices, Tier, price_usage
from modelrouter._loop import sum_usage
from modelrouter._types import GenerateResult, Step


def test_openai_cached_tokens_are_part_of_the_input() -> None:
    # 1,200 prompt tokens of which 1,000 cached; 300 out of which 120 reasoning.
    usage = Usage(1200, 300, cache_read_tokens=1000, reasoning_tokens=120)
    # 200 x 0.15 + 1,000 x 0.08 + 300 x 0.60 = 30 + 80 + 180 = 290 per million.
    assert cost_of("openai/gpt-4o-mini", usage) == pytest.approx(0.000290, rel=1e-12)


def test_anthropic_cache_reads_and_writes_at_their_own_prices() -> None:
    # Anthropic's 100 uncached + 2,000 read + 500 written = 2,600 input; 50 out.
    usage = Usage(2600, 50, cache_read_tokens=2000, cache_write_tokens=500)
    # 100 x 1.00 + 2,000 x 0.10 + 500 x 1.25 + 50 x 5.00 = 100 + 200 + 625 + 250 = 1,175.
    assert cost_of("anthropic/claude-haiku-4-5", usage) == pytest.approx(0.001175, rel=1e-12)


def test_gemini_thinking_is_billed_as_output() -> None:
    # 1,000 prompt (400 cached); 100 answer + 200 thinking = 300 out.
    usage = Usage(1000, 300, cache_read_tokens=400, reasoning_tokens=200)
    # 600 x 0.30 + 400 x 0.03 + 300 x 2.50 = 180 + 12 + 750 = 942.
    assert cost_of("google/gemini-2.5-flash", usage) == pytest.approx(0.000942, rel=1e-12)


def test_a_context_tier_prices_the_whole_request() -> None:
    prices = Prices(1.0, 2.0, 0.1, None, tiers=(Tier(200_000, Prices(2.0, 4.0, 0.2, None)),))
    # Under the threshold: base prices. 100,000 x 1 + 1,000 x 2 = 102,000.
    assert price_usage(Usage(100_000, 1000), prices) == pytest.approx(0.102)
    # Over it: every token at the tier's price. 250,000 x 2 + 1,000 x 4 = 504,000 (50,000
    # cached: 200,000 x 2 + 50,000 x 0.2 + 4,000 = 414,000).
    assert price_usage(Usage(250_000, 1000), prices) == pytest.approx(0.504)
    cached = Usage(250_000, 1000, cache_read_tokens=50_000)
    assert price_usage(cached, prices) == pytest.approx(0.414)


@pytest.mark.parametrize(
    ("model", "usage"),
    [
        ("openai/gpt-4o-mini", Usage()),  # nothing reported
        ("openai/gpt-4o-mini", Usage(100, 10, cache_write_tokens=50)),  # no cache-write price
        ("openai/not-in-the-catalogue", Usage(100, 10)),
        ("my-local-model", Usage(100, 10)),  # not even a provider/model id
        ("nosuchprovider/x", Usage(100, 10)),
    ],
)
def test_no_price_is_none_never_a_guess(model: str, usage: Usage) -> None:
    assert cost_of(model, usage) is None


def test_unused_token_kinds_need_no_price() -> None:
    # gpt-4o-mini has no cache-write price, but no tokens were written.
    assert cost_of("openai/gpt-4o-mini", Usage(1000, 0, cache_write_tokens=0)) == pytest.approx(
        0.00015
    )
    assert price_usage(Usage(None, 10), Prices(None, 1.0)) == pytest.approx(0.00001)
    assert price_usage(Usage(10, 10), Prices(None, 1.0)) is None


def test_usage_adds_field_by_field_and_keeps_unknowns() -> None:
    a = Usage(10, 5, cache_read_tokens=4, reasoning_tokens=2)
    b = Usage(20, None, cache_write_tokens=3)
    assert a + b == Usage(30, 5, cache_read_tokens=4, cache_write_tokens=3, reasoning_tokens=2)
    assert (Usage() + Usage()).total_tokens is None
    assert sum_usage([Step("m", usage=a), Step("m", usage=b)]) == a + b


def test_a_results_cost_is_its_steps_summed_or_none() -> None:
    mini, haiku = "openai/gpt-4o-mini", "anthropic/claude-haiku-4-5"
    steps = (Step(mini, usage=Usage(1_000_000, 0)), Step(haiku, usage=Usage(0, 1_000_000)))
    assert [s.cost for s in steps] == [pytest.approx(0.15), pytest.approx(5.0)]
    assert GenerateResult("", haiku, steps=steps).cost == pytest.approx(5.15)
    unknown = (*steps, Step("local/x", usage=Usage(1, 1)))
    assert GenerateResult("", "local/x", steps=unknown).cost is None
    assert GenerateResult("", mini).cost is None  # no steps: nothing to price
