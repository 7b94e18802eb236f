"""What a Lambda function is granted: every IAM statement that applies to its execution role.

``grants_for(fn, resources)`` (or ``project.grants_for(fn)``) gathers, for one function:

- the role SAM creates when the function has no ``Role``: ``AWSLambdaBasicExecutionRole``,
  ``AWSXrayWriteOnlyAccess`` with ``Tracing``, ``AWSLambdaVPCAccessExecutionRole`` with
  ``VpcConfig``, the pollers' policies of SQS / Kinesis / DynamoDB events, the dead-letter queue
  and the ``EventInvokeConfig`` destinations, and ``Policies`` in all three forms (managed
  policy names/ARNs, SAM policy templates expanded with their arguments, inline documents);
- or the role ``Role`` names when it is an ``AWS::IAM::Role`` of the same template: its inline
  policies, its ``ManagedPolicyArns`` (a ``!Ref`` to an ``AWS::IAM::ManagedPolicy`` there is read)
  and every ``AWS::IAM::Policy`` / ``ManagedPolicy`` that lists it in ``Roles``.

Every ``Grant`` is one statement with its effect, ``Action`` / ``NotAction``, ``Resource`` /
``NotResource``, ``Condition`` and the ``Location`` it is written at. What cannot be read is an
``Unknown`` with the reason: a role outside the template (an ARN, ``!ImportValue``, a parameter),
``!If``, a managed policy whose statements are not shipped, a permissions boundary. Never a guess::

    grants = project.grants_for(fn)
    grants.covers("dynamodb:PutItem")                         # "granted" / "not-granted" / "unknown" / ...
    grants.covers("s3:GetObject", "arn:aws:s3:::receipts/2026/a.pdf")
    for grant in grants.allowing("s3:GetObject"): grant.loc   # where it is written
    grants.access_levels()                                    # {"dynamodb:PutItem": "Write", ...}
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from slsreview.loaders.nodes import Intrinsic, ListNode, MapNode, lift
from slsreview.location import Location
from slsreview.model.project import Function, Resource
from slsreview.vocabulary import iam, managed_policies, sam_templates

Effect = Literal["Allow", "Deny"]
Source = Literal["inline", "template", "managed", "sam"]
Coverage = Literal["granted", "conditional", "denied", "not-granted", "unknown"]
Applies = Literal["yes", "no", "maybe"]

SAM_FUNCTION = "AWS::Serverless::Function"
_PSEUDO = re.compile(r"\$\{AWS::[A-Za-z]+\}")
_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")
_POLLER_POLICIES = {
    "SQS": "AWSLambdaSQSQueueExecutionRole",
    "Kinesis": "AWSLambdaKinesisExecutionRole",
    "DynamoDB": "AWSLambdaDynamoDBExecutionRole",
    "MSK": "AWSLambdaMSKExecutionRole",
}
# SAM writes inline policies of its own for these pollers; the model does not copy them
_POLLERS_WITH_OWN_POLICIES = ("MQ", "SelfManagedKafka", "DocumentDB")
_DESTINATION_ACTIONS = {
    "SQS": ("sqs:SendMessage",),
    "SNS": ("sns:Publish",),
    "Lambda": ("lambda:InvokeFunction",),
    "EventBridge": ("events:PutEvents",),
    "S3Bucket": ("s3:PutObject", "s3:ListBucket"),
}


@dataclass(frozen=True, slots=True)
class GrantResource:
    """A ``Resource`` / ``NotResource`` entry: its text, the IAM pattern covering every value it
    can take (unknown parts are ``*``), and the template resources it names."""

    text: str  # "arn:aws:s3:::receipts/*", "{!GetAtt OrdersTable.Arn}"
    pattern: str  # "arn:aws:s3:::receipts/*", "*"
    known: bool  # no part is unknown until deploy (pseudo parameters count as known)
    refers_to: tuple[str, ...] = ()  # logical ids: !GetAtt OrdersTable.Arn -> ("OrdersTable",)

    @property
    def is_wildcard(self) -> bool:
        return self.known and self.pattern == "*"


@dataclass(frozen=True, slots=True)
class Grant:
    """One statement granted to (or denied of) a function's role, and where it is written."""

    effect: Effect
    actions: tuple[str, ...]  # as written: ("s3:GetObject", "s3:Get*")
    not_actions: tuple[str, ...]
    resources: tuple[GrantResource, ...]
    not_resources: tuple[GrantResource, ...]
    condition: Any  # the Condition as written, or None
    source: Source  # inline document, SAM policy template, managed policy, or SAM's own role
    policy: str  # "DynamoDBCrudPolicy", "AWSLambdaBasicExecutionRole", a policy name, "DeadLetterQueue"
    loc: Location  # the statement, template entry, managed policy entry or property
    via_role: str | None = None  # the template's AWS::IAM::Role it comes through
    actions_known: bool = True  # False when Action is an intrinsic
    # the statement as written (inline documents only), for findings about one of its entries
    node: MapNode | None = field(default=None, compare=False, hash=False, repr=False)

    def action_applies(self, action: str) -> Applies:
        if not self.actions_known:
            return "maybe"
        if self.not_actions:
            return "no" if any(iam.action_matches(p, action) for p in self.not_actions) else "yes"
        return "yes" if any(iam.action_matches(p, action) for p in self.actions) else "no"

    def resource_applies(self, action: str, arn: str | None = None, target: str | None = None) -> Applies:
        """Whether the statement's resources include ``arn``, or the template resource
        ``target`` (a logical id), or, given neither, some resource the action can act on (a
        bucket ARN grants no object action, a specific ARN no action that takes only ``*``)."""
        if self.not_resources:
            if target is not None:
                return "no" if any(target in r.refers_to for r in self.not_resources) else "maybe"
            if arn is None:
                return "yes"
            if any(r.known and iam.arn_matches(r.pattern, arn) for r in self.not_resources):
                return "no"
            return "yes" if all(r.known for r in self.not_resources) else "maybe"
        best: Applies = "no"
        for resource in self.resources:
            answer = _resource_applies(resource, action, arn, target)
            if answer == "yes":
                return "yes"
            if answer == "maybe":
                best = "maybe"
        return best

    def applies(self, action: str, arn: str | None = None, target: str | None = None) -> Applies:
        a = self.action_applies(action)
        if a == "no":
            return "no"
        r = self.resource_applies(action, arn, target)
        if r == "no":
            return "no"
        return "yes" if a == r == "yes" else "maybe"

    def denies(self, action: str, arn: str | None = None, target: str | None = None) -> Applies:
        """Whether this (Deny) statement forbids the call. Asked about no resource in
        particular, a Deny of some resources only ("arn:aws:sns:*:*:*", topics) may not be the
        one the call acts on (a text message to a phone number has no topic): that is "maybe"."""
        answer = self.applies(action, arn, target)
        some_only = not self.not_resources and not any(r.is_wildcard for r in self.resources)
        if answer == "yes" and arn is None and target is None and some_only:
            return "maybe"
        return answer

    def expanded_actions(self) -> tuple[iam.Action, ...]:
        """Every known action the statement names (``NotAction``: every other known action)."""
        if not self.actions_known:
            return ()
        if self.not_actions:
            return tuple(a for a in iam.expand("*") if not any(iam.action_matches(p, a.name) for p in self.not_actions))
        seen: dict[str, iam.Action] = {}
        for pattern in self.actions:
            for found in iam.expand(pattern):
                seen.setdefault(found.name, found)
        return tuple(seen.values())


