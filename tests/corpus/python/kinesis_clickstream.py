"""Kinesis clickstream -> per-minute counters in DynamoDB."""
import base64
import json
import os
from collections import Counter

import boto3

table = boto3.resource("dynamodb").Table(os.environ["COUNTERS_TABLE"])


def decode(record):
    data = base64.b64decode(record["kinesis"]["data"])
    return json.loads(data)


def minute_bucket(ts_millis: int) -> str:
    return str(ts_millis // 60000 * 60)


def handler(event, context):
    counts = Counter()
    bad = 0
    for record in event["Records"]:
        try:
            click = decode(record)
        except (ValueError, KeyError):
            bad += 1
            continue
        counts[(click["page"], minute_bucket(click["ts"]))] += 1

    for (page, minute), n in counts.items():
        table.update_item(
            Key={"page": page, "minute": minute},
            UpdateExpression="ADD hits :n",
            ExpressionAttributeValues={":n": n},
        )
    return {"pages": len(counts), "skipped": bad, "lastSequence": event["Records"][-1]["kinesis"]["sequenceNumber"] if event["Records"] else None}
