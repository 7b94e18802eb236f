"""Account balances, kept beside the ledger entries."""

import os

import boto3

table = boto3.resource("dynamodb").Table(os.environ["LEDGER_TABLE"])


def add_to_balance(account, amount):
    table.update_item(
        Key={"pk": f"account#{account}", "sk": "balance"},
        UpdateExpression="ADD balance :amount",
        ExpressionAttributeValues={":amount": amount},
    )
