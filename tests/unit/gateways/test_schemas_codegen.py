"""The committed payload models are exactly what `make schemas` generates from the schemas."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from modelrouter_generator import schemas_codegen


def test_every_schema_is_valid_json_with_a_title() -> None:
    for name in schemas_codegen.SCHEMAS:
        schema = json.loads((schemas_codegen.schemas_dir() / f"{name}.json").read_text())
        assert schema["title"] and schema["$schema"].startswith("http://json-schema.org/")


@pytest.mark.slow
def test_regeneration_is_byte_identical_to_the_committed_models(tmp_path: Path) -> None:
    written = schemas_codegen.regenerate(out_dir=tmp_path)
    assert [p.name for p in written] == [f"{n}.py" for n in schemas_codegen.SCHEMAS]
    for path in written:
        committed = schemas_codegen.payloads_dir() / path.name
        assert path.read_text() == committed.read_text(), f"{path.name}: run `make schemas`"
        assert "Do not edit" in "".join(path.read_text().splitlines()[:3])
