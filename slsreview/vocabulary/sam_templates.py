"""SAM policy templates: what ``DynamoDBCrudPolicy``, ``S3ReadPolicy``... grant, on what.

The table is ``data/sam_policy_templates.json``, generated from aws-sam-translator's own
``policy_templates.json`` by ``python scripts/generate_vocabulary.py``. ``expand`` substitutes a
function's arguments into a template's statements the way SAM does (``Fn::Sub`` and ``Ref`` on
the template's parameters). A literal argument becomes text; an intrinsic argument (``!Ref
OrdersTable``, ``!GetAtt Key.Arn``) stays an ``Intrinsic`` part, unknown until deploy. The
pseudo parameters (``${AWS::Region}``, ``${AWS::AccountId}``, ``${AWS::Partition}``) stay as
written: they are "this account", not unknowns of the template.

    >>> from slsreview.vocabulary import sam_templates
    >>> expansion = sam_templates.expand("SQSSendMessagePolicy", {"QueueName": "orders"})
    >>> expansion.statements[0].actions
    ('sqs:SendMessage*',)
    >>> expansion.statements[0].resources[0].text
    'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders'
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from slsreview.loaders.nodes import Intrinsic

_PSEUDO = re.compile(r"\$\{AWS::[A-Za-z]+\}")
_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


@dataclass(frozen=True, slots=True)
class Value:
    """A resource (or condition value) after substitution: literal text and unknown parts."""

    parts: tuple[str | Intrinsic, ...]

    @property
    def known(self) -> bool:
        return all(isinstance(p, str) for p in self.parts)

    @property
    def unknown(self) -> tuple[Intrinsic, ...]:
        return tuple(p for p in self.parts if isinstance(p, Intrinsic))

    @property
    def text(self) -> str:
        """How to show it: unknown parts as ``{!Ref OrdersTable}``."""
        return "".join(p if isinstance(p, str) else "{" + p.short() + "}" for p in self.parts)

    @property
    def pattern(self) -> str:
        """An IAM resource pattern covering every value it can take: pseudo parameters and
        unknown parts become ``*``."""
        return "".join(_PSEUDO.sub("*", p) if isinstance(p, str) else "*" for p in self.parts)


@dataclass(frozen=True, slots=True)
class Statement:
    effect: str  # "Allow" (every SAM template allows)
    actions: tuple[str, ...]
    resources: tuple[Value, ...]
    condition: Any  # the statement's Condition with arguments substituted, or None


@dataclass(frozen=True, slots=True)
class Expansion:
    name: str
    statements: tuple[Statement, ...]
    missing: tuple[str, ...]  # parameters the arguments do not give (SAM rejects the template)
    unexpected: tuple[str, ...]  # arguments the template has no parameter for

    @property
    def known(self) -> bool:
        return not self.missing and all(r.known for s in self.statements for r in s.resources)


def about() -> dict[str, Any]:
    data = _data()
    return {"source": dict(data["source"]), "generated": data["generated"]}


def names() -> tuple[str, ...]:
    return tuple(_data()["templates"])


def parameters(name: str) -> tuple[str, ...] | None:
    """A template's parameter names, or None when SAM has no such template."""
    entry = _data()["templates"].get(name)
    return tuple(entry["parameters"]) if entry else None


def expand(name: str, arguments: Mapping[str, Any] | None) -> Expansion | None:
    """The statements a template grants with these arguments; None for an unknown template.

    ``arguments`` is the mapping written under the template name (``{"TableName": !Ref T}``);
    SAM writes ``{}`` for a template without parameters.
    """
    entry = _data()["templates"].get(name)
    if entry is None:
        return None
    args = dict(arguments or {})
    params = entry["parameters"]
    missing = tuple(p for p in params if p not in args)
    unexpected = tuple(sorted(a for a in args if a not in params))
    statements = tuple(
        Statement(
            effect=raw["Effect"],
            actions=tuple([raw["Action"]] if isinstance(raw["Action"], str) else raw["Action"]),
            resources=tuple(_values(raw.get("Resource"), args)),
            condition=_substitute(raw["Condition"], args) if "Condition" in raw else None,
        )
        for raw in entry["statements"]
    )
    return Expansion(name, statements, missing, unexpected)


def _values(resource: Any, args: dict[str, Any]) -> list[Value]:
    if resource is None:
        return []
    items = resource if isinstance(resource, list) else [resource]
    return [_value(item, args) for item in items]


def _value(node: Any, args: dict[str, Any]) -> Value:
    parts = _parts(node, args, {})
    merged: list[str | Intrinsic] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return Value(tuple(merged))


def _parts(node: Any, args: dict[str, Any], variables: dict[str, Any]) -> list[str | Intrinsic]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict) and len(node) == 1:
        ((fn, value),) = node.items()
        if fn == "Ref":
            return _argument(value, args)
        if fn == "Fn::Sub":
            text, local = (value[0], value[1]) if isinstance(value, list) else (value, {})
            return _sub(text, args, local)
    return [Intrinsic("Fn::Unknown", node)]


def _argument(name: str, args: dict[str, Any]) -> list[str | Intrinsic]:
    if name.startswith("AWS::"):
        return ["${" + name + "}"]
    if name not in args:
        return [Intrinsic("Ref", name)]  # a missing parameter: unknown
    value = args[name]
    if isinstance(value, Intrinsic):
        return [value]
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return [str(value)]
    return [Intrinsic("Fn::Unknown", value)]


def _sub(text: str, args: dict[str, Any], local: dict[str, Any]) -> list[str | Intrinsic]:
    out: list[str | Intrinsic] = []
    position = 0
    for match in _SUB_VARIABLE.finditer(text):
        out.append(text[position : match.start()])
        variable = match.group(1)
        if variable in local:
            out.extend(_parts(local[variable], args, {}))
        else:
            out.extend(_argument(variable, args))
        position = match.end()
    out.append(text[position:])
    return out


def _substitute(node: Any, args: dict[str, Any]) -> Any:
    """A condition with each Ref/Fn::Sub value replaced by its ``Value``."""
    if isinstance(node, dict):
        if len(node) == 1 and next(iter(node)) in ("Ref", "Fn::Sub"):
            return _value(node, args)
        return {k: _substitute(v, args) for k, v in node.items()}
    if isinstance(node, list):
        return [_substitute(v, args) for v in node]
    return node


@cache
def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data", "sam_policy_templates.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
