"""POST /orders: validate, store once per idempotency key, queue for fulfilment."""

import hashlib
import json
import logging
import os
import time

import boto3
from botocore.exceptions import ClientError

logger = logging.getLogger()
logger.setLevel(logging.INFO)

table = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])
sqs = boto3.client("sqs")
QUEUE_URL = os.environ["ORDERS_QUEUE_URL"]
IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60


def response(status, body):
    return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": json.dumps(body)}


def handler(event, context):
    route = event.get("routeKey")
    if route != "POST /orders":
        return response(404, {"error": "not_found"})

    key = (event.get("headers") or {}).get("idempotency-key")
    if not key:
        return response(400, {"error": "idempotency_key_required"})

    raw = event.get("body") or ""
    fingerprint = hashlib.sha256(raw.encode()).hexdigest()
    try:
        order = json.loads(raw)
    except json.JSONDecodeError:
        return response(400, {"error": "invalid_json"})
    amount = order.get("amount")
    currency = order.get("currency")
    if not isinstance(amount, int) or amount <= 0 or not isinstance(currency, str):
        return response(400, {"error": "invalid_order"})

    item = {
        "pk": f"order#{key}",
        "status": "accepted",
        "amount": amount,
        "currency": currency,
        "fingerprint": fingerprint,
        "expires_at": int(time.time()) + IDEMPOTENCY_TTL_SECONDS,
    }
    try:
        table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        stored = table.get_item(Key={"pk": item["pk"]})["Item"]
        if stored["fingerprint"] != fingerprint:
            return response(422, {"error": "idempotency_key_reused"})
        logger.info(json.dumps({"message": "order.replay", "request_id": context.aws_request_id}))
        return response(200, {"orderId": key, "status": stored["status"], "replay": True})

    # A standard queue rejects MessageDeduplicationId; the consumer deduplicates on orderId.
    sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=json.dumps({"orderId": key}))
    logger.info(json.dumps({"message": "order.accepted", "request_id": context.aws_request_id}))
    return response(202, {"orderId": key, "status": "accepted"})
