"""The stream hot path's shortcuts behave exactly like the plain forms they replace."""

from __future__ import annotations

import dataclasses

import pytest

from modelrouter._errors import StreamError
from modelrouter._types import TextDelta, text_delta
from modelrouter.transports.base import Endpoint, loads_event

ENDPOINT = Endpoint(model_id="p/m", provider="p", model="m", base_url="http://127.0.0.1:9")


def test_text_delta_is_an_ordinary_frozen_text_delta() -> None:
    fast = text_delta("tok")
    assert type(fast) is TextDelta
    assert fast == TextDelta("tok") and hash(fast) == hash(TextDelta("tok"))
    assert repr(fast) == "TextDelta(text='tok')"
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.text = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    "data",
    ['{"a": [1, 2.5, null]}', ' {"a": [1, 2.5, null]}', '{"a": [1, 2.5, null]}\r\n '],
    ids=["bare", "leading-space", "trailing-space"],
)
def test_loads_event_matches_json_loads(data: str) -> None:
    assert loads_event(ENDPOINT, data) == {"a": [1, 2.5, None]}


@pytest.mark.parametrize("data", ['{"a": 1} trailing', "", "{", '{"a": 1}{"b": 2}'])
def test_loads_event_rejects_what_json_loads_rejects(data: str) -> None:
    with pytest.raises(StreamError, match="malformed"):
        loads_event(ENDPOINT, data)