@dataclass(frozen=True, slots=True)
class Unknown:
    """A part of the grants that cannot be read from the template, and why."""

    why: str
    loc: Location
    can_deny: bool = False  # it could also deny or limit: an outside role, a boundary, a customer policy
    policy: str | None = None  # the managed policy's name, when it is one whose statements we lack


@dataclass(frozen=True, slots=True)
class Grants:
    function: str
    grants: tuple[Grant, ...]
    unknown: tuple[Unknown, ...] = ()
    role: str | None = None  # the template's AWS::IAM::Role, or None (SAM's role, or unknown)

    @property
    def known(self) -> bool:
        """True when every grant could be read: an answer of "not-granted" is then final."""
        return not self.unknown

    def allowing(self, action: str, arn: str | None = None, target: str | None = None) -> list[Grant]:
        """The Allow statements that (may) grant the action, for a finding's location."""
        return [g for g in self.grants if g.effect == "Allow" and g.applies(action, arn, target) != "no"]

    def denying(self, action: str, arn: str | None = None, target: str | None = None) -> list[Grant]:
        return [g for g in self.grants if g.effect == "Deny" and g.denies(action, arn, target) != "no"]

    def covers(self, action: str, arn: str | None = None, target: str | None = None) -> Coverage:
        """Whether the function may call ``action`` on ``arn`` (a concrete ARN), on ``target``
        (a template resource's logical id, as ``!Ref OrdersTable`` names it), or on some resource:

        ``granted``: an unconditional Allow covers it and nothing can deny it; ``conditional``:
        only Allows with a Condition cover it; ``denied``: an unconditional Deny covers it;
        ``not-granted``: every grant is known and none allows it; ``unknown``: it depends on
        something the template does not say (an unknown resource, an outside role, a condition
        on a Deny, a managed policy we do not ship)."""
        denies = [(g, g.denies(action, arn, target)) for g in self.grants if g.effect == "Deny"]
        if any(answer == "yes" and g.condition is None for g, answer in denies):
            return "denied"
        doubt = any(answer != "no" for _, answer in denies) or any(u.can_deny for u in self.unknown)
        allows = [(g, g.applies(action, arn, target)) for g in self.grants if g.effect == "Allow"]
        if any(answer == "yes" and g.condition is None for g, answer in allows):
            return "unknown" if doubt else "granted"
        # from here on nothing grants it for certain: a statement that may, or a part we cannot
        # read, leaves the answer open
        if any(answer == "maybe" for _, answer in allows) or self.unknown:
            return "unknown"
        if any(answer == "yes" for _, answer in allows):
            return "unknown" if doubt else "conditional"
        return "not-granted"

    def allowed_actions(self) -> dict[str, list[Grant]]:
        """Every known action an Allow statement names (patterns expanded), with its statements."""
        out: dict[str, list[Grant]] = {}
        for grant in self.grants:
            if grant.effect != "Allow":
                continue
            for found in grant.expanded_actions():
                out.setdefault(found.name, []).append(grant)
        return out

    def access_levels(self) -> dict[str, iam.AccessLevel]:
        """The access level of each allowed action (``Read``, ``List``, ``Write``, ...)."""
        return {name: found.access_level for name in self.allowed_actions() if (found := iam.action(name))}


