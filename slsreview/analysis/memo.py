"""Questions several rules ask of one handler's facts, answered once per review.

    effects = answer_once(facts, "side_effects", lambda: compute(facts))

Answers live as long as the ``Facts`` object (the engine builds one per function or Worker and
drops it after the rules ran), so nothing outlives a review.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from slsreview.analysis.facts import Facts

_ANSWERS: weakref.WeakKeyDictionary[Facts, dict[str, Any]] = weakref.WeakKeyDictionary()


def answer_once(facts: Facts, question: str, compute: Callable[[], Any]) -> Any:
    answers = _ANSWERS.setdefault(facts, {})
    if question not in answers:
        answers[question] = compute()
    return answers[question]
