"""modelrouter: one typed API over every LLM provider, addressed by "provider/model" strings.

```python
from modelrouter import Agent

agent = Agent(name="helper", instructions="Be brief.", model="openai/gpt-5")
print(agent.generate("Hello").text)
```

This module only re-exports; see the README for the full tour.
"""

from __future__ import annotations

from modelrouter._agent import Agent
from modelrouter._custom import BaseLanguageModel
from modelrouter._backoff import Decision, FallbackOn, RetryPolicy
from modelrouter._errors import (
    AuthenticationError,
    ConfigurationError,
    FallbackExhaustedError,
    GatewayError,
    InvalidModelIdError,
    MaxStepsError,
    MidStreamError,
    MissingApiKeyError,
    MissingUrlVariableError,
    ModelRouterError,
    NotFoundError,
    OutputValidationError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeoutError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
    StreamError,
    UnknownProviderError,
    UnsupportedProviderError,
)
from modelrouter._events import StepEnd, StepStart, StreamEvent, ToolResult
from modelrouter._fallback_plan import Timeouts
from modelrouter._ids import custom_model
from modelrouter._stream import AsyncTextStream, TextStream
from modelrouter._tools import Tool
from modelrouter._types import (
    Attempt,
    ContentPart,
    FallbackEntry,
    FinishReason,
    GenerateResult,
    LanguageModel,
    Message,
    ModelConfig,
    ModelId,
    ModelRequest,
    ModelResponse,
    ModelSpec,
    OutputSpec,
    ProviderOptions,
    RuntimeContext,
    Step,
    StreamFinish,
    StreamPart,
    SystemInstructions,
    TextDelta,
    TextPart,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
    Usage,
    WireFormat,
)
from modelrouter._version import __version__
from modelrouter.gateways.base import ModelGateway, ModelInfo, ProviderConfig
from modelrouter.gateways.registry import register_gateway, unregister_gateway
from modelrouter._telemetry import instrument, uninstrument

# Input media, reasoning, usage and cost (issue 12).
from modelrouter._cost import cost_of
from modelrouter._errors import UnsupportedModalityError
from modelrouter._media import audio, file, image
from modelrouter._parts import (
    AudioPart,
    FilePart,
    ImagePart,
    ReasoningDelta,
    ReasoningEnd,
    ReasoningPart,
)

# Embeddings (issue 12): `_embed` imports its wire modules and httpx on first call only.
from modelrouter._embed import EmbedModel, EmbedResult, aembed, embed
from modelrouter._embedding_id import EmbeddingModelId
from modelrouter._ids import custom_embedding_model

__all__ = [
    "Agent",
    "AsyncTextStream",
    "Attempt",
    "AudioPart",
    "AuthenticationError",
    "BaseLanguageModel",
    "ConfigurationError",
    "ContentPart",
    "Decision",
    "EmbedModel",
    "EmbedResult",
    "EmbeddingModelId",
    "FallbackEntry",
    "FallbackExhaustedError",
    "FallbackOn",
    "FilePart",
    "FinishReason",
    "GatewayError",
    "GenerateResult",
    "ImagePart",
    "InvalidModelIdError",
    "LanguageModel",
    "MaxStepsError",
    "Message",
    "MidStreamError",
    "MissingApiKeyError",
    "MissingUrlVariableError",
    "ModelConfig",
    "ModelGateway",
    "ModelId",
    "ModelInfo",
    "ModelRequest",
    "ModelResponse",
    "ModelRouterError",
    "ModelSpec",
    "NotFoundError",
    "OutputSpec",
    "OutputValidationError",
    "ProviderConfig",
    "ProviderConnectionError",
    "ProviderError",
    "ProviderOptions",
    "ProviderTimeoutError",
    "RateLimitError",
    "ReasoningDelta",
    "ReasoningEnd",
    "ReasoningPart",
    "ResponseTooLargeError",
    "RetryPolicy",
    "RuntimeContext",
    "ServerError",
    "Step",
    "StepEnd",
    "StepStart",
    "StreamError",
    "StreamEvent",
    "StreamFinish",
    "StreamPart",
    "SystemInstructions",
    "TextDelta",
    "TextPart",
    "TextStream",
    "Timeouts",
    "Tool",
    "ToolCallDelta",
    "ToolCallEnd",
    "ToolCallPart",
    "ToolCallStart",
    "ToolChoice",
    "ToolResult",
    "ToolResultPart",
    "ToolSpec",
    "UnknownProviderError",
    "UnsupportedModalityError",
    "UnsupportedProviderError",
    "Usage",
    "WireFormat",
    "__version__",
    "aembed",
    "audio",
    "cost_of",
    "custom_embedding_model",
    "custom_model",
    "embed",
    "file",
    "image",
    "instrument",
    "register_gateway",
    "uninstrument",
    "unregister_gateway",
]