def _resource_applies(resource: GrantResource, action: str, arn: str | None, target: str | None = None) -> Applies:
    if target is not None:
        if target in resource.refers_to or resource.is_wildcard:
            return "yes"
        if resource.refers_to:
            return "no"
        return "maybe"
    if arn is not None:
        if not iam.arn_matches(resource.pattern, arn):
            return "no"
        return "yes" if resource.known else "maybe"
    # on some resource: a reference names one (which one is unknown, that there is one is not)
    found = iam.action(action)
    certain = resource.known or resource.pattern != "*" or bool(resource.refers_to)
    if found is None:
        return "yes" if resource.is_wildcard else "maybe"
    if found.wildcard_only:
        if resource.pattern == "*":
            return "yes" if resource.known else "maybe"
        return "no"
    if resource.is_wildcard:
        return "yes"
    formats = found.resource_arns()
    if formats and not any(iam.patterns_overlap(resource.pattern, f) for f in formats):
        return "no"
    return "yes" if certain else "maybe"


# -- Gathering --------------------------------------------------------------------------------


def grants_for(fn: Function, resources: Iterable[Resource]) -> Grants:
    """Everything ``fn``'s execution role is granted, from the template it is defined in."""
    by_id = {r.logical_id: r for r in resources if r.template == fn.template}
    out = _Collector(by_id)
    role = fn.prop("Role")
    if role is not None:
        out.role(role.value, role.loc)
    elif fn.resource.type == SAM_FUNCTION:
        out.sam_role(fn)
    else:
        out.unknown("the function has no Role", fn.loc, can_deny=True)
    return Grants(fn.name, tuple(out.grants), tuple(out.unknowns), out.role_id)


def read_document(
    document: Any, resources: Iterable[Resource], name: str, loc: Location, via: str | None = None
) -> tuple[list[Grant], list[Unknown]]:
    """The statements of one policy document as written (``PolicyDocument`` of a role, policy
    or managed policy, or a SAM inline policy), each a ``Grant`` carrying its ``node``, and what
    could not be read. ``resources`` are the template's, for references in ``Resource``."""
    out = _Collector({r.logical_id: r for r in resources})
    out.document(document, "inline", name, loc, via)
    return out.grants, out.unknowns


