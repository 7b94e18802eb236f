"""The Python analyzer, fact by fact: vocabulary, sources and flows, structure, positions."""

from __future__ import annotations

import textwrap
from typing import Any

import libcst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from slsreview.analysis.facts import Call, Facts, FileFacts, Location, Value
from slsreview.analysis.python import _Spans, analyze_python
from slsreview.analysis.python.services import aws_writes

PATH = "src/app.py"


def analyze(source: str) -> tuple[FileFacts, str]:
    text = textwrap.dedent(source).lstrip("\n")
    facts = analyze_python(PATH, text)
    assert facts.parsed, facts.syntax
    return facts, text


def at(text: str, snippet: str, nth: int = 0) -> tuple[int, int]:
    """1-based (line, character column) of the nth occurrence of ``snippet`` in ``text``."""
    offset = -1
    for _ in range(nth + 1):
        offset = text.index(snippet, offset + 1)
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def span(text: str, snippet: str, nth: int = 0) -> Location:
    """The Location of a snippet that sits on one line."""
    line, column = at(text, snippet, nth)
    return Location(PATH, line, column, line, column + len(snippet))


def named(facts: FileFacts, prefix: str = "") -> list[Call]:
    return [c for c in facts.calls if c.name and c.name.startswith(prefix)]


def sources(value: Value | None) -> set[tuple[str, str]]:
    assert value is not None
    return {(s.kind, s.name) for s in value.sources}


def attrs(call: Call) -> dict[str, Any]:
    return dict(call.attrs)


def flows(facts: FileFacts, sink: str) -> set[tuple[str, str, int]]:
    return {(f.source.kind, f.source.name, f.loc.line) for f in facts.flows if f.sink == sink}


# -- AWS -------------------------------------------------------------------------------------


def test_boto3_clients_resources_and_aliases() -> None:
    facts, text = analyze(
        """
        import boto3 as b
        from boto3 import client

        sqs = client("sqs")
        events = b.client(service_name="events")
        table = b.resource("dynamodb").Table("orders")
        bucket = b.resource("s3").Bucket("files")

        def handler(event, context):
            sqs.send_message(QueueUrl="q", MessageBody="m")
            events.put_events(Entries=[])
            table.put_item(Item={"pk": "1"})
            table.get_item(Key={"pk": "1"})
            b.resource("dynamodb").Table("t").update_item(Key={})
            bucket.upload_file("/tmp/x", "x")
            with table.batch_writer() as batch:
                batch.put_item(Item={"pk": "2"})
        """
    )
    got = [(c.name, c.callee, c.loc.line, c.loc.column) for c in named(facts)]
    assert got == [
        ("aws.sqs.SendMessage", "boto3.client.send_message", *at(text, "sqs.send_message")),
        ("aws.events.PutEvents", "boto3.client.put_events", *at(text, "events.put_events")),
        ("aws.dynamodb.PutItem", "boto3.resource.Table.put_item", *at(text, "table.put_item")),
        ("aws.dynamodb.GetItem", "boto3.resource.Table.get_item", *at(text, "table.get_item")),
        ("aws.dynamodb.UpdateItem", "boto3.resource.Table.update_item", *at(text, 'b.resource("dynamodb").Table("t")')),
        ("aws.s3.PutObject", "boto3.resource.Bucket.upload_file", *at(text, "bucket.upload_file")),
        ("aws.dynamodb.BatchWriteItem", "boto3.resource.Table.batch_writer.put_item", *at(text, "batch.put_item")),
    ]
    (batch,) = named(facts, "aws.dynamodb.BatchWriteItem")
    assert attrs(batch) == {"op": "put_item"}
    assert batch.function == "handler"
    # constructing clients is not an API call
    assert {c.callee for c in facts.calls if not c.name} >= {"boto3.client", "boto3.resource", "boto3.resource.Table"}


def test_aws_write_arguments_flow_to_write_and_to_the_call_name() -> None:
    facts, text = analyze(
        """
        import boto3

        table = boto3.resource("dynamodb").Table("orders")

        def handler(event, context):
            table.put_item(Item={"pk": event["id"], "body": event["body"]})
            table.get_item(Key={"pk": event["id"]})
        """
    )
    line = at(text, "table.put_item")[0]
    expected = {("event-id", "id", line), ("event", "body", line)}
    assert flows(facts, "write") == expected
    assert flows(facts, "aws.dynamodb.PutItem") == expected
    get_line = at(text, "table.get_item")[0]
    assert flows(facts, "aws.dynamodb.GetItem") == {("event-id", "id", get_line)}
    facts_api = Facts([facts], entry="handler")
    assert len(facts_api.flows(source="event-id", sink="aws.dynamodb")) == 2


def test_secrets_manager_and_ssm_results_are_secrets() -> None:
    facts, text = analyze(
        """
        import boto3
        from aws_lambda_powertools.utilities import parameters

        sm = boto3.client("secretsmanager")
        ssm = boto3.client("ssm")

        def handler(event, context):
            key = sm.get_secret_value(SecretId="prod/stripe")["SecretString"]
            token = ssm.get_parameter(Name="/app/token", WithDecryption=True)["Parameter"]["Value"]
            plain = ssm.get_parameter(Name="/app/region")["Parameter"]["Value"]
            other = parameters.get_secret("prod/other")
            print(key, token, plain, other)
        """
    )
    assert [c.name for c in named(facts, "aws.")] == [
        "aws.secretsmanager.GetSecretValue",
        "aws.ssm.GetParameter",
        "aws.ssm.GetParameter",
    ]
    line = at(text, "print(")[0]
    assert flows(facts, "log") == {
        ("secret", "prod/stripe", line),
        ("secret", "/app/token", line),
        ("secret", "prod/other", line),
    }
    secret = next(f.source for f in facts.flows if f.source.name == "prod/stripe")
    assert secret.loc == Location(PATH, *at(text, "sm.get_secret_value"), *at(text, '["SecretString"]'))


