"""Refund a payment once per refund request (Powertools idempotency keyed on the refund id)."""

import os
import uuid

import boto3
import stripe
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent,
)
from aws_lambda_powertools.utilities.parameters import get_secret

persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE"])
config = IdempotencyConfig(event_key_jmespath="detail.refundId", expires_after_seconds=24 * 60 * 60)
table = boto3.resource("dynamodb").Table(os.environ["LEDGER_TABLE"])


@idempotent(persistence_store=persistence, config=config)
def handler(event, context):
    refund = event["detail"]
    stripe.api_key = get_secret(os.environ["STRIPE_SECRET_ARN"])
    stripe.Refund.create(payment_intent=refund["paymentIntent"], amount=refund["amount"])
    table.put_item(
        Item={
            "pk": f"account#{refund['account']}",
            "sk": f"refund#{uuid.uuid4()}",
            "amount": -refund["amount"],
        }
    )
    return {"refunded": refund["refundId"]}
