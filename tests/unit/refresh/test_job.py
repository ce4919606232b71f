"""The refresh job's schedule, backoff, logging and writer safety, with a scripted pipeline."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from modelrouter_generator.lock import CatalogTarget, catalog_age, writer_lock
from modelrouter_generator.refresh import RefreshJob, describe_report, watch

from .fakes import Clock, FakeFailure, ScriptedGenerate, ScriptedWait, options, report

if TYPE_CHECKING:
    from modelrouter_generator.pipeline import GenerateReport

HOUR = 3600.0


def make_job(
    tmp_path: Path,
    clock: Clock,
    outcomes: list[GenerateReport | BaseException],
    *,
    age: float | None = None,
    interval: float = HOUR,
    reloads: list[int] | None = None,
    lock_timeout: float = 5.0,
) -> tuple[RefreshJob, ScriptedGenerate]:
    target = CatalogTarget(out_dir=tmp_path, preferred=tmp_path)
    if age is not None:
        init = target.package_dir / "__init__.py"
        init.parent.mkdir(parents=True, exist_ok=True)
        init.write_text("OLD = True\n")
        os.utime(init, (clock.now - age, clock.now - age))
    generate = ScriptedGenerate(clock, list(outcomes))
    sink = reloads if reloads is not None else []
    job = RefreshJob(
        options(tmp_path),
        target,
        interval=interval,
        generate=generate,
        reload=lambda: sink.append(1),
        clock=clock,
        lock_timeout=lock_timeout,
        backoff_base=30.0,
    )
    return job, generate


@pytest.mark.parametrize("age", [None, HOUR, 5 * HOUR])
def test_stale_or_missing_catalogue_refreshes_at_once_then_every_interval(
    tmp_path: Path, age: float | None
) -> None:
    clock = Clock()
    job, generate = make_job(tmp_path, clock, [report(), report(), report()], age=age)
    wait = ScriptedWait(clock, rounds=2)
    job.run(wait)
    assert len(generate.calls) == 3
    assert wait.delays == [HOUR, HOUR, HOUR]


def test_fresh_catalogue_waits_for_the_rest_of_the_interval(tmp_path: Path) -> None:
    clock = Clock()
    job, generate = make_job(tmp_path, clock, [report()], age=600.0)
    wait = ScriptedWait(clock, rounds=1)
    job.run(wait)
    assert wait.delays == [HOUR - 600.0, HOUR]
    assert len(generate.calls) == 1


def test_no_op_refresh_still_resets_the_age(tmp_path: Path) -> None:
    clock = Clock()
    job, _ = make_job(tmp_path, clock, [report()], age=5 * HOUR)
    # The pipeline writes nothing when nothing changed: the stamp alone records the refresh.
    job._generate = lambda opts: report()
    assert job.step() == HOUR
    assert catalog_age(job.target, clock.now) == 0.0


def test_failures_back_off_doubling_and_keep_the_catalogue(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="modelrouter.refresh")
    clock = Clock()
    boom = [RuntimeError(f"gateway down {n}") for n in range(3)]
    job, generate = make_job(tmp_path, clock, [*boom, report()], age=5 * HOUR)
    wait = ScriptedWait(clock, rounds=3)
    job.run(wait)
    assert wait.delays == [30.0, 60.0, 120.0, HOUR]
    assert len(generate.calls) == 4
    failures = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(failures) == 3
    assert "gateway down 0" in failures[0].getMessage()
    assert "retrying in 30s" in failures[0].getMessage()
    assert "retrying in 120s" in failures[2].getMessage()
    assert job.failures == 0


def test_failed_round_touches_nothing(tmp_path: Path) -> None:
    clock = Clock()
    job, _ = make_job(tmp_path, clock, [ValueError("invalid payload")], age=5 * HOUR)
    init = job.target.package_dir / "__init__.py"
    assert job.step() == 30.0
    assert init.read_text() == "OLD = True\n"
    assert not job.target.stamp_path.exists()


def test_backoff_is_capped_at_the_interval(tmp_path: Path) -> None:
    clock = Clock()
    job, _ = make_job(tmp_path, clock, [OSError("x") for _ in range(4)], interval=50.0)
    assert [job.step() for _ in range(4)] == [30.0, 50.0, 50.0, 50.0]


def test_gateway_failures_log_one_line_each_and_retry_early(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="modelrouter.refresh")
    clock = Clock()
    partial = report(
        failures=(FakeFailure("netlify", "HTTP 503"), FakeFailure("openrouter", "data.0.id"))
    )
    job, _ = make_job(tmp_path, clock, [partial], age=5 * HOUR)
    assert job.step() == 30.0
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == 3
    assert lines[0].startswith("refreshed the model catalogue")
    assert "netlify" in lines[1] and "HTTP 503" in lines[1]
    assert "openrouter" in lines[2] and "data.0.id" in lines[2]
    # No stamp: the data may be stale, so the next round is due after the backoff.
    assert job.due_in() == 0.0


def test_reload_follows_every_refresh(tmp_path: Path) -> None:
    clock = Clock()
    reloads: list[int] = []
    job, _ = make_job(tmp_path, clock, [report(), report()], age=5 * HOUR, reloads=reloads)
    job.step()
    clock.now += HOUR
    job.step()
    assert len(reloads) == 2


def test_skips_when_another_process_just_refreshed(tmp_path: Path) -> None:
    clock = Clock()
    reloads: list[int] = []
    job, generate = make_job(tmp_path, clock, [], age=5 * HOUR, reloads=reloads)
    other = RefreshJob(
        options(tmp_path),
        job.target,
        interval=HOUR,
        generate=lambda opts: report(),
        reload=lambda: None,
        clock=clock,
    )
    other.step()
    # This process saw a stale catalogue, but the other writer won the lock first.
    assert job.refresh_if_due() is None
    assert generate.calls == []
    assert reloads == [1]  # it still picks up the other process's ids


def test_busy_lock_is_a_logged_failure_not_a_hang(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="modelrouter.refresh")
    clock = Clock()
    job, generate = make_job(tmp_path, clock, [report()], age=5 * HOUR, lock_timeout=0)
    with writer_lock(job.target, timeout=0) as held:
        assert held
        assert job.step() == 30.0
    assert generate.calls == []
    assert "another process has held" in caplog.records[-1].getMessage()


def test_interrupts_are_never_swallowed(tmp_path: Path) -> None:
    clock = Clock()
    job, _ = make_job(tmp_path, clock, [KeyboardInterrupt()], age=5 * HOUR)
    with pytest.raises(KeyboardInterrupt):
        job.step()


def test_describe_report_lists_changes_per_provider(tmp_path: Path) -> None:
    target = CatalogTarget(out_dir=tmp_path, preferred=tmp_path)
    quiet = describe_report(report(providers=2, models=9), target)
    assert quiet.endswith("2 providers, 9 models; no changes")
    line = describe_report(
        report(
            providers=2,
            models=9,
            added={"openai": ("gpt-9", "gpt-9-mini"), "groq": ()},
            dropped={"groq": ("old",)},
        ),
        target,
    )
    assert "groq +0/-1, openai +2/-0" in line
    assert "restart its language server" in line


def test_describe_report_summarises_long_change_lists(tmp_path: Path) -> None:
    target = CatalogTarget(out_dir=tmp_path, preferred=tmp_path)
    added = {f"p{n:02d}": ("m",) for n in range(20)}
    line = describe_report(report(added=added), target)
    assert "p07 +1/-0, and 12 more providers +12/-0" in line
    assert "p08" not in line


def test_watch_falls_back_to_cache_and_says_what_to_configure(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.INFO, logger="modelrouter.refresh")
    monkeypatch.setenv("MODELROUTER_OFFLINE", "1")
    blocker = tmp_path / "readonly"
    blocker.write_text("a file, so nothing can be created below it")
    clock = Clock()
    generate = ScriptedGenerate(clock, [report()])
    watch(
        options(blocker / "site-packages"),
        interval=HOUR,
        wait=lambda seconds: True,
        generate=generate,
        reload=lambda: None,
        cache_dir=tmp_path / "cache",
    )
    (call,) = generate.calls
    assert call.out_dir == tmp_path / "cache"
    assert call.offline is True
    messages = "\n".join(r.getMessage() for r in caplog.records)
    assert f'mypy_path = ["{tmp_path / "cache"}"]' in messages
    assert f'extraPaths = ["{tmp_path / "cache"}"]' in messages


def test_watch_logs_invalid_switches(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.INFO, logger="modelrouter.refresh")
    monkeypatch.setenv("MODELROUTER_REFRESH_INTERVAL", "soon")
    clock = Clock()
    watch(
        options(tmp_path),
        interval=HOUR,
        wait=lambda seconds: True,
        generate=ScriptedGenerate(clock, [report()]),
        reload=lambda: None,
    )
    assert any("'soon'" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
