"""Our messages as Responses API `input` items (text, media, calls, results).

User text and media become `input_text` / `input_image` / `input_file` parts (audio is refused:
the API takes none in a message);
an assistant turn becomes its reasoning items, its text and one `function_call` item per call;
a tool message one `function_call_output` item per result.

Reasoning goes back as OpenAI asks ("include these items in your input for subsequent turns"
when managing the conversation yourself): a `reasoning` item per part this protocol returned,
with the item's `id`, its summary and its `encrypted_content` (kept as the part's `signature`),
before the calls it led to, so a reasoning model's tool loop continues its chain of thought. A
part without an id (another provider's, or one the router did not read from OpenAI) is left
out, as other protocols leave out foreign signatures. With `store: false` OpenAI cannot look an
item up by id, so there only parts carrying their encrypted content go back
(`without_unresolvable_reasoning`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from modelrouter._types import Message
from modelrouter.transports.media import data_url, media_source, unsupported_media
from modelrouter.transports.parts import text_of, unsupported_part

__all__ = ["WIRE", "append_items", "without_unresolvable_reasoning"]

WIRE: Final = "openai-responses"


def _image(part: Any) -> dict[str, Any]:
    # `detail` is required by the API's schema; "auto" is its documented default.
    url = data_url(media_source(WIRE, part))
    return {"type": "input_image", "image_url": url, "detail": part.get("detail") or "auto"}


def _file(part: Any) -> dict[str, Any]:
    source = media_source(WIRE, part)
    if source.url is not None:
        return {"type": "input_file", "file_url": source.url}
    # OpenAI requires a file name beside inline data; the name's suffix is not checked.
    name = part.get("filename") or "document.pdf"
    return {"type": "input_file", "file_data": data_url(source), "filename": name}


def _audio(part: Any) -> dict[str, Any]:
    # OpenAI's spec has no audio among a message's input parts (text, image, file only).
    raise unsupported_media(
        WIRE, part, "the Responses API takes no audio input; use the chat API (api='chat')"
    )


_MEDIA: Final[dict[str, Callable[[Any], dict[str, Any]]]] = {
    "image": _image,
    "file": _file,
    "audio": _audio,
}


def append_items(items: list[dict[str, Any]], message: Message) -> None:
    """Append `message` to `items` as the Responses API's input items."""
    role, content = message["role"], message["content"]
    if isinstance(content, str):  # the common case: an "easy" message item, sent as is
        items.append({"role": role, "content": content})
        return
    if role == "tool":
        for part in content:
            if part["type"] != "tool-result":
                raise unsupported_part(WIRE, message, part)
            items.append(
                {
                    "type": "function_call_output",
                    "call_id": part["call_id"],
                    "output": part["content"],
                }
            )
        return
    texts: list[dict[str, Any]] = []
    calls: list[dict[str, Any]] = []
    thoughts: list[dict[str, Any]] = []
    for part in content:
        if part["type"] == "text":
            texts.append({"type": "input_text", "text": part["text"]})
        elif part["type"] in _MEDIA and role == "user":
            texts.append(_MEDIA[part["type"]](part))
        elif part["type"] == "reasoning" and role == "assistant":
            if part.get("provider") == WIRE and part.get("id"):  # see the module's docstring
                thoughts.append(_reasoning_item(part))
        elif part["type"] == "tool-call" and role == "assistant":
            calls.append(
                {
                    "type": "function_call",
                    "call_id": part["id"],
                    "name": part["name"],
                    "arguments": part["arguments"],
                }
            )
        else:
            raise unsupported_part(WIRE, message, part)
    if role == "assistant":
        # Earlier output comes back as text: an output message item would need the id and
        # status OpenAI gave it, which a conversation moved between providers does not have.
        items.extend(thoughts)  # first, as the model produced them
        text = text_of(content)
        if text:
            items.append({"role": "assistant", "content": text})
        items.extend(calls)  # after the text, in the order the model made them
    else:
        items.append({"role": role, "content": texts})


def _reasoning_item(part: Any) -> dict[str, Any]:
    summary = [{"type": "summary_text", "text": part["text"]}] if part["text"] else []
    item: dict[str, Any] = {"type": "reasoning", "id": part["id"], "summary": summary}
    if part.get("signature"):
        item["encrypted_content"] = part["signature"]
    return item


def without_unresolvable_reasoning(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`items` less the reasoning items OpenAI could only find by id (for `store: false`)."""
    return [i for i in items if i.get("type") != "reasoning" or "encrypted_content" in i]
