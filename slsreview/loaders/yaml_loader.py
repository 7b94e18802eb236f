"""YAML to position-aware values, built straight from libyaml's event stream.

We do not use PyYAML's composer: it recurses once per nesting level in C (a 100,000-level
document crashes the interpreter) and it expands aliases without bound. Instead we read events
(libyaml's C parser when present, else the pure-Python one) and build ``MapNode``/``ListNode``
values with an explicit stack, so that:

- every CloudFormation short tag (``!Ref``, ``!GetAtt a.b``, ``!Sub``, ...) becomes an
  ``Intrinsic``; an unknown tag is reported and its value kept;
- duplicate keys are reported (PyYAML would silently keep the last one; so do we, after saying so);
- nesting depth and the size of the document after alias expansion are bounded, so a
  billion-laughs template fails fast with one clear error instead of eating memory.

    >>> loaded = load_yaml("t.yaml", "Value: !GetAtt Table.Arn\\n")
    >>> loaded.value["Value"]
    Intrinsic('Fn::GetAtt', ['Table', 'Arn'])
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml import events as ev
from yaml.nodes import ScalarNode

from slsreview.loaders import MAX_DEPTH, MAX_NODES, Loaded, LoadError, Problem
from slsreview.loaders.nodes import INTRINSIC_NAMES, Intrinsic, ListNode, MapNode
from slsreview.location import Span

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Short tag -> long name. `!Condition` is the one short tag without the Fn:: prefix.
SHORT_TAGS: dict[str, str] = {
    "!" + name.removeprefix("Fn::"): name for name in INTRINSIC_NAMES if name != "Ref"
}
SHORT_TAGS["!Ref"] = "Ref"

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_MERGE = "tag:yaml.org,2002:merge"
_STANDARD_PREFIX = "tag:yaml.org,2002:"
# YAML 1.1's own types. Anything else under its prefix (`!!python/object:os.system`) is an
# unknown tag: reported, its value kept as plain data, never constructed.
_STANDARD_TAGS = frozenset(
    _STANDARD_PREFIX + name
    for name in ("str", "int", "float", "bool", "null", "binary", "timestamp", "merge", "value",
                 "seq", "map", "omap", "pairs", "set")
)
# First characters for which YAML's implicit resolvers may give a plain scalar a non-str type;
# every other plain scalar is a string, and skipping the resolver for it halves load time.
_RESOLVABLE = frozenset(
    "".join(key for key in yaml.resolver.Resolver.yaml_implicit_resolvers if key)
)


def load_yaml(path: str, text: str) -> Loaded:
    """Load one YAML document. Never raises for bad input (see ``slsreview.loaders``)."""
    try:
        # The pure-Python reader checks every character as it is constructed: inside the try.
        builder = _Builder(path, text)
        value = builder.build()
    except LoadError as exc:
        return Loaded(None, [exc.problem()])
    except yaml.reader.ReaderError as exc:
        # Its str() spans two lines and gives a position libyaml counts in UTF-8 bytes; name
        # the character and find it instead.
        bad = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
        index = max(0, text.find(bad))
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
        message = f"invalid YAML: {exc.reason} (U+{ord(bad[:1] or ' '):04X})"
        return Loaded(None, [Problem("syntax", message, (line, column, line, column))])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = " ".join(" ".join(part for part in (exc.context, exc.problem) if part).split()) or str(exc)
        return Loaded(None, [Problem("syntax", f"invalid YAML: {message}", (line, column, line, column))])
    except (yaml.YAMLError, ValueError, RecursionError, MemoryError) as exc:
        message = " ".join(str(exc).split()) or type(exc).__name__  # one line, always
        return Loaded(None, [Problem("syntax", f"invalid YAML: {message}")])
    return Loaded(value, builder.problems)


def _span(start: Any, end: Any) -> Span:
    return (start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class _Frame:
    __slots__ = ("anchor", "key", "key_span", "merges", "node", "size", "start", "tag")

    def __init__(self, node: MapNode | ListNode, tag: str | None, anchor: str | None, start: Any):
        self.node = node
        self.tag = tag
        self.anchor = anchor
        self.start = start
        self.key: Any = _NO_KEY
        self.key_span: Span = (1, 1, 1, 1)
        self.size = 1
        self.merges: list[tuple[Any, Span]] = []


_NO_KEY = object()


class _Builder:
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.loader = _Loader(text)
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()

    def build(self) -> Any:
        loader = self.loader
        try:
            stack: list[_Frame] = []
            root: Any = None
            root_seen = False
            while True:
                event = loader.get_event()
                kind = type(event)
                if kind is ev.ScalarEvent:
                    value, size = self._scalar(event), 1
                    span = _span(event.start_mark, event.end_mark)
                    if event.anchor:
                        self.anchors[event.anchor] = (value, size)
                elif kind is ev.MappingStartEvent or kind is ev.SequenceStartEvent:
                    if len(stack) >= MAX_DEPTH:
                        mark = event.start_mark
                        raise LoadError(
                            f"nesting deeper than {MAX_DEPTH} levels",
                            mark.line + 1,
                            mark.column + 1,
                        )
                    node: MapNode | ListNode = (
                        MapNode(self.path) if kind is ev.MappingStartEvent else ListNode(self.path)
                    )
                    stack.append(_Frame(node, event.tag, event.anchor, event.start_mark))
                    if event.anchor:
                        self.open_anchors.add(event.anchor)
                    continue
                elif kind is ev.MappingEndEvent or kind is ev.SequenceEndEvent:
                    frame = stack.pop()
                    frame.node.span = _span(frame.start, event.end_mark)
                    if frame.merges:
                        self._merge(frame)
                    value, size = self._tagged(frame.node, frame.tag, frame.start, event.end_mark), frame.size
                    span = frame.node.span
                    if frame.anchor:
                        self.open_anchors.discard(frame.anchor)
                        self.anchors[frame.anchor] = (value, size)
                elif kind is ev.AliasEvent:
                    value, size = self._alias(event)
                    span = _span(event.start_mark, event.end_mark)
                elif kind is ev.DocumentEndEvent:
                    continue
                elif kind is ev.DocumentStartEvent:
                    if root_seen:
                        mark = event.start_mark
                        raise LoadError(
                            "more than one YAML document in the file", mark.line + 1, mark.column + 1
                        )
                    continue
                elif kind is ev.StreamEndEvent:
                    return root
                else:
                    continue

                if not stack:
                    root, root_seen = value, True
                    continue
                self._attach(stack[-1], value, span, size, event)
        finally:
            loader.dispose()

    def _attach(self, frame: _Frame, value: Any, span: Span, size: int, event: Any) -> None:
        frame.size += size
        if frame.size > MAX_NODES:
            mark = event.start_mark
            raise LoadError(
                f"document expands to more than {MAX_NODES:,} values (alias expansion bomb?)",
                mark.line + 1,
                mark.column + 1,
            )
        node = frame.node
        if isinstance(node, ListNode):
            node.add(value, span)
            return
        if frame.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                # Complex keys do not occur in CloudFormation or wrangler; keep a readable stand-in.
                value = "<complex key>"
            frame.key = value
            frame.key_span = span
            return
        key, frame.key = frame.key, _NO_KEY
        if key is _MergeKey:
            frame.merges.append((value, span))
            return
        key = _key_text(key)
        if key in node:
            self.problems.append(
                Problem(
                    "duplicate-key",
                    f"duplicate key '{key}' (first defined on line {node.key_span(key)[0]}); "
                    "YAML loaders keep only the last value",
                    frame.key_span,
                )
            )
        node.set(key, value, frame.key_span, span)

    def _scalar(self, event: Any) -> Any:
        value: str = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if event.implicit[0] and (not value or value[0] in _RESOLVABLE):
                resolved = self.loader.resolve(ScalarNode, value, (True, False))
                return _convert(resolved, value, self.loader)
            return value
        if tag in _STANDARD_TAGS:
            return _convert(tag, value, self.loader)
        return self._tagged(value, tag, event.start_mark, event.end_mark)

    def _tagged(self, value: Any, tag: str | None, start: Any, end: Any) -> Any:
        if tag is None or tag == "!" or tag in _STANDARD_TAGS:
            return value
        name = SHORT_TAGS.get(tag)
        span = _span(start, end)
        if name is None:
            line, column = start.line + 1, start.column + 1
            if tag.startswith(_STANDARD_PREFIX):
                tag = "!!" + tag.removeprefix(_STANDARD_PREFIX)  # as it was written
            self.problems.append(
                Problem(
                    "unknown-tag",
                    f"unknown tag {tag}; CloudFormation accepts only its intrinsic function tags",
                    (line, column, line, column + len(tag)),
                )
            )
            return value
        if name == "Fn::GetAtt" and isinstance(value, str):
            first, _, rest = value.partition(".")
            parts = ListNode(self.path, span)
            parts.add(first, span)
            parts.add(rest, span)
            value = parts if rest else value
        return Intrinsic(name, value, self.path, span)

    def _alias(self, event: Any) -> tuple[Any, int]:
        name = event.anchor
        mark = event.start_mark
        if name in self.open_anchors:
            raise LoadError(f"recursive alias *{name}", mark.line + 1, mark.column + 1)
        if name not in self.anchors:
            raise LoadError(f"undefined alias *{name}", mark.line + 1, mark.column + 1)
        return self.anchors[name]

    def _merge(self, frame: _Frame) -> None:
        node = frame.node
        assert isinstance(node, MapNode)
        for value, span in frame.merges:
            sources = value if isinstance(value, list) else [value]
            for source in sources:
                if not isinstance(source, MapNode):
                    raise LoadError("'<<' merge needs a mapping or a list of mappings", span[0], span[1])
                for key, item in source.items():
                    if key not in node:
                        node.set(key, item, source.key_span(key), source.value_span(key))


class _MergeKeyType:
    def __repr__(self) -> str:
        return "<<"


_MergeKey = _MergeKeyType()


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    if isinstance(key, Intrinsic):
        return key.short()
    return str(key)


def _convert(tag: str, value: str, loader: Any) -> Any:
    """Turn a plain scalar into the Python value YAML 1.1 gives it (as CloudFormation reads it)."""
    if tag == _STR:
        return value
    if tag == _MERGE:
        return _MergeKey
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return value.lower() in ("yes", "true", "on", "y")
    node = ScalarNode(tag, value)
    try:
        if tag == _INT:
            return loader.construct_yaml_int(node)
        if tag == _FLOAT:
            return loader.construct_yaml_float(node)
    except (ValueError, OverflowError):
        # A 10,000-digit integer is legal YAML; Python refuses to convert it. Keep the text.
        return value
    # Timestamps, binary and other YAML types: CloudFormation reads them as strings.
    return value
