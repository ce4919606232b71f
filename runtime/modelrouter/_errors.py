"""Every error modelrouter raises, in one tree.

```
ModelRouterError
├── ConfigurationError                  bad input caught before any network call
│   ├── InvalidModelIdError             not "provider/model", empty, or the wrong type
│   ├── UnknownProviderError            no gateway or catalogue entry ("did you mean ...")
│   ├── MissingApiKeyError              names every accepted variable and the model id
│   │   └── MissingUrlVariableError     a `${VAR}` in a provider's URL template is not set
│   ├── UnsupportedProviderError        the provider speaks a wire protocol we do not implement
│   └── UnsupportedModalityError        the catalogue says the model cannot take an image/PDF/audio
├── ProviderError                       the provider answered with an error (status, body excerpt)
│   ├── AuthenticationError             401 / 403
│   ├── NotFoundError                   404, e.g. an unknown model ("did you mean ...")
│   ├── RateLimitError                  429
│   ├── ServerError                     5xx
│   ├── ProviderTimeoutError            no answer in time (connect, read, first chunk)
│   ├── ProviderConnectionError         could not connect, or the connection broke
│   ├── ResponseTooLargeError           a body, SSE line or event past its size cap
│   ├── StreamError                     an error event, or a stream cut before any content
│   └── OutputValidationError           the answer failed `output_type` after every re-ask
├── MidStreamError                      failed after content was delivered; holds the partial text
├── MaxStepsError                       the agent loop ran out of steps (.steps, .messages)
├── FallbackExhaustedError              every model failed (also an ExceptionGroup)
└── GatewayError                        a gateway listing could not be fetched or validated
```

A redirect (3xx) is never followed, on any client: it is a `ProviderError` with its real
status (moves on to the next model, no retry). A body past its cap is `ResponseTooLargeError`
(moves on too: the same model would send the same body).

Messages say what to do next. Secrets never appear in a message, a repr, a traceback or a
log: every text taken from a provider is scrubbed of every secret the request carried, raw
or encoded (`_redact.Secrets`), then passes through `redact()`; no error keeps a `__cause__`
or `__context__` that holds a secret (httpx's errors hold the request, decode errors the
text: ours are raised without them, naming the original's type).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from ._types import Attempt

__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "FallbackExhaustedError",
    "GatewayError",
    "InvalidModelIdError",
    "MaxStepsError",
    "MidStreamError",
    "MissingApiKeyError",
    "MissingUrlVariableError",
    "ModelRouterError",
    "NotFoundError",
    "OutputValidationError",
    "ProviderConnectionError",
    "ProviderError",
    "ProviderTimeoutError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ServerError",
    "StreamError",
    "UnknownProviderError",
    "UnsupportedModalityError",
    "UnsupportedProviderError",
    "redact",
]

_BODY_EXCERPT_CHARS: Final = 500

# Shapes of credentials that providers echo back in error bodies ("Incorrect API key provided:
# sk-abc..."), plus anything after a bearer/key marker.
_SECRET_PATTERNS: Final = (
    re.compile(r"(?i)\b(sk|pk|rk|ak|key|xai|gsk|AIza)[-_A-Za-z0-9]{12,}"),
    re.compile(r"(?i)(bearer\s+)[^\s\"',]+"),
    re.compile(
        r"(?i)((?:api[-_]?key|x-api-key|x-goog-api-key|authorization)[\"']?\s*[:=]\s*[\"']?)[^\s\"',}]+"
    ),
)


def redact(text: str, secrets: Sequence[str] = ()) -> str:
    """Return `text` with the given secrets and anything shaped like a credential masked."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.lastindex else "") + "***", text)
    return text


class ModelRouterError(Exception):
    """Root of every error modelrouter raises."""


class ConfigurationError(ModelRouterError):
    """Bad input or configuration, detected before any network call."""


class InvalidModelIdError(ConfigurationError, ValueError):
    """A model id that is not `provider/model` (or `gateway/provider/model`)."""


class UnknownProviderError(ConfigurationError, LookupError):
    """No gateway or catalogue provider matches the id."""

    def __init__(self, provider: str, model_id: str, suggestions: Sequence[str] = ()) -> None:
        self.provider = provider
        self.model_id = model_id
        self.suggestions = tuple(suggestions)
        hint = (
            f" Did you mean {', '.join(repr(s) for s in self.suggestions)}?" if suggestions else ""
        )
        super().__init__(
            f"Unknown provider {provider!r} in model id {model_id!r}.{hint}"
            " Run `modelrouter list` to see every provider, or pass a config dict with 'url'."
        )


class MissingApiKeyError(ConfigurationError):
    """No API key for the provider: names every variable that would have worked."""

    def __init__(self, model_id: str, env_vars: Sequence[str], *, what: str = "API key") -> None:
        self.model_id = model_id
        self.env_vars = tuple(env_vars)
        if env_vars:
            from modelrouter._auth import shell_alias

            # A name no shell can export (`302AI_API_KEY`) is shown with the alias we also read.
            shown = [
                f"{name} (in a shell: {alias})" if (alias := shell_alias(name)) else name
                for name in env_vars
            ]
            message = f"Set {' or '.join(shown)} to use {model_id} (or pass api_key=...)"
        else:
            message = f"No {what} known for {model_id}: pass api_key=... in the model config"
        super().__init__(message)


class MissingUrlVariableError(MissingApiKeyError):
    """A `${VAR}` in a provider's URL template is not set."""

    def __init__(self, model_id: str, variable: str) -> None:
        super().__init__(model_id, (variable,), what="URL variable")
        self.args = (
            f"Set {variable} to use {model_id}: its base URL needs it"
            " (or pass url=... in a model config)",
        )


