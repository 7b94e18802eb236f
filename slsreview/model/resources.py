"""Typed views of the template resources rules reason about, and how they link to functions.

    queue = project.event_queue(event)           # the AWS::SQS::Queue behind an SQS event
    queue_view(queue).visibility_timeout.value   # 30 when absent (the SQS default)
    project.log_group_of(fn)                     # the AWS::Logs::LogGroup of a function, if declared
    project.alarms_for(fn), project.permissions_for(fn)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from slsreview.loaders.nodes import Intrinsic, ListNode, MapNode
from slsreview.model.project import Function, Located, Resource, known

SQS_DEFAULT_VISIBILITY_TIMEOUT = 30  # seconds
_SUB_VAR = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}")


@dataclass(frozen=True, slots=True)
class QueueView:
    resource: Resource
    visibility_timeout: Located[Any]  # origin "default" when absent
    redrive: Located[Any] | None
    fifo: bool


@dataclass(frozen=True, slots=True)
class TableView:
    resource: Resource
    ttl: Located[Any] | None  # TimeToLiveSpecification
    deletion_policy: Located[Any] | None


def queue_view(resource: Resource) -> QueueView:
    timeout = resource.prop("VisibilityTimeout") or Located(SQS_DEFAULT_VISIBILITY_TIMEOUT, resource.loc, "default")
    fifo = resource.properties.get("FifoQueue") is True
    return QueueView(resource, timeout, resource.prop("RedrivePolicy"), fifo)


def table_view(resource: Resource) -> TableView:
    return TableView(resource, resource.prop("TimeToLiveSpecification"), resource.attribute("DeletionPolicy"))


def refers_to(value: Any, logical_id: str) -> bool:
    """True when a value is ``!Ref X``/``!GetAtt X.y``, or a ``!Sub`` that mentions ``${X}``."""
    if isinstance(value, Intrinsic):
        if value.ref_target() == logical_id:
            return True
        if value.name == "Fn::Sub":
            text = value.value[0] if isinstance(value.value, list) and value.value else value.value
            return isinstance(text, str) and logical_id in _SUB_VAR.findall(text)
        if value.name == "Fn::Join" and isinstance(value.value, list) and len(value.value) == 2:
            parts = value.value[1]
            return isinstance(parts, list) and any(refers_to(p, logical_id) for p in parts)
    return False


def log_group_of(fn: Function, resources: list[Resource]) -> Resource | None:
    """The log group a function writes to, when the template declares it: named
    ``/aws/lambda/<function>`` or referenced from the function's ``LoggingConfig.LogGroup``."""
    logging = fn.properties.get("LoggingConfig")
    target = logging.get("LogGroup") if isinstance(logging, MapNode) else None
    function_name = fn.properties.get("FunctionName")
    for resource in resources:
        if resource.type != "AWS::Logs::LogGroup" or resource.template != fn.template:
            continue
        if isinstance(target, Intrinsic) and target.ref_target() == resource.logical_id:
            return resource
        name = resource.properties.get("LogGroupName")
        if target is not None and name is not None and target == name:
            return resource  # LoggingConfig.LogGroup spells the group's LogGroupName out
        if refers_to(name, fn.name):
            return resource
        if isinstance(name, str) and isinstance(function_name, str) and name == f"/aws/lambda/{function_name}":
            return resource
        if _sub_text(name) is not None and _sub_text(name) == "/aws/lambda/" + (_sub_text(function_name) or "\0"):
            return resource  # !Sub /aws/lambda/${AWS::StackName}-orders beside FunctionName: !Sub ${AWS::StackName}-orders
    return None


def _sub_text(value: Any) -> str | None:
    """The template string of a ``!Sub`` (either form), else None."""
    if isinstance(value, Intrinsic) and value.name == "Fn::Sub":
        text = value.value[0] if isinstance(value.value, list) and value.value else value.value
        return text if isinstance(text, str) else None
    return None


def alarms_for(fn: Function, resources: list[Resource]) -> list[Resource]:
    """CloudWatch alarms whose FunctionName dimension is this function."""
    out = []
    for resource in resources:
        if resource.type != "AWS::CloudWatch::Alarm" or resource.template != fn.template:
            continue
        dimensions = resource.properties.get("Dimensions")
        if isinstance(dimensions, ListNode) and any(
            isinstance(d, MapNode) and d.get("Name") == "FunctionName" and refers_to(d.get("Value"), fn.name)
            for d in dimensions
        ):
            out.append(resource)
    return out


