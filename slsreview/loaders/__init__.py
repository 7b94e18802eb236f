"""Loaders: bytes on disk to position-aware values (see ``nodes``), or a clear error.

    >>> doc = load_document("template.yaml", b"Resources: {}\\n")
    >>> doc.value["Resources"], doc.problems
    ({}, [])

Every loader shares the same contract: it never raises for bad input. A file that cannot be read
as what it claims to be comes back with ``value = None`` and one ``Problem`` carrying the
parser's line; recoverable oddities (duplicate keys, unknown tags) come back as problems beside
a value. Heavy parsers are imported only when a file needs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slsreview.location import Span


@dataclass(frozen=True, slots=True)
class Problem:
    """Something a loader could not accept. ``kind`` names the parse rule that reports it."""

    kind: str  # "syntax" | "encoding" | "too-large" | "duplicate-key" | "unknown-tag"
    message: str
    span: Span = (1, 1, 1, 1)


class LoadError(Exception):
    """Raised inside a loader; turned into a ``Problem`` at the loader's boundary."""

    def __init__(self, message: str, line: int = 1, column: int = 1, kind: str = "syntax"):
        super().__init__(message)
        self.message = message
        self.line = max(1, line)
        self.column = max(1, column)
        self.kind = kind

    def problem(self) -> Problem:
        return Problem(self.kind, self.message, (self.line, self.column, self.line, self.column))


@dataclass(slots=True)
class Loaded:
    """A loader's answer: the value (None when unreadable) and what was wrong with the file."""

    value: Any
    problems: list[Problem] = field(default_factory=list)


# Bounds that keep hostile files harmless. Real templates stay far below each of them.
MAX_DEPTH = 200  # nesting levels of mappings and sequences
MAX_NODES = 2_000_000  # values in a document once aliases are expanded


def decode_text(data: bytes) -> str:
    """Decode a configuration or source file: UTF-8 (with or without BOM) or UTF-16 with BOM.

    Raises ``LoadError(kind="encoding")`` for binary or undecodable content, naming the line
    where decoding failed.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        # (checked before UTF-16: the UTF-32 little-endian BOM starts with UTF-16's)
        raise LoadError("UTF-32 text is not supported; save the file as UTF-8", kind="encoding")
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise LoadError("not valid UTF-16 text", kind="encoding") from exc
        if "\x00" in text:  # as for UTF-8 below: a NUL character means binary content
            line = text.count("\n", 0, text.index("\x00")) + 1
            raise LoadError("binary content (NUL character); not a text file", line, 1, kind="encoding")
        return text
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise LoadError("binary content (NUL byte); not a text file", line, 1, kind="encoding")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise LoadError("not valid UTF-8 text", line, 1, kind="encoding") from exc
