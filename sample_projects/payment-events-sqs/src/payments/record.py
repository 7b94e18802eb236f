"""Record each payment delivered by SQS: a ledger entry, the account balance, a receipt email."""

import json
import os
import uuid

import boto3

from payments.balances import add_to_balance

table = boto3.resource("dynamodb").Table(os.environ["LEDGER_TABLE"])
ses = boto3.client("sesv2")


def handler(event, context):
    for record in event["Records"]:
        payment = json.loads(record["body"])
        entry_id = str(uuid.uuid4())
        table.put_item(
            Item={
                "pk": f"account#{payment['account']}",
                "sk": f"entry#{entry_id}",
                "amount": payment["amount"],
                "currency": payment["currency"],
            }
        )
        add_to_balance(payment["account"], payment["amount"])
        ses.send_email(
            FromEmailAddress=os.environ["RECEIPTS_FROM"],
            Destination={"ToAddresses": [payment["email"]]},
            Content={
                "Simple": {
                    "Subject": {"Data": "Payment received"},
                    "Body": {"Text": {"Data": f"We received {payment['amount']} {payment['currency']}."}},
                }
            },
        )
