"""A synthetic catalogue of any size, to measure a model-id shape without the real 5,000 ids.

`write_catalogue(root, count)` puts a copy of the installed `modelrouter_catalog` package in a
checker's project root with `model_ids.py` replaced: `count` ids in per-provider `Literal`
aliases joined by a `Union`, smallest first, the shape `make generate` writes. Every checker
resolves a package in the project root before site-packages (pyrefly given `--search-path`),
so `import modelrouter` then reads these ids. The ids the user files of `tests.ide.user_files`
use are kept, so their correct files stay correct and their typos stay typos.

`shape` picks another way to write the same ids, to measure it against the generated one:
"recursive_providers" makes each provider's alias refer to itself through a `str` subclass no
value has (`openai_ids = Union[Literal[...], _IdsOf["openai_ids"]]`), "recursive_union" does
that for `ModelId` only. mypy prints a recursive alias by name, where it does not expand it.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

# The catalogue ids `tests.ide.user_files` writes (a synthetic catalogue must hold them).
USED = (
    "openai/gpt-5",
    "openai/gpt-5-mini",
    "openai/gpt-4o",
    "openai/gpt-4o-mini",
    "anthropic/claude-sonnet-4-5",
    "anthropic/claude-haiku-4-5",
    "google/gemini-2.5-flash",
    "openrouter/anthropic/claude-haiku-4.5",
)
_EMBEDDING = ("openai/text-embedding-3-small", "mistral/mistral-embed")
_PROVIDERS = 40


def synthetic_ids(count: int) -> dict[str, list[str]]:
    """About `count` ids over 40 providers (openai, anthropic, google, openrouter, prov00...)."""
    names = ["openai", "anthropic", "google", "openrouter"]
    names += [f"prov{index:02d}" for index in range(_PROVIDERS - len(names))]
    by_provider: dict[str, list[str]] = {name: [] for name in names}
    for model_id in USED:
        by_provider[model_id.split("/", 1)[0]].append(model_id)
    per_provider = max(count // _PROVIDERS, 2)
    for name, ids in by_provider.items():
        ids.extend(f"{name}/model-{index:04d}" for index in range(per_provider - len(ids)))
        ids.sort()
    return by_provider


SHAPES = ("generated", "recursive_providers", "recursive_union")


def render_model_ids(by_provider: dict[str, list[str]], shape: str = "generated") -> str:
    if shape not in SHAPES:
        raise ValueError(f"shape {shape!r} is not one of {SHAPES}")
    lines = ['"""Synthetic ids (tests.ide.synthetic)."""', "", "from __future__ import annotations"]
    if shape == "generated":
        lines += ["", "from typing import Literal, TypeAlias, Union", ""]
    else:
        lines += ["", "from typing import Generic, Literal, TypeAlias, TypeVar, Union, final", ""]
        lines += ['_T = TypeVar("_T")', "", "", "@final", "class _IdsOf(str, Generic[_T]):"]
        lines += ['    """No value has this type: it only makes an alias refer to itself."""', ""]
    aliases = []
    for name, ids in sorted(by_provider.items(), key=lambda item: (len(item[1]), item[0])):
        alias = f"{name}_ids"
        aliases.append(alias)
        literal = "Literal[" + ", ".join(f'"{model_id}"' for model_id in ids) + "]"
        if shape == "recursive_providers":
            literal = f'Union[{literal}, _IdsOf["{alias}"]]'
        lines.append(f"{alias}: TypeAlias = {literal}")
    if shape == "recursive_union":
        aliases.append('_IdsOf["ModelId"]')
    lines.append(f"ModelId: TypeAlias = Union[{', '.join(aliases)}]")
    quoted = ", ".join(f'"{model_id}"' for model_id in _EMBEDDING)
    lines.append(f"EmbeddingModelId: TypeAlias = Literal[{quoted}]")
    return "\n".join(lines) + "\n"


def write_catalogue(root: Path, count: int, shape: str = "generated") -> Path:
    """Shadow the installed catalogue in `root` with `count` synthetic ids; the package path."""
    spec = importlib.util.find_spec("modelrouter_catalog")
    assert spec is not None and spec.submodule_search_locations is not None
    installed = Path(next(iter(spec.submodule_search_locations)))
    package = root / "modelrouter_catalog"
    shutil.rmtree(package, ignore_errors=True)
    shutil.copytree(installed, package, ignore=shutil.ignore_patterns("__pycache__"))
    (package / "model_ids.py").write_text(render_model_ids(synthetic_ids(count), shape), "utf-8")
    return package
