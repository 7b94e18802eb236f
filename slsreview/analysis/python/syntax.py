"""What a libcst node says by itself: its literal value, its dotted name, its parts.

    >>> literal_value(cst.parse_expression("{'a': [1, -2.5, None]}"))
    {'a': [1, -2.5, None]}
    >>> dotted_name(cst.parse_expression("boto3.client('s3').put_object"))
    'boto3.client.put_object'
"""

from __future__ import annotations

import ast
import warnings
from typing import Any

import libcst as cst

from slsreview.analysis.python.values import UNSET, Val


def literal_value(node: cst.BaseExpression) -> Any:
    """The Python value of a fully literal expression, or ``UNSET``."""
    if type(node) is cst.SimpleString:
        return _string(node)
    if type(node) is cst.Integer:
        try:
            return int(node.value, 0)
        except ValueError:  # leading zeros such as "00" are valid Python but not int(..., 0)
            # ...and more than 4,300 digits are refused by int() and literal_eval alike
            # (CVE-2020-10735): then it is no literal we can hold.
            return _literal_eval(node.value)
    if type(node) is cst.Float:
        return float(node.value.replace("_", ""))
    if type(node) is cst.Name:
        return _NAMED_CONSTANTS.get(node.value, UNSET)
    if type(node) is cst.ConcatenatedString:
        left = literal_value(node.left)
        right = literal_value(node.right)
        return left + right if isinstance(left, str) and isinstance(right, str) else UNSET
    if type(node) is cst.UnaryOperation and type(node.operator) is cst.Minus:
        inner = literal_value(node.expression)
        return -inner if type(inner) in (int, float) else UNSET
    if type(node) is cst.Dict:
        out: dict[Any, Any] = {}
        for element in node.elements:
            if type(element) is not cst.DictElement:
                return UNSET
            key = literal_value(element.key)
            value = literal_value(element.value)
            if value is UNSET or not isinstance(key, str | int | float | bool):
                return UNSET
            out[key] = value
        return out
    if type(node) is cst.List or type(node) is cst.Tuple:
        items = []
        for item in node.elements:
            value = literal_value(item.value) if type(item) is cst.Element else UNSET
            if value is UNSET:
                return UNSET
            items.append(value)
        return items
    return UNSET


_NAMED_CONSTANTS = {"True": True, "False": False, "None": None}


def _string(node: cst.SimpleString) -> Any:
    raw = node.value
    start = 0
    while raw[start] not in "'\"":
        start += 1
    prefix = raw[:start].lower()
    if "b" in prefix:
        return UNSET  # bytes are not one of the literal kinds a Value holds
    quote = 3 if raw[start : start + 3] in ('"""', "'''") else 1
    body = raw[start + quote : len(raw) - quote]
    if "r" in prefix or "\\" not in body:
        return body
    return _literal_eval(raw)


def _literal_eval(source: str) -> Any:
    """``ast.literal_eval`` of one literal's source, or ``UNSET``. Quiet: an escape such as
    ``"\\d"`` draws a DeprecationWarning (a SyntaxWarning on stderr from Python 3.12), which is
    the reviewed code's business, not our output's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.literal_eval(source)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return UNSET


def text_literal(node: cst.BaseExpression, val: Val) -> str | None:
    """A string an argument certainly holds: a literal, or a name bound to one."""
    value = literal_value(node)
    if value is UNSET:
        value = val.const
    return value if isinstance(value, str) else None


def dict_keys(node: cst.Dict) -> tuple[str, ...]:
    keys = []
    for element in node.elements:
        if type(element) is cst.DictElement:
            key = literal_value(element.key)
            if isinstance(key, str):
                keys.append(key)
    return tuple(keys)


def dotted_name(node: cst.BaseExpression) -> str:
    """``a.b.c`` for a name chain, with calls and subscripts elided (``get().put`` -> ``get.put``)."""
    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Attribute:
        return f"{dotted_name(node.value)}.{node.attr.value}"
    if type(node) is cst.Call:
        return dotted_name(node.func)
    if type(node) is cst.Subscript:
        return dotted_name(node.value)
    if type(node) is cst.Await:
        return dotted_name(node.expression)
    return "?"


def root_name(node: cst.BaseExpression) -> str | None:
    """The variable at the bottom of ``x``, ``x[k]``, ``x.a[k].b``."""
    while type(node) is cst.Subscript or type(node) is cst.Attribute:
        node = node.value
    return node.value if type(node) is cst.Name else None


def receiver_of(call: cst.Call) -> cst.BaseExpression | None:
    """``x`` in ``x.method(...)``."""
    return call.func.value if type(call.func) is cst.Attribute else None


def pairwise(
    target: cst.BaseExpression, value: cst.BaseExpression
) -> list[tuple[cst.BaseExpression, cst.BaseExpression]] | None:
    """``a, b = x, y``: the (target, value) pairs, when both sides are plain sequences alike."""
    if not (isinstance(target, cst.Tuple | cst.List) and isinstance(value, cst.Tuple | cst.List)):
        return None
    if len(target.elements) != len(value.elements):
        return None
    if not all(isinstance(e, cst.Element) for e in (*target.elements, *value.elements)):
        return None
    return [(t.value, v.value) for t, v in zip(target.elements, value.elements, strict=True)]


MATCH_NODES = (
    cst.MatchPattern,
    cst.MatchStar,
    cst.MatchSequenceElement,
    cst.MatchMappingElement,
    cst.MatchKeywordElement,
    cst.MatchOrElement,
)
