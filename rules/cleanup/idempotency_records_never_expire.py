from __future__ import annotations

import re
from collections.abc import Iterator

from slsreview.analysis.facts import Call, Facts, Value
from slsreview.analysis.memo import answer_kept
from slsreview.analysis.side_effects import claim_of
from slsreview.loaders.nodes import Intrinsic, MapNode
from slsreview.location import Location
from slsreview.model.project import Function, Project, Resource, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule

_TABLE_TYPES = ("AWS::DynamoDB::Table", "AWS::DynamoDB::GlobalTable", "AWS::Serverless::SimpleTable")
_INSERT_INTO = re.compile(r"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+[`\"\[]?(\w+)", re.IGNORECASE)


def _sam(code: str, table: str, handler: str = "app.handler", runtime: str = "python3.13") -> str:
    return (
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  LedgerWriterFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      CodeUri: src/\n"
        f"      Handler: {handler}\n"
        f"      Runtime: {runtime}\n"
        "      Environment:\n"
        "        Variables:\n"
        f"          {code}: !Ref IdempotencyTable\n"
        "      Events:\n"
        "        Payments:\n"
        "          Type: SQS\n"
        "          Properties:\n"
        "            Queue: !GetAtt PaymentsQueue.Arn\n"
        "  PaymentsQueue:\n"
        "    Type: AWS::SQS::Queue\n"
        "  IdempotencyTable:\n"
        "    Type: AWS::DynamoDB::Table\n"
        "    Properties:\n"
        "      BillingMode: PAY_PER_REQUEST\n"
        "      AttributeDefinitions:\n"
        "        - {AttributeName: id, AttributeType: S}\n"
        "      KeySchema:\n"
        "        - {AttributeName: id, KeyType: HASH}\n"
        f"{table}"
    )


_TTL = "      TimeToLiveSpecification:\n        AttributeName: expiration\n        Enabled: true\n"
_TTL_OFF = "      TimeToLiveSpecification:\n        AttributeName: expiration\n        Enabled: false\n"

_POWERTOOLS_PY = (
    "import os\n"
    "\n"
    "from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent\n"
    "\n"
    'persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE"])\n'
    "\n"
    "\n"
    "@idempotent(persistence_store=persistence)\n"
    "def handler(event, context):\n"
    '    return {"ok": True}\n'
)
_POWERTOOLS_TS = (
    'import { makeIdempotent } from "@aws-lambda-powertools/idempotency";\n'
    'import { DynamoDBPersistenceLayer } from "@aws-lambda-powertools/idempotency/dynamodb";\n'
    "\n"
    "const persistenceStore = new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE! });\n"
    "\n"
    "export const handler = makeIdempotent(async (event: unknown) => ({ ok: true }), { persistenceStore });\n"
)
_WRANGLER = (
    'name = "webhooks"\nmain = "src/index.{ext}"\ncompatibility_date = "2025-06-01"\n\n'
    '[[kv_namespaces]]\nbinding = "IDEMPOTENCY"\nid = "0f2ac74b498b48028cb68387c421e279"\n\n'
    '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "webhooks"\ndatabase_id = "4a6d9f0e"\n'
)


def _wrangler(ext: str) -> str:
    return _WRANGLER.replace("{ext}", ext)


