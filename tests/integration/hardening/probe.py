"""One call against a hostile server, in a fresh process: prints what happened and its cost.

`python -m tests.integration.hardening.probe MODE BAD_URL GOOD_URL TOTAL` calls an Agent whose
plan is [the bad server (no retry), the good one] and prints one JSON line: the model that
answered, each attempt's error type, the seconds the call took and the growth of the peak RSS
(VmHWM in /proc/self/status) over a warmed-up baseline, in MiB.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import Any, cast

from modelrouter._agent import Agent
from modelrouter._fallback_plan import Timeouts
from modelrouter._types import FallbackEntry, GenerateResult, ModelConfig


def peak_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def entry(url: str, retries: int) -> FallbackEntry:
    config = cast(ModelConfig, {"id": "openai/gpt-4o", "url": url, "api_key": "sk-probe-key-0"})
    return {"model": config, "max_retries": retries}


async def call(agent: Agent, mode: str) -> GenerateResult:
    if mode == "generate":
        return agent.generate("hi")
    if mode == "agenerate":
        return await agent.agenerate("hi")
    if mode == "stream":
        with agent.stream("hi") as stream:
            "".join(stream)
            return stream.result
    async with agent.astream("hi") as astream:
        "".join([chunk async for chunk in astream])
        return astream.result


async def main(mode: str, bad: str, good: str, total: float) -> dict[str, Any]:
    warm = Agent("warm", None, [entry(good, 0)])
    await call(warm, mode)  # imports, clients, caches: the baseline includes them
    await warm.aclose()
    agent = Agent("probe", None, [entry(bad, 0), entry(good, 0)], timeout=Timeouts(total=total))
    before = peak_mib()
    start = time.monotonic()
    try:
        result = await call(agent, mode)
        answered = result.model_id + ":" + result.text
        attempts = [a.error_type for a in result.attempts]
    except Exception as exc:  # reported, not raised: the test judges it
        answered = ""
        attempts = [type(exc).__name__, str(exc)[:300]]
    finally:
        await agent.aclose()
    seconds = time.monotonic() - start
    return {
        "answered": answered,
        "attempts": attempts,
        "seconds": seconds,
        "growth_mib": peak_mib() - before,
    }


if __name__ == "__main__":
    mode, bad, good, total = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
    print(json.dumps(asyncio.run(main(mode, bad, good, total))))
