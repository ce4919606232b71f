"""Media and reasoning parts on each wire format (no sockets); OpenAI bodies against its types."""

from __future__ import annotations

import json
from typing import Any

import pytest

from modelrouter import ConfigurationError, audio, file, image
from modelrouter._parts import ContentPart, ReasoningDelta, ReasoningEnd, ReasoningPart
from modelrouter._types import Message, ModelRequest, StreamFinish, Usage
from modelrouter.transports import anthropic, gemini, openai_chat
from modelrouter.transports.base import Endpoint
from tests.unit.tools.test_openai_spec import NON_STREAMING, STREAMING, validate

PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 8
PDF = b"%PDF-1.4 hello"
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "
IMG = image(PNG, detail="high")
EPS = {
    "openai": Endpoint(model_id="openai/m", provider="openai", model="m", base_url="http://h/v1"),
    "anthropic": Endpoint(
        model_id="anthropic/m", provider="anthropic", model="m", base_url="http://h/v1"
    ),
    "gemini": Endpoint(model_id="google/m", provider="google", model="m", base_url="http://h/v1"),
}


def body(wire: str, messages: list[Message], stream: bool = False) -> dict[str, Any]:
    module = {"openai": openai_chat, "anthropic": anthropic, "gemini": gemini}[wire]
    request = module.build_request(EPS[wire], ModelRequest(messages=messages), stream=stream)
    parsed: dict[str, Any] = json.loads(request.content)
    return parsed


def user(*parts: ContentPart) -> list[Message]:
    return [{"role": "user", "content": [{"type": "text", "text": "Look:"}, *parts]}]


def test_openai_chat_parts() -> None:
    sent = body("openai", user(IMG, image("https://x.test/a.png"), file(PDF), audio(WAV)))
    content = sent["messages"][0]["content"]
    assert content[1] == {
        "type": "image_url",
        "image_url": {"url": f"data:image/png;base64,{IMG.get('data')}", "detail": "high"},
    }
    assert content[2] == {"type": "image_url", "image_url": {"url": "https://x.test/a.png"}}
    assert content[3]["file"]["file_data"].startswith("data:application/pdf;base64,JVBERi0")
    assert content[3]["file"]["filename"] == "document.pdf"
    assert content[4] == {
        "type": "input_audio",
        "input_audio": {"data": audio(WAV).get("data"), "format": "wav"},
    }


@pytest.mark.parametrize("stream", [False, True])
def test_openai_bodies_with_media_and_reasoning_match_openai_types(stream: bool) -> None:
    thought: ReasoningPart = {"type": "reasoning", "text": "hm", "provider": "openai-chat"}
    messages: list[Message] = [
        *user(IMG, file(PDF, filename="a.pdf"), audio(b"ID3\x03", "audio/mpeg")),
        {"role": "assistant", "content": [thought, {"type": "text", "text": "A cat."}]},
        {"role": "user", "content": "And?"},
    ]
    sent = body("openai", messages, stream)
    # Reasoning is not sent back on the chat API: the assistant turn is its text only.
    assert sent["messages"][1] == {"role": "assistant", "content": "A cat."}
    validate(STREAMING if stream else NON_STREAMING, sent)


