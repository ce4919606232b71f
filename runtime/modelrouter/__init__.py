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
from modelrouter._backoff import Decision, FallbackOn, RetryPolicy
from modelrouter._errors import (
    AuthenticationError,
    ConfigurationError,
    FallbackExhaustedError,
    GatewayError,
    InvalidModelIdError,
    MidStreamError,
    MissingApiKeyError,
    MissingUrlVariableError,
    ModelRouterError,
    NotFoundError,
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
from modelrouter._fallback_plan import Timeouts
from modelrouter._ids import custom_model
from modelrouter._stream import AsyncTextStream, TextStream
from modelrouter._types import (
    Attempt,
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
    ProviderOptions,
    RuntimeContext,
    StreamFinish,
    StreamPart,
    SystemInstructions,
    TextDelta,
    Usage,
    WireFormat,
)
from modelrouter._version import __version__
from modelrouter.gateways.base import ModelGateway, ModelInfo, ProviderConfig
from modelrouter.gateways.registry import register_gateway, unregister_gateway

__all__ = [
    "Agent",
    "AsyncTextStream",
    "Attempt",
    "AuthenticationError",
    "ConfigurationError",
    "Decision",
    "FallbackEntry",
    "FallbackExhaustedError",
    "FallbackOn",
    "FinishReason",
    "GatewayError",
    "GenerateResult",
    "InvalidModelIdError",
    "LanguageModel",
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
    "ProviderConfig",
    "ProviderConnectionError",
    "ProviderError",
    "ProviderOptions",
    "ProviderTimeoutError",
    "RateLimitError",
    "ResponseTooLargeError",
    "RetryPolicy",
    "RuntimeContext",
    "ServerError",
    "StreamError",
    "StreamFinish",
    "StreamPart",
    "SystemInstructions",
    "TextDelta",
    "TextStream",
    "Timeouts",
    "UnknownProviderError",
    "UnsupportedProviderError",
    "Usage",
    "WireFormat",
    "__version__",
    "custom_model",
    "register_gateway",
    "unregister_gateway",
]
