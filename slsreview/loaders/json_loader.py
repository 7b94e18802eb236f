"""JSON and JSONC (comments, trailing commas) to position-aware values.

The standard library's parser reports no positions, so this is a small tokenizer and an
iterative parser (no recursion: a 10,000-level document gets a clear error, not a crash).
``jsonc=True`` accepts ``//`` and ``/* */`` comments and trailing commas, as Wrangler does for
``wrangler.json`` and ``wrangler.jsonc``; templates are strict JSON.

    >>> load_json("wrangler.jsonc", '{"main": "src/index.ts", // entry\\n}', jsonc=True).value
    {'main': 'src/index.ts'}
"""

from __future__ import annotations

import bisect
import json
import re
from typing import Any

from slsreview.loaders import MAX_DEPTH, Loaded, LoadError, Problem
from slsreview.loaders.nodes import INTRINSIC_NAMES, Intrinsic, ListNode, MapNode
from slsreview.location import Span

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n\ufeff]+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<number>-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)
  | (?P<word>true|false|null)
  | (?P<punct>[{}\[\]:,])
    """,
    re.VERBOSE | re.DOTALL,
)


def load_json(path: str, text: str, *, jsonc: bool = False, intrinsics: bool = False) -> Loaded:
    """Load a JSON (or JSONC) document. ``intrinsics`` turns ``{"Ref": x}`` into ``Intrinsic``."""
    parser = _Parser(path, text, jsonc, intrinsics)
    try:
        value = parser.parse()
    except LoadError as exc:
        return Loaded(None, [exc.problem()])
    return Loaded(value, parser.problems)


class _Parser:
    def __init__(self, path: str, text: str, jsonc: bool, intrinsics: bool) -> None:
        self.path = path
        self.text = text
        self.jsonc = jsonc
        self.intrinsics = intrinsics
        self.problems: list[Problem] = []
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        return self.position(start) + self.position(end)

    def fail(self, message: str, offset: int) -> LoadError:
        line, column = self.position(offset)
        return LoadError(f"invalid JSON: {message}", line, column)

    def tokens(self) -> list[tuple[str, str, int, int]]:
        text, out, pos, end = self.text, [], 0, len(self.text)
        match = _TOKEN.match
        while pos < end:
            m = match(text, pos)
            if m is None:
                snippet = text[pos : pos + 12].split("\n")[0]
                raise self.fail(f"unexpected {snippet!r}", pos)
            kind = m.lastgroup or ""
            if kind == "comment" and not self.jsonc:
                raise self.fail("comments are not allowed in JSON", pos)
            if kind not in ("ws", "comment"):
                out.append((kind, m.group(), m.start(), m.end()))
            pos = m.end()
        return out

    def parse(self) -> Any:
        tokens = self.tokens()
        if not tokens:
            raise self.fail("the file is empty", 0)
        stack: list[_Frame] = []
        root: Any = _NOTHING
        i, n = 0, len(tokens)
        while i < n:
            kind, raw, start, end = tokens[i]
            i += 1
            if root is not _NOTHING:
                raise self.fail(f"unexpected {raw!r} after the end of the document", start)
            frame = stack[-1] if stack else None
            state = frame.state if frame else "value"
            value: Any
            if frame is not None and state == "comma":
                if raw == ",":
                    frame.state = "key" if isinstance(frame.node, MapNode) else "value"
                    frame.after_comma = True
                    continue
                closer = "}" if isinstance(frame.node, MapNode) else "]"
                if raw != closer:
                    raise self.fail(f"expected ',' or '{closer}', found {raw!r}", start)
                value = self._close(stack.pop(), end)
            elif frame is not None and state == "key":
                if raw == "}":
                    self._check_trailing(frame, start)
                    value = self._close(stack.pop(), end)
                elif kind == "string":
                    frame.key = self._string(raw, start)
                    frame.key_span = self.span(start, end)
                    if i >= n or tokens[i][1] != ":":
                        raise self.fail(
                            "expected ':' after a property name", tokens[i][2] if i < n else end
                        )
                    i += 1
                    frame.state = "value"
                    continue
                else:
                    raise self.fail(f"expected a property name, found {raw!r}", start)
            elif raw == "]" and frame is not None and isinstance(frame.node, ListNode):
                self._check_trailing(frame, start)
                value = self._close(stack.pop(), end)
            elif raw == "{" or raw == "[":
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(f"nesting deeper than {MAX_DEPTH} levels", start)
                stack.append(_Frame(MapNode(self.path) if raw == "{" else ListNode(self.path), start))
                continue
            elif kind == "string":
                value = self._string(raw, start)
            elif kind == "number":
                value = _number(raw)
            elif kind == "word":
                value = _WORDS[raw]
            else:
                raise self.fail(f"unexpected {raw!r}", start)

            if not stack:
                root = value
                continue
            parent = stack[-1]
            span = value.span if isinstance(value, (MapNode, ListNode, Intrinsic)) else self.span(start, end)
            self._add(parent, value, span)
        if stack:
            raise self.fail("unexpected end of file (an object or array is not closed)", len(self.text))
        return root

    def _check_trailing(self, frame: _Frame, offset: int) -> None:
        if frame.after_comma and not self.jsonc:
            raise self.fail("trailing comma", offset)

    def _close(self, frame: _Frame, end: int) -> Any:
        node = frame.node
        node.span = self.span(frame.start, end)
        if self.intrinsics and isinstance(node, MapNode) and len(node) == 1:
            (name,) = node.keys()
            if name in INTRINSIC_NAMES:
                return Intrinsic(name, node[name], self.path, node.span)
        return node

    def _add(self, frame: _Frame, value: Any, span: Span) -> None:
        node = frame.node
        if isinstance(node, ListNode):
            node.add(value, span)
        else:
            key = frame.key
            if key in node:
                self.problems.append(
                    Problem(
                        "duplicate-key",
                        f"duplicate key '{key}' (first defined on line {node.key_span(key)[0]}); "
                        "JSON parsers keep only the last value",
                        frame.key_span,
                    )
                )
            node.set(key, value, frame.key_span, span)
        frame.state = "comma"
        frame.after_comma = False

    def _string(self, raw: str, start: int) -> str:
        if "\\" not in raw:
            return raw[1:-1]
        try:
            value = str(json.loads(raw))
        except ValueError as exc:
            raise self.fail(f"bad string escape ({exc})", start) from exc
        # "\ud800" alone is valid JSON but no character: such a string can be neither hashed
        # (fingerprints) nor printed as UTF-8, and took every report format down with it.
        return _LONE_SURROGATE.sub("\ufffd", value)


_NOTHING = object()
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # json.loads has already paired the valid ones
_WORDS: dict[str, Any] = {"true": True, "false": False, "null": None}


class _Frame:
    __slots__ = ("after_comma", "key", "key_span", "node", "start", "state")

    def __init__(self, node: MapNode | ListNode, start: int) -> None:
        self.node = node
        self.start = start
        self.state = "key" if isinstance(node, MapNode) else "value"
        self.key = ""
        self.key_span: Span = (1, 1, 1, 1)
        self.after_comma = False


def _number(raw: str) -> int | float | str:
    try:
        if any(c in raw for c in ".eE"):
            return float(raw)
        return int(raw)
    except ValueError:
        return raw  # beyond Python's integer-string limit: keep the digits
