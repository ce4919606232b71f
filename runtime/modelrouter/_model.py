"""Turn one model spec (id, config dict, LanguageModel) into a ready `LanguageModel`.

`HttpModel` is the router's own LanguageModel: an `Endpoint` plus the transport for its wire
protocol, sending through the Agent's shared clients. `build_model` / `abuild_model` run
resolution and key lookup at call time, so a missing key is a failure of that one attempt
(and a fallback entry can answer) rather than of the whole Agent.

The Agent runs them at the first attempt of each model in a call and at any attempt after a
failed one (later steps of a tool loop reuse the model: `Loop.reuse`), since the environment
may change between calls; what they decide then picks a built `HttpModel` from the Agent's
`Clients`, so an unchanged model is not rebuilt.
"""

from __future__ import annotations

import operator
import os
import threading
from types import MappingProxyType
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Final, cast

from modelrouter._auth import pick_key, run_awaitable_sync
from modelrouter._errors import NotFoundError
from modelrouter._resolve import (
    Route,
    api_wire,
    base_url,
    default_catalog,
    resolve_route,
    route_for_url,
)
from modelrouter._types import (
    LanguageModel,
    ModelConfig,
    ModelRequest,
    ModelResponse,
    StreamPart,
    WireFormat,
)
from modelrouter.gateways.base import resolve_maybe_awaitable
from modelrouter.gateways.registry import aprefetch, needs_fetch

if TYPE_CHECKING:
    import httpx

    from modelrouter.transports.base import Endpoint, Transport

__all__ = ["Clients", "HttpModel", "abuild_model", "build_model"]

_NO_HEADERS: Mapping[str, str] = MappingProxyType({})
_MAX_MODELS = 64


def _with_client_defaults(
    client: httpx.Client | httpx.AsyncClient, request: httpx.Request, memo: _Defaults
) -> httpx.Request:
    """`request` plus the headers and cookies `client` would add that it lacks (ours win).

    Read at every request, as `client.build_request` would: a header or cookie the user sets
    on their client after building the Agent is sent too. The client's headers are copied as
    the bytes it holds (`memo` keeps them per change), as its own `build_request` copies them.
    """
    defaults = client.headers
    raw = defaults.raw
    seen, items = memo.seen
    if seen != raw:
        items = _first_of_each(raw)
        memo.seen = (raw, items)  # one assignment: a thread reads both halves or neither
    if items:
        _add_missing(request, items)
    cookies = client.cookies
    if cookies:  # set_cookie_header adds nothing when the request carries a Cookie already
        cookies.set_cookie_header(request)
    return request


def _first_of_each(raw: list[tuple[bytes, bytes]]) -> tuple[tuple[bytes, bytes, bytes], ...]:
    """Each header as (name, lower-case name, value); a repeated name keeps its first value
    only, as an `in` test followed by one assignment would."""
    items: dict[bytes, tuple[bytes, bytes, bytes]] = {}
    for key, value in raw:
        items.setdefault(key.lower(), (key, key.lower(), value))
    return tuple(items.values())


def _add_missing(request: httpx.Request, items: tuple[tuple[bytes, bytes, bytes], ...]) -> None:
    """Append each (name, lower-case name, value) whose name the request's headers lack."""
    listed = _entries(request.headers)
    if listed is not None:  # ~1 us where `headers[name] = value` for each costs ~12 us
        have = set(map(_LOWER, listed))  # in C: this runs at every request
        listed.extend([item for item in items if item[1] not in have])
        return
    import httpx

    present = request.headers.raw
    have = {key.lower() for key, _ in present}
    missing = [(key, value) for key, lower, value in items if lower not in have]
    if missing:  # built from bytes, so a value goes out as the client holds it
        request.headers = httpx.Headers([*present, *missing])


_LOWER: Final = operator.itemgetter(1)
_ENTRIES_OK: bool | None = None


