"""`generate` takes the folder's writer lock: it waits for another writer, or fails clearly."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from modelrouter_generator._errors import WriteError
from modelrouter_generator.lock import CatalogTarget, catalog_lock, writer_lock
from modelrouter_generator.pipeline import GenerateOptions, generate_catalog
from tests.integration.generator.gateways import ENV_CATALOG, MODELS_ENV
from tests.integration.generator.runs import REPO, models_spec

_HOLDER = """
import sys, time
from pathlib import Path
from modelrouter_generator.lock import CatalogTarget, writer_lock
out, released, seconds = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
with writer_lock(CatalogTarget(out_dir=out, preferred=out), timeout=10) as held:
    assert held
    print("held", flush=True)
    time.sleep(seconds)
    released.write_text("released")
"""


@contextmanager
def _held_elsewhere(out: Path, released: Path, seconds: float) -> Iterator[None]:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(out), str(released), str(seconds)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        yield
    finally:
        _, err = holder.communicate(timeout=120)
        assert holder.returncode == 0, err


@pytest.fixture
def options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GenerateOptions:
    monkeypatch.setenv("MODELROUTER_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    monkeypatch.setenv(MODELS_ENV, models_spec({"openai": ["gpt-5"]}))
    return GenerateOptions(
        out_dir=tmp_path / "out", offline=True, verify=False, gateways=(ENV_CATALOG,)
    )


def test_generate_waits_for_another_writer_of_the_same_folder(
    options: GenerateOptions, tmp_path: Path
) -> None:
    released = tmp_path / "released"
    with _held_elsewhere(options.out_dir, released, seconds=1.0):
        report = generate_catalog(options)
        # It could only write once the other process had let go.
        assert released.exists()
    assert report.written


def test_a_lock_held_past_the_timeout_is_a_write_error_and_nothing_is_written(
    options: GenerateOptions, tmp_path: Path
) -> None:
    released = tmp_path / "released"
    with _held_elsewhere(options.out_dir, released, seconds=5.0):
        with pytest.raises(WriteError, match=r"another process has been writing .* for over"):
            generate_catalog(dataclasses.replace(options, lock_timeout=0.2))
        assert not (options.out_dir / "modelrouter_catalog").exists()


def test_catalog_lock_nests_inside_the_refresh_jobs_writer_lock(tmp_path: Path) -> None:
    target = CatalogTarget(out_dir=tmp_path, preferred=tmp_path)
    with writer_lock(target, timeout=0) as held:
        assert held
        # The refresh job holds the lock and runs the pipeline, which takes it again.
        with catalog_lock(tmp_path, timeout=0):
            pass
    # Released for real afterwards.
    with writer_lock(target, timeout=0) as held:
        assert held
