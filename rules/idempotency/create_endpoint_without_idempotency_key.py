from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Facts
from slsreview.analysis.side_effects import (
    guard_of,
    guards,
    not_a_queue,
    reads_idempotency_key,
    repeated_side_effects,
    side_effects,
    triggers_running,
)
from slsreview.analysis.triggers import Trigger, at_least_once, describe, worker_at_least_once
from slsreview.model.project import Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule


def _sam(method: str = "POST", handler: str = "app.handler", runtime: str = "python3.13") -> str:
    return (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  CreateOrderFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      CodeUri: src/\n"
        f"      Handler: {handler}\n"
        f"      Runtime: {runtime}\n"
        "      Events:\n"
        "        CreateOrder:\n"
        "          Type: HttpApi\n"
        "          Properties:\n"
        "            Path: /orders\n"
        f"            Method: {method}\n"
    )


_WRANGLER = (
    'name = "orders"\nmain = "src/index.{ext}"\ncompatibility_date = "2025-06-01"\n\n'
    '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "orders"\ndatabase_id = "4a6d9f0e"\n\n'
    '[[queues.producers]]\nbinding = "FULFILMENT"\nqueue = "fulfilment"\n'
)


def _wrangler(ext: str) -> str:
    return _WRANGLER.replace("{ext}", ext)


