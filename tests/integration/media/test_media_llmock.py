"""Images, documents and audio against llmock, every protocol and call mode; the modality gate.

llmock records each request body (its journal), and on OpenAI chat "sees" an image: with the
echo style its answer quotes the prompt with the image as "[image input]".
"""

from __future__ import annotations

from typing import Any, cast

import pytest
from llmock.scenarios import Fail, Match
from llmock.testing import LLMockServer

from modelrouter import (
    Agent,
    FallbackEntry,
    Message,
    ModelConfig,
    UnsupportedModalityError,
    audio,
    file,
    image,
)
from tests.integration.media.conftest import MODELS, llmock_config, run

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64))
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(16)


def prompt(*parts: Any) -> list[Message]:
    return [{"role": "user", "content": [{"type": "text", "text": "What is this?"}, *parts]}]


def bodies(server: LLMockServer) -> list[Any]:
    return [r.body for r in server.state.journal.records()]


def test_an_image_reaches_every_protocol(llmock: LLMockServer, wire: str, mode: str) -> None:
    agent = Agent("see", None, llmock_config(llmock, MODELS[wire], wire))
    result, _ = run(agent, mode, prompt(image(PNG)))
    assert result.text
    [sent] = bodies(llmock)
    if wire == "openai-chat":
        assert "[image input]" in result.text  # llmock saw an image part
        url = sent["messages"][0]["content"][1]["image_url"]["url"]
        assert url.startswith("data:image/png;base64,iVBORw0KGgo")
    elif wire == "anthropic":
        block = sent["messages"][0]["content"][1]
        assert block["type"] == "image" and block["source"]["type"] == "base64"
    else:
        assert sent["contents"][0]["parts"][1]["inlineData"]["mimeType"] == "image/png"


def test_documents_and_audio_reach_the_protocols_that_take_them(
    llmock: LLMockServer, mode: str
) -> None:
    gemini = Agent("hear", None, llmock_config(llmock, MODELS["gemini"], "gemini"))
    run(gemini, mode, prompt(file(PDF), audio(WAV)))
    claude = Agent("read", None, llmock_config(llmock, MODELS["anthropic"], "anthropic"))
    run(claude, mode, prompt(file(PDF, filename="spec.pdf")))
    gpt = Agent("read", None, llmock_config(llmock, MODELS["openai-chat"], "openai-chat"))
    run(gpt, mode, prompt(file(PDF)))
    to_gemini, to_claude, to_gpt = bodies(llmock)
    kinds = [p["inlineData"]["mimeType"] for p in to_gemini["contents"][0]["parts"][1:]]
    assert kinds == ["application/pdf", "audio/wav"]
    assert to_claude["messages"][0]["content"][1]["title"] == "spec.pdf"
    assert to_gpt["messages"][0]["content"][1]["type"] == "file"


def test_a_text_only_model_is_skipped_without_a_request(llmock: LLMockServer, mode: str) -> None:
    plan: list[FallbackEntry] = [
        {"model": llmock_config(llmock, "openai/gpt-3.5-turbo", "openai-chat")},
        {"model": llmock_config(llmock, "openai/gpt-4o-mini", "openai-chat")},
    ]
    result, _ = run(Agent("see", None, plan), mode, prompt(image(PNG)))
    assert result.model_id == "openai/gpt-4o-mini"
    skipped, answered = result.attempts
    assert skipped.model_id == "openai/gpt-3.5-turbo"
    assert skipped.error_type == "UnsupportedModalityError"
    assert "cannot take image input" in str(skipped.error)
    assert answered.error_type is None
    assert [r.model for r in llmock.state.journal.records()] == ["gpt-4o-mini"]


def test_a_model_alone_raises_naming_model_and_modality(llmock: LLMockServer, mode: str) -> None:
    agent = Agent("see", None, llmock_config(llmock, "openai/gpt-3.5-turbo", "openai-chat"))
    with pytest.raises(UnsupportedModalityError) as caught:
        run(agent, mode, prompt(file(PDF)))
    assert (caught.value.model, caught.value.modality) == ("openai/gpt-3.5-turbo", "pdf")
    assert caught.value.supported == ("text",)
    assert "openai/gpt-3.5-turbo cannot take pdf input" in str(caught.value)
    assert bodies(llmock) == []


def test_audio_is_gated_per_model(llmock: LLMockServer) -> None:
    # gpt-4o-mini takes images and PDFs but not audio; a text document needs no modality.
    agent = Agent("hear", None, llmock_config(llmock, "openai/gpt-4o-mini", "openai-chat"))
    with pytest.raises(UnsupportedModalityError, match="cannot take audio input"):
        run(agent, "generate", prompt(audio(WAV)))
    agent = Agent("read", None, llmock_config(llmock, "openai/gpt-3.5-turbo", "openai-chat"))
    result, _ = run(agent, "generate", prompt(file(b"just text", "text/plain")))
    assert result.text


def test_a_model_the_catalogue_does_not_list_is_never_blocked(
    llmock: LLMockServer, mode: str
) -> None:
    config = cast(
        ModelConfig,
        {"id": "local/llava", "url": llmock.base_url("openai"), "api_key": "test-key"},
    )
    result, _ = run(Agent("see", None, config), mode, prompt(image(PNG)))
    assert "[image input]" in result.text
    assert len(bodies(llmock)) == 1


def test_bytes_are_encoded_once_not_per_attempt(
    llmock: LLMockServer, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import base64

    part = image(PNG)  # the one encoding
    encoded: list[int] = []
    real = base64.b64encode

    def counting(data: bytes) -> bytes:
        encoded.append(len(data))
        return real(data)

    monkeypatch.setattr(base64, "b64encode", counting)
    # A retry on the first model, then the second model: three attempts, one part.
    llmock.state.scenarios.add(Fail(500, times=2, match=Match(model="gpt-4o-mini")))
    plan: list[FallbackEntry] = [
        {"model": llmock_config(llmock, "openai/gpt-4o-mini", "openai-chat"), "max_retries": 1},
        {"model": llmock_config(llmock, "openai/gpt-4o", "openai-chat")},
    ]
    result, _ = run(Agent("see", None, plan), mode, prompt(part))
    assert [a.error_type for a in result.attempts] == ["ServerError", "ServerError", None]
    assert encoded == []
    urls = [b["messages"][0]["content"][1]["image_url"]["url"] for b in bodies(llmock)]
    assert len(urls) == 3 and urls[0] == urls[1] == urls[2]
