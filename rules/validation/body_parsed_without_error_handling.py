from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Call, Facts, Parse
from slsreview.analysis.memo import answer_kept
from slsreview.location import Location
from slsreview.model.project import Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule

_ROUND_TRIPS = ("json.dumps(", "JSON.stringify(")


def _lambda(code: str, event: str, name: str = "src/orders.py", runtime: str = "python3.13") -> dict[str, str]:
    return {
        "template.yaml": (
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            "  OrdersFunction:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      CodeUri: src/\n"
            "      Handler: orders.handler\n"
            f"      Runtime: {runtime}\n"
            "      Timeout: 10\n"
            "      Events:\n"
            f"{event}"
            "  OrdersQueue:\n"
            "    Type: AWS::SQS::Queue\n"
            "    Properties:\n"
            "      VisibilityTimeout: 60\n"
        ),
        name: code,
    }


_HTTP = "        Create:\n          Type: HttpApi\n          Properties: {Path: /orders, Method: POST}\n"
_SQS = "        Orders:\n          Type: SQS\n          Properties: {Queue: !GetAtt OrdersQueue.Arn}\n"


def _worker(code: str) -> dict[str, str]:
    return {"wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n', "src/index.ts": code}


class BodyParsedWithoutErrorHandling(Rule):
    """
    ## What it does
    Reports a request body or message parsed as JSON (`json.loads`, `JSON.parse`,
    `await request.json()`, Hono's `c.req.json()`) where nothing handles invalid JSON: the parse is
    outside any `try` whose handler answers or records the failure (a `try` that only logs and
    re-raises does not count), and, when it sits in a helper function, every call of that helper is
    outside such a `try` too. A `.catch(...)` on the promise counts as handling. A Hono app that
    registers `app.onError(...)` decides centrally what errors become, and is not reported.

    One finding per parse, with what invalid input leads to for that trigger: an HTTP event, a
    function URL or a Worker's `fetch` answers with a 5xx instead of a 400; a queue or stream
    trigger (SQS, Kinesis, DynamoDB streams, a Worker's `queue` handler) fails the whole batch and
    gets it redelivered; any other trigger (one outside the template, such as EventBridge Pipes)
    fails the invocation. Parsing what the code itself just serialised
    (`json.loads(json.dumps(record))`, a common way to turn floats into `Decimal`) cannot fail and
    is not reported.

    Not yet seen (and so not reported): Powertools' `app.current_event.json_body`, which the
    analysis does not record as a parse of the body (its resolver's `exception_handler` would
    then decide whether it is handled).

    ## Why is this bad?
    A client's malformed request is the client's error: it deserves a 400 that says so. Unhandled,
    it becomes an "Internal server error" that looks like an outage, pages someone, and tells the
    client nothing. For a queue it is worse: the message is a poison pill that fails its batch on
    every delivery until it expires or reaches the dead-letter queue, holding up the good messages
    received with it.

    ## Why this tier
    Non-blocking: valid input works; the damage is limited to malformed input, but it is certain
    to arrive.

    ## Example
    ```python
    def handler(event, context):
        order = json.loads(event["body"])
    ```
    ```typescript
    const order = await request.json();
    ```

    ## Use instead
    ```python
    try:
        order = json.loads(event.get("body") or "")
    except json.JSONDecodeError:
        return {"statusCode": 400, "body": '{"error": "invalid_json"}'}
    ```
    ```typescript
    const order = await request.json().catch(() => null);
    if (order === null) return Response.json({ error: "invalid_json" }, { status: 400 });
    ```

    ## References
    - [Lambda: handling errors in Python functions](https://docs.aws.amazon.com/lambda/latest/dg/python-exceptions.html)
    - [Lambda: handling errors in Node.js functions](https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html)
    - [SQS with Lambda: handling errors, partial batch responses](https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html)
    - [Workers Request.json()](https://developers.cloudflare.com/workers/runtime-apis/request/)
    - [Hono: error handling (app.onError)](https://hono.dev/docs/api/hono#error-handling)
    """

    id = "SLS410"
    name = "body-parsed-without-error-handling"
    category = "validation"
    tier = "non-blocking"
    title = "Request or message JSON is parsed with nothing handling invalid input"
    fix = "Parse inside a try (or with .catch) and answer 400 (HTTP) or report the one message as failed (queues)."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html",
        "https://developers.cloudflare.com/workers/runtime-apis/request/",
    )

    bad = [
        Example(
            _lambda(
                "import json\n"
                "\n"
                "def handler(event, context):\n"
                '    order = json.loads(event["body"])\n'
                '    return {"statusCode": 202, "body": json.dumps({"sku": order["sku"]})}\n',
                _HTTP,
            ),
            expect=[
                Expect(
                    "src/orders.py",
                    4,
                    13,
                    "json.loads(...) parses request data (body) with nothing handling invalid JSON: a malformed "
                    "request makes OrdersFunction answer with a 5xx error instead of a 400",
                )
            ],
            name="python-http-body",
        ),
        Example(
            _lambda(
                "export const handler = async (event) => {\n"
                "  for (const record of event.Records) {\n"
                "    const order = JSON.parse(record.body);\n"
                "    console.log(order.sku);\n"
                "  }\n"
                "};\n",
                _SQS,
                name="src/orders.mjs",
                runtime="nodejs22.x",
            ),
            expect=[
                Expect(
                    "src/orders.mjs",
                    3,
                    19,
                    "JSON.parse(...) parses request data (records.body) with nothing handling invalid JSON: one "
                    "malformed message fails OrdersFunction's whole batch, and it is redelivered until it expires "
                    "or reaches a dead-letter queue",
                )
            ],
            name="javascript-sqs-poison-message",
        ),
        Example(
            _worker(
                "export default {\n"
                "  async fetch(request: Request): Promise<Response> {\n"
                "    const order: { sku: string } = await request.json();\n"
                "    return Response.json({ sku: order.sku }, { status: 202 });\n"
                "  },\n"
                "};\n"
            ),
            expect=[
                Expect(
                    "src/index.ts",
                    3,
                    42,
                    "request.json(...) parses request data (body) with nothing handling invalid JSON: a malformed "
                    "request makes orders answer with a 5xx error instead of a 400",
                )
            ],
            name="typescript-worker-request-json",
        ),
        Example(
            _lambda(
                "import json\n"
                "\n"
                "def read_order(event):\n"
                '    return json.loads(event["body"])\n'
                "\n"
                "def handler(event, context):\n"
                "    try:\n"
                "        order = read_order(event)\n"
                "    except ValueError:\n"
                '        print("bad order")\n'
                "        raise\n"
                '    return {"statusCode": 202, "body": json.dumps(order)}\n',
                _HTTP,
            ),
            expect=[
                Expect(
                    "src/orders.py",
                    4,
                    12,
                    "json.loads(...) parses request data (body) with nothing handling invalid JSON: a malformed "
                    "request makes OrdersFunction answer with a 5xx error instead of a 400",
                )
            ],
            name="python-helper-whose-caller-re-raises",
        ),
        Example(
            {
                "template.yaml": _lambda("", "")["template.yaml"].replace("      Events:\n", ""),
                "src/orders.py": (
                    "import json\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    return json.loads(event[0]["body"])["order"]\n'
                ),
            },
            expect=[
                Expect(
                    "src/orders.py",
                    4,
                    12,
                    "json.loads(...) parses request data (body) with nothing handling invalid JSON: malformed "
                    "input fails OrdersFunction's invocation with an unhandled error",
                )
            ],
            name="python-trigger-outside-the-template",
        ),
    ]
    good = [
        Example(
            _lambda(
                "import json\n"
                "\n"
                "def handler(event, context):\n"
                "    try:\n"
                '        order = json.loads(event.get("body") or "")\n'
                "    except json.JSONDecodeError:\n"
                '        return {"statusCode": 400, "body": \'{"error": "invalid_json"}\'}\n'
                '    return {"statusCode": 202, "body": json.dumps(order)}\n',
                _HTTP,
            ),
            name="python-try-returns-400",
        ),
        Example(
            _lambda(
                "import json\n"
                "\n"
                "def read_order(event):\n"
                '    return json.loads(event["body"])\n'
                "\n"
                "def handler(event, context):\n"
                "    try:\n"
                "        order = read_order(event)\n"
                "    except ValueError:\n"
                '        return {"statusCode": 400}\n'
                '    return {"statusCode": 202, "body": json.dumps(order)}\n',
                _HTTP,
            ),
            name="python-helper-called-inside-a-try",
        ),
        Example(
            _worker(
                "export default {\n"
                "  async fetch(request: Request): Promise<Response> {\n"
                "    const order = await request.json().catch(() => null);\n"
                '    if (order === null) return Response.json({ error: "invalid_json" }, { status: 400 });\n'
                "    return Response.json(order, { status: 202 });\n"
                "  },\n"
                "};\n"
            ),
            name="typescript-catch-on-the-promise",
        ),
        Example(
            _worker(
                'import { Hono } from "hono";\n'
                "\n"
                "const app = new Hono();\n"
                'app.onError((err, c) => c.json({ error: "bad_request" }, 400));\n'
                'app.post("/orders", async (c) => c.json(await c.req.json(), 202));\n'
                "export default app;\n"
            ),
            name="hono-app-with-on-error",
        ),
        Example(
            _lambda(
                "import decimal, json\n"
                "\n"
                "import boto3\n"
                "\n"
                'table = boto3.resource("dynamodb").Table("labels")\n'
                "\n"
                "def handler(event, context):\n"
                '    record = {"key": event["Records"][0]["s3"]["object"]["key"], "score": 0.93}\n'
                "    table.put_item(Item=json.loads(json.dumps(record), parse_float=decimal.Decimal))\n",
                "        Uploads:\n          Type: S3\n          Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}\n",
            ),
            name="python-round-trip-through-json-dumps",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        sites: dict[Location, tuple[Parse, str, list[Function | Worker]]] = {}
        units: list[Function | Worker] = [*ctx.project.functions, *ctx.project.workers]
        for unit in units:
            facts = ctx.facts(unit)
            if facts is None:
                continue
            unhandled: list[tuple[Parse, str]] = answer_kept(facts, "SLS410 unhandled parses", _unhandled)
            for parse, what in unhandled:
                sites.setdefault(parse.loc, (parse, what, []))[2].append(unit)
        for parse, what, owners in sites.values():
            names = " and ".join(sorted({_name(u) for u in owners}))
            fields = ", ".join(sorted({s.name for s in parse.of if s.kind == "event"}))
            trigger = _trigger(owners[0], parse)
            consequence, fix = {
                "queue": (
                    f"one malformed message fails {names}'s whole batch, and it is redelivered until it expires or "
                    "reaches a dead-letter queue",
                    "Parse each message inside a try and report only that message as failed (batchItemFailures), or drop it with a log line.",
                ),
                "http": (
                    f"a malformed request makes {names} answer with a 5xx error instead of a 400",
                    "Parse inside a try (or with .catch) and answer 400 with a short error body.",
                ),
                "other": (
                    f"malformed input fails {names}'s invocation with an unhandled error",
                    "Parse inside a try and handle invalid input deliberately (log it and skip, or fail with a clear error).",
                ),
            }[trigger]
            yield Report(
                parse.loc,
                f"{what} parses request data ({fields}) with nothing handling invalid JSON: {consequence}",
                fix=fix,
                subject=owners[0] if len(owners) == 1 else None,
            )


def _unhandled(facts: Facts) -> list[tuple[Parse, str]]:
    """Each parse of the input in one handler that nothing handles, with what to call it."""
    found = []
    calls = {c.loc: c for c in facts.calls("json.parse")}
    for parse in facts.parses():
        # the input itself (kind "event"); an S3 object fetched by a key from the event
        # (kind "event-id") is stored data, not what the caller sent
        if parse.guarded or not any(s.kind == "event" for s in parse.of):
            continue
        if _handled_by_callers(parse, facts) or _app_handles_errors(facts, parse.loc.path):
            continue
        call = calls.get(parse.loc)
        if call is not None and call.args and call.args[0].text.startswith(_ROUND_TRIPS):
            continue  # json.loads(json.dumps(x)): parsing what the code just wrote cannot fail
        found.append((parse, f"{call.callee}(...)" if isinstance(call, Call) else "The JSON parse"))
    return found


def _handled_by_callers(parse: Parse, facts: Facts) -> bool:
    """A parse in a helper is handled when every call of the helper is inside a try that answers."""
    function = parse.function
    if function is None:
        return False
    entry = facts.entry()
    if entry is not None and function in (entry.qualname, *(f"{entry.qualname}.{m}" for m in entry.methods)):
        return False
    short = function.rsplit(".", 1)[-1]
    callers = [c for c in facts.calls() if c.callee == function or c.callee.rsplit(".", 1)[-1] == short]
    if not callers:
        return False
    for call in callers:
        block = facts.try_block(call)
        if block is None or block.on_error == "reraise":
            return False
    return True


def _app_handles_errors(facts: Facts, path: str) -> bool:
    """A web framework app (Hono) with an error handler registered in the same file."""
    return any(c.loc.path == path and c.callee.rsplit(".", 1)[-1] == "onError" and c.args for c in facts.calls())


def _trigger(unit: Function | Worker, parse: Parse) -> str:
    """What delivers the parsed input: ``http`` (an API event, a function URL, a Worker's fetch),
    ``queue`` (SQS, streams, a Worker's queue handler) or ``other`` (no trigger in the template,
    an asynchronous event, a Step Functions task...)."""
    if isinstance(unit, Worker):
        return "queue" if parse.function and ".queue" in f".{parse.function}" else "http"
    invocations = {e.invocation for e in unit.events}
    if "poll" in invocations and any(s.name.startswith("records") for s in parse.of):
        return "queue"  # a record's body, in a function that also answers HTTP
    if "sync" in invocations or unit.function_url is not None:
        return "http"
    return "queue" if "poll" in invocations else "other"


def _name(unit: Function | Worker) -> str:
    return unit.name if isinstance(unit, Function) else unit.display_name
