"""Model id -> gateway -> provider config -> wire protocol and base URL. Pure, and cached.

`resolve_route` does the part that depends only on the id, the catalogue and the registered
gateways, and caches it (a dict hit after the first call); `base_url` does the part that reads
the environment, at every call, because the environment may change between calls.

The catalogue and the gateway registry are reached through two small protocols so tests can
inject fakes; by default they are the real modules, imported on first use, and a missing or
empty catalogue only makes the built-in providers of `_defaults` the only known ones.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Protocol, cast

from modelrouter._defaults import (
    DEFAULT_WIRE,
    PUBLIC_BASE_URLS,
    default_env_vars,
    env_prefix,
)
from modelrouter._errors import (
    ConfigurationError,
    MissingUrlVariableError,
    UnknownProviderError,
)
from modelrouter._validate import check_model_id

if TYPE_CHECKING:
    from modelrouter._types import WireFormat
    from modelrouter.gateways.base import ModelGateway, ProviderConfig

__all__ = [
    "CatalogLookup",
    "GatewayLookup",
    "MissingUrlVariableError",
    "Route",
    "api_wire",
    "base_url",
    "clear_cache",
    "resolve_route",
]

_TEMPLATE_VAR: Final = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")

# OpenAI models served by the Responses API only. The catalogue (models.dev) has no field for
# it, so the rule is the families OpenAI ships that way: `-pro` (o1-pro, o3-pro, gpt-5-pro, ...)
# and `codex` (gpt-5-codex, codex-mini-latest, ...), by the catalogue's family when it has one
# ("gpt-pro", "o-pro", "gpt-codex", "gpt-codex-spark") and by the id's segments otherwise (an id
# newer than the catalogue). Only for OpenAI's own API: a gateway or compatible server opts in.
_RESPONSES_ONLY_ID: Final = re.compile(r"(?:^|-)(?:pro|codex)(?:-|$)")
_RESPONSES_PROVIDER: Final = "openai"


class CatalogLookup(Protocol):
    """The part of `modelrouter._catalog` resolution needs."""

    def get_provider(self, key: str) -> ProviderConfig | None: ...

    def suggest_providers(self, key: str, n: int = 3) -> list[str]: ...

    def suggest_models(self, key: str, model: str, n: int = 3) -> list[str]: ...

    def gateway_prefixes(self) -> frozenset[str]: ...


class GatewayLookup(Protocol):
    """The part of `modelrouter.gateways.registry` resolution needs."""

    def registered_gateways(self) -> tuple[ModelGateway, ...]: ...

    def gateway_for_prefix(self, prefix: str) -> ModelGateway | None: ...


class _EmptyCatalog:
    def get_provider(self, key: str) -> ProviderConfig | None:
        return None

    def suggest_providers(self, key: str, n: int = 3) -> list[str]:
        return []

    def suggest_models(self, key: str, model: str, n: int = 3) -> list[str]:
        return []

    def gateway_prefixes(self) -> frozenset[str]:
        return frozenset()


class _NoGateways:
    def registered_gateways(self) -> tuple[ModelGateway, ...]:
        return ()

    def gateway_for_prefix(self, prefix: str) -> ModelGateway | None:
        return None


def _module_or(name: str, fallback: Any) -> Any:
    # The catalogue reader and the registry are other modules' work; without them the
    # runtime still routes the built-in providers.
    try:
        return importlib.import_module(name)
    except ImportError:
        return fallback


def default_catalog() -> CatalogLookup:
    """The real catalogue reader, or an empty one when it cannot be imported."""
    lookup: CatalogLookup = _module_or("modelrouter._catalog", _EmptyCatalog())
    return lookup


_gateways: GatewayLookup | None = None


def default_gateways() -> GatewayLookup:
    """The real gateway registry, or an empty one when it cannot be imported."""
    global _gateways
    lookup = _gateways
    if lookup is None:  # looked up once: import_module costs more than a cache hit
        lookup = _gateways = _module_or("modelrouter.gateways.registry", _NoGateways())
    return lookup


@dataclass(frozen=True, slots=True)
class Route:
    """What the id, the catalogue and the gateways say about one model id.

    Attributes:
        model_id: the id as written.
        provider_key: catalogue key, e.g. "openai" or "netlify/openai".
        provider: provider id without a gateway prefix; it keys provider options.
        model: the bare model id sent on the wire.
        wire: the wire protocol.
        env_vars: variables that may hold the key, in order of preference.
        url_template: the catalogue's base URL (model override first), may hold `${VAR}`.
        default_url: the built-in public base URL, if any.
        api_key_header: header for the key when not the protocol's usual one.
        gateway: the gateway that routes the id, if one does.
        known_model: whether the catalogue lists the model (unknown ones are still sent).
    """

    model_id: str
    provider_key: str
    provider: str
    model: str
    wire: WireFormat
    env_vars: tuple[str, ...]
    url_template: str | None
    default_url: str | None
    api_key_header: str | None
    gateway: ModelGateway | None
    known_model: bool


_cache: dict[tuple[str, bool], Route] = {}
_cache_token: tuple[object, ...] = ()


def clear_cache() -> None:
    """Forget every resolved id (the cache also drops itself when its inputs change)."""
    _cache.clear()


def _token(gateways: GatewayLookup) -> tuple[object, ...]:
    # Identity of what a cached route depends on: a new registration, or a catalogue
    # reloaded after a refresh (a new PROVIDERS object), invalidates every entry. The real
    # registry counts its changes (`version`, O(1)); another lookup is compared by its list.
    catalogue = sys.modules.get("modelrouter_catalog")
    version = getattr(gateways, "version", None)
    changes = version() if version is not None else gateways.registered_gateways()
    return (changes, getattr(catalogue, "PROVIDERS", None))


def resolve_route(
    model_id: str,
    *,
    catalog: CatalogLookup | None = None,
    gateways: GatewayLookup | None = None,
    lenient: bool = False,
) -> Route:
    """Resolve `model_id` (cached when the real catalogue and registry are used).

    Raises:
        InvalidModelIdError: not a "provider/model" string.
        UnknownProviderError: neither a gateway nor the catalogue knows the provider
            (unless `lenient`: then the id is taken as an OpenAI-compatible endpoint).
    """
    global _cache_token
    if catalog is not None or gateways is not None:
        return _resolve(
            model_id, catalog or default_catalog(), gateways or default_gateways(), lenient
        )
    registry = default_gateways()
    key = (model_id, lenient)
    route = _cache.get(key) if _token(registry) == _cache_token else None
    if route is None:
        route = _resolve(model_id, default_catalog(), registry, lenient)
        # Taken after resolving: the first resolution may import the catalogue itself.
        token = _token(registry)
        if token != _cache_token:
            _cache.clear()
            _cache_token = token
        _cache[key] = route
    return route


def split_id(model_id: object, prefixes: frozenset[str] | set[str]) -> tuple[str, str, str]:
    """`(provider_key, provider, model)`; a gateway prefix takes the next segment too."""
    # Raises InvalidModelIdError for anything but a str, an empty part, whitespace around a
    # part or a control character, so what follows only has to split: the id holds a "/"
    # and neither starts nor ends with one, so `head` and `rest` are never empty.
    check_model_id(model_id)
    head, _, rest = cast(str, model_id).partition("/")
    if head in prefixes:
        provider, sep, model = rest.partition("/")
        if sep and provider and model:
            return f"{head}/{provider}", provider, model
    return head, head, rest


def _resolve(
    model_id: str, catalog: CatalogLookup, registry: GatewayLookup, lenient: bool
) -> Route:
    registered = registry.registered_gateways()
    prefixes = {g.prefix for g in registered if g.prefix} | catalog.gateway_prefixes()
    key, provider, model = split_id(model_id, prefixes)
    prefix = key.partition("/")[0] if "/" in key else None
    gateway = registry.gateway_for_prefix(prefix) if prefix else None
    config = catalog.get_provider(key)
    if gateway is not None:
        # A registered gateway describes its providers itself (fetched once); a test's
        # injected registry may not, and then the catalogue alone decides.
        live = getattr(registry, "live_provider", None)
        config = live(gateway, provider, config) if live is not None else config
    if config is None:
        if gateway is None and key not in PUBLIC_BASE_URLS:
            if lenient:
                return _compatible(model_id, key, provider, model)
            raise UnknownProviderError(key, model_id, catalog.suggest_providers(key))
        return Route(
            model_id=model_id,
            provider_key=key,
            provider=provider,
            model=model,
            wire=(
                "openai-responses"
                if responses_only(key, model, None)
                else DEFAULT_WIRE.get(provider, "openai-chat")
            ),
            env_vars=default_env_vars(key),
            url_template=None,
            default_url=None if prefix else PUBLIC_BASE_URLS.get(key),
            api_key_header=None,
            gateway=gateway,
            known_model=False,
        )
    if gateway is None:
        gateway = next((g for g in registered if g.id == config.gateway), None)
    info = config.model_info.get(model)
    wire: WireFormat = (
        (info.wire if info else None) or config.wire or DEFAULT_WIRE.get(provider, "openai-chat")
    )
    if wire == "openai-chat" and responses_only(key, model, info.family if info else None):
        wire = "openai-responses"
    template = (info.url if info else None) or config.url
    in_url = set(_TEMPLATE_VAR.findall(template or ""))
    return Route(
        model_id=model_id,
        provider_key=key,
        provider=provider,
        model=model,
        wire=wire,
        env_vars=tuple(v for v in config.env_vars if v not in in_url),
        url_template=template,
        default_url=None if prefix else PUBLIC_BASE_URLS.get(key),
        api_key_header=config.api_key_header,
        gateway=gateway,
        known_model=info is not None or model in config.models,
    )


def fill_template(template: str, env: Mapping[str, str], model_id: str) -> str:
    """Replace each `${VAR}` from `env`; a missing one is a `MissingUrlVariableError`."""

    def value(match: re.Match[str]) -> str:
        found = env.get(match.group(1))
        if not found:
            raise MissingUrlVariableError(model_id, match.group(1))
        return found

    return _TEMPLATE_VAR.sub(value, template)


def base_url(
    route: Route,
    env: Mapping[str, str],
    *,
    config_url: str | None = None,
    gateway_url: str | None = None,
) -> str:
    """Config `url` > `<PROVIDER>_BASE_URL` > gateway > catalogue URL > public default."""
    if config_url:
        return config_url
    from_env = env.get(f"{env_prefix(route.provider_key)}_BASE_URL")
    if from_env:
        return from_env
    if gateway_url:
        return gateway_url
    if route.url_template:
        return fill_template(route.url_template, env, route.model_id)
    if route.default_url:
        return route.default_url
    variable = f"{env_prefix(route.provider_key)}_BASE_URL"
    raise ConfigurationError(
        f"No base URL known for {route.model_id}: set {variable} or pass url=... in a model config"
    )


def route_for_url(model_id: str) -> Route:
    """The route of a config dict with its own `url`: the catalogue is optional there.

    A known provider keeps its wire protocol and key variables; any other id is taken as an
    OpenAI-compatible endpoint (a local server, a proxy).
    """
    return resolve_route(model_id, lenient=True)


def _compatible(model_id: str, key: str, provider: str, model: str) -> Route:
    return Route(
        model_id=model_id,
        provider_key=key,
        provider=provider,
        model=model,
        wire="openai-chat",
        env_vars=(),
        url_template=None,
        default_url=None,
        api_key_header=None,
        gateway=None,
        known_model=False,
    )


def responses_only(provider_key: str, model: str, family: str | None) -> bool:
    """Whether OpenAI serves `model` on the Responses API only (see `_RESPONSES_ONLY_ID`)."""
    if provider_key != _RESPONSES_PROVIDER:
        return False
    if family:
        return family.endswith("-pro") or "codex" in family
    return _RESPONSES_ONLY_ID.search(model) is not None


_API_WIRES: Final[dict[str, WireFormat]] = {
    "chat": "openai-chat",
    "responses": "openai-responses",
}


def api_wire(route: Route, api: object, param: str) -> WireFormat:
    """The wire for `route` once an explicit `api` choice ("chat" or "responses") is applied.

    Only OpenAI-style routes have the choice; `param` names where `api` was given in errors.
    """
    if api is None:
        return route.wire
    wire = _API_WIRES.get(api) if isinstance(api, str) else None
    if wire is None:
        raise ConfigurationError(f"{param} must be 'chat' or 'responses', got {api!r}")
    if route.wire not in _API_WIRES.values():
        raise ConfigurationError(
            f"{param}={api!r} applies to OpenAI-style models only; {route.model_id} speaks"
            f" the {route.wire} protocol"
        )
    return wire
