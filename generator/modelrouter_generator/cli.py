"""`modelrouter`: generate the catalogue, and look things up in it.

Each command parses its options and calls plain functions (`generate_catalog`, the
`modelrouter._catalog` reader); everything here is also reachable from Python. `main()` returns
the exit code: 0 ok, 1 a strict run with a failed gateway (or a failed run), 2 bad input.
"""

from __future__ import annotations

import json
import math
import os
import signal
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from modelrouter import _catalog
from modelrouter._errors import ConfigurationError, ModelRouterError
from modelrouter_generator.extra import MissingExtraError, require_generate_extra
from modelrouter_generator.settings import ENV_INTERVAL, load_settings
from modelrouter_generator.show import describe_model, env_status, split_model_id

if TYPE_CHECKING:
    # The pipeline needs the [generate] extra: imported only by the commands that run it, so
    # `list`, `show` and `doctor` work on a base install.
    from modelrouter_generator.pipeline import GenerateOptions, GenerateReport

__all__ = ["cli", "main"]

_SHOWN_IDS = 8


def _summary(report: GenerateReport) -> list[str]:
    lines = [
        f"{report.providers} providers, {report.models} models;"
        f" {len(report.written)} files written, {len(report.removed)} removed",
    ]
    for key in sorted(set(report.added) | set(report.dropped)):
        added = report.added.get(key, ())
        dropped = report.dropped.get(key, ())
        lines.append(f"  {key}: +{len(added)} -{len(dropped)}{_sample(added, dropped)}")
    for failure in report.failures:
        # The message ends with what was done instead (kept the snapshot, or left it out).
        lines.append(f"FAILED {failure.gateway_id}: {failure.message}")
    if report.warnings:
        lines.append(f"{len(report.warnings)} ids skipped (see the warnings above)")
    lines.append(
        f"{report.long_ids} ids are longer than 50 characters: editors will not offer them"
        " as strings; use the constants in modelrouter_catalog.providers.<provider>"
    )
    return lines


def _sample(added: Sequence[str], dropped: Sequence[str]) -> str:
    shown = [f"+{i}" for i in added[:_SHOWN_IDS]] + [f"-{i}" for i in dropped[:_SHOWN_IDS]]
    more = len(added) + len(dropped) - len(shown)
    text = " (" + ", ".join(shown) + (f", ... {more} more" if more else "") + ")"
    return text if shown else ""


def _options(
    out: Path | None, offline: bool, strict: bool, gateways: Sequence[str], verify: bool
) -> GenerateOptions:
    from modelrouter_generator.pipeline import GenerateOptions, default_out_dir

    return GenerateOptions(
        out_dir=out or default_out_dir(),
        offline=offline or load_settings().offline,
        strict=strict,
        gateways=tuple(gateways),
        project_dir=Path.cwd(),
        verify=verify,
    )


def _seconds(raw: str) -> float | None:
    """A positive, finite number of seconds, or None (0, negatives, nan, inf, not a number)."""
    try:
        seconds = float(raw.strip())
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds > 0 else None


def _check_seconds(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    if value is None:
        return None
    seconds = _seconds(value)
    if seconds is None:
        raise click.BadParameter(f"{value!r} is not a positive number of seconds (e.g. 3600)")
    return seconds


def _interval(interval: float | None) -> float:
    """--interval, else $MODELROUTER_REFRESH_INTERVAL (checked as strictly), else the default."""
    if interval is not None:
        return interval
    raw = os.environ.get(ENV_INTERVAL, "")
    if not raw.strip():
        return load_settings().interval
    seconds = _seconds(raw)
    if seconds is None:
        raise click.UsageError(
            f"{ENV_INTERVAL}={raw!r} is not a positive number of seconds (e.g. 3600)"
        )
    return seconds


def _require_extra(ctx: click.Context, what: str, *, verify: bool) -> None:
    try:
        require_generate_extra(what, verify=verify)
    except MissingExtraError as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(1)


def _watch(options: GenerateOptions, interval: float) -> int:
    from modelrouter_generator.refresh import watch  # imported only when asked

    # Ctrl-C during a fetch round lands inside `asyncio.run`, whose own SIGINT handling only
    # cancels the round's task; on 3.11 a cancel racing a finishing `wait_for` is swallowed and
    # the job went on watching. Our handler also sets `stop`, which the next wait reads.
    stop = threading.Event()

    def interrupt(signum: int, frame: object) -> None:
        stop.set()
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, interrupt)
    try:
        watch(options, interval=interval, wait=stop.wait)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, previous)
    click.echo("stopped")
    return 0


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """One typed API over every LLM provider: build and inspect the model catalogue."""


_out_option = click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder that holds modelrouter_catalog/ (default: where it is installed).",
)
_interval_option = click.option(
    "--interval",
    callback=_check_seconds,
    metavar="SECONDS",
    default=None,
    help="Seconds between runs (default: $MODELROUTER_REFRESH_INTERVAL, else 3600).",
)


