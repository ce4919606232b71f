"""A throwaway user project over the committed catalogue, checked once per session by each checker.

The project holds the realistic user files of `tests.ide.user_files`; modelrouter and its
catalogue come from the installed package, as in a user's virtualenv. Each checker runs once
over all of its files (one cold mypy cache per configuration, shared by every file), and the
checkers run side by side; tests then read their share of the output.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.ide.user_files import CASES, Case

BIN = Path(sys.executable).parent
REVEAL = "reveal_ids"
_REVEAL_SOURCE = """from modelrouter import ModelId


def show(model: ModelId) -> None:
    reveal_type(model)
"""


@dataclass(frozen=True)
class Checker:
    name: str
    cases: tuple[str, ...]
    command: Callable[[Path, Sequence[str]], list[str]]
    max_line: int | None = None
    """Longest error line allowed in bytes (issue 14: mypy 2 KB, basedpyright 1 KB)."""
    extra: tuple[str, ...] = ()
    """Files also checked in the same run, for tests outside the matrix."""
    unnamed: tuple[str, ...] = ()
    """Mistakes this checker catches without naming the bad id or key (the plugin's job)."""

    @property
    def files(self) -> tuple[str, ...]:
        return (*self.cases, *self.extra)


def _mypy_command(config: str) -> Callable[[Path, Sequence[str]], list[str]]:
    def command(root: Path, files: Sequence[str]) -> list[str]:
        head = [sys.executable, "-m", "mypy", "--strict", "--config-file", config]
        return [*head, "--cache-dir", str(root / f".cache-{config}"), *files]

    return command


def _pyright(tool: str) -> Callable[[Path, Sequence[str]], list[str]]:
    return lambda root, files: [str(BIN / tool), "--pythonpath", sys.executable, *files]


def _ty(root: Path, files: Sequence[str]) -> list[str]:
    venv = str(Path(sys.prefix))
    return [str(BIN / "ty"), "check", "--python", venv, "--output-format", "concise", *files]


def _pyrefly(root: Path, files: Sequence[str]) -> list[str]:
    head = [str(BIN / "pyrefly"), "check", "--preset", "default", "--output-format", "min-text"]
    # The project root first, as the other checkers do (a synthetic catalogue there wins).
    head += ["--search-path", str(root)]
    return [*head, "--python-interpreter-path", sys.executable, *files]


_ALL = tuple(case.name for case in CASES)
# mypy spends minutes (quadratic narrowing over the whole union) or prints 40-500 KB lines on
# these without or with the plugin: `make bench` measures them, the matrix keeps to the rest.
# The walls are mypy's for any `Literal` ids: a TypedDict item read (`entry["model"]`) goes
# through make_simplified_union and a list/dict display's item type through the solver, both
# expanding every alias (recursive ones too), and a union's literals print in one unshortened
# `Literal[...]`. Per-provider or whole-union recursive aliases were measured (round 4,
# bench_typecheck): same walls.
MYPY_OUT_OF_BUDGET = (
    "ok_narrowing",
    "ok_spec_narrowing",
    "entry_headers",
    "entry_split",
    "typo_list",
    "typo_dict",
)
_MYPY = tuple(name for name in _ALL if name not in MYPY_OUT_OF_BUDGET)
# basedpyright/pyright print a message per union member for `entry["model"][...] = ...` (4,788
# short lines, none naming the key): `make bench` measures it. A typo'd selector lambda took
# 250 s until the selector's return type got a name (`SelectedModel`, see _types.py).
_PYRIGHT = tuple(name for name in _ALL if name != "entry_headers")
# Caught, but the message names neither the bad key nor the id inside a config dict.
_PYRIGHT_UNNAMED = ("typo_config_id", "wrong_config_key", "wrong_value_type")
# ty reads `isinstance(model, dict)` on the fallback union as possibly a dict implementing a
# protocol too, so the narrowing files are not clean there (a ty rule, not a mistake in them).
_TY = tuple(name for name in _ALL if name not in ("ok_narrowing", "ok_spec_narrowing"))
# pyrefly reads a `Literal` alias of more than 256 members as `str` (the catalogue has such
# providers), so `ModelId` holds `str` and no typo is an error there (see
# test_pyrefly_reads_the_literal_union); it still catches wrong keys and values. Aliases kept
# under 257 members would not help: past 256 ids in all, pyrefly rejects the correct
# `IDS: list[ModelId] = [...]` of ok_forms and still accepts a typo'd argument (round 4).
_PYREFLY = (
    "baseline",
    "baseline_import",
    "ok_forms",
    "ok_narrowing",
    "ok_narrowing_str",
    "ok_spec_narrowing",
    "ok_200_calls",
    "ok_readme_forms",
    "ok_output_type",
    "wrong_config_key",
    "wrong_value_type",
    "entry_headers",
    "entry_split",
)

CHECKERS = {
    checker.name: checker
    for checker in (
        Checker(
            "mypy",
            _MYPY,
            _mypy_command("plain.ini"),
            max_line=2048,
            unnamed=("typo_config_id", "typo_lambda", "wrong_config_key"),
        ),
        Checker(
            "mypy-plugin",
            _MYPY,
            _mypy_command("plugin.ini"),
            max_line=2048,
            # mypy's own line there is still the whole union; the plugin adds a short one.
            extra=("typo_list", "typo_dict"),
        ),
        Checker(
            "basedpyright",
            _PYRIGHT,
            _pyright("basedpyright"),
            max_line=1024,
            unnamed=_PYRIGHT_UNNAMED,
        ),
        Checker("pyright", _PYRIGHT, _pyright("pyright"), max_line=1024, unnamed=_PYRIGHT_UNNAMED),
        Checker(
            "ty",
            _TY,
            _ty,
            unnamed=("typo_fallback", "typo_list", "typo_dict", "wrong_value_type"),
        ),
        Checker(
            "pyrefly",
            _PYREFLY,
            _pyrefly,
            extra=(REVEAL, "typo_variable"),
            unnamed=("wrong_config_key",),
        ),
    )
}


def write_project(root: Path) -> Path:
    for case in CASES:
        (root / f"{case.name}.py").write_text(case.source, encoding="utf-8")
    (root / f"{REVEAL}.py").write_text(_REVEAL_SOURCE, encoding="utf-8")
    (root / "plain.ini").write_text("[mypy]\n", encoding="utf-8")
    (root / "plugin.ini").write_text("[mypy]\nplugins = modelrouter.mypy\n", encoding="utf-8")
    return root


def split_by_file(output: str, names: Sequence[str]) -> dict[str, list[str]]:
    """Each file's lines of a checker's output; indented follow-up lines stay with their file."""
    found: dict[str, list[str]] = {name: [] for name in names}
    current: str | None = None
    for line in output.splitlines():
        hit = next((name for name in names if f"{name}.py:" in line), None)
        if hit is not None:
            current = hit
        elif not line.startswith((" ", "\t")):
            current = None  # a summary, or basedpyright's per-file header
        if current is not None:
            found[current].append(line)
    return found


def _run(checker: Checker, root: Path) -> str:
    files = [f"{name}.py" for name in checker.files]
    done = subprocess.run(
        checker.command(root, files),
        cwd=root,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    return done.stdout + done.stderr


@pytest.fixture(scope="session")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("ide-project"))


@pytest.fixture(scope="session")
def reports(project: Path) -> dict[str, dict[str, list[str]]]:
    """checker -> file -> output lines, every checker run once, three at a time."""
    with ThreadPoolExecutor(max_workers=3) as pool:
        outputs = {name: pool.submit(_run, checker, project) for name, checker in CHECKERS.items()}
        return {
            name: split_by_file(future.result(), CHECKERS[name].files)
            for name, future in outputs.items()
        }


def matrix() -> list[tuple[str, Case]]:
    return [
        (name, case)
        for name, checker in CHECKERS.items()
        for case in CASES
        if case.name in checker.cases
    ]
