"""`modelrouter generate` against served listings: merge, fall back to snapshots, --strict."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from modelrouter_generator.cli import cli
from modelrouter_generator.pipeline import GenerateOptions, generate_catalog, previous_models
from tests.integration.generator.conftest import Gateways


def test_online_run_merges_every_gateway(gateways: Gateways, tmp_path: Path) -> None:
    report = generate_catalog(GenerateOptions(out_dir=tmp_path, verify=False))
    assert report.failures == ()
    models = previous_models(tmp_path)
    registry = json.loads(gateways.body("models.dev"))
    assert set(registry) <= set(models)
    assert {"gpt-4o", "o1"} <= models["netlify/openai"]
    live = {m["id"] for m in json.loads(gateways.body("openrouter"))["data"]}
    listed = set(registry["openrouter"]["models"])
    assert live - listed and listed - live  # each gateway adds ids the other lacks
    assert live | listed == models["openrouter"]


def test_a_gateway_that_500s_keeps_its_previous_models(gateways: Gateways, tmp_path: Path) -> None:
    generate_catalog(GenerateOptions(out_dir=tmp_path, verify=False))
    before = previous_models(tmp_path)
    gateways.status["openrouter"] = 500
    gateways.status["netlify"] = 503
    args = ["generate", "--no-verify", "--out", str(tmp_path)]
    lenient = CliRunner().invoke(cli, args)
    assert lenient.exit_code == 0, lenient.output
    assert "FAILED openrouter" in lenient.output and "FAILED netlify" in lenient.output
    assert previous_models(tmp_path) == before
    strict = CliRunner().invoke(cli, [*args, "--strict"])
    assert strict.exit_code == 1
    assert previous_models(tmp_path) == before
