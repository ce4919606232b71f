"""The agent loop's state, shared by every call mode: conversation, steps, tools, output.

Pure apart from running tools: the shells in `_agent` (calls) and `_stream` (streams) drive one
`Loop` per call. Each step is one run of the fallback engine over the current conversation, so
a step that fails falls back like any call, and the next model continues the same
conversation. Tools run only after a step has answered, once per call the model made: a retry
or a fallback repeats model calls, never tools.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, cast

from modelrouter import _telemetry  # observer hook (OTEL)
from modelrouter._errors import MaxStepsError, OutputValidationError
from modelrouter._fallback_plan import EngineSettings
from modelrouter._output import OutputSchema, error_lines, reask_message
from modelrouter._parts import ReasoningPart, ToolCallPart, ToolChoice, ToolResultPart
from modelrouter._request import CallInput
from modelrouter._telemetry_wrap import traced_tool  # observer hook (OTEL)
from modelrouter._tools import FunctionTool, ToolSet
from modelrouter._types import (
    Attempt,
    ContentPart,
    GenerateResult,
    LanguageModel,
    Message,
    ModelResponse,
    Step,
    Usage,
)

__all__ = ["DEFAULT_MAX_STEPS", "DEFAULT_OUTPUT_RETRIES", "Loop", "LoopConfig", "Reask"]

DEFAULT_MAX_STEPS: Final = 10
"""Model calls one `generate`/`stream` may make (tool rounds and output re-asks included)."""
DEFAULT_OUTPUT_RETRIES: Final = 2
"""Times a model is re-asked after output that fails `output_type`, before it counts as failed."""


@dataclass(frozen=True, slots=True)
class LoopConfig:
    """What one call's loop runs with: fixed per Agent, except `output` (per call too)."""

    tools: ToolSet = field(default_factory=ToolSet)
    tool_choice: ToolChoice | None = None
    output: OutputSchema[Any] | None = None
    max_steps: int = DEFAULT_MAX_STEPS
    output_retries: int = DEFAULT_OUTPUT_RETRIES


def assistant_message(
    text: str, calls: Sequence[ToolCallPart], reasoning: Sequence[ReasoningPart] = ()
) -> Message:
    """The assistant turn for an answer: reasoning, text, tool calls, as provider-neutral parts.

    Reasoning comes first, as every protocol orders it, so a thinking block's signature goes
    back in place on the next step of a tool loop.
    """
    if not calls and not reasoning:
        return {"role": "assistant", "content": text}
    content: list[ContentPart] = list(reasoning)
    if text:
        content.append({"type": "text", "text": text})
    content.extend(calls)
    return {"role": "assistant", "content": content}


def reasoning_text(parts: Sequence[ReasoningPart]) -> str | None:
    """The reasoning blocks' text, joined by blank lines; None when there is none."""
    texts = [p["text"] for p in parts if p["text"]]
    return "\n\n".join(texts) if texts else None


def _step(response: ModelResponse, model_id: str, attempts: Sequence[Attempt]) -> Step:
    trace = _telemetry.current()  # observer hook (OTEL): the answer's attributes on its span
    if trace is not None:
        trace.response(response)
    return Step(
        model_id=model_id,
        text=response.text,
        tool_calls=tuple(response.tool_calls),
        usage=response.usage,
        finish_reason=response.finish_reason,
        attempts=tuple(attempts),
        reasoning=reasoning_text(response.reasoning),
    )


def _invalid(
    label: str, name: str, text: str, lines: list[str], reasks: int
) -> OutputValidationError:
    return OutputValidationError(
        f"{label} answered with output that does not match the output type {name} after"
        f" {reasks + 1} tries: {'; '.join(lines)}",
        text=text,
        errors=lines,
        model=label,
    )


class Reask:
    """Output validation for one attempt: re-asks the same model, then fails it.

    Created per attempt, so the messages and steps of an attempt that then failed do not leak
    into the conversation of the model that answers instead.
    """

    def __init__(self, loop: Loop, label: str) -> None:
        self.loop = loop
        self.label = label
        self.messages: list[Message] = []
        self.steps: list[Step] = []
        self.value: Any = None

    def call(self, call: CallInput) -> CallInput:
        """`call` over the conversation, plus this attempt's re-asks."""
        if not self.messages:
            return self.loop.call(call)
        return dataclasses.replace(call, messages=[*self.loop.conversation, *self.messages])

    def accept(self, response: ModelResponse) -> bool:
        """True when `response` ends this attempt; False to ask again; raises when out of tries."""
        output = self.loop.config.output
        if output is None or response.tool_calls:
            return True
        try:
            self.value = output.validate(response.text)
            return True
        except ValueError as exc:  # pydantic's ValidationError is a ValueError
            lines = error_lines(exc)
        if len(self.steps) >= self.loop.config.output_retries:
            raise _invalid(self.label, output.spec.name, response.text, lines, len(self.steps))
        self.steps.append(_step(response, self.label, ()))
        self.messages.append(assistant_message(response.text, ()))
        self.messages.append(cast(Message, reask_message(lines)))
        return False


