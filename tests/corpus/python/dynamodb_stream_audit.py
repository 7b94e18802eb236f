"""DynamoDB stream -> audit log table. One audit row per stream record."""
import os

import boto3
from boto3.dynamodb.types import TypeDeserializer

deserializer = TypeDeserializer()
audit = boto3.resource("dynamodb").Table(os.environ["AUDIT_TABLE"])


def plain(image):
    return {k: deserializer.deserialize(v) for k, v in (image or {}).items()}


def changed_fields(old, new):
    keys = set(old) | set(new)
    return sorted(k for k in keys if old.get(k) != new.get(k))


def handler(event, context):
    with audit.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
        for record in event["Records"]:
            change = record["dynamodb"]
            old, new = plain(change.get("OldImage")), plain(change.get("NewImage"))
            keys = plain(change["Keys"])
            batch.put_item(
                Item={
                    "pk": f"AUDIT#{keys.get('pk')}",
                    "sk": f"{change['ApproximateCreationDateTime']}#{record['eventID']}",
                    "action": record["eventName"],
                    "fields": changed_fields(old, new),
                    "actor": new.get("updatedBy") or old.get("updatedBy") or "system",
                }
            )
