"""SNS -> Slack incoming webhook, standard library only (no packaging needed)."""
import json
import os
import urllib.error
import urllib.request

WEBHOOK_URL = os.environ["SLACK_WEBHOOK_URL"]
CHANNEL = os.environ.get("SLACK_CHANNEL", "#alerts")


def post(payload: dict) -> int:
    req = urllib.request.Request(
        WEBHOOK_URL,
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=5) as resp:
        return resp.status


def handler(event, context):
    delivered = 0
    for record in event["Records"]:
        subject = record["Sns"].get("Subject") or "Notification"
        text = f"*{subject}*\n```{record['Sns']['Message'][:3000]}```"
        try:
            post({"channel": CHANNEL, "text": text, "username": "aws-alerts"})
            delivered += 1
        except urllib.error.HTTPError as err:
            print(f"slack rejected message: {err.code}")
            raise
    return {"delivered": delivered}
