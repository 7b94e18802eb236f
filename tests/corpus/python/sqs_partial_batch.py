"""SQS consumer that reports per-message failures (ReportBatchItemFailures)."""
import json
import logging
import os

import boto3

log = logging.getLogger(__name__)
log.setLevel(logging.INFO)

table = boto3.resource("dynamodb").Table(os.environ["SHIPMENTS_TABLE"])


class PermanentError(Exception):
    """The message can never succeed; do not retry it."""


def process(record):
    payload = json.loads(record["body"])
    if "shipmentId" not in payload:
        raise PermanentError("shipmentId missing")
    table.update_item(
        Key={"pk": payload["shipmentId"]},
        UpdateExpression="SET #s = :s, lastMessage = :m",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": payload.get("status", "IN_TRANSIT"), ":m": record["messageId"]},
    )


def handler(event, context):
    batch_item_failures = []
    for record in event["Records"]:
        try:
            process(record)
        except PermanentError as exc:
            log.warning("dropping %s: %s", record["messageId"], exc)
        except Exception:
            log.exception("will retry %s", record["messageId"])
            batch_item_failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": batch_item_failures}
