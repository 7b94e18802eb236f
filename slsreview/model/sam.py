"""SAM / CloudFormation templates to ``Function`` and ``Resource`` objects.

Globals are applied the way SAM applies them: a scalar on the resource wins; maps merge
recursively; lists concatenate, global items first; ``Role``, ``Policies``, ``Events`` and
``FunctionName`` never come from Globals. The merged properties keep the positions of whichever
side each value came from, so a finding about a global timeout points into ``Globals``.

    >>> functions, resources = build_template(config_file, exists=os.path.exists)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slsreview.loaders.nodes import Intrinsic, ListNode, MapNode, lift
from slsreview.location import Location
from slsreview.model.handlers import resolve_lambda_handler
from slsreview.model.project import (
    ConfigFile,
    Event,
    Function,
    Located,
    Origin,
    Policy,
    Resource,
)

SAM_FUNCTION = "AWS::Serverless::Function"
LAMBDA_FUNCTION = "AWS::Lambda::Function"
FUNCTION_TYPES = (SAM_FUNCTION, LAMBDA_FUNCTION)

# Properties SAM refuses to take from Globals.Function.
NOT_FROM_GLOBALS = frozenset({"Role", "Policies", "Events", "FunctionName"})

DEFAULT_TIMEOUT = 3  # seconds, for SAM and for Lambda itself
DEFAULT_MEMORY = 128  # MB

# Event source mappings attach a poller to a function in plain CloudFormation; the source's
# resource type says what SAM would have called the event.
_SOURCE_TYPES = {
    "AWS::SQS::Queue": "SQS",
    "AWS::Kinesis::Stream": "Kinesis",
    "AWS::Kinesis::StreamConsumer": "Kinesis",
    "AWS::DynamoDB::Table": "DynamoDB",
    "AWS::DynamoDB::GlobalTable": "DynamoDB",
    "AWS::MSK::Cluster": "MSK",
    "AWS::AmazonMQ::Broker": "MQ",
}
# ...and for a source outside the template, the service in its ARN (literal or !Sub).
_ARN_SERVICE = re.compile(r"^arn:(?:\$\{AWS::Partition\}|[^:$]*):(sqs|kinesis|dynamodb|kafka|mq):")
_ARN_TYPES = {"sqs": "SQS", "kinesis": "Kinesis", "dynamodb": "DynamoDB", "kafka": "MSK", "mq": "MQ"}


def build_template(
    config: ConfigFile,
    exists: Callable[[str], bool],
    has_code: Callable[[str, str], bool] | None = None,
) -> tuple[list[Function], list[Resource]]:
    """Functions and resources of one loaded template. ``exists`` checks a display path;
    ``has_code(folder, language)`` tells whether a folder holds any source of a language."""
    template = config.value
    if not isinstance(template, MapNode):
        return [], []
    resources_node = template.get("Resources")
    if not isinstance(resources_node, MapNode):
        return [], []
    resources: list[Resource] = []
    for logical_id, node in resources_node.items():
        if not isinstance(node, MapNode):
            continue
        rtype = node.get("Type")
        props = node.get("Properties")
        if not isinstance(props, MapNode):
            props = MapNode(config.path, node.span)
        resources.append(
            Resource(
                logical_id=logical_id,
                type=rtype if isinstance(rtype, str) else "",
                properties=props,
                loc=resources_node.key_loc(logical_id),
                template=config.path,
                node=node,
            )
        )
    globals_node = template.get("Globals")
    function_globals = globals_node.get("Function") if isinstance(globals_node, MapNode) else None
    if not isinstance(function_globals, MapNode):
        function_globals = None
    by_id = {r.logical_id: r for r in resources}
    functions = [
        _function(r, function_globals if r.type == SAM_FUNCTION else None, by_id, config, exists, has_code)
        for r in resources
        if r.type in FUNCTION_TYPES
    ]
    _attach_event_source_mappings(functions, resources, by_id)
    return functions, resources


def merge_globals(globals_node: MapNode, props: MapNode) -> tuple[MapNode, dict[str, Origin]]:
    """Effective properties of a SAM resource, and which top-level keys came from Globals."""
    merged = _merge(globals_node, props, skip=NOT_FROM_GLOBALS)
    origins: dict[str, Origin] = {key: ("explicit" if key in props else "global") for key in merged}
    return merged, origins


def _merge(base: MapNode, override: MapNode, skip: frozenset[str] = frozenset()) -> MapNode:
    merged = MapNode(override.path, override.span)
    for key, value in base.items():
        if key in skip:
            continue
        if key in override:
            mine = override[key]
            if isinstance(value, MapNode) and isinstance(mine, MapNode):
                merged.set(key, _merge(value, mine), override.key_span(key), override.value_span(key))
                continue
            if isinstance(value, ListNode) and isinstance(mine, ListNode):
                items = ListNode(mine.path, mine.span)
                for index, item in enumerate(value):
                    items.add(item, value.item_span(index))
                for index, item in enumerate(mine):
                    items.add(item, mine.item_span(index))
                merged.set(key, items, override.key_span(key), override.value_span(key))
                continue
            merged.set(key, mine, override.key_span(key), override.value_span(key))
        else:
            merged.set(key, value, base.key_span(key), base.value_span(key))
    for key, value in override.items():
        if key not in merged:
            merged.set(key, value, override.key_span(key), override.value_span(key))
    return merged


def _function(
    resource: Resource,
    function_globals: MapNode | None,
    by_id: dict[str, Resource],
    config: ConfigFile,
    exists: Callable[[str], bool],
    has_code: Callable[[str, str], bool] | None,
) -> Function:
    if function_globals is not None:
        props, origins = merge_globals(function_globals, resource.properties)
    else:
        props, origins = resource.properties, dict.fromkeys(resource.properties, "explicit")

    def located(name: str, default: Any = None) -> Located[Any] | None:
        if name in props:
            return Located(props[name], props.loc(name), origins.get(name, "explicit"))
        if default is None:
            return None
        return Located(default, resource.loc, "default")

    timeout = located("Timeout", DEFAULT_TIMEOUT)
    memory = located("MemorySize", DEFAULT_MEMORY)
    assert timeout is not None and memory is not None
    runtime = located("Runtime")
    handler = located("Handler")
    source = resolve_lambda_handler(resource, props, runtime, handler, config.path, exists, has_code)
    return Function(
        name=resource.logical_id,
        resource=resource,
        properties=props,
        origins=origins,
        runtime=runtime,
        handler=handler,
        timeout=timeout,
        memory=memory,
        source=source,
        events=_events(props),
        policies=_policies(props, by_id),
        environment=_environment(props),
    )


def _events(props: MapNode) -> list[Event]:
    events_node = props.get("Events")
    if not isinstance(events_node, MapNode):
        return []
    events = []
    for name, node in events_node.items():
        if not isinstance(node, MapNode):
            continue
        etype = node.get("Type")
        eprops = node.get("Properties")
        events.append(
            Event(
                name=name,
                type=etype if isinstance(etype, str) else "",
                properties=eprops if isinstance(eprops, MapNode) else MapNode(node.path, node.span),
                loc=events_node.key_loc(name),
            )
        )
    return events


def _environment(props: MapNode) -> dict[str, Located[Any]]:
    env = props.get("Environment")
    variables = env.get("Variables") if isinstance(env, MapNode) else None
    if not isinstance(variables, MapNode):
        return {}
    return {name: Located(value, variables.loc(name)) for name, value in variables.items()}


def _policies(props: MapNode, by_id: dict[str, Resource]) -> list[Policy]:
    policies: list[Policy] = []
    raw = props.get("Policies")
    if raw is not None:
        if isinstance(raw, ListNode):
            entries = [(item, raw.loc(index)) for index, item in enumerate(raw)]
        else:
            entries = [(raw, props.loc("Policies"))]
        for entry, loc in entries:
            policies.extend(_policy_entry(entry, loc))
    for name in ("ManagedPolicyArns",):
        arns = props.get(name)
        if isinstance(arns, ListNode):
            policies.extend(Policy("managed", _text(arn), arns.loc(i)) for i, arn in enumerate(arns))
    role = props.get("Role")
    if isinstance(role, Intrinsic):
        target = by_id.get(role.ref_target() or "")
        if target is not None and target.type == "AWS::IAM::Role":
            policies.extend(role_policies(target, by_id))
    return policies


def _policy_entry(entry: Any, loc: Location) -> list[Policy]:
    if isinstance(entry, (str, Intrinsic)):
        return [Policy("managed", _text(entry), loc)]
    if not isinstance(entry, MapNode):
        return []
    if "Statement" in entry:
        return [Policy("inline", "inline", loc, statements=_statements(entry))]
    return [
        Policy("template", name, entry.key_loc(name), arguments=args)
        for name, args in entry.items()
    ]


def role_policies(role: Resource, by_id: dict[str, Resource]) -> list[Policy]:
    """The policies an ``AWS::IAM::Role`` grants: its inline policies, managed ARNs, and any
    ``AWS::IAM::Policy``/``ManagedPolicy`` in the template attached to it."""
    out: list[Policy] = []
    props = role.properties
    inline = props.get("Policies")
    if isinstance(inline, ListNode):
        for index, item in enumerate(inline):
            if isinstance(item, MapNode) and isinstance(item.get("PolicyDocument"), MapNode):
                doc = item["PolicyDocument"]
                out.append(Policy("inline", _text(item.get("PolicyName", "inline")), inline.loc(index), statements=_statements(doc), via_role=role.logical_id))
    arns = props.get("ManagedPolicyArns")
    if isinstance(arns, ListNode):
        out.extend(Policy("managed", _text(arn), arns.loc(i), via_role=role.logical_id) for i, arn in enumerate(arns))
    for other in by_id.values():
        if other.type not in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            continue
        roles = other.properties.get("Roles")
        if isinstance(roles, ListNode) and any(
            isinstance(r, Intrinsic) and r.ref_target() == role.logical_id for r in roles
        ):
            doc = other.properties.get("PolicyDocument")
            if isinstance(doc, MapNode):
                out.append(Policy("inline", other.logical_id, other.loc, statements=_statements(doc), via_role=role.logical_id))
    return out


def _statements(document: MapNode) -> list[MapNode]:
    statement = document.get("Statement")
    if isinstance(statement, MapNode):
        return [statement]
    if isinstance(statement, ListNode):
        return [s for s in statement if isinstance(s, MapNode)]
    return []


def _attach_event_source_mappings(functions: list[Function], resources: list[Resource], by_id: dict[str, Resource]) -> None:
    """Plain CloudFormation wires pollers with ``AWS::Lambda::EventSourceMapping``."""
    by_name = {f.name: f for f in functions}
    by_function_name = {f.properties["FunctionName"]: f for f in functions if isinstance(f.properties.get("FunctionName"), str)}
    for mapping in resources:
        if mapping.type != "AWS::Lambda::EventSourceMapping":
            continue
        target = lift(mapping.properties.get("FunctionName"))
        if isinstance(target, Intrinsic):
            fn = by_name.get(target.ref_target() or "")
        else:
            fn = by_function_name.get(target) if isinstance(target, str) else None
        if fn is None:
            continue
        etype = mapping_source_type(lift(mapping.properties.get("EventSourceArn")), by_id)
        fn.events.append(Event(mapping.logical_id, etype or "EventSourceMapping", mapping.properties, mapping.loc, mapping=True))


def mapping_source_type(source: Any, by_id: dict[str, Resource]) -> str | None:
    """What SAM would call an event source mapping's source: from the resource it points at, or
    from the service in its ARN; None when nothing says (a parameter, an import)."""
    if isinstance(source, Intrinsic):
        resource = by_id.get(source.ref_target() or "")
        if resource is not None:
            return _SOURCE_TYPES.get(resource.type)
        if source.name == "Fn::Sub":
            source = source.value[0] if isinstance(source.value, list) and source.value else source.value
    if isinstance(source, str):
        match = _ARN_SERVICE.match(source)
        if match:
            return _ARN_TYPES[match.group(1)]
    return None


def _text(value: Any) -> str:
    if isinstance(value, Intrinsic):
        return value.short()
    return str(value)

