"""EventBridge schedule (rate(1 hour)): delete expired upload sessions."""
import logging
import os
import time

import boto3
from boto3.dynamodb.conditions import Attr

logger = logging.getLogger()
logger.setLevel(logging.INFO)

table = boto3.resource("dynamodb").Table(os.environ["SESSIONS_TABLE"])
GRACE_SECONDS = int(os.environ.get("GRACE_SECONDS", "900"))


def expired_sessions(now):
    kwargs = {"FilterExpression": Attr("expiresAt").lt(now - GRACE_SECONDS), "ProjectionExpression": "sessionId"}
    while True:
        page = table.scan(**kwargs)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def handler(event, context):
    logger.info("scheduled run %s at %s", event.get("id"), event.get("time"))
    now = int(time.time())
    deleted = 0
    with table.batch_writer() as batch:
        for item in expired_sessions(now):
            batch.delete_item(Key={"sessionId": item["sessionId"]})
            deleted += 1
            if context.get_remaining_time_in_millis() < 10_000:
                logger.warning("stopping early, %d deleted", deleted)
                break
    return {"deleted": deleted}
