"""S3 ObjectCreated -> thumbnail. The output key is derived from the input key, so a retry
overwrites the same object instead of creating a new one."""
import io
import os
import urllib.parse

import boto3
from PIL import Image

s3 = boto3.client("s3")
DEST_BUCKET = os.environ["THUMBNAIL_BUCKET"]
SIZE = (int(os.environ.get("THUMB_W", "256")), int(os.environ.get("THUMB_H", "256")))


def thumbnail_key(source_key: str) -> str:
    stem, _, _ext = source_key.rpartition(".")
    return f"thumbnails/{stem or source_key}-{SIZE[0]}x{SIZE[1]}.webp"


def handler(event, context):
    for record in event["Records"]:
        bucket = record["s3"]["bucket"]["name"]
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        if key.startswith("thumbnails/"):
            continue  # our own output; avoid a loop

        original = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
        with Image.open(io.BytesIO(original)) as image:
            image.thumbnail(SIZE)
            out = io.BytesIO()
            image.save(out, format="WEBP", quality=80)

        s3.put_object(
            Bucket=DEST_BUCKET,
            Key=thumbnail_key(key),
            Body=out.getvalue(),
            ContentType="image/webp",
            Metadata={"source-etag": record["s3"]["object"].get("eTag", "")},
        )
