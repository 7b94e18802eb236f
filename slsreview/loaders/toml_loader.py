"""TOML to position-aware values: ``tomllib`` for the values, our own scan for the positions.

``tomllib`` is the authority on what a TOML file means, but it reports no positions. A small
scanner walks the same text and records where every key (and its value) sits, keyed by the key's
path: ``("env", "staging", "kv_namespaces", 0, "binding")``. The two are then joined, so a
wrangler binding declared in ``[[env.staging.kv_namespaces]]`` points at its own line.

    >>> loaded = load_toml("wrangler.toml", 'name = "w"\\n[vars]\\nMODE = "dev"\\n')
    >>> loaded.value["vars"].loc("MODE").line
    3
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from slsreview.loaders import MAX_DEPTH, Loaded, LoadError, Problem
from slsreview.loaders.nodes import ListNode, MapNode
from slsreview.location import Span

Path = tuple[str | int, ...]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_ERROR_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def load_toml(path: str, text: str) -> Loaded:
    long_key = _long_key_path(text)
    if long_key is not None:
        # tomllib takes time quadratic in the length of a dotted key (a 100,000-part key runs for
        # minutes) and would nest the result that deep: refuse it before tomllib sees it.
        line, column = long_key
        message = f"invalid TOML: a key path of more than {MAX_DEPTH} parts"
        return Loaded(None, [Problem("syntax", message, (line, column, line, column))])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _ERROR_POSITION.search(message)
        line, column = (int(match[1]), int(match[2])) if match else (1, 1)
        message = _ERROR_POSITION.sub("", message).strip()
        return Loaded(None, [Problem("syntax", f"invalid TOML: {message}", (line, column, line, column))])
    except RecursionError:
        return Loaded(None, [Problem("syntax", "invalid TOML: nested too deeply")])
    except ValueError:
        # int() refuses more than 4,300 digits (CVE-2020-10735) and tomllib lets that
        # ValueError out as it is: `a = 999...9` must not end the review.
        digits = _LONG_NUMBER.search(text)
        line = text.count("\n", 0, digits.start()) + 1 if digits else 1
        message = "invalid TOML: a number too long to read (over 4,300 digits)"
        return Loaded(None, [Problem("syntax", message, (line, 1, line, 1))])
    try:
        spans = _Scanner(text).scan()
    except (LoadError, IndexError, RecursionError):
        spans = {}  # positions are a courtesy; the values tomllib gave are still right
    try:
        return Loaded(_build(path, data, (), spans, (1, 1, 1, 1), 0), [])
    except LoadError as exc:
        return Loaded(None, [exc.problem()])


_LONG_NUMBER = re.compile(r"[0-9_]{4000,}")
_KEY_PART = re.compile(
    r"""(?P<key>[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')|(?P<dot>[ \t]*\.[ \t]*)|."""
)


def _long_key_path(text: str) -> tuple[int, int] | None:
    """Where a dotted key (``a.b.c = 1``, ``[a.b.c]``) of more than MAX_DEPTH parts starts, or
    None. A key never spans lines, so only a line with that many dots needs a closer look."""
    if text.count(".") <= MAX_DEPTH:
        return None
    for number, line in enumerate(text.split("\n"), 1):
        if line.count(".") <= MAX_DEPTH:
            continue
        parts = start = 0
        after_dot = False
        for match in _KEY_PART.finditer(line):
            kind = match.lastgroup
            if kind == "key":
                if after_dot:
                    parts += 1
                else:
                    parts, start = 1, match.start()
                after_dot = False
                if parts > MAX_DEPTH:
                    return number, start + 1
            elif kind == "dot" and parts and not after_dot:
                after_dot = True
            else:
                parts, after_dot = 0, False
    return None


def _build(path: str, value: Any, at: Path, spans: dict[Path, tuple[Span, Span]], span: Span, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise LoadError(f"invalid TOML: nesting deeper than {MAX_DEPTH} levels", span[0], span[1])
    if isinstance(value, dict):
        node = MapNode(path, span)
        for key, child in value.items():
            key_span, value_span = spans.get((*at, key), (span, span))
            node.set(key, _build(path, child, (*at, key), spans, value_span, depth + 1), key_span, value_span)
        return node
    if isinstance(value, list):
        items = ListNode(path, span)
        for index, child in enumerate(value):
            item_span = spans.get((*at, index), (span, span))[1]
            items.add(_build(path, child, (*at, index), spans, item_span, depth + 1), item_span)
        return items
    if hasattr(value, "isoformat"):
        return value.isoformat()  # dates and times: keep the text a person wrote
    return value


class _Scanner:
    """Records ``path -> (key span, value span)`` for every key, table and array item."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.spans: dict[Path, tuple[Span, Span]] = {}
        self.array_counts: dict[Path, int] = {}

    # -- positions --------------------------------------------------------------------------
    def here(self) -> tuple[int, int]:
        return self.line, self.pos - self.line_start + 1

    def advance(self, count: int = 1) -> None:
        for _ in range(count):
            if self.pos < len(self.text) and self.text[self.pos] == "\n":
                self.line += 1
                self.line_start = self.pos + 1
            self.pos += 1

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def skip_space(self, newlines: bool) -> None:
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in " \t\r" or (newlines and ch == "\n"):
                self.advance()
            elif ch == "#":
                while self.pos < len(self.text) and self.text[self.pos] != "\n":
                    self.pos += 1
            else:
                return

    # -- grammar ----------------------------------------------------------------------------
    def scan(self) -> dict[Path, tuple[Span, Span]]:
        table: Path = ()
        while True:
            self.skip_space(newlines=True)
            if self.pos >= len(self.text):
                return self.spans
            if self.peek() == "[":
                table = self.header()
            else:
                self.key_value(table)

    def header(self) -> Path:
        start = self.here()
        is_array = self.peek(1) == "["
        self.advance(2 if is_array else 1)
        keys = self.key()
        self.skip_space(newlines=False)
        self.advance(2 if is_array else 1)
        span = (*start, *self.here())
        if is_array:
            index = self.array_counts.get(keys, 0)
            self.array_counts[keys] = index + 1
            self.spans.setdefault(keys, (span, span))
            keys = (*keys, index)
        self.spans[keys] = (span, span)
        return keys

    def key_value(self, table: Path) -> None:
        key_start = self.here()
        keys = self.key()
        key_span = (*key_start, *self.here())
        self.skip_space(newlines=False)
        if self.peek() != "=":
            raise LoadError("expected '='", *self.here())
        self.advance()
        self.skip_space(newlines=False)
        path = (*table, *keys)
        self.value(path, key_span)

    def key(self) -> Path:
        parts: list[str | int] = []
        while True:
            self.skip_space(newlines=False)
            ch = self.peek()
            if ch in ('"', "'"):
                parts.append(self.string())
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if not match:
                    raise LoadError("expected a key", *self.here())
                parts.append(match.group())
                self.advance(match.end() - self.pos)
            self.skip_space(newlines=False)
            if self.peek() != ".":
                return tuple(parts)
            self.advance()

    def value(self, path: Path, key_span: Span) -> None:
        start = self.here()
        ch = self.peek()
        if ch == "[":
            self.advance()
            index = 0
            while True:
                self.skip_space(newlines=True)
                if self.peek() == "]":
                    self.advance()
                    break
                self.value((*path, index), (*self.here(), *self.here()))
                index += 1
                self.skip_space(newlines=True)
                if self.peek() == ",":
                    self.advance()
        elif ch == "{":
            self.advance()
            while True:
                self.skip_space(newlines=False)
                if self.peek() == "}":
                    self.advance()
                    break
                key_start = self.here()
                keys = self.key()
                inner_key_span = (*key_start, *self.here())
                self.skip_space(newlines=False)
                self.advance()  # '='
                self.skip_space(newlines=False)
                self.value((*path, *keys), inner_key_span)
                self.skip_space(newlines=False)
                if self.peek() == ",":
                    self.advance()
        elif ch in ('"', "'"):
            self.string()
        else:
            while self.pos < len(self.text) and self.text[self.pos] not in ",]}\n#":
                self.pos += 1
            # trailing spaces are not part of the value
            while self.pos > 0 and self.text[self.pos - 1] in " \t\r":
                self.pos -= 1
        end = self.here()
        if path and isinstance(path[-1], int):
            key_span = (*start, *end)
        self.spans[path] = (key_span, (*start, *end))

    def string(self) -> str:
        quote = self.peek()
        if self.text.startswith(quote * 3, self.pos):
            self.advance(3)
            close = self.text.find(quote * 3, self.pos)
            if close < 0:
                raise LoadError("unterminated string", *self.here())
            while self.text.startswith(quote, close + 3):  # up to two quotes may end the content
                close += 1
            value = self.text[self.pos : close]
            self.advance(close + 3 - self.pos)
            return value
        self.advance()
        chars: list[str] = []
        while self.pos < len(self.text) and self.peek() != quote:
            if quote == '"' and self.peek() == "\\":
                chars.append(self.peek(1))
                self.advance(2)
                continue
            if self.peek() == "\n":
                raise LoadError("unterminated string", *self.here())
            chars.append(self.peek())
            self.advance()
        self.advance()
        return "".join(chars)
