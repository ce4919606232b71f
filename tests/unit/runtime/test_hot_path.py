"""The hot path's shortcuts (streams, the agent loop) behave exactly like the plain forms they
replace."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from modelrouter._errors import StreamError
from modelrouter._loop import sum_usage, with_results
from modelrouter._parts import ToolCallPart, ToolResultPart
from modelrouter._types import Attempt, Step, TextDelta, Usage, text_delta
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


@pytest.mark.parametrize(
    ("timeout", "first_chunk", "read"),
    [(60.0, None, 60.0), (None, 5.0, 5.0), (60.0, 5.0, 5.0), (3.0, 5.0, 3.0)],
)
def test_cached_timeouts_match_httpx_and_are_per_request(
    timeout: float | None, first_chunk: float | None, read: float
) -> None:
    import httpx

    from modelrouter._http import _with_timeout  # pyright: ignore[reportPrivateUsage]

    one = _with_timeout(httpx.Request("GET", "http://127.0.0.1:9"), timeout, first_chunk)
    two = _with_timeout(httpx.Request("GET", "http://127.0.0.1:9"), timeout, first_chunk)
    assert one.extensions["timeout"] == httpx.Timeout(timeout, read=read).as_dict()
    assert two.extensions["timeout"] == one.extensions["timeout"]
    assert two.extensions["timeout"] is not one.extensions["timeout"]


def test_json_request_url_is_the_string_it_was_given() -> None:
    from modelrouter.transports.base import json_request

    url = "http://127.0.0.1:9/v1/chat/completions?x=1"
    first = json_request(url, {}, {"a": 1})
    second = json_request(url, {}, {"a": 2})
    assert str(first.url) == str(second.url) == url
    assert (first.content, second.content) == (b'{"a":1}', b'{"a":2}')


def _full_step() -> Step:
    # Every field away from its default, so a field `with_results` forgot would show.
    call: ToolCallPart = {"type": "tool-call", "id": "c1", "name": "f", "arguments": "{}"}
    return Step(
        model_id="p/m",
        text="t",
        tool_calls=(call,),
        tool_results=(),
        usage=Usage(1, 2, 3, 4, 5),
        finish_reason="tool_calls",
        attempts=(Attempt("p/m", None, None, 0.5),),
        reasoning="r",
    )


def test_with_results_is_replace() -> None:
    assert {f.name for f in dataclasses.fields(Step)} == {
        "model_id",
        "text",
        "tool_calls",
        "tool_results",
        "usage",
        "finish_reason",
        "attempts",
        "reasoning",
    }, "a new Step field: copy it in _loop.with_results too"
    step = _full_step()
    result: ToolResultPart = {"type": "tool-result", "call_id": "c1", "name": "f", "content": "x"}
    assert with_results(step, (result,)) == dataclasses.replace(step, tool_results=(result,))


@pytest.mark.parametrize(
    "usages",
    [
        [Usage(1, 2), Usage(3, 4)],
        [Usage(), Usage()],
        [Usage(1, None, 7), Usage(None, 2, None, 5, 6), Usage(10)],
        [Usage(1, 2, 3, 4, 5)],
        [],
    ],
    ids=["both", "none", "mixed", "one", "no-steps"],
)
def test_sum_usage_is_repeated_add(usages: list[Usage]) -> None:
    steps = [dataclasses.replace(_full_step(), usage=usage) for usage in usages]
    expected = Usage()
    for usage in usages:
        expected = expected + usage
    assert sum_usage(steps) == expected


def _sample_class() -> Any:
    """A fresh frozen, slotted dataclass: one is kept as built, the other gets quick_init."""

    @dataclasses.dataclass(frozen=True, slots=True)
    class Sample:
        name: str
        count: int = 3
        items: list[int] = dataclasses.field(default_factory=list, hash=False)
        label: str | None = None

    return Sample


_Plain, _Quick = _sample_class(), _sample_class()


def test_quick_init_builds_what_the_dataclass_init_builds() -> None:
    from modelrouter._frozen import quick_init

    quick_init(_Quick)
    cases: list[tuple[tuple[Any, ...], dict[str, Any]]] = [
        (("a",), {}),
        (("a", 5, [1], "x"), {}),
        ((), {"name": "a", "label": "y"}),
    ]
    for args, kwargs in cases:
        quick, plain = _Quick(*args, **kwargs), _Plain(*args, **kwargs)
        assert [getattr(quick, f) for f in _Quick.__slots__] == [
            getattr(plain, f) for f in _Plain.__slots__
        ]
    assert _Quick("a") == _Quick("a") and hash(_Quick("a", label="x")) == hash(
        _Quick("a", label="x")
    )
    assert _Quick("a").items is not _Quick("a").items  # a fresh default per instance
    with pytest.raises(dataclasses.FrozenInstanceError):
        _Quick("a").count = 4
    with pytest.raises(TypeError, match="name"):
        _Quick()
    with pytest.raises(TypeError, match="unexpected keyword"):
        _Quick("a", colour=1)
    assert repr(_Quick("a")) == repr(_Plain("a"))  # the same qualified name and fields


def test_quick_init_refuses_what_it_cannot_build() -> None:
    from modelrouter._frozen import quick_init

    @dataclasses.dataclass(frozen=True)
    class NoSlots:
        name: str

    @dataclasses.dataclass(frozen=True, slots=True)
    class PostInit:
        name: str

        def __post_init__(self) -> None:
            pass

    for cls in (NoSlots, PostInit):
        with pytest.raises(TypeError, match="quick_init"):
            quick_init(cls)


@pytest.mark.parametrize(
    "cls", ["Usage", "ModelRequest", "ModelResponse", "StreamFinish", "Attempt", "Step"]
)
def test_public_types_keep_their_dataclass_signature(cls: str) -> None:
    import inspect

    import modelrouter._types as types

    built = getattr(types, cls)
    names = [f.name for f in dataclasses.fields(built)]
    assert list(inspect.signature(built).parameters) == names
    assert built.__init__.__qualname__ == f"{cls}.__init__"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/v1/chat/completions?x=1",
        "https://api.example.com/v1/messages",
        "https://api.example.com:443/v1/messages",
        "http://[::1]:8080/v1",
    ],
)
@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"user-agent": "modelrouter", "content-type": "application/json", "X-Key": "k"},
        {"Host": "proxy.example", "x-a": "1"},
        {"content-length": "999"},
        {"Transfer-Encoding": "chunked"},
    ],
    ids=["none", "ours", "host", "length", "chunked"],
)
def test_json_request_sends_what_httpx_content_sends(url: str, headers: dict[str, str]) -> None:
    import httpx

    from modelrouter.transports.base import json_request

    body = {"a": [1, "é"]}
    content = b'{"a":[1,"\xc3\xa9"]}'
    fast = json_request(url, dict(headers), body)
    plain = httpx.Request("POST", url, headers=headers, content=content)
    assert (fast.method, str(fast.url), fast.content) == ("POST", str(plain.url), content)
    assert fast.headers.raw == plain.headers.raw  # names, case, order and values
    assert b"".join(fast.stream) == content  # type: ignore[arg-type]


@pytest.mark.parametrize("fast", [True, False], ids=["httpx-list", "public-api"])
def test_client_defaults_go_under_ours_in_both_ways(
    fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    import httpx

    import modelrouter._model as model

    monkeypatch.setattr(model, "_ENTRIES_OK", None if fast else False)
    defaults = [
        (b"Accept", b"*/*"),
        (b"X-Team", b"a"),
        (b"x-team", b"b"),  # a repeated default: its first value only
        (b"user-agent", b"theirs"),
        (b"X-Name", "Zoë".encode()),  # sent as the bytes the client holds
    ]
    client = httpx.Client(headers=defaults)
    request = httpx.Request("POST", "http://127.0.0.1:9/v1", headers={"User-Agent": "ours"})
    sent = model._with_client_defaults(
        client, request, model._Defaults()
    )  # pyright: ignore[reportPrivateUsage]
    assert sent.headers.raw[-3:] == [
        (b"Accept", b"*/*"),
        (b"X-Team", b"a"),
        (b"X-Name", b"Zo\xc3\xab"),
    ]
    assert sent.headers.get_list("user-agent") == ["ours"]
    assert model._ENTRIES_OK is fast  # pyright: ignore[reportPrivateUsage]
    client.close()


def test_quick_init_keeps_the_annotations() -> None:
    import inspect
    import typing

    from modelrouter._frozen import quick_init

    plain, quick = _sample_class(), quick_init(_sample_class())
    assert str(inspect.signature(quick)) == str(inspect.signature(plain))
    assert typing.get_type_hints(quick.__init__) == typing.get_type_hints(plain.__init__)


def test_quick_init_refuses_an_init_var() -> None:
    from modelrouter._frozen import quick_init

    @dataclasses.dataclass(frozen=True, slots=True)
    class WithInitVar:
        name: str
        scale: dataclasses.InitVar[int] = 1

    with pytest.raises(TypeError, match="quick_init"):
        quick_init(WithInitVar)
