"""SQS consumer using Powertools' BatchProcessor with partial batch responses."""
import json
import os

import boto3
from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)

processor = BatchProcessor(event_type=EventType.SQS)
logger = Logger()
tracer = Tracer()
metrics = Metrics(namespace="Inventory")

store = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE"])
idem_config = IdempotencyConfig(event_key_jmespath="sku")
stock = boto3.resource("dynamodb").Table(os.environ["STOCK_TABLE"])


@idempotent_function(data_keyword_argument="adjustment", persistence_store=store, config=idem_config)
def apply_adjustment(adjustment: dict) -> dict:
    stock.update_item(
        Key={"sku": adjustment["sku"]},
        UpdateExpression="ADD onHand :d",
        ExpressionAttributeValues={":d": adjustment["delta"]},
    )
    return adjustment


@tracer.capture_method
def record_handler(record: SQSRecord):
    payload = json.loads(record.body)
    apply_adjustment(adjustment=payload)
    metrics.add_metric(name="Adjustments", unit=MetricUnit.Count, value=1)


@metrics.log_metrics(capture_cold_start_metric=True)
@logger.inject_lambda_context
@tracer.capture_lambda_handler
def lambda_handler(event, context):
    idem_config.register_lambda_context(context)
    return process_partial_response(
        event=event, record_handler=record_handler, processor=processor, context=context
    )
