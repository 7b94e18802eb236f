"""SQS consumer completing Step Functions callback tasks (.waitForTaskToken)."""
import json
import os

import boto3

sfn = boto3.client("stepfunctions")
AUTO_APPROVE_LIMIT = int(os.environ.get("AUTO_APPROVE_LIMIT", "1000"))


def decide(request: dict) -> dict:
    amount = request["amount"]
    if request.get("currency", "EUR") != "EUR":
        return {"approved": False, "by": "auto", "reason": "non-EUR requests need a human"}
    return {"approved": amount < AUTO_APPROVE_LIMIT, "by": "auto", "limit": AUTO_APPROVE_LIMIT}


def handler(event, context):
    for record in event["Records"]:
        message = json.loads(record["body"])
        token = message["taskToken"]
        try:
            result = decide(message["input"])
            sfn.send_task_success(taskToken=token, output=json.dumps(result))
        except KeyError as missing:
            sfn.send_task_failure(taskToken=token, error="BadInput", cause=f"missing {missing}")