@cli.command()
@click.option("--offline", is_flag=True, help="No network: bundled models.dev data, snapshots.")
@click.option("--strict", is_flag=True, help="Exit 1 when a gateway fails.")
@click.option(
    "--gateway", "gateways", multiple=True, metavar="MODULE:CLASS", help="Custom gateway."
)
@_out_option
@click.option("--watch", is_flag=True, help="Keep regenerating every --interval seconds.")
@_interval_option
@click.option("--no-verify", is_flag=True, help="Skip the import + mypy --strict check.")
@click.option(
    "--directory",
    "directory_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the HTML model directory to this file (with --watch: after each refresh).",
)
@click.pass_context
def generate(
    ctx: click.Context,
    offline: bool,
    strict: bool,
    gateways: tuple[str, ...],
    out: Path | None,
    watch: bool,
    interval: float | None,
    no_verify: bool,
    directory_file: Path | None,
) -> None:
    """Fetch every gateway's models and write the typed catalogue."""
    seconds = _interval(interval) if watch else None
    _require_extra(ctx, "modelrouter generate", verify=not no_verify)
    from modelrouter_generator.pipeline import generate_catalog

    options = _options(out, offline, strict, gateways, not no_verify)
    if seconds is not None:
        if directory_file is not None:
            from modelrouter_generator.directory import ENV_DIRECTORY

            os.environ[ENV_DIRECTORY] = str(directory_file.resolve())
        ctx.exit(_watch(options, seconds))
    try:
        report = generate_catalog(options, progress=click.echo)
        if directory_file is not None:
            from modelrouter_generator.directory import write_directory

            write_directory(directory_file, options.out_dir)
            click.echo(f"wrote the model directory {directory_file}")
    except ModelRouterError as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(2 if isinstance(exc, ConfigurationError) else 1)
    for line in _summary(report):
        click.echo(line)
    ctx.exit(report.exit_code)


@cli.command()
@_out_option
@_interval_option
@click.pass_context
def dev(ctx: click.Context, out: Path | None, interval: float | None) -> None:
    """generate --watch with MODELROUTER_ENV=development (the dev auto-refresh loop)."""
    seconds = _interval(interval)
    _require_extra(ctx, "modelrouter dev", verify=True)
    os.environ["MODELROUTER_ENV"] = "development"
    ctx.exit(_watch(_options(out, False, False, (), True), seconds))


@cli.command(name="list")
@click.argument("provider", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def list_(ctx: click.Context, provider: str | None, as_json: bool) -> None:
    """List providers, or the model ids of PROVIDER."""
    if provider is None:
        rows = {key: _model_count(key) for key in _catalog.provider_keys()}
        if as_json:
            click.echo(json.dumps(rows, indent=2))
        else:
            for key, count in rows.items():
                click.echo(f"{key}  ({count} model{'' if count == 1 else 's'})")
        return
    config = _catalog.get_provider(provider)
    if config is None:
        _unknown_provider(ctx, provider)
        return
    ids = [f"{provider}/{model}" for model in sorted(config.models)]
    click.echo(json.dumps(ids, indent=2) if as_json else "\n".join(ids))


def _model_count(key: str) -> int:
    config = _catalog.get_provider(key)
    return len(config.models) if config is not None else 0


def _unknown_provider(ctx: click.Context, provider: str) -> None:
    near = _catalog.suggest_providers(provider)
    hint = f" Did you mean {', '.join(near)}?" if near else ""
    click.echo(f"unknown provider {provider!r}.{hint} Run `modelrouter list`.", err=True)
    ctx.exit(2)


@cli.command()
@click.argument("model_id")
@click.pass_context
def show(ctx: click.Context, model_id: str) -> None:
    """Show what the catalogue knows about MODEL_ID (provider/model)."""
    key, model = split_model_id(model_id)
    if not key or not model:
        click.echo(
            f"{model_id!r} is not a model id: expected provider/model (e.g. openai/gpt-5)."
            " Run `modelrouter list` for providers.",
            err=True,
        )
        ctx.exit(2)
    config = _catalog.get_provider(key)
    if config is None:
        _unknown_provider(ctx, key)
        return
    if model not in config.models:
        near = [f"{key}/{m}" for m in _catalog.suggest_models(key, model)]
        hint = f" Did you mean {', '.join(near)}?" if near else ""
        click.echo(f"unknown model {model_id!r}.{hint} Run `modelrouter list {key}`.", err=True)
        ctx.exit(2)
    for line in describe_model(key, model, config):
        click.echo(line)


@cli.command()
def doctor() -> None:
    """Which providers have their API key set (names only, never values)."""
    ready = 0
    keys = _catalog.provider_keys()
    for key in keys:
        config = _catalog.get_provider(key)
        if config is None:
            continue
        ok, text = env_status(config, os.environ)
        ready += ok
        click.echo(f"{'ok' if ok else '--'}  {key}: {text}")
    click.echo(f"{ready} of {len(keys)} providers have a key set")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code (the console script's entry point)."""
    try:
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="modelrouter",
            standalone_mode=False,
        )
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.Abort:
        click.echo("Aborted!", err=True)
        return 1
    return result if isinstance(result, int) else 0


@cli.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="HTML file to write (default: ./modelrouter-directory.html).",
)
@click.option(
    "--catalog",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder that holds modelrouter_catalog/ (default: the one installed).",
)
@click.option("--open", "open_", is_flag=True, help="Open the page in the default browser.")
@click.pass_context
def directory(ctx: click.Context, out: Path | None, catalog: Path | None, open_: bool) -> None:
    """Write the catalogue as one self-contained HTML page: search, filters, price plot."""
    from modelrouter_generator.directory import DEFAULT_DIRECTORY_FILE, write_directory

    path = (out or Path(DEFAULT_DIRECTORY_FILE)).resolve()
    try:
        models = write_directory(path, catalog)
    except ModelRouterError as exc:
        click.echo(f"error: {exc}", err=True)
        ctx.exit(2 if isinstance(exc, ConfigurationError) else 1)
    click.echo(f"wrote {path} ({models} models, {path.stat().st_size // 1024} KiB)")
    if open_:
        import webbrowser

        webbrowser.open(path.as_uri())
