"""Fault paths end to end: stream faults, timeouts, refused connections, fallback isolation."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import cast

import pytest

from modelrouter._errors import (
    FallbackExhaustedError,
    InvalidModelIdError,
    MidStreamError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeoutError,
    StreamError,
    UnknownProviderError,
    ConfigurationError,
)
from modelrouter._types import (
    ModelConfig,
    ModelRequest,
    ModelResponse,
    RuntimeContext,
    StreamFinish,
    StreamPart,
    TextDelta,
)
from tests.fakes.providers import FakeProvider, Script
from tests.integration.runtime.conftest import Case, Sleeps, make_agent, run

STREAM_MODES = ["stream", "astream"]


@pytest.fixture(params=STREAM_MODES)
def stream_mode(request: pytest.FixtureRequest) -> str:
    result: str = request.param
    return result


def _config(fake: FakeProvider, case: Case, **extra: object) -> ModelConfig:
    config: dict[str, object] = {
        "id": case.model_id,
        "url": fake.base_url(case.wire),
        "api_key": case.key_value,
    }
    config.update(extra)
    return config  # type: ignore[return-value]


def test_sse_error_event_in_a_200_is_a_stream_error(
    routed: Case, fake: FakeProvider, stream_mode: str
) -> None:
    fake.push(Script(error_event=True))
    with pytest.raises(StreamError, match="error event"):
        run(make_agent(routed.model_id, max_retries=0), stream_mode)


def test_stream_ending_before_content_is_a_stream_error(
    routed: Case, fake: FakeProvider, stream_mode: str
) -> None:
    fake.push(Script(end_before_content=True))
    with pytest.raises(StreamError):
        run(make_agent(routed.model_id, max_retries=0), stream_mode)


def test_stream_cut_after_content_is_mid_stream(
    routed: Case, fake: FakeProvider, stream_mode: str
) -> None:
    # Anthropic's first event carries no text, so cut one event later there.
    cut = 3 if routed.wire == "anthropic" else 2
    fake.push(Script(text="one two three four", cut_after=cut))
    with pytest.raises(MidStreamError) as caught:
        run(make_agent(routed.model_id, max_retries=2), stream_mode)
    assert caught.value.partial_text == "one two "
    assert caught.value.model_id == routed.model_id
    assert len(fake.requests) == 1  # never switched or retried mid-answer


def test_truncated_stream_without_finish_is_mid_stream(
    routed: Case, fake: FakeProvider, stream_mode: str
) -> None:
    fake.push(Script(text="half an answer", no_finish=True))
    with pytest.raises(MidStreamError) as caught:
        run(make_agent(routed.model_id), stream_mode)
    assert caught.value.partial_text == "half an answer"
    assert isinstance(caught.value.cause, StreamError)


def test_stream_cut_before_content_falls_back(
    routed: Case, fake: FakeProvider, stream_mode: str, sleeps: Sleeps
) -> None:
    fake.push(Script(cut_after=0))
    agent = make_agent(
        [{"model": routed.model_id, "max_retries": 0}, {"model": routed.model_id}], sleeps
    )
    result = run(agent, stream_mode)
    assert result.text == Script().text
    assert result.attempts[0].error_type in {"ProviderConnectionError", "StreamError"}
    assert sleeps.calls == []


def test_slow_answer_is_a_timeout(routed: Case, fake: FakeProvider, mode: str) -> None:
    fake.push(Script(delay=1.0))
    with pytest.raises(ProviderTimeoutError):
        run(make_agent(routed.model_id, timeout=0.1, max_retries=0), mode)


def test_refused_connection_is_a_connection_error(case: Case, mode: str) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    config = cast(ModelConfig, {"id": case.model_id, "url": url, "api_key": "k"})
    with pytest.raises(ProviderConnectionError):
        run(make_agent(config, max_retries=0), mode)


def test_fallback_never_leaks_keys_or_headers(fake: FakeProvider, mode: str) -> None:
    from tests.integration.runtime.conftest import CASES

    first, second = CASES[0], CASES[1]
    fake.push(Script(status=401))
    agent = make_agent(
        [
            {
                "model": _config(fake, first, headers={"x-first": "only-first"}),
                "headers": {"x-e1": "1"},
            },
            {"model": _config(fake, second, headers={"x-second": "only-second"})},
        ]
    )
    result = run(agent, mode)
    assert result.model_id == second.model_id
    assert [a.error_type for a in result.attempts] == ["AuthenticationError", None]
    one, two = fake.requests
    assert one.headers["x-first"] == "only-first" and one.headers["x-e1"] == "1"
    assert "x-second" not in one.headers
    assert "x-first" not in two.headers and "x-e1" not in two.headers
    assert first.key_value not in str(two.headers) and second.key_value not in str(one.headers)
    assert two.headers["x-api-key"] == second.key_value


def test_missing_key_on_first_entry_falls_back(
    fake: FakeProvider, mode: str, monkeypatch: pytest.MonkeyPatch, sleeps: Sleeps
) -> None:
    from tests.integration.runtime.conftest import CASES

    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url("openai-chat"))
    agent = make_agent([{"model": "openai/gpt-4o"}, {"model": _config(fake, CASES[2])}], sleeps)
    result = run(agent, mode)
    assert result.model_id == CASES[2].model_id
    assert result.attempts[0].error_type == "MissingApiKeyError"
    assert len(fake.requests) == 1 and sleeps.calls == []


def test_all_entries_failing_is_exhausted(fake: FakeProvider, mode: str) -> None:
    from tests.integration.runtime.conftest import CASES

    fake.push(Script(status=403), Script(status=404))
    agent = make_agent([{"model": _config(fake, c)} for c in CASES[:2]])
    with pytest.raises(FallbackExhaustedError) as caught:
        run(agent, mode)
    assert [type(e).__name__ for e in caught.value.exceptions] == [
        "AuthenticationError",
        "NotFoundError",
    ]


def test_config_url_needs_no_key_and_unknown_provider_is_fine(
    fake: FakeProvider, mode: str
) -> None:
    config = cast(ModelConfig, {"id": "local/llama3:8b@q4", "url": fake.base_url("openai-chat")})
    result = run(make_agent(config), mode)
    assert result.model_id == "local/llama3:8b@q4"
    (request,) = fake.requests
    assert "authorization" not in request.headers
    assert request.json()["model"] == "llama3:8b@q4"


def test_callable_selector_reads_runtime_context(
    routed: Case, fake: FakeProvider, mode: str
) -> None:
    provider, model = routed.model_id.split("/", 1)
    agent = make_agent(lambda ctx: f"{ctx['provider-id']}/{ctx['model-id']}")
    context = RuntimeContext({"provider-id": provider, "model-id": model})
    result = run(agent, mode, runtime_context=context)
    assert result.model_id == routed.model_id
    assert len(fake.requests) == 1


class EchoModel:
    """A hand-written LanguageModel: the router must accept it anywhere an id goes."""

    def __init__(self) -> None:
        self.requests: list[ModelRequest] = []

    @property
    def model_id(self) -> str:
        return "custom/echo"

    def generate(self, request: ModelRequest) -> ModelResponse:
        self.requests.append(request)
        content = request.messages[-1]["content"]
        assert isinstance(content, str)
        return ModelResponse(text=content.upper())

    async def agenerate(self, request: ModelRequest) -> ModelResponse:
        return self.generate(request)

    def stream(self, request: ModelRequest) -> Iterator[StreamPart]:
        yield TextDelta(self.generate(request).text)
        yield StreamFinish()

    async def astream(self, request: ModelRequest):  # type: ignore[no-untyped-def]
        yield TextDelta(self.generate(request).text)
        yield StreamFinish()


def test_language_model_object_with_its_options(mode: str) -> None:
    echo = EchoModel()
    agent = make_agent(echo, provider_options={"custom": {"a": 1}, "openai": {"b": 2}})
    result = run(agent, mode, "shout")
    assert (result.text, result.model_id) == ("SHOUT", "custom/echo")
    assert dict(echo.requests[0].provider_options) == {"a": 1}
    assert echo.requests[0].system == "Be brief."


def test_unknown_provider_suggests(mode: str) -> None:
    with pytest.raises(UnknownProviderError) as caught:
        run(make_agent("no-such-provider-zz/model"), mode)
    assert caught.value.provider == "no-such-provider-zz"


@pytest.mark.parametrize("bad", ["gpt-4o", "/gpt-4o", "openai/", ""])
def test_malformed_ids_fail_at_construction(bad: str) -> None:
    with pytest.raises(InvalidModelIdError):
        make_agent(bad)


def test_empty_or_disabled_fallback_lists_fail_at_construction() -> None:
    with pytest.raises(ConfigurationError):
        make_agent([])
    with pytest.raises(ConfigurationError):
        make_agent([{"model": "openai/gpt-4o", "enabled": False}])


def test_result_before_stream_end_is_a_programming_error(routed: Case, fake: FakeProvider) -> None:
    with make_agent(routed.model_id) as agent, agent.stream("hi") as stream:
        with pytest.raises(RuntimeError):
            _ = stream.result
        assert next(stream)


def test_provider_error_is_base_of_mapped_errors() -> None:
    assert issubclass(ProviderTimeoutError, ProviderError)
