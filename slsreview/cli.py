"""The command line: wires the layers together, and the only place that knows about exit codes.

    slsreview check [PATH ...]     review (exit 0 clean, 1 findings at --fail-on or above, 2 error)
    slsreview rules                list every rule
    slsreview explain SLS201       one rule's documentation with its examples
    slsreview --version
"""

from __future__ import annotations

import contextlib  # already imported by site: free
import os
import sys

from slsreview import __version__

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing is a tenth of a warm run
if TYPE_CHECKING:
    from typing import Any, NoReturn


def main(argv: list[str] | None = None) -> NoReturn:
    args = sys.argv[1:] if argv is None else argv
    if args in (["--version"], ["-V"]):
        # Answer before importing anything heavier: start-up time matters in pre-commit hooks.
        sys.stdout.write(f"slsreview {__version__}\n")
        raise SystemExit(0)
    debug = "--debug" in args
    if debug:
        os.environ["SLSREVIEW_DEBUG"] = "1"
    # A file name or message with an unpaired surrogate must not crash the report's last step.
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="backslashreplace")
    if args[:1] == ["check"]:
        # A review whose every input is unchanged is answered from the cache, before click,
        # the rules and the analysers are imported: that is most of a warm run's cost.
        from slsreview.cache import replay

        try:
            status = replay(args)
        except Exception:  # the cache must never be the reason a review fails
            status = None
        if status is not None:
            raise SystemExit(status)
    from slsreview import codecache

    codecache.install()  # before click, the engine and libcst define their dataclasses
    try:
        _cli()(args=args, prog_name="slsreview", standalone_mode=False, obj={"argv": list(args)})
    except SystemExit:
        raise
    except BaseException as exc:
        _fail(exc, debug)
    finally:
        with contextlib.suppress(Exception):  # a cache must never be the reason a review fails
            codecache.save()
    raise SystemExit(0)


def _fail(exc: BaseException, debug: bool) -> NoReturn:
    import click

    if isinstance(exc, click.exceptions.Exit):
        raise SystemExit(exc.exit_code)
    if isinstance(exc, click.ClickException):
        exc.show()
        raise SystemExit(2)
    if isinstance(exc, click.exceptions.Abort | KeyboardInterrupt):
        sys.stderr.write("slsreview: interrupted\n")
        raise SystemExit(2)
    from slsreview.config import ConfigError
    from slsreview.registry import RulePackError

    if debug:
        import traceback

        traceback.print_exception(exc)
    if isinstance(exc, ConfigError | RulePackError):
        sys.stderr.write(f"slsreview: error: {exc}\n")
    else:
        hint = "" if debug else " (run with --debug for the traceback)"
        sys.stderr.write(f"slsreview: internal error: {type(exc).__name__}: {exc}{hint}\n")
    raise SystemExit(2)


