"""REST API with Powertools: Logger, Tracer, event_parser and an idempotent handler."""
import os

import boto3
from aws_lambda_powertools import Logger, Tracer
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent,
)
from aws_lambda_powertools.utilities.parser import BaseModel, event_parser
from aws_lambda_powertools.utilities.parser.envelopes import ApiGatewayEnvelope
from aws_lambda_powertools.utilities.typing import LambdaContext

logger = Logger(service="payments")
tracer = Tracer(service="payments")

persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE"])
config = IdempotencyConfig(event_key_jmespath='headers."Idempotency-Key"', expires_after_seconds=3600)

ledger = boto3.resource("dynamodb").Table(os.environ["LEDGER_TABLE"])


class Transfer(BaseModel):
    source_account: str
    target_account: str
    amount_cents: int
    currency: str = "EUR"


@tracer.capture_method
def book(transfer: Transfer, request_id: str) -> dict:
    ledger.put_item(
        Item={
            "pk": f"TX#{request_id}",
            "from": transfer.source_account,
            "to": transfer.target_account,
            "amount": transfer.amount_cents,
            "currency": transfer.currency,
        }
    )
    return {"transferId": request_id, "status": "BOOKED"}


@event_parser(model=Transfer, envelope=ApiGatewayEnvelope)
def parse_transfer(event: Transfer, context: LambdaContext) -> Transfer:
    return event


@logger.inject_lambda_context(log_event=False, correlation_id_path="requestContext.requestId")
@tracer.capture_lambda_handler
@idempotent(persistence_store=persistence, config=config)
def lambda_handler(event: dict, context: LambdaContext) -> dict:
    transfer = parse_transfer(event, context)
    logger.append_keys(amount=transfer.amount_cents)
    result = book(transfer, event["requestContext"]["requestId"])
    return {"statusCode": 200, "body": str(result)}
