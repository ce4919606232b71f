"""`OpenCall`: a tool call a stream has started and not yet ended, shared by the parsers."""

from __future__ import annotations

from modelrouter._parts import ToolCallEnd, ToolCallPart

__all__ = ["OpenCall"]


class OpenCall:
    """A started tool call: its id and name, and the argument fragments so far.

    `index` is our number for the call (from 0 in each answer), for a parser that keys its
    open calls by something else (a content block, an output item); one keyed by our index
    already may leave it out.
    """

    __slots__ = ("id", "name", "index", "chunks")

    def __init__(self, id: str, name: str, index: int = 0) -> None:
        self.id = id
        self.name = name
        self.index = index
        self.chunks: list[str] = []

    def end(self) -> ToolCallEnd:
        """The call, whole: its fragments joined into its arguments."""
        call: ToolCallPart = {
            "type": "tool-call",
            "id": self.id,
            "name": self.name,
            "arguments": "".join(self.chunks),
        }
        return ToolCallEnd(self.index, call)