@dataclass
class _Collector:
    by_id: dict[str, Resource]
    grants: list[Grant] = field(default_factory=list)
    unknowns: list[Unknown] = field(default_factory=list)
    role_id: str | None = None

    def unknown(self, why: str, loc: Location, can_deny: bool = False, policy: str | None = None) -> None:
        self.unknowns.append(Unknown(why, loc, can_deny, policy))

    # -- the role ------------------------------------------------------------------------------
    def role(self, value: Any, loc: Location) -> None:
        value = _lift(value)
        if isinstance(value, Intrinsic) and value.name in ("Ref", "Fn::GetAtt"):
            target = self.by_id.get(value.ref_target() or "")
            if target is not None and target.type == "AWS::IAM::Role":
                self.role_id = target.logical_id
                self.iam_role(target)
                return
            if target is not None:
                self.unknown(f"the Role {value.short()} is a {target.type}, not an AWS::IAM::Role", loc, can_deny=True)
                return
            self.unknown(f"the Role {value.short()} is not a role in this template", loc, can_deny=True)
        elif isinstance(value, Intrinsic):
            self.unknown(f"the Role is {value.short()}, known only at deploy", loc, can_deny=True)
        else:
            self.unknown(f"the Role {value} is defined outside this template", loc, can_deny=True)

    def iam_role(self, role: Resource) -> None:
        props = role.properties
        via = role.logical_id
        policies = _lift(props.get("Policies"))
        if isinstance(policies, ListNode):
            for index, item in enumerate(policies):
                loc = policies.loc(index)
                if not isinstance(item, MapNode):
                    self.unknown(f"a policy of {via} is {_short(item)}, known only at deploy", loc)
                    continue
                name = _text(item.get("PolicyName", "inline"))
                self.document(item.get("PolicyDocument"), "inline", name, loc, via)
        elif policies is not None:
            self.unknown(f"the Policies of {via} are {_short(policies)}, known only at deploy", props.loc("Policies"))
        self.managed_list(_lift(props.get("ManagedPolicyArns")), props.loc("ManagedPolicyArns"), via)
        if "PermissionsBoundary" in props:
            self.unknown(f"{via} has a permissions boundary, which limits what it grants", props.loc("PermissionsBoundary"), can_deny=True)
        role_name = props.get("RoleName")
        for other in self.by_id.values():
            if other.type in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
                roles = _lift(other.properties.get("Roles"))
                attached = isinstance(roles, ListNode) and any(_names(r, via, role_name) for r in roles)
            elif other.type == "AWS::IAM::RolePolicy":
                attached = _names(other.properties.get("RoleName"), via, role_name)
            else:
                continue
            if attached:
                self.document(other.properties.get("PolicyDocument"), "inline", other.logical_id, other.loc, via)

    def managed_list(self, arns: Any, loc: Location, via: str | None) -> None:
        if arns is None:
            return
        if not isinstance(arns, ListNode):
            self.unknown(f"the managed policies are {_short(arns)}, known only at deploy", loc)
            return
        for index, arn in enumerate(arns):
            self.managed(arn, arns.loc(index), via)

    def managed(self, value: Any, loc: Location, via: str | None, source: Source = "managed") -> None:
        value = _lift(value)
        if isinstance(value, Intrinsic) and value.name == "Ref":
            target = self.by_id.get(value.ref_target() or "")
            if target is not None and target.type == "AWS::IAM::ManagedPolicy":
                self.document(target.properties.get("PolicyDocument"), "inline", target.logical_id, loc, via)
                return
        text = value if isinstance(value, str) else _sub_text(value)
        parsed = managed_policies.policy_name(text) if text is not None else None
        if parsed is None:
            self.unknown(f"the managed policy {_short(value)} is known only at deploy", loc, can_deny=True)
            return
        name, aws_managed = parsed
        known = managed_policies.known_policy(name) if aws_managed else None
        if known is None:
            owner = "AWS managed policy" if aws_managed else "customer managed policy"
            self.unknown(f"the {owner} {name}: its statements are not known to slsreview", loc, can_deny=not aws_managed, policy=name)
            return
        for statement in known.statements:
            self.grants.append(
                Grant(
                    effect=statement["Effect"],
                    actions=tuple(statement["Action"]),
                    not_actions=(),
                    resources=(GrantResource("*", "*", True),),
                    not_resources=(),
                    condition=None,
                    source=source,
                    policy=name,
                    loc=loc,
                    via_role=via,
                )
            )

    # -- documents ------------------------------------------------------------------------------
    def document(self, document: Any, source: Source, name: str, loc: Location, via: str | None) -> None:
        document = _lift(document)
        if not isinstance(document, MapNode):
            self.unknown(f"the policy document of {name} is {_short(document)}, known only at deploy", loc, can_deny=True)
            return
        statements = _lift(document.get("Statement"))
        items: list[tuple[Any, Location]]
        if isinstance(statements, ListNode):
            items = [(s, statements.loc(i)) for i, s in enumerate(statements)]
        elif isinstance(statements, MapNode):
            items = [(statements, document.loc("Statement"))]
        else:
            self.unknown(f"the statements of {name} are {_short(statements)}, known only at deploy", document.loc("Statement"), can_deny=True)
            return
        for statement, where in items:
            self.statement(statement, source, name, where, via)

    def statement(self, node: Any, source: Source, name: str, loc: Location, via: str | None) -> None:
        node = _lift(node)
        if not isinstance(node, MapNode):
            self.unknown(f"a statement of {name} is {_short(node)}, known only at deploy", loc, can_deny=True)
            return
        effect = node.get("Effect")
        if effect not in ("Allow", "Deny"):
            self.unknown(f"a statement of {name} has Effect {_short(effect)}", loc, can_deny=True)
            return
        actions, actions_known = _strings(_lift(node.get("Action")))
        not_actions, not_actions_known = _strings(_lift(node.get("NotAction")))
        self.grants.append(
            Grant(
                effect=effect,
                actions=actions,
                not_actions=not_actions,
                resources=tuple(self.resource(r) for r in _items(_lift(node.get("Resource")))),
                not_resources=tuple(self.resource(r) for r in _items(_lift(node.get("NotResource")))),
                condition=node.get("Condition"),
                source=source,
                policy=name,
                loc=loc,
                via_role=via,
                actions_known=actions_known and not_actions_known,
                node=node,
            )
        )

    def resource(self, value: Any) -> GrantResource:
        parts = self.parts(value)
        text = "".join(p if isinstance(p, str) else "{" + p.short() + "}" for p in parts)
        pattern = "".join(_PSEUDO.sub("*", p) if isinstance(p, str) else "*" for p in parts)
        refers: list[str] = []
        for part in parts:
            if isinstance(part, Intrinsic):
                target = _reference(part)
                if target and target in self.by_id and target not in refers:
                    refers.append(target)
        return GrantResource(text, pattern, all(isinstance(p, str) for p in parts), tuple(refers))

    def parts(self, value: Any) -> list[str | Intrinsic]:
        """A value as literal text and unknown parts; Sub and Join are read, the rest unknown."""
        value = _lift(value)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return [str(value)]
        if isinstance(value, Intrinsic):
            if value.name == "Fn::Sub":
                text, local = (value.value[0], value.value[1]) if isinstance(value.value, list) and len(value.value) == 2 else (value.value, {})
                if isinstance(text, str) and isinstance(local, dict):
                    out: list[str | Intrinsic] = []
                    position = 0
                    for match in _SUB_VARIABLE.finditer(text):
                        out.append(text[position : match.start()])
                        variable = match.group(1)
                        if variable in local:
                            out.extend(self.parts(local[variable]))
                        elif variable.startswith("AWS::"):
                            out.append("${" + variable + "}")
                        else:
                            logical, _, attribute = variable.partition(".")
                            ref = Intrinsic("Fn::GetAtt", [logical, attribute]) if attribute else Intrinsic("Ref", logical)
                            out.append(ref)
                        position = match.end()
                    out.append(text[position:])
                    return [p for p in out if p != ""]
            if value.name == "Fn::Join" and isinstance(value.value, list) and len(value.value) == 2:
                delimiter, items = value.value
                if isinstance(delimiter, str) and isinstance(items, list):
                    joined: list[str | Intrinsic] = []
                    for index, item in enumerate(items):
                        if index:
                            joined.append(delimiter)
                        joined.extend(self.parts(item))
                    return joined
            if value.name == "Ref" and isinstance(value.value, str) and value.value.startswith("AWS::"):
                return ["${" + value.value + "}"]
            return [value]
        return [Intrinsic("Fn::Unknown", value)]

    # -- SAM's role -----------------------------------------------------------------------------
    def sam_role(self, fn: Function) -> None:
        props = fn.properties
        durable = "DurableConfig" in props
        self.managed("AWSLambdaBasicDurableExecutionRolePolicy" if durable else "AWSLambdaBasicExecutionRole", fn.loc, None, "sam")
        tracing = fn.prop("Tracing")
        if tracing is not None and tracing.value != "Disabled":
            self.managed("AWSXrayWriteOnlyAccess", tracing.loc, None, "sam")
        vpc = fn.prop("VpcConfig")
        if vpc is not None:
            self.managed("AWSLambdaVPCAccessExecutionRole", vpc.loc, None, "sam")
        boundary = fn.prop("PermissionsBoundary")
        if boundary is not None:
            self.unknown("a permissions boundary limits the role SAM creates", boundary.loc, can_deny=True)
        for event in fn.events:
            if event.type in _POLLER_POLICIES and event.loc.path == fn.template and self._is_sam_event(fn, event.name):
                self.managed(_POLLER_POLICIES[event.type], event.loc, None, "sam")
            elif event.type in _POLLERS_WITH_OWN_POLICIES:
                self.unknown(f"SAM grants the {event.type} poller of event {event.name} permissions of its own", event.loc)
        self.sam_policies(fn)
        self.dead_letter(fn)
        self.destinations(fn)
        self.connectors(fn)

    def connectors(self, fn: Function) -> None:
        """SAM connectors whose source is the function add policies to its role (the model
        does not expand them): ``AWS::Serverless::Connector`` resources and the ``Connectors``
        attribute of the function's own resource."""
        embedded = fn.resource.node.get("Connectors")
        if isinstance(embedded, MapNode):
            for name in embedded:
                self.unknown(f"SAM connector {name} adds permissions to the role", embedded.loc(name))
        for other in self.by_id.values():
            if other.type != "AWS::Serverless::Connector":
                continue
            source = other.properties.get("Source")
            source = _lift(source)
            if isinstance(source, MapNode) and (source.get("Id") == fn.name or _names(source.get("Arn"), fn.name)):
                self.unknown(f"SAM connector {other.logical_id} adds permissions to the role", other.loc)

    @staticmethod
    def _is_sam_event(fn: Function, name: str) -> bool:
        events = fn.properties.get("Events")
        return isinstance(events, MapNode) and name in events

    def sam_policies(self, fn: Function) -> None:
        raw = fn.prop("Policies")
        if raw is None:
            return
        value = _lift(raw.value)
        if isinstance(value, ListNode):
            entries = [(item, value.loc(i)) for i, item in enumerate(value)]
        elif isinstance(value, Intrinsic) and value.name != "Fn::Sub":
            self.unknown(f"the Policies are {value.short()}, known only at deploy", raw.loc, can_deny=True)
            return
        else:
            entries = [(value, raw.loc)]
        for raw_entry, loc in entries:
            entry = _lift(raw_entry)
            if isinstance(entry, str) or (isinstance(entry, Intrinsic) and entry.name == "Fn::Sub"):
                self.managed(entry, loc, None)
            elif isinstance(entry, MapNode) and "Statement" in entry:
                self.document(entry, "inline", "inline", loc, None)
            elif isinstance(entry, MapNode) and len(entry) == 1:
                ((name, arguments),) = entry.items()
                self.template(name, arguments, entry.key_loc(name), fn.name)
            else:
                self.unknown(f"a policy is {_short(entry)}, known only at deploy", loc, can_deny=True)

    def template(self, name: str, arguments: Any, loc: Location, function: str) -> None:
        arguments = _lift(arguments)
        if isinstance(arguments, Intrinsic):
            self.unknown(f"the arguments of {name} are {arguments.short()}, known only at deploy", loc)
            return
        given = {k: _lift(v) for k, v in arguments.items()} if isinstance(arguments, dict) else {}
        expansion = sam_templates.expand(name, given)
        if expansion is None:
            self.unknown(f"SAM has no policy template {name}", loc, can_deny=True)
            return
        if expansion.missing:
            self.unknown(f"{name} is missing {', '.join(expansion.missing)}: SAM rejects it", loc)
        for statement in expansion.statements:
            self.grants.append(
                Grant(
                    effect="Allow" if statement.effect == "Allow" else "Deny",
                    actions=statement.actions,
                    not_actions=(),
                    resources=tuple(self.template_resource(v) for v in statement.resources),
                    not_resources=(),
                    condition=statement.condition,
                    source="template",
                    policy=name,
                    loc=loc,
                )
            )

    def template_resource(self, value: sam_templates.Value) -> GrantResource:
        refers = tuple(dict.fromkeys(t for p in value.unknown if (t := _reference(p)) and t in self.by_id))
        return GrantResource(value.text, value.pattern, value.known, refers)

    def dead_letter(self, fn: Function) -> None:
        located = fn.prop("DeadLetterQueue")
        if located is None or not isinstance(located.value, MapNode):
            return
        dlq = located.value
        action = {"SQS": "sqs:SendMessage", "SNS": "sns:Publish"}.get(_text(dlq.get("Type")))
        if action is None:
            self.unknown(f"the DeadLetterQueue Type {_short(dlq.get('Type'))}", located.loc)
            return
        self.grants.append(
            Grant("Allow", (action,), (), (self.resource(dlq.get("TargetArn")),), (), None, "sam", "DeadLetterQueue", located.loc)
        )

    def destinations(self, fn: Function) -> None:
        located = fn.prop("EventInvokeConfig")
        config = located.value.get("DestinationConfig") if located and isinstance(located.value, MapNode) else None
        if not isinstance(config, MapNode):
            return
        for when in ("OnSuccess", "OnFailure"):
            destination = config.get(when)
            if not isinstance(destination, MapNode):
                continue
            actions = _DESTINATION_ACTIONS.get(_text(destination.get("Type")))
            if actions is None:
                continue
            target = _lift(destination.get("Destination"))
            if target is None:
                resource = GrantResource(f"the {_text(destination.get('Type'))} SAM creates for {when}", "*", False)
            else:
                resource = self.resource(target)
            self.grants.append(
                Grant("Allow", actions, (), (resource,), (), None, "sam", f"EventInvokeConfig.{when}", config.loc(when))
            )


