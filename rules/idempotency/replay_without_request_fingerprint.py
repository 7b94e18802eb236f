from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Call, Comparison, Facts, Return
from slsreview.analysis.side_effects import lookup_of, side_effects, triggers_running
from slsreview.analysis.triggers import Trigger, at_least_once, worker_at_least_once
from slsreview.model.project import Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule


def _sam(handler: str = "app.handler", runtime: str = "python3.13") -> str:
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
        "            Method: POST\n"
    )


_WRANGLER = (
    'name = "orders"\nmain = "src/index.{ext}"\ncompatibility_date = "2025-06-01"\n\n'
    '[[kv_namespaces]]\nbinding = "RESPONSES"\nid = "0f2ac74b498b48028cb68387c421e279"\n\n'
    '[[d1_databases]]\nbinding = "DB"\ndatabase_name = "orders"\ndatabase_id = "4a6d9f0e"\n'
)


def _wrangler(ext: str) -> str:
    return _WRANGLER.replace("{ext}", ext)


_PY_BAD = (
    "import json\n"
    "import os\n"
    "\n"
    "import boto3\n"
    "\n"
    'table = boto3.resource("dynamodb").Table(os.environ["ORDERS_TABLE"])\n'
    "\n"
    "\n"
    "def handler(event, context):\n"
    '    key = event["headers"]["idempotency-key"]\n'
    '    stored = table.get_item(Key={"pk": key}).get("Item")\n'
    "    if stored:\n"
    '        return {"statusCode": 200, "body": stored["response"]}\n'
    '    order = json.loads(event["body"])\n'
    '    response = json.dumps({"orderId": key, "total": order["total"]})\n'
    '    table.put_item(Item={"pk": key, "response": response}, ConditionExpression="attribute_not_exists(pk)")\n'
    '    return {"statusCode": 201, "body": response}\n'
)