# -- HTTP ------------------------------------------------------------------------------------


def test_http_clients_methods_and_timeouts() -> None:
    facts, text = analyze(
        """
        import httpx
        import requests
        import urllib.request
        import aiohttp

        session = requests.Session()
        client = httpx.Client(timeout=5)
        unlimited = httpx.Client(timeout=None)

        async def handler(event, context):
            requests.post("https://a", json={})
            requests.get("https://a", timeout=(3.05, 27))
            session.get("https://a")
            session.request("DELETE", "https://a", timeout=2)
            client.get("https://a")
            client.put("https://a", timeout=1.5)
            unlimited.get("https://a")
            httpx.get("https://a")
            urllib.request.urlopen("https://a")
            urllib.request.urlopen("https://a", data=b"x", timeout=10)
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=8)) as http:
                async with http.post("https://a") as response:
                    await response.text()
            async with aiohttp.ClientSession() as plain:
                await plain.get("https://a")
        """
    )
    got = [
        (c.loc.line, attrs(c)["client"], attrs(c)["method"], attrs(c)["has_timeout"], attrs(c)["timeout_seconds"])
        for c in named(facts, "http.request")
    ]
    line = at(text, "requests.post")[0]
    assert got == [
        (line, "requests", "POST", False, None),
        (line + 1, "requests", "GET", True, 27),
        (line + 2, "requests", "GET", False, None),  # a requests.Session has no timeout of its own
        (line + 3, "requests", "DELETE", True, 2),
        (line + 4, "httpx", "GET", True, 5),  # httpx.Client(timeout=5)
        (line + 5, "httpx", "PUT", True, 1.5),
        (line + 6, "httpx", "GET", False, None),  # httpx.Client(timeout=None)
        (line + 7, "httpx", "GET", True, 5),  # httpx's own default
        (line + 8, "urllib", "GET", False, None),
        (line + 9, "urllib", "POST", True, 10),
        (line + 11, "aiohttp", "POST", True, 8),
        (line + 14, "aiohttp", "GET", True, 300),  # aiohttp's own default total timeout
    ]
    awaited = {c.loc.line: c.awaited for c in named(facts, "http.request")}
    assert awaited[line] is False and awaited[line + 11] is True and awaited[line + 14] is True


def test_http_arguments_flow_to_http_sink() -> None:
    facts, text = analyze(
        """
        import os
        import requests

        TOKEN = os.environ["TOKEN"]

        def handler(event, context):
            requests.post(os.environ["HOOK"], headers={"Authorization": f"Bearer {TOKEN}"}, timeout=3)
        """
    )
    line = at(text, "requests.post")[0]
    assert flows(facts, "http.request") == {("env", "HOOK", line), ("env", "TOKEN", line)}
    assert Facts([facts]).flows(source="env", sink="http")  # "http" matches "http.request"


# -- payments, logging -----------------------------------------------------------------------


def test_stripe_create_and_idempotency_key() -> None:
    facts, text = analyze(
        """
        import stripe

        client = stripe.StripeClient("sk")

        def handler(event, context):
            key = event["headers"]["Idempotency-Key"]
            stripe.PaymentIntent.create(amount=100, currency="usd", idempotency_key=key)
            stripe.Charge.create(amount=1)
            stripe.checkout.Session.create(mode="payment")
            client.payment_intents.create(params={"amount": 1}, options={"idempotency_key": key})
            stripe.Customer.retrieve("cus_1")
        """
    )
    got = [(attrs(c)["resource"], c.loc.line) for c in named(facts, "payment.create")]
    line = at(text, "stripe.PaymentIntent.create")[0]
    assert got == [("paymentIntents", line), ("charges", line + 1), ("checkout.sessions", line + 2), ("paymentIntents", line + 3)]
    first, _, _, last = named(facts, "payment.create")
    assert sources(first.kwarg("idempotency_key")) == {("event-id", "headers.idempotency-key")}
    assert sources(last.kwarg("idempotency_key")) == {("event-id", "headers.idempotency-key")}
    assert named(facts, "payment.create")[1].kwarg("idempotency_key") is None


def test_log_sinks() -> None:
    facts, text = analyze(
        """
        import logging
        import sys
        from aws_lambda_powertools import Logger

        log = logging.getLogger(__name__)
        powertools = Logger(service="orders")

        def handler(event, context):
            log.info("a")
            log.warn("b")
            log.exception("c")
            log.log(logging.DEBUG, "d")
            logging.error("e")
            powertools.critical("f")
            powertools.append_keys(order=event["id"])
            print("g")
            sys.stdout.write("h")
            sys.stderr.write("i")
            log.setLevel(logging.INFO)
        """
    )
    got = [(attrs(c)["logger"], attrs(c)["level"], c.loc.line) for c in named(facts, "log")]
    line = at(text, 'log.info("a")')[0]
    assert got == [
        ("logging", "info", line),
        ("logging", "warning", line + 1),
        ("logging", "error", line + 2),
        ("logging", "debug", line + 3),
        ("logging", "error", line + 4),
        ("powertools", "critical", line + 5),
        ("powertools", None, line + 6),
        ("print", None, line + 7),
        ("stdout", None, line + 8),
        ("stdout", None, line + 9),
    ]
    assert flows(facts, "log") == {("event-id", "id", line + 6)}


def test_objects_named_like_loggers_log() -> None:
    facts, _ = analyze(
        """
        from shared import logger

        class Service:
            def run(self, context):
                logger.info("x")
                self.logger.error("y")
                context.logger.warning("z")
                self.cache.info("not a logger")
        """
    )
    assert [(c.callee, attrs(c)["level"]) for c in named(facts, "log")] == [
        ("shared.logger.info", "info"),
        ("Service.logger.error", "error"),
        ("context.logger.warning", "warning"),
    ]


