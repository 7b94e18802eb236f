"""Store an uploaded receipt and queue its thumbnail."""

import base64
import json
import os

import boto3

s3 = boto3.client("s3")
sqs = boto3.client("sqs")
table = boto3.resource("dynamodb").Table(os.environ["RECEIPTS_TABLE"])


def handler(event, context):
    body = json.loads(event["body"])
    key = f"receipts/{body['receiptId']}.png"
    s3.put_object(Bucket=os.environ["RECEIPTS_BUCKET"], Key=key, Body=base64.b64decode(body["image"]))
    table.put_item(Item={"pk": body["receiptId"], "key": key})
    queue_url = sqs.get_queue_url(QueueName=os.environ["THUMBNAIL_QUEUE"])["QueueUrl"]
    sqs.send_message(QueueUrl=queue_url, MessageBody=json.dumps({"key": key}))
    return {"statusCode": 201, "body": json.dumps({"key": key})}
