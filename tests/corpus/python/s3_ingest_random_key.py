"""S3 ObjectCreated -> normalised CSV copy under a random, time-stamped key."""
import csv
import io
import os
import time
import uuid

import boto3

s3 = boto3.client("s3")
OUTPUT_BUCKET = os.environ["CLEAN_BUCKET"]


def normalise(rows):
    for row in rows:
        yield {k.strip().lower(): (v or "").strip() for k, v in row.items()}


def handler(event, context):
    written = []
    for record in event["Records"]:
        src_bucket = record["s3"]["bucket"]["name"]
        src_key = record["s3"]["object"]["key"]
        text = s3.get_object(Bucket=src_bucket, Key=src_key)["Body"].read().decode("utf-8-sig")

        reader = csv.DictReader(io.StringIO(text))
        buf = io.StringIO()
        writer = None
        for row in normalise(reader):
            if writer is None:
                writer = csv.DictWriter(buf, fieldnames=list(row))
                writer.writeheader()
            writer.writerow(row)

        out_key = f"clean/{time.strftime('%Y/%m/%d')}/{uuid.uuid4().hex}.csv"
        s3.put_object(Bucket=OUTPUT_BUCKET, Key=out_key, Body=buf.getvalue().encode("utf-8"))
        written.append(out_key)
    return {"written": written}
