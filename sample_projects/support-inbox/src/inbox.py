"""POST /tickets: store a support ticket and tell the on-call channel."""

import json
import os

import boto3
from aws_lambda_powertools import Logger

logger = Logger()
table = boto3.resource("dynamodb").Table(os.environ["TICKETS_TABLE"])
secrets = boto3.client("secretsmanager")


@logger.inject_lambda_context
def handler(event, context):
    print(event)
    logger.debug("caller token %s", event["headers"].get("authorization"))
    ticket = json.loads(event["body"])
    logger.info("ticket from %s (%s)", ticket["email"], ticket["phone"])

    chat = json.loads(secrets.get_secret_value(SecretId=os.environ["CHAT_SECRET_ARN"])["SecretString"])
    logger.info("posting with webhook %s", chat["webhook_url"])

    table.put_item(Item={"pk": context.aws_request_id, "subject": ticket["subject"]})
    return {"statusCode": 201, "body": json.dumps({"id": context.aws_request_id})}