class Loop:
    """One call's conversation and steps; decides what follows each answer."""

    def __init__(
        self,
        given: Sequence[Message],
        chat: list[Message],
        config: LoopConfig,
        settings: EngineSettings,
    ) -> None:
        self.given = given
        # Its own list: the first step's request keeps `chat` as it was, whatever follows.
        self.conversation = list(chat)
        self.config = config
        self.settings = settings
        self.new: list[Message] = []
        self.steps: list[Step] = []
        self.pending: tuple[ToolCallPart, ...] = ()
        self.output: Any = None
        self.reasks = 0
        total = settings.timeouts.total
        self.deadline = None if total is None else settings.clock() + total
        # (target, its built model, len(steps) when last used): see `reuse`.
        self.kept: tuple[object, LanguageModel, int] | None = None

    def reuse(self, target: object) -> LanguageModel | None:
        """The model built for `target` earlier in this call, if it answered since; else None.

        A model is built (resolved, its key read) at the first attempt of its entry in a call
        and kept while it answers: the later steps of a tool loop on that entry reuse it. Any
        failed attempt ends that: the next attempt (a retry, or a later step after a fallback)
        builds afresh, so a key rotated by then is read. A step answered means the last model
        used answered it, as the attempts of one call run one after another.
        """
        kept = self.kept
        steps = len(self.steps)
        if kept is None or kept[0] is not target or kept[2] == steps:
            return None
        self.kept = (target, kept[1], steps)
        return kept[1]

    def keep(self, target: object, model: LanguageModel) -> LanguageModel:
        """Remember `model`, just built for `target`, for `reuse`; returns it."""
        self.kept = (target, model, len(self.steps))
        return model

    def call(self, call: CallInput) -> CallInput:
        """`call` over the conversation as it stands (the messages of the next step)."""
        if len(self.conversation) != len(call.messages):
            call.messages = list(self.conversation)  # a snapshot: the loop appends to its own
        return call

    def step_settings(self) -> EngineSettings:
        """The engine settings for the next step: checks the step count, shares the total.

        Raises `MaxStepsError` when no step is left for the model's next call.
        """
        self.check_steps()
        if self.deadline is None:
            return self.settings
        left = self.deadline - self.settings.clock()
        timeouts = dataclasses.replace(self.settings.timeouts, total=max(left, 0.0))
        return dataclasses.replace(self.settings, timeouts=timeouts)

    def _add(self, message: Message) -> None:
        self.conversation.append(message)
        self.new.append(message)

    def check_steps(self) -> None:
        """Raise `MaxStepsError` when no step is left for the model's next call."""
        if len(self.steps) >= self.config.max_steps:
            raise MaxStepsError(
                f"The agent loop used all {self.config.max_steps} steps and the model is still"
                " calling tools; raise max_steps or check the tools' answers (in .steps)",
                steps=self.steps,
                messages=[*self.given, *self.new],
            )

    def answered(
        self, response: ModelResponse, model_id: str, attempts: Sequence[Attempt], reask: Reask
    ) -> list[ToolCallPart]:
        """Record a step's answer; the calls the loop must run now (empty: the loop is done)."""
        for index, step in enumerate(reask.steps):  # each failed answer, then its correction
            self.steps.append(step)
            self._add(reask.messages[2 * index])
            self._add(reask.messages[2 * index + 1])
        self.steps.append(_step(response, model_id, attempts))
        self._add(assistant_message(response.text, response.tool_calls, response.reasoning))
        self.output = reask.value
        calls = list(response.tool_calls)
        if calls and not self.config.tools.runnable:
            self.pending = tuple(calls)  # schema-only tools: the caller runs them
            return []
        return calls

    def streamed(
        self, response: ModelResponse, model_id: str, attempts: Sequence[Attempt]
    ) -> list[ToolCallPart] | None:
        """`answered` for a streamed step, whose text already reached the caller.

        Output that fails validation cannot fall back any more: it is re-asked as a step of
        its own (None: run another step), then raises `OutputValidationError`.
        """
        reask = Reask(self, model_id)
        output = self.config.output
        if output is not None and not response.tool_calls:
            try:
                reask.value = output.validate(response.text)
            except ValueError as exc:
                lines = error_lines(exc)
                if self.reasks >= self.config.output_retries:
                    raise _invalid(model_id, output.spec.name, response.text, lines, self.reasks)
                self.reasks += 1
                self.steps.append(_step(response, model_id, attempts))
                self._add(assistant_message(response.text, ()))
                self._add(cast(Message, reask_message(lines)))
                return None
        return self.answered(response, model_id, attempts, reask)

    def tool_results(self, results: Sequence[ToolResultPart]) -> None:
        """Attach a round's results to its step and send them back as one tool message."""
        self.steps[-1] = with_results(self.steps[-1], tuple(results))
        self._add({"role": "tool", "content": list(results)})

    def result(self) -> GenerateResult[Any]:
        last = self.steps[-1]
        config = self.config
        output = self.output if config.output is not None else last.text
        return GenerateResult(
            text=last.text,
            model_id=last.model_id,
            usage=sum_usage(self.steps),
            finish_reason=last.finish_reason,
            attempts=tuple(a for s in self.steps for a in s.attempts),
            output=output,
            steps=tuple(self.steps),
            tool_calls=self.pending,
            messages=(*self.given, *self.new),
            reasoning=last.reasoning,
        )