def _entries(headers: httpx.Headers) -> list[tuple[bytes, bytes, bytes]] | None:
    """httpx's own list of (name, lower-case name, value) behind `headers`, or None when this
    httpx keeps its headers otherwise (checked once per process against a known header)."""
    global _ENTRIES_OK
    if _ENTRIES_OK is None:
        import httpx

        probe = httpx.Headers({"X-Probe": "v"})
        _ENTRIES_OK = getattr(probe, "_list", None) == [(b"X-Probe", b"x-probe", b"v")]
    if not _ENTRIES_OK:
        return None
    listed: list[tuple[bytes, bytes, bytes]] = headers._list  # pyright: ignore[reportPrivateUsage]
    return listed


class _Defaults:
    """A user client's default headers as last read: their raw bytes, and each as
    (name, lower-case name, value). Written without a lock: threads that see the same change
    build the same result."""

    __slots__ = ("seen",)

    def __init__(self) -> None:
        self.seen: tuple[list[tuple[bytes, bytes]] | None, tuple[tuple[bytes, bytes, bytes], ...]]
        self.seen = (None, ())


class Clients:
    """The httpx clients an Agent shares across models; creates (and closes) only its own.

    A client is made on first use, under a lock so that threads sharing one Agent share one
    pool; once made it is read without the lock (an attribute read is atomic).
    """

    def __init__(
        self,
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        limits: httpx.Limits | None = None,
    ) -> None:
        self._client = client
        self._async_client = async_client
        self._limits = limits
        self._lock = threading.Lock()
        self._owned: list[httpx.Client | httpx.AsyncClient] = []
        # `client.send` skips a client's default headers and cookies (only its auth applies),
        # so requests sent through a client passed in get them merged under ours.
        self.user_client = client
        self.user_async_client = async_client
        self.defaults = _Defaults()
        self.async_defaults = _Defaults()
        # Built models by what they were built from: (id of the Route, base URL, key, id of
        # the headers). Ids are safe keys because the cached model holds both objects; a route
        # re-resolved after a catalogue reload or a gateway registration is a new object.
        self.models: dict[tuple[int, str, str | None, int, str | None], HttpModel] = {}

    def sync(self) -> httpx.Client:
        client = self._client
        if client is None:
            with self._lock:
                client = self._client
                if client is None:  # another thread may have made it while we waited
                    from modelrouter._http import new_client

                    client = self._client = new_client(self._limits)
                    self._owned.append(client)
        return client

    def async_(self) -> httpx.AsyncClient:
        client = self._async_client
        if client is None:
            with self._lock:
                client = self._async_client
                if client is None:
                    from modelrouter._http import new_async_client

                    client = self._async_client = new_async_client(self._limits)
                    self._owned.append(client)
        return client

    def close(self) -> None:
        """Close the sync clients this object created."""
        import httpx

        with self._lock:
            for client in [c for c in self._owned if isinstance(c, httpx.Client)]:
                client.close()
                self._owned.remove(client)
                self._client = None

    async def aclose(self) -> None:
        """Close every client this object created."""
        import httpx

        with self._lock:
            owned = list(self._owned)
            self._owned.clear()
            for client in owned:
                if isinstance(client, httpx.AsyncClient):
                    self._async_client = None
                else:
                    self._client = None
        for client in owned:  # awaited outside the lock: a thread's `sync()` must not wait
            if isinstance(client, httpx.AsyncClient):
                await client.aclose()
            else:
                client.close()


