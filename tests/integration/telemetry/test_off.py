"""Tracing off costs no import; on needs only opentelemetry-api; bad arguments are named."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import modelrouter
from modelrouter import ConfigurationError, _telemetry

ROOT = Path(__file__).resolve().parents[3]

# A real call (plain, streamed and async) to a loopback server, then the check of sys.modules.
_CALLS = """
import asyncio, json, sys
from tests.support.server import LoopbackServer, Reply
{setup}
import modelrouter

ANSWER = {{"choices": [{{"message": {{"role": "assistant", "content": "Hi"}},
            "finish_reason": "stop"}}], "usage": {{"prompt_tokens": 1, "completion_tokens": 1}}}}
STREAM = (b'data: {{"choices": [{{"index": 0, "delta": {{"content": "Hi"}}}}]}}\\n\\n'
          b'data: {{"choices": [{{"index": 0, "delta": {{}}, "finish_reason": "stop"}}]}}\\n\\n'
          b"data: [DONE]\\n\\n")

def answer(request):
    if json.loads(request.body).get("stream"):
        return Reply(body=STREAM, headers={{"content-type": "text/event-stream"}})
    return Reply.json(ANSWER)

with LoopbackServer(answer) as server:
    {instrument}
    config = {{"id": "openai/gpt-4o", "url": server.url, "api_key": "k"}}
    with modelrouter.Agent("a", None, config) as agent:
        assert agent.generate("Hi").text == "Hi"
        assert "".join(agent.stream("Hi")) == "Hi"
        assert asyncio.run(agent.agenerate("Hi")).text == "Hi"
print(sorted(m for m in sys.modules if m.startswith("opentelemetry")))
"""


def _run(setup: str = "", instrument: str = "pass") -> str:
    code = _CALLS.format(setup=setup, instrument=instrument)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_tracing_off_never_imports_opentelemetry() -> None:
    assert _run() == "[]"


def test_instrument_needs_only_the_api_and_no_sdk() -> None:
    # The SDK unimportable: spans go to the API's no-op provider and calls work as before.
    block = "sys.modules['opentelemetry.sdk'] = None"
    loaded = _run(setup=block, instrument="modelrouter.instrument()")
    assert "'opentelemetry.trace'" in loaded and "opentelemetry.sdk." not in loaded


def test_instrument_without_opentelemetry_says_what_to_install() -> None:
    code = textwrap.dedent("""
        import sys
        sys.modules["opentelemetry"] = None
        import modelrouter
        try:
            modelrouter.instrument()
        except modelrouter.ConfigurationError as exc:
            print(exc)
        """)
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert "pip install 'modelrouter[otel]'" in done.stdout, done.stderr


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"capture_content": "yes"}, "capture_content"),
        ({"tracer_provider": object()}, "tracer_provider"),
        ({"meter_provider": "global"}, "meter_provider"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, object], named: str) -> None:
    with pytest.raises(ConfigurationError, match=named):
        modelrouter.instrument(**kwargs)  # type: ignore[arg-type]
    assert _telemetry._state is None


def test_capture_content_follows_the_standard_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(_telemetry.CAPTURE_ENV, "true")
    try:
        modelrouter.instrument()
        assert _telemetry._state is not None and _telemetry._state.capture_content
        monkeypatch.setenv(_telemetry.CAPTURE_ENV, "false")
        modelrouter.instrument()
        assert not _telemetry._state.capture_content
        modelrouter.instrument(capture_content=True)  # the argument wins over the variable
        assert _telemetry._state.capture_content
    finally:
        modelrouter.uninstrument()
    assert _telemetry.current() is None
