"""Parsed documents as plain Python values that still know where they came from.

Every loader (YAML, JSON, JSONC, TOML) returns the same shapes: ``MapNode`` (a ``dict``),
``ListNode`` (a ``list``), ``Intrinsic`` (a CloudFormation function such as ``!Ref``), and plain
``str``/``int``/``float``/``bool``/``None`` leaves. Containers carry the file path and the span of
every child, so a rule works with ordinary values and still reports an exact position::

    props = resource["Properties"]            # a MapNode
    props.get("Timeout")                      # 900 (a plain int)
    props.loc("Timeout")                      # Location('template.yaml', 12, 16, 12, 19)
    props.key_loc("Timeout")                  # the key itself
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slsreview.location import Location, Span

NO_SPAN: Span = (1, 1, 1, 1)


class MapNode(dict[str, Any]):
    """A mapping whose keys and values know their spans."""

    __slots__ = ("_key_spans", "_value_spans", "path", "span")

    def __init__(self, path: str = "", span: Span = NO_SPAN) -> None:
        super().__init__()
        self.path = path
        self.span = span
        self._key_spans: dict[str, Span] = {}
        self._value_spans: dict[str, Span] = {}

    def set(self, key: str, value: Any, key_span: Span, value_span: Span) -> None:
        self[key] = value
        self._key_spans[key] = key_span
        self._value_spans[key] = value_span

    def loc(self, key: str | None = None) -> Location:
        """The location of the value under ``key``, or of the mapping itself."""
        if key is None or key not in self._value_spans:
            return Location.of(self.path, self.span)
        return Location.of(self.path, self._value_spans[key])

    def key_loc(self, key: str) -> Location:
        return Location.of(self.path, self._key_spans.get(key, self.span))

    def value_span(self, key: str) -> Span:
        return self._value_spans.get(key, self.span)

    def key_span(self, key: str) -> Span:
        return self._key_spans.get(key, self.span)


class ListNode(list[Any]):
    """A sequence whose items know their spans."""

    __slots__ = ("_item_spans", "path", "span")

    def __init__(self, path: str = "", span: Span = NO_SPAN) -> None:
        super().__init__()
        self.path = path
        self.span = span
        self._item_spans: list[Span] = []

    def add(self, value: Any, span: Span) -> None:
        self.append(value)
        self._item_spans.append(span)

    def loc(self, index: int | None = None) -> Location:
        if index is None or not -len(self._item_spans) <= index < len(self._item_spans):
            return Location.of(self.path, self.span)
        return Location.of(self.path, self._item_spans[index])

    def item_span(self, index: int) -> Span:
        return self._item_spans[index] if 0 <= index < len(self._item_spans) else self.span


class Intrinsic:
    """A CloudFormation intrinsic function, kept as written and never evaluated.

    ``name`` is the long form (``Ref``, ``Fn::Sub``, ``Fn::GetAtt``, ``Condition``) whichever
    way the template spelled it; ``value`` is its argument. Rules treat an intrinsic as unknown,
    except where the reference itself is the point (``ref_target``).
    """

    __slots__ = ("name", "path", "span", "value")

    def __init__(self, name: str, value: Any, path: str = "", span: Span = NO_SPAN) -> None:
        self.name = name
        self.value = value
        self.path = path
        self.span = span

    def loc(self) -> Location:
        return Location.of(self.path, self.span)

    def ref_target(self) -> str | None:
        """The logical id this intrinsic points at: ``!Ref X``, ``!GetAtt X.Arn``, or None."""
        if self.name == "Ref" and isinstance(self.value, str):
            return self.value
        if self.name == "Fn::GetAtt":
            if isinstance(self.value, list) and self.value and isinstance(self.value[0], str):
                return str(self.value[0])
            if isinstance(self.value, str):
                return self.value.split(".", 1)[0]
        return None

    def short(self) -> str:
        """How a person would write it, for messages: ``!Ref Table``."""
        tag = "!" + self.name.removeprefix("Fn::")
        if isinstance(self.value, str):
            return f"{tag} {self.value}"
        if self.name == "Fn::GetAtt" and isinstance(self.value, list):
            return f"{tag} " + ".".join(str(v) for v in self.value)
        return tag

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Intrinsic) and other.name == self.name and other.value == self.value
        )

    def __hash__(self) -> int:
        return hash((self.name, repr(self.value)))

    def __repr__(self) -> str:
        return f"Intrinsic({self.name!r}, {self.value!r})"


# Every intrinsic function CloudFormation accepts, long form. Short YAML tags map onto these.
INTRINSIC_NAMES = frozenset(
    {
        "Ref",
        "Condition",
        "Fn::Base64",
        "Fn::Cidr",
        "Fn::FindInMap",
        "Fn::GetAtt",
        "Fn::GetAZs",
        "Fn::ImportValue",
        "Fn::Join",
        "Fn::Select",
        "Fn::Split",
        "Fn::Sub",
        "Fn::Transform",
        "Fn::If",
        "Fn::Equals",
        "Fn::And",
        "Fn::Or",
        "Fn::Not",
        "Fn::Length",
        "Fn::ToJsonString",
        "Fn::ForEach",
    }
)


def lift(value: Any) -> Any:
    """A long-form intrinsic written as a mapping in YAML (``FunctionName: {Ref: Fn}``,
    ``Fn::GetAtt: [Role, Arn]``) as the ``Intrinsic`` its short form loads as; anything else
    unchanged. (The JSON loader already reads templates' long forms as intrinsics.)"""
    if isinstance(value, dict) and len(value) == 1:
        ((name, argument),) = value.items()
        if name in INTRINSIC_NAMES:
            path = value.path if isinstance(value, MapNode) else ""
            span = value.span if isinstance(value, MapNode) else NO_SPAN
            return Intrinsic(name, argument, path, span)
    return value


def walk(value: Any) -> Iterator[tuple[Any, Any, Any]]:
    """Yield ``(container, key_or_index, child)`` for every value under ``value``, depth first.

    Iterative, so the deepest document a loader accepts never overflows the stack. An
    intrinsic's argument is yielded with the intrinsic as its container and ``None`` as key.
    """
    stack: list[Iterator[tuple[Any, Any, Any]]] = [_children(value)]
    while stack:
        for container, key, child in stack[-1]:
            yield container, key, child
            stack.append(_children(child))
            break
        else:
            stack.pop()


def _children(value: Any) -> Iterator[tuple[Any, Any, Any]]:
    if isinstance(value, dict):
        return ((value, key, child) for key, child in value.items())
    if isinstance(value, list):
        return ((value, index, child) for index, child in enumerate(value))
    if isinstance(value, Intrinsic):
        return iter(((value, None, value.value),))
    return iter(())
