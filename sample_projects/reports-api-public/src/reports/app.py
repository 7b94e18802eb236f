"""POST /reports builds a report for a partner; GET /reports/{id} returns it."""

import json
import os

import boto3
import requests

table = boto3.resource("dynamodb").Table(os.environ["REPORTS_TABLE"])


def handler(event, context):
    if event["headers"].get("x-api-key") != os.environ["PARTNER_API_KEY"]:
        return {"statusCode": 401, "body": json.dumps({"error": "unauthorized"})}

    if event["httpMethod"] == "GET":
        item = table.get_item(Key={"pk": event["pathParameters"]["id"]}).get("Item")
        return {"statusCode": 200 if item else 404, "body": json.dumps(item or {"error": "not_found"})}

    request = json.loads(event["body"])
    rates = requests.get(os.environ["RATES_URL"], params={"day": request["day"]}).json()
    report = {"pk": request["day"], "total": sum(r["amount"] * rates["eur"] for r in request["sales"])}
    table.put_item(Item=report)
    return {"statusCode": 201, "body": json.dumps(report)}
