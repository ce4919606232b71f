"""The typed events of a stream's `events()` view, and the collector that rebuilds a step.

Text, reasoning and tool-call events are the transport's own parts, passed through unchanged
(`TextDelta`, `ReasoningDelta`, `ReasoningEnd`, `ToolCallStart`, `ToolCallDelta`,
`ToolCallEnd`); the loop adds step boundaries and tool results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

from modelrouter._parts import (
    ReasoningDelta,
    ReasoningEnd,
    ReasoningPart,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
)
from modelrouter._types import (
    ModelResponse,
    Step,
    StreamFinish,
    StreamPart,
    TextDelta,
    ToolResultPart,
    Usage,
)

__all__ = ["StepEnd", "StepStart", "StreamEvent", "ToolResult", "StepCollector"]


@dataclass(frozen=True, slots=True)
class StepStart:
    """A model call begins (`index` counts from 0 within the call)."""

    index: int


@dataclass(frozen=True, slots=True)
class ToolResult:
    """A tool ran (or failed: `result.get("is_error")`); its result goes back to the model."""

    result: ToolResultPart


@dataclass(frozen=True, slots=True)
class StepEnd:
    """A model call ended: its text, tool calls (and, once run, results), usage, model."""

    step: Step


StreamEvent: TypeAlias = (
    TextDelta
    | ReasoningDelta
    | ReasoningEnd
    | ToolCallStart
    | ToolCallDelta
    | ToolCallEnd
    | ToolResult
    | StepStart
    | StepEnd
)
"""What `stream.events()` yields."""


class StepCollector:
    """Rebuilds one streamed step's answer from its parts."""

    __slots__ = ("chunks", "calls", "finish", "reasoning")

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.calls: list[ToolCallPart] = []
        self.finish: StreamFinish | None = None
        self.reasoning: list[ReasoningPart] = []

    def take(self, part: StreamPart) -> None:
        if isinstance(part, ToolCallEnd):
            self.calls.append(part.call)
        elif isinstance(part, ReasoningEnd):
            self.reasoning.append(part.part)
        elif isinstance(part, StreamFinish):
            self.finish = part
        elif isinstance(part, TextDelta):  # a subclass: the hot path checks the exact type
            self.chunks.append(part.text)

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    @property
    def usage(self) -> Usage | None:
        """The step's usage, once its stream has said (None: it never did)."""
        return None if self.finish is None else self.finish.usage

    def response(self) -> ModelResponse:
        finish = self.finish or StreamFinish()
        return ModelResponse(
            text=self.text,
            usage=finish.usage,
            finish_reason=finish.finish_reason,
            tool_calls=self.calls,
            reasoning=self.reasoning,
        )
