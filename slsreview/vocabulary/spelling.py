"""How a vocabulary table says how each language spells a word, and which analyzer knows it.

Two shapes cover every hand-written table in this package:

- A ``Word`` is one vocabulary word (a ``Source`` name, a logger, a wrapper...) with the
  qualified names each language's code reaches it by, as the analyzer resolves them. Python's
  are import paths (``uuid.uuid4``; Python Workers reach JavaScript globals through the ``js``
  module: ``js.crypto.randomUUID``), JavaScript's are module-qualified names
  (``crypto.randomUUID``, ``@paralleldrive/cuid2.createId``). No spelling in a language: that
  language's analyzer does not know the word (yet).
- A table keyed by a name both languages share (a log method, a binding method) gives one column
  per language; ``ABSENT`` in a column says that language's analyzer does not treat the name as
  the word. Where the two columns differ for a name both languages have, the analyzers disagree
  today; the row's comment says why, and ``tests/analysis/test_vocabulary_words.py`` pins it.

    >>> word = Word("crypto.randomUUID", python=("js.crypto.randomUUID",), javascript=("crypto.randomUUID",))
    >>> spellings([word], "python")
    {'js.crypto.randomUUID': 'crypto.randomUUID'}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

Side = Literal["python", "javascript"]  # TypeScript is read by the JavaScript analyzer


class Absent:
    """The marker of a column whose analyzer does not know the word (one instance: ``ABSENT``)."""

    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Final = Absent()


@dataclass(frozen=True, slots=True)
class Word:
    """A word and its spellings: the qualified names that reach it in each language."""

    name: str
    python: tuple[str, ...] = ()
    javascript: tuple[str, ...] = ()

    def spelled(self, side: Side) -> tuple[str, ...]:
        return self.python if side == "python" else self.javascript


def spellings(words: Iterable[Word], side: Side) -> dict[str, str]:
    """Spelling -> word name, for one language, in table order."""
    return {spelling: word.name for word in words for spelling in word.spelled(side)}


def camel(snake: str) -> str:
    """``json_body`` -> ``jsonBody``: a Python attribute as JavaScript (and JSON events) spell it."""
    head, *rest = snake.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
