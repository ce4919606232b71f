"""OpenTelemetry spans and metrics in the GenAI semantic conventions, off until `instrument()`.

Opt-in, like the OpenTelemetry instrumentors (`OpenAIInstrumentor().instrument()`) and
logfire's `instrument_*()`: nothing is traced until `modelrouter.instrument()` is called, and
until then the request path does one global read per call. `import modelrouter` never imports
opentelemetry; `instrument()` does, and needs only `opentelemetry-api` (the `otel` extra). The
spans and metrics go to the global providers unless others are passed, so an application that
sets up the SDK (or none, for no-op telemetry) needs nothing more.

One call of `generate`/`agenerate`/`stream`/`astream` is one `invoke_agent {name}` span
(INTERNAL) covering the whole tool loop; each try of a model is a `chat {model}` child span
(CLIENT) with `gen_ai.*` attributes, ended with `error.type` when it failed; each tool run is an
`execute_tool {tool}` child. Each try also records `gen_ai.client.operation.duration` (s) and,
when it answered, `gen_ai.client.token.usage` (input and output). The wrappers that open the
agent span live in `_telemetry_wrap`.

Never recorded: keys, header values, URLs' paths or queries (`server.address` is the host),
prompts, answers, tool arguments and results, error messages (a provider may echo the prompt
in one). `capture_content=True` (or `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`)
adds the answers, tool arguments and results, and error messages scrubbed by `_redact`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any, Final

from modelrouter._errors import ConfigurationError
from modelrouter._telemetry_attrs import (
    agent_attributes,
    attempt_attributes,
    error_attributes,
    response_attributes,
    result_attributes,
    scrubbed_message,
)

if TYPE_CHECKING:
    from opentelemetry.metrics import MeterProvider
    from opentelemetry.trace import Span, TracerProvider

    from modelrouter._types import ModelResponse

__all__ = ["CAPTURE_ENV", "CallTrace", "Telemetry", "current", "instrument", "uninstrument"]

CAPTURE_ENV: Final = "OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT"
# The GenAI conventions' advised bucket boundaries.
_DURATION_BUCKETS: Final = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24]
_TOKEN_BUCKETS: Final = [4**i for i in range(14)]

_state: Telemetry | None = None
_CALL: ContextVar[CallTrace | None] = ContextVar("modelrouter_call", default=None)


def current() -> CallTrace | None:
    """The agent call being traced here, or None (always None while tracing is off)."""
    return None if _state is None else _CALL.get()


def instrument(
    *,
    tracer_provider: TracerProvider | None = None,
    meter_provider: MeterProvider | None = None,
    capture_content: bool | None = None,
) -> None:
    """Turn on OpenTelemetry spans and metrics for every Agent of this process.

    Args:
        tracer_provider: where spans go (default: the global one, set by your SDK setup).
        meter_provider: where metrics go (default: the global one).
        capture_content: also record answers, tool arguments/results and (redacted) error
            messages; default: the `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`
            variable ("true"), else off. Prompts are never recorded.

    Raises:
        ConfigurationError: opentelemetry-api is not installed, or an argument has the
            wrong type (named in the message).
    """
    global _state
    if capture_content is not None and not isinstance(capture_content, bool):
        raise ConfigurationError(f"capture_content must be a bool, got {capture_content!r}")
    for name, given, method in (
        ("tracer_provider", tracer_provider, "get_tracer"),
        ("meter_provider", meter_provider, "get_meter"),
    ):
        if given is not None and not callable(getattr(given, method, None)):
            raise ConfigurationError(f"{name} must be an OpenTelemetry {name}, got {given!r}")
    try:
        from opentelemetry import context, metrics, trace
    except ImportError as exc:
        raise ConfigurationError(
            "modelrouter.instrument() needs opentelemetry-api: pip install 'modelrouter[otel]'"
        ) from exc
    from modelrouter._version import __version__

    if capture_content is None:
        capture_content = os.environ.get(CAPTURE_ENV, "").strip().lower() in {"1", "true"}
    tracer = trace.get_tracer("modelrouter", __version__, tracer_provider=tracer_provider)
    meter = metrics.get_meter("modelrouter", __version__, meter_provider=meter_provider)
    _state = Telemetry(tracer, meter, capture_content, trace, context)


def uninstrument() -> None:
    """Turn tracing off again (calls already running finish their spans)."""
    global _state
    _state = None


class Telemetry:
    """The tracer, the instruments and the API functions, fixed at `instrument()`."""

    def __init__(
        self, tracer: Any, meter: Any, capture_content: bool, trace: Any, context: Any
    ) -> None:
        self.tracer = tracer
        self.capture_content = capture_content
        self.trace = trace
        self.context = context
        self.duration = meter.create_histogram(
            "gen_ai.client.operation.duration",
            unit="s",
            description="GenAI operation duration",
            explicit_bucket_boundaries_advisory=_DURATION_BUCKETS,
        )
        self.tokens = meter.create_histogram(
            "gen_ai.client.token.usage",
            unit="{token}",
            description="Measures number of input and output tokens used",
            explicit_bucket_boundaries_advisory=_TOKEN_BUCKETS,
        )


class _Try:
    """One attempt's span, open until it fails or its answer is in."""

    def __init__(self, span: Span, attributes: dict[str, Any]) -> None:
        self.span = span
        self.metric = {k: v for k, v in attributes.items() if not k.startswith("modelrouter.")}
        self.started = time.monotonic()
        self.ended: tuple[int, float] | None = None  # (end time ns, duration) once it answered