@dataclass(frozen=True, slots=True)
class HttpModel:
    """A model reached over HTTP by the router's own transports.

    Called like any `LanguageModel`: the attempt's time limits come in the `ModelRequest`.
    """

    endpoint: Endpoint
    route: Route
    clients: Clients
    wire: WireFormat | None = None
    """The wire protocol when a config's `api` overrides the route's."""

    @property
    def model_id(self) -> str:
        return self.endpoint.model_id

    def _hint(self, exc: NotFoundError) -> NotFoundError:
        # An unknown model is still sent; when the provider says 404, name the near misses.
        if not self.route.known_model:
            near = default_catalog().suggest_models(self.route.provider_key, self.route.model)
            if near:
                exc.args = (f"{exc.args[0]} Did you mean {', '.join(map(repr, near))}?",)
        return exc

    def _transport(self, request: ModelRequest) -> tuple[Transport, ModelRequest]:
        """The transport for this call, and the request without the `api` option it consumed.

        `provider_options={"openai": {"api": "responses"}}` picks the Responses API for one
        call (or "chat" the chat API); the option is never sent.
        """
        from modelrouter.transports import TRANSPORTS

        options = request.provider_options
        if "api" not in options:  # the hot path: one dict lookup
            return TRANSPORTS[self.wire or self.route.wire], request
        param = f"provider_options[{self.endpoint.provider!r}]['api']"
        wire = api_wire(self.route, options["api"], param)
        rest = {k: v for k, v in options.items() if k != "api"}
        return TRANSPORTS[wire], replace(request, provider_options=rest)

    def _build(
        self, transport: Transport, request: ModelRequest, *, stream: bool, sync: bool
    ) -> httpx.Request:
        built = transport.build_request(self.endpoint, request, stream=stream)
        clients = self.clients
        if sync:
            user = clients.user_client
            return built if user is None else _with_client_defaults(user, built, clients.defaults)
        auser = clients.user_async_client
        if auser is None:
            return built
        return _with_client_defaults(auser, built, clients.async_defaults)

    def generate(self, request: ModelRequest) -> ModelResponse:
        from modelrouter._http import send_sync

        transport, request = self._transport(request)
        http_request = self._build(transport, request, stream=False, sync=True)
        client = self.clients.sync()
        try:
            payload = send_sync(client, self.endpoint, http_request, timeout=request.timeout)
        except NotFoundError as exc:
            raise self._hint(exc)
        return transport.parse_response(self.endpoint, payload, http_request.headers)

    async def agenerate(self, request: ModelRequest) -> ModelResponse:
        from modelrouter._http import send_async

        transport, request = self._transport(request)
        http_request = self._build(transport, request, stream=False, sync=False)
        client = self.clients.async_()
        try:
            payload = await send_async(client, self.endpoint, http_request, timeout=request.timeout)
        except NotFoundError as exc:
            raise self._hint(exc)
        return transport.parse_response(self.endpoint, payload, http_request.headers)

    def stream(self, request: ModelRequest) -> Iterator[StreamPart]:
        from modelrouter._http import stream_events

        transport, request = self._transport(request)
        # The events generator itself, not a wrapper around it: one layer less per event.
        return stream_events(
            self.clients.sync(),
            self.endpoint,
            self._build(transport, request, stream=True, sync=True),
            transport.stream_parser(self.endpoint),
            timeout=request.timeout,
            first_chunk=request.first_chunk,
            total=request.total,
            hint=self._hint,
        )

    def astream(self, request: ModelRequest) -> AsyncIterator[StreamPart]:
        from modelrouter._http import astream_events

        transport, request = self._transport(request)
        http_request = self._build(transport, request, stream=True, sync=False)
        parser = transport.stream_parser(self.endpoint)
        return astream_events(
            self.clients.async_(),
            self.endpoint,
            http_request,
            parser,
            timeout=request.timeout,
            first_chunk=request.first_chunk,
            total=request.total,
            hint=self._hint,
        )


@dataclass(slots=True)  # not frozen: built at every call, and frozen fields cost 4x to set
class _Spec:
    route: Route
    config_url: str | None
    api_key: str | None = field(repr=False)
    headers: Mapping[str, str] = field(repr=False)
    wire: WireFormat | None = None