# -- environment -----------------------------------------------------------------------------


def test_env_reads() -> None:
    facts, text = analyze(
        """
        import os
        from os import environ, getenv

        TABLE = os.environ["TABLE"]
        REGION = os.environ.get("REGION", "eu-west-1")
        STAGE = os.getenv("STAGE")
        TOKEN = environ["TOKEN"]
        DEBUG = getenv("DEBUG", "0")

        def handler(event, context):
            name = event["var"]
            value = os.environ[name]
            if "OPTIONAL" in os.environ:
                return os.environ["OPTIONAL"]
            return value
        """
    )
    got = [(r.name, r.loc.line, r.loc.column, r.function, r.guarded, r.has_default) for r in facts.env_reads]
    assert got == [
        ("TABLE", *at(text, 'os.environ["TABLE"]'), None, False, False),
        ("REGION", *at(text, "os.environ.get"), None, True, True),
        ("STAGE", *at(text, 'os.getenv("STAGE")'), None, True, False),
        ("TOKEN", *at(text, 'environ["TOKEN"]'), None, False, False),
        ("DEBUG", *at(text, "getenv(\"DEBUG\""), None, True, True),
        ("*", *at(text, "os.environ[name]"), "handler", False, False),
        ("OPTIONAL", *at(text, '"OPTIONAL" in os.environ'), "handler", True, False),
        ("OPTIONAL", *at(text, 'os.environ["OPTIONAL"]'), "handler", True, False),
    ]
    assert {r.via for r in facts.env_reads} == {"os.environ"}
    assert facts.env_reads[0].loc == span(text, 'os.environ["TABLE"]')


def test_env_values_reach_log_and_response() -> None:
    facts, text = analyze(
        """
        import json
        import logging
        import os

        logger = logging.getLogger()
        KEY = os.environ["API_KEY"]

        def handler(event, context):
            logger.info("key=%s", KEY)
            return {"statusCode": 200, "body": json.dumps({"key": KEY, "all": dict(os.environ)})}
        """
    )
    log_line = at(text, "logger.info")[0]
    assert flows(facts, "log") == {("env", "API_KEY", log_line)}
    assert flows(facts, "response") == {("env", "API_KEY", log_line + 1), ("env", "*", log_line + 1)}
    (flow,) = [f for f in facts.flows if f.sink == "log"]
    assert flow.source.loc == span(text, 'os.environ["API_KEY"]')
    assert flow.call is not None and flow.call.name == "log"


# -- data flow -------------------------------------------------------------------------------


def test_data_flow_through_expressions() -> None:
    facts, text = analyze(
        """
        import json
        import time
        import uuid

        def handler(event, context):
            user, amount = event["user"], event["body"]["amount"]
            first, second = event["pair"]
            percent = "user %s" % user
            formatted = "amount {}".format(amount)
            joined = "id-" + str(uuid.uuid4())
            fstring = f"{time.time()}:{first}"
            dumped = json.dumps({"s": second})
            spread = {"a": 1, **event["headers"]}
            picked = {"x": user, "y": 2}.get("y")
            attribute = event["requestContext"]["authorizer"]["claims"]["sub"].lower()
            print(percent)
            print(formatted)
            print(joined)
            print(fstring)
            print(dumped)
            print(spread)
            print(picked)
            print(attribute)
        """
    )
    line = at(text, "print(percent)")[0]
    by_line: dict[int, set[tuple[str, str]]] = {}
    for kind, name, where in flows(facts, "log"):
        by_line.setdefault(where, set()).add((kind, name))
    assert by_line == {
        line: {("event", "user")},
        line + 1: {("event", "body.amount")},
        line + 2: {("random", "uuid4")},
        line + 3: {("time", "time.time"), ("event", "pair")},
        line + 4: {("event", "pair")},
        line + 5: {("event", "headers")},
        # line + 6: {"y": 2}.get("y") is the literal 2
        line + 7: {("event", "requestContext.authorizer.claims.sub")},
    }


def test_event_paths_records_and_ids() -> None:
    facts, text = analyze(
        """
        import json

        def handler(event, context):
            for record in event["Records"]:
                print(record["messageId"], record["body"], record["eventID"])
                print(record["s3"]["object"]["key"], record["Sns"]["MessageId"])
                print(json.loads(record["body"])["order"]["id"])
            for i, record in enumerate(event["Records"]):
                print(record["messageId"])
            print(event["id"], event["detail"], event.get("headers", {}).get("X-Api-Key"))
            print(event["pathParameters"]["id"], event["queryStringParameters"]["q"])
        """
    )
    line = at(text, 'print(record["messageId"], ')[0]
    assert flows(facts, "log") == {
        ("event-id", "messageId", line),
        ("event", "body", line),
        ("event-id", "eventID", line),
        ("event-id", "s3.key", line + 1),
        ("event-id", "Sns.MessageId", line + 1),
        ("event", "body.order.id", line + 2),
        ("event-id", "messageId", line + 4),
        ("event-id", "id", line + 5),
        ("event", "detail", line + 5),
        ("event", "headers.x-api-key", line + 5),
        ("event", "pathParameters.id", line + 6),
        ("event", "queryStringParameters.q", line + 6),
    }
    body = next(f.source for f in facts.flows if f.source.name == "body")
    assert body.loc == span(text, 'record["body"]')


