"""A fallback entry's deployments: its `model` plus `deployments`, with weights and limits.

`{"model": "openai/gpt-4o", "deployments": [{"id": "openai/gpt-4o", "url": ..., "api_key":
...}], "weights": [3, 1], "balance": LeastInFlight(), "rpm": 500, "tpm": 200_000}` names two
deployments of one model; `rpm`/`tpm` hold each of them to its own client-side limits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from modelrouter._errors import ConfigurationError

from .balance import Balancer, Pool, WeightedRandom
from .identity import fingerprint

__all__ = ["DEFAULT_BALANCER", "check_entry", "limits_of", "pool_of"]

DEFAULT_BALANCER = WeightedRandom()
"""The strategy of an entry that names none (process-wide, unseeded)."""

_MAX_LIMIT = 10**12


def _slot(spec: Any) -> str:
    # Balancing statistics are keyed by what the user wrote, the key as its fingerprint.
    if isinstance(spec, Mapping):
        config = cast(Mapping[str, Any], spec)
        api_key = config.get("api_key")
        return f"{config.get('id')}|{config.get('url', '')}|{fingerprint(api_key)}"
    return str(spec)


def _limit(entry: Mapping[str, Any], name: str) -> int | None:
    value = entry.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= _MAX_LIMIT:
        raise ConfigurationError(
            f"A fallback entry's {name!r} must be a positive int, got {value!r}"
        )
    return value


def limits_of(entry: Mapping[str, Any]) -> tuple[int | None, int | None]:
    """The entry's (rpm, tpm), checked."""
    return _limit(entry, "rpm"), _limit(entry, "tpm")


def check_entry(entry: Mapping[str, Any]) -> None:
    """Construction-time checks of the routing keys of one fallback entry.

    Raises:
        ConfigurationError: naming the key (deployments, weights, balance, rpm, tpm).
    """
    limits_of(entry)
    deployments = entry.get("deployments")
    if deployments is None:
        for key in ("weights", "balance"):
            if key in entry:
                raise ConfigurationError(f"A fallback entry's {key!r} needs 'deployments'")
        return
    if isinstance(deployments, (str, bytes)) or not isinstance(deployments, Sequence):
        raise ConfigurationError(
            "A fallback entry's 'deployments' must be a list of model ids or config dicts"
        )
    for spec in deployments:
        if not isinstance(spec, str) and not (
            isinstance(spec, Mapping) and isinstance(cast(Mapping[str, Any], spec).get("id"), str)
        ):
            raise ConfigurationError(
                "A fallback entry's 'deployments' must hold model ids or config dicts with"
                f" 'id', got {type(spec).__name__}"
            )
    count = 1 + len(deployments)
    weights = entry.get("weights")
    if weights is not None:
        values = list(weights) if isinstance(weights, Sequence) else None
        if (
            values is None
            or len(values) != count
            or not all(
                not isinstance(w, bool) and isinstance(w, (int, float)) and 0 < w < 1e9
                for w in values
            )
        ):
            raise ConfigurationError(
                f"A fallback entry's 'weights' must be {count} positive numbers (one for"
                " 'model', one per deployment)"
            )
    balance = entry.get("balance")
    if balance is not None and not isinstance(balance, Balancer):
        raise ConfigurationError(
            "A fallback entry's 'balance' must be a strategy such as WeightedRandom(),"
            f" LeastInFlight() or LowestLatency(), got {type(balance).__name__}"
        )


def pool_of(entry: Mapping[str, Any], model: Any) -> tuple[list[Any], Pool | None]:
    """The entry's deployment specs (`model` first) and their shared pool (None: just one)."""
    extra = entry.get("deployments")
    if not extra:
        return [model], None
    specs = [model, *cast(Sequence[Any], extra)]
    weights = tuple(float(w) for w in entry.get("weights") or [1.0] * len(specs))
    balancer = cast(Balancer, entry.get("balance") or DEFAULT_BALANCER)
    return specs, Pool(balancer, tuple(_slot(spec) for spec in specs), weights)
