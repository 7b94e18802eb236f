"""Reporters: one review, many formats. Each format is a module with
``render(review, options) -> str``, imported only when asked for::

    text = get_reporter("json")(review, ReportOptions())
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slsreview.engine import Review
    from slsreview.rule import Rule

# format name -> module (under slsreview.reporters) providing render()
REPORTERS: dict[str, str] = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "markdown": "markdown",
    "review": "review",
    "github": "github",
    "gitlab": "gitlab",
}


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    fail_on: str = "blocking"
    extra: dict[str, object] = field(default_factory=dict)
    # Every rule known to this run, selected or not: SARIF describes them all in
    # tool.driver.rules. Empty means the rules the review ran (``review.rules``).
    rules: Sequence[type[Rule]] = ()
    # The directory report paths are relative to (the CLI's working directory): SARIF's
    # %SRCROOT%. None leaves %SRCROOT% for the consumer to resolve (GitHub uses the checkout).
    root: str | None = None


def get_reporter(name: str) -> Callable[[Review, ReportOptions], str]:
    module = importlib.import_module(f"slsreview.reporters.{REPORTERS[name]}")
    return module.render