def test_random_and_time_sources() -> None:
    facts, _ = analyze(
        """
        import datetime
        import os
        import random
        import secrets
        import time
        import uuid
        from datetime import datetime as dt

        def handler(event, context):
            print(uuid.uuid4(), uuid.uuid1(), secrets.token_hex(8), secrets.token_urlsafe(), random.randint(1, 2), os.urandom(4))
            print(time.time(), time.time_ns(), dt.now(), dt.utcnow(), datetime.datetime.now().isoformat())
        """
    )
    assert {(k, n) for k, n, _ in flows(facts, "log")} == {
        ("random", "uuid4"),
        ("random", "uuid1"),
        ("random", "secrets.token_hex"),
        ("random", "secrets.token_urlsafe"),
        ("random", "random.randint"),
        ("random", "os.urandom"),
        ("time", "time.time"),
        ("time", "time.time_ns"),
        ("time", "datetime.now"),
        ("time", "datetime.utcnow"),
    }


# -- exceptions ------------------------------------------------------------------------------


def test_exception_handling_kinds_and_nesting() -> None:
    facts, text = analyze(
        """
        import logging
        import boto3

        sqs = boto3.client("sqs")
        log = logging.getLogger()

        def handler(event, context):
            failures = []
            try:
                sqs.send_message(QueueUrl="a", MessageBody="1")
            except Exception:
                log.exception("failed")
                raise
            try:
                sqs.send_message(QueueUrl="b", MessageBody="2")
            except Exception as exc:
                log.error("failed %s", exc)
                return {"statusCode": 500}
            for record in event["Records"]:
                try:
                    sqs.send_message(QueueUrl="c", MessageBody="3")
                except Exception:
                    failures.append({"itemIdentifier": record["messageId"]})
            try:
                try:
                    sqs.send_message(QueueUrl="d", MessageBody="4")
                except KeyError:
                    log.warning("missing")
                sqs.send_message(QueueUrl="e", MessageBody="5")
            except:
                pass
            finally:
                sqs.send_message(QueueUrl="f", MessageBody="6")
            return {"batchItemFailures": failures}
        """
    )
    blocks = {b.id: b for b in facts.tries}
    sends = {c.kwarg("QueueUrl").literal: c for c in named(facts, "aws.sqs")}  # type: ignore[union-attr]
    kinds = {url: blocks[c.try_id].on_error if c.try_id else None for url, c in sends.items()}
    assert kinds == {
        "a": "reraise",
        "b": "return-error",
        "c": "record-failure",
        "d": "log-only",  # the inner try; its error never reaches the outer except
        "e": "swallow",
        "f": None,  # a finally clause is not protected by its try
    }
    inner = blocks[sends["d"].try_id]  # type: ignore[index]
    assert inner.loc.line == at(text, "try:", 4)[0]
    assert inner.handler_loc.line == at(text, "except KeyError:")[0]
    assert inner.function == "handler"


def test_try_finally_and_suppress() -> None:
    facts, _ = analyze(
        """
        import contextlib
        import boto3

        sqs = boto3.client("sqs")

        def handler(event, context):
            try:
                sqs.send_message(QueueUrl="a", MessageBody="1")
            finally:
                print("done")
            with contextlib.suppress(Exception):
                sqs.send_message(QueueUrl="b", MessageBody="2")
        """
    )
    kinds = [Facts([facts]).try_block(c).on_error for c in named(facts, "aws.sqs")]  # type: ignore[union-attr]
    assert kinds == ["reraise", "swallow"]


def test_json_parse_guarded_and_unguarded() -> None:
    facts, text = analyze(
        """
        import json

        def handler(event, context):
            data = json.loads(event["body"])
            try:
                again = json.loads(event["body"])
            except ValueError:
                return {"statusCode": 400}
            try:
                strict = json.loads(event["body"])
            except json.JSONDecodeError:
                raise
            try:
                other = json.loads(event["body"])
            except KeyError:
                return {"statusCode": 400}
        """
    )
    got = [(p.loc.line, p.guarded, [(s.kind, s.name) for s in p.of]) for p in facts.parses]
    line = at(text, "json.loads")[0]
    assert got == [
        (line, False, [("event", "body")]),
        (line + 2, True, [("event", "body")]),
        (line + 6, False, [("event", "body")]),  # the handler re-raises
        (line + 10, False, [("event", "body")]),  # the handler does not catch decode errors
    ]
    assert [c.name for c in named(facts)] == ["json.parse"] * 4
    assert facts.parses[0].loc == span(text, 'json.loads(event["body"])')


# -- Powertools ------------------------------------------------------------------------------


def test_powertools_wrappers() -> None:
    facts, text = analyze(
        """
        from aws_lambda_powertools import Logger
        from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
        from aws_lambda_powertools.utilities.idempotency import (
            DynamoDBPersistenceLayer,
            idempotent,
            idempotent_function,
        )

        logger = Logger()
        persistence = DynamoDBPersistenceLayer(table_name="idem")
        processor = BatchProcessor(event_type=EventType.SQS)

        @idempotent_function(data_keyword_argument="order", persistence_store=persistence)
        def save(order):
            return order

        def record_handler(record):
            save(order=record.body)

        @logger.inject_lambda_context(log_event=True)
        @idempotent
        def handler(event, context):
            return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
        """
    )
    got = [(w.name, w.target, w.loc.line) for w in facts.wrappers]
    assert got == [
        ("powertools.batch_processor", None, at(text, "processor = ")[0]),
        ("powertools.idempotent_function", "save", at(text, "@idempotent_function")[0]),
        ("powertools.inject_lambda_context", "handler", at(text, "@logger.inject")[0]),
        ("powertools.idempotent", "handler", at(text, "@idempotent\n")[0]),
        ("powertools.process_partial_response", "handler", at(text, "return process_partial_response")[0]),
    ]
    inject = facts.wrappers[2]
    assert inject.arg("log_event") is not None and inject.arg("log_event").literal is True  # type: ignore[union-attr]
    assert facts.wrappers[1].arg("data_keyword_argument").literal == "order"  # type: ignore[union-attr]
    line, column = at(text, "@idempotent\n")
    assert facts.wrappers[3].loc == Location(PATH, line, column, line, column + len("@idempotent"))
    # the record handler is reachable from the handler that hands it to the batch utility
    calls = {f.qualname: f.calls for f in facts.functions}
    assert calls["handler"] == ("record_handler",)
    assert calls["record_handler"] == ("save",)


