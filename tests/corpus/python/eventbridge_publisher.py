"""Publishes domain events to a custom EventBridge bus after an order changes state."""
import json
import os
from datetime import datetime, timezone

import boto3

events = boto3.client("events")
BUS = os.environ.get("EVENT_BUS_NAME", "default")
SOURCE = "com.example.orders"


def to_entry(order):
    return {
        "Source": SOURCE,
        "DetailType": f"Order{order['status'].title()}",
        "Detail": json.dumps({"orderId": order["id"], "status": order["status"], "total": order.get("total")}),
        "EventBusName": BUS,
        "Time": datetime.now(timezone.utc),
    }


def handler(event, context):
    orders = event.get("orders", [])
    entries = [to_entry(o) for o in orders]
    failed = []
    for start in range(0, len(entries), 10):
        chunk = entries[start : start + 10]
        result = events.put_events(Entries=chunk)
        if result.get("FailedEntryCount"):
            failed.extend(
                chunk[i]["Detail"] for i, r in enumerate(result["Entries"]) if "ErrorCode" in r
            )
    if failed:
        raise RuntimeError(f"{len(failed)} events were not accepted")
    return {"published": len(entries)}
