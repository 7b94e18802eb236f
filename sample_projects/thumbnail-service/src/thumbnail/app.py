"""Make a 128 px thumbnail of each uploaded image and record it."""

import os
import uuid

import boto3

s3 = boto3.client("s3")
table = boto3.resource("dynamodb").Table(os.environ["THUMBNAILS_TABLE"])


def shrink(source, target):
    with open(source, "rb") as image, open(target, "wb") as thumb:
        thumb.write(image.read()[:4096])  # stands in for a real resize


def handler(event, context):
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = record["s3"]["object"]["key"]
        original = f"/tmp/{uuid.uuid4()}-{os.path.basename(key)}"
        s3.download_file(bucket, key, original)
        thumbnail = original + ".thumb.jpg"
        shrink(original, thumbnail)
        s3.upload_file(thumbnail, bucket, f"thumbnails/{key}")
        table.put_item(Item={"key": key, "thumbnail": f"thumbnails/{key}"})
        print("thumbnail ready for", key)