def test_powertools_record_annotation_and_resolver_event() -> None:
    facts, text = analyze(
        """
        from aws_lambda_powertools.event_handler import APIGatewayRestResolver
        from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

        app = APIGatewayRestResolver()

        def record_handler(record: SQSRecord):
            print(record.message_id, record.json_body["total"])

        @app.post("/orders")
        def create():
            print(app.current_event.json_body["email"], app.current_event.headers["X-Id"])
        """
    )
    assert flows(facts, "log") == {
        ("event-id", "messageId", at(text, "print(record")[0]),
        ("event", "body.total", at(text, "print(record")[0]),
        ("event", "body.email", at(text, "print(app")[0]),
        ("event", "headers.x-id", at(text, "print(app")[0]),
    }


# -- module state, comparisons, returns ------------------------------------------------------


def test_module_state_written_in_functions() -> None:
    facts, text = analyze(
        """
        from collections import defaultdict

        cache = {}
        seen = set()
        items = []
        config = dict()
        names = list()
        counts = defaultdict(int)
        CONSTANT = {"a": 1}
        rebound = {}
        rebound = None

        def handler(event, context):
            cache[event["id"]] = event
            seen.add(event["id"])
            items.append(1)
            config.update(a=1)
            config.setdefault("b", 2)
            counts[event["id"]] += 1
            names.extend(event["tags"])
            local = {}
            local["x"] = 1
            print(CONSTANT["a"])

        def helper():
            global items
            items = items + [1]
        """
    )
    got = {s.name: (s.kind, s.loc.line, [(fn, loc.line) for fn, loc in s.writes]) for s in facts.module_state}
    line = at(text, "cache[event")[0]
    assert got == {
        "cache": ("dict", at(text, "cache = {}")[0], [("handler", line)]),
        "seen": ("set", at(text, "seen = set()")[0], [("handler", line + 1)]),
        "items": ("list", at(text, "items = []")[0], [("handler", line + 2), ("helper", at(text, "items = items")[0])]),
        "config": ("dict", at(text, "config = dict()")[0], [("handler", line + 3), ("handler", line + 4)]),
        "counts": ("dict", at(text, "counts = defaultdict")[0], [("handler", line + 5)]),
        "names": ("list", at(text, "names = list()")[0], [("handler", line + 6)]),
    }
    assert facts.module_state[0].loc == span(text, "cache = {}")


def test_comparisons_plain_and_constant_time() -> None:
    facts, text = analyze(
        """
        import hmac
        import os
        import secrets

        def handler(event, context):
            if event["headers"]["x-token"] == os.environ["TOKEN"]:
                pass
            if event["kind"] != "order":
                pass
            ok = hmac.compare_digest(event["headers"]["x-sig"], os.environ["SIG"])
            also = secrets.compare_digest("a", "b")
            return {"statusCode": 200 if ok and also else 401}
        """
    )
    got = [(c.op, c.constant_time, c.loc.line, sorted(sources(c.left) | sources(c.right))) for c in facts.comparisons]
    line = at(text, "if event")[0]
    assert got == [
        ("==", False, line, [("env", "TOKEN"), ("event", "headers.x-token")]),
        ("!=", False, line + 2, [("event", "kind")]),
        ("compare_digest", True, line + 4, [("env", "SIG"), ("event", "headers.x-sig")]),
        ("compare_digest", True, line + 5, []),
    ]
    assert facts.comparisons[1].right.literal == "order"
    assert facts.comparisons[0].left.text == 'event["headers"]["x-token"]'
    assert [c.callee for c in named(facts, "crypto.compare")] == ["hmac.compare_digest", "secrets.compare_digest"]
    assert flows(facts, "response") == set()  # a comparison's outcome is not the compared data


def test_returns() -> None:
    facts, text = analyze(
        """
        import json
        from http import HTTPStatus

        def handler(event, context):
            if not event.get("body"):
                return {"statusCode": 400, "body": json.dumps({"error": "empty"})}
            if event["x"]:
                return {"statusCode": HTTPStatus.ACCEPTED}
            response = {"statusCode": 201, "headers": {}, "body": event["body"]}
            if event["y"]:
                return response
            return

        def helper():
            return {"a": 1}
        """
    )
    got = [(r.function, r.loc.line, r.status, r.keys, r.body.text if r.body else None) for r in facts.returns]
    line = at(text, "return {")[0]
    assert got == [
        ("handler", line, 400, ("statusCode", "body"), 'json.dumps({"error": "empty"})'),
        ("handler", line + 2, 202, ("statusCode",), None),
        ("handler", line + 5, 201, ("statusCode", "headers", "body"), 'event["body"]'),
        ("handler", line + 6, None, (), None),
        ("helper", at(text, 'return {"a"')[0], None, ("a",), None),
    ]
    assert facts.returns[0].value is not None and facts.returns[0].value.keys == ("statusCode", "body")
    assert facts.returns[0].loc == span(text, 'return {"statusCode": 400, "body": json.dumps({"error": "empty"})}')
    assert flows(facts, "response") == {("event", "body", line + 5)}


# -- entry points, functions, imports --------------------------------------------------------


