"""Questions several rules ask of one handler's facts, answered once per review, or kept for
the next one.

    effects = answer_once(facts, "side_effects", lambda: compute(facts))
    places = answer_kept(facts, "SLS305 places", _places)     # _places(facts), kept

``answer_once`` answers live as long as the ``Facts`` object (the engine builds one per function
or Worker and drops it after the rules ran), so nothing outlives a review.

``answer_kept`` answers are also kept in the cache (``slsreview.results``) under the digest of
the facts' content: the next review that asks the same question of the same content gets the
answer without the facts being unpickled, linked or walked. That is what lets a rule that looks
at every function at once (to report a place several functions share only once) run again
cheaply when one handler changed. ``compute`` is called with the facts and must read nothing else:
anything more it depends on (a setting of the function, a set of names) is bound to it with
``functools.partial`` and written into ``question`` too.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from slsreview.analysis.facts import Facts

_ANSWERS: weakref.WeakKeyDictionary[Facts, dict[str, Any]] = weakref.WeakKeyDictionary()


class Kept:
    """Answers kept between reviews by (facts key, question): the last review's, and this
    one's (what the next review gets)."""

    def __init__(self, last: dict[tuple[str, str], Any] | None = None) -> None:
        self.last = last or {}
        self.now: dict[tuple[str, str], Any] = {}


def answer_once(facts: Facts, question: str, compute: Callable[[], Any]) -> Any:
    answers = _ANSWERS.setdefault(facts, {})
    if question not in answers:
        answers[question] = compute()
    return answers[question]


def answer_kept(facts: Facts, question: str, compute: Callable[[Facts], Any]) -> Any:
    kept: Kept | None = facts.kept
    if kept is None or facts.key is None:
        return answer_once(facts, question, lambda: compute(facts))
    key = (facts.key, question)
    if key in kept.now:
        return kept.now[key]
    answer = kept.last[key] if key in kept.last else answer_once(facts, question, lambda: compute(facts))
    kept.now[key] = answer
    return answer
