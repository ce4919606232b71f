"""A 1 MB image call: the router's overhead over raw httpx sending the same request (issue 12).

Both sides, per call: base64-encode the same 1 MB of bytes, build the OpenAI chat body with an
`image_url` data URL, POST it to the same loopback server over the same client, and read the
answer's text. The router's side is `Agent.generate` with `image(bytes)`, against a catalogue
model (`openai/gpt-4o-mini` at a local URL) so the modality gate and the cost lookup run too.
A second figure reuses one part built beforehand (raw: one string encoded beforehand).

Target: <= 1.05x raw (median). Figures only; nothing asserts on time. Run alone with
`python -m tests.bench media`.
"""

from __future__ import annotations

import base64
import os
import statistics
import time
from collections.abc import Callable
from typing import Any, cast

import httpx

from modelrouter import Agent, Message, ModelConfig, image
from tests.support.server import LoopbackServer, Reply, Request

SIZE = 1_000_000
ROUNDS = 15
PER_ROUND = 8
_ANSWER = {
    "choices": [{"message": {"role": "assistant", "content": "A cat."}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 800, "completion_tokens": 3},
}
PNG = b"\x89PNG\r\n\x1a\n" + os.urandom(SIZE - 8)


def _handler(request: Request) -> Reply:
    return Reply.json(_ANSWER)


def _per_call(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def _measure(pairs: list[tuple[Callable[[], object], Callable[[], object]]]) -> list[float]:
    """Median seconds per call of each function, interleaved so drift hits all alike."""
    functions = [fn for pair in pairs for fn in pair]
    samples: list[list[float]] = [[] for _ in functions]
    for fn in functions:
        fn()  # warm: connection, imports, caches
    for _ in range(ROUNDS):
        for index, fn in enumerate(functions):
            samples[index].append(_per_call(fn, PER_ROUND))
    return [statistics.median(s) for s in samples]


def main() -> None:
    with LoopbackServer(_handler) as server:
        url = server.url + "/v1"
        client = httpx.Client()
        headers = {"authorization": "Bearer k"}

        def raw_body(data: str) -> dict[str, Any]:
            image_url = {"url": f"data:image/png;base64,{data}"}
            content = [
                {"type": "text", "text": "What is this?"},
                {"type": "image_url", "image_url": image_url},
            ]
            return {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": content}]}

        def post(body: dict[str, Any]) -> str:
            response = client.post(url + "/chat/completions", json=body, headers=headers)
            return str(response.json()["choices"][0]["message"]["content"])

        def raw() -> str:
            return post(raw_body(base64.b64encode(PNG).decode()))

        encoded = base64.b64encode(PNG).decode()

        def raw_reused() -> str:
            return post(raw_body(encoded))

        config = {"id": "openai/gpt-4o-mini", "url": url, "api_key": "k"}
        agent = Agent("bench", None, cast(ModelConfig, config), client=client)

        def ask(part: Any) -> list[Message]:
            return [{"role": "user", "content": [{"type": "text", "text": "What is this?"}, part]}]

        def routed() -> str:
            return agent.generate(ask(image(PNG))).text

        part = image(PNG)

        def routed_reused() -> str:
            return agent.generate(ask(part)).text

        assert routed() == raw() == "A cat."
        figures = _measure([(raw, routed), (raw_reused, routed_reused)])
        client.close()
    raw_t, routed_t, raw_r, routed_r = figures
    print(
        f"1 MB image, encoded per call: raw httpx {raw_t * 1e3:.2f} ms, Agent.generate"
        f" {routed_t * 1e3:.2f} ms, ratio {routed_t / raw_t:.3f}x (target <= 1.05x)"
    )
    print(
        f"1 MB image, part built once: raw httpx {raw_r * 1e3:.2f} ms, Agent.generate"
        f" {routed_r * 1e3:.2f} ms, ratio {routed_r / raw_r:.3f}x"
    )


if __name__ == "__main__":
    main()
