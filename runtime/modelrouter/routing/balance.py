"""Load balancing over the deployments of one fallback entry.

An entry with `deployments` becomes consecutive plan entries that share one `Pool`; at every
call the pool's strategy orders them, so the call starts on the chosen deployment and a
failure moves it to the entry's other deployments before the next entry. Strategies keep
their own statistics (in flight, latency) per process; give each entry its own strategy
object, or share one to pool statistics across agents.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar, runtime_checkable

from modelrouter._errors import ConfigurationError

__all__ = [
    "Balancer",
    "LeastInFlight",
    "LowestLatency",
    "Pool",
    "WeightedRandom",
    "order_plan",
]

T = TypeVar("T")


@runtime_checkable
class Balancer(Protocol):
    """Orders an entry's deployments for one call, and hears how each attempt went."""

    def order(self, slots: Sequence[str], weights: Sequence[float]) -> list[int]:
        """The indexes of `slots` in the order to try them."""
        ...

    def started(self, slot: str) -> None: ...

    def finished(self, slot: str, seconds: float | None) -> None:
        """An attempt on `slot` ended: its duration when it answered, else None."""
        ...


def _weighted_order(weights: Sequence[float], rng: random.Random) -> list[int]:
    # Weighted sampling without replacement: the first pick follows the weights exactly.
    left = list(range(len(weights)))
    order: list[int] = []
    while left:
        pick = rng.choices(left, [weights[i] for i in left])[0] if len(left) > 1 else left[0]
        order.append(pick)
        left.remove(pick)
    return order


class _Stats:
    def __init__(self, rng: random.Random | None) -> None:
        self.rng = rng or random.Random()
        self.lock = threading.Lock()
        self.in_flight: dict[str, int] = {}
        self.latency: dict[str, float] = {}

    def started(self, slot: str) -> None:
        with self.lock:
            self.in_flight[slot] = self.in_flight.get(slot, 0) + 1

    def finished(self, slot: str, seconds: float | None) -> None:
        with self.lock:
            self.in_flight[slot] = max(self.in_flight.get(slot, 1) - 1, 0)
            if seconds is not None:
                last = self.latency.get(slot)
                self.latency[slot] = seconds if last is None else 0.7 * last + 0.3 * seconds


class WeightedRandom(_Stats):
    """Pick deployments at random in proportion to their weights (the default).

    Args:
        rng: the random source (seed one for reproducible tests).
    """

    def __init__(self, rng: random.Random | None = None) -> None:
        super().__init__(rng)

    def order(self, slots: Sequence[str], weights: Sequence[float]) -> list[int]:
        return _weighted_order(weights, self.rng)


class LeastInFlight(_Stats):
    """Start on the deployment with the fewest calls in flight from this process (weights
    break ties: fewest per unit of weight first)."""

    def __init__(self, rng: random.Random | None = None) -> None:
        super().__init__(rng)

    def order(self, slots: Sequence[str], weights: Sequence[float]) -> list[int]:
        ties = _weighted_order(weights, self.rng)
        rank = {index: place for place, index in enumerate(ties)}
        load = self.in_flight
        return sorted(ties, key=lambda i: (load.get(slots[i], 0) / weights[i], rank[i]))


class LowestLatency(_Stats):
    """Start on the deployment with the lowest recent latency (an exponential moving average
    of successful attempts); a deployment not yet measured is tried first.

    Args:
        explore: the share of calls balanced by weight instead, so a deployment measured
            slow once (a cold connection) is measured again.
        rng: the random source.
    """

    def __init__(self, explore: float = 0.05, rng: random.Random | None = None) -> None:
        super().__init__(rng)
        if (
            isinstance(explore, bool)
            or not isinstance(explore, (int, float))
            or not 0 <= explore <= 1
        ):
            raise ConfigurationError(f"LowestLatency.explore must be from 0 to 1, got {explore!r}")
        self.explore = explore

    def order(self, slots: Sequence[str], weights: Sequence[float]) -> list[int]:
        ties = _weighted_order(weights, self.rng)
        if self.explore and self.rng.random() < self.explore:
            return ties
        rank = {index: place for place, index in enumerate(ties)}
        seen = self.latency
        return sorted(ties, key=lambda i: (seen.get(slots[i], -1.0), rank[i]))


@dataclass(frozen=True, eq=False)
class Pool:
    """The deployments of one fallback entry: their slots, weights and strategy."""

    balancer: Balancer
    slots: tuple[str, ...]
    weights: tuple[float, ...]


class _Member(Protocol):
    @property
    def pool(self) -> Pool | None: ...


M = TypeVar("M", bound=_Member)


def order_plan(entries: tuple[M, ...]) -> tuple[M, ...]:
    """`entries` with each pool's members reordered by its strategy, for one call."""
    out: list[M] = []
    index = 0
    while index < len(entries):
        pool = entries[index].pool
        if pool is None:
            out.append(entries[index])
            index += 1
            continue
        size = len(pool.slots)
        members = entries[index : index + size]
        out.extend(members[i] for i in pool.balancer.order(pool.slots, pool.weights))
        index += size
    return tuple(out)