def _lift(value: Any) -> Any:
    return lift(value)


def _strings(value: Any) -> tuple[tuple[str, ...], bool]:
    """Action / NotAction as a tuple of strings, and whether every entry could be read."""
    items = _items(value)
    strings = tuple(v for v in items if isinstance(v, str))
    return strings, len(strings) == len(items)


def _items(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _names(role_ref: Any, logical_id: str, role_name: Any = None) -> bool:
    """Whether a ``Roles`` entry (or ``RoleName``) is this role: ``!Ref Role``, or the literal
    ``RoleName`` the role is given."""
    role_ref = _lift(role_ref)
    if isinstance(role_ref, Intrinsic):
        return role_ref.ref_target() == logical_id
    return isinstance(role_ref, str) and isinstance(role_name, str) and role_ref == role_name


def _reference(part: Intrinsic) -> str | None:
    target = part.ref_target()
    if target and "." in target and part.name == "Ref":
        return None
    return target


def _sub_text(value: Any) -> str | None:
    """``!Sub arn:${AWS::Partition}:iam::aws:policy/X`` as text, when it uses only pseudo parameters."""
    if isinstance(value, Intrinsic) and value.name == "Fn::Sub" and isinstance(value.value, str):
        variables = _SUB_VARIABLE.findall(value.value)
        return str(value.value) if all(v.startswith("AWS::") for v in variables) else None
    return None


def _text(value: Any) -> str:
    if isinstance(value, Intrinsic):
        return value.short()
    return "" if value is None else str(value)


def _short(value: Any) -> str:
    if isinstance(value, Intrinsic):
        return value.short()
    if value is None:
        return "missing"
    return type(value).__name__ if isinstance(value, (dict, list)) else repr(value)

