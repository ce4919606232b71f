"""Cross-process safety: two refreshers at once, and a writer SIGKILLed mid-write."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from modelrouter_generator.lock import CatalogTarget, writer_lock
from modelrouter_generator.pipeline import GenerateOptions
from modelrouter_generator.refresh import RefreshJob

from .conftest import DRIVER, V1, V2, ChangingGateway, catalogue_ids, driver_env

pytestmark = pytest.mark.timeout(300)


@pytest.mark.parametrize(
    ("interval", "writers"),
    [
        # A long interval: the second process finds the catalogue fresh once it gets the lock.
        (3600.0, 1),
        # A tiny one: both refresh, but strictly one after the other.
        (1e-9, 2),
    ],
)
def test_two_processes_refreshing_at_once(
    gateway: ChangingGateway, tmp_path: Path, interval: float, writers: int
) -> None:
    out, journal, go = tmp_path / "generated", tmp_path / "journal", tmp_path / "go"
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                str(DRIVER),
                "refresh",
                str(out),
                str(journal),
                str(go),
                str(interval),
            ],
            env=driver_env(out),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    go.touch()
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    lines = journal.read_text().split("\n")[:-1]
    assert len(lines) == 2 * writers
    # Never two writers inside at once: every "start" is followed by its own "end".
    for start, end in zip(lines[::2], lines[1::2]):
        assert start.startswith("start ") and end == "end " + start.removeprefix("start ")
    assert gateway.models_dev_requests == writers
    expected = V1 if writers == 1 else V2
    assert catalogue_ids(out) == {key: sorted(ids) for key, ids in expected.items()}


def test_writer_killed_mid_write_leaves_the_old_catalogue(
    gateway: ChangingGateway, tmp_path: Path
) -> None:
    out, marker = tmp_path / "generated", tmp_path / "frozen"
    target = CatalogTarget(out_dir=out, preferred=out)
    job = RefreshJob(
        GenerateOptions(out_dir=out, verify=False), target, interval=1e-9, reload=lambda: None
    )
    job.step()
    old_init = (target.package_dir / "__init__.py").read_bytes()
    old_stamp = target.stamp_path.stat().st_mtime_ns
    writer = subprocess.Popen(
        [sys.executable, str(DRIVER), "kill-at", str(out), str(marker), "0"],
        env=driver_env(out),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        frozen = threading.Event()
        while writer.poll() is None and not frozen.wait(0.02):
            if marker.exists():
                frozen.set()
        assert marker.exists(), writer.communicate()[1]
        # It holds the lock and has staged the whole new tree beside the old; kill it there.
        with writer_lock(target, timeout=0) as free:
            assert not free
        os.kill(writer.pid, signal.SIGKILL)
    finally:
        writer.communicate(timeout=60)
    assert writer.returncode == -signal.SIGKILL
    # Old map, every file whole, everything it names importable; the OS freed the lock.
    assert (target.package_dir / "__init__.py").read_bytes() == old_init
    assert target.stamp_path.stat().st_mtime_ns == old_stamp
    assert set(catalogue_ids(out)) == set(V1)
    with writer_lock(target, timeout=0) as free:
        assert free
    # The next round completes the interrupted refresh.
    job.step()
    assert catalogue_ids(out) == {key: sorted(ids) for key, ids in V2.items()}


def test_cli_watch_runs_the_job_in_the_foreground(gateway: ChangingGateway, tmp_path: Path) -> None:
    out = tmp_path / "generated"
    cli = Path(sys.executable).with_name("modelrouter")
    proc = subprocess.Popen(
        [str(cli), "generate", "--watch", "--interval", "0.1", "--no-verify", "--out", str(out)],
        env=driver_env(out),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen: list[str] = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line)
            # Unconfigured logging still shows the job's lines in the terminal.
            if sum("refreshed the model catalogue" in s for s in seen) == 2:
                break
        proc.send_signal(signal.SIGINT)
        out_text, err_text = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, "".join(seen) + err_text
    assert "stopped" in out_text
    refreshed = [s for s in seen if "refreshed the model catalogue" in s]
    assert "acme +2/-0" in refreshed[0] and "acme +1/-0" in refreshed[1]
    assert catalogue_ids(out) == {key: sorted(ids) for key, ids in V2.items()}


@pytest.mark.parametrize("unwritable", [False, True])
def test_background_job_in_an_app_picks_up_new_ids(
    gateway: ChangingGateway, tmp_path: Path, unwritable: bool
) -> None:
    out, cache = tmp_path / "installed", tmp_path / "cache"
    target = CatalogTarget(out_dir=out, preferred=out)
    RefreshJob(
        GenerateOptions(out_dir=out, verify=False), target, interval=1e-9, reload=lambda: None
    ).step()
    extra = {"MODELROUTER_ENV": "development", "MODELROUTER_REFRESH_INTERVAL": "0.2"}
    args = [str(DRIVER), "background", str(out), "acme/gamma-3-preview"]
    if unwritable:
        args.append(str(cache))
    done = subprocess.run(
        [sys.executable, *args],
        env=driver_env(out, extra),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    before, after = (json.loads(line) for line in done.stdout.splitlines())
    assert before == {"before": False}
    assert after["after"] is True
    home = cache if unwritable else out
    assert after["catalog"] == str(home / "modelrouter_catalog" / "__init__.py")
    if unwritable:
        assert f'mypy_path = ["{cache}"]' in done.stderr
        # The installed copy was left alone.
        assert set(catalogue_ids(out)["acme"]) == set(V1["acme"])
