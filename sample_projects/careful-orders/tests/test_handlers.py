"""Runs both handlers on the event fixtures with the AWS clients stubbed (pytest, no network)."""

import importlib
import json
import sys
from pathlib import Path
from unittest import mock

import pytest

ROOT = Path(__file__).parent.parent
EVENTS = ROOT / "events"
sys.path.insert(0, str(ROOT / "src"))


@pytest.fixture
def modules(monkeypatch):
    monkeypatch.setenv("ORDERS_TABLE", "orders")
    monkeypatch.setenv("ORDERS_QUEUE_URL", "https://sqs.example/orders")
    monkeypatch.setenv("PAYMENTS_SECRET_ID", "payments")
    with mock.patch("boto3.resource"), mock.patch("boto3.client"):
        from orders import api, fulfil

        yield importlib.reload(api), importlib.reload(fulfil)


def test_create_order_accepts_once(modules):
    api, _ = modules
    event = json.loads((EVENTS / "create-order.json").read_text())
    context = mock.Mock(aws_request_id="req-1")
    assert api.handler(event, context)["statusCode"] == 202


def test_unknown_route_is_404(modules):
    api, _ = modules
    assert api.handler({"routeKey": "GET /orders"}, None)["statusCode"] == 404


def test_fulfil_reports_only_failed_messages(modules):
    _, fulfil = modules
    fulfil.secrets.get_secret_value.return_value = {"SecretString": "key"}
    fulfil.http = mock.Mock()
    event = json.loads((EVENTS / "orders-batch.json").read_text())
    assert fulfil.handler(event, None) == {"batchItemFailures": []}
