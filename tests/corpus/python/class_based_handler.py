"""A class-based handler: dependencies built once in __init__, module-level function delegates."""
from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from typing import Any, Protocol

import boto3


class Notifier(Protocol):
    def notify(self, subject: str, message: str) -> None: ...


@dataclass
class SnsNotifier:
    topic_arn: str
    client: Any = field(default_factory=lambda: boto3.client("sns"))

    def notify(self, subject: str, message: str) -> None:
        self.client.publish(TopicArn=self.topic_arn, Subject=subject[:100], Message=message)


class ReturnsHandler:
    """Handles product return requests."""

    log = logging.getLogger("returns")

    def __init__(self, notifier: Notifier, table_name: str) -> None:
        self.notifier = notifier
        self.table = boto3.resource("dynamodb").Table(table_name)

    @staticmethod
    def _parse(event: dict[str, Any]) -> dict[str, Any]:
        return json.loads(event.get("body") or "{}")

    @property
    def name(self) -> str:
        return type(self).__name__

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        request = self._parse(event)
        if request.get("reason") not in {"damaged", "wrong-item", "changed-mind"}:
            return {"statusCode": 400, "body": json.dumps({"error": "unknown reason"})}
        self.table.put_item(Item={"pk": f"RETURN#{request['orderId']}", **request})
        self.notifier.notify("Return requested", f"order {request['orderId']}: {request['reason']}")
        self.log.info("%s accepted return for %s", self.name, request["orderId"])
        return {"statusCode": 202, "body": json.dumps({"accepted": True})}


_instance = ReturnsHandler(SnsNotifier(os.environ["RETURNS_TOPIC_ARN"]), os.environ["RETURNS_TABLE"])


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _instance(event, context)
