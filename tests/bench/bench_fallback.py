"""Issue 4 targets: what falling back costs on top of the models' own latency.

- Failover after a non-retryable failure (401) adds <= 5 ms over the two models' own latency.
- A 429 with `Retry-After: 1` on a model with `max_retries=0` costs no wait at all.

Every model here is a real loopback server (tests/support/server.py). Figures are medians of
many runs; the bench prints them and never fails on time. The engine is measured with a bare
httpx call per attempt, then the Agent end to end.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import httpx

from modelrouter._agent import Agent
from modelrouter._errors import AuthenticationError, ModelRouterError, RateLimitError
from modelrouter._fallback import AttemptBudget, PlanEntry, run_sync
from tests.support.server import LoopbackServer, Reply, Request

RUNS = 200
WARMUP = 20
COMPLETION = {
    "id": "chatcmpl-1",
    "object": "chat.completion",
    "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}
    ],
    "usage": {"prompt_tokens": 1, "completion_tokens": 1},
}


def _answer(request: Request) -> Reply:
    if request.path.startswith("/unauthorized"):
        return Reply.json({"error": {"message": "invalid key"}}, status=401)
    if request.path.startswith("/limited"):
        return Reply.json(
            {"error": {"message": "slow down"}}, status=429, headers={"retry-after": "1"}
        )
    return Reply.json(COMPLETION)


def _median_ms(action: Callable[[], object]) -> float:
    for _ in range(WARMUP):
        action()
    samples = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def _failing(action: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            action()
        except ModelRouterError:
            return
        raise AssertionError("expected a failure")

    return run


def _engine_figures(url: str) -> None:
    client = httpx.Client()

    def call(path: str, budget: AttemptBudget) -> Any:
        response = client.post(url + path + "/chat/completions", json={}, timeout=budget.timeout)
        if response.status_code == 401:
            raise AuthenticationError("invalid key", status=401)
        if response.status_code == 429:
            retry = float(response.headers["retry-after"])
            raise RateLimitError("slow down", status=429, retry_after=retry)
        return response.json()

    good = PlanEntry("/ok", "p/good", 0)
    unauthorized = PlanEntry("/unauthorized", "p/unauthorized", 3)
    limited = PlanEntry("/limited", "p/limited", 0)
    with client:
        alone = _median_ms(lambda: run_sync([good], call))
        fail_alone = _median_ms(_failing(lambda: run_sync([unauthorized], call)))
        limited_alone = _median_ms(_failing(lambda: run_sync([limited], call)))
        failover = _median_ms(lambda: run_sync([unauthorized, good], call))
        after_429 = _median_ms(lambda: run_sync([limited, good], call))
    _report("engine", alone, fail_alone, failover, limited_alone, after_429)


def _agent_figures(url: str) -> None:
    def entry(path: str, retries: int) -> Any:
        config = {"id": "openai/gpt-4o", "url": url + path, "api_key": "sk-bench"}
        return {"model": config, "max_retries": retries}

    def agent(*entries: Any) -> Any:
        return Agent(name="bench", instructions="be brief", model=list(entries))

    good, bad, limited = entry("/ok", 0), entry("/unauthorized", 3), entry("/limited", 0)
    one, fails, limits = agent(good), agent(bad), agent(limited)
    failover, after_429 = agent(bad, good), agent(limited, good)
    alone = _median_ms(lambda: one.generate("hi"))
    fail_alone = _median_ms(_failing(lambda: fails.generate("hi")))
    limited_alone = _median_ms(_failing(lambda: limits.generate("hi")))
    over = _median_ms(lambda: failover.generate("hi"))
    after = _median_ms(lambda: after_429.generate("hi"))
    _report("agent", alone, fail_alone, over, limited_alone, after)


def _report(
    what: str, alone: float, fail_alone: float, failover: float, limited: float, after: float
) -> None:
    added = failover - fail_alone - alone
    waited = after - limited - alone
    print(f"{what}: plain successful call           {alone:8.3f} ms (median of {RUNS})")
    print(f"{what}: 401 alone                       {fail_alone:8.3f} ms")
    print(f"{what}: 401 then fallback answers       {failover:8.3f} ms")
    print(f"{what}: failover adds                   {added:8.3f} ms   (target <= 5 ms)")
    print(f"{what}: 429 Retry-After: 1, retries=0   {limited:8.3f} ms")
    print(f"{what}: 429 then fallback answers       {after:8.3f} ms")
    print(f"{what}: wait spent on the 429           {waited:8.3f} ms   (target: none, not 1000)")


def main() -> None:
    with LoopbackServer(_answer) as server:
        _engine_figures(server.url)
        _agent_figures(server.url)


if __name__ == "__main__":
    main()
