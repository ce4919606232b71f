"""A custom gateway's "OpenAI" must not take the `openai` module: `providers.openai.GPT_5` stays."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from modelrouter_generator.pipeline import GenerateOptions, generate_catalog
from tests.integration.generator.gateways import CASE_VARIANT, ENV_CATALOG, MODELS_ENV
from tests.integration.generator.runs import models_spec

_PROBE = """
from modelrouter_catalog import PROVIDERS
from modelrouter_catalog.providers import openai, openai_2
print(PROVIDERS["openai"], PROVIDERS["OpenAI"], openai.GPT_5, openai_2.HOUSE_MODEL)
"""


@pytest.mark.parametrize("order", ["custom-last", "custom-first"])
def test_case_variant_provider_ids_leave_openai_its_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, order: str
) -> None:
    monkeypatch.setenv("MODELROUTER_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    monkeypatch.setenv(MODELS_ENV, models_spec({"openai": ["gpt-5"]}))
    specs = (ENV_CATALOG, CASE_VARIANT) if order == "custom-last" else (CASE_VARIANT, ENV_CATALOG)
    out = tmp_path / "out"
    generate_catalog(GenerateOptions(out_dir=out, offline=True, verify=False, gateways=specs))
    probe = subprocess.run(
        [sys.executable, "-c", _PROBE],
        env={**os.environ, "PYTHONPATH": str(out)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.split() == ["openai", "openai_2", "openai/gpt-5", "OpenAI/house-model"]
