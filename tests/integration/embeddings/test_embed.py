"""`embed` / `aembed` against real servers: llmock, and a fake speaking OpenAI and Gemini."""

from __future__ import annotations

from typing import Any, cast

import pytest
from llmock.testing import LLMockServer

from modelrouter import (
    AuthenticationError,
    ConfigurationError,
    FallbackExhaustedError,
    ProviderError,
    ProviderTimeoutError,
    ServerError,
)
from modelrouter._types import ModelConfig
from tests.integration.embeddings.conftest import KEY, EmbedServer, call, vector
from tests.support.server import Reply, Request


def test_openai_embeddings_on_llmock(llmock: LLMockServer, mode: str) -> None:
    model = cast(
        ModelConfig,
        {"id": "openai/text-embedding-3-small", "url": llmock.base_url("openai"), "api_key": "k"},
    )
    result = call(mode, model, ["hello world", "bonjour", "hello world"])
    assert len(result.vectors) == 3 and all(len(v) == 1536 for v in result.vectors)
    assert result.vectors[0] == result.vectors[2] != result.vectors[1]  # one vector per text
    assert result.model_id == "openai/text-embedding-3-small"
    tokens = result.usage.input_tokens
    assert tokens is not None and tokens > 0
    # The catalogue's price for text-embedding-3-small: $0.02 per million input tokens.
    assert result.cost == pytest.approx(tokens * 0.02 / 1_000_000)
    assert [a.error_type for a in result.attempts] == [None]


def test_openai_body_and_order(fake: EmbedServer, mode: str) -> None:
    texts = ["one", "two words", "three more words"]
    result = call(
        mode,
        fake.config("openai/text-embedding-3-small"),
        texts,
        dimensions=4,
        provider_options={"openai": {"user": "u1"}, "google": {"task_type": "X"}},
        headers={"x-trace": "t"},
    )
    assert result.vectors == [vector(t) for t in texts]  # put back in input order
    assert result.usage.input_tokens == 6
    (sent,) = fake.requests
    assert sent.path == "/openai/v1/embeddings"
    assert sent.headers["authorization"] == f"Bearer {KEY}" and sent.headers["x-trace"] == "t"
    assert sent.json() == {
        "model": "text-embedding-3-small",
        "input": texts,
        "encoding_format": "float",
        "dimensions": 4,
        "user": "u1",  # only the answering provider's options
    }


def test_gemini_batch_embed_contents(fake: EmbedServer, mode: str) -> None:
    texts = [f"text {i}" for i in range(250)]
    result = call(
        mode,
        fake.config("google/gemini-embedding-001"),
        texts,
        dimensions=4,
        provider_options={"google": {"task_type": "RETRIEVAL_DOCUMENT"}},
    )
    assert result.vectors == [vector(t) for t in texts]
    # Gemini's limit is 100 requests per batch: 250 texts take three requests, in order.
    sizes = [len(r.json()["requests"]) for r in fake.requests]
    assert sizes == [100, 100, 50]
    first = fake.requests[0]
    assert first.path == "/gemini/v1beta/models/gemini-embedding-001:batchEmbedContents"
    assert first.headers["x-goog-api-key"] == KEY and "authorization" not in first.headers
    assert first.json()["requests"][0] == {
        "model": "models/gemini-embedding-001",
        "content": {"parts": [{"text": "text 0"}]},
        "taskType": "RETRIEVAL_DOCUMENT",
        "outputDimensionality": 4,
    }
    assert result.usage.input_tokens is None and result.cost is None  # Gemini reports none


def test_batch_size_splits_and_usage_adds_up(fake: EmbedServer, mode: str) -> None:
    texts = [f"a b {i}" for i in range(7)]
    result = call(mode, fake.config("openai/text-embedding-3-small"), texts, batch_size=3)
    assert [len(r.json()["input"]) for r in fake.requests] == [3, 3, 1]
    assert result.vectors == [vector(t) for t in texts]
    assert result.usage.input_tokens == 21


def test_batch_size_is_capped_at_the_provider_limit(fake: EmbedServer) -> None:
    call("embed", fake.config("google/gemini-embedding-001"), ["x"] * 150, batch_size=1000)
    assert [len(r.json()["requests"]) for r in fake.requests] == [100, 50]


def _fail_path(part: str, status: int = 503) -> Any:
    def fail(request: Request, n: int) -> Reply | None:
        if part in request.path:
            return Reply.json({"error": {"message": "down"}}, status=status)
        return None

    return fail


def test_fallback_to_another_protocol(fake: EmbedServer, mode: str) -> None:
    fake.fail = _fail_path("batchEmbedContents")
    models = [
        fake.config("google/gemini-embedding-001"),
        fake.config("openai/text-embedding-3-small"),
    ]
    result = call(mode, models, ["hi"], max_retries=0)
    assert result.model_id == "openai/text-embedding-3-small"
    assert [(a.model_id, a.error_type) for a in result.attempts] == [
        ("google/gemini-embedding-001", "ServerError"),
        ("openai/text-embedding-3-small", None),
    ]


