"""The rule framework: a rule is one small class in one file under ``rules/``.

A rule carries its metadata, its documentation (the docstring, in fixed sections) and its proof
(``bad`` and ``good`` examples that the test suite runs), and yields ``Report``s about model
objects. It never computes line numbers, prints, reads files, or knows how its tier is
configured::

    class HandlerFileMissing(Rule):
        \"\"\"
        ## What it does
        ...
        \"\"\"

        id = "SLS202"
        name = "handler-file-missing"
        category = "runtime"
        tier = "blocking"
        platforms = ("aws-lambda",)
        title = "The handler file or entry function the configuration names does not exist"
        fix = "Point Handler at an existing file and function, or create them."
        docs = ("https://docs.aws.amazon.com/lambda/latest/dg/python-handler.html",)

        bad = [Example({"template.yaml": ..., "src/app.py": ...},
                       expect=[Expect("template.yaml", 9, 16, "OrdersFunction's handler ...")])]
        good = [Example({...})]

        def check_function(self, fn, ctx):
            if fn.source.status == "missing":
                yield Report(fn.handler or fn, f"{fn.name}'s handler file ... does not exist")

The engine calls ``check_function`` once per Lambda function, ``check_worker`` once per Worker
view, and ``check`` once per review, each only for the platforms the rule declares; it isolates
every call, so one rule failing on one file becomes one finding and the review goes on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from slsreview.findings import Tier

if TYPE_CHECKING:
    from slsreview.analysis.facts import Facts
    from slsreview.analysis.secret_scan import SecretLiteral
    from slsreview.model.project import Function, Project, Worker
    from slsreview.suppressions import Suppression

DOC_SECTIONS = (
    "What it does",
    "Why is this bad?",
    "Why this tier",
    "Example",
    "Use instead",
    "References",
)
RULE_ID = re.compile(r"^SLS\d{3}$")
RULE_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True, slots=True)
class Report:
    """What a rule found. ``at`` is whatever the finding is about: a ``Located`` value, a model
    object (``Function``, ``Worker``, ``Resource``, ``Binding``, ``Event``, ``Policy``), an analysis
    fact (``Call``, ``Flow``, ...), a loader node, or a ``Location``. ``tier`` overrides the rule's
    default for this report only (a runtime past its deprecation date blocks, one near it does not);
    configuration still has the last word."""

    at: Any
    message: str
    fix: str | None = None
    tier: Tier | None = None
    subject: Function | Worker | None = None  # whose finding this is, when the engine cannot tell


@dataclass(frozen=True, slots=True)
class Expect:
    """Where a bad example's finding must land, and what it must say (exactly)."""

    path: str
    line: int
    column: int
    message: str
    tier: Tier | None = None


@dataclass(frozen=True, slots=True)
class Example:
    """A small project (file name -> content) that the test suite reviews with the rule alone."""

    files: dict[str, str]
    expect: list[Expect] = field(default_factory=list)
    name: str = ""
    today: str = "2026-11-27"  # the review date the example is written for (dated rules)


class Context:
    """What a rule may ask the engine during a review."""

    def __init__(
        self,
        project: Project,
        today: dt.date,
        facts: Any,
        suppressions: Sequence[Suppression] = (),
        secret_literals: dict[str, list[SecretLiteral]] | None = None,
    ) -> None:
        self.project = project
        self.today = today
        self._facts = facts
        self._suppressions = list(suppressions)
        self._secret_literals = secret_literals or {}
        # What a rule read besides the model and the facts, for the engine's replay of its results
        self.used: set[str] = set()

    def facts(self, unit: Function | Worker) -> Facts | None:
        """The handler source facts of a function or Worker, or None when there is no readable source."""
        return self._facts(unit)

    @property
    def suppressions(self) -> list[Suppression]:
        """Every suppression comment and Metadata entry the review saw."""
        self.used.add("suppressions")
        return self._suppressions

    def secret_literals(self, path: str | None = None) -> list[SecretLiteral]:
        """Credentials written in the files the review read (``analysis.secret_scan``): in one
        file, or in every file, sorted by path and position."""
        self.used.add("secret_literals")
        if path is not None:
            return list(self._secret_literals.get(path, ()))
        return [s for p in sorted(self._secret_literals) for s in self._secret_literals[p]]


class Rule:
    id: ClassVar[str]
    name: ClassVar[str]
    category: ClassVar[str]
    tier: ClassVar[Tier]
    platforms: ClassVar[tuple[str, ...]] = ("aws-lambda", "cloudflare-workers")
    title: ClassVar[str]
    fix: ClassVar[str]
    docs: ClassVar[tuple[str, ...]]
    bad: ClassVar[list[Example]] = []
    good: ClassVar[list[Example]] = []

    def check(self, ctx: Context) -> Iterator[Report]:
        return iter(())

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        return iter(())

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        return iter(())

    @classmethod
    def doc_sections(cls) -> dict[str, str]:
        """The docstring split into its ``## Section`` parts."""
        text = _dedent(cls.__doc__ or "")
        sections: dict[str, str] = {}
        current = None
        lines: list[str] = []
        for line in text.splitlines():
            if line.startswith("## "):
                if current is not None:
                    sections[current] = "\n".join(lines).strip()
                current, lines = line[3:].strip(), []
            elif current is not None:
                lines.append(line)
        if current is not None:
            sections[current] = "\n".join(lines).strip()
        return sections

    @classmethod
    def problems(cls) -> list[str]:
        """What is wrong with this rule's definition (empty when it is well-formed)."""
        from slsreview.findings import CATEGORIES, PLATFORMS, TIERS

        out = []
        for attr in ("id", "name", "category", "tier", "title", "fix", "docs"):
            if not getattr(cls, attr, None):
                out.append(f"missing {attr}")
        if out:
            return out
        if not RULE_ID.match(cls.id):
            out.append(f"id {cls.id!r} is not SLS + three digits")
        if not RULE_NAME.match(cls.name):
            out.append(f"name {cls.name!r} is not kebab-case")
        if cls.category not in CATEGORIES:
            out.append(f"category {cls.category!r} is not one of {', '.join(CATEGORIES)}")
        if cls.tier not in TIERS:
            out.append(f"tier {cls.tier!r} is not one of {', '.join(TIERS)}")
        if any(p not in PLATFORMS for p in cls.platforms):
            out.append(f"platforms {cls.platforms!r} must be within {PLATFORMS}")
        sections = cls.doc_sections()
        for section in DOC_SECTIONS:
            if not sections.get(section):
                out.append(f"docstring lacks a '## {section}' section")
        if not cls.bad:
            out.append("no bad examples")
        if not cls.good:
            out.append("no good examples")
        for example in cls.bad:
            if not example.expect:
                out.append("a bad example pins no finding")
        return out


def _dedent(text: str) -> str:
    import textwrap

    first, _, rest = text.partition("\n")
    return (first.strip() + "\n" + textwrap.dedent(rest)).strip()
