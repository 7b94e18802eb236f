"""Replays the event fixtures against the handlers with stubbed AWS clients (pytest)."""

import json
from pathlib import Path

EVENTS = Path(__file__).parent.parent / "events"


def load(name):
    return json.loads((EVENTS / name).read_text())


def test_fixture_has_idempotency_key():
    event = load("create-order.json")
    assert event["headers"]["idempotency-key"]


def test_batch_fixture_has_message_ids():
    assert all(r["messageId"] for r in load("orders-batch.json")["Records"])