class CallTrace:
    """One traced agent call: its `invoke_agent` span and the attempt open under it."""

    def __init__(self, state: Telemetry, attributes: dict[str, Any], name: str) -> None:
        self.state = state
        self.attributes = attributes
        self.name = name
        self.span: Span | None = None
        self.context: object = None  # the OpenTelemetry Context holding `span`
        self.open: _Try | None = None

    def enter(self) -> tuple[object, Token[CallTrace | None]]:
        """Make this call's span current (and this trace findable) until `leave`.

        Starts the span on first use. Pair each with `leave` in the same frame: a stream
        enters and leaves around every step of its generator, so the context never leaks to
        the caller between two events.
        """
        context = self.context
        if context is None:
            state = self.state
            self.span = state.tracer.start_span(
                self.name, kind=state.trace.SpanKind.INTERNAL, attributes=self.attributes
            )
            context = self.context = state.trace.set_span_in_context(self.span)
        return self.state.context.attach(context), _CALL.set(self)

    def leave(self, tokens: tuple[object, Token[CallTrace | None]]) -> None:
        _CALL.reset(tokens[1])
        self.state.context.detach(tokens[0])

    @contextmanager
    def active(self) -> Iterator[None]:
        """`enter` for the block."""
        tokens = self.enter()
        try:
            yield
        finally:
            self.leave(tokens)

    def attempt(self, label: str, target: object, tries: int) -> None:
        """A try of `label` starts (its `tries`-th)."""
        self._close_open()
        state = self.state
        attributes = attempt_attributes(label, target, tries)
        name = f"chat {attributes.get('gen_ai.request.model', label)}"
        span = state.tracer.start_span(
            name, kind=state.trace.SpanKind.CLIENT, attributes=attributes
        )
        self.open = _Try(span, attributes)

    def attempt_ok(self) -> None:
        """The try answered; its span ends once `response` has its attributes."""
        opened = self.open
        if opened is not None and opened.ended is None:
            opened.ended = (time.time_ns(), time.monotonic() - opened.started)

    def attempt_failed(self, exc: BaseException, target: object) -> None:
        opened, self.open = self.open, None
        if opened is None:
            return
        duration = time.monotonic() - opened.started
        attributes = error_attributes(exc)
        opened.span.set_attributes(attributes)
        message = scrubbed_message(exc, target) if self.state.capture_content else None
        status = self.state.trace.Status(
            self.state.trace.StatusCode.ERROR, message or attributes["error.type"]
        )
        opened.span.set_status(status)
        opened.span.end()
        metric = {**opened.metric, "error.type": attributes["error.type"]}
        self.state.duration.record(duration, metric)

    def response(self, response: ModelResponse) -> None:
        """A model's answer (re-asks included): its attributes, tokens, and the span's end."""
        opened = self.open
        if opened is None:
            return
        attributes = response_attributes(response, self.state.capture_content)
        opened.span.set_attributes(attributes)
        if "gen_ai.response.model" in attributes:
            opened.metric["gen_ai.response.model"] = attributes["gen_ai.response.model"]
        usage = response.usage
        for kind, count in (("input", usage.input_tokens), ("output", usage.output_tokens)):
            if count is not None:
                self.state.tokens.record(count, {**opened.metric, "gen_ai.token.type": kind})
        if opened.ended is not None:
            self._close_open()

    def _close_open(self) -> None:
        opened, self.open = self.open, None
        if opened is None:
            return
        end_ns, duration = opened.ended or (time.time_ns(), time.monotonic() - opened.started)
        opened.span.end(end_time=end_ns)
        self.state.duration.record(duration, opened.metric)

    def event(self, name: str, model_id: str, reason: str) -> None:
        """An event on the agent span (a skipped model, a cooldown)."""
        if self.span is not None:
            self.span.add_event(name, {"modelrouter.model_id": model_id, "reason": reason})

    def finish(self, result: Any = None, exc: BaseException | None = None) -> None:
        """End the call: the result's totals, or the error's type."""
        if exc is not None and self.open is not None and self.open.ended is None:
            self.attempt_failed(exc, None)  # cancelled or interrupted mid-attempt
        self._close_open()
        span = self.span
        if span is None:
            return
        if result is not None:
            span.set_attributes(result_attributes(result))
        if exc is not None:
            error = error_attributes(exc)
            span.set_attributes(error)
            span.set_status(
                self.state.trace.Status(self.state.trace.StatusCode.ERROR, error["error.type"])
            )
        span.end()
