"""Issue 13 figures: what deployment health costs per call, in memory and in Redis, and what
a fleet of 8 worker processes sends to a deployment answering 429 `Retry-After: 30`.

Targets: the in-memory health check adds <= 2 % to a call (vs `health=False`); the Redis
round trip per call is reported; across the fleet at most 8 requests (ideally 1) reach the
limited deployment. Figures only; nothing here asserts on time. Run alone with
`python -m tests.bench health`. Needs `redis-server` (make bench installs it).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from modelrouter._agent import Agent
from modelrouter.routing import Health, RedisStore
from tests.support.redis_server import RedisServer
from tests.support.server import LoopbackServer, Reply, Request

ROUNDS = 15
PER_ROUND = 60
REPO = Path(__file__).resolve().parents[2]
_ANSWER = {
    "choices": [{"message": {"role": "assistant", "content": "Hi"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 5, "completion_tokens": 2},
}


def _answer(request: Request) -> Reply:
    if request.path.startswith("/limited"):
        return Reply.json({"error": {"message": "slow"}}, status=429, headers={"retry-after": "30"})
    return Reply.json(_ANSWER)


def _per_call_us(calls: dict[str, Callable[[], object]]) -> dict[str, tuple[float, float]]:
    """Median (wall, CPU) microseconds per call of each variant, rounds interleaved.

    CPU time (this process: client and loopback server threads) is the steadier figure on a
    shared machine; wall time is what a caller sees.
    """
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in calls}
    for call in calls.values():
        for _ in range(20):
            call()
    for _ in range(ROUNDS):
        for name, call in calls.items():
            wall, cpu = time.perf_counter(), time.process_time()
            for _ in range(PER_ROUND):
                call()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            samples[name].append((wall / PER_ROUND * 1e6, cpu / PER_ROUND * 1e6))
    return {
        name: (statistics.median(w for w, _ in values), statistics.median(c for _, c in values))
        for name, values in samples.items()
    }


def _gate_us() -> float:
    """The in-memory gate's own work per call: identity, check, heal (no I/O)."""
    from modelrouter.routing.health import Gate

    class Endpoint:
        provider, base_url, api_key = "openai", "https://api.openai.com/v1", "sk-bench-aaaa"

    class Model:
        model_id = "openai/gpt-4o"
        endpoint = Endpoint()

    model, health = Model(), Health()

    def once() -> None:
        gate = Gate(health)
        gate.prepare("openai/gpt-4o", True, None, None)
        gate.enter(model)
        gate.succeeded()

    for _ in range(1000):
        once()
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(20_000):
            once()
        runs.append((time.perf_counter() - start) / 20_000 * 1e6)
    return statistics.median(runs)


def _agent(url: str, health: Health | bool) -> Agent:
    model = {"id": "openai/gpt-4o", "url": url, "api_key": "sk-bench-aaaaaaaaaaaa"}
    return Agent(name="bench", instructions=None, model=model, health=health)  # type: ignore[arg-type]


def _overhead(server: LoopbackServer, redis_url: str) -> None:
    url = f"{server.url}/v1"
    store = RedisStore(redis_url)
    off, memory, shared = _agent(url, False), _agent(url, True), _agent(url, Health(store))
    off_again = _agent(url, False)
    figures = _per_call_us(
        {
            "off": lambda: off.generate("hi"),
            "memory": lambda: memory.generate("hi"),
            "redis": lambda: shared.generate("hi"),
            "off again": lambda: off_again.generate("hi"),
        }
    )
    base, base_cpu = figures["off"]
    gate = _gate_us()
    print(
        f"health gate alone (memory, healthy deployment): {gate:.1f} us per call ="
        f" {gate / base:.2%} of a loopback call here"
    )
    for label, index, unit in (("wall", 0, base), ("CPU", 1, base_cpu)):
        mem, red = figures["memory"][index], figures["redis"][index]
        again = figures["off again"][index]
        print(
            f"call {label}, health off: {unit:.0f} us (again: {again / unit - 1:+.1%}, the"
            f" noise); in memory: {mem:.0f} us ({mem / unit - 1:+.1%}, target <= +2%);"
            f" Redis store: {red:.0f} us ({red - unit:+.0f} us per call: one EVALSHA round"
            " trip on loopback)"
        )
    for agent in (off, memory, shared, off_again):
        agent.close()
    store.close()


def _fleet(server: LoopbackServer, redis: RedisServer, kill_after: float | None) -> None:
    env = {**os.environ, "MODELROUTER_REDIS_URL": redis.url, "PYTHONPATH": str(REPO)}
    args = [f"{server.url}/limited/v1", f"{server.url}/v1", "50", "0.01"]
    worker = "tests.integration.routing.fleet_worker"
    before = sum(1 for r in server.requests if r.path.startswith("/limited"))
    start = time.perf_counter()
    workers = [
        subprocess.Popen([sys.executable, "-m", worker, *args], env=env, stdout=subprocess.PIPE)
        for _ in range(8)
    ]
    if kill_after is not None:
        time.sleep(kill_after)
        redis.kill()
    outputs = [json.loads(w.communicate(timeout=300)[0].decode().splitlines()[-1]) for w in workers]
    took = time.perf_counter() - start
    limited = sum(1 for r in server.requests if r.path.startswith("/limited")) - before
    calls = sum(len(out["answered"]) for out in outputs)
    errors = sum(len(out["errors"]) for out in outputs)
    what = "Redis killed mid-run" if kill_after is not None else "one Redis"
    print(
        f"fleet of 8 processes x 50 calls ({what}): {calls} answered, {errors} failed;"
        f" requests that reached the 429 deployment: {limited} (target <= 8, ideally 1);"
        f" wall {took:.1f} s"
    )


def main() -> None:
    with LoopbackServer(_answer) as server, RedisServer() as redis:
        _overhead(server, redis.url)
        _fleet(server, redis, None)
        redis.kill()
        redis.start()
        _fleet(server, redis, 1.0)


if __name__ == "__main__":
    main()
