"""Bodies are read bounded: a gzip bomb or a 100 MB SSE line costs little memory and time.

Each call runs in a fresh process (`probe.py`) so its peak RSS can be read; the hostile
servers run here, on loopback. Issue 10: the call fails or falls back within `total` + 1 s
and the peak RSS grows by at most 100 MB.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from modelrouter._body import MAX_BODY_BYTES, MAX_SSE_EVENT_BYTES
from tests.fakes.providers import FakeProvider, Script
from tests.support.server import LoopbackServer, Reply, Request

from .bombs import gzip_bomb, long_line
from .conftest import MODES, STREAM_MODES

TOTAL = 10.0
MAX_GROWTH_MIB = 100.0
ROOT = Path(__file__).parents[3]

JSON_BOMB = gzip_bomb(b"", b" ", 1024)  # 1 MB on the wire, 1 GiB inflated
SSE_BOMB = gzip_bomb(b"data: ", b"a", 1024)


def _hostile(request: Request) -> Reply:
    case = request.path.split("/")[1]
    streamed = b'"stream":true' in request.body
    kind = "text/event-stream" if streamed else "application/json"
    if case == "bomb200":
        body = SSE_BOMB if streamed else JSON_BOMB
        return Reply(body=body, headers={"content-type": kind, "content-encoding": "gzip"})
    if case == "bomb500":
        headers = {"content-type": "application/json", "content-encoding": "gzip"}
        return Reply(status=500, body=JSON_BOMB, headers=headers)
    return Reply(body=long_line(100), headers={"content-type": "text/event-stream"})


@pytest.fixture(scope="module")
def servers() -> Iterator[tuple[str, str]]:
    with LoopbackServer(_hostile) as bad, FakeProvider() as good:
        good.default = Script(text="the backup speaks")
        yield bad.url, good.base_url("openai-chat")


def _probe(mode: str, bad: str, good: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tests.integration.hardening.probe", mode, bad, good]
    done = subprocess.run(
        [*command, str(TOTAL)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _check(result: dict[str, Any], failed_with: str) -> None:
    assert result["answered"] == "openai/gpt-4o:the backup speaks", result
    assert result["attempts"] == [failed_with, None], result
    assert result["seconds"] <= TOTAL + 1.0, result
    assert result["growth_mib"] <= MAX_GROWTH_MIB, result


@pytest.mark.parametrize("mode", MODES)
def test_a_gzip_bomb_in_a_200_is_too_large_and_falls_back(
    mode: str, servers: tuple[str, str]
) -> None:
    bad, good = servers
    _check(_probe(mode, bad + "/bomb200/v1", good), "ResponseTooLargeError")


@pytest.mark.parametrize("mode", MODES)
def test_a_gzip_bomb_in_an_error_body_is_cut_and_falls_back(
    mode: str, servers: tuple[str, str]
) -> None:
    bad, good = servers
    _check(_probe(mode, bad + "/bomb500/v1", good), "ServerError")


@pytest.mark.parametrize("mode", STREAM_MODES)
def test_a_100_mb_sse_line_is_too_large_and_falls_back(mode: str, servers: tuple[str, str]) -> None:
    bad, good = servers
    _check(_probe(mode, bad + "/line/v1", good), "ResponseTooLargeError")


def test_the_caps_stay_well_under_the_memory_bound() -> None:
    # What the RSS bound above relies on: a cap, plus one inflated 8 KiB piece (~8.5 MB).
    assert MAX_BODY_BYTES + 9 * 2**20 < MAX_GROWTH_MIB * 2**20 / 2
    assert MAX_SSE_EVENT_BYTES + 9 * 2**20 < MAX_GROWTH_MIB * 2**20 / 2
