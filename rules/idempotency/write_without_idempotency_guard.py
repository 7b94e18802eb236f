from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Facts
from slsreview.analysis.side_effects import not_a_queue, repeated_side_effects
from slsreview.analysis.triggers import (
    Trigger,
    at_least_once,
    describe,
    routes_running,
    worker_at_least_once,
)
from slsreview.model.project import Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule


def _sam(events: str, handler: str = "app.handler", runtime: str = "python3.13", extra: str = "") -> str:
    return (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  LedgerWriterFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      CodeUri: src/\n"
        f"      Handler: {handler}\n"
        f"      Runtime: {runtime}\n"
        "      Events:\n"
        f"{events}"
        f"{extra}"
    )


_SQS = "        Payments:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt PaymentsQueue.Arn\n"
_SQS_2 = "        Refunds:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt RefundsQueue.Arn\n"
_QUEUES = "  PaymentsQueue:\n    Type: AWS::SQS::Queue\n  RefundsQueue:\n    Type: AWS::SQS::Queue\n"
_S3 = "        Uploads:\n          Type: S3\n          Properties:\n            Bucket: !Ref UploadsBucket\n            Events: s3:ObjectCreated:*\n"
_BUCKET = "  UploadsBucket:\n    Type: AWS::S3::Bucket\n"
_EVENTBRIDGE = "        OrderPlaced:\n          Type: EventBridgeRule\n          Properties:\n            Pattern: {source: [shop.orders]}\n"
_KINESIS = "        Clicks:\n          Type: Kinesis\n          Properties:\n            Stream: !GetAtt ClicksStream.Arn\n            StartingPosition: LATEST\n"
_POST = "        CreateOrder:\n          Type: HttpApi\n          Properties:\n            Path: /orders\n            Method: POST\n"
_GET = "        ListOrders:\n          Type: HttpApi\n          Properties:\n            Path: /orders\n            Method: GET\n"

_WRANGLER_QUEUE = (
    'name = "ledger"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n\n'
    '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "ledger"\ndatabase_id = "4a6d9f0e"\n\n'
    '[[queues.consumers]]\nqueue = "payments"\n'
)
_WRANGLER_FETCH = (
    'name = "webhooks"\nmain = "src/index.js"\ncompatibility_date = "2025-06-01"\n\n'
    '[[kv_namespaces]]\nbinding = "EVENTS"\nid = "0f2ac74b498b48028cb68387c421e279"\n'
)


