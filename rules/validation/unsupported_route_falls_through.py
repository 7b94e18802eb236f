from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Facts, FunctionDef
from slsreview.model.project import Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule

# What a request is routed on, by the event source's name (its last part, lower-cased)
_ROUTED_ON = {
    "method": "method",
    "httpmethod": "method",
    "routekey": "route key",
    "path": "path",
    "rawpath": "path",
    "resource": "path",
    "pathname": "path",
}


def _lambda(code: str, events: str, name: str = "src/app.py", runtime: str = "python3.13") -> dict[str, str]:
    return {
        "template.yaml": (
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            "  OrdersFunction:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      CodeUri: src/\n"
            f"      Handler: {name.rsplit('/', 1)[-1].split('.')[0]}.handler\n"
            f"      Runtime: {runtime}\n"
            "      Timeout: 10\n"
            "      Events:\n"
            f"{events}"
        ),
        name: code,
    }


_REST = "        Orders:\n          Type: Api\n          Properties: {Path: /orders, Method: ANY}\n"
_HTTP = "        Orders:\n          Type: HttpApi\n          Properties: {Path: /orders, Method: ANY}\n"


def _worker(code: str) -> dict[str, str]:
    return {"wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n', "src/index.ts": code}


class UnsupportedRouteFallsThrough(Rule):
    """
    ## What it does
    Reports an HTTP handler that routes on the request (compares its method, path or route key
    with literals: `if event["httpMethod"] == "GET"`, `request.method === "POST"`,
    `url.pathname === "/orders"`) and whose body can reach its end, so that a request matching no
    branch returns `None` (Python) or `undefined` (JavaScript). It is reported only where that is
    certain: the handler is the configured entry point of a function with an `Api`/`HttpApi`
    event or a function URL, or a Worker's `fetch`; the routing comparisons are in that function
    itself; and no path through it reaches the end with a `return` or `raise`/`throw` (an `else`
    that answers 404 or 405 ends it; so does a last `return`).

    Frameworks that own unknown routes are not reported: a handler that returns
    `app.resolve(event, context)` (Powertools) or exports a Hono/itty-router app never falls
    through. Not reported either (the analysis cannot decide them precisely): routing by `switch`
    or `match`, by a dispatch dictionary, and a default branch that answers 200.

    ## Why is this bad?
    An unsupported method or path is the client's mistake, and deserves a 404 or 405 that says
    so. Falling through gives something else: API Gateway's REST API answers 502 for a `null`
    proxy response (and logs a malformed-response error), the HTTP API and function URLs answer
    200 with an empty body (the client thinks it worked), and a Worker whose `fetch` returns
    `undefined` throws, so the client gets a 500.

    ## Why this tier
    Non-blocking: the supported routes work; the unsupported ones answer wrongly.

    ## Example
    ```python
    def handler(event, context):
        if event["httpMethod"] == "GET":
            return list_orders()
        if event["httpMethod"] == "POST":
            return create_order(event)
    ```

    ## Use instead
    ```python
    def handler(event, context):
        if event["httpMethod"] == "GET":
            return list_orders()
        if event["httpMethod"] == "POST":
            return create_order(event)
        return {"statusCode": 405, "headers": {"Allow": "GET, POST"}, "body": ""}
    ```

    ## References
    - [API Gateway: Lambda proxy integration output format](https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format)
    - [HTTP API: Lambda function response format (payload 2.0)](https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html)
    - [Workers fetch handler](https://developers.cloudflare.com/workers/runtime-apis/handlers/fetch/)
    - [RFC 9110: 404 Not Found, 405 Method Not Allowed](https://www.rfc-editor.org/rfc/rfc9110#name-405-method-not-allowed)
    """

    id = "SLS411"
    name = "unsupported-route-falls-through"
    category = "validation"
    tier = "non-blocking"
    title = "An HTTP handler routes on method or path but falls off its end for anything else"
    fix = "End the handler with an explicit answer for everything else: 405 (with an Allow header) for another method, 404 for another path."
    docs = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-lambda-proxy-integrations.html#api-gateway-simple-proxy-for-lambda-output-format",
        "https://developers.cloudflare.com/workers/runtime-apis/handlers/fetch/",
    )

    bad = [
        Example(
            _lambda(
                "import json\n"
                "\n"
                "def handler(event, context):\n"
                '    if event["httpMethod"] == "GET":\n'
                '        return {"statusCode": 200, "body": "[]"}\n'
                '    elif event["httpMethod"] == "POST":\n'
                '        return {"statusCode": 201, "body": json.dumps({"id": "o-1"})}\n',
                _REST,
            ),
            expect=[
                Expect(
                    "src/app.py",
                    3,
                    1,
                    "OrdersFunction's handler routes on the request's method but falls off its end for any other, "
                    "returning None: API Gateway answers 502 (a malformed proxy response) instead of a 404 or 405",
                )
            ],
            name="python-rest-api-if-elif",
        ),
        Example(
            _lambda(
                "export const handler = async (event) => {\n"
                "  const { method } = event.requestContext.http;\n"
                '  if (event.rawPath === "/orders" && method === "POST") {\n'
                "    return { statusCode: 201 };\n"
                "  }\n"
                "};\n",
                _HTTP,
                name="src/app.mjs",
                runtime="nodejs22.x",
            ),
            expect=[
                Expect(
                    "src/app.mjs",
                    1,
                    24,
                    "OrdersFunction's handler routes on the request's path and method but falls off its end for any "
                    "other, returning undefined: the HTTP API answers 200 with an empty body instead of a 404 or 405",
                )
            ],
            name="javascript-http-api",
        ),
        Example(
            _worker(
                "export default {\n"
                "  async fetch(request: Request): Promise<Response> {\n"
                "    const url = new URL(request.url);\n"
                '    if (url.pathname === "/health") {\n'
                '      return new Response("ok");\n'
                "    }\n"
                '    if (url.pathname === "/orders" && request.method === "POST") {\n'
                "      return new Response(null, { status: 202 });\n"
                "    }\n"
                "  },\n"
                "} as any;\n"
            ),
            expect=[
                Expect(
                    "src/index.ts",
                    2,
                    3,
                    "orders's fetch routes on the request's path and method but falls off its end for any other, "
                    "returning undefined: the Worker throws and the client gets a 500 instead of a 404 or 405",
                )
            ],
            name="typescript-worker-fetch",
        ),
    ]
    good = [
        Example(
            _lambda(
                "def handler(event, context):\n"
                '    if event["httpMethod"] == "GET":\n'
                '        return {"statusCode": 200, "body": "[]"}\n'
                '    return {"statusCode": 405, "headers": {"Allow": "GET"}, "body": ""}\n',
                _REST,
            ),
            name="python-405-for-the-rest",
        ),
        Example(
            _worker(
                "export default {\n"
                "  async fetch(request: Request): Promise<Response> {\n"
                '    if (request.method !== "POST") {\n'
                '      return new Response("method not allowed", { status: 405 });\n'
                "    } else {\n"
                "      return new Response(null, { status: 202 });\n"
                "    }\n"
                "  },\n"
                "};\n"
            ),
            name="worker-if-else",
        ),
        Example(
            _lambda(
                "from aws_lambda_powertools.event_handler import APIGatewayRestResolver\n"
                "\n"
                "app = APIGatewayRestResolver()\n"
                "\n"
                '@app.get("/orders")\n'
                "def list_orders():\n"
                "    return []\n"
                "\n"
                "def handler(event, context):\n"
                "    return app.resolve(event, context)\n",
                _REST,
            ),
            name="powertools-resolver-owns-unknown-routes",
        ),
        Example(
            _lambda(
                "import json\n"
                "\n"
                "def handler(event, context):\n"
                "    for record in event['Records']:\n"
                "        if record['eventName'] == 'INSERT':\n"
                "            print(json.dumps(record))\n",
                "        Stream:\n          Type: SQS\n          Properties: {Queue: arn:aws:sqs:eu-west-1:123456789012:q}\n",
            ),
            name="not-an-http-handler",
        ),
        Example(
            _lambda(
                "def handler(event, context):\n"
                '    if event["httpMethod"] == "OPTIONS":\n'
                '        return {"statusCode": 204}\n'
                '    print("creating order")\n'
                '    return {"statusCode": 201}\n',
                _REST,
            ),
            name="a-preflight-branch-then-the-main-route",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        http = [e for e in fn.events if e.type in ("Api", "HttpApi")]
        if not http and fn.function_url is None:
            return
        facts = ctx.facts(fn)
        entry = facts.entry() if facts is not None else None
        if facts is None or entry is None:
            return
        found = _falls_through(facts, entry.qualname)
        if found is None:
            return
        definition, routed = found
        returned = "None" if facts.main is not None and facts.main.language == "python" else "undefined"
        if any(e.type == "Api" for e in http):
            consequence = "API Gateway answers 502 (a malformed proxy response)"
        elif http:
            consequence = "the HTTP API answers 200 with an empty body"
        else:
            consequence = "the function URL answers 200 with an empty body"
        yield Report(
            definition.loc,
            f"{fn.name}'s handler routes on the request's {routed} but falls off its end for any other, returning "
            f"{returned}: {consequence} instead of a 404 or 405",
        )

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        if worker.env is not None:
            return  # the same code as the top level: one finding there
        facts = ctx.facts(worker)
        entry = facts.entry() if facts is not None else None
        if facts is None or entry is None or "fetch" not in entry.methods:
            return
        found = _falls_through(facts, f"{entry.qualname}.fetch")
        if found is None:
            return
        definition, routed = found
        yield Report(
            definition.loc,
            f"{worker.display_name}'s fetch routes on the request's {routed} but falls off its end for any other, "
            "returning undefined: the Worker throws and the client gets a 500 instead of a 404 or 405",
        )


def _falls_through(facts: Facts, qualname: str) -> tuple[FunctionDef, str] | None:
    """The handler's definition and what it routes on, when it routes and can fall off its end."""
    definition = next((f for f in facts.functions() if f.qualname == qualname), None)
    if definition is None or not definition.falls_through:
        return None
    routed: list[str] = []
    for comparison in facts.comparisons():
        if comparison.function != qualname:
            continue
        for side, other in ((comparison.left, comparison.right), (comparison.right, comparison.left)):
            if not isinstance(other.literal, str):
                continue
            for source in side.sources:
                if source.kind != "event":
                    continue
                what = _ROUTED_ON.get(source.name.rsplit(".", 1)[-1].lower())
                if what is not None and what not in routed:
                    routed.append(what)
    if not routed:
        return None
    return definition, " and ".join(routed)
