"""Production routing across calls and processes: deployment health, cooldowns, load
balancing, client-side limits, and the stores that share that state (memory, Redis).

`RedisStore` is imported on first use, so `import modelrouter` never imports `redis`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .balance import Balancer, LeastInFlight, LowestLatency, WeightedRandom
from .health import ClientRateLimitError, DeploymentCoolingError, DeploymentSkipped, Health
from .memory import MemoryStore
from .policy import HealthPolicy
from .store import HealthStore

if TYPE_CHECKING:
    from .redis_store import RedisStore

__all__ = [
    "Balancer",
    "ClientRateLimitError",
    "DeploymentCoolingError",
    "DeploymentSkipped",
    "Health",
    "HealthPolicy",
    "HealthStore",
    "LeastInFlight",
    "LowestLatency",
    "MemoryStore",
    "RedisStore",
    "WeightedRandom",
]


def __getattr__(name: str) -> Any:
    if name == "RedisStore":
        from .redis_store import RedisStore

        return RedisStore
    raise AttributeError(name)
