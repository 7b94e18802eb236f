"""Event fixtures: the JSON files a SAM project invokes its functions with locally
(``sam local invoke Fn -e events/x.json``), and which trigger each one imitates.

The shape of an event says its source: API Gateway's REST payload has ``httpMethod`` and
``resource``, the HTTP API's (and a function URL's) has ``routeKey``/``rawPath``, every record
of an SQS/S3/DynamoDB/Kinesis batch names its ``eventSource``, an EventBridge event has
``detail-type``, and so on (the payloads ``sam local generate-event`` writes)::

    >>> shape_of({"Records": [{"eventSource": "aws:sqs", "body": "{}"}]})
    'SQS'
    >>> shape_of({"version": "2.0", "routeKey": "POST /orders", "rawPath": "/orders"})
    'HttpApi'
    >>> shape_of({"orderId": "o-1"})

``EVENT_SHAPES`` maps each SAM event type to the shapes that can feed it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slsreview.location import Location


@dataclass(frozen=True, slots=True)
class EventFixture:
    path: str
    shape: str | None  # "Api", "HttpApi", "SQS", ... or None for a custom payload

    @property
    def loc(self) -> Location:
        return Location.file_start(self.path)


_RECORD_SOURCES = {
    "aws:sqs": "SQS",
    "aws:s3": "S3",
    "aws:dynamodb": "DynamoDB",
    "aws:kinesis": "Kinesis",
    "aws:sns": "SNS",
    "aws:ses": "SES",
    "aws:codecommit": "CodeCommit",
}


def shape_of(value: Any) -> str | None:
    """Which trigger's payload a parsed JSON document looks like, or None."""
    if isinstance(value, list):
        return None
    if not isinstance(value, dict):
        return None
    records = value.get("Records")
    if isinstance(records, list) and records and isinstance(records[0], dict):
        record = records[0]
        source = record.get("eventSource") or record.get("EventSource")
        if isinstance(source, str) and source in _RECORD_SOURCES:
            return _RECORD_SOURCES[source]
        for key, shape in (("s3", "S3"), ("Sns", "SNS"), ("dynamodb", "DynamoDB"), ("kinesis", "Kinesis")):
            if key in record:
                return shape
        if "messageId" in record and "receiptHandle" in record:
            return "SQS"
    if value.get("eventSource") in ("aws:kafka", "SelfManagedKafka"):
        return "Kafka"
    if value.get("eventSource") in ("aws:mq", "aws:rmq"):
        return "MQ"
    context = value.get("requestContext")
    if "routeKey" in value or "rawPath" in value or (isinstance(context, dict) and "http" in context):
        return "HttpApi"
    if isinstance(context, dict) and "elb" in context:
        return "ALB"
    if "httpMethod" in value and ("resource" in value or "path" in value or isinstance(context, dict)):
        return "Api"
    if "detail-type" in value and "source" in value:
        return "Schedule" if value.get("detail-type") == "Scheduled Event" else "EventBridge"
    if "awslogs" in value:
        return "CloudWatchLogs"
    if "triggerSource" in value and "userPoolId" in value:
        return "Cognito"
    return None


# SAM event type -> the fixture shapes that reproduce it. An HttpApi route with payload format
# 1.0 receives the REST shape; a schedule is an EventBridge event.
EVENT_SHAPES: dict[str, frozenset[str]] = {
    "Api": frozenset({"Api"}),
    "HttpApi": frozenset({"HttpApi", "Api"}),
    "SQS": frozenset({"SQS"}),
    "SNS": frozenset({"SNS"}),
    "S3": frozenset({"S3"}),
    "DynamoDB": frozenset({"DynamoDB"}),
    "Kinesis": frozenset({"Kinesis"}),
    "EventBridgeRule": frozenset({"EventBridge", "Schedule"}),
    "CloudWatchEvent": frozenset({"EventBridge", "Schedule"}),
    "Schedule": frozenset({"Schedule", "EventBridge"}),
    "ScheduleV2": frozenset({"Schedule", "EventBridge"}),
    "CloudWatchLogs": frozenset({"CloudWatchLogs"}),
    "Cognito": frozenset({"Cognito"}),
    "MSK": frozenset({"Kafka"}),
    "SelfManagedKafka": frozenset({"Kafka"}),
    "MQ": frozenset({"MQ"}),
}
