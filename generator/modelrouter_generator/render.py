"""`Catalog` -> file texts: jinja2 templates that print black's style directly.

Black is too slow for the hot path (about 10 s on the 3 MB catalogue against a 2 s target), so
the templates and the filters here emit exactly what black (line length 100, py311) would, and
`verify` plus the golden tests check that black leaves every file unchanged. Payload values reach
the output only through `py` (`repr()` of a value whose type was checked), never pasted into code.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path, PurePosixPath
from typing import Any, Final

import jinja2
from black.strings import normalize_string_quotes, str_width

from modelrouter._version import __version__
from modelrouter_generator._errors import RenderError
from modelrouter_generator.structures import Catalog, ProviderEntry

__all__ = ["GENERATOR_VERSION", "PACKAGE", "render_catalog", "templates_dir"]

GENERATOR_VERSION: Final[str] = __version__
PACKAGE: Final = "modelrouter_catalog"

LINE_LENGTH: Final = 100
_NOT_ARGUMENTS: Final = frozenset({"models", "model_info"})


def templates_dir() -> Path:
    """The templates of a wheel install (`modelrouter_generator/templates`), else the checkout's."""
    bundled = Path(__file__).resolve().parent / "templates"
    if bundled.is_dir():
        return bundled
    return Path(__file__).resolve().parents[2] / "templates"


def _py(value: object) -> str:
    """The one way a value becomes code: `repr()` of a plain, checked literal, in black's quotes."""
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    if isinstance(value, str):
        text = repr(value)
        if "'" in value or '"' in value:
            return normalize_string_quotes(text)
        # No quote inside: black's choice is simply double quotes around repr's body (fast path).
        return f'"{text[1:-1]}"'
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise RenderError(f"refusing to print non-finite number {value!r}")
        return repr(value)
    if isinstance(value, tuple):
        items: tuple[object, ...] = value  # pyright: ignore[reportUnknownVariableType]
        inner = ", ".join(_py(item) for item in items)
        return f"({inner},)" if len(items) == 1 else f"({inner})"
    raise RenderError(f"refusing to print a {type(value).__name__} into generated code")


def _fits(line: str) -> bool:
    return str_width(line) <= LINE_LENGTH


def _assign(target: str, value: object) -> str:
    """`TARGET = value` at module level; black wraps a right-hand side that does not fit in ()."""
    line = f"{target} = {_py(value)}"
    if _fits(line):
        return line
    return f"{target} = (\n    {_py(value)}\n)"


def _subscript(target: str, head: str, items: list[str]) -> str:
    """`TARGET = Head[a, b, ...]` from already-printed items, one a line as black leaves it.

    Black keeps a multi-item subscript exploded by its magic trailing comma, but a one-item
    subscript's comma is not magic, so that case is printed the way black joins or splits it.
    """
    if len(items) == 1:
        line = f"{target} = {head}[{items[0]}]"
        return line if _fits(line) else f"{target} = {head}[\n    {items[0]}\n]"
    body = "".join(f"    {item},\n" for item in items)
    return f"{target} = {head}[\n{body}]"


def _literal(target: str, values: list[str]) -> str:
    """A `Literal[...]` alias of the given strings."""
    return _subscript(target, "Literal", [_py(v) for v in values])


def _kwarg(name: str, value: object, indent: int) -> str:
    """`name=value,` inside an exploded call; a tuple that does not fit goes one item a line."""
    pad = " " * indent
    line = f"{pad}{name}={_py(value)},"
    if _fits(line) or not isinstance(value, tuple) or not value:
        return line
    items: tuple[object, ...] = value  # pyright: ignore[reportUnknownVariableType]
    body = "".join(f"{pad}    {_py(item)},\n" for item in items)
    return f"{pad}{name}=(\n{body}{pad}),"


def _call(callee: str, instance: Any, indent: int) -> str:
    """An exploded call `Callee(\n    field=value,\n)` of a dataclass's printable fields."""
    lines = "\n".join(_kwarg(name, value, indent + 4) for name, value in _arguments(instance))
    return f"{callee}(\n{lines}\n{' ' * indent})"


def _arguments(instance: Any) -> list[tuple[str, object]]:
    """(field, value) pairs of a dataclass worth printing, in declaration order."""
    pairs: list[tuple[str, object]] = []
    for f in dataclasses.fields(instance):
        if f.name in _NOT_ARGUMENTS:
            continue
        value = getattr(instance, f.name)
        if isinstance(value, list):
            value = tuple(value)  # pyright: ignore[reportUnknownArgumentType]
        # Required fields print always; the rest only when they differ from the default.
        if f.default is dataclasses.MISSING or value != f.default:
            pairs.append((f.name, value))
    return pairs


@cache
def _environment(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(root)),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["py"] = _py
    env.filters["arguments"] = _arguments
    env.globals["assign"] = _assign
    env.globals["call"] = _call
    env.globals["kwarg"] = _kwarg
    env.globals["literal"] = _literal
    env.globals["subscript"] = _subscript
    return env


def build_environment() -> jinja2.Environment:
    """A jinja2 Environment over `templates_dir()` with the printing filters and helpers."""
    return _environment(templates_dir())


def _gateways(provider: ProviderEntry, catalog: Catalog) -> list[tuple[str, str]]:
    """The gateway named in a provider's header: the one that won its config."""
    return [(g, h) for g, h in catalog.sources if g == provider.config.gateway]


def render_catalog(
    catalog: Catalog, *, on_file: Callable[[PurePosixPath], None] | None = None
) -> dict[PurePosixPath, str]:
    """Render every file of the catalogue package, keyed by path relative to its parent.

    Args:
        catalog: the normalised catalogue.
        on_file: called with each path as it is rendered (progress).

    Returns:
        Formatted file texts, including the empty `py.typed` markers.
    """
    env = build_environment()
    version = GENERATOR_VERSION
    base = PurePosixPath(PACKAGE)
    typed = [p for p in catalog.providers if p.models]
    typing_names = ["Literal", "TypeAlias", "Union"] if typed else ["Never", "TypeAlias"]
    embedding = list(catalog.embedding_ids)
    if typed and not embedding:
        typing_names.insert(1, "Never")  # `EmbeddingModelId: TypeAlias = Never`
    jobs: list[tuple[PurePosixPath, str, Mapping[str, object]]] = [
        (base / "providers" / "__init__.py", "providers/__init__.py.jinja2", {}),
        (
            base / "model_ids.py",
            "model_ids.py.jinja2",
            {
                "sources": catalog.sources,
                "typed": typed,
                "union": list(catalog.union_aliases),
                "typing_names": typing_names,
                "embedding": embedding,
            },
        ),
    ]
    for provider in catalog.providers:
        path = base / "providers" / f"{provider.module}.py"
        context = {"provider": provider, "gateways": _gateways(provider, catalog)}
        jobs.append((path, "providers/provider.py.jinja2", context))
    # The package __init__ comes last: writers replace it last, so readers switch over at once.
    jobs.append(
        (
            base / "__init__.py",
            "__init__.py.jinja2",
            {"sources": catalog.sources, "providers": catalog.providers},
        )
    )
    files: dict[PurePosixPath, str] = {
        base / "py.typed": "",
        base / "providers" / "py.typed": "",
    }
    for target, template, values in jobs:
        text = env.get_template(f"{PACKAGE}/{template}").render(version=version, **values)
        files[target] = text
        if on_file is not None:
            on_file(target)
    return files
