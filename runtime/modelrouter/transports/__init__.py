"""Wire protocols, one module each, picked by `WireFormat` through one table."""

from __future__ import annotations

from typing import Final

from modelrouter._types import WireFormat
from modelrouter.transports import anthropic, gemini, openai_chat, openai_responses
from modelrouter.transports.base import Endpoint, StreamParser, Transport

__all__ = ["TRANSPORTS", "Endpoint", "StreamParser", "Transport"]

TRANSPORTS: Final[dict[WireFormat, Transport]] = {
    "anthropic": anthropic,
    "gemini": gemini,
    "openai-chat": openai_chat,
    "openai-responses": openai_responses,
}