def test_lambda_entry_points_and_functions() -> None:
    facts, text = analyze(
        """
        from lib.db import save_order as save
        import lib.notify as notify
        from . import helpers

        def handler(event, context):
            validate(event)
            save(event)
            notify.send(event)
            helpers.build(event)
            Service().run()

        async def async_handler(event, context):
            return await handler(event, context)

        def validate(event):
            def inner():
                pass
            inner()

        def _private(x):
            pass

        class Service:
            def run(self):
                self.step()

            def step(self):
                pass
        """
    )
    assert [(e.symbol, e.qualname, e.kind, e.loc.line, e.loc.column) for e in facts.entry_points] == [
        ("handler", "handler", "function", *at(text, "def handler")),
        ("async_handler", "async_handler", "function", *at(text, "async def async_handler")),
        ("validate", "validate", "function", *at(text, "def validate")),
        ("_private", "_private", "function", *at(text, "def _private")),
    ]
    assert facts.entry_points[0].loc == span(text, "def handler")
    functions = {f.qualname: f for f in facts.functions}
    assert functions["handler"].calls == ("validate", "save_order", "send", "build", "Service.run")
    assert functions["async_handler"].is_async and functions["async_handler"].calls == ("handler",)
    assert functions["validate"].calls == ("validate.inner",)
    assert functions["Service.run"].calls == ("Service.step",)
    assert functions["handler"].params == ("event", "context")
    assert functions["handler"].exported and not functions["_private"].exported
    assert not functions["Service.run"].exported
    reachable = Facts([facts], entry="handler")
    assert {f.qualname for f in reachable.functions()} == {
        "handler",
        "validate",
        "validate.inner",
        "Service.run",
        "Service.step",
    }


def test_imports() -> None:
    facts, text = analyze(
        """
        import os, boto3 as b
        import os.path
        from lib.db import save, load as fetch
        from . import helpers
        from ..shared.util import *
        """
    )
    got = [(i.module, i.names, i.loc.line, i.resolved) for i in facts.imports]
    assert got == [
        ("os", (("*", "os"),), 1, None),
        ("boto3", (("*", "b"),), 1, None),
        ("os.path", (("*", "os.path"),), 2, None),
        ("lib.db", (("save", "save"), ("load", "fetch")), 3, None),
        (".", (("helpers", "helpers"),), 4, None),
        ("..shared.util", (("*", "*"),), 5, None),
    ]
    assert facts.imports[2].loc == span(text, "import os.path")


# -- Python Workers --------------------------------------------------------------------------


def test_python_worker_entrypoint_env_and_bindings() -> None:
    facts, text = analyze(
        """
        from workers import Response, WorkerEntrypoint

        class Default(WorkerEntrypoint):
            async def fetch(self, request):
                secret = request.headers.get("X-Webhook-Secret")
                if secret != self.env.WEBHOOK_SECRET:
                    return Response("no", status=401)
                body = await request.json()
                await self.env.ORDERS.put(body["id"], "1", expirationTtl=60)
                row = await self.env.DB.prepare("SELECT * FROM t WHERE id = ?").bind(body["id"]).first()
                await self.env.QUEUE.send(body)
                print(self.env.REGION.strip())
                return Response.json({"row": row}, status=202)
        """
    )
    assert [(e.symbol, e.qualname, e.kind, e.methods) for e in facts.entry_points] == [
        ("default", "Default", "worker-entrypoint", ("fetch",))
    ]
    assert [(r.name, r.kind, r.via, r.guarded) for r in facts.env_reads] == [
        ("WEBHOOK_SECRET", "value", "worker-env", True),
        ("ORDERS", "binding", "worker-env", False),
        ("DB", "binding", "worker-env", False),
        ("QUEUE", "binding", "worker-env", False),
        ("REGION", "value", "worker-env", False),
    ]
    assert [(u.name, u.method, u.kind) for u in facts.binding_uses] == [
        ("ORDERS", "put", "kv"),
        ("DB", "prepare", "d1"),
        ("QUEUE", "send", "queue"),
    ]
    cf = [(c.name, c.callee, c.loc.line) for c in named(facts, "cf.")]
    line = at(text, "await self.env.ORDERS")[0]
    assert cf == [
        ("cf.kv.put", "env.ORDERS.put", line),
        ("cf.d1.exec", "env.DB.prepare.bind.first", line + 1),
        ("cf.queue.send", "env.QUEUE.send", line + 2),
    ]
    d1 = named(facts, "cf.d1")[0]
    assert attrs(d1) == {"binding": "DB", "sql": "SELECT * FROM t WHERE id = ?", "op": "first"}
    assert [sources(v) for v in d1.args] == [set(), {("event", "body.id")}]
    assert d1.loc == span(text, 'self.env.DB.prepare("SELECT * FROM t WHERE id = ?").bind(body["id"]).first()')
    cmp = facts.comparisons[0]
    assert sources(cmp.left) == {("event", "headers.x-webhook-secret")}
    assert sources(cmp.right) == {("env", "WEBHOOK_SECRET")}
    assert [(r.status, r.body.text if r.body else None) for r in facts.returns] == [(401, '"no"'), (202, '{"row": row}')]
    assert [p.of[0].name for p in facts.parses] == ["body"]
    assert flows(facts, "write") == {("event", "body.id", line), ("event", "body", line + 2)}
    assert flows(facts, "log") == {("env", "REGION", line + 3)}


def test_python_worker_legacy_on_fetch() -> None:
    facts, text = analyze(
        """
        from js import Response

        async def on_fetch(request, env):
            if env.API_KEY:
                return Response.new(env.API_KEY)
            value = await env.CACHE.get(request.url)
            return Response.new(value, status=200)
        """
    )
    assert [(e.symbol, e.qualname, e.kind) for e in facts.entry_points] == [
        ("on_fetch", "on_fetch", "function"),
        ("default", "on_fetch", "on-fetch"),
    ]
    assert [(r.name, r.kind, r.guarded) for r in facts.env_reads] == [
        ("API_KEY", "value", True),
        ("API_KEY", "value", True),
        ("CACHE", "binding", False),
    ]
    (get,) = named(facts, "cf.kv")
    assert get.name == "cf.kv.get" and sources(get.args[0]) == {("event", "url")}
    assert flows(facts, "response") == {("env", "API_KEY", at(text, "return Response.new(env")[0])}