class ReplayWithoutRequestFingerprint(Rule):
    """
    ## What it does
    Finds HTTP handlers that look up the request's idempotency key (in DynamoDB, Workers KV or D1)
    and answer a known key from what they stored, without ever comparing the new request with
    the one that stored it: no comparison between the request body (or a hash of it) and a value
    read back. A handler that compares a stored body hash, or stored payload fields, with the new
    request is not reported.

    ## Why is this bad?
    An idempotency key identifies one operation, and clients do reuse keys by mistake: a bug
    that keeps the key across two different orders, a form resubmitted with changed fields. A
    handler that replays on the key alone answers the second, different request with the first
    one's response — the client believes its second order was placed and it never was. The IETF
    Idempotency-Key draft answers a reused key with a different payload with `422 Unprocessable
    Content`; Stripe returns an error.

    ## Why this tier
    Non-blocking: it takes a client mistake to trigger, but then an order is silently dropped.

    ## Example
    ```python
    stored = table.get_item(Key={"pk": key}).get("Item")
    if stored:
        return {"statusCode": 200, "body": stored["response"]}
    ```

    ## Use instead
    ```python
    fingerprint = hashlib.sha256(event["body"].encode()).hexdigest()
    stored = table.get_item(Key={"pk": key}).get("Item")
    if stored:
        if stored["fingerprint"] != fingerprint:
            return {"statusCode": 422, "body": '{"error": "idempotency_key_reused"}'}
        return {"statusCode": 200, "body": stored["response"]}
    ```
    Powertools does this with `IdempotencyConfig(payload_validation_jmespath=...)`.

    ## References
    - [The Idempotency-Key HTTP header field (IETF draft), error scenarios](https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/)
    - [Stripe: idempotent requests (parameters compared with the original request)](https://docs.stripe.com/api/idempotent_requests)
    - [Powertools for AWS Lambda (Python): Idempotency, payload validation](https://docs.powertools.aws.dev/lambda/python/latest/utilities/idempotency/#payload-validation)
    """

    id = "SLS103"
    name = "replay-without-request-fingerprint"
    category = "idempotency"
    tier = "non-blocking"
    platforms = ("aws-lambda", "cloudflare-workers")
    title = "A stored response replayed for a known key without comparing the request"
    fix = (
        "Store a hash of the request body with the response and compare it on a repeat: answer 422 when "
        "the same key arrives with a different payload (Powertools: payload_validation_jmespath)."
    )
    docs = (
        "https://datatracker.ietf.org/doc/draft-ietf-httpapi-idempotency-key-header/",
        "https://docs.powertools.aws.dev/lambda/python/latest/utilities/idempotency/#payload-validation",
    )

    bad = [
        Example(
            {"template.yaml": _sam(), "src/app.py": _PY_BAD},
            expect=[
                Expect(
                    "src/app.py",
                    13,
                    9,
                    "CreateOrderFunction answers a known Idempotency-Key as a repeat (looked up on line 11) without "
                    "comparing the request with the one that first used it: a different payload sent with a reused "
                    "key gets the first request's answer",
                )
            ],
            name="python-dynamodb-replay-on-key-alone",
        ),
        Example(
            {
                "wrangler.toml": _wrangler("js"),
                "src/index.js": (
                    "export default {\n"
                    "  async fetch(request, env) {\n"
                    '    if (request.method !== "POST") return new Response(null, { status: 405 });\n'
                    '    const key = request.headers.get("Idempotency-Key");\n'
                    '    if (!key) return Response.json({ error: "idempotency_key_required" }, { status: 400 });\n'
                    "    const previous = await env.RESPONSES.get(key);\n"
                    "    if (previous) {\n"
                    '      return new Response(previous, { status: 200, headers: { "idempotent-replayed": "true" } });\n'
                    "    }\n"
                    "    const order = await request.json();\n"
                    '    const body = JSON.stringify({ orderId: key, status: "accepted", total: order.total });\n'
                    "    await env.RESPONSES.put(key, body, { expirationTtl: 86400 });\n"
                    "    return new Response(body, { status: 201 });\n"
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.js",
                    8,
                    14,
                    "orders answers a known Idempotency-Key as a repeat (looked up on line 6) without comparing the "
                    "request with the one that first used it: a different payload sent with a reused key gets the "
                    "first request's answer",
                )
            ],
            name="js-worker-kv-replay-on-key-alone",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _sam(),
                "src/app.py": _PY_BAD.replace(
                    "import json\n", "import hashlib\nimport json\n"
                ).replace(
                    "    if stored:\n",
                    '    fingerprint = hashlib.sha256(event["body"].encode()).hexdigest()\n'
                    "    if stored:\n"
                    '        if stored["fingerprint"] != fingerprint:\n'
                    '            return {"statusCode": 422, "body": "{}"}\n',
                ),
            },
            name="python-body-hash-compared",
        ),
        Example(
            {
                "wrangler.toml": _wrangler("ts"),
                "src/index.ts": (
                    "interface Env { DB: D1Database }\n"
                    "\n"
                    "async function sha256(text: string): Promise<string> {\n"
                    "  const digest = await crypto.subtle.digest(\"SHA-256\", new TextEncoder().encode(text));\n"
                    '  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");\n'
                    "}\n"
                    "\n"
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    '    const key = request.headers.get("Idempotency-Key") ?? "";\n'
                    "    const body = await request.text();\n"
                    "    const fingerprint = await sha256(body);\n"
                    '    const row = await env.DB.prepare("SELECT fingerprint, response FROM idempotency WHERE key = ?")\n'
                    "      .bind(key).first<{ fingerprint: string; response: string }>();\n"
                    "    if (row) {\n"
                    "      if (row.fingerprint !== fingerprint) return new Response(\"key reused\", { status: 422 });\n"
                    "      return new Response(row.response, { status: 200 });\n"
                    "    }\n"
                    '    return new Response("created", { status: 201 });\n'
                    "  },\n"
                    "};\n"
                ),
            },
            name="ts-d1-fingerprint-compared",
        ),
        Example(
            {
                "template.yaml": _sam(),
                "src/app.py": (
                    "import boto3\n"
                    "\n"
                    'table = boto3.resource("dynamodb").Table("orders")\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    order_id = event["pathParameters"]["id"]\n'
                    '    item = table.get_item(Key={"pk": order_id}).get("Item")\n'
                    '    return {"statusCode": 200, "body": item["status"]}\n'
                ),
            },
            name="python-plain-read-by-path-id-is-not-a-replay",
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
            yield from _reports(worker.display_name, worker_at_least_once(worker, facts), facts)


def _reports(unit: str, triggers: list[Trigger], facts: Facts) -> Iterator[Report]:
    http = [t for t in triggers if t.http]
    if not http:
        return
    writes = [e.call for e in side_effects(facts)]
    for lookup in facts.calls():
        if lookup_of(lookup) is None or not _keyed_by_idempotency_key(lookup) or not triggers_running(lookup, http, facts):
            continue
        replay = _replay_after(lookup, facts, writes)
        if replay is None or _fingerprint_compared(lookup.function, facts):
            continue
        yield Report(
            replay,
            f"{unit} answers a known Idempotency-Key as a repeat (looked up on line {lookup.loc.line}) without "
            "comparing the request with the one that first used it: a different payload sent with a reused key "
            "gets the first request's answer",
        )


def _keyed_by_idempotency_key(call: Call) -> bool:
    values = list(call.args) + [v for _, v in call.kwargs]
    return any(s.kind == "event-id" and "idempotency" in s.name for v in values for s in v.sources)


def _replay_after(lookup: Call, facts: Facts, writes: list[Call]) -> Return | None:
    """The first successful answer after the lookup, before the function's next write: the path
    taken when the key is known."""
    same = lambda loc: loc.path == lookup.loc.path  # noqa: E731
    later_writes = [w.loc.line for w in writes if same(w.loc) and w.function == lookup.function and w.loc.line > lookup.loc.line]
    limit = min(later_writes, default=None)
    for returned in sorted(facts.returns(), key=lambda r: (r.loc.line, r.loc.column)):
        if returned.function != lookup.function or not same(returned.loc) or returned.loc.line <= lookup.loc.line:
            continue
        if limit is not None and returned.loc.line > limit:
            return None
        if returned.status is None or 200 <= returned.status < 300:
            return returned
    return None


def _fingerprint_compared(function: str | None, facts: Facts) -> bool:
    """A comparison of the request body (or a digest of it) with something not from the request:
    a stored fingerprint or stored payload fields."""
    return any(_compares_body(c) for c in facts.comparisons() if c.function == function)


def _compares_body(comparison: Comparison) -> bool:
    for side, other in ((comparison.left, comparison.right), (comparison.right, comparison.left)):
        body = any(s.kind == "event" and (s.name == "body" or s.name.startswith("body.") or ".body" in s.name) for s in side.sources)
        if body and not other.is_literal and not any(s.kind in ("event", "event-id") for s in other.sources):
            return True
    return False
