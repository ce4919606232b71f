"""The public surface: what `modelrouter.__all__` lists is what users get, sorted and complete."""

from __future__ import annotations

import subprocess
import sys

import pytest

import modelrouter
from modelrouter import _errors


def test_all_is_sorted_and_unique() -> None:
    assert list(modelrouter.__all__) == sorted(set(modelrouter.__all__))


def test_every_listed_name_exists() -> None:
    missing = [name for name in modelrouter.__all__ if not hasattr(modelrouter, name)]
    assert missing == []


def test_every_public_error_is_exported() -> None:
    errors = {
        name
        for name in _errors.__all__
        if isinstance(getattr(_errors, name), type)
        and issubclass(getattr(_errors, name), BaseException)
    }
    assert errors <= set(modelrouter.__all__)
    assert all(name.endswith("Error") for name in errors)


def test_every_error_is_a_modelrouter_error() -> None:
    for name in modelrouter.__all__:
        value = getattr(modelrouter, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            assert issubclass(value, modelrouter.ModelRouterError), name


def test_import_loads_no_catalogue_pydantic_or_generator() -> None:
    """`import modelrouter` must stay cheap: the Literal union and pydantic load only on demand."""
    code = (
        "import sys, modelrouter\n"
        "heavy = [m for m in sys.modules if m.startswith(('modelrouter_catalog', 'pydantic',"
        " 'modelrouter_generator', 'jinja2', 'black', 'httpx_sse'))]\n"
        "print(','.join(sorted(heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("good", ["openai/brand-new", "openrouter/vendor/model:free", "a/b"])
def test_custom_model_accepts_provider_slash_model(good: str) -> None:
    assert modelrouter.custom_model(good) == good


@pytest.mark.parametrize("bad", ["", "openai", "openai/", "/gpt-5", " /x"])
def test_custom_model_rejects_malformed_ids(bad: str) -> None:
    with pytest.raises(modelrouter.InvalidModelIdError, match="provider/model"):
        modelrouter.custom_model(bad)