class UnsupportedProviderError(ConfigurationError):
    """The provider's wire protocol is not one modelrouter implements."""


class ProviderError(ModelRouterError):
    """The provider answered with an error, or could not be reached.

    Attributes:
        status: HTTP status, or None when there was no HTTP answer.
        provider: provider id, e.g. "openai".
        model: the model id that was asked for.
        body: an excerpt of the response body with secrets redacted.
        retry_after: seconds the provider asked us to wait, if it said.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        provider: str = "",
        model: str = "",
        body: str = "",
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.provider = provider
        self.model = model
        self.body = redact(body)[:_BODY_EXCERPT_CHARS]
        self.retry_after = retry_after
        super().__init__(redact(message))


class AuthenticationError(ProviderError):
    """401 or 403: the key is wrong, expired, or lacks access to the model."""


class NotFoundError(ProviderError):
    """404: usually an unknown model id."""


class RateLimitError(ProviderError):
    """429: slow down; `retry_after` says for how long when the provider told us."""


class ServerError(ProviderError):
    """5xx from the provider."""


class ProviderTimeoutError(ProviderError):
    """No answer in time: connect, read, or time to first chunk."""


class ProviderConnectionError(ProviderError):
    """The connection could not be made, or it broke."""


class ResponseTooLargeError(ProviderError):
    """A body (decompressed), an SSE line or an SSE event passed its size cap while read.

    The caps are in `modelrouter._body` (documented in the README); reading stops at the cap,
    so memory stays bounded whatever the provider (or a proxy, or a gzip bomb) sends.
    """


class StreamError(ProviderError):
    """A stream carried an error event, or ended before delivering any content."""


class MidStreamError(ModelRouterError):
    """A stream failed after content was delivered.

    modelrouter never switches models in the middle of an answer: the text so far is in
    `partial_text`, and `model_id` says which model produced it.
    """

    def __init__(self, model_id: str, partial_text: str, cause: BaseException) -> None:
        self.model_id = model_id
        self.partial_text = partial_text
        self.cause = cause
        super().__init__(
            f"{model_id} failed after {len(partial_text)} characters of output: {cause}"
        )


class FallbackExhaustedError(ModelRouterError, ExceptionGroup[ModelRouterError]):
    """Every model in a fallback list failed; the group holds each final error in order.

    Attributes:
        attempts: every attempt made, in order (`modelrouter.Attempt`: model id, error type,
            error, duration), retries included.
    """

    attempts: tuple[Attempt, ...]

    def __new__(
        cls,
        message: str,
        errors: Sequence[ModelRouterError],
        *,
        attempts: Sequence[Attempt] = (),
    ) -> FallbackExhaustedError:
        self = super().__new__(cls, message, list(errors))
        self.attempts = tuple(attempts)
        return self

    def __init__(
        self,
        message: str,
        errors: Sequence[ModelRouterError],
        *,
        attempts: Sequence[Attempt] = (),
    ) -> None:
        # BaseException.__init__ refuses keyword arguments, so only the positional pair goes up.
        super().__init__(message, list(errors))

    def __str__(self) -> str:
        # The message already lists every model; ExceptionGroup's " (N sub-exceptions)" suffix
        # would trail the last line of that list.
        return self.message

    def derive(self, excs: Sequence[ModelRouterError]) -> FallbackExhaustedError:  # type: ignore[override]
        return FallbackExhaustedError(self.message, excs, attempts=self.attempts)


class GatewayError(ModelRouterError):
    """A gateway listing could not be fetched or did not validate."""

    def __init__(self, gateway: str, message: str) -> None:
        self.gateway = gateway
        super().__init__(f"gateway {gateway!r}: {message}")


class OutputValidationError(ProviderError):
    """A model's answer did not validate against `output_type`, re-asks included.

    Raised inside the fallback engine, so the next model of a fallback list is tried; a
    single model raises it unchanged.

    Attributes:
        text: the last answer's text.
        errors: the validation errors of that answer, one line each.
    """

    def __init__(
        self, message: str, *, text: str, errors: Sequence[str], provider: str = "", model: str = ""
    ) -> None:
        self.text = text
        self.errors = tuple(errors)
        super().__init__(message, provider=provider, model=model, body=text)


class MaxStepsError(ModelRouterError):
    """The agent loop reached `max_steps` with the model still calling tools.

    Attributes:
        steps: every step made (`modelrouter.Step`), tool calls and results included.
        messages: the conversation so far, to continue from.
    """

    def __init__(self, message: str, *, steps: Sequence[Any], messages: Sequence[Any]) -> None:
        self.steps = tuple(steps)
        self.messages = tuple(messages)
        super().__init__(message)


class UnsupportedModalityError(ConfigurationError):
    """The model cannot take an input part (an image, a PDF, audio), per the catalogue.

    Raised before any request is sent. In a fallback list the model is skipped (the error is
    in `result.attempts`) and the next one tried; a model alone raises it.

    Attributes:
        model: the model id.
        modality: what it cannot take ("image", "pdf", "audio", "file").
        supported: the input modalities the catalogue lists for it.
    """

    def __init__(self, model: str, modality: str, supported: Sequence[str] = ()) -> None:
        self.model = model
        self.modality = modality
        self.supported = tuple(supported)
        takes = ", ".join(self.supported) or "nothing listed"
        super().__init__(
            f"{model} cannot take {modality} input (the catalogue lists: {takes});"
            " pick a model that does, or put one after it in a fallback list"
        )
