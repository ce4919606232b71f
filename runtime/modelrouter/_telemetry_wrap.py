"""Where an agent call's span opens and closes: around `Agent`'s four call methods and tools.

Each wrapper reads `_telemetry._state` once and, when tracing is off, calls straight through:
that read and one Python call are the whole cost. When on, `generate`/`agenerate` run inside
the `invoke_agent` span (current, so attempt, tool and HTTP-client spans nest under it). A
stream's span opens at its first step and is made current only while the stream works (around
each step of its event generator, never between them), so the caller's own spans between two
deltas do not land inside it; it ends when the stream ends, fails or is closed.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any, TypeVar

from modelrouter import _telemetry
from modelrouter._telemetry import CallTrace
from modelrouter._telemetry_attrs import agent_attributes

if TYPE_CHECKING:
    from modelrouter._parts import ToolCallPart
    from modelrouter._tools import FunctionTool

__all__ = ["traced_agenerate", "traced_generate", "traced_stream", "traced_tool"]

F = TypeVar("F", bound=Callable[..., Any])
AF = TypeVar("AF", bound=Callable[..., Awaitable[Any]])


def _call_trace(state: _telemetry.Telemetry, agent: Any, call: str) -> CallTrace:
    return CallTrace(state, agent_attributes(agent, call), f"invoke_agent {agent.name}")


def traced_generate(method: F) -> F:
    """`Agent.generate` inside an `invoke_agent` span when tracing is on."""

    @functools.wraps(method)
    def generate(agent: Any, *args: Any, **kwargs: Any) -> Any:
        state = _telemetry._state
        if state is None:
            return method(agent, *args, **kwargs)
        trace = _call_trace(state, agent, "generate")
        try:
            with trace.active():
                result = method(agent, *args, **kwargs)
        except BaseException as exc:
            trace.finish(None, exc)
            raise
        trace.finish(result)
        return result

    return generate  # type: ignore[return-value]


def traced_agenerate(method: AF) -> AF:
    """The async twin of `traced_generate`."""

    @functools.wraps(method)
    async def agenerate(agent: Any, *args: Any, **kwargs: Any) -> Any:
        state = _telemetry._state
        if state is None:
            return await method(agent, *args, **kwargs)
        trace = _call_trace(state, agent, "agenerate")
        try:
            with trace.active():
                result = await method(agent, *args, **kwargs)
        except BaseException as exc:
            trace.finish(None, exc)
            raise
        trace.finish(result)
        return result

    return agenerate  # type: ignore[return-value]


def traced_stream(method: F) -> F:
    """`Agent.stream`/`astream`: the returned stream's events run inside the call's span."""

    @functools.wraps(method)
    def stream(agent: Any, *args: Any, **kwargs: Any) -> Any:
        state = _telemetry._state
        result = method(agent, *args, **kwargs)
        if state is None:
            return result
        trace = _call_trace(state, agent, method.__name__)
        events = result._events  # the generator both `events()` and iteration read
        if isinstance(events, AsyncGenerator):
            result._events = _async_events(trace, events, lambda: result._result)
        else:
            result._events = _events(trace, events, lambda: result._result)
        return result

    return stream  # type: ignore[return-value]


def _events(
    trace: CallTrace, events: Generator[Any, None, None], result: Callable[[], Any]
) -> Generator[Any, None, None]:
    enter, leave = trace.enter, trace.leave  # the hot loop: once per event of the stream
    try:
        while True:
            tokens = enter()
            try:
                event = next(events)
            except StopIteration:
                break
            finally:
                leave(tokens)
            yield event
    except GeneratorExit:
        with trace.active():
            events.close()
        trace.finish()
        raise
    except BaseException as exc:
        trace.finish(None, exc)
        raise
    trace.finish(result())


async def _async_events(
    trace: CallTrace, events: AsyncGenerator[Any, None], result: Callable[[], Any]
) -> AsyncGenerator[Any, None]:
    enter, leave = trace.enter, trace.leave
    try:
        while True:
            tokens = enter()
            try:
                event = await anext(events)
            except StopAsyncIteration:
                break
            finally:
                leave(tokens)
            yield event
    except GeneratorExit:
        with trace.active():
            await events.aclose()
        trace.finish()
        raise
    except BaseException as exc:
        trace.finish(None, exc)
        raise
    trace.finish(result())


def traced_tool(tool: FunctionTool, call: ToolCallPart) -> FunctionTool:
    """`tool` with its function run inside an `execute_tool` span (itself when tracing is off)."""
    state = _telemetry._state
    if state is None:
        return tool
    function = tool.function
    span_args = _tool_span(state, call)
    if tool.is_async:

        async def run_async(*args: Any, **kwargs: Any) -> Any:
            with _ToolSpan(state, span_args) as span:
                return span.done(await function(*args, **kwargs))

        return dataclasses.replace(tool, function=run_async)

    def run(*args: Any, **kwargs: Any) -> Any:
        with _ToolSpan(state, span_args) as span:
            return span.done(function(*args, **kwargs))

    return dataclasses.replace(tool, function=run)


def _tool_span(state: _telemetry.Telemetry, call: ToolCallPart) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "gen_ai.operation.name": "execute_tool",
        "gen_ai.tool.name": call["name"],
        "gen_ai.tool.call.id": call["id"],
        "gen_ai.tool.type": "function",
    }
    if state.capture_content:
        attributes["gen_ai.tool.call.arguments"] = call["arguments"] or "{}"
    return attributes


class _ToolSpan:
    """The `execute_tool` span around one run; an exception sets `error.type` and passes on."""

    def __init__(self, state: _telemetry.Telemetry, attributes: dict[str, Any]) -> None:
        self.state = state
        self.attributes = attributes
        self.span: Any = None
        self.token: Any = None

    def __enter__(self) -> _ToolSpan:
        name = f"execute_tool {self.attributes['gen_ai.tool.name']}"
        state = self.state
        self.span = state.tracer.start_span(
            name, kind=state.trace.SpanKind.INTERNAL, attributes=self.attributes
        )
        # Current while the tool runs (in its thread or task): its own spans nest under it.
        self.token = state.context.attach(state.trace.set_span_in_context(self.span))
        return self

    def done(self, value: Any) -> Any:
        if self.state.capture_content:
            self.span.set_attribute("gen_ai.tool.call.result", str(value)[:4000])
        return value

    def __exit__(self, exc_type: type[BaseException] | None, exc: Any, tb: Any) -> None:
        if exc_type is not None:
            trace = self.state.trace
            self.span.set_attribute("error.type", exc_type.__name__)
            self.span.set_status(trace.Status(trace.StatusCode.ERROR, exc_type.__name__))
        self.state.context.detach(self.token)
        self.span.end()
