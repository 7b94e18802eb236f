"""SNS subscriber that re-routes alarms to per-team SQS queues."""
import json
import os

import boto3

sqs = boto3.client("sqs")

QUEUES = {
    "payments": os.environ["PAYMENTS_QUEUE_URL"],
    "search": os.environ["SEARCH_QUEUE_URL"],
}
FALLBACK = os.environ.get("FALLBACK_QUEUE_URL")


def route(alarm):
    name = alarm.get("AlarmName", "")
    team = name.split("-", 1)[0].lower()
    return QUEUES.get(team, FALLBACK)


def lambda_handler(event, context):
    sent = []
    for record in event["Records"]:
        sns = record["Sns"]
        alarm = json.loads(sns["Message"])
        queue_url = route(alarm)
        if queue_url is None:
            continue
        resp = sqs.send_message(
            QueueUrl=queue_url,
            MessageBody=json.dumps({"alarm": alarm["AlarmName"], "state": alarm.get("NewStateValue")}),
            MessageAttributes={"topic": {"DataType": "String", "StringValue": sns["TopicArn"]}},
            MessageDeduplicationId=sns["MessageId"],
            MessageGroupId=alarm["AlarmName"],
        )
        sent.append(resp["MessageId"])
    return {"forwarded": len(sent)}