def _spec(model: str | ModelConfig) -> _Spec:
    if isinstance(model, str):
        return _Spec(resolve_route(model), None, None, _NO_HEADERS)
    config = cast(Mapping[str, Any], model)
    url = config.get("url")
    route = route_for_url(config["id"]) if url else resolve_route(config["id"])
    api = config.get("api")
    wire = None if api is None else api_wire(route, api, "model['api']")
    headers = config.get("headers") or _NO_HEADERS
    return _Spec(route, url, config.get("api_key"), headers, wire)


def _finish(spec: _Spec, gateway_url: str | None, key: str | None, clients: Clients) -> HttpModel:
    route = spec.route
    url = base_url(route, os.environ, config_url=spec.config_url, gateway_url=gateway_url)
    cache_key = (id(route), url, key, id(spec.headers), spec.wire)
    model = clients.models.get(cache_key)
    if model is not None:
        return model
    from modelrouter.transports.base import Endpoint

    endpoint = Endpoint(
        model_id=route.model_id,
        provider=route.provider,
        model=route.model,
        base_url=url,
        api_key=key,
        headers=spec.headers,
        api_key_header=route.api_key_header,
    )
    model = HttpModel(endpoint, route, clients, spec.wire)
    if len(clients.models) >= _MAX_MODELS:  # keys and URLs may rotate: keep the newest only
        clients.models.clear()
    clients.models[cache_key] = model
    return model


def _pick(spec: _Spec, from_gateway: str | None) -> str | None:
    return pick_key(
        spec.route,
        os.environ,
        explicit=spec.api_key,
        from_gateway=from_gateway,
        required=spec.config_url is None,
    )


def build_model(model: str | ModelConfig | LanguageModel, clients: Clients) -> LanguageModel:
    """Resolve one spec on the sync path (gateway hooks may still be `async def`)."""
    if not isinstance(model, (str, dict)):
        return cast(LanguageModel, model)
    spec = _spec(model)
    gateway = spec.route.gateway
    if gateway is None:
        return _finish(spec, None, _pick(spec, None), clients)
    model_id = spec.route.model_id
    from_gateway = None if spec.api_key else run_awaitable_sync(gateway.get_api_key(model_id))
    key = _pick(spec, from_gateway)
    ready = _ready(spec, key, run_awaitable_sync)
    if ready is not None:
        return ready
    gateway_url = None if spec.config_url else run_awaitable_sync(gateway.build_url(model_id))
    return _finish(spec, gateway_url, key, clients)


async def abuild_model(model: str | ModelConfig | LanguageModel, clients: Clients) -> LanguageModel:
    """The async twin of `build_model`."""
    if not isinstance(model, (str, dict)):
        return cast(LanguageModel, model)
    wanted = model if isinstance(model, str) else cast(Mapping[str, Any], model).get("id")
    if isinstance(wanted, str) and needs_fetch(wanted):
        await aprefetch(wanted)  # a registered gateway's providers, fetched off the event loop
    spec = _spec(model)
    gateway = spec.route.gateway
    if gateway is None:
        return _finish(spec, None, _pick(spec, None), clients)
    model_id = spec.route.model_id
    from_gateway = (
        None if spec.api_key else await resolve_maybe_awaitable(gateway.get_api_key(model_id))
    )
    key = _pick(spec, from_gateway)
    if key is not None:
        ready = await resolve_maybe_awaitable(
            gateway.resolve_language_model(
                model_id=model_id,
                provider_id=spec.route.provider,
                api_key=key,
                headers=spec.headers,
            )
        )
        if ready is not None:
            return ready
    gateway_url = (
        None if spec.config_url else await resolve_maybe_awaitable(gateway.build_url(model_id))
    )
    return _finish(spec, gateway_url, key, clients)


def _ready(spec: _Spec, key: str | None, wait: Callable[[Any], Any]) -> LanguageModel | None:
    if key is None or spec.route.gateway is None:
        return None
    found: LanguageModel | None = wait(
        spec.route.gateway.resolve_language_model(
            model_id=spec.route.model_id,
            provider_id=spec.route.provider,
            api_key=key,
            headers=spec.headers,
        )
    )
    return found
