"""Load user gateways named `pkg.module:Class` (CLI `--gateway`, or pyproject.toml).

`[tool.modelrouter] gateways = ["pkg.module:Class", ...]` in the project's pyproject.toml
names gateways for every run; `--gateway` adds more. Loading imports the user's module (their
code, by their choice) and instantiates the class with no arguments. Every way this can go
wrong raises `GatewaySpecError` saying which spec and what to fix.
"""

from __future__ import annotations

import importlib
import re
import sys
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from modelrouter._errors import ConfigurationError
from modelrouter.gateways.base import ModelGateway

__all__ = ["GatewaySpecError", "load_gateway", "load_gateways", "project_gateway_specs"]

_SPEC: Final = re.compile(r"^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*:[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$")


class GatewaySpecError(ConfigurationError):
    """A custom gateway spec could not be loaded.

    Attributes:
        spec: the spec as given, e.g. "mypkg.gateways:MyGateway".
    """

    def __init__(self, spec: str, reason: str) -> None:
        self.spec = spec
        super().__init__(f"custom gateway {spec!r}: {reason}")


def load_gateway(spec: str) -> ModelGateway:
    """Import `pkg.module:Class` and return an instance of the class.

    Raises:
        GatewaySpecError: malformed spec, module not importable, no such attribute, not a
            `ModelGateway` subclass, or the class cannot be built without arguments.
    """
    if not isinstance(spec, str) or not _SPEC.match(spec.strip()):
        raise GatewaySpecError(
            str(spec), "expected 'package.module:ClassName', e.g. 'mypkg.gateways:MyGateway'"
        )
    module_name, _, attribute = spec.strip().partition(":")
    try:
        target: object = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        raise GatewaySpecError(
            spec, f"module {exc.name or module_name!r} not found; is the package installed?"
        ) from exc
    except Exception as exc:
        raise GatewaySpecError(
            spec, f"importing {module_name!r} failed: {type(exc).__name__}: {exc}"
        ) from exc
    for part in attribute.split("."):
        try:
            target = getattr(target, part)
        except AttributeError:
            raise GatewaySpecError(
                spec, f"{module_name!r} has no attribute {attribute!r}"
            ) from None
    if not (isinstance(target, type) and issubclass(target, ModelGateway)):
        raise GatewaySpecError(spec, f"{attribute!r} is not a subclass of modelrouter.ModelGateway")
    try:
        gateway = target()
    except Exception as exc:
        raise GatewaySpecError(
            spec, f"{attribute}() failed ({type(exc).__name__}: {exc}); it must take no arguments"
        ) from exc
    if not isinstance(getattr(gateway, "id", None), str) or not gateway.id:
        raise GatewaySpecError(spec, f"{attribute} must set a non-empty string `id`")
    return gateway


def load_gateways(specs: Iterable[str]) -> list[ModelGateway]:
    """Load each spec in order (see `load_gateway`)."""
    return [load_gateway(spec) for spec in specs]


def project_gateway_specs(project_dir: Path) -> list[str]:
    """The `[tool.modelrouter] gateways` list of `project_dir/pyproject.toml`, or [].

    The project folder is appended to `sys.path` (when there are specs) so the project's own
    modules import as they would for `python -m` run from it.

    Raises:
        GatewaySpecError: the file is not valid TOML or the setting is not a list of strings.
    """
    path = project_dir / "pyproject.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise GatewaySpecError(str(path), f"cannot read [tool.modelrouter]: {exc}") from exc
    section = data.get("tool", {}).get("modelrouter", {})
    specs = section.get("gateways", []) if isinstance(section, dict) else None
    if not isinstance(specs, list) or not all(isinstance(s, str) for s in specs):
        raise GatewaySpecError(
            str(path), "[tool.modelrouter] gateways must be a list of 'pkg.module:Class' strings"
        )
    folder = str(project_dir.resolve())
    if specs and folder not in sys.path:
        sys.path.append(folder)
    return list(specs)