@dataclass(frozen=True, slots=True)
class ErrorAlarm:
    """An alarm that goes off when a function fails: ``how`` says what it watches
    (``"its Errors metric"``, ``"every function's Errors metric"``, ``"a metric filter on its log
    group"``)."""

    resource: Resource
    how: str


def error_alarms_for(fn: Function, resources: list[Resource]) -> list[ErrorAlarm]:
    """The CloudWatch alarms of the function's template that watch its failures: an alarm (or a
    metric math query of one) on ``AWS/Lambda`` ``Errors`` with the function's ``FunctionName`` (or
    ``Resource``) dimension or with no dimension at all (the account-wide aggregate), a metric math
    ``SEARCH`` over ``AWS/Lambda`` errors, or an alarm on the metric a ``AWS::Logs::MetricFilter``
    extracts from the function's log group. Composite alarms combine these and add no coverage."""
    out: list[ErrorAlarm] = []
    same = [r for r in resources if r.template == fn.template]
    alarms = [r for r in same if r.type == "AWS::CloudWatch::Alarm"]
    if not alarms:
        return out
    filtered = _log_filter_metrics(fn, same) if any(r.type == "AWS::Logs::MetricFilter" for r in same) else set()
    for resource in alarms:
        how = _watches_errors(fn, resource.properties, filtered)
        if how is not None:
            out.append(ErrorAlarm(resource, how))
    return out


def _watches_errors(fn: Function, props: MapNode, filtered: set[tuple[str, str]]) -> str | None:
    metrics = [props]
    queries = props.get("Metrics")
    if isinstance(queries, ListNode):
        for query in queries:
            if not isinstance(query, MapNode):
                continue
            expression = query.get("Expression")
            if isinstance(expression, str) and "AWS/Lambda" in expression and "Errors" in expression:
                return "a metric math search over every function's Errors metric"
            stat = query.get("MetricStat")
            metric = stat.get("Metric") if isinstance(stat, MapNode) else None
            if isinstance(metric, MapNode):
                metrics.append(metric)
    for metric in metrics:
        name, namespace = metric.get("MetricName"), metric.get("Namespace")
        if (str(namespace), str(name)) in filtered:
            return "the metric a filter extracts from its log group"
        if name != "Errors" or namespace != "AWS/Lambda":
            continue
        dimensions = metric.get("Dimensions")
        if dimensions is None or (isinstance(dimensions, ListNode) and not dimensions):
            return "every function's Errors metric (no dimension)"
        if isinstance(dimensions, ListNode) and any(
            isinstance(d, MapNode) and d.get("Name") in ("FunctionName", "Resource") and _names_function(fn, d.get("Value"))
            for d in dimensions
        ):
            return "its Errors metric"
    return None


def _names_function(fn: Function, value: Any) -> bool:
    if refers_to(value, fn.name):
        return True
    function_name = fn.properties.get("FunctionName")
    return isinstance(value, str) and isinstance(function_name, str) and value.split(":", 1)[0] == function_name


def _log_filter_metrics(fn: Function, resources: list[Resource]) -> set[tuple[str, str]]:
    """(namespace, metric name) of the metric filters reading the function's log group."""
    group = log_group_of(fn, resources)
    out: set[tuple[str, str]] = set()
    for resource in resources:
        if resource.type != "AWS::Logs::MetricFilter" or resource.template != fn.template:
            continue
        target = resource.properties.get("LogGroupName")
        if not (
            (group is not None and refers_to(target, group.logical_id))
            or refers_to(target, fn.name)
            or (group is not None and target is not None and target == group.properties.get("LogGroupName"))
        ):
            continue
        transformations = resource.properties.get("MetricTransformations")
        for item in transformations if isinstance(transformations, ListNode) else []:
            if isinstance(item, MapNode):
                out.add((str(item.get("MetricNamespace")), str(item.get("MetricName"))))
    return out


def permissions_for(fn: Function, resources: list[Resource]) -> list[Resource]:
    """``AWS::Lambda::Permission`` resources granting invoke on this function."""
    return [
        r
        for r in resources
        if r.type == "AWS::Lambda::Permission"
        and r.template == fn.template
        and refers_to(r.properties.get("FunctionName"), fn.name)
    ]


def event_invoke_config(fn: Function, resources: list[Resource]) -> Located[Any] | None:
    """How Lambda retries asynchronous invocations and where it sends failures: the SAM
    ``EventInvokeConfig`` property, or an ``AWS::Lambda::EventInvokeConfig`` resource for it."""
    own = fn.event_invoke_config
    if own is not None:
        return own
    for resource in resources:
        if (
            resource.type == "AWS::Lambda::EventInvokeConfig"
            and resource.template == fn.template
            and refers_to(resource.properties.get("FunctionName"), fn.name)
        ):
            return Located(resource.properties, resource.loc)
    return None


