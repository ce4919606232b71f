"""One worker of the fleet test: `python -m tests.integration.routing.fleet_worker URL_A URL_B
CALLS PAUSE`; makes CALLS calls through [A, B] with health in the Redis of
MODELROUTER_REDIS_URL and prints one JSON line: the models that answered, and any error."""

from __future__ import annotations

import json
import sys
import time

from modelrouter._agent import Agent
from modelrouter._types import FallbackEntry


def main() -> None:
    url_a, url_b, calls, pause = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    entries: list[FallbackEntry] = [
        {
            "model": {"id": "openai/gpt-4o", "url": url_a, "api_key": "sk-fleet-a-secret-0001"},
            "max_retries": 0,
        },
        {
            "model": {
                "id": "openai/gpt-4o-mini",
                "url": url_b,
                "api_key": "sk-fleet-b-secret-0002",
            },
            "max_retries": 0,
        },
    ]
    answered: list[str] = []
    errors: list[str] = []
    with Agent(name="fleet", instructions=None, model=entries) as agent:
        for _ in range(calls):
            try:
                answered.append(agent.generate("hi").model_id)
            except Exception as exc:  # reported, and the test fails on it
                errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(pause)
    print(json.dumps({"answered": answered, "errors": errors}))


if __name__ == "__main__":
    main()