def test_python_worker_twins_of_the_default_export_pairs() -> None:
    """test_pairs.py checks three Worker scenarios with entry="default"; as Python Workers they
    give the same answers through the class Default entry point."""
    facts, text = analyze(
        """
        from workers import Response, WorkerEntrypoint

        class Default(WorkerEntrypoint):
            async def fetch(self, request):
                if request.headers.get("x-webhook-secret") != self.env.WEBHOOK_SECRET:
                    return Response.json({"error": "bad"}, status=401)
                return Response.json({"key": self.env.API_KEY}, status=202)
        """
    )
    f = Facts([facts], entry="default")
    assert sorted(r.status for r in f.returns() if r.status is not None) == [202, 401]
    (cmp,) = f.comparisons()
    assert sources(cmp.left) | sources(cmp.right) == {("event", "headers.x-webhook-secret"), ("env", "WEBHOOK_SECRET")}
    assert [(fl.source.name, fl.loc.line) for fl in f.flows(source="env", sink="response")] == [
        ("API_KEY", at(text, "return Response.json({\"key\"")[0])
    ]


# -- calls between functions -----------------------------------------------------------------


def test_awaited_calls_and_returned_object_kinds() -> None:
    facts, text = analyze(
        """
        import asyncio
        import boto3

        def get_table():
            return boto3.resource("dynamodb").Table("orders")

        async def send(x):
            return x

        async def handler(event, context):
            await asyncio.gather(send(1), send(2))
            send(3)
            get_table().put_item(Item={"pk": event["id"]})
        """
    )
    sends = [(c.loc.line, c.loc.column, c.awaited) for c in facts.calls if c.callee == "send"]
    assert sends == [(*at(text, "send(1)"), True), (*at(text, "send(2)"), True), (*at(text, "send(3)"), False)]
    (put,) = named(facts, "aws.dynamodb.PutItem")  # get_table() returns a table
    assert put.callee == "boto3.resource.Table.put_item" and put.function == "handler"


# -- positions and errors --------------------------------------------------------------------


def test_columns_count_characters_not_bytes() -> None:
    facts, text = analyze(
        """
        import os

        def handler(event, context):
            message = "héllo wörld 😀"; value = os.environ["KEY"]
        """
    )
    (read,) = facts.env_reads
    line = text.splitlines()[read.loc.line - 1]
    assert line[read.loc.column - 1 : read.loc.end_column - 1] == 'os.environ["KEY"]'
    assert (read.loc.line, read.loc.column, read.loc.end_column) == (4, 40, 57)


def test_syntax_error_is_one_fatal_problem() -> None:
    facts = analyze_python(PATH, "import os\n\ndef handler(event:\n    return 1\n")
    assert not facts.parsed
    (problem,) = facts.syntax
    assert problem.fatal
    # CPython's parser names the unclosed bracket; libcst alone would say "line 4, column 1"
    assert (problem.loc.line, problem.loc.column) == (3, 12)
    assert problem.message == "invalid Python: '(' was never closed"
    assert facts.calls == [] and facts.functions == [] and facts.imports == [] and facts.entry_points == []


def test_syntax_errors_point_where_the_mistake_is() -> None:
    cases = {
        "def handler(event, context)\n    return {}\n": (1, 28, "expected ':'"),
        "x = 1\ny = 'abc\n": (2, 5, "unterminated string literal (detected at line 2)"),
        "x = " + "(" * 5000 + "1" + ")" * 5000 + "\n": (1, 205, "too many nested parentheses"),
    }
    for text, (line, column, message) in cases.items():
        (problem,) = analyze_python(PATH, text).syntax
        assert (problem.loc.line, problem.loc.column, problem.message) == (line, column, f"invalid Python: {message}")


def test_newer_syntax_than_this_interpreter_still_parses() -> None:
    # `type` aliases are Python 3.12; libcst accepts them whatever Python runs slsreview
    assert analyze_python(PATH, "type Id = int\n\ndef handler(event, context):\n    return 1\n").parsed


def test_text_the_parser_cannot_take_is_a_syntax_problem() -> None:
    facts = analyze_python(PATH, 'x = "\ud800"\n')  # a lone surrogate
    assert not facts.parsed and len(facts.syntax) == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n",
        "\ufeffimport os\n",
        "x = 1",
        "def f(): return\r\n",
        "lambda: (yield)\n",
        "x = " + " + ".join(["a"] * 200) + "\n",
        "match x:\n    case {'a': y, **rest} if y: pass\n    case [1, *others]: pass\n",
        "async def f():\n    async for x in y:\n        await x\n",
        "class A:\n    x: int\n    def f(self):\n        self.y = 1\n",
        "type Alias = list[int]\n",
    ],
)
def test_odd_but_valid_files_never_raise(text: str) -> None:
    analyze_python(PATH, text)


