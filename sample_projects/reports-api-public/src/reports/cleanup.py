"""Nightly: delete the reports older than 90 days."""

import os
import time

import boto3

table = boto3.resource("dynamodb").Table(os.environ.get("REPORTS_TABLE", "reports"))


def handler(event, context):
    cutoff = int(time.time()) - 90 * 24 * 3600
    for item in table.scan(ProjectionExpression="pk, created_at")["Items"]:
        if item.get("created_at", 0) < cutoff:
            table.delete_item(Key={"pk": item["pk"]})
