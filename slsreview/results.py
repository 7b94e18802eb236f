"""Rule results kept between reviews, replayed one rule and one function at a time.

A review where one handler changed runs again only what that change can reach. Every call the
engine makes of a rule (its ``check`` of the project, its ``check_function`` or ``check_worker``
of one unit) is stored with the findings it produced and what it asked on the way: the facts of
which functions and Workers (``ctx.facts``), and whether it read the secret literals or the
suppressions. The next review replays a call when each of those answers has the same digest as
then; any other call runs. Everything else a rule can see (the model, the date, the tiers, the
code that reviews, the secrets masked in messages) is folded into one ``basis``: when it
differs, nothing is replayed.

    >>> results = Results.load(store, key, basis)
    >>> replayed = results.replay(("SLS101", ("function", 3)), current)  # None: run the rule
    >>> results.keep(("SLS101", ("function", 3)), asked, findings)
    >>> results.save()

Alongside, ``index`` holds what the engine needs of each source file's facts without loading
them (its content key, language, imports and syntax problems), so that a review where one file
changed unpickles the facts of only the functions whose rules run again.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from slsreview.analysis import Language
from slsreview.analysis.facts import SyntaxProblem
from slsreview.analysis.memo import Kept
from slsreview.cache import Store
from slsreview.findings import Finding

RESULTS_STAGE = 2  # the shape of a stored entry; bump when it changes

# A call's identity: (rule id, ("project",) | ("function", index) | ("worker", index)).
CallRef = tuple[str, tuple[Any, ...]]
# What a call asked, each with the digest of its answer: (("unit", "function", 3), digest), ...
Asked = tuple[tuple[tuple[Any, ...], str], ...]
# A finding as stored: its fields up to ``resource`` (a call's findings have no fingerprint,
# snippet or confirmation yet), plain data that ``marshal`` reads fast
Packed = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    """What the engine reads of a file's facts before the rules run: enough to follow its
    imports and report its syntax problems."""

    key: str  # analysis.runner.cache_key: the facts' own cache key
    language: Language
    modules: tuple[str, ...]  # each import's module as written, in order
    syntax: tuple[SyntaxProblem, ...]


def digest(value: Any) -> str:
    """A digest of a value made of built-in types and dataclasses (their ``repr`` is their value)."""
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class Results:
    def __init__(
        self,
        store: Store | None,
        key: str,
        basis: str = "",
        index: dict[str, Summary] | None = None,
        calls: dict[CallRef, tuple[Asked, list[Packed]]] | None = None,
        answers: dict[tuple[str, str], Any] | None = None,
    ) -> None:
        self.store = store
        self.key = key
        self.basis = basis
        self.index = index or {}
        self.calls = calls or {}
        self.kept = Kept(answers)  # analysis.memo.answer_kept's answers
        self.replayed = 0

    @classmethod
    def load(cls, store: Store | None, key: str) -> Results:
        """The entry under ``key``; empty when there is none or it is damaged."""
        entry = store.get(key) if store is not None else None
        try:
            stage, basis, index, packed, answers = entry  # type: ignore[misc]
            calls = marshal.loads(packed) if stage == RESULTS_STAGE else None
        except (TypeError, ValueError, EOFError):
            return cls(store, key)
        if not all(isinstance(d, dict) for d in (index, calls, answers)):
            return cls(store, key)
        return cls(store, key, basis, index, calls, answers)

    def rebase(self, basis: str) -> None:
        """Set this review's basis: calls and answers stored under another are dropped (the
        index stays, since each summary is keyed by its file's content)."""
        if basis != self.basis:
            self.calls = {}
            self.kept = Kept()
            self.basis = basis

    def replay(self, ref: CallRef, current: Callable[[tuple[Any, ...]], str]) -> list[Finding] | None:
        """The stored findings of a call when everything it asked has the same answer now."""
        stored = self.calls.get(ref)
        if stored is None:
            return None
        asked, findings = stored
        if any(current(question) != answer for question, answer in asked):
            return None
        self.replayed += 1
        return [Finding(*f) for f in findings]

    def keep(self, ref: CallRef, asked: Iterable[tuple[Any, ...]], findings: list[Finding], current: Callable[[tuple[Any, ...]], str]) -> None:
        packed = []
        for f in findings:
            assert not (f.fingerprint or f.snippet or f.confirmation), "a call's findings are kept before they are fingerprinted"
            packed.append((*(getattr(f, name) for name in _PACKED), "", f.resource))
        self.calls[ref] = (tuple((q, current(q)) for q in sorted(set(asked))), packed)

    def save(self, index: dict[str, Summary], live: set[str]) -> None:
        """Store this review's calls and answers, and the last review's answers about facts
        still in the project (``live``: the keys of every unit's facts), for the next review."""
        if self.store is not None:
            answers = {k: v for k, v in self.kept.last.items() if k[0] in live}
            answers.update(self.kept.now)
            self.store.put(self.key, (RESULTS_STAGE, self.basis, index, marshal.dumps(self.calls), answers))


_PACKED = (
    "rule", "name", "category", "tier", "message", "path", "line", "column",
    "end_line", "end_column", "function", "platform", "fix", "docs",
)  # Finding's fields in order, up to docs; then the empty fingerprint and the resource