def test_spans_match_libcst_position_provider() -> None:
    """Positions come from a lighter code generation pass than libcst's PositionProvider; every
    node that pass records must sit exactly where PositionProvider puts it."""
    text = textwrap.dedent(
        '''
        import os, json  # comment

        @decorator(1)
        async def handler(event: dict, context) -> dict:
            """Docstring é."""
            try:
                x = [a for a in event["Records"] if a]
            except (KeyError, ValueError) as exc:
                raise RuntimeError("x") from exc
            finally:
                pass
            return {"statusCode": 200, **{"b": (1 + 2) * 3}} if x else f"{x!r:>{10}}"
        '''
    ).lstrip()
    module = libcst.parse_module(text)
    starts, ends = _Spans.of(module)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def line_col(offset: int) -> tuple[int, int]:
        line = max(i for i, s in enumerate(line_starts) if s <= offset)
        return line + 1, offset - line_starts[line]

    checked = 0
    for node, code_range in positions.items():
        if id(node) in starts:
            start, end = starts[id(node)], ends[id(node)]
            assert (line_col(start), line_col(end)) == (
                (code_range.start.line, code_range.start.column),
                (code_range.end.line, code_range.end.column),
            ), node
            checked += 1
    assert checked > 50


# -- AWS operations come from botocore's and boto3's models (slsreview.vocabulary.aws) ---------


def test_operation_names_come_from_botocore_not_from_the_method_name() -> None:
    facts, text = analyze(
        """
        import boto3
        rds = boto3.client("rds")
        invoicing = boto3.client("invoicing")
        def handler(event, context):
            rds.create_db_snapshot(DBSnapshotIdentifier="s", DBInstanceIdentifier="i")
            invoicing.get_invoice_pdf(InvoiceId="x")
            rds.generate_db_auth_token(DBHostname="h", Port=5432, DBUsername="u")
            rds.create_db_snapshots_please()
            rds.get_paginator("describe_db_snapshots").paginate()
        """
    )
    assert [(c.name, c.loc.line) for c in named(facts, "aws.")] == [
        ("aws.rds.CreateDBSnapshot", at(text, "rds.create_db_snapshot")[0]),  # not CreateDbSnapshot
        ("aws.invoicing.GetInvoicePDF", at(text, "invoicing.get")[0]),
        ("aws.rds.DescribeDBSnapshots", at(text, ".paginate()")[0]),
    ]
    # a local signer (no API call) and a name that is no operation are not AWS calls
    assert {c.callee for c in facts.calls if not c.name} >= {
        "boto3.client.generate_db_auth_token",
        "boto3.client.create_db_snapshots_please",
    }


def test_writes_are_what_iam_calls_writes() -> None:
    facts, _ = analyze(
        """
        import boto3
        bedrock = boto3.client("bedrock-runtime")
        cognito = boto3.client("cognito-idp")
        def handler(event, context):
            bedrock.invoke_model(modelId="m", body=event["body"])
            cognito.admin_add_user_to_group(UserPoolId="p", Username=event["user"], GroupName="g")
        """
    )
    writes = {f.call.name for f in Facts([facts]).flows(sink="write") if f.call is not None}
    assert writes == {"aws.cognito-idp.AdminAddUserToGroup"}  # InvokeModel is a Read in IAM


def test_boto3_resource_model_sub_resources_actions_collections_and_load() -> None:
    facts, text = analyze(
        """
        import boto3
        s3 = boto3.resource("s3")
        bucket = s3.Bucket("b")
        table = boto3.resource("dynamodb").Table("t")
        def handler(event, context):
            s3.Object("b", "k").put(Body=event["body"])
            for obj in bucket.objects.filter(Prefix="p/"):
                obj.delete()
            bucket.objects.all().delete()
            queue = boto3.resource("sqs").get_queue_by_name(QueueName="q")
            queue.send_message(MessageBody=event["body"])
            table.delete()
            table.load()
        """
    )
    assert [(c.name, c.callee) for c in named(facts, "aws.")] == [
        ("aws.s3.PutObject", "boto3.resource.Object.put"),
        ("aws.s3.ListObjects", "boto3.resource.Bucket.objects.filter"),
        ("aws.s3.DeleteObject", "obj.delete"),
        ("aws.s3.ListObjects", "boto3.resource.Bucket.objects.all"),
        ("aws.s3.DeleteObjects", "boto3.resource.Bucket.objects.all.delete"),
        ("aws.sqs.GetQueueUrl", "boto3.resource.get_queue_by_name"),
        ("aws.sqs.SendMessage", "boto3.resource.get_queue_by_name.send_message"),
        ("aws.dynamodb.DeleteTable", "boto3.resource.Table.delete"),  # the table, not an item
        ("aws.dynamodb.DescribeTable", "boto3.resource.Table.load"),
    ]
    assert at(text, "obj.delete")[0] == named(facts, "aws.s3.DeleteObject")[0].loc.line


def test_a_service_named_by_a_variable_calls_what_the_method_names() -> None:
    facts, _ = analyze(
        """
        import os, boto3
        client = boto3.client(os.environ["SERVICE"])
        typo = boto3.client("dynamo")
        def handler(event, context):
            client.put_item(TableName="t", Item={})
            typo.put_item(TableName="t", Item={})
            client.get_waiter("table_exists")
        """
    )
    assert [c.name for c in named(facts, "aws.")] == ["aws.*.PutItem", "aws.dynamo.PutItem"]
    assert aws_writes("aws.*.PutItem") and aws_writes("aws.dynamo.PutItem")
    assert not aws_writes("aws.*.GetItem")


def test_reading_a_boto3_resource_attribute_loads_it_but_identifiers_do_not() -> None:
    facts, _ = analyze(
        """
        import boto3
        ec2 = boto3.resource("ec2")
        s3 = boto3.resource("s3")

        def handler(event, context):
            eni = ec2.NetworkInterface(event["id"])
            obj = s3.Object("receipts", event["key"])
            print(eni.id, obj.key, obj.bucket_name)
            return eni.private_ip_address, obj.content_length
        """
    )
    loads = [(c.name, c.attr("load")) for c in facts.calls if c.name.startswith("aws.")]
    assert loads == [("aws.ec2.DescribeNetworkInterfaces", "private_ip_address"), ("aws.s3.HeadObject", "content_length")]
