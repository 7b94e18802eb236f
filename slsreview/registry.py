"""Rule packs: the built-in rules and any team's own, found through one entry point group.

A pack is a package named by an entry point in the ``slsreview.rules`` group; every ``Rule``
subclass defined in a module of that package is a rule. The built-in pack is declared in our own
``pyproject.toml`` exactly as a team's pack would declare itself::

    [project.entry-points."slsreview.rules"]
    builtin = "slsreview_rules"

Adding a rule is adding a file: no list to update.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import sys
from types import ModuleType

from slsreview.rule import Rule

GROUP = "slsreview.rules"
_loaded: dict[str, ModuleType] = {}  # the packs load_rules imported, for pack_locations


class RulePackError(Exception):
    pass


def load_rules() -> list[type[Rule]]:
    """Every rule of every installed pack, sorted by id. Raises ``RulePackError`` on a bad pack."""
    rules: dict[str, type[Rule]] = {}
    packs = sorted(pack_entry_points(), key=lambda ep: ep.name)
    if not packs:
        raise RulePackError(
            f"no rule packs are installed (entry point group {GROUP!r}); install slsreview with pip"
        )
    for pack in packs:
        try:
            module = pack.load()
        except Exception as exc:  # a broken third-party pack must say which one it is
            raise RulePackError(f"rule pack {pack.name!r} ({pack.value}) failed to load: {exc}") from exc
        _loaded[module.__name__] = module
        for rule in rules_in(module):
            other = rules.get(rule.id)
            if other is not None and other is not rule:
                raise RulePackError(f"rule id {rule.id} is defined twice: {other.__module__} and {rule.__module__}")
            problems = rule.problems()
            if problems:
                raise RulePackError(f"rule {rule.__module__}.{rule.__name__}: {'; '.join(problems)}")
            rules[rule.id] = rule
    return [rules[key] for key in sorted(rules)]


class _EntryPoint:
    """``importlib.metadata.EntryPoint``'s name, value and ``load``, for the fast scan."""

    def __init__(self, name: str, value: str) -> None:
        self.name = name
        self.value = value

    def load(self) -> ModuleType:
        module, _, attr = self.value.partition(":")
        loaded: object = importlib.import_module(module.strip())
        for part in attr.split("[")[0].strip().split(".") if attr else []:
            loaded = getattr(loaded, part)
        return loaded  # type: ignore[return-value]


_ENTRY = re.compile(r"^\s*([^=\s][^=]*?)\s*=\s*(.+?)\s*$")


def pack_entry_points() -> list[_EntryPoint]:
    """The ``slsreview.rules`` entry points of the installed distributions.

    Read from the ``*.dist-info``/``*.egg-info`` folders on ``sys.path`` directly (first
    distribution of a name wins, as in ``importlib.metadata``): importing importlib.metadata
    costs a review a fifth of its warm start-up. Anything the scan does not know (a zip or egg
    on ``sys.path``) is left to importlib.metadata itself."""
    found: list[_EntryPoint] = []
    seen: set[str] = set()
    for folder in sys.path:
        folder = folder or "."
        if os.path.isfile(folder):
            from importlib.metadata import entry_points

            return [_EntryPoint(ep.name, ep.value) for ep in entry_points(group=GROUP)]
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if not dot or suffix not in ("dist-info", "egg-info"):
                continue
            distribution = re.sub(r"[-_.]+", "_", stem.split("-")[0]).lower()
            if distribution in seen:
                continue
            seen.add(distribution)
            found.extend(_group(os.path.join(folder, name, "entry_points.txt")))
    return found


def _group(path: str) -> list[_EntryPoint]:
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    out = []
    section = None
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip()
            continue
        match = _ENTRY.match(line)
        if section == GROUP and match:
            out.append(_EntryPoint(match.group(1), match.group(2)))
    return out


def pack_locations() -> list[str]:
    """The files and folders of the rule packs loaded so far: what a cached review must check
    for edits (a pack's version is in its files)."""
    out: list[str] = []
    for module in _loaded.values():
        out.extend(getattr(module, "__path__", None) or [getattr(module, "__file__", None) or ""])
    return sorted({p for p in out if p})


def rules_in(package: ModuleType) -> list[type[Rule]]:
    modules = [package]
    path = getattr(package, "__path__", None)
    if path is not None:
        for info in sorted(pkgutil.walk_packages(path, package.__name__ + "."), key=lambda i: i.name):
            modules.append(importlib.import_module(info.name))
    found: list[type[Rule]] = []
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
                and "id" in vars(value)
            ):
                found.append(value)
    return found