def with_results(step: Step, results: tuple[ToolResultPart, ...]) -> Step:
    """`step` with its tools' results: `dataclasses.replace` spelled out, as it runs at every
    tool round and costs ~3x this (tests/unit/runtime/test_hot_path.py keeps the two equal)."""
    return Step(
        model_id=step.model_id,
        text=step.text,
        tool_calls=step.tool_calls,
        tool_results=results,
        usage=step.usage,
        finish_reason=step.finish_reason,
        attempts=step.attempts,
        reasoning=step.reasoning,
    )


def sum_usage(steps: Sequence[Step]) -> Usage:
    """Tokens over every step; a count no step reported stays None."""
    if not steps:
        return Usage()
    total = steps[0].usage
    for step in steps[1:]:
        total = total + step.usage
    return total


# Tools -------------------------------------------------------------------------------------


def _result(call: ToolCallPart, content: str, error: bool = False) -> ToolResultPart:
    result: ToolResultPart = {
        "type": "tool-result",
        "call_id": call["id"],
        "name": call["name"],
        "content": content,
    }
    if error:
        result["is_error"] = True
    return result


def _encode(value: Any) -> str:
    if isinstance(value, str):
        return value
    try:
        from pydantic_core import to_json

        return to_json(value).decode()
    except Exception:  # not JSON-able: its text is the best the model can get
        return str(value)


def _prepare(
    tools: ToolSet, call: ToolCallPart
) -> tuple[FunctionTool, tuple[Any, ...], dict[str, Any]] | ToolResultPart:
    """The function and its validated arguments, or the error result to send back instead."""
    tool = tools.functions.get(call["name"])
    if tool is None:
        known = ", ".join(sorted(tools.functions))
        return _result(call, f"Unknown tool {call['name']!r}; the tools are: {known}", True)
    try:
        values = tool.arguments.model_validate_json(call["arguments"] or "{}")
    except ValueError as exc:
        lines = "; ".join(error_lines(exc))
        return _result(call, f"Invalid arguments for {call['name']}: {lines}", True)
    kwargs = {name: getattr(values, name) for name in tool.names}
    args = tuple(kwargs.pop(name) for name in tool.positional)
    return traced_tool(tool, call), args, kwargs  # observer hook (OTEL): execute_tool span


def _failed(call: ToolCallPart, exc: Exception) -> ToolResultPart:
    return _result(call, f"{call['name']} raised {type(exc).__name__}: {exc}", True)


def run_tools(tools: ToolSet, calls: Sequence[ToolCallPart]) -> list[ToolResultPart]:
    """Run each call in order (the sync path); failures become error results."""
    results: list[ToolResultPart] = []
    for call in calls:
        prepared = _prepare(tools, call)
        if isinstance(prepared, dict):
            results.append(prepared)
            continue
        tool, args, kwargs = prepared
        try:
            results.append(_result(call, _encode(tool.function(*args, **kwargs))))
        except Exception as exc:
            results.append(_failed(call, exc))
    return results


async def arun_tools(tools: ToolSet, calls: Sequence[ToolCallPart]) -> list[ToolResultPart]:
    """Run a step's calls concurrently; sync tools in threads, off the event loop."""

    async def one(call: ToolCallPart) -> ToolResultPart:
        prepared = _prepare(tools, call)
        if isinstance(prepared, dict):
            return prepared
        tool, args, kwargs = prepared
        try:
            if tool.is_async:
                value = await tool.function(*args, **kwargs)
            else:
                value = await asyncio.to_thread(tool.function, *args, **kwargs)
        except Exception as exc:
            return _failed(call, exc)
        return _result(call, _encode(value))

    if len(calls) == 1:
        return [await one(calls[0])]
    return list(await asyncio.gather(*(one(call) for call in calls)))