class WriteWithoutIdempotencyGuard(Rule):
    """
    ## What it does
    Finds functions and Workers fed by a trigger that delivers at least once — SQS, SNS,
    EventBridge rules and schedules, S3 notifications, Kinesis and DynamoDB streams, Kafka and MQ,
    asynchronous invokes (`AWS::Lambda::Permission` from S3/SNS/EventBridge/IoT/Logs,
    `EventInvokeConfig`), Workers Queues consumers, and HTTP routes that take writes (POST, PUT,
    PATCH or ANY on `Api`/`HttpApi`, a function URL, a Worker's `fetch`) — whose handler performs a
    side effect that a second delivery repeats:

    - a write whose key is made by randomness or the clock (`uuid4()`, `crypto.randomUUID()`,
      `Date.now()`): DynamoDB `PutItem`/`BatchWriteItem`/`TransactWriteItems`, S3 `PutObject`,
      Workers KV and R2 `put`, a SQL `INSERT` without `ON CONFLICT` (D1, PostgreSQL and MySQL
      through psycopg, PyMySQL, pg, mysql2, postgres.js or Neon, the RDS Data API);
    - an update that adds to what is stored: DynamoDB `UpdateItem` with `ADD`, `SET n = n + :x` or
      `list_append` and no `ConditionExpression`; a SQL `UPDATE ... SET n = n + ?`;
    - a delivery with no key, or a fresh one: a Stripe charge without an idempotency key, an SES
      email or SNS text message, an SQS/SNS/EventBridge/Queues message or an outbound POST whose
      deduplication id, `Idempotency-Key` or payload id is made fresh on every run.

    It stays silent when something makes the repeat harmless: Powertools idempotency on the
    handler (`@idempotent`, `makeIdempotent`, middy `makeHandlerIdempotent`) or on the function
    doing the work (`@idempotent_function`); a claim earlier in the run (a write with a
    `ConditionExpression` keyed by the event, `INSERT ... ON CONFLICT DO NOTHING`, `INSERT OR
    IGNORE`, a Durable Object named by the event), also in an imported local module; a lookup of
    the delivery's own id before the work; keys derived from the event's identity (`messageId`,
    the EventBridge `id`, the S3 object key, the `Idempotency-Key` header, a business id from the
    body); and downstream keys (`idempotency_key=`/`idempotencyKey`, an `Idempotency-Key` header,
    `ClientRequestToken`, `MessageDeduplicationId`, a FIFO `MessageGroupId`). Keys are followed
    through the project's own functions, in the handler's file and the local modules it imports
    (a `lib/` helper that writes with the `uuid4()` its caller made, a `keyOf(record)` that
    returns the message id); a key the analysis cannot trace is not reported; in a DynamoDB item the clock counts only in key attributes
    (`pk`, `sk`, `id`, `orderId`...), since items carry `createdAt` beside a stable key. On HTTP
    triggers, a write in a GET route (`@app.get`, `app.get(...)`) or behind a
    `request.method === "GET"` test (also one a local predicate returns: `if
    (isSessionStart(request, url))`) is not a retried write, and an email or text message without
    a key is left to SLS105 (the API contract is the fix). One finding per offending call, naming
    every trigger that runs it (a Worker's `queue` and `fetch` are told apart).

    ## Why is this bad?
    Lambda's pollers and asynchronous invokes, SNS, EventBridge, S3 and Workers Queues all deliver
    at least once: a batch that times out or fails is delivered again, an asynchronous invoke is
    retried twice, a consumer that crashes after writing but before acknowledging sees the message
    again. HTTP clients and webhook providers resend a request whose answer they did not receive.
    A handler that writes with a fresh key, charges without an idempotency key or adds to a counter
    then records the payment twice, charges the customer twice, ships twice.

    ## Why this tier
    Blocking: the duplicate is not hypothetical — every at-least-once source redelivers in normal
    operation (timeouts, throttling, deploys), and the damage is duplicated data or money.

    ## Example
    ```python
    def handler(event, context):
        for record in event["Records"]:
            table.put_item(Item={"pk": str(uuid.uuid4()), "amount": json.loads(record["body"])["amount"]})
    ```

    ## Use instead
    ```python
    def handler(event, context):
        for record in event["Records"]:
            table.put_item(
                Item={"pk": record["messageId"], "amount": json.loads(record["body"])["amount"]},
                ConditionExpression="attribute_not_exists(pk)",
            )
    ```
    or decorate the handler with Powertools `@idempotent` (JavaScript: `makeIdempotent`).

    ## References
    - [Lambda: using Lambda with Amazon SQS (at-least-once delivery, idempotency)](https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html)
    - [How Lambda handles errors and retries](https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html)
    - [Lambda: asynchronous invocation](https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html)
    - [How do I make my Lambda function idempotent?](https://repost.aws/knowledge-center/lambda-function-idempotent)
    - [Powertools for AWS Lambda (Python): Idempotency](https://docs.powertools.aws.dev/lambda/python/latest/utilities/idempotency/)
    - [Powertools for AWS Lambda (TypeScript): Idempotency](https://docs.powertools.aws.dev/lambda/typescript/latest/utilities/idempotency/)
    - [Cloudflare Queues: delivery guarantees](https://developers.cloudflare.com/queues/reference/delivery-guarantees/)
    - [Stripe: idempotent requests](https://docs.stripe.com/api/idempotent_requests)
    """

    id = "SLS101"
    name = "write-without-idempotency-guard"
    category = "idempotency"
    tier = "blocking"
    platforms = ("aws-lambda", "cloudflare-workers")
    title = "A side effect a redelivered event or retried request repeats"
    fix = (
        "Derive the key from the event's identity (the message id, the S3 object key, the Idempotency-Key "
        "header or a business id) and write conditionally, or guard the handler with Powertools idempotency."
    )
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-retries.html",
        "https://docs.powertools.aws.dev/lambda/python/latest/utilities/idempotency/",
        "https://developers.cloudflare.com/queues/reference/delivery-guarantees/",
    )

    bad = [
        Example(
            {
                "template.yaml": _sam(_SQS, extra=_QUEUES),
                "src/app.py": (
                    "import json\n"
                    "import os\n"
                    "import uuid\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'table = boto3.resource("dynamodb").Table(os.environ["LEDGER_TABLE"])\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    for record in event["Records"]:\n'
                    '        payment = json.loads(record["body"])\n'
                    '        table.put_item(Item={"pk": str(uuid.uuid4()), "amount": payment["amount"]})\n'
                ),
            },
            expect=[
                Expect(
                    "src/app.py",
                    13,
                    9,
                    "LedgerWriterFunction writes to DynamoDB for every SQS message (Payments) with a fresh uuid4 key; "
                    "a redelivered message writes a second item",
                )
            ],
            name="python-sqs-uuid4-key",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS + _SQS_2, handler="index.handler", runtime="nodejs22.x", extra=_QUEUES),
                "src/index.mjs": (
                    'import { randomUUID } from "node:crypto";\n'
                    'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\n'
                    'import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";\n'
                    "\n"
                    "const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  for (const record of event.Records) {\n"
                    "    const payment = JSON.parse(record.body);\n"
                    "    await doc.send(new PutCommand({ TableName: process.env.LEDGER_TABLE, Item: { pk: randomUUID(), amount: payment.amount } }));\n"
                    "  }\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.mjs",
                    10,
                    11,
                    "LedgerWriterFunction writes to DynamoDB for every SQS message (Payments) and SQS message (Refunds) "
                    "with a fresh crypto.randomUUID key; a redelivered message writes a second item",
                )
            ],
            name="node-two-queues-one-finding",
        ),
        Example(
            {
                "template.yaml": _sam(_EVENTBRIDGE),
                "src/app.py": (
                    "import stripe\n"
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    order = event["detail"]\n'
                    '    stripe.PaymentIntent.create(amount=order["amount"], currency="eur", customer=order["customer"])\n'
                ),
            },
            expect=[
                Expect(
                    "src/app.py",
                    6,
                    5,
                    "LedgerWriterFunction creates a Stripe payment intent for every EventBridge event (OrderPlaced) "
                    "without an idempotency key; a redelivered event charges again",
                )
            ],
            name="python-payment-without-idempotency-key",
        ),
        Example(
            {
                "template.yaml": _sam(_KINESIS, handler="index.handler", runtime="nodejs22.x"),
                "src/index.ts": (
                    'import { DynamoDBClient, UpdateItemCommand } from "@aws-sdk/client-dynamodb";\n'
                    'import type { KinesisStreamEvent } from "aws-lambda";\n'
                    "\n"
                    "const ddb = new DynamoDBClient({});\n"
                    "\n"
                    "export async function handler(event: KinesisStreamEvent): Promise<void> {\n"
                    "  for (const record of event.Records) {\n"
                    '    const click = JSON.parse(Buffer.from(record.kinesis.data, "base64").toString());\n'
                    "    await ddb.send(new UpdateItemCommand({\n"
                    '      TableName: "clicks",\n'
                    "      Key: { page: { S: click.page } },\n"
                    '      UpdateExpression: "ADD hits :one",\n'
                    '      ExpressionAttributeValues: { ":one": { N: "1" } },\n'
                    "    }));\n"
                    "  }\n"
                    "}\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.ts",
                    9,
                    11,
                    "LedgerWriterFunction updates DynamoDB for every Kinesis record (Clicks) with an update that adds "
                    "to what is stored (ADD hits :one); a retried batch adds it twice",
                )
            ],
            name="typescript-counter-update",
        ),
        Example(
            {
                "template.yaml": _sam(_POST),
                "src/app.py": (
                    "import json\n"
                    "import time\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    's3 = boto3.client("s3")\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    s3.put_object(Bucket="orders", Key=f"incoming/{time.time()}.json", Body=event["body"])\n'
                    '    return {"statusCode": 202}\n'
                ),
            },
            expect=[
                Expect(
                    "src/app.py",
                    10,
                    5,
                    "LedgerWriterFunction writes to S3 for every POST /orders request (CreateOrder) with a key taken "
                    "from the clock (time.time); a retried request writes a second object",
                )
            ],
            name="python-post-route-clock-key",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER_QUEUE,
                "src/index.ts": (
                    "export default {\n"
                    "  async queue(batch: MessageBatch<{ amount: number }>, env: Env): Promise<void> {\n"
                    "    for (const message of batch.messages) {\n"
                    '      await env.DB.prepare("INSERT INTO ledger (id, amount) VALUES (?, ?)")\n'
                    "        .bind(crypto.randomUUID(), message.body.amount)\n"
                    "        .run();\n"
                    "      message.ack();\n"
                    "    }\n"
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.ts",
                    4,
                    13,
                    "ledger inserts into D1 for every Queues message (payments) with a fresh crypto.randomUUID key; "
                    "a redelivered message inserts a second row",
                )
            ],
            name="worker-queue-consumer-d1-insert",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER_FETCH,
                "src/index.js": (
                    "export default {\n"
                    "  async fetch(request, env) {\n"
                    '    if (request.method !== "POST") return new Response("method not allowed", { status: 405 });\n'
                    "    const event = await request.json();\n"
                    "    await env.EVENTS.put(`event:${Date.now()}`, JSON.stringify(event));\n"
                    '    return new Response("ok");\n'
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.js",
                    5,
                    11,
                    "webhooks writes to Workers KV for every POST request with a key taken from the clock (Date.now); "
                    "a retried request writes a second entry",
                )
            ],
            name="worker-webhook-clock-key",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, handler="index.handler", runtime="nodejs22.x", extra=_QUEUES),
                "src/index.ts": (
                    'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\n'
                    'import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";\n'
                    'import type { SQSEvent } from "aws-lambda";\n'
                    "\n"
                    "const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));\n"
                    "\n"
                    "export async function handler(event: SQSEvent): Promise<void> {\n"
                    "  for (const record of event.Records) {\n"
                    "    const payment = JSON.parse(record.body);\n"
                    "    const entry = { pk: `account#${payment.account}`, sk: `entry#${Date.now()}`, amount: payment.amount };\n"
                    "    await doc.send(new PutCommand({ TableName: process.env.LEDGER_TABLE, Item: entry }));\n"
                    "  }\n"
                    "}\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.ts",
                    11,
                    11,
                    "LedgerWriterFunction writes to DynamoDB for every SQS message (Payments) with a key taken from "
                    "the clock (Date.now); a redelivered message writes a second item",
                )
            ],
            name="typescript-sort-key-from-the-clock",
        ),
        Example(
            {
                "template.yaml": _sam(_POST.replace("Path: /orders", "Path: /{proxy+}").replace("Method: POST", "Method: ANY")),
                "src/app.py": (
                    "import uuid\n"
                    "\n"
                    "import boto3\n"
                    "from aws_lambda_powertools.event_handler import APIGatewayHttpResolver\n"
                    "\n"
                    "app = APIGatewayHttpResolver()\n"
                    'table = boto3.resource("dynamodb").Table("orders")\n'
                    "\n"
                    "\n"
                    '@app.post("/orders")\n'
                    "def create_order():\n"
                    '    table.put_item(Item={"pk": str(uuid.uuid4()), "order": app.current_event.json_body})\n'
                    '    return {"created": True}\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    "    return app.resolve(event, context)\n"
                ),
            },
            expect=[
                Expect(
                    "src/app.py",
                    12,
                    5,
                    "LedgerWriterFunction writes to DynamoDB for every POST /orders request with a fresh uuid4 key; "
                    "a retried request writes a second item",
                )
            ],
            name="python-powertools-post-route",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, extra=_QUEUES),
                "src/app.py": (
                    "import json\n"
                    "from uuid import uuid4\n"
                    "\n"
                    "from lib.ledger import record_payment\n"
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    for record in event["Records"]:\n'
                    '        payment = json.loads(record["body"])\n'
                    '        record_payment(entry_id=str(uuid4()), amount=payment["amount"])\n'
                ),
                "src/lib/__init__.py": "",
                "src/lib/ledger.py": (
                    "import os\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'table = boto3.resource("dynamodb").Table(os.environ["LEDGER_TABLE"])\n'
                    "\n"
                    "\n"
                    "def record_payment(entry_id, amount):\n"
                    '    table.put_item(Item={"pk": entry_id, "amount": amount})\n'
                ),
            },
            expect=[
                Expect(
                    "src/lib/ledger.py",
                    9,
                    5,
                    "LedgerWriterFunction writes to DynamoDB for every SQS message (Payments) with a fresh uuid4 key; "
                    "a redelivered message writes a second item",
                )
            ],
            name="python-key-made-by-the-caller-written-in-a-local-module",
        ),
        Example(
            {
                "template.yaml": _sam(_POST, handler="index.handler", runtime="nodejs22.x"),
                "src/index.mjs": (
                    'import { randomBytes } from "node:crypto";\n'
                    'import { saveRide } from "./rides.mjs";\n'
                    "\n"
                    "const toId = (buffer) => buffer.toString(\"base64url\");\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  const ride = JSON.parse(event.body);\n"
                    "  await saveRide(toId(randomBytes(16)), ride.pickup);\n"
                    "  return { statusCode: 201 };\n"
                    "};\n"
                ),
                "src/rides.mjs": (
                    'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\n'
                    'import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";\n'
                    "\n"
                    "const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));\n"
                    "\n"
                    "export function saveRide(rideId, pickup) {\n"
                    "  return doc.send(new PutCommand({ TableName: \"rides\", Item: { rideId, pickup } }));\n"
                    "}\n"
                ),
            },
            expect=[
                Expect(
                    "src/rides.mjs",
                    7,
                    10,
                    "LedgerWriterFunction writes to DynamoDB for every POST /orders request (CreateOrder) with a fresh "
                    "crypto.randomBytes key; a retried request writes a second item",
                )
            ],
            name="node-key-made-by-the-caller-written-in-a-local-module",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, extra=_QUEUES),
                "src/app.py": (
                    "import json\n"
                    "import os\n"
                    "import uuid\n"
                    "\n"
                    "import psycopg2\n"
                    "\n"
                    'db = psycopg2.connect(os.environ["ORDERS_DSN"])\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    for record in event["Records"]:\n'
                    '        order = json.loads(record["body"])\n'
                    "        with db.cursor() as cur:\n"
                    "            cur.execute(\n"
                    '                "INSERT INTO orders (id, customer, total) VALUES (%s, %s, %s)",\n'
                    '                (str(uuid.uuid4()), order["customer"], order["total"]),\n'
                    "            )\n"
                    "        db.commit()\n"
                ),
            },
            expect=[
                Expect(
                    "src/app.py",
                    14,
                    13,
                    "LedgerWriterFunction inserts into PostgreSQL for every SQS message (Payments) with a fresh uuid4 key; "
                    "a redelivered message inserts a second row",
                )
            ],
            name="python-sqs-psycopg2-insert-with-uuid4",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, handler="index.handler", runtime="nodejs22.x", extra=_QUEUES),
                "src/index.mjs": (
                    'import pg from "pg";\n'
                    "\n"
                    "const pool = new pg.Pool({ connectionString: process.env.LEDGER_URL });\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  for (const record of event.Records) {\n"
                    "    const credit = JSON.parse(record.body);\n"
                    '    await pool.query("UPDATE accounts SET balance = balance + $1 WHERE id = $2", [credit.amount, credit.account]);\n'
                    "  }\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.mjs",
                    8,
                    11,
                    "LedgerWriterFunction updates PostgreSQL for every SQS message (Payments) with an update that adds "
                    "to what is stored; a redelivered message adds it twice",
                )
            ],
            name="node-sqs-pg-balance-counter",
        ),
        Example(
            {
                "wrangler.toml": (
                    'name = "ledger"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n'
                    'compatibility_flags = ["nodejs_compat"]\n\n'
                    '[[hyperdrive]]\nbinding = "LEDGER_DB"\nid = "7d1c0a5e9b2f4c8d"\n\n'
                    '[[queues.consumers]]\nqueue = "payments"\n'
                ),
                "src/index.ts": (
                    'import postgres from "postgres";\n'
                    "\n"
                    "export default {\n"
                    "  async queue(batch: MessageBatch<{ amount: number }>, env: Env): Promise<void> {\n"
                    "    const sql = postgres(env.LEDGER_DB.connectionString);\n"
                    "    for (const message of batch.messages) {\n"
                    "      await sql`INSERT INTO ledger (id, amount) VALUES (${crypto.randomUUID()}, ${message.body.amount})`;\n"
                    "      message.ack();\n"
                    "    }\n"
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.ts",
                    7,
                    13,
                    "ledger inserts into PostgreSQL for every Queues message (payments) with a fresh crypto.randomUUID key; "
                    "a redelivered message inserts a second row",
                )
            ],
            name="worker-hyperdrive-postgres-js-insert-with-random-uuid",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _sam(_SQS, extra=_QUEUES),
                "src/app.py": (
                    "import json\n"
                    "import os\n"
                    "\n"
                    "import psycopg\n"
                    "\n"
                    'db = psycopg.connect(os.environ["ORDERS_DSN"])\n'
                    'db.execute("CREATE TABLE IF NOT EXISTS orders (order_id text PRIMARY KEY, status text, total int)")\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    for record in event["Records"]:\n'
                    '        order = json.loads(record["body"])\n'
                    "        db.execute(\n"
                    '            "INSERT INTO orders (order_id, total) VALUES (%s, %s) ON CONFLICT (order_id) DO NOTHING",\n'
                    '            (order["order_id"], order["total"]),\n'
                    "        )\n"
                    '        db.execute("UPDATE orders SET status = \'paid\' WHERE order_id = %s", (order["order_id"],))\n'
                    '        db.execute("SELECT status FROM orders WHERE order_id = %s", (order["order_id"],))\n'
                ),
            },
            name="python-psycopg-schema-upsert-overwrite-and-select-keyed-by-the-order",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, handler="index.handler", runtime="nodejs22.x", extra=_QUEUES),
                "src/index.mjs": (
                    'import mysql from "mysql2/promise";\n'
                    'import { Client } from "pg";\n'
                    "\n"
                    "const pool = mysql.createPool(process.env.SHOP_URL);\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  const client = new Client();\n"
                    "  await client.connect();\n"
                    "  for (const record of event.Records) {\n"
                    "    const order = JSON.parse(record.body);\n"
                    "    await client.query({\n"
                    '      text: "INSERT INTO orders (order_id, total) VALUES ($1, $2) ON CONFLICT (order_id) DO UPDATE SET total = EXCLUDED.total",\n'
                    "      values: [order.orderId, order.total],\n"
                    "    });\n"
                    '    await pool.execute("INSERT IGNORE INTO shipments (order_id) VALUES (?)", [order.orderId]);\n'
                    "  }\n"
                    "};\n"
                ),
            },
            name="node-pg-upsert-and-mysql2-insert-keyed-by-the-order",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, extra=_QUEUES),
                "src/app.py": (
                    "import os\n"
                    "import uuid\n"
                    "\n"
                    "import pymysql\n"
                    "\n"
                    "from queries import statement_for\n"
                    "\n"
                    'db = pymysql.connect(host=os.environ["DB_HOST"])\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    for record in event["Records"]:\n'
                    "        with db.cursor() as cur:\n"
                    "            cur.execute(statement_for(record), (str(uuid.uuid4()),))\n"
                ),
            },
            name="python-sql-the-analysis-cannot-read",
        ),
        Example(
            {
                "template.yaml": _sam(_GET),
                "src/app.py": (
                    "import os\n"
                    "import uuid\n"
                    "\n"
                    "import psycopg2\n"
                    "\n"
                    'db = psycopg2.connect(os.environ["ORDERS_DSN"])\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    "    with db.cursor() as cur:\n"
                    '        cur.execute("INSERT INTO page_views (id, path) VALUES (%s, %s)", (str(uuid.uuid4()), event["rawPath"]))\n'
                    '    return {"statusCode": 200}\n'
                ),
            },
            name="python-get-route-logging-a-view-as-d1-does",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, extra=_QUEUES),
                "src/app.py": (
                    "import json\n"
                    "import os\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'table = boto3.resource("dynamodb").Table(os.environ["LEDGER_TABLE"])\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    for record in event["Records"]:\n'
                    '        payment = json.loads(record["body"])\n'
                    "        table.put_item(\n"
                    '            Item={"pk": record["messageId"], "amount": payment["amount"]},\n'
                    '            ConditionExpression="attribute_not_exists(pk)",\n'
                    "        )\n"
                ),
            },
            name="python-key-from-message-id",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, extra=_QUEUES),
                "src/app.py": (
                    "import os\n"
                    "import uuid\n"
                    "\n"
                    "import boto3\n"
                    "from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent\n"
                    "\n"
                    'persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE"])\n'
                    'table = boto3.resource("dynamodb").Table(os.environ["LEDGER_TABLE"])\n'
                    "\n"
                    "\n"
                    "@idempotent(persistence_store=persistence)\n"
                    "def handler(event, context):\n"
                    '    table.put_item(Item={"pk": str(uuid.uuid4()), "amount": 1})\n'
                ),
            },
            name="python-powertools-idempotent",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, handler="index.handler", runtime="nodejs22.x", extra=_QUEUES),
                "src/index.mjs": (
                    'import { randomUUID } from "node:crypto";\n'
                    'import { makeIdempotent } from "@aws-lambda-powertools/idempotency";\n'
                    'import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";\n'
                    'import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";\n'
                    'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\n'
                    "\n"
                    "const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));\n"
                    "const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE });\n"
                    "\n"
                    "export const handler = makeIdempotent(async (event) => {\n"
                    "  await doc.send(new PutCommand({ TableName: process.env.LEDGER_TABLE, Item: { pk: randomUUID() } }));\n"
                    "}, { persistenceStore });\n"
                ),
            },
            name="node-powertools-make-idempotent",
        ),
        Example(
            {
                "template.yaml": _sam(_S3, extra=_BUCKET),
                "src/app.py": (
                    "import boto3\n"
                    "\n"
                    's3 = boto3.client("s3")\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    for record in event["Records"]:\n'
                    '        key = record["s3"]["object"]["key"]\n'
                    '        s3.put_object(Bucket="thumbnails", Key=f"thumbs/{key}", Body=b"...")\n'
                ),
            },
            name="python-s3-output-key-derived-from-input-key",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, handler="index.handler", runtime="nodejs22.x", extra=_QUEUES),
                "src/index.mjs": (
                    'import { randomUUID } from "node:crypto";\n'
                    'import { claim } from "./lib/claims.mjs";\n'
                    'import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";\n'
                    'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\n'
                    "\n"
                    "const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  for (const record of event.Records) {\n"
                    "    if (!(await claim(record.messageId))) continue;\n"
                    "    await doc.send(new PutCommand({ TableName: process.env.LEDGER_TABLE, Item: { pk: randomUUID() } }));\n"
                    "  }\n"
                    "};\n"
                ),
                "src/lib/claims.mjs": (
                    'import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";\n'
                    'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\n'
                    "\n"
                    "const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));\n"
                    "\n"
                    "export async function claim(messageId) {\n"
                    "  try {\n"
                    "    await doc.send(new PutCommand({\n"
                    "      TableName: process.env.CLAIMS_TABLE,\n"
                    "      Item: { pk: messageId },\n"
                    '      ConditionExpression: "attribute_not_exists(pk)",\n'
                    "    }));\n"
                    "    return true;\n"
                    "  } catch (err) {\n"
                    '    if (err.name === "ConditionalCheckFailedException") return false;\n'
                    "    throw err;\n"
                    "  }\n"
                    "}\n"
                ),
            },
            name="node-claim-in-an-imported-module",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, handler="index.handler", runtime="nodejs22.x", extra=_QUEUES),
                "src/index.mjs": (
                    'import Stripe from "stripe";\n'
                    "\n"
                    "const stripe = new Stripe(process.env.STRIPE_KEY);\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  for (const record of event.Records) {\n"
                    "    const order = JSON.parse(record.body);\n"
                    "    await stripe.paymentIntents.create(\n"
                    '      { amount: order.amount, currency: "eur" },\n'
                    "      { idempotencyKey: record.messageId },\n"
                    "    );\n"
                    "  }\n"
                    "};\n"
                ),
            },
            name="node-payment-with-idempotency-key",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, extra=_QUEUES),
                "src/app.py": (
                    "import json\n"
                    "import uuid\n"
                    "\n"
                    "import boto3\n"
                    "import requests\n"
                    "\n"
                    'sqs = boto3.client("sqs")\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    for record in event["Records"]:\n'
                    '        order = json.loads(record["body"])\n'
                    "        sqs.send_message(\n"
                    '            QueueUrl="https://sqs.eu-west-1.amazonaws.com/123456789012/shipments.fifo",\n'
                    '            MessageBody=json.dumps({"shipment": str(uuid.uuid4()), "order": order["id"]}),\n'
                    '            MessageGroupId=order["id"],\n'
                    '            MessageDeduplicationId=record["messageId"],\n'
                    "        )\n"
                    "        requests.post(\n"
                    '            "https://carrier.example.com/pickups",\n'
                    '            json={"order": order["id"]},\n'
                    '            headers={"Idempotency-Key": record["messageId"]},\n'
                    "            timeout=5,\n"
                    "        )\n"
                ),
            },
            name="python-downstream-deduplication-ids",
        ),
        Example(
            {
                "template.yaml": _sam(_GET),
                "src/app.py": (
                    "import time\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'table = boto3.resource("dynamodb").Table("visits")\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    table.put_item(Item={"pk": f"visit#{time.time_ns()}"})\n'
                    '    return {"statusCode": 200}\n'
                ),
            },
            name="python-get-route-is-not-retried-as-a-write",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER_FETCH.replace("index.js", "index.ts") + '\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "webhooks"\ndatabase_id = "4a6d9f0e"\n',
                "src/index.ts": (
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    '    if (request.method !== "POST") return new Response("method not allowed", { status: 405 });\n'
                    '    const key = request.headers.get("Idempotency-Key");\n'
                    '    if (!key) return new Response("Idempotency-Key required", { status: 400 });\n'
                    "    const event = await request.json<{ amount: number }>();\n"
                    "    await env.DB.prepare(\n"
                    '      "INSERT INTO deliveries (key, amount) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",\n'
                    "    ).bind(key, event.amount).run();\n"
                    '    await env.EVENTS.put(`event:${crypto.randomUUID()}`, "received");\n'
                    '    return new Response("ok");\n'
                    "  },\n"
                    "};\n"
                ),
            },
            name="worker-webhook-claims-the-idempotency-key-first",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER_FETCH,
                "src/index.js": (
                    "export default {\n"
                    "  async fetch(request, env) {\n"
                    '    if (request.method !== "GET") return new Response("method not allowed", { status: 405 });\n'
                    "    await env.EVENTS.put(`seen:${Date.now()}`, request.url);\n"
                    '    return new Response("ok");\n'
                    "  },\n"
                    "};\n"
                ),
            },
            name="worker-fetch-that-only-serves-get",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, extra=_QUEUES),
                "src/app.py": (
                    "import json\n"
                    "import os\n"
                    "import time\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'table = boto3.resource("dynamodb").Table(os.environ["LEDGER_TABLE"])\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    for record in event["Records"]:\n'
                    '        payment = json.loads(record["body"])\n'
                    '        table.put_item(Item={"pk": payment["paymentId"], "amount": payment["amount"], "createdAt": int(time.time())})\n'
                ),
            },
            name="python-timestamp-beside-a-key-from-the-body",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER_FETCH.replace("index.js", "index.ts"),
                "src/index.ts": (
                    'import { Hono } from "hono";\n'
                    "\n"
                    "const app = new Hono<{ Bindings: { EVENTS: KVNamespace } }>();\n"
                    "\n"
                    'app.get("/r/:slug", async (c) => {\n'
                    '  await c.env.EVENTS.put(`click:${crypto.randomUUID()}`, c.req.param("slug"));\n'
                    '  return c.redirect("https://example.com/");\n'
                    "});\n"
                    "\n"
                    'app.post("/links", async (c) => {\n'
                    "  const link = await c.req.json<{ slug: string; url: string }>();\n"
                    "  await c.env.EVENTS.put(`link:${link.slug}`, link.url);\n"
                    '  return c.json({ ok: true }, 201);\n'
                    "});\n"
                    "\n"
                    "export default app;\n"
                ),
            },
            name="typescript-hono-fresh-key-only-in-a-get-route",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER_FETCH,
                "src/index.js": (
                    "export default {\n"
                    "  async fetch(request, env) {\n"
                    "    const url = new URL(request.url);\n"
                    '    if (request.method === "GET" && url.pathname === "/session") return startSession(env);\n'
                    '    if (request.method === "POST" && url.pathname === "/events") {\n'
                    "      const event = await request.json();\n"
                    "      await env.EVENTS.put(`event:${event.id}`, JSON.stringify(event));\n"
                    '      return new Response("ok");\n'
                    "    }\n"
                    '    return new Response("not found", { status: 404 });\n'
                    "  },\n"
                    "};\n"
                    "\n"
                    "async function startSession(env) {\n"
                    "  const id = crypto.randomUUID();\n"
                    '  await env.EVENTS.put(`session:${id}`, "open", { expirationTtl: 3600 });\n'
                    '  return new Response(null, { status: 303, headers: { "set-cookie": `session=${id}` } });\n'
                    "}\n"
                ),
            },
            name="js-fresh-key-only-behind-a-get-test",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER_FETCH,
                "src/index.js": (
                    "function isSessionStart(request, url) {\n"
                    '  return request.method === "GET" && url.pathname === "/session";\n'
                    "}\n"
                    "\n"
                    "export default {\n"
                    "  async fetch(request, env) {\n"
                    "    const url = new URL(request.url);\n"
                    "    if (isSessionStart(request, url)) {\n"
                    "      const id = crypto.randomUUID();\n"
                    '      await env.EVENTS.put(`session:${id}`, "open", { expirationTtl: 3600 });\n'
                    '      return new Response(null, { status: 303, headers: { "set-cookie": `session=${id}` } });\n'
                    "    }\n"
                    '    if (request.method === "POST") {\n'
                    "      const event = await request.json();\n"
                    "      await env.EVENTS.put(`event:${event.id}`, JSON.stringify(event));\n"
                    '      return new Response("ok");\n'
                    "    }\n"
                    '    return new Response("not found", { status: 404 });\n'
                    "  },\n"
                    "};\n"
                ),
            },
            name="js-fresh-key-only-behind-a-predicate-that-tests-for-get",
        ),
        Example(
            {
                "template.yaml": _sam(_POST.replace("Method: POST", "Method: ANY")),
                "src/app.py": (
                    "import json\n"
                    "import os\n"
                    "import uuid\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'sessions = boto3.resource("dynamodb").Table(os.environ["SESSIONS_TABLE"])\n'
                    "\n"
                    "\n"
                    "def is_session_start(event):\n"
                    '    return event["requestContext"]["http"]["method"] == "GET" and event["rawPath"] == "/session"\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    "    if is_session_start(event):\n"
                    "        session_id = str(uuid.uuid4())\n"
                    '        sessions.put_item(Item={"pk": session_id})\n'
                    '        return {"statusCode": 303, "headers": {"set-cookie": f"session={session_id}"}}\n'
                    '    if event["requestContext"]["http"]["method"] == "POST":\n'
                    '        session = json.loads(event["body"])\n'
                    '        sessions.put_item(Item={"pk": session["id"], "closed": True})\n'
                    '        return {"statusCode": 204}\n'
                    '    return {"statusCode": 404}\n'
                ),
            },
            name="python-fresh-key-only-behind-a-predicate-that-tests-for-get",
        ),
        Example(
            {
                "template.yaml": _sam(_SQS, handler="index.handler", runtime="nodejs22.x", extra=_QUEUES),
                "src/index.mjs": (
                    'import { saveEntry } from "./ledger.mjs";\n'
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  for (const record of event.Records) {\n"
                    "    const payment = JSON.parse(record.body);\n"
                    "    await saveEntry({ id: record.messageId, amount: payment.amount, receivedAt: Date.now() });\n"
                    "  }\n"
                    "};\n"
                ),
                "src/ledger.mjs": (
                    'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\n'
                    'import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";\n'
                    "\n"
                    "const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));\n"
                    "\n"
                    "export async function saveEntry({ id, amount, receivedAt }) {\n"
                    "  await doc.send(new PutCommand({ TableName: process.env.LEDGER_TABLE, Item: { pk: id, amount, receivedAt } }));\n"
                    "}\n"
                ),
            },
            name="node-helper-keyed-by-the-message-id-its-caller-passes",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        facts = ctx.facts(fn)
        if facts is None:
            return
        triggers = at_least_once(fn, ctx.project, facts)
        yield from _reports(fn.name, triggers, facts)

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        facts = ctx.facts(worker)
        if facts is None:
            return
        reports = list(_reports(worker.display_name, worker_at_least_once(worker, facts), facts, worker))
        if worker.env is not None:
            # an [env.NAME] view runs the same code: report only what the top level does not
            top = next((w for w in ctx.project.workers if w.config is worker.config and w.env is None), None)
            top_facts = ctx.facts(top) if top is not None else None
            if top is not None and top_facts is not None:
                seen = {r.at.loc for r in _reports(top.display_name, worker_at_least_once(top, top_facts), top_facts, top)}
                reports = [r for r in reports if r.at.loc not in seen]
        yield from reports


def _reports(unit: str, triggers: list[Trigger], facts: Facts, worker: Worker | None = None) -> Iterator[Report]:
    for effect, reaching in repeated_side_effects(triggers, facts):
        if worker is not None and not_a_queue(effect, worker):
            continue
        what, retry = describe(reaching, routes_running(effect.call, facts))
        yield Report(
            effect.call,
            f"{unit} {effect.action} for every {what} {effect.why}; {retry} {effect.repeat}",
            fix=effect.fix,
        )

