"""The catalogue's input modalities decide, before any request, whether a model can take a call.

Checked per attempt, when the model is known (`_request.build_request`): a model the
catalogue says cannot take an image, a PDF or audio raises `UnsupportedModalityError` without
sending anything, which the fallback engine records in `attempts` and moves past (a model
alone raises it). Models the catalogue does not list (custom models, `url` configs with ids
it does not know, `LanguageModel`s of your own), and entries that list no modalities, are
never blocked: the provider decides.

What each part needs: an image part "image", an audio part "audio"; a file part by its media
type: "application/pdf" (or a URL with no type) "pdf", `text/*` nothing beyond text,
`image/*` "image", `audio/*` "audio", `video/*` "video", any other document "pdf" (the
catalogue's only document modality), reported as "file".
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from modelrouter._errors import UnsupportedModalityError
from modelrouter._types import Message

if TYPE_CHECKING:
    from modelrouter.gateways.base import ModelInfo

__all__ = ["check_modalities", "needed_modalities"]

_PART_MODALITY = {"image": "image", "audio": "audio"}
_FAMILIES = {"image": "image", "audio": "audio", "video": "video"}


def _file_modality(part: Any) -> tuple[str, str] | None:
    """(reported name, catalogue modality) a file part needs; None for a text document."""
    media_type = str(part.get("media_type") or "application/pdf")
    family = media_type.partition("/")[0]
    if media_type == "application/pdf":
        return "pdf", "pdf"
    if family == "text":
        return None
    if family in _FAMILIES:
        return _FAMILIES[family], _FAMILIES[family]
    return f"file ({media_type})", "pdf"


def needed_modalities(messages: Sequence[Message]) -> Iterator[tuple[str, str]]:
    """(reported name, catalogue modality) of every media part in `messages`, in order."""
    for message in messages:
        content = message["content"]
        if isinstance(content, str):  # the common case: nothing to check
            continue
        for part in content:
            kind = part["type"]
            if kind in _PART_MODALITY:
                yield _PART_MODALITY[kind], _PART_MODALITY[kind]
            elif kind == "file":
                needed = _file_modality(part)
                if needed is not None:
                    yield needed


def _info(model: Any) -> ModelInfo | None:
    route = getattr(model, "route", None)
    if route is None or not getattr(route, "known_model", False):
        return None
    from modelrouter._resolve import default_catalog

    provider = default_catalog().get_provider(route.provider_key)
    return None if provider is None else provider.model_info.get(route.model)


def check_modalities(model: Any, messages: Sequence[Message]) -> None:
    """Raise `UnsupportedModalityError` when the catalogue says `model` cannot take a part.

    Costs one pass over the messages' types when they hold no media (the usual case).
    """
    for message in messages:
        if type(message["content"]) is not str:
            break
    else:
        return  # text only: the usual call pays one loop, no generator
    needed = needed_modalities(messages)
    first = next(needed, None)
    if first is None:
        return
    info = _info(model)
    if info is None or not info.input_modalities:
        return
    takes = info.input_modalities
    for reported, modality in (first, *needed):
        if modality not in takes:
            raise UnsupportedModalityError(model.model_id, reported, takes)
