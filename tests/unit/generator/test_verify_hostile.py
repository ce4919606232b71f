"""The hostile catalogue through the real pipeline, then import + mypy --strict on it."""

from __future__ import annotations

from pathlib import Path

import pytest

from modelrouter_generator._errors import VerifyError
from modelrouter_generator.pipeline import GenerateOptions, generate_catalog
from modelrouter_generator.verify import verify_catalog

_HOSTILE = "tests.unit.generator.fake_gateways:HostileGateway"


@pytest.mark.slow
def test_hostile_ids_give_importable_mypy_clean_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODELROUTER_SNAPSHOT_DIR", str(tmp_path / "snap"))
    options = GenerateOptions(out_dir=tmp_path / "out", offline=True, gateways=(_HOSTILE,))
    report = generate_catalog(options)  # verify=True: staged, imported, mypy --strict
    assert report.written
    assert any("hostile-gw" in w and "'nul\\x00byte'" in w for w in report.warnings)
    assert (tmp_path / "out/modelrouter_catalog/providers/hostile.py").is_file()


@pytest.mark.slow
def test_a_broken_catalogue_fails_verification(tmp_path: Path) -> None:
    package = tmp_path / "modelrouter_catalog"
    (package / "providers").mkdir(parents=True)
    (package / "providers" / "__init__.py").write_text("")
    (package / "__init__.py").write_text('PROVIDERS = {"x": "x"}\n')
    (package / "providers" / "x.py").write_text("MODELS = {}\nPROVIDER = None\n")
    with pytest.raises(VerifyError, match="import") as caught:
        verify_catalog(tmp_path)  # mypy fails too (`MODELS = {}`): the import is what is reported
    assert caught.value.step == "import"


@pytest.mark.slow
def test_a_catalogue_that_imports_but_mistypes_fails_mypy(tmp_path: Path) -> None:
    package = tmp_path / "modelrouter_catalog"
    package.mkdir()
    (package / "__init__.py").write_text('PROVIDERS: dict[str, str] = {}\nLIMIT: int = "8k"\n')
    (package / "model_ids.py").write_text("")
    with pytest.raises(VerifyError, match="Incompatible types in assignment") as caught:
        verify_catalog(tmp_path)
    assert caught.value.step == "mypy --strict"
    verify_catalog(tmp_path, mypy=False)  # the import half alone passes