class CreateEndpointWithoutIdempotencyKey(Rule):
    """
    ## What it does
    Finds HTTP handlers that take POST requests (a `POST` or `ANY` route on `Api`/`HttpApi`, a
    function URL, a Worker's `fetch`) and create something — send a queue message, publish an
    event, send an email, forward a POST, insert a row — but never read an `Idempotency-Key`
    header (or `X-Idempotency-Key`) nor key what they create by a client-supplied id (an order id
    from the body, a path parameter). Handlers guarded by Powertools idempotency or a claim are
    not reported, and neither are those whose write SLS101 already reports (a fresh key).

    ## Why is this bad?
    A client that times out does not know whether its request was handled, so it retries — mobile
    clients, SDKs with automatic retries, API gateways in front, and every webhook provider. A
    create endpoint that cannot tell a retry from a new request creates the order, the email, the
    message a second time. The contract that solves it (Stripe's, and the IETF Idempotency-Key
    draft's): the client sends an `Idempotency-Key`; a request without one gets `400`, a repeat of
    a known key gets the stored response.

    ## Why this tier
    Non-blocking: whether clients of this endpoint retry, and what a duplicate costs, is not in the
    code; the fix is an API change that callers must adopt.

    ## Example
    ```python
    def handler(event, context):
        sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=event["body"])
        return {"statusCode": 202}
    ```

    ## Use instead
    ```python
    def handler(event, context):
        key = (event.get("headers") or {}).get("idempotency-key")
        if not key:
            return {"statusCode": 400, "body": '{"error": "idempotency_key_required"}'}
        sqs.send_message(QueueUrl=QUEUE_URL, MessageBody=event["body"],
                         MessageGroupId="orders", MessageDeduplicationId=key)
        return {"statusCode": 202}
    ```
    or wrap the handler with Powertools idempotency keyed on the header
    (`event_key_jmespath='headers."idempotency-key"'`).

    ## References
    - [The Idempotency-Key HTTP header field (IETF draft)](https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/)
    - [Stripe: idempotent requests](https://docs.stripe.com/api/idempotent_requests)
    - [Powertools for AWS Lambda (Python): Idempotency, choosing a payload subset](https://docs.powertools.aws.dev/lambda/python/latest/utilities/idempotency/)
    - [AWS Builders' Library: making retries safe with idempotent APIs](https://aws.amazon.com/builders-library/making-retries-safe-with-idempotent-APIs/)
    """

    id = "SLS105"
    name = "create-endpoint-without-idempotency-key"
    category = "idempotency"
    tier = "non-blocking"
    platforms = ("aws-lambda", "cloudflare-workers")
    title = "A POST endpoint that creates something but reads no idempotency key"
    fix = (
        "Require an Idempotency-Key header (400 when it is missing), record the response under it, and "
        "return the recorded response for a repeat; or key what the request creates by a client-supplied id."
    )
    docs = (
        "https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/",
        "https://docs.stripe.com/api/idempotent_requests",
    )

    bad = [
        Example(
            {
                "template.yaml": _sam(),
                "src/app.py": (
                    "import os\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'sqs = boto3.client("sqs")\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    sqs.send_message(QueueUrl=os.environ["ORDERS_QUEUE_URL"], MessageBody=event["body"])\n'
                    '    return {"statusCode": 202}\n'
                ),
            },
            expect=[
                Expect(
                    "src/app.py",
                    9,
                    5,
                    "CreateOrderFunction sends an SQS message for every POST /orders request (CreateOrder) but reads "
                    "no Idempotency-Key header or client-supplied id: a client's retry after a timeout repeats it",
                )
            ],
            name="python-post-forwards-to-a-queue",
        ),
        Example(
            {
                "wrangler.toml": _wrangler("ts"),
                "src/index.ts": (
                    "interface Env { DB: D1Database; FULFILMENT: Queue }\n"
                    "\n"
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    '    if (request.method !== "POST") return new Response("method not allowed", { status: 405 });\n'
                    "    const order = await request.json<{ email: string; total: number }>();\n"
                    '    await env.DB.prepare("INSERT INTO orders (email, total) VALUES (?, ?)").bind(order.email, order.total).run();\n'
                    "    await env.FULFILMENT.send({ email: order.email, total: order.total });\n"
                    '    return new Response("accepted", { status: 202 });\n'
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.ts",
                    7,
                    11,
                    "orders inserts into D1 and sends a Queues message for every POST request but reads no "
                    "Idempotency-Key header or client-supplied id: a client's retry after a timeout repeats it",
                )
            ],
            name="worker-post-inserts-and-enqueues",
        ),
        Example(
            {
                "template.yaml": _sam(handler="index.handler", runtime="nodejs22.x"),
                "src/index.mjs": (
                    'import { SESv2Client, SendEmailCommand } from "@aws-sdk/client-sesv2";\n'
                    "\n"
                    "const ses = new SESv2Client({});\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  const form = JSON.parse(event.body);\n"
                    "  await ses.send(new SendEmailCommand({\n"
                    '    FromEmailAddress: "shop@example.com",\n'
                    "    Destination: { ToAddresses: [form.email] },\n"
                    '    Content: { Simple: { Subject: { Data: "We got your order" }, Body: { Text: { Data: "Thanks!" } } } },\n'
                    "  }));\n"
                    "  return { statusCode: 202 };\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.mjs",
                    7,
                    9,
                    "CreateOrderFunction sends an email for every POST /orders request (CreateOrder) but reads no "
                    "Idempotency-Key header or client-supplied id: a client's retry after a timeout repeats it",
                )
            ],
            name="node-post-sends-an-email",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _sam(handler="index.handler", runtime="nodejs22.x"),
                "src/index.mjs": (
                    'import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";\n'
                    "\n"
                    "const sqs = new SQSClient({});\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    '  const key = event.headers?.["idempotency-key"];\n'
                    '  if (!key) return { statusCode: 400, body: JSON.stringify({ error: "idempotency_key_required" }) };\n'
                    "  await sqs.send(new SendMessageCommand({\n"
                    "    QueueUrl: process.env.ORDERS_QUEUE_URL,\n"
                    "    MessageBody: event.body,\n"
                    '    MessageGroupId: "orders",\n'
                    "    MessageDeduplicationId: key,\n"
                    "  }));\n"
                    "  return { statusCode: 202 };\n"
                    "};\n"
                ),
            },
            name="node-requires-an-idempotency-key",
        ),
        Example(
            {
                "template.yaml": _sam(),
                "src/app.py": (
                    "import json\n"
                    "import os\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'table = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])\n'
                    'sqs = boto3.client("sqs")\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    order = json.loads(event["body"])\n'
                    '    table.put_item(Item={"pk": order["orderId"], "total": order["total"]}, ConditionExpression="attribute_not_exists(pk)")\n'
                    '    sqs.send_message(QueueUrl=os.environ["ORDERS_QUEUE_URL"], MessageBody=event["body"])\n'
                    '    return {"statusCode": 201}\n'
                ),
            },
            name="python-order-keyed-by-client-supplied-id",
        ),
        Example(
            {
                "template.yaml": _sam(handler="index.handler", runtime="nodejs22.x"),
                "src/index.ts": (
                    'import { makeIdempotent } from "@aws-lambda-powertools/idempotency";\n'
                    'import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";\n'
                    'import { SQSClient, SendMessageCommand } from "@aws-sdk/client-sqs";\n'
                    'import type { APIGatewayProxyEventV2 } from "aws-lambda";\n'
                    "\n"
                    "const sqs = new SQSClient({});\n"
                    "const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE! });\n"
                    "\n"
                    "export const handler = makeIdempotent(async (event: APIGatewayProxyEventV2) => {\n"
                    "  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.ORDERS_QUEUE_URL, MessageBody: event.body }));\n"
                    "  return { statusCode: 202 };\n"
                    "}, { persistenceStore });\n"
                ),
            },
            name="typescript-powertools-on-the-handler",
        ),
        Example(
            {
                "template.yaml": _sam(method="GET"),
                "src/app.py": (
                    "import boto3\n"
                    "\n"
                    'sqs = boto3.client("sqs")\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    sqs.send_message(QueueUrl="https://sqs.eu-west-1.amazonaws.com/1/audit", MessageBody="listed")\n'
                    '    return {"statusCode": 200}\n'
                ),
            },
            name="python-get-route",
        ),
        Example(
            {
                "template.yaml": _sam(),
                "src/app.py": (
                    "import json\n"
                    "import uuid\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'table = boto3.resource("dynamodb").Table("orders")\n'
                    'sqs = boto3.client("sqs")\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    table.put_item(Item={"pk": str(uuid.uuid4()), "order": event["body"]})\n'
                    '    sqs.send_message(QueueUrl="https://sqs.eu-west-1.amazonaws.com/1/orders", MessageBody=event["body"])\n'
                    '    return {"statusCode": 201}\n'
                ),
            },
            name="python-fresh-key-is-reported-by-sls101-instead",
        ),
        Example(
            {
                "wrangler.toml": (
                    'name = "auth"\nmain = "src/index.js"\ncompatibility_date = "2025-06-01"\n\n'
                    '[[pipelines]]\nbinding = "AUDIT"\npipeline = "audit-log"\n'
                ),
                "src/index.js": (
                    "export default {\n"
                    "  async fetch(request, env) {\n"
                    '    if (request.method !== "POST") return new Response(null, { status: 405 });\n'
                    "    const { username, password } = await request.json();\n"
                    "    await env.AUDIT.send([{ event: \"login\", username }]);\n"
                    '    return fetch("https://idp.example.com/token", { method: "POST", body: JSON.stringify({ username, password }) });\n'
                    "  },\n"
                    "};\n"
                ),
            },
            name="js-login-forwarded-and-audited-to-a-pipeline",
        ),
        Example(
            {
                "wrangler.toml": _wrangler("js"),
                "src/index.js": (
                    "export default {\n"
                    "  async fetch(request, env) {\n"
                    "    const url = new URL(request.url);\n"
                    '    if (url.pathname === "/seed") {\n'
                    '      await env.DB.exec("DROP TABLE IF EXISTS products; CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO products (name) VALUES (\'tea\');");\n'
                    '      return new Response("seeded");\n'
                    "    }\n"
                    "    await env.FULFILMENT.send({ url: request.url, method: request.method });\n"
                    '    return new Response("queued");\n'
                    "  },\n"
                    "};\n"
                ),
            },
            name="js-seed-endpoint-and-a-fetch-that-never-names-post",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        facts = ctx.facts(fn)
        if facts is not None:
            yield from _reports(fn.name, at_least_once(fn, ctx.project, facts), facts)

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        if worker.env is not None and any(w.config is worker.config and w.env is None for w in ctx.project.workers):
            return  # an [env.NAME] view runs the top level's code: reported once, there
        facts = ctx.facts(worker)
        if facts is not None:
            yield from _reports(worker.display_name, worker_at_least_once(worker, facts), facts, worker)


_POST = frozenset({"POST", "ANY"})


def _reports(unit: str, triggers: list[Trigger], facts: Facts, worker: Worker | None = None) -> Iterator[Report]:
    # POST must be named: by the route, or by the code (request.method === "POST", app.post)
    posts = [t for t in triggers if t.http and "POST" in t.methods]
    if not posts or reads_idempotency_key(facts):
        return
    if repeated_side_effects(triggers, facts):
        return  # SLS101 reports the repeated write itself: one root cause, one finding
    found = guards(facts)
    effects = [e for e in side_effects(facts) if guard_of(e, facts, found) is None and triggers_running(e.call, posts, facts, _POST)]
    if any(e.keyed_by_event for e in effects):
        return  # what it creates is identified by the client: a retry finds it
    # an outbound POST may as well be a login, a token exchange or a query: not counted
    creations = [
        e
        for e in effects
        if e.kind == "delivery"
        and not e.downstream_key
        and e.identity != "unknown"
        and e.call.name != "http.request"
        and not (worker is not None and not_a_queue(e, worker))
    ]
    if not creations:
        return
    actions = list(dict.fromkeys(e.action for e in creations))
    text = actions[0] if len(actions) == 1 else ", ".join(actions[:-1]) + " and " + actions[-1]
    what, _ = describe(posts)
    yield Report(
        creations[0].call,
        f"{unit} {text} for every {what} but reads no Idempotency-Key header or client-supplied id: "
        "a client's retry after a timeout repeats it",
    )
