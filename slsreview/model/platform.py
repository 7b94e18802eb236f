"""What Lambda itself does with a function's execution role, whatever the code does.

Lambda writes the function's logs, sends its traces, creates its VPC network interfaces, polls
its queues and streams (and reads the secrets and keys they need), sends failed events to its
dead-letter queue and destinations, decrypts its environment and mounts its file systems -- all
with the function's own role. Those permissions are used although no line of code calls them::

    uses = platform_uses(fn, project.in_template(fn.template))
    uses["logs"]    # "Lambda writes the function's logs to CloudWatch Logs"
    uses.get("sqs") # "Lambda polls the queue of SQS event Orders", when there is one

Keys are IAM service prefixes. ``extensions`` is true when the function has layers that are not
known libraries: an extension in a layer (the Parameters and Secrets extension, a vendor's agent)
calls AWS with the role too, and nothing in the template says which services.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from slsreview.loaders.nodes import Intrinsic, ListNode, MapNode, lift
from slsreview.model.project import Function, Resource
from slsreview.model.resources import refers_to

# What Lambda's pollers use, by event type (https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html):
# the source itself, KMS for encrypted sources, Secrets Manager for broker and cluster
# credentials, EC2 network interfaces for sources inside a VPC.
_POLLERS: dict[str, tuple[str, ...]] = {
    "SQS": ("sqs", "kms"),
    "Kinesis": ("kinesis", "kms"),
    "DynamoDB": ("dynamodb", "kms"),
    "MSK": ("kafka", "kafka-cluster", "ec2", "secretsmanager", "kms"),
    "SelfManagedKafka": ("kafka", "ec2", "secretsmanager", "kms"),
    "MQ": ("mq", "ec2", "secretsmanager", "kms"),
    "DocumentDB": ("rds", "docdb-elastic", "ec2", "secretsmanager", "kms"),
}
_ANY_POLLER = tuple(dict.fromkeys(p for prefixes in _POLLERS.values() for p in prefixes))
_DESTINATION_TYPES = {"SQS": "sqs", "SNS": "sns", "Lambda": "lambda", "EventBridge": "events", "S3Bucket": "s3"}
_ARN_SERVICE = re.compile(r"^arn:[^:]+:([a-z0-9-]+):")
# Layers that are libraries, not extensions: their calls come through the imports the analyzers
# read. Powertools for AWS Lambda's public layers (https://docs.powertools.aws.dev/lambda/python/latest/#lambda-layer).
_LIBRARY_LAYERS = re.compile(r":layer:AWSLambdaPowertools", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PlatformUses:
    services: dict[str, str] = field(default_factory=dict)  # IAM prefix -> why Lambda uses it
    extensions: tuple[str, ...] = ()  # layers that may hold extensions, as written

    def __getitem__(self, prefix: str) -> str:
        return self.services[prefix]

    def get(self, prefix: str) -> str | None:
        return self.services.get(prefix)

    def __contains__(self, prefix: object) -> bool:
        return prefix in self.services


def platform_uses(fn: Function, resources: list[Resource]) -> PlatformUses:
    out: dict[str, str] = {"logs": "Lambda writes the function's logs to CloudWatch Logs"}

    def add(prefixes: tuple[str, ...] | list[str], why: str) -> None:
        for prefix in prefixes:
            out.setdefault(prefix, why)

    props = fn.properties
    tracing = props.get("Tracing")
    config = props.get("TracingConfig")
    mode = config.get("Mode") if isinstance(config, MapNode) else None
    if (tracing is not None and tracing != "Disabled") or (mode is not None and mode != "PassThrough"):
        add(["xray"], "tracing is on: Lambda sends the function's traces to X-Ray")
    if "VpcConfig" in props:
        add(["ec2"], "VpcConfig: Lambda creates the function's network interfaces")
    if "KmsKeyArn" in props:
        add(["kms"], "KmsKeyArn: Lambda decrypts the function's environment with it")
    if "FileSystemConfigs" in props:
        # EFS, or S3 Files (which mounts with s3files:ClientMount and reads through to the bucket
        # with the function's role), unless the access point is an EFS one of the template
        efs = _efs_only(props.get("FileSystemConfigs"), resources, fn.template)
        add(["elasticfilesystem"] if efs else ["elasticfilesystem", "s3files", "s3"], "FileSystemConfigs: Lambda mounts the file system")
    if "DurableConfig" in props:
        add(["lambda"], "DurableConfig: Lambda checkpoints the function's durable executions")
    for event in fn.events:
        pollers = _POLLERS.get(event.type)
        if pollers is None and event.mapping:
            pollers = _ANY_POLLER  # a mapping whose source cannot be told
        if pollers is not None:
            add(pollers, f"Lambda polls the source of {event.label}")
            _destinations(event.properties.get("DestinationConfig"), add, f"{event.label}'s on-failure destination")
            if "SourceAccessConfigurations" in event.properties:
                add(["secretsmanager"], f"{event.label} reads its credentials from Secrets Manager")
    dead_letter = props.get("DeadLetterQueue")
    if isinstance(dead_letter, MapNode):
        kind = dead_letter.get("Type")
        services = {"SQS": ["sqs"], "SNS": ["sns"]}.get(kind, ["sqs", "sns"]) if isinstance(kind, str) else ["sqs", "sns"]
        add([*services, "kms"], "Lambda sends failed events to the dead-letter queue")
    dead_letter_config = props.get("DeadLetterConfig")
    if isinstance(dead_letter_config, MapNode):
        add([*_target_services(dead_letter_config.get("TargetArn"), ("sqs", "sns")), "kms"], "Lambda sends failed events to the dead-letter queue")
    invoke_config = props.get("EventInvokeConfig")
    if isinstance(invoke_config, MapNode):
        _destinations(invoke_config.get("DestinationConfig"), add, "an EventInvokeConfig destination")
    for resource in resources:
        if (
            resource.type == "AWS::Lambda::EventInvokeConfig"
            and resource.template == fn.template
            and refers_to(resource.properties.get("FunctionName"), fn.name)
        ):
            _destinations(resource.properties.get("DestinationConfig"), add, "an EventInvokeConfig destination")
    layers = props.get("Layers")
    extensions: tuple[str, ...] = ()
    if layers is not None:
        items = list(layers) if isinstance(layers, ListNode) else [layers]
        extensions = tuple(_layer_text(item) for item in items if not _LIBRARY_LAYERS.search(_layer_text(item)))
    return PlatformUses(out, extensions)


def _efs_only(configs: Any, resources: list[Resource], template: str) -> bool:
    items = list(configs) if isinstance(configs, ListNode) else []
    if not items:
        return False
    for item in items:
        arn = lift(item.get("Arn")) if isinstance(item, MapNode) else None
        target = arn.ref_target() if isinstance(arn, Intrinsic) else None
        found = next((r for r in resources if r.logical_id == target and r.template == template), None)
        if found is None or not found.type.startswith("AWS::EFS::"):
            return False
    return True


def _destinations(config: Any, add: Any, what: str) -> None:
    if not isinstance(config, MapNode):
        return
    for when in ("OnSuccess", "OnFailure"):
        destination = config.get(when)
        if not isinstance(destination, MapNode):
            continue
        kind = destination.get("Type")
        if kind in _DESTINATION_TYPES:
            add([_DESTINATION_TYPES[kind], "kms"], f"Lambda sends events to {what}")
        else:
            add([*_target_services(destination.get("Destination"), tuple(_DESTINATION_TYPES.values())), "kms"], f"Lambda sends events to {what}")


def _target_services(value: Any, otherwise: tuple[str, ...]) -> list[str]:
    """The service of a destination ARN when it is written out; every candidate otherwise."""
    if isinstance(value, str):
        match = _ARN_SERVICE.match(value)
        if match:
            return [match.group(1)]
    return list(otherwise)


def _layer_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, Intrinsic):
        if value.name == "Fn::Sub" and isinstance(value.value, str):
            return value.value
        return value.short()
    return str(value)
