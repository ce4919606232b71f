"""Realistic user files for the checker matrix (tests/ide) and `make bench` (bench_typecheck).

Each case is what a user writes in their own project: correct code that must pass, or one kind
of mistake that must fail naming the bad id or key. `BASELINE` does the same kind of work with
plain `str` and dicts, so its check time is what a file costs without modelrouter's types.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    name: str
    source: str
    names: tuple[str, ...] = ()
    """Empty for a file that must pass; else what every checker's output must mention."""

    @property
    def ok(self) -> bool:
        return not self.names


_HEAD = """from __future__ import annotations

from modelrouter import Agent, FallbackEntry, ModelConfig, ModelId, RuntimeContext, custom_model
"""

BASELINE = Case(
    "baseline",
    """from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypedDict


class Config(TypedDict, total=False):
    id: str
    url: str
    headers: dict[str, str]


def tier(model: str) -> str:
    if model == "openai/gpt-4o":
        return "big"
    if model in ("openai/gpt-5-mini", "anthropic/claude-haiku-4-5"):
        return "small"
    return "other"


def pick(ctx: dict[str, str]) -> str | Config:
    if ctx.get("tier") == "cheap":
        return "openai/gpt-5-mini"
    return {"id": "openai/gpt-5", "headers": {"X-Team": "search"}}


def describe(entries: Sequence[dict[str, object]], selector: Callable[[dict[str, str]], str | Config]) -> list[str]:
    out = [tier(str(entry["model"])) for entry in entries]
    chosen = selector({"tier": "cheap"})
    out.append(chosen if isinstance(chosen, str) else chosen.get("id", ""))
    return out


IDS: list[str] = ["openai/gpt-5", "anthropic/claude-sonnet-4-5"]
BY_TIER: dict[str, str] = {"cheap": "openai/gpt-5-mini", "best": "openai/gpt-5"}
print(describe([{"model": m} for m in IDS], pick), BY_TIER)
""",
)

BASELINE_IMPORT = Case(
    "baseline_import",
    BASELINE.source.replace(
        "from typing import TypedDict\n",
        "from typing import TypedDict\n\nimport modelrouter  # the package, none of its types\n",
    ).replace("print(describe(", "print(modelrouter.__version__, describe("),
)
"""`BASELINE` importing modelrouter: what the package costs before any of its types is used."""

OK_FORMS = Case(
    "ok_forms",
    _HEAD + """
CHEAP: ModelId = "openai/gpt-5-mini"
IDS: list[ModelId] = ["openai/gpt-5", "anthropic/claude-sonnet-4-5", CHEAP]
BY_TIER: dict[str, ModelId] = {"cheap": CHEAP, "best": "openai/gpt-5"}
LOCAL: ModelConfig = {"id": "openai/gpt-5", "url": "http://127.0.0.1:8000/v1", "api_key": "k"}
PLAN: list[FallbackEntry] = [
    {"model": "openai/gpt-5", "max_retries": 3},
    {"model": {"id": "anthropic/claude-sonnet-4-5", "headers": {"X-Team": "a"}}},
    {"model": lambda ctx: "openai/gpt-5-mini", "enabled": False},
]


def pick(ctx: RuntimeContext) -> ModelId | ModelConfig:
    if ctx.get("tier") == "cheap":
        return "openai/gpt-5-mini"
    return {"id": "openai/gpt-5", "headers": {"X-Team": "search"}}


agents = [
    Agent(name="a", instructions=None, model="openai/gpt-5"),
    Agent(name="b", instructions="Be brief.", model=CHEAP),
    Agent(name="c", instructions=None, model=LOCAL),
    Agent(name="d", instructions=None, model=pick),
    Agent(name="e", instructions=None, model=lambda ctx: "anthropic/claude-haiku-4-5"),
    Agent(name="f", instructions=None, model=PLAN),
    Agent(name="g", instructions=None, model=[{"model": m} for m in IDS]),
    Agent(name="h", instructions=None, model=BY_TIER["best"]),
    Agent(name="i", instructions=None, model=custom_model("openai/brand-new")),
    Agent(name="j", instructions=None, model={"id": "google/gemini-2.5-flash"}),
]
""",
)

OK_NARROWING = Case(
    "ok_narrowing",
    _HEAD + """

def tier(model: ModelId) -> str:
    if model == "openai/gpt-4o":
        return "big"
    if model in ("openai/gpt-5-mini", "anthropic/claude-haiku-4-5"):
        return "small"
    if model != "openai/gpt-5" and model not in ["google/gemini-2.5-flash"]:
        return "other"
    return "best"


def describe(entry: FallbackEntry) -> str:
    model = entry["model"]
    if isinstance(model, str):
        return tier(model)
    if isinstance(model, dict):
        config: ModelConfig = model
        return tier(config["id"]) + str(config.get("headers", {}))
    if callable(model):
        return "chosen at run time"
    return model.model_id


def headers_of(entry: FallbackEntry) -> dict[str, str]:
    model = entry["model"]
    if isinstance(model, dict):
        return dict(model.get("headers", {}))
    return dict(entry.get("headers", {}))


print(describe({"model": "openai/gpt-5"}), headers_of({"model": {"id": "openai/gpt-4o"}}))
""",
)

