"""The checker matrix timed: each checker cold on each realistic user file vs a baseline file.

Targets (issue 14): cold check <= 2x the same checker on the baseline file (no modelrouter
types) for mypy and basedpyright; no error line over 2 KB (mypy) / 1 KB (basedpyright); the
plugin's typo message <= 300 bytes with a "did you mean". Also prints what ty's and pyrefly's
language servers offer for `"openai/gp`. Each run is cold (a fresh mypy cache, a new process)
and limited to `BENCH_TYPECHECK_LIMIT` seconds (default 240): a run that hits it prints `>`.
Pick checkers with BENCH_TYPECHECK_CHECKERS=mypy,mypy-plugin,... and files with
BENCH_TYPECHECK_CASES=ok_forms,typo_list,...; the baseline always runs. The `form_*` files hold
one form of README example block 2 each (a generic `Agent[OutputT]` once made them minutes).
BENCH_TYPECHECK_IDS=1000 checks against a synthetic catalogue of that many ids instead of the
installed one (`tests.ide.synthetic`: short runs to compare model-id shapes), written in the
shape BENCH_TYPECHECK_SHAPE names (default "generated", see `tests.ide.synthetic.SHAPES`).

Measured 2026-11-30 (2 cores shared by 6 engineers, load 6-12: read ratios of one run).
Before, on the trial branch (`Agent(Generic[OutputT])`, mypy --strict cold): README example
block 2 524 s (main 172 s), `Agent(model=m)` with `m: ModelId` > 600 s, a typo'd
`Agent(model=...)` > 300 s then a 170 KB line. After (`ModelSpec` a recursive alias), seconds
and ratio to baseline (no modelrouter) / baseline_import (modelrouter imported, no types used):
  mypy          baseline 12.9, baseline_import 72.6 (a busy moment); form_id 52.5 (0.72x), form_constant 38.5
                (0.53x), form_custom 39.2 (0.54x), form_config 44.0 (0.61x), form_lambda 47.5
                (0.66x), form_fallback 49.5 (0.68x), form_variable 48.9 (0.67x),
                ok_readme_forms 52.5 (0.72x), ok_output_type 54.5 (0.75x), typo_argument 57.1
                (0.79x, 137 B line), typo_config_id 50.7, typo_fallback 68.4, typo_lambda 79.9.
  basedpyright  baseline 14.7, baseline_import 18.3; form_id 19.9 (1.36x / 1.09x), form_config
                24.9 (1.70x / 1.36x), form_lambda 23.9 (1.63x), form_fallback 25.0 (1.71x),
                form_variable 21.6 (1.48x), ok_readme_forms 27.6 (1.88x / 1.51x),
                ok_output_type 28.7 (1.96x), ok_forms 32.9 (2.24x), typo_argument 31.8
                (2.17x), typo_config_id 35.0 (2.39x), typo_fallback 34.9 (2.38x), typo_lambda
                250.6 (17.1x: a typo'd literal in a selector lambda, still to fix).
  completion of "openai/gp: basedpyright and ty 38 ids, pyrefly none.
mypy's 3-6x against `baseline` is the cost of analysing the catalogue at all (baseline_import).

Round 3 (2026-11-30, load 2.5-4.8), cold, seconds:
  basedpyright  typo_lambda 250.6 -> 7.1 (baseline 3.1): pyright printed the selector's unnamed
                `ModelId | ModelConfig` by matching every alias in it against every member
                (printUnionType, ~5,000 x 5,000 isTypeSame); it is now `SelectedModel`.
                Synthetic 2,500 ids: 13.4 -> 5.3 (baseline 3.1). ok_spec_narrowing passes.
                Paired with a baseline run just before each (load 1.7-2.5): typo_lambda 5.0
                (2.2), ok_forms 6.3 (2.4), typo_fallback 3.3 (1.8), ok_spec_narrowing 5.1
                (1.9), entry_headers 3.6 (2.1; 4,788 lines of <= 175 B), ok_output_type 5.4
                (2.0); baseline_import 1.9-2.2, a file with one `ModelId` 2.8: above 2x now
                means ~3 s of union work on a 2 s baseline, no single hot spot in a profile.
  mypy          what `import modelrouter` costs (baseline_import, real catalogue, user s):
                8.2-8.8 with everything; 6.5 with redis.* skipped; 4.5 with redis, rich,
                click, markdown_it, pygments and opentelemetry skipped (baseline ~3.3). The
                5,000-id `model_ids` module itself: 0.03 s (--timing-stats). redis came from
                `modelrouter.routing` (TYPE_CHECKING import of RedisStore; gone in round 4:
                user CPU 9.1-9.7 -> 7.3-7.7 s, no `redis.*` module parsed), rich/click come
                from httpx's own CLI module.
                ok_spec_narrowing 242.9 (correct; narrowing, as ok_narrowing). Narrowing
                designs, synthetic 1,000 ids, `tier()` of ok_narrowing: union of per-provider
                aliases (today) 61.1, a recursive ModelId with a str-subclass member 53.8,
                one flat Literal 41.3 (imports alone ~8-12): all quadratic, see the README.
                Real catalogue, load 2.1-3.8: baseline 2.0, baseline_import 10.8,
                ok_narrowing_str 8.4, ok_forms 10.5, ok_spec_narrowing 167.2; with the plugin
                typo_lambda 10.1 (137 B), typo_list 11.1 and entry_split 9.3 but 170 KB lines
                (mypy's own message; no plugin hook runs before a list display or an attribute
                of a union is checked).

Round 4 (2026-11-30): the shape of the ids, on synthetic catalogues of 1,000 ids over 40
providers (BENCH_TYPECHECK_IDS=1000 BENCH_TYPECHECK_SHAPE=generated|recursive_providers|
recursive_union; each shape in one run, load 2.4-6: compare within a run). Longest line, B:
                       generated  recursive_providers  recursive_union
  mypy entry_headers      21,337               21,421           21,355
       entry_split        21,345               21,429           21,363
       typo_list          21,318               21,448           21,336
       typo_dict          21,333               21,463           21,351
       typo_argument         137                  137              137
       typo_fallback       3,099                  294              214
  The four walls do not depend on the shape, plugin or not. mypy reads a TypedDict item
  (`entry["model"]`) through make_simplified_union (checkexpr.visit_typeddict_index_expr) and
  a list/dict display's item type out of the constraint solver (a join: a proper type); both
  expand every alias, recursive ones too (flatten_nested_unions, handle_recursive=True), and
  format_type_inner prints a union's literals as one Literal[...] with no "<N more items>".
  A recursive alias keeps its name only where a union is printed as written (an argument's or
  a TypedDict item's declared type: typo_fallback). Also measured: the same with
  `FallbackEntry.model` spelled inline (not through `SingleModel`), recursive_union and both
  recursive: 23.3-23.4 KB lines (one mypy run over all files, ids named a little longer). basedpyright and ty report `entry["model"]["headers"] = ...` once per member of the
  union in every shape (generated 1,002 errors, recursive_providers 1,042, recursive_union
  1,003): per literal, as pyright maps each subtype of the target.
  recursive_providers also lost, against generated run side by side: the plugin's short line
  for typo_list/typo_dict (its display check wants a union of literals only); mypy
  ok_spec_narrowing 69.2 -> 97.9 s (plugin 62.7 -> 111.9 s); ty ok_forms 0.9 -> 12.0 s;
  pyrefly entry_split line 141 -> 988 B. It gained typo_fallback in pyrefly (caught, 1,155 B
  line). Everything else caught/passed as with generated; basedpyright and ty completion of
  "openai/gp offered the same 4 synthetic ids in every shape. Kept: the generated shape.
  pyrefly: one `Literal` alias of more than 256 members is read as `str` (kilo 344,
  openrouter 358, nano_gpt 525 ids), so `ModelId` holds `str`. Aliases of at most 256 would
  not help: past 256 ids in all (synthetic 300, 400, 600), pyrefly rejects ok_forms' correct
  `IDS: list[ModelId] = [...]` and `dict[str, ModelId]`, and accepts typo_argument.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from tests.ide.conftest import BIN, CHECKERS, split_by_file, write_project
from tests.ide.lsp import complete
from tests.ide.synthetic import write_catalogue
from tests.ide.user_files import CASES, FORMS

_LIMIT = float(os.environ.get("BENCH_TYPECHECK_LIMIT", "240"))
_MATRIX = ("mypy", "mypy-plugin", "basedpyright", "pyright", "ty", "pyrefly")
_TIMED = ("mypy", "mypy-plugin", "basedpyright")


def _wanted(variable: str, default: tuple[str, ...]) -> tuple[str, ...]:
    given = os.environ.get(variable, "")
    return tuple(part for part in given.split(",") if part) or default


def _check(checker: str, root: Path, case: str) -> tuple[float, bool, str]:
    """Seconds, whether it finished, output; a fresh cache per run keeps mypy cold."""
    for cache in root.glob(".cache-*"):
        subprocess.run(["rm", "-rf", str(cache)], check=True)
    command = CHECKERS[checker].command(root, [f"{case}.py"])
    start = time.perf_counter()
    try:
        done = subprocess.run(
            command, cwd=root, capture_output=True, text=True, timeout=_LIMIT, check=False
        )
    except subprocess.TimeoutExpired:
        return time.perf_counter() - start, False, ""
    return time.perf_counter() - start, True, done.stdout + done.stderr


def _row(checker: str, root: Path, case: str, base: float, package: float) -> str:
    seconds, finished, output = _check(checker, root, case)
    lines = split_by_file(output, [case])[case]
    errors = sum("error" in line.lower() for line in lines)
    longest = max((len(line.encode()) for line in lines), default=0)
    plugin = [len(line.encode()) for line in lines if "[model-id]" in line]
    shown = f"{seconds:6.1f} s" if finished else f">{_LIMIT:5.0f} s"
    ratio = f"{seconds / base:5.2f}x / {seconds / package:5.2f}x"
    extra = f" plugin msg <= {max(plugin)} B" if plugin else ""
    return f"  {case:16} {shown} {ratio} errors {errors:4d} longest line {longest:7d} B{extra}"


def _completion(root: Path) -> None:
    """What each server offers in the project (its synthetic catalogue, when there is one)."""
    text = 'from modelrouter import Agent\n\nAgent(name="a", instructions=None, model="openai/gp<|>")\n'
    servers = {
        "ty": [str(BIN / "ty"), "server"],
        "pyrefly": [str(BIN / "pyrefly"), "lsp"],
        "basedpyright": [str(BIN / "basedpyright-langserver"), "--stdio"],
    }
    for name, command in servers.items():
        start = time.perf_counter()
        labels = complete(command, root, text, ["openai/gpt-5"], timeout=60)
        ours = [label for label in labels if label.startswith("openai/gp")]
        print(
            f'  {name:12} completion of "openai/gp: {len(labels)} items,'
            f" {len(ours)} starting openai/gp (e.g. {', '.join(ours[:4]) or 'none'})"
            f" in {time.perf_counter() - start:.1f} s",
            flush=True,
        )


def main() -> None:
    checkers = _wanted("BENCH_TYPECHECK_CHECKERS", _MATRIX)
    cases = _wanted("BENCH_TYPECHECK_CASES", (*(case.name for case in CASES), *FORMS))
    with tempfile.TemporaryDirectory() as scratch:
        root = write_project(Path(scratch))
        if ids := int(os.environ.get("BENCH_TYPECHECK_IDS", "0")):
            shape = os.environ.get("BENCH_TYPECHECK_SHAPE", "generated")
            write_catalogue(root, ids, shape)
            print(f"synthetic catalogue: {ids} ids, shape {shape}", flush=True)
        for name, source in FORMS.items():
            (root / f"{name}.py").write_text(source, encoding="utf-8")
        for checker in checkers:
            base, _, _ = _check(checker, root, "baseline")
            package, _, _ = _check(checker, root, "baseline_import")
            target = " (target <= 2x)" if checker in _TIMED else ""
            print(
                f"{checker}: cold s, ratio to baseline {base:.1f} s / to baseline_import"
                f" {package:.1f} s{target}",
                flush=True,
            )
            for case in cases:
                if not case.startswith("baseline"):
                    print(_row(checker, root, case, base, package), flush=True)
        _completion(root)


if __name__ == "__main__":
    main()
