"""Sum yesterday's ledger rows and post the total."""

import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ.get("LEDGER_TABLE", "ledger"))


def handler(event, context):
    total = 0
    response = table.scan()
    for item in response["Items"]:
        total += item["amount"]
    return {"total": total}
