"""Deterministic synthetic serverless projects for benchmarks (never committed output).

    python -m bench.synthetic /tmp/mono --services 20 --functions 10 --workers 10

Each SAM service gets a template with Globals, events of several kinds, the three policy forms,
queues, tables, log groups and alarms, and M handlers of 60-90 lines, half Python and half Node.
Each Worker gets a wrangler.toml with bindings and an [env.production] view and a TypeScript entry.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

PY_HANDLER = '''\
"""{name}: process {noun} events for the {service} service."""

import json
import logging
import os
import time
import uuid

import boto3
import requests
from botocore.exceptions import ClientError

logger = logging.getLogger()
logger.setLevel(logging.INFO)

table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
sqs = boto3.client("sqs")
QUEUE_URL = os.environ.get("QUEUE_URL", "")
API_URL = os.environ.get("API_URL", "https://api.example.com")


def response(status, body):
    return {{"statusCode": status, "headers": {{"content-type": "application/json"}}, "body": json.dumps(body)}}


def validate(payload):
    if not isinstance(payload, dict):
        raise ValueError("payload must be an object")
    if not isinstance(payload.get("amount"), int) or payload["amount"] <= 0:
        raise ValueError("amount must be a positive integer")
    return payload


def store(record_id, payload):
    item = {{"pk": f"{noun}#{{record_id}}", "payload": payload, "created": int(time.time())}}
    try:
        table.put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "ConditionalCheckFailedException":
            raise
        logger.info("duplicate %s", record_id)
    return item


def notify(item):
    reply = requests.post(f"{{API_URL}}/{noun}", json=item, timeout=5)
    reply.raise_for_status()
    sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=json.dumps(item))


def handler(event, context):
    failures = []
    for record in event.get("Records", []):
        try:
            payload = validate(json.loads(record["body"]))
            item = store(record["messageId"], payload)
            notify(item)
        except (ValueError, KeyError) as exc:
            logger.warning("rejected %s: %s", record.get("messageId"), exc)
        except ClientError:
            failures.append({{"itemIdentifier": record["messageId"]}})
    logger.info(json.dumps({{"message": "{name}.done", "failed": len(failures), "id": str(uuid.uuid4())}}))
    return {{"batchItemFailures": failures}}
'''

NODE_HANDLER = '''\
// {name}: handle {noun} requests for the {service} service.
import {{ randomUUID }} from "node:crypto";
import {{ DynamoDBClient }} from "@aws-sdk/client-dynamodb";
import {{ DynamoDBDocumentClient, PutCommand, GetCommand }} from "@aws-sdk/lib-dynamodb";
import {{ SQSClient, SendMessageCommand }} from "@aws-sdk/client-sqs";

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({{}}));
const sqs = new SQSClient({{}});
const TABLE = process.env.TABLE_NAME;
const QUEUE_URL = process.env.QUEUE_URL;

function json(statusCode, body) {{
  return {{ statusCode, headers: {{ "content-type": "application/json" }}, body: JSON.stringify(body) }};
}}

function readHeader(headers = {{}}, name) {{
  const target = name.toLowerCase();
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === target);
  return found?.[1];
}}

async function load(key) {{
  const result = await doc.send(new GetCommand({{ TableName: TABLE, Key: {{ pk: key }} }}));
  return result.Item;
}}

async function save(key, body) {{
  const item = {{ pk: key, status: "accepted", amount: body.amount, createdAt: Date.now() }};
  await doc.send(new PutCommand({{ TableName: TABLE, Item: item, ConditionExpression: "attribute_not_exists(pk)" }}));
  await sqs.send(new SendMessageCommand({{ QueueUrl: QUEUE_URL, MessageBody: JSON.stringify(item) }}));
  return item;
}}

export const handler = async (event, context) => {{
  const requestId = context?.awsRequestId ?? randomUUID();
  const method = event.requestContext?.http?.method ?? "GET";
  if (method !== "POST") {{
    return json(404, {{ error: "not_found" }});
  }}
  const key = readHeader(event.headers, "idempotency-key");
  if (!key) {{
    return json(400, {{ error: "idempotency_key_required" }});
  }}
  const existing = await load(key);
  if (existing) {{
    return json(200, {{ ...existing, replay: true }});
  }}
  let body;
  try {{
    body = JSON.parse(event.body ?? "");
  }} catch {{
    return json(400, {{ error: "invalid_json" }});
  }}
  if (!Number.isFinite(body.amount) || body.amount <= 0) {{
    return json(400, {{ error: "invalid_{noun}" }});
  }}
  try {{
    const item = await save(key, body);
    console.log(JSON.stringify({{ level: "info", message: "{name}.accepted", requestId }}));
    return json(202, item);
  }} catch (err) {{
    console.error(JSON.stringify({{ level: "error", message: "{name}.failed", requestId }}));
    throw err;
  }}
}};
'''

WORKER = '''\
export interface Env {{
  KV: KVNamespace;
  DB: D1Database;
  JOBS: Queue;
  API_TOKEN: string;
}}

async function remember(env: Env, key: string, value: unknown): Promise<void> {{
  await env.KV.put(key, JSON.stringify(value), {{ expirationTtl: 86400 }});
}}

export default {{
  async fetch(request: Request, env: Env): Promise<Response> {{
    const url = new URL(request.url);
    if (url.pathname === "/health") {{
      return new Response("ok");
    }}
    if (request.method !== "POST") {{
      return Response.json({{ error: "not_found" }}, {{ status: 404 }});
    }}
    const key = request.headers.get("idempotency-key");
    if (!key) {{
      return Response.json({{ error: "idempotency_key_required" }}, {{ status: 400 }});
    }}
    const cached = await env.KV.get(key, "json");
    if (cached) {{
      return Response.json(cached);
    }}
    let body: {{ amount?: number }};
    try {{
      body = await request.json();
    }} catch {{
      return Response.json({{ error: "invalid_json" }}, {{ status: 400 }});
    }}
    const row = await env.DB.prepare("INSERT INTO {noun} (id, amount) VALUES (?, ?) ON CONFLICT DO NOTHING")
      .bind(key, body.amount ?? 0)
      .run();
    await env.JOBS.send({{ key, amount: body.amount }});
    await remember(env, key, {{ id: key, inserted: row.meta.changes }});
    return Response.json({{ id: key }}, {{ status: 202 }});
  }},

  async queue(batch: MessageBatch<{{ key: string }}>, env: Env): Promise<void> {{
    for (const message of batch.messages) {{
      await env.DB.prepare("UPDATE {noun} SET done = 1 WHERE id = ?").bind(message.body.key).run();
      message.ack();
    }}
  }},
}};
'''

NOUNS = ["orders", "payments", "refunds", "invoices", "shipments", "users", "carts", "reports"]


def template(service: str, functions: int, rng: random.Random) -> tuple[str, list[tuple[str, str]]]:
    lines = [
        'AWSTemplateFormatVersion: "2010-09-09"',
        "Transform: AWS::Serverless-2016-10-31",
        f"Description: {service} service",
        "Globals:",
        "  Function:",
        "    MemorySize: 256",
        "    Timeout: 10",
        "    Tracing: Active",
        "    Environment:",
        "      Variables:",
        "        TABLE_NAME: !Ref Table",
        "        QUEUE_URL: !Ref Queue",
        "Resources:",
    ]
    handlers = []
    for index in range(functions):
        noun = rng.choice(NOUNS)
        python = index % 2 == 0
        name = f"{noun.capitalize()}{index}Function"
        folder = f"src/fn{index}"
        handlers.append((f"{folder}/{'app.py' if python else 'index.mjs'}", (PY_HANDLER if python else NODE_HANDLER).format(name=name, noun=noun, service=service)))
        runtime = "python3.13" if python else "nodejs24.x"
        handler = "app.handler" if python else "index.handler"
        lines += [
            f"  {name}:",
            "    Type: AWS::Serverless::Function",
            "    Properties:",
            f"      CodeUri: {folder}/",
            f"      Runtime: {runtime}",
            f"      Handler: {handler}",
            "      Policies:",
            "        - DynamoDBCrudPolicy:",
            "            TableName: !Ref Table",
            "        - Statement:",
            "            - Effect: Allow",
            "              Action: [sqs:SendMessage]",
            "              Resource: !GetAtt Queue.Arn",
            "      Events:",
        ]
        if python:
            lines += ["        Jobs:", "          Type: SQS", "          Properties:", "            Queue: !GetAtt Queue.Arn", "            FunctionResponseTypes: [ReportBatchItemFailures]"]
        else:
            lines += ["        Api:", "          Type: HttpApi", "          Properties:", f"            Path: /{noun}/{index}", "            Method: POST"]
        lines += [
            f"  {name}Logs:",
            "    Type: AWS::Logs::LogGroup",
            "    Properties:",
            f"      LogGroupName: !Sub /aws/lambda/${{{name}}}",
            "      RetentionInDays: 30",
        ]
    lines += [
        "  Queue:",
        "    Type: AWS::SQS::Queue",
        "    Properties:",
        "      VisibilityTimeout: 60",
        "      RedrivePolicy:",
        "        deadLetterTargetArn: !GetAtt DeadLetters.Arn",
        "        maxReceiveCount: 5",
        "  DeadLetters:",
        "    Type: AWS::SQS::Queue",
        "  Table:",
        "    Type: AWS::DynamoDB::Table",
        "    Properties:",
        "      BillingMode: PAY_PER_REQUEST",
        "      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]",
        "      KeySchema: [{AttributeName: pk, KeyType: HASH}]",
    ]
    return "\n".join(lines) + "\n", handlers


def wrangler(name: str) -> str:
    return (
        f'name = "{name}"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n\n'
        '[[kv_namespaces]]\nbinding = "KV"\nid = "0f2ac74b498b48028cb68387c421e279"\n\n'
        '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "main"\ndatabase_id = "4a6d9f0e-2b1c-4c3d-9e8f-7a6b5c4d3e2f"\n\n'
        '[[queues.producers]]\nbinding = "JOBS"\nqueue = "jobs"\n\n[[queues.consumers]]\nqueue = "jobs"\n\n'
        f'[env.production]\nname = "{name}-production"\n\n'
        '[[env.production.kv_namespaces]]\nbinding = "KV"\nid = "a825455ce00f4f7282403da85269f8ea"\n'
    )


def generate(root: Path, services: int, functions: int, workers: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for s in range(services):
        service = f"service{s:03d}"
        text, handlers = template(service, functions, rng)
        base = root / service
        base.mkdir(parents=True, exist_ok=True)
        (base / "template.yaml").write_text(text)
        for path, code in handlers:
            (base / path).parent.mkdir(parents=True, exist_ok=True)
            (base / path).write_text(code)
    for w in range(workers):
        base = root / f"worker{w:03d}"
        (base / "src").mkdir(parents=True, exist_ok=True)
        (base / "wrangler.toml").write_text(wrangler(f"worker{w:03d}"))
        (base / "src" / "index.ts").write_text(WORKER.format(noun=rng.choice(NOUNS)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--services", type=int, default=20)
    parser.add_argument("--functions", type=int, default=10)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    generate(args.root, args.services, args.functions, args.workers)


if __name__ == "__main__":
    main()
