"""GET /items/{id} behind an API Gateway REST API (payload format 1.0)."""
import json
import logging
import os

import boto3
from botocore.exceptions import ClientError

logger = logging.getLogger()
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))

dynamodb = boto3.resource("dynamodb")
table = dynamodb.Table(os.environ["ITEMS_TABLE"])

CORS_HEADERS = {
    "Access-Control-Allow-Origin": os.environ.get("ALLOWED_ORIGIN", "*"),
    "Access-Control-Allow-Methods": "GET,OPTIONS",
}


def _response(status, payload):
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **CORS_HEADERS},
        "body": json.dumps(payload, default=str),
    }


def lambda_handler(event, context):
    logger.info("request id %s", event["requestContext"]["requestId"])
    item_id = (event.get("pathParameters") or {}).get("id")
    if not item_id:
        return _response(400, {"message": "missing id"})

    try:
        result = table.get_item(Key={"pk": f"ITEM#{item_id}"}, ConsistentRead=True)
    except ClientError as err:
        logger.error("get_item failed: %s", err.response["Error"]["Code"])
        return _response(502, {"message": "upstream error"})

    item = result.get("Item")
    if item is None:
        return _response(404, {"message": f"item {item_id} not found"})

    stage = event["requestContext"].get("stage", "dev")
    return _response(200, {"item": item, "stage": stage})
