"""Renders an invoice to HTML and stores it in S3. Formatting lives in a sibling module."""
import json
import os

import boto3

from .formatting import invoice_key, money, render_lines
from . import formatting

s3 = boto3.client("s3")
BUCKET = os.environ["INVOICE_BUCKET"]


def handler(event, context):
    invoice = json.loads(event["body"]) if isinstance(event.get("body"), str) else event
    lines_html = render_lines(invoice["lines"], invoice.get("currency", "EUR"))
    total = sum(line["qty"] * line["unit_cents"] for line in invoice["lines"])
    html = formatting.TEMPLATE.format(
        number=invoice["number"],
        customer=invoice["customer"]["name"],
        lines=lines_html,
        total=money(total, invoice.get("currency", "EUR")),
    )
    key = invoice_key(invoice["number"], invoice["issued"])
    s3.put_object(Bucket=BUCKET, Key=key, Body=html.encode(), ContentType="text/html; charset=utf-8")
    return {"statusCode": 200, "body": json.dumps({"key": key})}