def event_source(value: Any, resources: list[Resource], template: str) -> Resource | None:
    """The resource an event property (``Queue: !GetAtt OrdersQueue.Arn``) points at."""
    target = value.ref_target() if isinstance(value, Intrinsic) else None
    if target is None:
        return None
    for resource in resources:
        if resource.logical_id == target and resource.template == template:
            return resource
    return None


# Services that invoke a function asynchronously when an AWS::Lambda::Permission lets them
# (plain CloudFormation wires S3 notifications, SNS subscriptions and EventBridge targets this
# way). API Gateway, load balancers, Cognito, Lex and Alexa invoke synchronously.
ASYNC_PRINCIPALS = {
    "s3": "S3",
    "sns": "SNS",
    "events": "EventBridge",
    "logs": "CloudWatch Logs",
    "iot": "IoT",
    "ses": "SES",
    "config": "Config",
    "codecommit": "CodeCommit",
}
_PRINCIPAL = re.compile(r"^([a-z0-9-]+)(?:\.(?:[a-z0-9-]+|\$\{AWS::Region\}))?\.amazonaws\.com(?:\.cn)?$")


def async_service(permission: Resource) -> str | None:
    """The asynchronous service an ``AWS::Lambda::Permission`` lets invoke the function
    (``s3.amazonaws.com`` -> ``S3``, ``logs.${AWS::Region}.amazonaws.com`` -> ``CloudWatch Logs``)."""
    principal = permission.properties.get("Principal")
    if isinstance(principal, Intrinsic) and principal.name == "Fn::Sub" and isinstance(principal.value, str):
        principal = principal.value
    if not isinstance(principal, str):
        return None
    match = _PRINCIPAL.match(principal)
    return ASYNC_PRINCIPALS.get(match.group(1)) if match else None


def async_permissions(fn: Function, resources: list[Resource]) -> list[tuple[Resource, str]]:
    """The ``AWS::Lambda::Permission`` resources that let a service invoke this function
    asynchronously, with the service's name. IoT also calls custom authorizers (synchronously),
    and an SES receipt rule may ask for ``RequestResponse``: those permissions are left out."""
    out = []
    for permission in permissions_for(fn, resources):
        service = async_service(permission)
        if service is None:
            continue
        if service == "IoT" and _iot_authorizer(fn, resources):
            continue
        if service == "SES" and _ses_waits_for(fn, resources):
            continue
        out.append((permission, service))
    return out


def _iot_authorizer(fn: Function, resources: list[Resource]) -> bool:
    return any(
        r.type == "AWS::IoT::Authorizer" and r.template == fn.template and refers_to(r.properties.get("AuthorizerFunctionArn"), fn.name)
        for r in resources
    )


def _ses_waits_for(fn: Function, resources: list[Resource]) -> bool:
    for resource in resources:
        if resource.type != "AWS::SES::ReceiptRule" or resource.template != fn.template:
            continue
        rule = resource.properties.get("Rule")
        actions = rule.get("Actions") if isinstance(rule, MapNode) else None
        for action in actions if isinstance(actions, ListNode) else []:
            lambda_action = action.get("LambdaAction") if isinstance(action, MapNode) else None
            if (
                isinstance(lambda_action, MapNode)
                and refers_to(lambda_action.get("FunctionArn"), fn.name)
                and lambda_action.get("InvocationType") == "RequestResponse"
            ):
                return True
    return False


def dead_letter_targets(resources: list[Resource], template: str) -> set[str]:
    """Logical ids of the queues some queue in the template sends its failed messages to."""
    out: set[str] = set()
    for resource in resources:
        if resource.type != "AWS::SQS::Queue" or resource.template != template:
            continue
        redrive = resource.properties.get("RedrivePolicy")
        target = redrive.get("deadLetterTargetArn") if isinstance(redrive, MapNode) else None
        if isinstance(target, Intrinsic) and target.ref_target():
            out.add(str(target.ref_target()))
    return out


def has_on_failure(config: Any) -> bool:
    """True when an EventInvokeConfig / event source mapping ``DestinationConfig`` names an
    on-failure destination (SAM's ``{Type: SQS}`` without ``Destination`` creates the queue)."""
    if not isinstance(config, MapNode):
        return config is not None and not known(config)  # !If ...: unknown, so not absent
    destination = config.get("DestinationConfig")
    if destination is not None and not isinstance(destination, MapNode):
        return not known(destination)
    return isinstance(destination, MapNode) and destination.get("OnFailure") is not None