OK_NARROWING_STR = Case(
    "ok_narrowing_str",
    _HEAD + """

def tier(model: ModelId) -> str:
    name: str = model
    if name == "openai/gpt-4o":
        return "big"
    if name in ("openai/gpt-5-mini", "anthropic/claude-haiku-4-5"):
        return "small"
    if name != "openai/gpt-5" and name not in ["google/gemini-2.5-flash"]:
        return "other"
    return "best"


print(tier("openai/gpt-5"))
""",
)
"""The README's advice for mypy: compare a `str` copy, not the `ModelId` (quadratic narrowing)."""

OK_SPEC_NARROWING = Case(
    "ok_spec_narrowing",
    """from __future__ import annotations

from modelrouter import LanguageModel, ModelSpec


def describe(spec: ModelSpec) -> str:
    if isinstance(spec, str):
        return spec
    if isinstance(spec, dict):
        return spec["id"]
    if isinstance(spec, LanguageModel):
        return spec.model_id
    if callable(spec):
        return "chosen at run time"
    return ", ".join(str(entry["model"]) for entry in spec)
""",
)
"""A user narrowing `ModelSpec` to its last member: what makes it recursive must not be left."""

OK_README_FORMS = Case(
    "ok_readme_forms",
    """from __future__ import annotations

from modelrouter import Agent, custom_model
from modelrouter_catalog.providers import openai

Agent(name="a", instructions="...", model="openai/gpt-5")
Agent(name="a", instructions="...", model=openai.GPT_5)
Agent(name="a", instructions="...", model="openrouter/anthropic/claude-haiku-4.5")
Agent(name="a", instructions="...", model=custom_model("openai/brand-new-model"))
Agent(
    name="a",
    instructions="...",
    model={
        "id": "openai/gpt-5",
        "url": "http://127.0.0.1:8000/v1",
        "api_key": "sk-local",
        "headers": {"X-Team": "search"},
    },
)
Agent(
    name="a",
    instructions="...",
    model=lambda ctx: custom_model(f"{ctx['provider-id']}/{ctx['model-id']}"),
)
Agent(
    name="a",
    instructions="...",
    model=[
        {"model": "openai/gpt-5", "max_retries": 3},
        {"model": "anthropic/claude-sonnet-4-5", "max_retries": 2},
    ],
)
""",
)
"""The README's model forms (example block 2): minutes in mypy once `Agent` became generic."""

OK_OUTPUT_TYPE = Case(
    "ok_output_type",
    _HEAD + """from typing import reveal_type

from pydantic import BaseModel


class Forecast(BaseModel):
    city: str
    high: float


def run(model: ModelId) -> None:
    plain = Agent(name="a", instructions=None, model=model)
    typed = Agent(name="w", instructions=None, model=model, output_type=Forecast)
    reveal_type(plain.generate("hi").output)
    reveal_type(typed.generate("hi").output)
    reveal_type(plain.generate("hi", output_type=Forecast).output)
""",
)
"""`Agent[OutputT]`: checkers reveal `str`, `Forecast`, `Forecast` (a `ModelId` variable too)."""


def _forms() -> dict[str, str]:
    """Each form of README example block 2 alone, for `make bench` (the matrix has them all)."""
    head = "from modelrouter import Agent, ModelId, custom_model\n"
    head += "from modelrouter_catalog.providers import openai\n\n"
    calls = {
        "form_id": 'model="openai/gpt-5"',
        "form_constant": "model=openai.GPT_5",
        "form_custom": 'model=custom_model("openai/brand-new-model")',
        "form_config": 'model={"id": "openai/gpt-5", "url": "http://127.0.0.1:8000/v1",'
        ' "api_key": "sk-local", "headers": {"X-Team": "search"}}',
        "form_lambda": "model=lambda ctx: custom_model(f\"{ctx['provider-id']}/{ctx['model-id']}\")",
        "form_fallback": 'model=[{"model": "openai/gpt-5", "max_retries": 3},'
        ' {"model": "anthropic/claude-sonnet-4-5", "max_retries": 2}]',
    }
    forms = {
        name: f'{head}Agent(name="a", instructions="...", {call})\n' for name, call in calls.items()
    }
    forms["form_variable"] = (
        head + 'def make(m: ModelId) -> None:\n    Agent(name="a", instructions=None, model=m)\n'
    )
    return forms