def _cli() -> Any:
    import click

    from slsreview.findings import FAIL_ON
    from slsreview.reporters import REPORTERS

    @click.group(context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, "-V", "--version", prog_name="slsreview")
    @click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
    def cli(debug: bool) -> None:
        """Review serverless functions (AWS SAM / CloudFormation, Cloudflare Workers) before deploy."""

    @cli.command()
    @click.argument("paths", nargs=-1, type=click.Path(path_type=str))
    @click.option("-f", "--format", "fmt", type=click.Choice(sorted(REPORTERS)), help="Report format (default: text).")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=str), help="Write the report to FILE.")
    @click.option("--fail-on", type=click.Choice(FAIL_ON), help="Lowest tier that fails the check (default: blocking).")
    @click.option("--select", help="Rule ids, id prefixes or categories to run, comma-separated.")
    @click.option("--ignore", help="Rule ids, id prefixes or categories not to run, comma-separated.")
    @click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=str), help="Configuration file.")
    @click.option("--today", help="Review as of this date (YYYY-MM-DD), for dated rules.")
    @click.option("-j", "--jobs", type=click.IntRange(min=0), help="Parallel workers (default: number of CPUs).")
    @click.option("--no-cache", is_flag=True, help="Neither read nor write .slsreview_cache.")
    @click.option("--diff", "diff_ref", metavar="REF", help="Only findings on lines added or changed since git REF.")
    @click.option("--baseline", type=click.Path(dir_okay=False, path_type=str), help="Hide the findings recorded in FILE.")
    @click.option("--write-baseline", type=click.Path(dir_okay=False, path_type=str), help="Record the current findings in FILE.")
    @click.option("--require-confirmations", is_flag=True, help="Fail on human-confirmation findings nobody signed off.")
    def check(paths: tuple[str, ...], fmt: str | None, output: str | None, fail_on: str | None, select: str | None,
              ignore: str | None, config_file: str | None, today: str | None, jobs: int | None, no_cache: bool,
              diff_ref: str | None, baseline: str | None, write_baseline: str | None, require_confirmations: bool) -> None:
        """Review the projects under each PATH (default: the current directory)."""
        import gc
        from pathlib import Path

        from slsreview.baseline import find_confirmations, read_baseline, read_confirmations
        from slsreview.baseline import write_baseline as record_baseline
        from slsreview.config import ConfigError, build_settings, find_config, read_config
        from slsreview.engine import narrow, review
        from slsreview.inputs import Inputs
        from slsreview.registry import load_rules, pack_locations
        from slsreview.reporters import ReportOptions, get_reporter

        # A review allocates a few hundred thousand objects (facts, configuration trees) that live
        # until it ends: collecting every 700 allocations, over a heap holding all of them, costs
        # a warm review a tenth of its time. Everything imported so far is never garbage.
        gc.freeze()
        gc.set_threshold(20_000, 20, 20)
        cwd = Path.cwd()
        inputs = Inputs()  # every question asked of the disk, for the review cache
        targets = [Path(p) for p in paths] or [Path(".")]
        rules = load_rules()
        config_path = Path(config_file) if config_file else find_config(targets[0], inputs)
        if config_file and not inputs.is_file(config_file):
            raise ConfigError(f"{config_file}: no such configuration file")
        raw = read_config(config_path, inputs) if config_path else {}
        overrides: dict[str, Any] = {
            "format": fmt,
            "output": output,
            "fail-on": fail_on,
            "select": select,
            "ignore": ignore,
            "today": today,
            "jobs": jobs,
            "cache": False if no_cache else None,
        }
        source = str(config_path) if config_path else "command line"
        settings = build_settings(raw, overrides, rules, source)
        if settings.format not in REPORTERS:
            raise ConfigError(f"{source}: unknown format {settings.format!r} (choose from {', '.join(sorted(REPORTERS))})")
        changed = None
        if diff_ref:
            from slsreview.gitdiff import DiffError, changed_lines

            try:
                changed = changed_lines(diff_ref, cwd, inputs)
            except DiffError as exc:
                raise ConfigError(f"--diff {diff_ref}: {exc}") from exc
        hidden = read_baseline(Path(baseline), inputs) if baseline else None
        confirmations_file = find_confirmations(targets[0], inputs)
        confirmations = read_confirmations(confirmations_file, settings.today, inputs) if confirmations_file else {}
        result = review(targets, settings, rules, cwd, inputs)
        if write_baseline:
            count = record_baseline(Path(write_baseline), result.findings)
            sys.stderr.write(f"slsreview: recorded {count} findings in {write_baseline}\n")
        result = narrow(result, changed_lines=changed, baseline=hidden, confirmations=confirmations)
        to_terminal = settings.output is None and sys.stdout.isatty()
        color = to_terminal and not os.environ.get("NO_COLOR") and settings.format == "text"
        options = ReportOptions(color=color, fail_on=settings.fail_on, rules=rules, root=str(cwd))
        text = get_reporter(settings.format)(result, options)
        if settings.output:
            Path(settings.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        status = 1 if result.fails(settings.fail_on, require_confirmations) else 0
        argv = (click.get_current_context().find_root().obj or {}).get("argv")
        if settings.cache and not write_baseline and argv is not None:
            from slsreview import cache

            if cache.replayable(argv):
                cache.record(
                    cache.replay_key(argv, str(cwd)),
                    str(cwd),
                    inputs,
                    # a review that reasoned with the real date is not replayed on another day
                    date=settings.today.isoformat() if today is None and "today" not in raw else None,
                    destination=os.path.abspath(settings.output) if settings.output else None,
                    text=text,
                    status=status,
                    code=pack_locations(),
                )
        raise SystemExit(status)

    @cli.command(name="rules")
    @click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
    def rules_command(fmt: str) -> None:
        """List every rule: id, name, category, tier, title."""
        from slsreview.explain import render_rules
        from slsreview.registry import load_rules

        sys.stdout.write(render_rules(load_rules(), fmt))

    @cli.command()
    @click.argument("rule")
    def explain(rule: str) -> None:
        """Show a rule's documentation, with its bad and good examples."""
        from slsreview.explain import render_explain
        from slsreview.registry import load_rules

        rules = {r.id: r for r in load_rules()}
        rules.update({r.name: r for r in rules.values()})
        found = rules.get(rule.upper()) or rules.get(rule)
        if found is None:
            raise click.ClickException(f"unknown rule {rule!r}; `slsreview rules` lists them")
        sys.stdout.write(render_explain(found))

    return cli