class IdempotencyRecordsNeverExpire(Rule):
    """
    ## What it does
    Finds idempotency records that nothing ever deletes:

    - a DynamoDB table that holds Powertools idempotency records (the table of the
      `DynamoDBPersistenceLayer` a handler's `@idempotent`/`makeIdempotent` uses, found through
      the environment variable that names it) or the claims of a conditional write keyed by the
      message id or `Idempotency-Key`, when the table has no `TimeToLiveSpecification` or has it
      disabled;
    - a Workers KV `put` of a record keyed by the request's `Idempotency-Key` or the message id
      without `expirationTtl` or `expiration`;
    - a D1 table that a Worker claims keys in (`INSERT ... ON CONFLICT DO NOTHING` / `INSERT OR
      IGNORE` keyed by the event) when none of the Worker's code ever deletes from it.

    Business tables written with a key from the body (an order, a customer) are not idempotency
    records and are not reported.

    ## Why is this bad?
    An idempotency record is only needed while a duplicate can still arrive: a retry window of
    minutes for SQS and asynchronous invokes, a day or so for webhook providers and clients.
    Powertools writes each record's expiry into the `expiration` attribute and relies on DynamoDB
    TTL to delete it; without TTL the table grows by one item per event forever, and you pay to
    store and back it up. KV keeps a key without an expiry until something deletes it.

    ## Why this tier
    Non-blocking: nothing breaks today; the cost and the data kept longer than needed grow slowly.

    ## Example
    ```yaml
    IdempotencyTable:
      Type: AWS::DynamoDB::Table
      Properties:
        KeySchema: [{AttributeName: id, KeyType: HASH}]
    ```

    ## Use instead
    ```yaml
    IdempotencyTable:
      Type: AWS::DynamoDB::Table
      Properties:
        KeySchema: [{AttributeName: id, KeyType: HASH}]
        TimeToLiveSpecification: {AttributeName: expiration, Enabled: true}
    ```
    and in a Worker, `await env.IDEMPOTENCY.put(key, value, { expirationTtl: 86400 })`.

    ## References
    - [Powertools for AWS Lambda (Python): Idempotency, required resources](https://docs.powertools.aws.dev/lambda/python/latest/utilities/idempotency/#required-resources)
    - [Powertools for AWS Lambda (TypeScript): Idempotency](https://docs.powertools.aws.dev/lambda/typescript/latest/utilities/idempotency/)
    - [DynamoDB: Time to Live](https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html)
    - [AWS::DynamoDB::Table TimeToLiveSpecification](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-dynamodb-table-timetolivespecification.html)
    - [Workers KV: expiring keys](https://developers.cloudflare.com/kv/api/write-key-value-pairs/#expiring-keys)
    """

    id = "SLS508"
    name = "idempotency-records-never-expire"
    category = "cleanup"
    tier = "non-blocking"
    platforms = ("aws-lambda", "cloudflare-workers")
    title = "Idempotency records that nothing ever deletes"
    fix = (
        "Enable DynamoDB TTL on the attribute that holds the expiry (Powertools: 'expiration'), pass "
        "expirationTtl to KV put, or delete old rows from the D1 table on a schedule."
    )
    docs = (
        "https://docs.powertools.aws.dev/lambda/python/latest/utilities/idempotency/#required-resources",
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html",
        "https://developers.cloudflare.com/kv/api/write-key-value-pairs/#expiring-keys",
    )

    bad = [
        Example(
            {"template.yaml": _sam("IDEMPOTENCY_TABLE", ""), "src/app.py": _POWERTOOLS_PY},
            expect=[
                Expect(
                    "template.yaml",
                    19,
                    3,
                    "IdempotencyTable holds the Powertools idempotency records of LedgerWriterFunction but has no "
                    "TimeToLiveSpecification: DynamoDB never deletes them, so the table grows by one item per event",
                )
            ],
            name="python-powertools-table-without-ttl",
        ),
        Example(
            {
                "template.yaml": _sam("IDEMPOTENCY_TABLE", _TTL_OFF, handler="index.handler", runtime="nodejs22.x"),
                "src/index.ts": _POWERTOOLS_TS,
            },
            expect=[
                Expect(
                    "template.yaml",
                    29,
                    18,
                    "IdempotencyTable holds the Powertools idempotency records of LedgerWriterFunction but its "
                    "TimeToLiveSpecification is disabled: DynamoDB never deletes them, so the table grows by one item per event",
                )
            ],
            name="typescript-powertools-table-with-ttl-disabled",
        ),
        Example(
            {
                "template.yaml": _sam("CLAIMS_TABLE", "", handler="index.handler", runtime="nodejs22.x"),
                "src/index.mjs": (
                    'import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";\n'
                    "\n"
                    "const ddb = new DynamoDBClient({});\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  for (const record of event.Records) {\n"
                    "    await ddb.send(new PutItemCommand({\n"
                    "      TableName: process.env.CLAIMS_TABLE,\n"
                    "      Item: { id: { S: record.messageId } },\n"
                    '      ConditionExpression: "attribute_not_exists(id)",\n'
                    "    }));\n"
                    "  }\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "template.yaml",
                    19,
                    3,
                    "IdempotencyTable holds the message claims of LedgerWriterFunction (src/index.mjs:7) but has no "
                    "TimeToLiveSpecification: DynamoDB never deletes them, so the table grows by one item per event",
                )
            ],
            name="node-claims-table-without-ttl",
        ),
        Example(
            {
                "wrangler.toml": _wrangler("js"),
                "src/index.js": (
                    "export default {\n"
                    "  async fetch(request, env) {\n"
                    '    const key = request.headers.get("Idempotency-Key");\n'
                    "    const stored = await env.IDEMPOTENCY.get(key);\n"
                    "    if (stored) return new Response(stored);\n"
                    '    const response = JSON.stringify({ status: "accepted" });\n'
                    "    await env.IDEMPOTENCY.put(key, response);\n"
                    "    return new Response(response, { status: 201 });\n"
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.js",
                    7,
                    11,
                    "webhooks stores a record per Idempotency-Key header in Workers KV (IDEMPOTENCY.put) without "
                    "expirationTtl or expiration: the records never expire",
                )
            ],
            name="js-kv-record-without-expiry",
        ),
        Example(
            {
                "wrangler.toml": _wrangler("py").replace("src/index.py", "src/entry.py") + 'compatibility_flags = ["python_workers"]\n',
                "src/entry.py": (
                    "from workers import Response, WorkerEntrypoint\n"
                    "\n"
                    "\n"
                    "class Default(WorkerEntrypoint):\n"
                    "    async def fetch(self, request):\n"
                    '        key = request.headers.get("Idempotency-Key")\n'
                    "        claimed = await self.env.DB.prepare(\n"
                    '            "INSERT OR IGNORE INTO deliveries (key) VALUES (?)"\n'
                    "        ).bind(key).run()\n"
                    '        return Response("ok", status=201)\n'
                ),
            },
            expect=[
                Expect(
                    "src/entry.py",
                    7,
                    25,
                    "webhooks claims keys in the D1 table deliveries (INSERT OR IGNORE) but none of its code deletes "
                    "from it: the records never expire",
                )
            ],
            name="python-worker-d1-claims-never-purged",
        ),
    ]
    good = [
        Example({"template.yaml": _sam("IDEMPOTENCY_TABLE", _TTL), "src/app.py": _POWERTOOLS_PY}, name="python-powertools-table-with-ttl"),
        Example(
            {
                "template.yaml": _sam("IDEMPOTENCY_TABLE", _TTL, handler="index.handler", runtime="nodejs22.x"),
                "src/index.ts": _POWERTOOLS_TS,
            },
            name="typescript-powertools-table-with-ttl",
        ),
        Example(
            {
                "template.yaml": _sam("ORDERS_TABLE", "", handler="index.handler", runtime="nodejs22.x"),
                "src/index.mjs": (
                    'import { DynamoDBClient, PutItemCommand } from "@aws-sdk/client-dynamodb";\n'
                    "\n"
                    "const ddb = new DynamoDBClient({});\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  for (const record of event.Records) {\n"
                    "    const order = JSON.parse(record.body);\n"
                    "    await ddb.send(new PutItemCommand({\n"
                    "      TableName: process.env.ORDERS_TABLE,\n"
                    "      Item: { id: { S: order.orderId }, total: { N: String(order.total) } },\n"
                    '      ConditionExpression: "attribute_not_exists(id)",\n'
                    "    }));\n"
                    "  }\n"
                    "};\n"
                ),
            },
            name="node-business-table-keyed-by-order-id-is-kept",
        ),
        Example(
            {
                "wrangler.toml": _wrangler("ts"),
                "src/index.ts": (
                    "interface Env { IDEMPOTENCY: KVNamespace; DB: D1Database }\n"
                    "\n"
                    "const DAY = 86400;\n"
                    "\n"
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    '    const key = request.headers.get("Idempotency-Key") ?? "";\n'
                    '    await env.DB.prepare("INSERT INTO deliveries (key, at) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING")\n'
                    "      .bind(key, Date.now()).run();\n"
                    '    await env.IDEMPOTENCY.put(key, "accepted", { expirationTtl: DAY });\n'
                    '    return new Response("ok", { status: 201 });\n'
                    "  },\n"
                    "  async scheduled(controller: ScheduledController, env: Env): Promise<void> {\n"
                    '    await env.DB.prepare("DELETE FROM deliveries WHERE at < ?1").bind(Date.now() - 7 * DAY * 1000).run();\n'
                    "  },\n"
                    "};\n"
                ),
            },
            name="ts-kv-ttl-and-d1-purged-on-a-schedule",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        users: dict[int, tuple[Resource, str, list[str]]] = {}
        for fn in ctx.project.functions:
            facts = ctx.facts(fn)
            if facts is None:
                continue
            for table, what, where in _idempotency_tables(fn, facts, ctx.project):
                _, _, names = users.setdefault(id(table), (table, what, []))
                owner = f"{fn.name} ({where})" if where else fn.name
                if owner not in names:
                    names.append(owner)
        for table, what, names in users.values():
            ttl = table.prop("TimeToLiveSpecification")
            at: Resource | Location
            owners = ", ".join(names)
            if ttl is None:
                state, at = "has no TimeToLiveSpecification", table
            elif isinstance(ttl.value, MapNode) and ttl.value.get("Enabled") is False:
                state, at = "its TimeToLiveSpecification is disabled", ttl.value.loc("Enabled")
            else:
                continue
            yield Report(
                at,
                f"{table.logical_id} holds the {what} of {owners} but {state}: DynamoDB never deletes them, "
                "so the table grows by one item per event",
            )

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        if worker.env is not None and any(w.config is worker.config and w.env is None for w in ctx.project.workers):
            return  # an [env.NAME] view runs the top level's code: reported once, there
        facts = ctx.facts(worker)
        if facts is None:
            return
        for put in facts.calls("cf.kv.put"):
            if len(put.args) < 2 or not _delivery_id(put.args[0]) or _expires(put):
                continue
            binding = put.attr("binding")
            yield Report(
                put,
                f"{worker.display_name} stores a record per {_describe(put.args[0])} in Workers KV ({binding}.put) "
                "without expirationTtl or expiration: the records never expire",
            )
        sql_seen = [c.attr("sql") for c in facts.calls("cf.d1.exec") if isinstance(c.attr("sql"), str)]
        for call in facts.calls("cf.d1.exec"):
            sql = call.attr("sql")
            if not isinstance(sql, str) or claim_of(call) is None or not any(_delivery_id(v) for v in call.args[1:]):
                continue
            match = _INSERT_INTO.search(sql)
            if match is None:
                continue
            table = match.group(1)
            purge = re.compile(rf"\bDELETE\s+FROM\s+[`\"\[]?{re.escape(table)}\b", re.IGNORECASE)
            if any(purge.search(s) for s in sql_seen):
                continue
            clause = "INSERT OR IGNORE" if re.search(r"\bOR\s+IGNORE\b", sql, re.IGNORECASE) else "INSERT ... ON CONFLICT"
            yield Report(
                call,
                f"{worker.display_name} claims keys in the D1 table {table} ({clause}) but none of its code deletes "
                "from it: the records never expire",
            )


def _idempotency_tables(fn: Function, facts: Facts, project: Project) -> Iterator[tuple[Resource, str, str]]:
    """Tables this function keeps idempotency records in, what the records are, and where."""
    stores, claims = answer_kept(facts, "SLS508 records", _records)
    for store in stores:
        for table in _tables_named_by(store, fn, project):
            yield table, "Powertools idempotency records", ""
    for name, loc in claims:
        tables = list(_tables_named_by(name, fn, project))
        if not tables and name is None:
            tables = list(_tables_named_by(None, fn, project, only_one=True))
        for table in tables:
            yield table, "message claims", f"{loc.path}:{loc.line}"


def _records(facts: Facts) -> tuple[list[Value | None], list[tuple[Value | None, Location]]]:
    """The persistence stores of Powertools' idempotency wrappers, and the table name and place
    of each conditional put that claims a delivery's id."""
    stores = [
        w.arg("persistence_store") or w.arg("persistenceStore")
        for w in facts.wrappers("powertools.idempotent", "powertools.idempotent_function")
    ]
    claims = []
    for call in facts.calls("aws.dynamodb.PutItem"):
        item = call.kwarg("Item")
        if claim_of(call) is None or item is None or not _delivery_id(item) or any(s.kind == "event" for s in item.sources):
            continue
        claims.append((call.kwarg("TableName"), call.loc))
    return stores, claims


def _tables_named_by(value: Value | None, fn: Function, project: Project, only_one: bool = False) -> Iterator[Resource]:
    """The template tables an expression names through the function's environment variables
    (``os.environ["TABLE"]`` -> ``TABLE: !Ref IdempotencyTable``), or, with ``only_one``, the one
    table the function's environment names at all."""
    names = {s.name for s in value.sources if s.kind == "env"} if value is not None else set()
    found = []
    for name, located in fn.environment.items():
        if value is not None and name not in names:
            continue
        target = located.value.ref_target() if isinstance(located.value, Intrinsic) else None
        resource = project.resource(fn.template, target) if target else None
        if resource is not None and resource.type in _TABLE_TYPES:
            found.append(resource)
    if value is None and (not only_one or len(found) != 1):
        return
    yield from found


def _delivery_id(value: Value) -> bool:
    """A value made from the delivery's own identity: an Idempotency-Key header, a message id."""
    return any(s.kind == "event-id" for s in value.sources)


def _expires(put: Call) -> bool:
    if put.kwarg("expirationTtl") is not None or put.kwarg("expiration") is not None:
        return True
    options = put.args[2] if len(put.args) >= 3 else None
    if options is None:
        return False
    return bool({"expirationTtl", "expiration"} & set(options.keys)) or not options.keys


def _describe(key: Value) -> str:
    names = sorted({s.name for s in key.sources if s.kind == "event-id"})
    name = names[0] if names else key.text
    if name.startswith("headers."):
        header = name.split(".", 1)[1]
        return "Idempotency-Key header" if header == "idempotency-key" else f"{header} header"
    return "message id"
