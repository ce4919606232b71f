"""`modelrouter directory`: the catalogue as one self-contained, shareable HTML page.

The page is rendered with jinja2 (autoescape on) from `templates/directory/`; its script and
styles are inlined and the catalogue rides along as JSON in a `<script type="application/json">`
block (see `directory_data.script_json` for why that cannot break out), so it opens offline from
a file URL and fetches nothing. The same catalogue always renders to the same bytes.

The catalogue is read through the runtime's reader (`modelrouter._catalog`), or, for a folder
that is not the one this process imports (`generate --out DIR --directory FILE`), by loading
that folder's provider modules from their files.
"""

from __future__ import annotations

import ast
import base64
import hashlib
import importlib.util
import logging
import os
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Final

import jinja2
from markupsafe import Markup

from modelrouter import _catalog
from modelrouter._errors import ConfigurationError
from modelrouter.gateways.base import ProviderConfig
from modelrouter_generator._errors import RenderError, WriteError
from modelrouter_generator.directory_data import CAPABILITIES, collect_directory, script_json
from modelrouter_generator.render import PACKAGE, templates_dir

__all__ = [
    "DEFAULT_DIRECTORY_FILE",
    "ENV_DIRECTORY",
    "directory_from_env",
    "load_catalog_dir",
    "read_catalog",
    "refresh_directory",
    "render_directory",
    "write_directory",
]

DEFAULT_DIRECTORY_FILE: Final = "modelrouter-directory.html"
ENV_DIRECTORY: Final = "MODELROUTER_DIRECTORY"
"""When set, the dev auto-refresh (and `make dev`) rewrites this HTML file after each refresh."""

_log = logging.getLogger("modelrouter.refresh")
_TEMPLATE: Final = "directory/page.html.jinja2"
_SCRIPT: Final = "directory/directory.js"


def _csp_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def read_catalog() -> dict[str, ProviderConfig]:
    """Every provider of the catalogue this process imports, keyed by catalogue key."""
    found: dict[str, ProviderConfig] = {}
    for key in _catalog.provider_keys():
        config = _catalog.get_provider(key)
        if config is not None:
            found[key] = config
    return found


def load_catalog_dir(out_dir: Path) -> dict[str, ProviderConfig]:
    """Every provider of the catalogue in `out_dir/modelrouter_catalog`, loaded from its files.

    The provider map is read from `__init__.py` with `ast` (as `pipeline.previous_models` does);
    each provider module is executed under a private name that never enters `sys.modules`, so
    the catalogue this process routes with is left alone.

    Raises:
        ConfigurationError: the folder holds no readable catalogue (names the folder).
    """
    root = out_dir / PACKAGE
    try:
        tree = ast.parse((root / "__init__.py").read_text(encoding="utf-8"))
        modules = _providers_literal(tree)
    except (OSError, SyntaxError, ValueError) as exc:
        raise ConfigurationError(
            f"catalog: no readable {PACKAGE} in {out_dir} ({type(exc).__name__}: {exc});"
            " pass the folder that holds it, as `generate --out` does"
        ) from exc
    found: dict[str, ProviderConfig] = {}
    for key, module in sorted(modules.items()):
        config = _load_provider(root / "providers" / f"{module}.py", module)
        if config is not None:
            found[key] = config
    return found


def _providers_literal(tree: ast.Module) -> dict[str, str]:
    for node in tree.body:
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "PROVIDERS"
            and node.value is not None
        ):
            value = ast.literal_eval(node.value)
            if isinstance(value, dict):
                return {str(k): str(v) for k, v in value.items()}
    raise ValueError("no PROVIDERS table")


def _load_provider(path: Path, module: str) -> ProviderConfig | None:
    spec = importlib.util.spec_from_file_location(f"_modelrouter_directory_.{module}", path)
    if spec is None or spec.loader is None:
        return None
    namespace = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(namespace)
    except Exception:  # a broken provider module is skipped, as the runtime reader skips it
        return None
    found = getattr(namespace, "PROVIDER", None)
    return found if isinstance(found, ProviderConfig) else None


@cache
def _environment(root: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_directory(providers: Mapping[str, ProviderConfig]) -> str:
    """The page for `providers` (catalogue key -> config): deterministic, self-contained HTML.

    Raises:
        RenderError: a template is missing or failed.
    """
    data = collect_directory(providers)
    try:
        env = _environment(templates_dir())
        script = env.get_template(_SCRIPT).render()
        return env.get_template(_TEMPLATE).render(
            # The two unescaped values: JSON whose <, > and & are \u003c-style escapes (script_json),
            # and our own script, allowed by its hash alone (no inline handler can run).
            data_json=Markup(script_json(data.payload)),
            script=Markup(script),
            script_hash=_csp_hash(script),
            providers=data.providers,
            models=data.models,
            capabilities=[label for _, label in CAPABILITIES],
        )
    except jinja2.TemplateError as exc:
        raise RenderError(f"directory template failed: {exc}") from exc


def write_directory(out: Path, catalog_dir: Path | None = None) -> int:
    """Render the catalogue's page into `out` (atomically); returns the number of models.

    Args:
        out: the HTML file to write; its folder is created.
        catalog_dir: a folder holding `modelrouter_catalog/`; None reads the imported one.

    Raises:
        ConfigurationError: `catalog_dir` holds no catalogue, or the catalogue no models.
        WriteError: `out` could not be written (the old file, if any, is left as it was).
    """
    providers = read_catalog() if catalog_dir is None else load_catalog_dir(catalog_dir)
    if not any(c.models or c.model_info for c in providers.values()):
        where = catalog_dir or "the installed catalogue"
        raise ConfigurationError(
            f"catalog: {where} lists no models; run `modelrouter generate` first"
        )
    text = render_directory(providers)
    _atomic_write(out, text.encode("utf-8"))
    return sum(len(set(c.models) | set(c.model_info)) for c in providers.values())


def _atomic_write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WriteError(f"cannot write the directory page {path}: {exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise WriteError(f"cannot write the directory page {path}: {exc}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def refresh_directory(catalog_dir: Path, environ: Mapping[str, str] | None = None) -> None:
    """The auto-refresh hook: `directory_from_env`, with failures logged instead of raised.

    The catalogue is already written when this runs; a page that cannot be written must not
    count as a failed refresh (which would back off and retry the whole catalogue).
    """
    try:
        path = directory_from_env(catalog_dir, environ)
    except Exception as exc:
        _log.warning("could not rewrite the model directory page (%s: %s)", type(exc).__name__, exc)
        return
    if path is not None:
        _log.info("rewrote the model directory page %s", path)


def directory_from_env(catalog_dir: Path, environ: Mapping[str, str] | None = None) -> Path | None:
    """Rewrite `$MODELROUTER_DIRECTORY` from the catalogue in `catalog_dir`, if it is set.

    Called by the dev auto-refresh after each regeneration (opt-in by the variable).

    Returns:
        The file written, or None when the variable is unset or empty.
    """
    target = (os.environ if environ is None else environ).get(ENV_DIRECTORY, "").strip()
    if not target:
        return None
    path = Path(target).expanduser()
    write_directory(path, catalog_dir)
    return path
