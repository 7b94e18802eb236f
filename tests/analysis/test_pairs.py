"""The same scenario in Python and in JavaScript/TypeScript must yield the same facts.

Each scenario is written once per language; one language-neutral check runs against each. A
rule written against these facts then holds for both languages.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from slsreview.analysis import analyze_source
from slsreview.analysis.facts import Facts
from slsreview.vocabulary import (
    aws,
    events,
    http_clients,
    parsing,
    payments,
    powertools,
    sources,
    workers,
)
from slsreview.vocabulary.spelling import Absent, Side, Word


@dataclass
class Pair:
    name: str
    check: Callable[[Facts], None]
    python: str | None = None
    javascript: str | None = None
    typescript: str | None = None
    entry: str = "handler"  # the symbol the configuration names; `entries` overrides per language
    entries: dict[str, str] | None = None

    def entry_for(self, language: str) -> str:
        return (self.entries or {}).get(language, self.entry)


def sources_of(value) -> set[tuple[str, str]]:
    return {(s.kind, s.name) for s in value.sources}


def _dynamodb_random_key(f: Facts) -> None:
    assert f.defines("handler")
    (put,) = f.calls("aws.dynamodb.PutItem")
    item = put.kwarg("Item")
    assert item is not None
    assert any(kind == "random" for kind, _ in sources_of(item))
    assert "TABLE" in {r.name for r in f.env_reads()}


def _secret_to_log(f: Facts) -> None:
    flows = f.flows(source="env", sink="log", name="STRIPE_KEY")
    assert flows, "the env value must reach the log call"
    assert all(fl.call is not None and fl.call.name == "log" for fl in flows)


def _http_timeouts(f: Facts) -> None:
    calls = sorted(f.calls("http.request"), key=lambda c: c.loc.line)
    assert [c.attr("method") for c in calls] == ["POST", "GET"]
    assert calls[0].attr("has_timeout") is False
    assert calls[1].attr("has_timeout") is True
    assert calls[1].attr("timeout_seconds") == 5


def _idempotency_header(f: Facts) -> None:
    names = {(s.kind, s.name) for c in f.calls("aws.dynamodb.PutItem") for s in (c.kwarg("Item").sources if c.kwarg("Item") else ())}
    assert ("event-id", "headers.idempotency-key") in names


def _swallowed(f: Facts) -> None:
    (put,) = f.calls("aws.dynamodb.PutItem")
    block = f.try_block(put)
    assert block is not None and block.on_error == "swallow"


def _log_only(f: Facts) -> None:
    (send,) = f.calls("aws.sqs.SendMessage")
    block = f.try_block(send)
    assert block is not None and block.on_error == "log-only"


def _batch_failures(f: Facts) -> None:
    assert any("batchItemFailures" in r.keys for r in f.returns())
    (put,) = f.calls("aws.dynamodb.PutItem")
    block = f.try_block(put)
    assert block is not None and block.on_error == "record-failure"
    assert any(kind == "event-id" and name == "messageId" for kind, name in sources_of(put.kwarg("Item")))


def _response_headers(f: Facts) -> None:
    headers = [r.headers.literal for r in f.returns() if r.headers is not None]
    assert headers == [{"Access-Control-Allow-Origin": "*"}]


def _standard_library_request_without_timeout(f: Facts) -> None:
    (call,) = f.calls("http.request")
    assert (call.attr("method"), call.attr("has_timeout"), call.attr("timeout_seconds")) == ("GET", False, None)


def _status_codes(f: Facts) -> None:
    assert sorted(r.status for r in f.returns() if r.status is not None) == [202, 400]


def _non_constant_compare(f: Facts) -> None:
    (cmp,) = [c for c in f.comparisons() if not c.constant_time]
    sides = sources_of(cmp.left) | sources_of(cmp.right)
    assert ("env", "WEBHOOK_SECRET") in sides
    assert ("event", "headers.x-webhook-secret") in sides


def _constant_compare(f: Facts) -> None:
    assert [c.constant_time for c in f.comparisons()] == [True]
    assert f.calls("crypto.compare")


def _module_state(f: Facts) -> None:
    (state,) = f.module_state()
    assert state.name == "seen"
    assert state.writes and state.writes[0][0] == "handler"


def _seen_set(f: Facts) -> None:
    (state,) = f.module_state()
    assert [(a.op, a.function) for a in state.accesses] == [("check", "handler"), ("write", "handler")]
    for access in state.accesses:
        assert ("event-id", "messageId") in sources_of(access.key)


def _item_fields(f: Facts) -> None:
    (put,) = f.calls("aws.dynamodb.PutItem")
    item = put.kwarg("Item")
    assert item is not None
    assert [name for name, _ in item.fields] == ["pk", "createdAt", "amount"]
    assert {s.kind for s in item.field("pk") or ()} == {"random"}
    assert {s.kind for s in item.field("createdAt") or ()} == {"time"}
    assert {s.kind for s in item.field("amount") or ()} == {"event"}
    assert item.field("missing") is None


def _routes(f: Facts) -> None:
    routes = sorted((r.method, r.path) for r in f.routes())
    assert routes == [("GET", "/orders/{id}"), ("POST", "/orders")] or routes == [("GET", "/orders/:id"), ("POST", "/orders")]
    (put,) = f.calls("aws.dynamodb.PutItem")  # the POST handler's write is reachable
    post = next(r for r in f.routes() if r.method == "POST")
    assert post.handler == put.function or (post.handler is None and post.contains(put.loc))


def _method_guards(f: Facts) -> None:
    helper = next(c for c in f.calls() if c.callee.endswith("record_visit") or c.callee.endswith("recordVisit"))
    assert helper.methods == ("GET",)
    writes = sorted(f.calls("aws.dynamodb.PutItem"), key=lambda c: c.loc.line)
    assert [c.methods for c in writes] == [("POST",), ()]  # the helper's own write: its caller says


def _predicate_tests(f: Facts) -> None:
    from slsreview.analysis.triggers import predicate_methods

    writes = sorted(f.calls("aws.dynamodb.PutItem"), key=lambda c: c.loc.line)
    assert [c.tests for c in writes] == [("is_session_start",), ("is_session_start", "is_long"), ()] or [c.tests for c in writes] == [
        ("isSessionStart",),
        ("isSessionStart", "isLong"),
        (),
    ]
    # the predicate's returned method test says GET; the second one tests no method; the
    # write after both ifs is under neither
    assert [predicate_methods(c, f) for c in writes] == [{"GET"}, {"GET"}, set()]


def _fields_of_merged_places(f: Facts) -> None:
    names = {fl.source.name for fl in f.flows(sink="log")}
    assert names & {"amount", "body.amount"}
    assert not names & {"body", "event"}  # a field was logged, not the body or the event


def _json_unguarded(f: Facts) -> None:
    (parse,) = f.parses()
    assert not parse.guarded
    assert ("event", "body") in {(s.kind, s.name) for s in parse.of}


def _json_guarded(f: Facts) -> None:
    (parse,) = f.parses()
    assert parse.guarded


def _powertools_idempotent(f: Facts) -> None:
    (wrapper,) = f.wrappers("powertools.idempotent")
    assert wrapper.target == "handler"


def _log_event(f: Facts) -> None:
    flows = f.flows(source="event", sink="log")
    assert any(fl.source.name == "event" for fl in flows)


def _length_only(f: Facts) -> None:
    assert len(f.calls("log")) == 1 and not f.flows(sink="log")


def _no_secret(f: Facts) -> None:
    assert len(f.calls("log")) == 3 and not f.flows(source="secret")


def _decrypted_secrets(f: Facts) -> None:
    assert sorted(fl.source.name for fl in f.flows(source="secret", sink="log")) == ["/orders/api-key", "/orders/db-password"]


def _secret_manager_to_log(f: Facts) -> None:
    assert f.calls("aws.secretsmanager.GetSecretValue")
    assert f.flows(source="secret", sink="log")


def _env_to_response(f: Facts) -> None:
    assert any(fl.source.name == "API_KEY" for fl in f.flows(source="env", sink="response"))


def _payment_key(f: Facts) -> None:
    (create,) = f.calls("payment.create")
    key = create.kwarg("idempotency_key")
    assert key is not None
    assert ("event-id", "headers.idempotency-key") in sources_of(key)


def _entry_missing(f: Facts) -> None:
    assert not f.defines("handler")
    assert f.defines("other")


def _loops_around_tries(f: Facts) -> None:
    fallback, per_record, retry = sorted(f.tries(), key=lambda t: t.loc.line)
    assert per_record.loops == ("records",) and per_record.on_error == "log-only" and not per_record.continues
    assert retry.loops == ("records", "") and retry.on_error == "swallow"
    assert fallback.loops == ("records",) and fallback.continues  # the loop body goes on after it
    (helper,) = [c for c in f.calls() if c.callee.rsplit(".", 1)[-1] in ("fulfil_one", "fulfilOne")]
    assert helper.loops == ("records",) and helper.try_id is None
    (mapped,) = [c for c in f.calls() if c.callee.rsplit(".", 1)[-1] == "audit"]
    assert mapped.loops == ("records",)  # a comprehension / .map callback runs per record


def _queue_messages_loop(f: Facts) -> None:
    (block,) = f.tries()
    assert block.loops in (("messages",), ("records",))  # Python names a Workers batch like a Lambda one
    assert block.on_error == "log-only" and block.catches in ((), ("Exception",))


def _narrow_and_broad_catches(f: Facts) -> None:
    narrow, broad = sorted(f.tries(), key=lambda t: t.loc.line)
    assert narrow.on_error == "swallow" and broad.on_error == "record-failure"
    assert broad.catches in (("Exception",), ())  # a JavaScript catch names no type
    assert narrow.catches in (("ConditionalCheckFailedException",), ())


def _batch_failures_set_key_by_key(f: Facts) -> None:
    (ret,) = f.returns()
    assert "batchItemFailures" in ret.keys


def _explicit_credentials(f: Facts) -> None:
    calls = {c.name: c for c in f.calls("aws")}
    assert calls["aws.dynamodb.GetItem"].attr("credentials") == "explicit"  # a client given keys
    assert calls["aws.s3.GetObject"].attr("credentials") == "explicit"
    assert calls["aws.sqs.SendMessage"].attr("credentials") is None  # the function's own role


def _worker_subclass(f: Facts) -> None:
    # a class extending a Worker class of the same file is one too: its this.env is the env
    assert ("CACHE", "get") in {(u.name, u.method) for file in f.files for u in file.binding_uses}
    assert ("CACHE", "worker-env") in {(r.name, r.via) for file in f.files for r in file.env_reads}


def _env_handed_over(f: Facts) -> None:
    # passing env on means any binding may be read where it goes: a read of "*"
    assert any(r.name == "*" and r.via == "worker-env" and (r.function or "").endswith(".fetch") for r in f.env_reads())
    assert ("CACHE", "worker-env") in {(r.name, r.via) for r in f.env_reads()}


def _temp_files(f: Facts) -> None:
    (opened,) = [c for c in f.calls("fs.open", "fs.write") if c.args and c.callee not in ("tempfile.mkdtemp", "fs.mkdtempSync")]
    assert {"tmp", "event-id"} <= {s.kind for s in opened.args[0].sources}
    (removed,) = f.calls("fs.remove")
    assert "tmp" in {s.kind for s in removed.args[0].sources}
    (made,) = [c for c in f.calls() if c.callee in ("tempfile.mkdtemp", "fs.mkdtempSync")]
    assert made.name == "fs.write"


def _falls_through(f: Facts) -> None:
    ends = {fn.qualname.rsplit(".", 1)[-1]: fn.falls_through for fn in f.functions()}
    assert ends["handler"] is True  # an unknown method reaches the end
    assert ends["answer"] is False  # every path returns or raises
    routes = [c for c in f.comparisons() if any(s.name.lower().endswith("method") for s in c.left.sources)]
    assert {c.right.literal for c in routes} == {"GET", "POST"}


PAIRS = [
    Pair(
        "dynamodb-put-with-random-key",
        _dynamodb_random_key,
        python="""
        import os
        import uuid
        import boto3

        table = boto3.resource("dynamodb").Table(os.environ["TABLE"])

        def handler(event, context):
            for record in event["Records"]:
                table.put_item(Item={"pk": str(uuid.uuid4()), "body": record["body"]})
        """,
        javascript="""
        import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
        import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
        import { randomUUID } from "node:crypto";

        const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));

        export const handler = async (event) => {
          for (const record of event.Records) {
            await doc.send(new PutCommand({ TableName: process.env.TABLE, Item: { pk: randomUUID(), body: record.body } }));
          }
        };
        """,
        typescript="""
        import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
        import { v4 as uuidv4 } from "uuid";
        import type { SQSEvent } from "aws-lambda";

        const client = new DynamoDBClient({});
        const TABLE: string = process.env.TABLE!;

        export async function handler(event: SQSEvent): Promise<void> {
          for (const record of event.Records) {
            const id: string = uuidv4();
            await client.send(new PutItemCommand({ TableName: TABLE, Item: { pk: { S: id } } }));
          }
        }
        """,
    ),
    Pair(
        "env-secret-reaches-log",
        _secret_to_log,
        python="""
        import logging
        import os

        logger = logging.getLogger(__name__)
        KEY = os.environ["STRIPE_KEY"]

        def handler(event, context):
            logger.info("using key %s", KEY)
            return {"statusCode": 200}
        """,
        javascript="""
        exports.handler = async (event) => {
          const key = process.env.STRIPE_KEY;
          console.log(`using key ${key}`);
          return { statusCode: 200 };
        };
        """,
    ),
    Pair(
        "http-with-and-without-timeout",
        _http_timeouts,
        python="""
        import requests

        def handler(event, context):
            requests.post("https://api.example.com/orders", json={"a": 1})
            return requests.get("https://api.example.com/health", timeout=5).status_code
        """,
        javascript="""
        export const handler = async () => {
          await fetch("https://api.example.com/orders", { method: "POST", body: "{}" });
          const res = await fetch("https://api.example.com/health", { signal: AbortSignal.timeout(5000) });
          return res.status;
        };
        """,
    ),
    Pair(
        "idempotency-key-header-as-item-key",
        _idempotency_header,
        python="""
        import boto3

        table = boto3.resource("dynamodb").Table("orders")

        def handler(event, context):
            key = event["headers"]["idempotency-key"]
            table.put_item(Item={"pk": key}, ConditionExpression="attribute_not_exists(pk)")
        """,
        javascript="""
        const { DynamoDBClient, PutItemCommand } = require("@aws-sdk/client-dynamodb");
        const client = new DynamoDBClient({});

        module.exports.handler = async (event) => {
          const key = event.headers["idempotency-key"];
          await client.send(new PutItemCommand({ TableName: "orders", Item: { pk: { S: key } }, ConditionExpression: "attribute_not_exists(pk)" }));
        };
        """,
    ),
    Pair(
        "exception-swallowed",
        _swallowed,
        python="""
        import boto3

        table = boto3.resource("dynamodb").Table("orders")

        def handler(event, context):
            try:
                table.put_item(Item={"pk": "x"})
            except Exception:
                pass
        """,
        javascript="""
        import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
        const doc = DynamoDBDocumentClient.from(client);

        export const handler = async () => {
          try {
            await doc.send(new PutCommand({ TableName: "orders", Item: { pk: "x" } }));
          } catch (err) {}
        };
        """,
    ),
    Pair(
        "exception-only-logged",
        _log_only,
        python="""
        import logging
        import boto3

        sqs = boto3.client("sqs")
        log = logging.getLogger()

        def handler(event, context):
            try:
                sqs.send_message(QueueUrl="u", MessageBody="b")
            except Exception as exc:
                log.error("send failed: %s", exc)
        """,
        javascript="""
        import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";
        const sqs = new SQSClient({});

        export const handler = async () => {
          try {
            await sqs.send(new SendMessageCommand({ QueueUrl: "u", MessageBody: "b" }));
          } catch (err) {
            console.error("send failed", err);
          }
        };
        """,
    ),
    Pair(
        "partial-batch-response",
        _batch_failures,
        python="""
        import boto3

        table = boto3.resource("dynamodb").Table("orders")

        def handler(event, context):
            failures = []
            for record in event["Records"]:
                try:
                    table.put_item(Item={"pk": record["messageId"]})
                except Exception:
                    failures.append({"itemIdentifier": record["messageId"]})
            return {"batchItemFailures": failures}
        """,
        javascript="""
        import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
        const doc = DynamoDBDocumentClient.from(client);

        export const handler = async (event) => {
          const batchItemFailures = [];
          for (const record of event.Records) {
            try {
              await doc.send(new PutCommand({ TableName: "orders", Item: { pk: record.messageId } }));
            } catch (e) {
              batchItemFailures.push({ itemIdentifier: record.messageId });
            }
          }
          return { batchItemFailures };
        };
        """,
    ),
    Pair(
        "status-codes",
        _status_codes,
        python="""
        import json

        def handler(event, context):
            if not event.get("body"):
                return {"statusCode": 400, "body": json.dumps({"error": "empty"})}
            return {"statusCode": 202, "body": event["body"]}
        """,
        javascript="""
        export default {
          async fetch(request, env) {
            if (request.method !== "POST") {
              return Response.json({ error: "bad" }, { status: 400 });
            }
            return new Response("ok", { status: 202 });
          },
        };
        """,
        entries={"javascript": "default", "typescript": "default"},
    ),
    Pair(
        "secret-compared-with-equals",
        _non_constant_compare,
        python="""
        import os

        def handler(event, context):
            if event["headers"].get("x-webhook-secret") != os.environ["WEBHOOK_SECRET"]:
                return {"statusCode": 401}
            return {"statusCode": 200}
        """,
        javascript="""
        export default {
          async fetch(request, env) {
            if (request.headers.get("x-webhook-secret") !== env.WEBHOOK_SECRET) {
              return new Response("no", { status: 401 });
            }
            return new Response("ok");
          },
        };
        """,
        entries={"javascript": "default", "typescript": "default"},
    ),
    Pair(
        "secret-compared-in-constant-time",
        _constant_compare,
        python="""
        import hmac
        import os

        def handler(event, context):
            ok = hmac.compare_digest(event["headers"]["x-sig"], os.environ["SIG"])
            return {"statusCode": 200 if ok else 401}
        """,
        javascript="""
        import crypto from "node:crypto";

        export const handler = async (event) => {
          const ok = crypto.timingSafeEqual(Buffer.from(event.headers["x-sig"]), Buffer.from(process.env.SIG));
          return { statusCode: ok ? 200 : 401 };
        };
        """,
    ),
    Pair(
        "module-level-state-written-in-handler",
        _module_state,
        python="""
        seen = set()

        def handler(event, context):
            seen.add(event["id"])
        """,
        javascript="""
        const seen = new Set();

        export const handler = async (event) => {
          seen.add(event.id);
        };
        """,
    ),
    Pair(
        "module-level-seen-set-checked-and-written-with-the-message-id",
        _seen_set,
        python="""
        seen = set()

        def handler(event, context):
            for record in event["Records"]:
                if record["messageId"] in seen:
                    continue
                seen.add(record["messageId"])
        """,
        javascript="""
        const seen = new Set();

        export const handler = async (event) => {
          for (const record of event.Records) {
            if (seen.has(record.messageId)) continue;
            seen.add(record.messageId);
          }
        };
        """,
        typescript="""
        import type { SQSEvent } from "aws-lambda";

        const seen = new Map<string, boolean>();

        export async function handler(event: SQSEvent): Promise<void> {
          for (const record of event.Records) {
            if (seen.get(record.messageId)) continue;
            seen.set(record.messageId, true);
          }
        }
        """,
    ),
    Pair(
        "item-fields-through-a-name",
        _item_fields,
        python="""
        import json
        import time
        import uuid
        import boto3

        table = boto3.resource("dynamodb").Table("ledger")

        def handler(event, context):
            for record in event["Records"]:
                item = {"pk": str(uuid.uuid4()), "createdAt": int(time.time()), "amount": json.loads(record["body"])["amount"]}
                table.put_item(Item=item)
        """,
        javascript="""
        import { randomUUID } from "node:crypto";
        import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
        const doc = DynamoDBDocumentClient.from(client);

        export const handler = async (event) => {
          for (const record of event.Records) {
            const item = { pk: randomUUID(), createdAt: Date.now(), amount: JSON.parse(record.body).amount };
            await doc.send(new PutCommand({ TableName: "ledger", Item: item }));
          }
        };
        """,
    ),
    Pair(
        "router-registrations",
        _routes,
        python="""
        import boto3
        from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

        app = APIGatewayHttpResolver()
        table = boto3.resource("dynamodb").Table("orders")

        @app.post("/orders")
        def create_order():
            table.put_item(Item={"pk": app.current_event.json_body["id"]})
            return {"ok": True}

        @app.get("/orders/{id}")
        def read_order(id):
            return table.get_item(Key={"pk": id})

        def handler(event, context):
            return app.resolve(event, context)
        """,
        typescript="""
        import { Hono } from "hono";
        import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
        import { handle } from "hono/aws-lambda";

        const doc = DynamoDBDocumentClient.from(client);
        const app = new Hono();

        app.post("/orders", async (c) => {
          const body = await c.req.json();
          await doc.send(new PutCommand({ TableName: "orders", Item: { pk: body.id } }));
          return c.json({ ok: true });
        });
        app.get("/orders/:id", async (c) => c.json({ id: c.req.param("id") }));

        export const handler = handle(app);
        """,
    ),
    Pair(
        "calls-under-a-request-method-test",
        _method_guards,
        python="""
        import uuid
        import boto3

        table = boto3.resource("dynamodb").Table("visits")

        def handler(event, context):
            if event["requestContext"]["http"]["method"] == "GET":
                return record_visit()
            if event["requestContext"]["http"]["method"] == "POST":
                table.put_item(Item={"pk": event["body"]})

        def record_visit():
            table.put_item(Item={"pk": str(uuid.uuid4())})
        """,
        javascript="""
        import { randomUUID } from "node:crypto";
        import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
        const doc = DynamoDBDocumentClient.from(client);

        export const handler = async (event) => {
          if (event.requestContext.http.method === "GET") {
            return recordVisit();
          }
          if (event.requestContext.http.method === "POST") {
            await doc.send(new PutCommand({ TableName: "visits", Item: { pk: event.body } }));
          }
        };

        async function recordVisit() {
          await doc.send(new PutCommand({ TableName: "visits", Item: { pk: randomUUID() } }));
        }
        """,
    ),
    Pair(
        "calls-under-a-local-predicate",
        _predicate_tests,
        python="""
        import uuid
        import boto3

        table = boto3.resource("dynamodb").Table("visits")

        def is_session_start(event):
            return event["requestContext"]["http"]["method"] == "GET" and event["rawPath"] == "/start"

        def is_long(event):
            return len(event["rawPath"]) > 10

        def handler(event, context):
            if is_session_start(event):
                table.put_item(Item={"pk": str(uuid.uuid4())})
                if is_long(event):
                    table.put_item(Item={"pk": str(uuid.uuid4()), "long": True})
            table.put_item(Item={"pk": event["body"]})
        """,
        javascript="""
        import { randomUUID } from "node:crypto";
        import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
        const doc = DynamoDBDocumentClient.from(client);

        function isSessionStart(event) {
          return event.requestContext.http.method === "GET" && event.rawPath === "/start";
        }
        const isLong = (event) => event.rawPath.length > 10;

        export const handler = async (event) => {
          if (isSessionStart(event)) {
            await doc.send(new PutCommand({ TableName: "visits", Item: { pk: randomUUID() } }));
            if (isLong(event)) {
              await doc.send(new PutCommand({ TableName: "visits", Item: { pk: randomUUID(), long: true } }));
            }
          }
          await doc.send(new PutCommand({ TableName: "visits", Item: { pk: event.body } }));
        };
        """,
    ),
    Pair(
        "fields-of-a-value-that-holds-two-event-places",
        _fields_of_merged_places,
        python="""
        import json

        def handler(event, context):
            body = event.get("body")
            if body:
                body = json.loads(body)
            else:
                body = event
            amount = body.get("amount", 0)
            print(f"amount {amount}")
            print(body["amount"])
        """,
        javascript="""
        export const handler = async (event) => {
          let body = event.body;
          if (body) {
            body = JSON.parse(body);
          } else {
            body = event;
          }
          console.log(`amount ${body.amount}`);
        };
        """,
    ),
    Pair(
        "json-parse-unguarded",
        _json_unguarded,
        python="""
        import json

        def handler(event, context):
            body = json.loads(event["body"])
            return {"statusCode": 200, "body": json.dumps(body)}
        """,
        javascript="""
        export const handler = async (event) => {
          const body = JSON.parse(event.body);
          return { statusCode: 200, body: JSON.stringify(body) };
        };
        """,
    ),
    Pair(
        "json-parse-guarded",
        _json_guarded,
        python="""
        import json

        def handler(event, context):
            try:
                body = json.loads(event["body"])
            except json.JSONDecodeError:
                return {"statusCode": 400}
            return {"statusCode": 200, "body": json.dumps(body)}
        """,
        javascript="""
        export const handler = async (event) => {
          let body;
          try {
            body = JSON.parse(event.body);
          } catch {
            return { statusCode: 400 };
          }
          return { statusCode: 200, body: JSON.stringify(body) };
        };
        """,
    ),
    Pair(
        "powertools-idempotent",
        _powertools_idempotent,
        python="""
        from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent

        persistence = DynamoDBPersistenceLayer(table_name="idem")

        @idempotent(persistence_store=persistence)
        def handler(event, context):
            return {"statusCode": 200}
        """,
        javascript="""
        import { makeIdempotent } from "@aws-lambda-powertools/idempotency";
        import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";

        const persistenceStore = new DynamoDBPersistenceLayer({ tableName: "idem" });

        export const handler = makeIdempotent(async (event) => ({ statusCode: 200 }), { persistenceStore });
        """,
    ),
    Pair(
        "whole-event-logged",
        _log_event,
        python="""
        import json

        def handler(event, context):
            print(json.dumps(event))
        """,
        javascript="""
        export const handler = async (event) => {
          console.log(JSON.stringify(event));
        };
        """,
    ),
    Pair(
        "secrets-manager-value-logged",
        _secret_manager_to_log,
        python="""
        import boto3

        client = boto3.client("secretsmanager")

        def handler(event, context):
            secret = client.get_secret_value(SecretId="prod/stripe")["SecretString"]
            print("loaded", secret)
        """,
        javascript="""
        import { SecretsManagerClient, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
        const sm = new SecretsManagerClient({});

        export const handler = async () => {
          const { SecretString } = await sm.send(new GetSecretValueCommand({ SecretId: "prod/stripe" }));
          console.log("loaded", SecretString);
        };
        """,
    ),
    Pair(
        "plain-ssm-parameter-is-no-secret",
        _no_secret,
        python="""
        import boto3
        from aws_lambda_powertools.utilities.parameters import get_parameter

        ssm = boto3.client("ssm")

        def handler(event, context):
            print(ssm.get_parameter(Name="/orders/region")["Parameter"]["Value"])
            print(ssm.get_parameter(Name="/orders/stage", WithDecryption=False))
            print(get_parameter("/orders/table"))
        """,
        javascript="""
        import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";
        import { getParameter } from "@aws-lambda-powertools/parameters/ssm";
        const ssm = new SSMClient({});

        export const handler = async () => {
          console.log((await ssm.send(new GetParameterCommand({ Name: "/orders/region" }))).Parameter.Value);
          console.log(await ssm.send(new GetParameterCommand({ Name: "/orders/stage", WithDecryption: false })));
          console.log(await getParameter("/orders/table"));
        };
        """,
    ),
    Pair(
        "decrypted-ssm-parameter-is-a-secret",
        _decrypted_secrets,
        python="""
        import boto3
        from aws_lambda_powertools.utilities.parameters import get_parameter

        ssm = boto3.client("ssm")

        def handler(event, context):
            print(ssm.get_parameter(Name="/orders/api-key", WithDecryption=True))
            print(get_parameter("/orders/db-password", decrypt=True))
        """,
        javascript="""
        import { SSMClient, GetParameterCommand } from "@aws-sdk/client-ssm";
        import { getParameter } from "@aws-lambda-powertools/parameters/ssm";
        const ssm = new SSMClient({});

        export const handler = async () => {
          console.log(await ssm.send(new GetParameterCommand({ Name: "/orders/api-key", WithDecryption: true })));
          console.log(await getParameter("/orders/db-password", { decrypt: true }));
        };
        """,
    ),
    Pair(
        "a-secrets-length-is-no-secret",
        _length_only,
        python="""
        import json
        import os

        def handler(event, context):
            body = json.loads(event["body"])
            print("key", len(os.environ["API_KEY"]), "email", len(body["email"]))
        """,
        javascript="""
        export const handler = async (event) => {
          const body = JSON.parse(event.body);
          console.log("key", process.env.API_KEY.length, "email", body.email.length);
        };
        """,
    ),
    Pair(
        "env-value-in-response",
        _env_to_response,
        python="""
        import json
        import os

        def handler(event, context):
            return {"statusCode": 200, "body": json.dumps({"key": os.environ["API_KEY"]})}
        """,
        javascript="""
        export default {
          async fetch(request, env) {
            return Response.json({ key: env.API_KEY });
          },
        };
        """,
        entries={"javascript": "default", "typescript": "default"},
    ),
    Pair(
        "payment-with-idempotency-key",
        _payment_key,
        python="""
        import stripe

        def handler(event, context):
            key = event["headers"]["idempotency-key"]
            stripe.PaymentIntent.create(amount=100, currency="usd", idempotency_key=key)
        """,
        javascript="""
        import Stripe from "stripe";
        const stripe = new Stripe(process.env.STRIPE_KEY);

        export const handler = async (event) => {
          const key = event.headers["idempotency-key"];
          await stripe.paymentIntents.create({ amount: 100, currency: "usd" }, { idempotencyKey: key });
        };
        """,
    ),
    Pair(
        "response-headers-beside-a-computed-body",
        _response_headers,
        python="""
        import json

        def handler(event, context):
            return {"statusCode": 200, "headers": {"Access-Control-Allow-Origin": "*"}, "body": json.dumps(event)}
        """,
        javascript="""
        export const handler = async (event) => ({
          statusCode: 200,
          headers: { "Access-Control-Allow-Origin": "*" },
          body: JSON.stringify(event),
        });
        """,
        typescript="""
        export default {
          async fetch(request: Request): Promise<Response> {
            return Response.json({ url: request.url }, { headers: { "Access-Control-Allow-Origin": "*" } });
          },
        };
        """,
        entries={"typescript": "default"},
    ),
    Pair(
        "standard-library-request-without-timeout",
        _standard_library_request_without_timeout,
        python="""
        import http.client

        def handler(event, context):
            conn = http.client.HTTPSConnection("rates.example.com")
            conn.request("GET", "/v1/daily")
            return conn.getresponse().read()
        """,
        javascript="""
        import https from "node:https";

        export const handler = async () =>
          new Promise((resolve) => https.get("https://rates.example.com/v1/daily", resolve));
        """,
    ),
    Pair(
        "temporary-files-written-and-removed",
        _temp_files,
        python="""
        import os
        import tempfile

        def handler(event, context):
            work = tempfile.mkdtemp()
            path = os.path.join("/tmp", event["id"] + ".pdf")
            with open(path, "wb") as out:
                out.write(b"%PDF")
            os.remove(path)
            return work
        """,
        javascript="""
        import fs from "node:fs";
        import os from "node:os";
        import path from "node:path";

        export const handler = async (event) => {
          const work = fs.mkdtempSync(path.join(os.tmpdir(), "job-"));
          const file = `/tmp/${event.id}.pdf`;
          fs.writeFileSync(file, "%PDF");
          fs.unlinkSync(file);
          return work;
        };
        """,
    ),
    Pair(
        "route-handler-falls-through",
        _falls_through,
        python="""
        def answer(status):
            if status >= 500:
                raise RuntimeError(status)
            else:
                return {"statusCode": status}

        def handler(event, context):
            method = event["requestContext"]["http"]["method"]
            if method == "GET":
                return answer(200)
            elif method == "POST":
                return answer(201)
        """,
        javascript="""
        const answer = (status) => {
          if (status >= 500) {
            throw new Error(String(status));
          } else {
            return { statusCode: status };
          }
        };

        export const handler = async (event) => {
          const method = event.requestContext.http.method;
          if (method === "GET") {
            return answer(200);
          } else if (method === "POST") {
            return answer(201);
          }
        };
        """,
    ),
    Pair(
        "configured-entry-point-absent",
        _entry_missing,
        python="""
        def other(event, context):
            return None
        """,
        javascript="""
        export const other = async () => null;
        """,
    ),
    Pair(
        "loops-around-tries-and-calls",
        _loops_around_tries,
        python="""
        import logging

        log = logging.getLogger()

        def handler(event, context):
            for record in event["Records"]:
                try:
                    extra = lookup(record["body"])
                except Exception:
                    extra = None
                try:
                    fulfil(record["body"], extra)
                except Exception:
                    log.exception("failed")
            for record in event["Records"]:
                for attempt in range(3):
                    try:
                        notify(record["body"])
                        break
                    except Exception:
                        pass
                fulfil_one(record)
            return [audit(r) for r in event["Records"]]
        """,
        javascript="""
        export const handler = async (event) => {
          for (const record of event.Records) {
            let extra;
            try {
              extra = await lookup(record.body);
            } catch {
              extra = null;
            }
            try {
              await fulfil(record.body, extra);
            } catch (err) {
              console.error("failed", err);
            }
          }
          for (const record of event.Records) {
            for (let attempt = 0; attempt < 3; attempt++) {
              try {
                await notify(record.body);
                break;
              } catch {}
            }
            await fulfilOne(record);
          }
          return event.Records.map((r) => audit(r));
        };
        """,
    ),
    Pair(
        "workers-queue-messages-loop",
        _queue_messages_loop,
        entry="default",
        python="""
        from workers import WorkerEntrypoint

        class Default(WorkerEntrypoint):
            async def queue(self, batch, env, ctx):
                for message in batch.messages:
                    try:
                        await env.DB.prepare("INSERT INTO t VALUES (?)").bind(message.body).run()
                    except Exception as exc:
                        print("failed", exc)
        """,
        typescript="""
        export default {
          async queue(batch: MessageBatch, env: Env): Promise<void> {
            for (const message of batch.messages) {
              try {
                await env.DB.prepare("INSERT INTO t VALUES (?)").bind(message.body).run();
              } catch (err) {
                console.error("failed", err);
              }
            }
          },
        };
        """,
    ),
    Pair(
        "narrow-and-broad-catches",
        _narrow_and_broad_catches,
        python="""
        import boto3

        table = boto3.resource("dynamodb").Table("orders")

        def handler(event, context):
            failures = []
            for record in event["Records"]:
                try:
                    table.put_item(Item={"pk": record["messageId"]}, ConditionExpression="attribute_not_exists(pk)")
                except table.meta.client.exceptions.ConditionalCheckFailedException:
                    continue
                try:
                    ship(record)
                except Exception:
                    failures.append({"itemIdentifier": record["messageId"]})
            return {"batchItemFailures": failures}
        """,
        javascript="""
        export const handler = async (event) => {
          const failures = [];
          for (const record of event.Records) {
            try {
              await put(record);
            } catch (err) {
              continue;
            }
            try {
              await ship(record);
            } catch (err) {
              failures.push({ itemIdentifier: record.messageId });
            }
          }
          return { batchItemFailures: failures };
        };
        """,
    ),
    Pair(
        "partial-batch-response-built-key-by-key",
        _batch_failures_set_key_by_key,
        python="""
        def handler(event, context):
            response = {}
            response["batchItemFailures"] = []
            return response
        """,
        javascript="""
        export const handler = async (event) => {
          const response = {};
          response.batchItemFailures = [];
          return response;
        };
        """,
    ),
    Pair(
        "aws-client-with-explicit-credentials",
        _explicit_credentials,
        python=(
            "import boto3\n"
            "def handler(event, context):\n"
            "    session = boto3.Session(aws_access_key_id=event['key'], aws_secret_access_key=event['secret'])\n"
            "    session.client('dynamodb').get_item(TableName='t', Key={})\n"
            "    boto3.client('s3', aws_access_key_id=event['key']).get_object(Bucket='b', Key='k')\n"
            "    boto3.client('sqs').send_message(QueueUrl='q', MessageBody='m')\n"
        ),
        javascript=(
            'import { DynamoDBClient, GetItemCommand } from "@aws-sdk/client-dynamodb";\n'
            'import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";\n'
            'import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";\n'
            "export const handler = async (event) => {\n"
            "  const credentials = { accessKeyId: event.key, secretAccessKey: event.secret };\n"
            '  await new DynamoDBClient({ credentials }).send(new GetItemCommand({ TableName: "t", Key: {} }));\n'
            '  await new S3Client({ region: "eu-west-1", credentials }).send(new GetObjectCommand({ Bucket: "b", Key: "k" }));\n'
            '  await new SQSClient({}).send(new SendMessageCommand({ QueueUrl: "q", MessageBody: "m" }));\n'
            "};\n"
        ),
    ),
    Pair(
        "worker-class-extending-a-local-worker-class",
        _worker_subclass,
        python=(
            "from workers import WorkerEntrypoint\n"
            "class Base(WorkerEntrypoint):\n"
            "    async def fetch(self, request):\n"
            "        return None\n"
            "class Default(Base):\n"
            "    async def read(self, key):\n"
            "        return await self.env.CACHE.get(key)\n"
        ),
        javascript=(
            'import { WorkerEntrypoint } from "cloudflare:workers";\n'
            "class Base extends WorkerEntrypoint {\n"
            "  async fetch(request) { return new Response(null); }\n"
            "}\n"
            "export default class Api extends Base {\n"
            "  async read(key) { return this.env.CACHE.get(key); }\n"
            "}\n"
        ),
        entry="default",
    ),
    Pair(
        "worker-env-handed-to-other-code",
        _env_handed_over,
        python=(
            "from workers import WorkerEntrypoint\n"
            "from lib import route\n"
            "class Default(WorkerEntrypoint):\n"
            "    async def fetch(self, request):\n"
            "        await self.env.CACHE.get('k')\n"
            "        return await route(request, self.env)\n"
        ),
        javascript=(
            'import { route } from "./lib.js";\n'
            "export default {\n"
            "  async fetch(request, env) {\n"
            '    await env.CACHE.get("k");\n'
            "    return route(request, env);\n"
            "  },\n"
            "};\n"
        ),
        entry="default",
    ),
]

# -- The vocabulary, word by word: each word both analyzers know is recognised in both ----------
#
# Generated from slsreview/vocabulary/: a word with a spelling in each language gets a pair, so a
# word added to the vocabulary is tested in both languages without a new scenario. Words only one
# analyzer knows (their other column ABSENT) are pinned in test_vocabulary_words.py instead.


def _log_level(level: str) -> Callable[[Facts], None]:
    def check(f: Facts) -> None:
        assert [(c.name, c.attr("level")) for c in f.calls("log")] == [("log", level)]
        assert [fl.source.name for fl in f.flows(source="event", sink="log")] == ["body"]

    return check


def _source_word(kind: str, name: str) -> Callable[[Facts], None]:
    def check(f: Facts) -> None:
        assert [(fl.source.kind, fl.source.name) for fl in f.flows(sink="log")] == [(kind, name)]

    return check


def _event_id(name: str) -> Callable[[Facts], None]:
    def check(f: Facts) -> None:
        assert ("event-id", name) in {(fl.source.kind, fl.source.name) for fl in f.flows(sink="log")}

    return check


def _binding_call(kind: str, call: str, binding: str) -> Callable[[Facts], None]:
    def check(f: Facts) -> None:
        assert {u.kind for u in f.bindings_used()[binding]} == {kind}
        assert [c.attr("binding") for c in f.calls(call)] == [binding]

    return check


def _hyperdrive(prop: str) -> Callable[[Facts], None]:
    def check(f: Facts) -> None:
        assert [(u.kind, u.method) for u in f.bindings_used()["HYPERDRIVE"]] == [("hyperdrive", prop)]
        assert ("binding", f"HYPERDRIVE.{prop}") in {(fl.source.kind, fl.source.name) for fl in f.flows(sink="log")}

    return check


def _worker_class(f: Facts) -> None:
    entry = f.entry("default")
    assert entry is not None and entry.kind == "worker-entrypoint"
    assert "fetch" in entry.methods


def _wrapper(name: str) -> Callable[[Facts], None]:
    def check(f: Facts) -> None:
        assert f.wrappers(name), [w.name for w in f.wrappers()]

    return check


def _vocabulary_pairs() -> list[Pair]:
    from slsreview.vocabulary import logs, powertools, sources, workers
    from slsreview.vocabulary.spelling import Absent

    pairs = []
    for method, row in logs.LOG_METHODS.items():
        if isinstance(row.python, str) and row.python == row.javascript:
            pairs.append(
                Pair(
                    f"log-level-{method}",
                    _log_level(row.python),
                    python=f"import logging\nlogger = logging.getLogger()\ndef handler(event, context):\n    logger.{method}(event['body'])\n",
                    javascript=f'import pino from "pino";\nconst logger = pino();\nexport const handler = async (event) => {{ logger.{method}(event.body); }};\n',
                )
            )
    for kind, words in (("random", sources.RANDOM), ("time", sources.TIME)):
        for word in words:
            if not (word.python and word.javascript):
                continue
            (py,) = word.python
            (js,) = word.javascript
            pairs.append(
                Pair(
                    f"{kind}-{word.name}",
                    _source_word(kind, word.name),
                    python=f"import js\nfrom workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        print({py}())\n",
                    javascript=f"export default {{ async fetch(request, env) {{ console.log({js}()); }} }};\n",
                    entry="default",
                )
            )
    places = {  # how each language reads an identifier inside one record of a batch, or the event
        "messageId": ('record["messageId"]', "record.messageId"),
        "eventID": ('record["eventID"]', "record.eventID"),
        "id": ('event["id"]', "event.id"),
        "s3.key": ('record["s3"]["object"]["key"]', "record.s3.object.key"),
        "headers.idempotency-key": ('event["headers"]["Idempotency-Key"]', 'event.headers["Idempotency-Key"]'),
    }
    from slsreview.vocabulary import events

    for entry in events.EVENT_IDS:  # headers are read by their canonical spelling
        if isinstance(entry.python, str) and entry.python.startswith("headers.") and entry.python not in places:
            header = "-".join(part.capitalize() for part in entry.python.split(".", 1)[1].split("-"))
            places[entry.python] = (f'event["headers"]["{header}"]', f'event.headers["{header}"]')
    for entry in events.EVENT_IDS:
        if isinstance(entry.python, str) and entry.python == entry.javascript:
            py_read, js_read = places[entry.python]
            pairs.append(
                Pair(
                    f"event-id-{entry.python}",
                    _event_id(entry.python),
                    python=f'def handler(event, context):\n    for record in event["Records"]:\n        print({py_read})\n',
                    javascript=f"export const handler = async (event) => {{\n  for (const record of event.Records) {{ console.log({js_read}); }}\n}};\n",
                )
            )
    names = {"kv": "CACHE_KV", "r2": "FILES_BUCKET", "queue": "JOBS_QUEUE", "service": "AUTH", "rate-limiter": "API_LIMITER", "durable-object": "COUNTER", "d1": "DB"}
    arguments = {"get": '"k"', "put": '"k", "v"', "delete": '"k"', "list": "", "head": '"k"', "send": '{"a": 1}', "sendBatch": "[]", "fetch": '"https://x"', "connect": '"host:1"', "limit": '{"key": "k"}', "exec": '"DELETE FROM t"', "batch": "[]", "getWithMetadata": '"k"', "idFromName": '"n"', "idFromString": '"s"', "newUniqueId": ""}
    for kind, binding in workers.BINDINGS.items():
        for method, row in binding.methods.items():
            if isinstance(row.python_call(), Absent) or row.python_call() != row.call or kind not in names:
                continue
            name = names[kind]
            args = arguments[method]
            if kind == "durable-object" and method == "get":
                py_call, js_call = f"self.env.{name}.get(self.env.{name}.idFromName('n'))", f"env.{name}.get(env.{name}.idFromName('n'))"
            else:
                py_call, js_call = f"self.env.{name}.{method}({args})", f"env.{name}.{method}({args})"
            pairs.append(
                Pair(
                    f"binding-{kind}-{method}",
                    _binding_call(kind, row.call, name),
                    python=f"from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        await {py_call}\n",
                    javascript=f"export default {{ async fetch(request, env) {{ await {js_call}; }} }};\n",
                    entry="default",
                )
            )
    for prop in sorted(workers.HYPERDRIVE_PROPERTIES):
        pairs.append(
            Pair(
                f"hyperdrive-{prop}",
                _hyperdrive(prop),
                python=f"from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        print(self.env.HYPERDRIVE.{prop})\n",
                javascript=f"export default {{ async fetch(request, env) {{ console.log(env.HYPERDRIVE.{prop}); }} }};\n",
                entry="default",
            )
        )
    for base in sorted(workers.worker_bases("python") & workers.worker_bases("javascript")):
        pairs.append(
            Pair(
                f"worker-base-{base}",
                _worker_class,
                python=f"from workers import {base}\nclass Default({base}):\n    async def fetch(self, request):\n        return None\n",
                javascript=f'import {{ {base} }} from "cloudflare:workers";\nexport default class extends {base} {{ async fetch(request) {{ return null; }} }}\n',
                entry="default",
            )
        )
    wrappers = {  # the Powertools words both know, as each language applies them
        "powertools.process_partial_response": (
            "from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response\nprocessor = BatchProcessor(event_type=EventType.SQS)\ndef record_handler(record):\n    return None\ndef handler(event, context):\n    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)\n",
            'import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";\nconst processor = new BatchProcessor(EventType.SQS);\nconst recordHandler = async (record) => {};\nexport const handler = async (event, context) => processPartialResponse(event, recordHandler, processor, { context });\n',
        ),
        "powertools.batch_processor": (
            "from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType\ndef handler(event, context):\n    processor = BatchProcessor(event_type=EventType.SQS)\n    return processor\n",
            'import { BatchProcessor, EventType } from "@aws-lambda-powertools/batch";\nexport const handler = async (event) => { const processor = new BatchProcessor(EventType.SQS); return processor; };\n',
        ),
        "powertools.inject_lambda_context": (
            "from aws_lambda_powertools import Logger\nlogger = Logger()\n@logger.inject_lambda_context(log_event=True)\ndef handler(event, context):\n    return None\n",
            'import { Logger, injectLambdaContext } from "@aws-lambda-powertools/logger";\nimport middy from "@middy/core";\nconst logger = new Logger();\nexport const handler = middy(async (event) => null).use(injectLambdaContext(logger, { logEvent: true }));\n',
        ),
    }
    known = {w.name for w in powertools.WRAPPERS if w.python} & {w.name for w in powertools.WRAPPERS if w.javascript}
    for name in sorted(known):
        if name in wrappers:
            py, js = wrappers[name]
            pairs.append(Pair(f"wrapper-{name}", _wrapper(name), python=py, javascript=js))
    assert known <= set(wrappers) | {"powertools.idempotent"}, known - set(wrappers)  # idempotent: a scenario above
    return pairs


PAIRS += _vocabulary_pairs()

# -- The vocabulary, the words the section above does not reach -------------------------------
# Every spelling of the words with more than one (JSON parsers, wrappers, Stripe clients), the
# words both know but name apart (an event identifier's full path in Python, its last field in
# JavaScript; binding calls the Python analyzer names differently), HTTP verbs and timeouts,
# Responses, payments and secret reads: each side checked against its own column.

_FIRST_SECTION_BINDINGS = frozenset({"kv", "r2", "queue", "service", "rate-limiter", "durable-object", "d1"})


def side_of(f: Facts) -> Side:
    assert f.main is not None
    return "python" if f.main.language == "python" else "javascript"


def both(words: tuple[Word, ...]) -> list[Word]:
    return [w for w in words if w.python and w.javascript]


def _python_calls(spellings: tuple[str, ...], call: str) -> str:
    """A Python handler that calls each spelling (a dotted name) in ``call``'s place."""
    imports = sorted({spelling.split(".")[0] for spelling in spellings})
    body = "".join(f"\n    {call.format(s)}" for s in spellings)
    return "".join(f"import {module}\n" for module in imports) + f"\ndef handler(event, context):{body}\n"


def _javascript_calls(spellings: tuple[str, ...], call: str) -> str:
    body = "".join(f"\n  {call.format(s)};" for s in spellings)
    return f"export const handler = async (event) => {{{body}\n}};\n"


def _parsed(count: int) -> Callable[[Facts], None]:
    def check(f: Facts) -> None:
        assert len(f.calls(parsing.JSON_PARSE)) == len(f.parses()) == count
        assert all(("event", "body") in {(s.kind, s.name) for s in p.of} for p in f.parses())

    return check


def _requested(verb: str) -> Callable[[Facts], None]:
    def check(f: Facts) -> None:
        assert [c.attr("method") for c in f.calls("http.request")] == [http_clients.HTTP_VERBS[verb]]

    return check


def _timed_out(f: Facts) -> None:
    (call,) = f.calls("http.request")
    assert call.attr("has_timeout") is True and call.attr("timeout_seconds") == 5


def _created(f: Facts) -> None:
    assert [r.status for r in f.returns()] == [201]


def _payment(f: Facts) -> None:
    (call,) = f.calls(payments.PAYMENT_CREATE)
    assert call.attr("resource") == "paymentIntents"
    assert call.kwarg(payments.IDEMPOTENCY_KEY) is not None


def _event_id_as_named(event_id: events.EventId) -> Callable[[Facts], None]:
    def check(f: Facts) -> None:
        name = event_id.python if side_of(f) == "python" else event_id.javascript
        (put,) = f.calls("aws.dynamodb.PutItem")
        item = put.kwarg("Item")
        assert item is not None and ("event-id", name) in sources_of(item)

    return check


def _secret_logged(f: Facts) -> None:
    assert [(fl.source.kind, fl.source.name) for fl in f.flows(sink="log")] == [("secret", "db")]


def _wrapped(name: str) -> Callable[[Facts], None]:
    def check(f: Facts) -> None:
        assert f.wrappers(name), [w.name for w in f.wrappers()]

    return check


def _binding(kind: str, method: str) -> Callable[[Facts], None]:
    def check(f: Facts) -> None:
        row = workers.BINDINGS[kind].methods[method]
        call = row.python_call() if side_of(f) == "python" else row.call
        uses = [(u.kind, u.method) for us in f.bindings_used().values() for u in us]
        assert (kind, method) in uses
        if call:  # "": the Python analyzer records the use and names no call
            assert call in [c.name for c in f.calls() if c.attr("binding")]

    return check


_PUT_PY = """
import boto3
table = boto3.resource("dynamodb").Table("t")
def handler(event, context):
{loop}    table.put_item(Item={{"pk": {value}}})
"""
_PUT_JS = """
import {{ DynamoDBClient, PutItemCommand }} from "@aws-sdk/client-dynamodb";
const db = new DynamoDBClient({{}});
export const handler = async (event) => {{
{loop}  await db.send(new PutItemCommand({{ Item: {{ pk: {value} }} }}));
{end}}};
"""
_WORKER_PY = """
from workers import Response, WorkerEntrypoint
{imports}
class Default({base}):
    async def fetch(self, request):
        {body}
        return Response("ok")
"""
_WORKER_TS = """
{imports}
interface Env {{ {binding}: {type} }}
export default class extends {base} {{
  async fetch(request: Request) {{
    const env = this.env as Env;
    {body};
    return new Response("ok");
  }}
}}
"""
# Python's (Powertools) spellings of a wrapper, and JavaScript's, each as a whole handler;
# ("how", "*") serves every name applied that way
_PY_WRAPPERS = {
    ("decorator", "idempotent"): """
from aws_lambda_powertools.utilities.idempotency import idempotent
@idempotent(persistence_store=store)
def handler(event, context):
    return None
""",
    ("decorator", "*"): """
from aws_lambda_powertools.utilities.batch import {name}
@{name}(record_handler=record, processor=processor)
def handler(event, context):
    return None
""",
    ("decorator", "inject_lambda_context"): """
from aws_lambda_powertools import Logger
logger = Logger()
@logger.inject_lambda_context(log_event=True)
def handler(event, context):
    return None
""",
    ("class", "*"): """
from aws_lambda_powertools.utilities.batch import {name}, EventType
processor = {name}(event_type=EventType.SQS)
def handler(event, context):
    return None
""",
    ("function", "*"): """
from aws_lambda_powertools.utilities.batch import {name}
def handler(event, context):
    return {name}(event=event, record_handler=record, processor=processor, context=context)
""",
}
_JS_WRAPPERS = {
    ("function", "makeIdempotent"): """
import {{ makeIdempotent }} from "@aws-lambda-powertools/idempotency";
export const handler = makeIdempotent(async (event) => null, {{ persistenceStore }});
""",
    ("middleware", "*"): """
import middy from "@middy/core";
import {{ {name} }} from "@aws-lambda-powertools/x";
export const handler = middy(async (event) => null).use({name}(options));
""",
    ("class", "*"): """
import {{ {name}, EventType }} from "@aws-lambda-powertools/batch";
const processor = new {name}(EventType.SQS);
export const handler = async (event) => null;
""",
    ("function", "*"): """
import {{ {name} }} from "@aws-lambda-powertools/batch";
export const handler = async (event, context) => {name}(event, record, processor, {{ context }});
""",
}


def _wrapper_source(table: dict[tuple[str, str], str], how: str, name: str) -> str:
    template = table.get((how, name)) or table[(how, "*")]
    return template.format(name=name)


def _more_vocabulary_pairs() -> list[Pair]:
    pairs = []
    for word in both(parsing.JSON_PARSERS):
        for python in word.python:
            pairs.append(
                Pair(
                    f"word-{word.name}-{python}",
                    _parsed(1),
                    python=_python_calls((python,), 'print({}(event["body"]))'),
                    javascript=_javascript_calls(word.javascript, "console.log({}(event.body))"),
                )
            )
    for verb in http_clients.HTTP_VERBS:
        pairs.append(
            Pair(
                f"word-http-{verb}",
                _requested(verb),
                python=f'import requests\ndef handler(event, context):\n    requests.{verb}("https://api.example.com", timeout=5)\n',
                javascript=f'import axios from "axios";\nexport const handler = async () => {{ await axios.{verb}("https://api.example.com"); }};\n',
            )
        )
    signal = http_clients.TIMEOUT_SIGNAL
    for python in signal.python:
        pairs.append(
            Pair(
                f"word-{signal.name}-{python}",
                _timed_out,
                python=_WORKER_PY.format(
                    imports=f"import {python.split('.')[0]}\nfrom workers import fetch",
                    base="WorkerEntrypoint",
                    body=f'await fetch("https://api.example.com", signal={python}(5000))',
                ),
                typescript=_WORKER_TS.format(
                    imports='import { WorkerEntrypoint } from "cloudflare:workers";',
                    binding="KEY",
                    type="string",
                    base="WorkerEntrypoint",
                    body=f'await fetch("https://api.example.com", {{ signal: {signal.javascript[0]}(5000) }})',
                ),
                entry="default",
            )
        )
    for python in workers.RESPONSE.python:
        module, name = python.rsplit(".", 1)
        make = f"{name}.new" if module == "js" else name  # the JavaScript class from Python
        pairs.append(
            Pair(
                f"word-Response-{python}",
                _created,
                python=f"from {module} import {name}\nfrom workers import WorkerEntrypoint\n"
                f"class Default(WorkerEntrypoint):\n    async def fetch(self, request):\n"
                f'        return {make}("created", status=201)\n',
                javascript="export default { async fetch(request) { return new "
                f'{workers.RESPONSE.javascript[0]}("created", {{ status: 201 }}); }} }};\n',
                entry="default",
            )
        )
    stripe_js = payments.STRIPE_CLIENT.javascript
    for index, python in enumerate(payments.STRIPE_CLIENT.python):
        js = stripe_js[index % len(stripe_js)]
        pairs.append(
            Pair(
                f"word-stripe-{python}-{js}",
                _payment,
                python=f'import stripe\nclient = {python}("sk")\ndef handler(event, context):\n'
                '    client.payment_intents.create(params={"amount": 100}, options={"idempotency_key": event["id"]})\n',
                javascript=f'import * as stripe from "stripe";\nimport Stripe from "stripe";\nconst client = new {js}("sk");\n'
                "export const handler = async (event) => {\n"
                "  await client.paymentIntents.create({ amount: 100 }, { idempotencyKey: event.id });\n};\n",
            )
        )
    for event_id in events.EVENT_IDS:
        if not (isinstance(event_id.python, str) and isinstance(event_id.javascript, str)):
            continue
        if event_id.python == event_id.javascript:
            continue  # named alike: the first section's pair
        if event_id.python.startswith("headers."):
            py, js, loop = 'event["headers"]["Idempotency-Key"]', 'event.headers["Idempotency-Key"]', False
        elif event_id.python == "id":
            py, js, loop = 'event["id"]', "event.id", False
        else:
            parts = list(events.S3_OBJECT_KEY) if event_id.python == events.S3_KEY_NAME else event_id.python.split(".")
            py, js, loop = "record" + "".join(f'["{p}"]' for p in parts), "record." + ".".join(parts), True
        pairs.append(
            Pair(
                f"word-event-id-{event_id.python}",
                _event_id_as_named(event_id),
                python=_PUT_PY.format(loop='    for record in event["Records"]:\n    ' if loop else "", value=py),
                javascript=_PUT_JS.format(
                    loop="  for (const record of event.Records) {\n" if loop else "",
                    value=js,
                    end="  }\n" if loop else "",
                ),
            )
        )
    for (service, operation_name), read in sources.SECRET_READS.items():
        operation = aws.operation(service, operation_name)
        found = aws.service(service)
        assert operation is not None and found is not None
        decrypt = f", {read.decrypt_key}=True" if read.decrypt_key else ""
        js_decrypt = f", {read.decrypt_key}: true" if read.decrypt_key else ""
        pairs.append(
            Pair(
                f"word-secret-{service}.{operation_name}",
                _secret_logged,
                python=f'import boto3\nclient = boto3.client("{service}")\ndef handler(event, context):\n'
                f'    print(client.{operation.boto3_method}({read.name_key}="db"{decrypt}))\n',
                javascript=f'import {{ {found.js_v3_client}, {operation.js_v3_command} }} from "{found.js_v3_package}";\n'
                f"const client = new {found.js_v3_client}({{}});\nexport const handler = async () => {{\n"
                f'  console.log(await client.send(new {operation.js_v3_command}({{ {read.name_key}: "db"{js_decrypt} }})));\n}};\n',
            )
        )
    for reader in sources.POWERTOOLS_SECRET_READS:
        if isinstance(reader.python, str) and isinstance(reader.javascript, str):
            decrypt = f", {reader.decrypt}=True" if reader.decrypt else ""
            js_decrypt = f", {{ {reader.decrypt}: true }}" if reader.decrypt else ""
            pairs.append(
                Pair(
                    f"word-secret-powertools-{reader.javascript}",
                    _secret_logged,
                    python=f"from aws_lambda_powertools.utilities.parameters import {reader.python}\n"
                    f'def handler(event, context):\n    print({reader.python}("db"{decrypt}))\n',
                    javascript=f'import {{ {reader.javascript} }} from "@aws-lambda-powertools/parameters/secrets";\n'
                    f'export const handler = async () => {{ console.log(await {reader.javascript}("db"{js_decrypt})); }};\n',
                )
            )
    shared = {w.name for w in powertools.WRAPPERS if w.python} & {w.name for w in powertools.WRAPPERS if w.javascript}
    for name in sorted(shared):
        python = [(w.how, s) for w in powertools.WRAPPERS if w.name == name for s in w.python]
        javascript = [(w.how, s) for w in powertools.WRAPPERS if w.name == name for s in w.javascript]
        for index in range(max(len(python), len(javascript))):
            py_how, py_name = python[index % len(python)]
            js_how, js_name = javascript[index % len(javascript)]
            pairs.append(
                Pair(
                    f"word-{name}-{py_name}-{js_name}",
                    _wrapped(name),
                    python=_wrapper_source(_PY_WRAPPERS, py_how, py_name),
                    javascript=_wrapper_source(_JS_WRAPPERS, js_how, js_name),
                )
            )
    for kind, binding in workers.BINDINGS.items():
        for method, row in binding.methods.items():
            if isinstance(row.python_call(), Absent):
                continue  # a JavaScript-only method: tests/analysis/test_javascript_analyzer.py
            if row.python_call() == row.call and kind in _FIRST_SECTION_BINDINGS:
                continue  # named alike: the first section's pair
            # the names Python reads a binding's kind from when nothing declares it
            name = {"kv": "CACHE_KV", "r2": "FILES_BUCKET"}.get(kind, "BINDING")
            call = f'env.{name}.{method}("k")'
            if kind == "d1" and method == "prepare":  # a statement runs (and is named) at all()
                call = f'env.{name}.prepare("SELECT 1").all()'
            if kind == "durable-object" and method == "get":  # an id says the namespace
                call = f'env.{name}.get(env.{name}.idFromName("room"))'
            pairs.append(
                Pair(
                    f"word-binding-{kind}-{method}",
                    _binding(kind, method),
                    python=_WORKER_PY.format(imports="", base="WorkerEntrypoint", body="env = self.env\n        await " + call),
                    typescript=_WORKER_TS.format(
                        imports='import { WorkerEntrypoint } from "cloudflare:workers";',
                        binding=name,
                        type=binding.types[0],
                        base="WorkerEntrypoint",
                        body="await " + call,
                    ),
                    entry="default",
                )
            )
    return pairs




PAIRS += _more_vocabulary_pairs()


# -- Data flow: the value itself or something derived from it (Source.via) ----------------------


def _derived_through_a_library(f: Facts) -> None:
    flows = sorted(f.flows(source="env", sink="log", name="SECRET_KEY"), key=lambda fl: fl.loc.line)
    assert [(fl.loc.line, fl.source.via) for fl in flows] == [(4, ""), (6, "Client"), (7, "Client")]
    assert not flows[0].source.derived and flows[1].source.derived


PAIRS += [
    Pair(
        "derived-through-a-library-call-or-the-value-itself",
        _derived_through_a_library,
        python=(
            "import os\nfrom sdk import Client\ndef handler(event, context):\n"
            '    key = os.environ["SECRET_KEY"]; print(str(key).strip())\n'
            "    client = Client(api_key=key)\n"
            "    print(client.describe())\n"
            "    print(client.host)\n"
        ),
        javascript=(
            'import { Client } from "sdk";\nexport const handler = async (event) => {\n'
            "  const key = process.env.SECRET_KEY;\n"
            "  console.log(String(key).trim());\n"
            "  const client = new Client({ apiKey: key });\n"
            "  console.log(client.describe());\n"
            "  console.log(client.host);\n"
            "};\n"
        ),
    ),
]


# -- SQL drivers: psycopg/PyMySQL and pg/mysql2/postgres.js run one sql.exec, read as D1 is ------


def _sql_effect(f: Facts, name: str = "sql.exec"):
    from slsreview.analysis.side_effects import side_effects

    (call,) = f.calls(name)
    effects = [e for e in side_effects(f) if e.call == call]
    return call, (effects[0] if effects else None)


def _sql_insert_fresh(f: Facts) -> None:
    call, effect = _sql_effect(f)
    assert call.attr("driver") == "postgresql"
    assert call.attr("sql") == "INSERT INTO orders (id, total) VALUES (%s, %s)"
    assert any(kind == "random" for kind, _ in sources_of(call.args[1]))
    assert effect is not None and (effect.action, effect.identity) == ("inserts into PostgreSQL", "fresh")


def _sql_counter_mysql(f: Facts) -> None:
    call, effect = _sql_effect(f)
    assert call.attr("driver") == "mysql"
    assert effect is not None and (effect.action, effect.identity) == ("updates MySQL", "counter")


def _sql_claim_by_event(f: Facts) -> None:
    from slsreview.analysis.side_effects import claim_of

    call, effect = _sql_effect(f)
    assert call.attr("sql") == "INSERT INTO processed (message_id) VALUES ($1) ON CONFLICT DO NOTHING"
    assert ("event-id", "messageId") in sources_of(call.args[1])
    assert effect is not None and effect.identity == "stable" and effect.keyed_by_event
    assert claim_of(call) == "an INSERT that ignores a known key"


def _sql_not_read(f: Facts) -> None:
    calls = sorted(f.calls("sql.exec"), key=lambda c: c.loc.line)
    assert [c.attr("sql") for c in calls] == [None, "CREATE TABLE IF NOT EXISTS t (id text)", "SELECT * FROM t WHERE id = $1"]
    from slsreview.analysis.side_effects import lookup_of, side_effects

    assert not [e for e in side_effects(f) if e.call.name == "sql.exec"]
    assert lookup_of(calls[2]) == "a lookup of the event's id"


def _rds_data_insert(f: Facts) -> None:
    _, effect = _sql_effect(f, "aws.rds-data.ExecuteStatement")
    assert effect is not None and (effect.action, effect.identity) == ("inserts into the database", "fresh")


PAIRS += [
    Pair(
        "sql-driver-insert-with-a-fresh-key",
        _sql_insert_fresh,
        python=(
            "import uuid\nimport psycopg2\nconn = psycopg2.connect('dbname=shop')\n"
            "def handler(event, context):\n"
            "    with conn.cursor() as cur:\n"
            "        cur.execute('INSERT INTO orders (id, total) VALUES (%s, %s)', (str(uuid.uuid4()), event['total']))\n"
        ),
        javascript=(
            'import { Pool } from "pg";\nconst pool = new Pool();\n'
            "export const handler = async (event) => {\n"
            "  const client = await pool.connect();\n"
            "  await client.query('INSERT INTO orders (id, total) VALUES (%s, %s)', [crypto.randomUUID(), event.total]);\n"
            "};\n"
        ),
    ),
    Pair(
        "sql-driver-counter-update",
        _sql_counter_mysql,
        python=(
            "import pymysql\n"
            "def handler(event, context):\n"
            "    db = pymysql.connect(host='db')\n"
            "    db.cursor().execute('UPDATE accounts SET balance = balance + %s WHERE id = %s', (event['amount'], event['id']))\n"
        ),
        javascript=(
            'import mysql from "mysql2/promise";\n'
            "export const handler = async (event) => {\n"
            "  const db = await mysql.createConnection({ host: 'db' });\n"
            "  await db.execute('UPDATE accounts SET balance = balance + ? WHERE id = ?', [event.amount, event.id]);\n"
            "};\n"
        ),
    ),
    Pair(
        "sql-driver-claim-keyed-by-the-message-id",
        _sql_claim_by_event,
        python=(
            "import psycopg\n"
            "def handler(event, context):\n"
            "    for record in event['Records']:\n"
            "        with psycopg.connect('dbname=shop') as conn:\n"
            "            conn.execute('INSERT INTO processed (message_id) VALUES ($1) ON CONFLICT DO NOTHING', (record['messageId'],))\n"
        ),
        javascript=(
            'import postgres from "postgres";\nconst sql = postgres(process.env.DATABASE_URL);\n'
            "export const handler = async (event) => {\n"
            "  for (const record of event.Records) {\n"
            "    await sql`INSERT INTO processed (message_id) VALUES (${record.messageId}) ON CONFLICT DO NOTHING`;\n"
            "  }\n"
            "};\n"
        ),
    ),
    Pair(
        "sql-driver-statements-that-are-not-writes",
        _sql_not_read,
        python=(
            "import psycopg2\nfrom queries import build\nconn = psycopg2.connect('dbname=shop')\n"
            "def handler(event, context):\n"
            "    cur = conn.cursor()\n"
            "    cur.execute(build(event), (event['id'],))\n"
            "    cur.execute('CREATE TABLE IF NOT EXISTS t (id text)')\n"
            "    cur.execute('SELECT * FROM t WHERE id = $1', (event['id'],))\n"
        ),
        javascript=(
            'import pg from "pg";\nimport { build } from "./queries.js";\nconst client = new pg.Client();\n'
            "export const handler = async (event) => {\n"
            "  await client.query(build(event), [event.id]);\n"
            "  await client.query({ text: 'CREATE TABLE IF NOT EXISTS t (id text)' });\n"
            "  await client.query({ text: 'SELECT * FROM t WHERE id = $1', values: [event.id] });\n"
            "};\n"
        ),
    ),
    Pair(
        "rds-data-insert-with-a-fresh-key",
        _rds_data_insert,
        python=(
            "import uuid\nimport boto3\nrds = boto3.client('rds-data')\n"
            "def handler(event, context):\n"
            "    rds.execute_statement(resourceArn='arn', secretArn='arn', sql='INSERT INTO t (id) VALUES (:id)',\n"
            "        parameters=[{'name': 'id', 'value': {'stringValue': str(uuid.uuid4())}}])\n"
        ),
        javascript=(
            'import { RDSDataClient, ExecuteStatementCommand } from "@aws-sdk/client-rds-data";\n'
            "const rds = new RDSDataClient({});\n"
            "export const handler = async (event) => {\n"
            "  await rds.send(new ExecuteStatementCommand({ resourceArn: 'arn', secretArn: 'arn', sql: 'INSERT INTO t (id) VALUES (:id)',\n"
            "    parameters: [{ name: 'id', value: { stringValue: crypto.randomUUID() } }] }));\n"
            "};\n"
        ),
    ),
]


CASES = [
    pytest.param(pair, language, source, id=f"{pair.name}-{language}")
    for pair in PAIRS
    for language, source in (("python", pair.python), ("javascript", pair.javascript), ("typescript", pair.typescript))
    if source is not None
]


@pytest.mark.parametrize(("pair", "language", "source"), CASES)
def test_pair(pair: Pair, language: str, source: str) -> None:
    ext = {"python": "py", "javascript": "mjs", "typescript": "ts"}[language]
    file_facts = analyze_source(f"src/app.{ext}", textwrap.dedent(source).lstrip(), language)  # type: ignore[arg-type]
    assert file_facts.parsed, file_facts.syntax
    pair.check(Facts([file_facts], entry=pair.entry_for(language)))


# -- AWS operations: the generated table (botocore), every operation of the services serverless
# code calls most, through boto3 and through the JS SDK v3 ----------------------------------------

AWS_SERVICES = [
    "apigatewaymanagementapi", "appsync", "athena", "cloudwatch", "comprehend", "dynamodb", "events",
    "firehose", "kinesis", "kms", "lambda", "location", "pinpoint", "polly", "rekognition", "s3",
    "scheduler", "secretsmanager", "ses", "sesv2", "sns", "sqs", "ssm", "sts", "textract", "translate",
    "xray",
]
# Services whose JS package name is not botocore's client name: both analyzers name them as boto3
# does (aws.stepfunctions.StartExecution for @aws-sdk/client-sfn)
AWS_SERVICES_RENAMED_IN_JS = [
    "bedrock-agent-runtime",
    "bedrock-runtime",
    "cognito-idp",
    "iot-data",
    "logs",
    "rds-data",
    "sagemaker-runtime",
    "stepfunctions",
]


def _aws_sources(service_name: str) -> tuple[list, str, str]:
    from slsreview.vocabulary import aws

    service = aws.service(service_name)
    assert service is not None, service_name
    ops = sorted(service.operations().values(), key=lambda op: op.name)
    python = f"import boto3\nclient = boto3.client({service_name!r})\n\ndef handler(event, context):\n" + "".join(
        f"    client.{op.boto3_method}(Input=event['body'])\n" for op in ops
    )
    commands = ", ".join(op.js_v3_command for op in ops)
    javascript = (
        f"import {{ {service.js_v3_client}, {commands} }} from {service.js_v3_package!r};\n"
        f"const client = new {service.js_v3_client}({{}});\nexport const handler = async (event) => {{\n"
        + "".join(f"  await client.send(new {op.js_v3_command}({{ Input: event.body }}));\n" for op in ops)
        + "};\n"
    )
    return ops, python, javascript


@pytest.mark.parametrize("service_name", [*AWS_SERVICES, *AWS_SERVICES_RENAMED_IN_JS])
def test_every_operation_of_a_service_is_recognised_in_python(service_name: str) -> None:
    ops, python, _ = _aws_sources(service_name)
    facts = Facts([analyze_source("src/app.py", python, "python")])
    assert [c.name for c in facts.calls("aws")] == [op.word for op in ops]
    # its arguments reach the write sink exactly when IAM calls one of its actions a write
    writes = [fl.call.name for fl in facts.flows(source="event", sink="write") if fl.call is not None]
    assert writes == [op.word for op in ops if op.writes]


@pytest.mark.parametrize("service_name", [*AWS_SERVICES, *AWS_SERVICES_RENAMED_IN_JS])
def test_every_operation_of_a_service_is_recognised_in_javascript(service_name: str) -> None:
    ops, _, javascript = _aws_sources(service_name)
    facts = Facts([analyze_source("src/app.mjs", javascript, "javascript")])
    assert [c.name for c in facts.calls("aws")] == [op.word for op in ops]
    writes = [fl.call.name for fl in facts.flows(source="event", sink="write") if fl.call is not None]
    assert writes == [op.word for op in ops if op.writes]


# -- AWS operations: one of every service botocore knows, in the JS SDK v3 and the JS SDK v2 ----
# The generated table (slsreview/vocabulary/aws.py) knows every operation of every service; the
# sample is each service's first operation that writes (else its first), so that the write sink
# is checked too.


def _sample() -> list[tuple[aws.Service, aws.Operation]]:
    out = []
    for service in aws.services().values():
        operations = sorted(service.operations().values(), key=lambda op: (not op.writes, op.name))
        if operations:
            out.append((service, operations[0]))
    return out


SAMPLE = _sample()


def _recognised(language: str, source: str, operation: aws.Operation, *, writes: bool = True) -> bool:
    """The call is named by the operation and, when IAM classes it a write (and ``writes``), its
    input is a ``write`` sink."""
    path = "src/app.py" if language == "python" else "src/app.mjs"
    facts = Facts([analyze_source(path, textwrap.dedent(source).lstrip(), language)], entry="handler")  # type: ignore[arg-type]
    calls = facts.calls(operation.word)
    sunk = facts.flows(source="event", sink="write")
    return len(calls) == 1 and (not (writes and operation.writes) or bool(sunk))


def test_every_aws_service_is_recognised_in_javascript_v3() -> None:
    missed = []
    for service, operation in SAMPLE:
        found = aws.service_of_js_package(service.js_v3_package)
        if found is None or found.name != service.name:
            continue  # two botocore services share the package (sms-voice and pinpoint-sms-voice)
        source = f"""
            import {{ {service.js_v3_client}, {operation.js_v3_command} }} from "{service.js_v3_package}";
            const client = new {service.js_v3_client}({{}});
            export const handler = async (event) => {{
              await client.send(new {operation.js_v3_command}({{ Input: event.body }}));
            }};
        """
        if not _recognised("javascript", source, operation):
            missed.append(operation.word)
    assert missed == []


def test_every_aws_service_with_a_v2_class_is_recognised_in_javascript_v2() -> None:
    missed = []
    for service, operation in SAMPLE:
        if not service.js_v2_classes:
            continue
        source = f"""
            const AWS = require("aws-sdk");
            const client = new AWS.{service.js_v2_classes[0]}();
            exports.handler = async (event) => {{
              await client.{operation.js_v2_method}({{ Input: event.body }}).promise();
            }};
        """
        if not _recognised("javascript", source, operation):
            missed.append(operation.word)
    assert missed == []


# -- Data flow across the project's own functions (slsreview.analysis.links) -------------------
# Each scenario is a small project: the entry file first, then the local modules it imports.


@dataclass
class ProjectPair:
    name: str
    check: Callable[[Facts], None]
    python: dict[str, str]
    javascript: dict[str, str]
    entry: str = "handler"


def project_facts(files: dict[str, str], language: str, entry: str) -> Facts:
    from slsreview.analysis import local_import_candidates

    analysed = {path: analyze_source(path, textwrap.dedent(text).lstrip(), language) for path, text in files.items()}  # type: ignore[arg-type]
    for path, facts in analysed.items():
        assert facts.parsed, (path, facts.syntax)
    modules = {}
    for path, facts in analysed.items():
        for imp in facts.imports:
            found = next((c for c in local_import_candidates(path, imp.module, language) if c in analysed), None)  # type: ignore[arg-type]
            if found is not None:
                modules[(path, imp.module)] = found
    return Facts(list(analysed.values()), entry=entry, modules=modules)


def _item_key_from_the_caller(f: Facts) -> None:
    (put,) = f.calls("aws.dynamodb.PutItem")
    item = put.kwarg("Item")
    assert item is not None and put.loc.path.startswith("src/lib/")
    # field by field: the key is the caller's uuid, the amount its event field, nothing symbolic
    assert {(s.kind, s.name) for s in item.field("pk") or ()} == {("random", "uuid4" if put.loc.path.endswith(".py") else "crypto.randomUUID")}
    assert {(s.kind, s.name) for s in item.field("amount") or ()} == {("event", "amount")}
    assert all(s.loc.path.startswith("src/app.") for s in item.sources)
    assert not any(s.kind in ("param", "return") for c in f.calls() for v in (*c.args, *(v for _, v in c.kwargs)) for s in v.sources)


def _returned_by_a_helper(f: Facts) -> None:
    (put,) = f.calls("aws.dynamodb.PutItem")
    assert {(s.kind, s.name) for s in put.kwarg("Item").field("pk") or ()} == {("event-id", "messageId")}
    # the helper's answer is what it returns for this call: the AWS call's result, not the record
    assert not f.flows(source="event", sink="log")


def _fields_read_from_a_parameter(f: Facts) -> None:
    logs = sorted(f.flows(sink="log"), key=lambda fl: fl.source.name)
    assert {(fl.source.kind, fl.source.name) for fl in logs} == {("event", "body.customer.email")}
    assert logs[0].loc.path.startswith("src/lib/")


PROJECT_PAIRS = [
    ProjectPair(
        "a-helper-in-a-local-module-writes-with-the-callers-key",
        _item_key_from_the_caller,
        python={
            "src/app.py": """
                from uuid import uuid4
                from lib.db import save_order
                def handler(event, context):
                    save_order(str(uuid4()), amount=event["amount"])
            """,
            "src/lib/db.py": """
                import boto3
                table = boto3.resource("dynamodb").Table("orders")
                def save_order(order_id, amount):
                    table.put_item(Item={"pk": order_id, "amount": amount})
            """,
        },
        javascript={
            "src/app.mjs": """
                import { saveOrder } from "./lib/db.mjs";
                export const handler = async (event) => {
                  await saveOrder(crypto.randomUUID(), event.amount);
                };
            """,
            "src/lib/db.mjs": """
                import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
                const ddb = new DynamoDBClient({});
                export async function saveOrder(orderId, amount) {
                  await ddb.send(new PutItemCommand({ TableName: "orders", Item: { pk: orderId, amount } }));
                }
            """,
        },
    ),
    ProjectPair(
        "what-a-local-function-returns-for-this-call",
        _returned_by_a_helper,
        python={
            "src/app.py": """
                import boto3
                table = boto3.resource("dynamodb").Table("orders")
                lam = boto3.client("lambda")
                def key_of(record):
                    return f"order#{record['messageId']}"
                def forward(record):
                    return lam.invoke(FunctionName="next", Payload=record["body"])
                def handler(event, context):
                    for record in event["Records"]:
                        table.put_item(Item={"pk": key_of(record)})
                        print(forward(record))
            """,
        },
        javascript={
            "src/app.mjs": """
                import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";
                import { LambdaClient, InvokeCommand } from "@aws-sdk/client-lambda";
                const ddb = new DynamoDBClient({});
                const lam = new LambdaClient({});
                function keyOf(rec) { return `order#${rec.messageId}`; }
                async function forward(rec) { return lam.send(new InvokeCommand({ FunctionName: "next", Payload: rec.body })); }
                export const handler = async (event) => {
                  for (const rec of event.Records) {
                    await ddb.send(new PutItemCommand({ TableName: "orders", Item: { pk: keyOf(rec) } }));
                    console.log(await forward(rec));
                  }
                };
            """,
        },
    ),
    ProjectPair(
        "fields-read-from-a-parameter-are-places-in-the-event",
        _fields_read_from_a_parameter,
        python={
            "src/app.py": """
                import json
                from lib.notify import notify
                def handler(event, context):
                    notify(json.loads(event["body"]))
            """,
            "src/lib/notify.py": """
                def notify(order):
                    print("notify", order["customer"]["email"])
            """,
        },
        javascript={
            "src/app.mjs": """
                import { notify } from "./lib/notify.mjs";
                export const handler = async (event) => { notify(JSON.parse(event.body)); };
            """,
            "src/lib/notify.mjs": """
                export function notify({ customer }) { console.log("notify", customer.email); }
            """,
        },
    ),
]



def _recursion_and_unknown_modules(f: Facts) -> None:
    logs = {(fl.source.kind, fl.source.name, fl.source.via) for fl in f.flows(sink="log")}
    # a recursive helper ends, and still says what reaches it; a function of a module that is
    # not among the files gives what it was given, derived through it
    assert ("event", "body", "") in logs
    assert ("event", "detail", "summarize") in logs
    assert not any(kind in ("param", "return") for kind, _, _ in logs)


PROJECT_PAIRS.append(
    ProjectPair(
        "recursion-ends-and-unknown-modules-derive",
        _recursion_and_unknown_modules,
        python={
            "src/app.py": """
                from vendor.text import summarize
                def unwrap(value, depth):
                    if depth > 3:
                        return value
                    return unwrap(value, depth + 1)
                def handler(event, context):
                    print(unwrap(event["body"], 0))
                    print(summarize(event["detail"]))
            """,
        },
        javascript={
            "src/app.mjs": """
                import { summarize } from "./vendor/text.mjs";
                function unwrap(value, depth) { return depth > 3 ? value : unwrap(value, depth + 1); }
                export const handler = async (event) => {
                  console.log(unwrap(event.body, 0));
                  console.log(summarize(event.detail));
                };
            """,
        },
    )
)


@pytest.mark.parametrize("language", ["python", "javascript"])
@pytest.mark.parametrize("pair", PROJECT_PAIRS, ids=[p.name for p in PROJECT_PAIRS])
def test_project_pair(pair: ProjectPair, language: str) -> None:
    pair.check(project_facts(getattr(pair, language), language, pair.entry))
