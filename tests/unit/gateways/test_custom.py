"""Loading `pkg.module:Class` gateway specs and `[tool.modelrouter] gateways`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from modelrouter_generator.listings import ModelsDevListing
from modelrouter_generator.custom import GatewaySpecError, load_gateway, project_gateway_specs
from modelrouter_generator.sources import default_gateways
from tests.unit.gateways.fakes import AsyncGateway, ClashingGateway, SyncGateway

FAKES = "tests.unit.gateways.fakes"


def test_loads_and_instantiates() -> None:
    assert isinstance(load_gateway(f"{FAKES}:SyncGateway"), SyncGateway)
    assert isinstance(load_gateway(f" {FAKES}:AsyncGateway "), AsyncGateway)


@pytest.mark.parametrize(
    ("spec", "reason"),
    [
        ("no_colon_here", "expected 'package.module:ClassName'"),
        ("pkg.module:", "expected 'package.module:ClassName'"),
        ("pkg mod:Class", "expected 'package.module:ClassName'"),
        ("surely_missing_pkg_h1.mod:Class", "module 'surely_missing_pkg_h1' not found"),
        (f"{FAKES}:Missing", "has no attribute 'Missing'"),
        (f"{FAKES}:NotAGateway", "is not a subclass of modelrouter.ModelGateway"),
        (f"{FAKES}:not_a_class", "is not a subclass of modelrouter.ModelGateway"),
        (f"{FAKES}:NeedsArguments", "it must take no arguments"),
    ],
)
def test_bad_specs_raise_typed_errors(spec: str, reason: str) -> None:
    with pytest.raises(GatewaySpecError) as caught:
        load_gateway(spec)
    assert caught.value.spec == spec
    assert reason in str(caught.value)
    assert repr(spec) in str(caught.value)


def test_module_that_fails_to_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "h1_broken_gateway.py").write_text("raise RuntimeError('boom')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(
        GatewaySpecError, match="importing 'h1_broken_gateway' failed: RuntimeError: boom"
    ):
        load_gateway("h1_broken_gateway:Gateway")


def test_project_specs_from_pyproject(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert project_gateway_specs(tmp_path) == []
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    assert project_gateway_specs(tmp_path) == []
    (tmp_path / "h1_project_gateway.py").write_text(
        "from tests.unit.gateways.fakes import SyncGateway\n"
        "class ProjectGateway(SyncGateway):\n    id = 'project'\n"
    )
    (tmp_path / "pyproject.toml").write_text(
        '[tool.modelrouter]\ngateways = ["h1_project_gateway:ProjectGateway"]\n'
    )
    monkeypatch.setattr(sys, "path", list(sys.path))
    assert project_gateway_specs(tmp_path) == ["h1_project_gateway:ProjectGateway"]
    ids = [g.id for g in default_gateways(project_dir=tmp_path, extra=[f"{FAKES}:AsyncGateway"])]
    assert ids == ["models.dev", "netlify", "openrouter", "project", "acme-async"]


@pytest.mark.parametrize(
    "text",
    [
        '[tool.modelrouter]\ngateways = "a:B"\n',
        "[tool.modelrouter\n",
        "[tool.modelrouter]\ngateways = [1]\n",
    ],
)
def test_bad_pyproject_setting(tmp_path: Path, text: str) -> None:
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(GatewaySpecError, match="tool.modelrouter"):
        project_gateway_specs(tmp_path)


def test_default_gateways_custom_wins_id_clash() -> None:
    gateways = default_gateways(extra=[f"{FAKES}:ClashingGateway"])
    assert [g.id for g in gateways] == ["netlify", "openrouter", "models.dev"]
    assert isinstance(gateways[-1], ClashingGateway)
    assert not any(isinstance(g, ModelsDevListing) for g in gateways)
