"""Reporters: one review, many formats. Each format is a module with
``render(review, options) -> str``, imported only when asked for::

    text = get_reporter("json")(review, ReportOptions())
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slsreview.engine import Review

# format name -> module (under slsreview.reporters) providing render()
REPORTERS: dict[str, str] = {
    "text": "text",
    "json": "json_report",
}


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    fail_on: str = "blocking"
    extra: dict[str, object] = field(default_factory=dict)


def get_reporter(name: str) -> Callable[[Review, ReportOptions], str]:
    module = importlib.import_module(f"slsreview.reporters.{REPORTERS[name]}")
    return module.render
