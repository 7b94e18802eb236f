from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Facts
from slsreview.analysis.side_effects import is_seen_set, side_effects
from slsreview.model.project import Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule


def _sam(handler: str = "index.handler", runtime: str = "nodejs22.x") -> str:
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
        "        Payments:\n"
        "          Type: SQS\n"
        "          Properties:\n"
        "            Queue: !GetAtt PaymentsQueue.Arn\n"
        "  PaymentsQueue:\n"
        "    Type: AWS::SQS::Queue\n"
    )


_WRANGLER = (
    'name = "orders"\nmain = "src/index.{ext}"\ncompatibility_date = "2025-06-01"\n\n'
    '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "orders"\ndatabase_id = "4a6d9f0e"\n'
)


def _wrangler(ext: str) -> str:
    return _WRANGLER.replace("{ext}", ext)


class InMemoryIdempotencyStore(Rule):
    """
    ## What it does
    Finds handlers that remember which deliveries they handled in a module-level container — a
    `dict` or `set` in Python, a `Map`, `Set` or object in JavaScript — and use it as their
    idempotency guard: the container is checked for the delivery's identity (the
    `Idempotency-Key` header, the message id, the event id) and written with it, in a handler that
    performs a side effect. Module-level caches that are not keyed by a delivery's identity (a
    client per region, memoised configuration, a secret fetched once) are not reported.

    ## Why is this bad?
    Module state lives as long as one execution environment (one Lambda instance, one Workers
    isolate). It is empty after every cold start, deploy or scale-out, and it is not shared
    between the many instances that serve a queue or an API concurrently. A redelivered message
    or a retried request that lands on another instance — the usual case under load — finds
    nothing and does the work again. The guard passes the local test and fails in production.

    ## Why this tier
    Blocking: the handler looks guarded and is not; duplicates pass in exactly the situations
    (retries under load, after a deploy) the guard was written for.

    ## Example
    ```js
    const handled = new Map();

    export const handler = async (event) => {
      const key = event.headers["idempotency-key"];
      if (handled.has(key)) return handled.get(key);
      const response = await createOrder(JSON.parse(event.body));
      handled.set(key, response);
      return response;
    };
    ```

    ## Use instead
    A shared, durable store with an atomic claim: Powertools idempotency (`makeIdempotent` with a
    DynamoDB persistence layer), a conditional `PutItem` keyed by the idempotency key, a D1 `INSERT
    ... ON CONFLICT DO NOTHING`, or a Durable Object named by the key.

    ## References
    - [Lambda execution environment lifecycle (instances are reused, then discarded)](https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html)
    - [Powertools for AWS Lambda (TypeScript): Idempotency](https://docs.powertools.aws.dev/lambda/typescript/latest/utilities/idempotency/)
    - [Powertools for AWS Lambda (Python): Idempotency](https://docs.powertools.aws.dev/lambda/python/latest/utilities/idempotency/)
    - [Workers: how Workers works (isolates are not shared)](https://developers.cloudflare.com/workers/reference/how-workers-works/)
    """

    id = "SLS102"
    name = "in-memory-idempotency-store"
    category = "idempotency"
    tier = "blocking"
    platforms = ("aws-lambda", "cloudflare-workers")
    title = "Handled deliveries remembered in module memory"
    fix = (
        "Keep idempotency records in a shared, durable store with an atomic claim: Powertools idempotency, "
        "a conditional write keyed by the idempotency key, D1 INSERT ... ON CONFLICT DO NOTHING, or a Durable Object."
    )
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html",
        "https://docs.powertools.aws.dev/lambda/typescript/latest/utilities/idempotency/",
    )

    bad = [
        Example(
            {
                "template.yaml": _sam(),
                "src/index.mjs": (
                    'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\n'
                    'import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";\n'
                    "\n"
                    "const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));\n"
                    "const processed = new Set();\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  for (const record of event.Records) {\n"
                    "    if (processed.has(record.messageId)) continue;\n"
                    "    const payment = JSON.parse(record.body);\n"
                    "    await doc.send(new PutCommand({ TableName: process.env.LEDGER_TABLE, Item: { pk: payment.id, amount: payment.amount } }));\n"
                    "    processed.add(record.messageId);\n"
                    "  }\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.mjs",
                    5,
                    7,
                    "LedgerWriterFunction remembers handled message ids in the module-level Set processed: it is "
                    "empty after every cold start and not shared between instances, so a duplicate that reaches "
                    "another instance is handled again",
                )
            ],
            name="node-seen-set-of-message-ids",
        ),
        Example(
            {
                "wrangler.toml": _wrangler("ts"),
                "src/index.ts": (
                    "interface Env { DB: D1Database }\n"
                    "\n"
                    "const localIdempotencyStore = new Map<string, Response>();\n"
                    "\n"
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    '    const key = request.headers.get("Idempotency-Key") ?? "";\n'
                    "    if (localIdempotencyStore.has(key)) return localIdempotencyStore.get(key)!.clone();\n"
                    "    const order = await request.json<{ id: string; total: number }>();\n"
                    '    await env.DB.prepare("INSERT INTO orders (id, total) VALUES (?, ?)").bind(order.id, order.total).run();\n'
                    '    const response = Response.json({ status: "accepted" }, { status: 201 });\n'
                    "    localIdempotencyStore.set(key, response.clone());\n"
                    "    return response;\n"
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.ts",
                    3,
                    7,
                    "orders remembers handled Idempotency-Key headers in the module-level Map localIdempotencyStore: "
                    "it is empty after every cold start and not shared between instances, so a duplicate that "
                    "reaches another instance is handled again",
                )
            ],
            name="worker-map-of-idempotency-keys",
        ),
        Example(
            {
                "template.yaml": _sam("app.handler", "python3.13"),
                "src/app.py": (
                    "import json\n"
                    "import os\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'table = boto3.resource("dynamodb").Table(os.environ["LEDGER_TABLE"])\n'
                    "_handled = {}\n"
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    for record in event["Records"]:\n'
                    '        if record["messageId"] in _handled:\n'
                    "            continue\n"
                    '        payment = json.loads(record["body"])\n'
                    '        table.update_item(Key={"pk": payment["account"]}, UpdateExpression="ADD balance :a",\n'
                    '                          ExpressionAttributeValues={":a": payment["amount"]})\n'
                    '        _handled[record["messageId"]] = True\n'
                ),
            },
            expect=[
                Expect(
                    "src/app.py",
                    7,
                    1,
                    "LedgerWriterFunction remembers handled message ids in the module-level dict _handled: it is "
                    "empty after every cold start and not shared between instances, so a duplicate that reaches "
                    "another instance is handled again",
                )
            ],
            name="python-dict-of-message-ids",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _sam(),
                "src/index.mjs": (
                    'import { DynamoDBClient } from "@aws-sdk/client-dynamodb";\n'
                    'import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";\n'
                    "\n"
                    "const clients = new Map();\n"
                    "\n"
                    "function clientFor(region) {\n"
                    "  if (!clients.has(region)) clients.set(region, DynamoDBDocumentClient.from(new DynamoDBClient({ region })));\n"
                    "  return clients.get(region);\n"
                    "}\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  for (const record of event.Records) {\n"
                    "    const payment = JSON.parse(record.body);\n"
                    "    await clientFor(payment.region).send(new PutCommand({ TableName: process.env.LEDGER_TABLE, Item: { pk: record.messageId } }));\n"
                    "  }\n"
                    "};\n"
                ),
            },
            name="node-client-cache-per-region",
        ),
        Example(
            {
                "wrangler.toml": _wrangler("ts"),
                "src/index.ts": (
                    "interface Env { DB: D1Database }\n"
                    "\n"
                    "const rendered = new Map<string, string>();\n"
                    "\n"
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    "    const url = new URL(request.url);\n"
                    "    if (!rendered.has(url.pathname)) {\n"
                    '      const row = await env.DB.prepare("SELECT body FROM pages WHERE path = ?").bind(url.pathname).first<{ body: string }>();\n'
                    '      rendered.set(url.pathname, row?.body ?? "");\n'
                    "    }\n"
                    "    return new Response(rendered.get(url.pathname));\n"
                    "  },\n"
                    "};\n"
                ),
            },
            name="worker-page-cache-by-path",
        ),
        Example(
            {
                "template.yaml": _sam("app.handler", "python3.13"),
                "src/app.py": (
                    "import json\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    "_tables = {}\n"
                    "\n"
                    "\n"
                    "def table_for(region):\n"
                    "    if region not in _tables:\n"
                    '        _tables[region] = boto3.resource("dynamodb", region_name=region).Table("ledger")\n'
                    "    return _tables[region]\n"
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    for record in event["Records"]:\n'
                    '        payment = json.loads(record["body"])\n'
                    '        table_for(payment["region"]).put_item(Item={"pk": record["messageId"]})\n'
                ),
            },
            name="python-table-cache-per-region",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        facts = ctx.facts(fn)
        if facts is not None:
            yield from _reports(fn.name, facts)

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        if worker.env is not None and any(w.config is worker.config and w.env is None for w in ctx.project.workers):
            return  # an [env.NAME] view runs the top level's code: reported once, there
        facts = ctx.facts(worker)
        if facts is not None:
            yield from _reports(worker.display_name, facts)


def _reports(unit: str, facts: Facts) -> Iterator[Report]:
    if not side_effects(facts):
        return
    for state in facts.module_state():
        ids = is_seen_set(state.name, facts)
        if ids:
            yield Report(
                state,
                f"{unit} remembers handled {ids} in the module-level {state.kind} {state.name}: it is empty after "
                "every cold start and not shared between instances, so a duplicate that reaches another instance "
                "is handled again",
            )
