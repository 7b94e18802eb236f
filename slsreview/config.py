"""Configuration: what the user writes, validated into the ``Settings`` the engine uses.

Found from the first reviewed path upward: the nearest ``.slsreview.toml``, or
``pyproject.toml`` with a ``[tool.slsreview]`` table. Command-line options override it. Unknown
keys and unknown rule ids are errors, never silence::

    # .slsreview.toml
    select = ["SLS", "secrets"]
    ignore = ["SLS203"]
    fail-on = "non-blocking"
    exclude = ["examples/**"]
    today = "2026-11-27"            # the date rules reason with (runtime deprecations)
    max-file-size = 1048576
    [tier]
    SLS201 = "non-blocking"
    [per-path-ignores]
    "legacy/**" = ["SLS201"]
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from slsreview.findings import CATEGORIES, FAIL_ON, TIERS, Tier
from slsreview.inputs import Inputs, utf8_text
from slsreview.rule import Rule

DEFAULT_MAX_FILE_SIZE = 1024 * 1024

KEYS = {
    "select": "list of rule ids, id prefixes or categories to run (default: all)",
    "ignore": "list of rule ids, id prefixes or categories not to run",
    "fail-on": "lowest tier that fails the check: blocking, non-blocking, human-confirmation, never",
    "per-path-ignores": "table of glob -> list of rules not reported for files matching the glob",
    "tier": "table of rule id -> tier, overriding the rule's default tier",
    "exclude": "list of gitignore-style globs never reviewed",
    "today": "the date rules reason with, YYYY-MM-DD (default: the real date)",
    "max-file-size": "largest file read, in bytes (default 1 MiB)",
    "format": "report format",
    "output": "file to write the report to",
    "jobs": "parallel workers",
    "cache": "false to never read or write .slsreview_cache",
}


class ConfigError(Exception):
    """Invalid configuration or option; the CLI prints it in one line and exits 2."""


@dataclass
class Settings:
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str = "blocking"
    per_path_ignores: dict[str, list[str]] = field(default_factory=dict)
    tiers: dict[str, Tier] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    today: dt.date = field(default_factory=dt.date.today)
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    format: str = "text"
    output: str | None = None
    jobs: int = 0  # 0: one per CPU
    cache: bool = True
    config_path: str | None = None

    def selected(self, rules: Sequence[type[Rule]]) -> list[type[Rule]]:
        """The rules this run executes. Parse rules run unless ignored explicitly: a review that
        could not read a file must say so even when only one category was selected."""
        chosen = []
        for rule in rules:
            picked = not self.select or any(_matches(rule, s) for s in self.select)
            if rule.category == "parse":
                picked = True
            if any(_matches(rule, s) for s in self.ignore):
                picked = False
            if picked:
                chosen.append(rule)
        return chosen


def _matches(rule: type[Rule], selector: str) -> bool:
    return rule.id.startswith(selector) or selector in (rule.category, rule.name)


def find_config(start: Path, inputs: Inputs | None = None) -> Path | None:
    inputs = inputs or Inputs(record=False)
    directory = start if inputs.is_dir(start) else start.parent
    directory = Path(inputs.realpath(directory))
    for candidate_dir in (directory, *directory.parents):
        dotfile = candidate_dir / ".slsreview.toml"
        if inputs.is_file(dotfile):
            return dotfile
        pyproject = candidate_dir / "pyproject.toml"
        if inputs.is_file(pyproject):
            try:
                text = utf8_text(inputs.read(pyproject))
            except (OSError, UnicodeDecodeError):
                continue
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                if "tool.slsreview" in text:
                    raise ConfigError(f"{pyproject}: invalid TOML: {exc}") from exc
                continue
            if "slsreview" in data.get("tool", {}):
                return pyproject
    return None


def read_config(path: Path, inputs: Inputs | None = None) -> dict[str, Any]:
    inputs = inputs or Inputs(record=False)
    try:
        data = tomllib.loads(utf8_text(inputs.read(path)))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("slsreview")
        if table is None:
            raise ConfigError(f"{path}: no [tool.slsreview] table")
        return dict(table)
    return data


def build_settings(
    raw: dict[str, Any], overrides: dict[str, Any], rules: Sequence[type[Rule]], source: str
) -> Settings:
    """Validate configuration (from ``source``) and command-line ``overrides`` into Settings."""
    where = source
    for key in raw:
        if key not in KEYS:
            known = ", ".join(sorted(KEYS))
            raise ConfigError(f"{where}: unknown key '{key}' (known keys: {known})")
    merged = {**raw, **{k: v for k, v in overrides.items() if v is not None}}
    settings = Settings(config_path=source if raw else None)
    ids = {r.id for r in rules}

    def selectors(key: str) -> list[str]:
        value = merged.get(key, [])
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: '{key}' must be a list of rule ids, prefixes or categories")
        for selector in value:
            _check_selector(selector, rules, where, key)
        return value

    settings.select = selectors("select")
    settings.ignore = selectors("ignore")
    fail_on = merged.get("fail-on", "blocking")
    if fail_on not in FAIL_ON:
        raise ConfigError(f"{where}: 'fail-on' must be one of {', '.join(FAIL_ON)}, not {fail_on!r}")
    settings.fail_on = fail_on

    tiers = merged.get("tier", {})
    if not isinstance(tiers, dict):
        raise ConfigError(f"{where}: 'tier' must be a table of rule id = tier")
    for rule_id, tier in tiers.items():
        if rule_id not in ids:
            raise ConfigError(f"{where}: [tier] names unknown rule {rule_id}")
        if tier not in TIERS:
            raise ConfigError(f"{where}: [tier] {rule_id} must be one of {', '.join(TIERS)}, not {tier!r}")
    settings.tiers = dict(tiers)

    per_path = merged.get("per-path-ignores", {})
    if not isinstance(per_path, dict):
        raise ConfigError(f"{where}: 'per-path-ignores' must be a table of glob = [rules]")
    for glob, values in per_path.items():
        if not isinstance(values, list):
            raise ConfigError(f"{where}: per-path-ignores '{glob}' must be a list")
        for selector in values:
            _check_selector(selector, rules, where, "per-path-ignores")
    settings.per_path_ignores = {k: list(v) for k, v in per_path.items()}

    exclude = merged.get("exclude", [])
    if not isinstance(exclude, list) or not all(isinstance(v, str) for v in exclude):
        raise ConfigError(f"{where}: 'exclude' must be a list of globs")
    settings.exclude = exclude

    today = merged.get("today")
    if today is not None:
        if isinstance(today, dt.date):
            settings.today = today
        else:
            try:
                settings.today = dt.date.fromisoformat(str(today))
            except ValueError as exc:
                raise ConfigError(f"{where}: 'today' must be a date YYYY-MM-DD, not {today!r}") from exc

    size = merged.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
        raise ConfigError(f"{where}: 'max-file-size' must be a positive number of bytes")
    settings.max_file_size = size

    jobs = merged.get("jobs", 0)
    if not isinstance(jobs, int) or jobs < 0:
        raise ConfigError(f"{where}: 'jobs' must be a number >= 0")
    settings.jobs = jobs or (os.cpu_count() or 1)

    cache = merged.get("cache", True)
    if not isinstance(cache, bool):
        raise ConfigError(f"{where}: 'cache' must be true or false")
    settings.cache = cache
    settings.format = str(merged.get("format", "text"))
    output = merged.get("output")
    settings.output = str(output) if output else None
    return settings


def _check_selector(selector: str, rules: Sequence[type[Rule]], where: str, key: str) -> None:
    if selector in CATEGORIES or any(_matches(r, selector) for r in rules):
        return
    raise ConfigError(f"{where}: '{key}' names unknown rule or category '{selector}'")