def test_a_failed_batch_makes_the_next_model_embed_everything(fake: EmbedServer, mode: str) -> None:
    # Vectors of two models are not comparable: never mix batches of both.
    fake.fail = lambda request, n: (
        Reply.json({"error": {"message": "bad"}}, status=400) if n == 2 else None
    )
    models = [
        fake.config("openai/text-embedding-3-small"),
        fake.config("google/gemini-embedding-001"),
    ]
    texts = ["a", "b", "c", "d"]
    result = call(mode, models, texts, batch_size=2)
    assert result.model_id == "google/gemini-embedding-001"
    assert [r.path.rsplit("/", 1)[-1] for r in fake.requests] == [
        "embeddings",
        "embeddings",
        "gemini-embedding-001:batchEmbedContents",
        "gemini-embedding-001:batchEmbedContents",
    ]
    assert result.vectors == [vector(t) for t in texts]


def test_a_retryable_error_is_retried(fake: EmbedServer, mode: str) -> None:
    fake.fail = lambda request, n: Reply.json({}, status=503) if n == 1 else None
    result = call(mode, fake.config("openai/text-embedding-3-small"), ["x"], max_retries=1)
    assert [a.error_type for a in result.attempts] == ["ServerError", None]


def test_every_model_failing_lists_them_all(fake: EmbedServer, mode: str) -> None:
    fake.fail = _fail_path("/", 401)
    models = [
        fake.config("openai/text-embedding-3-small"),
        fake.config("google/gemini-embedding-001"),
    ]
    with pytest.raises(FallbackExhaustedError) as caught:
        call(mode, models, ["x"])
    assert [type(e) for e in caught.value.exceptions] == [AuthenticationError] * 2
    assert "All 2 embedding models failed" in str(caught.value)
    assert len(caught.value.attempts) == 2  # 401 moves on at once: no retry


def test_one_failing_model_raises_its_own_error_scrubbed(fake: EmbedServer, mode: str) -> None:
    echo = f"bad key {KEY} sent"
    fake.fail = lambda request, n: Reply.json({"error": {"message": echo}}, status=400)
    with pytest.raises(ProviderError) as caught:
        call(mode, fake.config("openai/text-embedding-3-small"), ["x"])
    shown = f"{caught.value} {caught.value!r} {caught.value.body}"
    assert KEY not in shown and "bad key" in shown
    assert caught.value.status == 400 and caught.value.model == "openai/text-embedding-3-small"


@pytest.mark.parametrize(
    "answer",
    [{"data": [{"index": 0, "embedding": ["x"]}]}, {"data": []}, {"nothing": 1}],
    ids=["not-numbers", "too-few", "no-data"],
)
def test_a_malformed_answer_is_a_provider_error(
    fake: EmbedServer, mode: str, answer: dict[str, Any]
) -> None:
    fake.fail = lambda request, n: Reply.json(answer)
    with pytest.raises(ProviderError, match="unexpected body"):
        call(mode, fake.config("openai/text-embedding-3-small"), ["x"])


def test_a_server_error_after_retries_is_a_server_error(fake: EmbedServer) -> None:
    fake.fail = _fail_path("/")
    with pytest.raises(ServerError):
        call("embed", fake.config("openai/text-embedding-3-small"), ["x"], max_retries=0)
    assert len(fake.requests) == 1


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"inputs": "one text"}, "inputs must be a list of str"),
        ({"inputs": []}, "at least one text"),
        ({"inputs": ["a", 3]}, r"inputs\[1\] must be a str"),
        ({"batch_size": 0}, "batch_size must be an int >= 1"),
        ({"dimensions": -1}, "dimensions must be an int >= 1"),
        ({"max_retries": 101}, "max_retries must be an int from 0 to 100"),
        ({"model": []}, "at least one embedding model"),
        ({"model": 3}, "model must be an embedding model id"),
        ({"model": "anthropic/claude-sonnet-4-5"}, "has no embeddings API"),
        ({"model": "openai/gpt-4o"}, "not an embedding model"),
    ],
)
def test_bad_arguments_are_configuration_errors(
    fake: EmbedServer, mode: str, kwargs: dict[str, Any], match: str
) -> None:
    args: dict[str, Any] = {"model": fake.config("openai/text-embedding-3-small"), "inputs": ["a"]}
    args.update(kwargs)
    if isinstance(args["model"], str):
        args["model"] = {"id": args["model"], "url": fake.server.url, "api_key": "k"}
    with pytest.raises(ConfigurationError, match=match):
        call(mode, args.pop("model"), args.pop("inputs"), **args)
    assert fake.requests == []


def test_a_chat_model_in_a_list_is_skipped_without_a_request(fake: EmbedServer) -> None:
    chat = fake.config("openai/gpt-4o")
    result = call("embed", [chat, fake.config("openai/text-embedding-3-small")], ["x"])
    assert [a.error_type for a in result.attempts] == ["ConfigurationError", None]
    assert len(fake.requests) == 1


def test_a_slow_model_times_out_and_the_next_answers(fake: EmbedServer, mode: str) -> None:
    def slow(request: Request, n: int) -> Reply | None:
        if "batchEmbedContents" in request.path:
            return Reply.json({"embeddings": [{"values": [1.0]}]}, delay=3.0)
        return None

    fake.fail = slow
    models = [
        fake.config("google/gemini-embedding-001"),
        fake.config("openai/text-embedding-3-small"),
    ]
    result = call(mode, models, ["x"], timeout=0.3, max_retries=0)
    assert result.model_id == "openai/text-embedding-3-small"
    assert result.attempts[0].error_type == "ProviderTimeoutError"
    with pytest.raises(ProviderTimeoutError, match="gemini-embedding-001"):
        call(mode, models[0], ["x"], timeout=0.3, max_retries=0)
