"""Write one ledger row per payment event delivered by SQS."""

import json
import os
import uuid

import boto3
import requests

table = boto3.resource("dynamodb").Table(os.environ["LEDGER_TABLE"])


def handler(event, context):
    for record in event["Records"]:
        payment = json.loads(record["body"])
        print(f"payment for {payment['email']}: {payment['amount']}")
        try:
            table.put_item(Item={"pk": str(uuid.uuid4()), "amount": payment["amount"]})
            requests.post(os.environ["WEBHOOK_URL"], json=payment)
        except Exception:
            pass
