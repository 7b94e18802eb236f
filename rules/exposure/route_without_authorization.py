from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slsreview.analysis.credentials import credential_check, does_work, fetch_handler
from slsreview.model.apis import ApiView, route_authorization, worker_reachable
from slsreview.model.project import Event, Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule


def _sam(events: str, api: str = "", code: str | None = None) -> dict[str, str]:
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
            "      Runtime: python3.13\n"
            "      Timeout: 10\n"
            "      Events:\n"
            f"{events}"
            f"{api}"
        ),
        "src/orders.py": code
        or (
            "import boto3\n"
            "\n"
            'table = boto3.resource("dynamodb").Table("orders")\n'
            "\n"
            "def handler(event, context):\n"
            '    return table.get_item(Key={"pk": event["pathParameters"]["id"]})["Item"]\n'
        ),
    }


_GET = "        GetOrder:\n          Type: {type}\n          Properties:\n            Path: /orders/{{id}}\n            Method: GET\n{extra}"


def _worker(config: str, code: str) -> dict[str, str]:
    return {"wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n' + config, "src/index.ts": code}


_KV = '[[kv_namespaces]]\nbinding = "ORDERS"\nid = "0f2ac74b498b48028cb68387c421e279"\n'
_OPEN_WORKER = (
    "export default {\n"
    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
    '    const id = new URL(request.url).searchParams.get("id") ?? "";\n'
    "    return new Response(await env.ORDERS.get(id));\n"
    "  },\n"
    "};\n"
)


class RouteWithoutAuthorization(Rule):
    """
    ## What it does
    Lists HTTP endpoints that anyone on the internet can call and whose code checks no caller:

    - an `Api` or `HttpApi` event with no `Auth` of its own, on an API without a default authorizer
      (`Auth.DefaultAuthorizer` on the `AWS::Serverless::Api`/`HttpApi`, or in `Globals.Api` /
      `Globals.HttpApi` for every API including SAM's implicit one) and, for REST APIs, without
      `ApiKeyRequired`; an event with `Auth: {Authorizer: NONE}` overrides a default and is open;
    - a Worker with a `fetch` handler reachable on `workers.dev` (`workers_dev` defaults to true when
      the view has no `routes`, as Wrangler decides it) or on `routes`, for each `[env.NAME]` view.

    It stays silent when the route is not public or not known: a `PRIVATE` REST API, a resource
    policy, an OpenAPI definition it cannot read or one that configures security itself, an
    `OPTIONS` route (CORS preflight). It also stays silent when the handler visibly checks its
    caller (a credential header read or compared with a secret, a constant-time comparison, a JWT
    or signature verified, an authentication middleware such as Hono's `bearerAuth`), and when the
    handler touches nothing worth protecting (no AWS or Cloudflare binding call, no outbound
    request, no secret: a hello-world or redirect endpoint). One finding per function, on its
    first open event, naming every open route; one per Worker configuration, on its `fetch`,
    naming the reachable views.

    ## Why is this bad?
    An endpoint without authorization serves whoever finds it: it reads and writes your data for
    them and runs up your bill. Many endpoints are public by design (a storefront's catalogue, a
    webhook that checks a signature), and many more are public by omission, because the
    authorizer was meant to be added later.

    ## Why this tier
    Human-confirmation: only a person knows whether a route is meant to be public. The finding
    asks for that decision to be made and recorded.

    ## Example
    ```yaml
    GetOrder:
      Type: HttpApi
      Properties: {Path: "/orders/{id}", Method: GET}     # no Auth, no DefaultAuthorizer
    ```
    ```typescript
    export default { async fetch(request, env) { return new Response(await env.ORDERS.get(id)); } };
    ```

    ## Use instead
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::HttpApi
      Properties:
        Auth:
          DefaultAuthorizer: OrdersJwt
          Authorizers:
            OrdersJwt:
              IdentitySource: $request.header.Authorization
              JwtConfiguration: {issuer: "https://auth.example.com", audience: [orders]}
    ```
    For a Worker, set `workers_dev = false` and put the route behind Cloudflare Access (and verify
    the `Cf-Access-Jwt-Assertion` header), or check a token in `fetch`.

    ## References
    - [SAM ApiAuth (DefaultAuthorizer, ApiKeyRequired, ResourcePolicy)](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html)
    - [SAM HttpApiAuth](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-httpapi-httpapiauth.html)
    - [SAM ApiFunctionAuth (Authorizer: NONE)](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-apifunctionauth.html)
    - [Controlling access to API Gateway REST APIs](https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html)
    - [workers.dev routing](https://developers.cloudflare.com/workers/configuration/routing/workers-dev/)
    - [Cloudflare Access: validate JWTs](https://developers.cloudflare.com/cloudflare-one/identity/authorization-cookie/validating-json/)
    """

    id = "SLS406"
    name = "route-without-authorization"
    category = "exposure"
    tier = "human-confirmation"
    title = "A public HTTP route has no authorization and its code checks no caller"
    fix = "Add an authorizer (or a default authorizer on the API), or check a credential in the handler; if the route is public by design, record who decided."
    docs = (
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html",
        "https://developers.cloudflare.com/workers/configuration/routing/workers-dev/",
    )

    bad = [
        Example(
            _sam(_GET.format(type="HttpApi", extra="")),
            expect=[
                Expect(
                    "template.yaml",
                    12,
                    9,
                    "OrdersFunction's HTTP API route GET /orders/{id} (event GetOrder) has no authorizer, and "
                    "its handler checks no caller: anyone on the internet can call it. A person must decide "
                    "whether it is meant to be public",
                )
            ],
            name="http-api-without-auth",
        ),
        Example(
            _sam(
                _GET.format(type="Api", extra="            RestApiId: !Ref OrdersApi\n            Auth:\n              Authorizer: NONE\n"),
                "  OrdersApi:\n"
                "    Type: AWS::Serverless::Api\n"
                "    Properties:\n"
                "      StageName: prod\n"
                "      Auth:\n"
                "        DefaultAuthorizer: AWS_IAM\n",
            ),
            expect=[
                Expect(
                    "template.yaml",
                    19,
                    27,
                    "OrdersFunction's REST API route GET /orders/{id} (event GetOrder) opts out of the API's "
                    "default authorizer (Authorizer: NONE), and its handler checks no caller: anyone on the "
                    "internet can call it. A person must decide whether it is meant to be public",
                )
            ],
            name="authorizer-none-overrides-the-default",
        ),
        Example(
            _worker(_KV, _OPEN_WORKER),
            expect=[
                Expect(
                    "src/index.ts",
                    2,
                    3,
                    "orders's fetch handler checks no caller and is reachable on workers.dev (workers_dev "
                    "defaults to true): anyone on the internet can call it. A person must decide whether it is "
                    "meant to be public",
                )
            ],
            name="worker-on-workers-dev-by-default",
        ),
        Example(
            _worker(
                "workers_dev = false\n" + _KV + '\n[env.production]\nroutes = [{ pattern = "orders.example.com/*", zone_name = "example.com" }]\n'
                '[[env.production.kv_namespaces]]\nbinding = "ORDERS"\nid = "a825455ce00f4f7282403da85269f8ea"\n',
                _OPEN_WORKER,
            ),
            expect=[
                Expect(
                    "src/index.ts",
                    2,
                    3,
                    "orders [env.production]'s fetch handler checks no caller and is reachable on its routes: "
                    "anyone on the internet can call it. A person must decide whether it is meant to be public",
                )
            ],
            name="worker-routes-per-environment",
        ),
        Example(
            {
                "template.yaml": _sam(_GET.format(type="HttpApi", extra=""))["template.yaml"]
                .replace("orders.handler", "files.handler")
                .replace("python3.13", "nodejs24.x"),
                "src/files.mjs": (
                    'import { S3Client, GetObjectCommand } from "@aws-sdk/client-s3";\n'
                    "\n"
                    "const s3 = new S3Client({});\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    '  const key = event.queryStringParameters?.key ?? "index.json";\n'
                    '  const object = await s3.send(new GetObjectCommand({ Bucket: "orders", Key: key }));\n'
                    "  return { statusCode: 200, body: await object.Body.transformToString() };\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "template.yaml",
                    12,
                    9,
                    "OrdersFunction's HTTP API route GET /orders/{id} (event GetOrder) has no authorizer, and "
                    "its handler checks no caller: anyone on the internet can call it. A person must decide "
                    "whether it is meant to be public",
                )
            ],
            name="javascript-object-key-in-the-query-is-not-a-credential",
        ),
    ]
    good = [
        Example(
            _sam(
                _GET.format(type="HttpApi", extra="            ApiId: !Ref OrdersApi\n"),
                "  OrdersApi:\n"
                "    Type: AWS::Serverless::HttpApi\n"
                "    Properties:\n"
                "      Auth:\n"
                "        DefaultAuthorizer: OrdersJwt\n"
                "        Authorizers:\n"
                "          OrdersJwt:\n"
                "            IdentitySource: $request.header.Authorization\n"
                "            JwtConfiguration: {issuer: 'https://auth.example.com', audience: [orders]}\n",
            ),
            name="default-authorizer",
        ),
        Example(
            {
                **_sam(_GET.format(type="Api", extra="")),
                "template.yaml": _sam(_GET.format(type="Api", extra=""))["template.yaml"].replace(
                    "Resources:\n", "Globals:\n  Api:\n    Auth:\n      ApiKeyRequired: true\nResources:\n"
                ),
            },
            name="api-key-required-in-globals",
        ),
        Example(
            _sam(
                _GET.format(type="Api", extra=""),
                code=(
                    "import hmac, os, boto3\n"
                    "\n"
                    'table = boto3.resource("dynamodb").Table("orders")\n'
                    "\n"
                    "def handler(event, context):\n"
                    '    given = event["headers"].get("x-api-key", "")\n'
                    '    if not hmac.compare_digest(given, os.environ["ORDERS_API_KEY"]):\n'
                    '        return {"statusCode": 401}\n'
                    '    return table.get_item(Key={"pk": event["pathParameters"]["id"]})["Item"]\n'
                ),
            ),
            name="python-handler-checks-an-api-key",
        ),
        Example(
            _sam(
                _GET.format(type="HttpApi", extra=""),
                code="def handler(event, context):\n    return {'statusCode': 302, 'headers': {'location': 'https://example.com'}}\n",
            ),
            name="endpoint-that-touches-nothing",
        ),
        Example(
            _worker(
                _KV,
                'import { Hono } from "hono";\n'
                'import { bearerAuth } from "hono/bearer-auth";\n'
                "\n"
                "const app = new Hono<{ Bindings: Env }>();\n"
                'app.use("*", async (c, next) => bearerAuth({ token: c.env.ORDERS_TOKEN })(c, next));\n'
                'app.get("/orders/:id", async (c) => c.text((await c.env.ORDERS.get(c.req.param("id"))) ?? ""));\n'
                "export default app;\n",
            ),
            name="hono-bearer-auth",
        ),
        Example(
            _worker(
                _KV,
                'import { jwtVerify, createRemoteJWKSet } from "jose";\n'
                "\n"
                'const JWKS = createRemoteJWKSet(new URL("https://team.cloudflareaccess.com/cdn-cgi/access/certs"));\n'
                "\n"
                "export default {\n"
                "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                '    const token = request.headers.get("cf-access-jwt-assertion") ?? "";\n'
                "    await jwtVerify(token, JWKS, { audience: env.ACCESS_AUD });\n"
                '    return new Response(await env.ORDERS.get("latest"));\n'
                "  },\n"
                "};\n",
            ),
            name="cloudflare-access-jwt-verified",
        ),
        Example(
            {
            "wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n' + _KV,
            "src/index.ts": (
                'import { Hono } from "hono";\n'
                'import { requireSession } from "./auth";\n'
                "\n"
                "const app = new Hono<{ Bindings: Env }>();\n"
                'app.use("/orders/*", requireSession());\n'
                'app.get("/orders/:id", async (c) => c.text((await c.env.ORDERS.get(c.req.param("id"))) ?? ""));\n'
                "export default app;\n"
            ),
            "src/auth.ts": (
                'import { jwtVerify } from "jose";\n'
                "\n"
                "export function requireSession() {\n"
                "  return async (c, next) => {\n"
                '    const token = (c.req.header("cookie") ?? "").replace(/^session=/, "");\n'
                "    await jwtVerify(token, new TextEncoder().encode(c.env.SESSION_KEY));\n"
                "    await next();\n"
                "  };\n"
                "}\n"
            ),
            },
            name="middleware-from-a-local-module",
        ),
        Example(
            _worker(
                _KV,
                "export default {\n"
                "  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {\n"
                "    const identity = await ctx.access?.getIdentity();  // set when Cloudflare Access let the request in\n"
                '    if (!identity) return new Response("enable Cloudflare Access", { status: 401 });\n'
                '    return new Response(await env.ORDERS.get(identity.email));\n'
                "  },\n"
                "};\n",
            ),
            name="cloudflare-access-identity-from-the-runtime",
        ),
        Example(_worker("workers_dev = false\n" + _KV, _OPEN_WORKER), name="worker-not-reachable"),
        Example(
            _worker(
                _KV,
                "export default {\n"
                "  async fetch(): Promise<Response> {\n"
                '    return new Response("this Worker runs on a schedule");\n'
                "  },\n"
                "  async scheduled(event: ScheduledEvent, env: Env): Promise<void> {\n"
                '    await env.ORDERS.put("last-run", String(event.scheduledTime));\n'
                "  },\n"
                "};\n",
            ),
            name="only-the-scheduled-handler-does-work",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        for fn in ctx.project.functions:
            report = self._function(fn, ctx)
            if report is not None:
                yield report
        by_config: dict[str, list[Worker]] = {}
        for worker in ctx.project.workers:
            by_config.setdefault(worker.config.path, []).append(worker)
        for workers in by_config.values():
            report = self._workers(workers, ctx)
            if report is not None:
                yield report

    def _function(self, fn: Function, ctx: Context) -> Report | None:
        open_routes: list[tuple[Event, ApiView, Any]] = []
        for event, api in ctx.project.apis_of(fn):
            if api is None:
                continue
            state, at = route_authorization(event, api)
            if state in ("open", "opted-out"):
                open_routes.append((event, api, at if state == "opted-out" else event))
        if not open_routes:
            return None
        facts = ctx.facts(fn)
        if facts is not None and (credential_check(facts) is not None or not does_work(facts)):
            return None
        routes = ", ".join(f"{_route(e)} (event {e.name})" for e, _, _ in open_routes)
        kinds = " and ".join(sorted({"REST API" if e.type == "Api" else "HTTP API" for e, _, _ in open_routes}))
        plural = len(open_routes) > 1
        opted_out = [e for e, _, at in open_routes if at is not e]
        why = (
            "opts out of the API's default authorizer (Authorizer: NONE)"
            if opted_out and not plural
            else ("have no authorizer" if plural else "has no authorizer")
        )
        return Report(
            open_routes[0][2],
            f"{fn.name}'s {kinds} route{'s' if plural else ''} {routes} {why}, and its handler checks no caller: "
            "anyone on the internet can call it. A person must decide whether it is meant to be public",
            subject=fn,
        )

    def _workers(self, workers: list[Worker], ctx: Context) -> Report | None:
        reachable = [(w, how) for w in workers if (how := worker_reachable(w)) is not None]
        if not reachable:
            return None
        whole = ctx.facts(reachable[0][0])
        fetch = fetch_handler(whole) if whole is not None else None
        if whole is None or fetch is None:
            return None
        facts = whole.within(fetch[0])  # what serves HTTP, not the scheduled or queue handlers
        assets = {b.name for w, _ in reachable for b in w.bindings if b.kind == "assets"}
        if credential_check(facts) is not None or not does_work(facts, ignore=assets):
            return None
        names = " and ".join(f"{w.display_name}" for w, _ in reachable)
        hows = sorted({how for _, how in reachable})
        return Report(
            fetch[1],
            f"{names}'s fetch handler checks no caller and is reachable on {' and '.join(hows)}: anyone on the "
            "internet can call it. A person must decide whether it is meant to be public",
            subject=reachable[0][0] if len(reachable) == 1 else None,
        )


def _route(event: Event) -> str:
    method, path = event.properties.get("Method"), event.properties.get("Path")
    method = method.upper() if isinstance(method, str) else "ANY"
    return f"{method} {path}" if isinstance(path, str) else f"{method} (any path)"
