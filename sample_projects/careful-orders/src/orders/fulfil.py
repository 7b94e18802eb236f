"""Fulfil queued orders; report only the failed messages back to SQS for retry."""

import json
import logging
import os

import boto3
import httpx
from botocore.exceptions import ClientError

logger = logging.getLogger()
logger.setLevel(logging.INFO)

table = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])
secrets = boto3.client("secretsmanager")
http = httpx.Client(timeout=5.0)


def payments_key():
    return secrets.get_secret_value(SecretId=os.environ["PAYMENTS_SECRET_ID"])["SecretString"]


def fulfil(order_id, key):
    reply = http.post(
        "https://payments.example.com/v1/charges",
        json={"order": order_id},
        headers={"authorization": f"Bearer {key}", "idempotency-key": order_id},
    )
    reply.raise_for_status()
    table.update_item(
        Key={"pk": f"order#{order_id}"},
        UpdateExpression="SET #s = :done",
        ConditionExpression="#s = :accepted",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":done": "fulfilled", ":accepted": "accepted"},
    )


def handler(event, context):
    key = payments_key()
    failures = []
    for record in event["Records"]:
        try:
            order_id = json.loads(record["body"])["orderId"]
            fulfil(order_id, key)
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "ConditionalCheckFailedException":
                continue  # already fulfilled by an earlier delivery
            failures.append({"itemIdentifier": record["messageId"]})
        except (httpx.HTTPError, KeyError, ValueError):
            logger.exception("fulfilment failed for message %s", record["messageId"])
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