FORMS = _forms()


def _many_calls(count: int, typo_every: int = 0) -> str:
    ids = [
        "openai/gpt-5",
        "anthropic/claude-sonnet-4-5",
        "google/gemini-2.5-flash",
        "openai/gpt-4o",
    ]
    lines = [_HEAD, ""]
    for i in range(count):
        model = ids[i % len(ids)]
        if typo_every and i % typo_every == typo_every - 1:
            model = f"openai/gpt-5o-{i}"
        lines.append(f'a{i} = Agent(name="a{i}", instructions=None, model="{model}")')
    return "\n".join(lines) + "\n"


OK_200_CALLS = Case("ok_200_calls", _many_calls(200))
TYPO_200_CALLS = Case("typo_200_calls", _many_calls(200, typo_every=40), ("openai/gpt-5o-39",))

TYPO_ARGUMENT = Case(
    "typo_argument",
    _HEAD + '\nagent = Agent(name="a", instructions=None, model="openai/gpt-5o")\n',
    ("openai/gpt-5o",),
)
TYPO_VARIABLE = Case(
    "typo_variable",
    _HEAD
    + '\nDEFAULT: ModelId = "openai/gpt-5o"\nagent = Agent(name="a", instructions=None, model=DEFAULT)\n',
    ("openai/gpt-5o",),
)
TYPO_FALLBACK = Case(
    "typo_fallback",
    _HEAD + """
agent = Agent(
    name="a",
    instructions=None,
    model=[{"model": "openai/gpt-5", "max_retries": 2}, {"model": "anthropic/claude-sonet-4-5"}],
)
""",
    ("anthropic/claude-sonet-4-5",),
)
TYPO_CONFIG_ID = Case(
    "typo_config_id",
    _HEAD
    + '\nagent = Agent(name="a", instructions=None, model={"id": "openai/gpt-5o", "api_key": "k"})\n',
    ("openai/gpt-5o",),
)
TYPO_LAMBDA = Case(
    "typo_lambda",
    _HEAD + """
agent = Agent(
    name="a",
    instructions=None,
    model=lambda ctx: "openai/gpt-5-mini" if ctx.get("tier") == "cheap" else "openai/gpt-5o",
)
""",
    ("openai/gpt-5o",),
)
TYPO_LIST = Case(
    "typo_list",
    _HEAD + """
IDS: list[ModelId] = ["openai/gpt-5", "openai/gpt-5o"]
agents = [Agent(name=m, instructions=None, model=m) for m in IDS]
""",
    ("openai/gpt-5o",),
)
TYPO_DICT = Case(
    "typo_dict",
    _HEAD + """
BY_TIER: dict[str, ModelId] = {"cheap": "openai/gpt-5-mini", "best": "openai/gpt-5o"}
agent = Agent(name="a", instructions=None, model=BY_TIER["best"])
""",
    ("openai/gpt-5o",),
)
WRONG_CONFIG_KEY = Case(
    "wrong_config_key",
    _HEAD
    + '\nagent = Agent(name="a", instructions=None, model={"id": "openai/gpt-5", "apikey": "k"})\n',
    ("apikey",),
)
WRONG_VALUE_TYPE = Case(
    "wrong_value_type",
    _HEAD + """
agent = Agent(
    name="a",
    instructions=None,
    model=[{"model": "openai/gpt-5", "max_retries": "3"}, {"model": "openai/gpt-4o"}],
)
""",
    ("max_retries",),
)
ENTRY_HEADERS = Case(
    "entry_headers",
    _HEAD + """

def add_team(entry: FallbackEntry) -> None:
    entry["model"]["headers"] = {"X-Team": "search"}
""",
    ("headers",),
)
ENTRY_SPLIT = Case(
    "entry_split",
    _HEAD + """

def provider_of(entry: FallbackEntry) -> str:
    return entry["model"].split("/")[0]
""",
    ("split",),
)

CASES: tuple[Case, ...] = (
    BASELINE,
    BASELINE_IMPORT,
    OK_FORMS,
    OK_NARROWING,
    OK_NARROWING_STR,
    OK_SPEC_NARROWING,
    OK_200_CALLS,
    OK_README_FORMS,
    OK_OUTPUT_TYPE,
    TYPO_ARGUMENT,
    TYPO_VARIABLE,
    TYPO_FALLBACK,
    TYPO_CONFIG_ID,
    TYPO_LAMBDA,
    TYPO_LIST,
    TYPO_DICT,
    TYPO_200_CALLS,
    WRONG_CONFIG_KEY,
    WRONG_VALUE_TYPE,
    ENTRY_HEADERS,
    ENTRY_SPLIT,
)
