"""Plain SQS consumer: any exception fails (and retries) the whole batch."""
import json
import os

import boto3

s3 = boto3.client("s3")
BUCKET = os.environ["ARCHIVE_BUCKET"]


def handler(event, context):
    archived = 0
    for record in event["Records"]:
        message = json.loads(record["body"])
        attributes = record.get("messageAttributes", {})
        tenant = attributes.get("tenant", {}).get("stringValue", "default")
        s3.put_object(
            Bucket=BUCKET,
            Key=f"{tenant}/messages/{record['messageId']}.json",
            Body=json.dumps(message).encode(),
            ContentType="application/json",
        )
        archived += 1
    print(f"archived {archived} messages")
