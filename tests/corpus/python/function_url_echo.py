"""Lambda Function URL (payload 2.0) with a shared-secret header, compared in constant time."""
import base64
import hmac
import json
import os

SHARED_SECRET = os.environ.get("SHARED_SECRET", "not-a-real-secret")


def decode_body(event):
    body = event.get("body") or ""
    return base64.b64decode(body).decode() if event.get("isBase64Encoded") else body


def handler(event, context):
    provided = event.get("headers", {}).get("x-shared-secret", "")
    if not hmac.compare_digest(provided.encode(), SHARED_SECRET.encode()):
        return {"statusCode": 401, "body": "unauthorized"}

    text = decode_body(event)
    words = text.split()
    return {
        "statusCode": 200,
        "headers": {"content-type": "application/json"},
        "body": json.dumps(
            {
                "path": event["rawPath"],
                "query": event.get("rawQueryString", ""),
                "words": len(words),
                "longest": max(words, key=len) if words else None,
            }
        ),
    }
