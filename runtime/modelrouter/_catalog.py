"""Run-time reads of the generated catalogue: cheap, lazy, and never fatal.

`modelrouter_catalog` itself is a small map of provider key -> module name; a provider's module
(with its model metadata) is imported the first time someone asks about that provider, and the
set of its ids is built once. A missing, empty or broken catalogue gives empty answers: the
runtime still routes explicit URLs and custom models without it.
"""

from __future__ import annotations

import difflib
import importlib
import sys
import threading
from collections.abc import Mapping
from types import ModuleType
from typing import Final

from modelrouter.gateways.base import ProviderConfig

__all__ = [
    "gateway_prefixes",
    "get_provider",
    "has_model",
    "provider_keys",
    "reload",
    "suggest_models",
    "suggest_providers",
]

_PACKAGE: Final = "modelrouter_catalog"
_lock = threading.RLock()
_providers: dict[str, ProviderConfig | None] = {}
_model_sets: dict[str, frozenset[str]] = {}


def _package() -> ModuleType | None:
    try:
        return importlib.import_module(_PACKAGE)
    except Exception:  # an absent or half-generated catalogue must not break routing
        return None


def _provider_map() -> Mapping[str, str]:
    package = _package()
    providers = getattr(package, "PROVIDERS", None)
    return providers if isinstance(providers, Mapping) else {}


def provider_keys() -> tuple[str, ...]:
    """Every catalogue provider key, sorted ("openai", ..., "netlify/openai", ...)."""
    return tuple(sorted(_provider_map()))


def get_provider(key: str) -> ProviderConfig | None:
    """The config of catalogue provider `key`, importing its module on first use.

    Returns:
        None when the key is unknown or its module cannot be imported.
    """
    with _lock:
        if key in _providers:
            return _providers[key]
        module_name = _provider_map().get(key)
        config: ProviderConfig | None = None
        if module_name is not None:
            try:
                module = importlib.import_module(f"{_PACKAGE}.providers.{module_name}")
            except Exception:
                module = None
            found = getattr(module, "PROVIDER", None)
            config = found if isinstance(found, ProviderConfig) else None
        _providers[key] = config
        return config


def _models(key: str) -> frozenset[str]:
    with _lock:
        models = _model_sets.get(key)
        if models is None:
            config = get_provider(key)
            models = frozenset(config.models) if config is not None else frozenset()
            _model_sets[key] = models
        return models


def has_model(key: str, model: str) -> bool:
    """Whether catalogue provider `key` lists the bare model id `model`."""
    return model in _models(key)


def suggest_providers(key: str, n: int = 3) -> list[str]:
    """Catalogue keys that look like `key`, best first ("did you mean")."""
    return difflib.get_close_matches(key, provider_keys(), n=n)


def suggest_models(key: str, model: str, n: int = 3) -> list[str]:
    """Bare model ids of provider `key` that look like `model`, best first."""
    return difflib.get_close_matches(model, sorted(_models(key)), n=n)


def gateway_prefixes() -> frozenset[str]:
    """Prefixes of the gateways in the catalogue ("netlify"), from keys holding a "/"."""
    return frozenset(key.split("/", 1)[0] for key in _provider_map() if "/" in key)


def reload() -> None:
    """Forget everything cached and load the catalogue again (after a refresh rewrote it)."""
    with _lock:
        _providers.clear()
        _model_sets.clear()
        for name in [m for m in sys.modules if m.startswith(f"{_PACKAGE}.")]:
            del sys.modules[name]
        importlib.invalidate_caches()
        package = sys.modules.get(_PACKAGE)
        if package is None:
            return
        try:
            importlib.reload(package)
        except Exception:
            # The package moved or vanished: drop it so the next read imports it afresh.
            sys.modules.pop(_PACKAGE, None)