@pytest.mark.parametrize(
    ("part", "message"),
    [
        (file("https://x.test/a.pdf"), "takes files as inline data only"),
        (audio("https://x.test/a.wav"), "inline wav or mp3 audio only"),
        (audio(b"OggS....", "audio/ogg"), r"'audio' part \(audio/ogg\) cannot be sent"),
        ({"type": "image"}, "needs exactly one of 'url' and 'data'"),
    ],
)
def test_openai_refuses_what_it_cannot_carry(part: Any, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        body("openai", user(part))


def test_anthropic_blocks() -> None:
    text_doc = file(b"plain words", "text/plain", filename="notes.txt")
    sent = body("anthropic", user(IMG, image("https://x.test/a.png"), file(PDF), text_doc))
    content = sent["messages"][0]["content"]
    assert content[1] == {
        "type": "image",
        "source": {"type": "base64", "media_type": "image/png", "data": IMG.get("data")},
    }
    assert content[2] == {"type": "image", "source": {"type": "url", "url": "https://x.test/a.png"}}
    assert content[3]["type"] == "document"
    assert content[3]["source"]["media_type"] == "application/pdf"
    assert content[4] == {
        "type": "document",
        "source": {"type": "text", "media_type": "text/plain", "data": "plain words"},
        "title": "notes.txt",
    }


@pytest.mark.parametrize(
    ("part", "message"),
    [
        (audio(WAV), "cannot carry a 'audio' part on anthropic"),
        (file(b"a,b", "text/csv"), "documents are PDF or plain text only"),
    ],
)
def test_anthropic_refuses_what_it_cannot_carry(part: Any, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        body("anthropic", user(part))


def test_anthropic_sends_its_own_thinking_back_and_leaves_others_out() -> None:
    parts: list[ContentPart] = [
        {"type": "reasoning", "text": "Plan.", "signature": "sig1", "provider": "anthropic"},
        {"type": "reasoning", "text": "", "redacted": "opaque", "provider": "anthropic"},
        {"type": "reasoning", "text": "cut", "provider": "anthropic"},  # no signature
        {"type": "reasoning", "text": "other", "signature": "g", "provider": "gemini"},
        {"type": "tool-call", "id": "c1", "name": "f", "arguments": "{}"},
    ]
    sent = body("anthropic", [*user(), {"role": "assistant", "content": parts}])
    assert sent["messages"][1]["content"] == [
        {"type": "thinking", "thinking": "Plan.", "signature": "sig1"},
        {"type": "redacted_thinking", "data": "opaque"},
        {"type": "tool_use", "id": "c1", "name": "f", "input": {}},
    ]


def test_gemini_parts_and_thought_signatures() -> None:
    sent = body("gemini", user(IMG, image("gs://b/a.png", "image/png"), file(PDF), audio(WAV)))
    parts = sent["contents"][0]["parts"]
    assert parts[1] == {"inlineData": {"mimeType": "image/png", "data": IMG.get("data")}}
    assert parts[2] == {"fileData": {"mimeType": "image/png", "fileUri": "gs://b/a.png"}}
    assert parts[3]["inlineData"]["mimeType"] == "application/pdf"
    assert parts[4]["inlineData"]["mimeType"] == "audio/wav"
    answer: list[ContentPart] = [
        {"type": "reasoning", "text": "Thinking.", "provider": "gemini"},
        {"type": "reasoning", "text": "", "signature": "sigC", "provider": "gemini"},
        {"type": "reasoning", "text": "x", "signature": "s", "provider": "anthropic"},
        {"type": "tool-call", "id": "c1", "name": "f", "arguments": "{}"},
        {"type": "tool-call", "id": "c2", "name": "g", "arguments": "{}"},
    ]
    sent = body("gemini", [*user(), {"role": "assistant", "content": answer}])
    assert sent["contents"][1]["parts"] == [
        {"text": "Thinking.", "thought": True},
        {"functionCall": {"name": "f", "args": {}}, "thoughtSignature": "sigC"},
        {"functionCall": {"name": "g", "args": {}}},
    ]


def test_gemini_needs_a_media_type_for_an_image_url() -> None:
    with pytest.raises(ConfigurationError, match="give its media_type"):
        body("gemini", user(image("https://x.test/cat")))


def test_usage_fields_each_protocol_reports() -> None:
    deepseek = {
        "choices": [
            {"message": {"content": "x", "reasoning_content": "r"}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 50, "completion_tokens": 8, "prompt_cache_hit_tokens": 32},
    }
    answer = openai_chat.parse_response(EPS["openai"], deepseek)
    assert answer.usage == Usage(50, 8, cache_read_tokens=32)
    assert answer.reasoning == [{"type": "reasoning", "text": "r", "provider": "openai-chat"}]
    grounded = {
        "candidates": [{"content": {"parts": [{"text": "x"}]}, "finishReason": "STOP"}],
        "usageMetadata": {"promptTokenCount": 10, "toolUsePromptTokenCount": 5},
    }
    assert gemini.parse_response(EPS["gemini"], grounded).usage == Usage(15, None)
    cached_only = {
        "content": [],
        "stop_reason": "end_turn",
        "usage": {"cache_read_input_tokens": 9},
    }
    assert anthropic.parse_response(EPS["anthropic"], cached_only).usage == Usage(
        9, None, cache_read_tokens=9
    )


def test_anthropic_stream_keeps_redacted_thinking_and_ends_a_cut_thought() -> None:
    parser = anthropic.stream_parser(EPS["anthropic"])

    def feed(kind: str, **data: Any) -> list[Any]:
        return list(parser.feed(kind, json.dumps({"type": kind, **data})))

    feed("message_start", message={"usage": {"input_tokens": 3}})
    block = {"type": "redacted_thinking", "data": "opaque"}
    assert feed("content_block_start", index=0, content_block=block) == []
    [end] = feed("content_block_stop", index=0)
    assert end == ReasoningEnd(
        {"type": "reasoning", "text": "", "provider": "anthropic", "redacted": "opaque"}
    )
    feed("content_block_start", index=1, content_block={"type": "thinking", "thinking": ""})
    delta = {"type": "thinking_delta", "thinking": "half a tho"}
    assert feed("content_block_delta", index=1, delta=delta) == [ReasoningDelta("half a tho")]
    feed("message_delta", delta={"stop_reason": "max_tokens"}, usage={"output_tokens": 5})
    cut, finish = parser.close()
    # No signature arrived: the part is kept for reading, and left out when sent back.
    assert cut == ReasoningEnd({"type": "reasoning", "text": "half a tho", "provider": "anthropic"})
    assert isinstance(finish, StreamFinish) and finish.finish_reason == "length"
