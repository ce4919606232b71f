"""Which gateways the router consults at run time: the user's, then the built-ins.

Nothing here touches the network or builds a gateway at import: the built-in instances are
created on first use. A custom gateway registered under a built-in's id replaces that built-in.
"""

from __future__ import annotations

import threading

from modelrouter._validate import check_gateway
from modelrouter.gateways.base import ModelGateway

__all__ = [
    "builtin_gateways",
    "gateway_for_prefix",
    "register_gateway",
    "registered_gateways",
    "unregister_gateway",
]

_lock = threading.Lock()
_custom: dict[str, ModelGateway] = {}
_builtins: tuple[ModelGateway, ...] | None = None


def builtin_gateways() -> tuple[ModelGateway, ...]:
    """models.dev, Netlify and OpenRouter, each created once per process."""
    global _builtins
    with _lock:
        if _builtins is None:
            from modelrouter.gateways.models_dev import ModelsDevGateway
            from modelrouter.gateways.netlify import NetlifyGateway
            from modelrouter.gateways.openrouter import OpenRouterGateway

            _builtins = (ModelsDevGateway(), NetlifyGateway(), OpenRouterGateway())
        return _builtins


def register_gateway(gateway: ModelGateway) -> None:
    """Route through `gateway`, ahead of the built-ins.

    Registering another gateway with the same `id` replaces the earlier one (and a built-in
    of that id). Models of a gateway with a `prefix` are then addressed `prefix/provider/model`.

    Raises:
        TypeError: `gateway` is not a `ModelGateway` instance, or has no string `id`.
    """
    check_gateway(gateway)  # _validate: a ConfigurationError (and TypeError) naming `gateway`
    if not isinstance(gateway, ModelGateway):
        raise TypeError(
            f"register_gateway() needs a ModelGateway instance, got {type(gateway).__name__}"
        )
    gateway_id = getattr(gateway, "id", None)
    if not isinstance(gateway_id, str) or not gateway_id:
        raise TypeError(f"{type(gateway).__name__} must set a non-empty string `id`")
    with _lock:
        # Same id: the new instance takes the old one's place in the consultation order.
        _custom[gateway_id] = gateway


def unregister_gateway(gateway_id: str) -> bool:
    """Forget the custom gateway with this id; True if there was one."""
    with _lock:
        return _custom.pop(gateway_id, None) is not None


def registered_gateways() -> tuple[ModelGateway, ...]:
    """Custom gateways in registration order, then built-ins not replaced by one."""
    builtins = builtin_gateways()
    with _lock:
        custom = tuple(_custom.values())
        replaced = frozenset(_custom)
    return custom + tuple(g for g in builtins if g.id not in replaced)


def gateway_for_prefix(prefix: str) -> ModelGateway | None:
    """The first registered gateway whose `prefix` is `prefix` (custom ones first), or None."""
    for gateway in registered_gateways():
        if gateway.prefix is not None and gateway.prefix == prefix:
            return gateway
    return None
