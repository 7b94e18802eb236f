"""POST /orders on an HTTP API (payload format 2.0). Writes a new order with a random id."""
import base64
import json
import os
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import boto3

TABLE_NAME = os.environ["ORDERS_TABLE"]
table = boto3.resource("dynamodb").Table(TABLE_NAME)


def _body(event):
    raw = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    return json.loads(raw, parse_float=Decimal)


def handler(event, context):
    http = event["requestContext"]["http"]
    if http["method"] != "POST":
        return {"statusCode": 405, "body": json.dumps({"error": "method not allowed"})}

    try:
        order = _body(event)
    except (ValueError, UnicodeDecodeError):
        return {"statusCode": 400, "body": json.dumps({"error": "invalid JSON"})}

    lines = order.get("lines", [])
    if not lines:
        return {"statusCode": 422, "body": json.dumps({"error": "an order needs at least one line"})}

    order_id = str(uuid.uuid4())
    total = sum(Decimal(str(line["price"])) * int(line["qty"]) for line in lines)
    table.put_item(
        Item={
            "pk": f"ORDER#{order_id}",
            "customer": event["requestContext"].get("authorizer", {}).get("jwt", {}).get("claims", {}).get("sub", "anonymous"),
            "lines": lines,
            "total": total,
            "createdAt": datetime.now(timezone.utc).isoformat(),
            "sourceIp": http["sourceIp"],
        }
    )
    return {
        "statusCode": 201,
        "headers": {"Location": f"/orders/{order_id}"},
        "body": json.dumps({"id": order_id, "total": str(total)}),
    }
