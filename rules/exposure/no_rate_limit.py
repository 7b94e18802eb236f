from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slsreview.analysis.credentials import credential_check, does_work, fetch_handler
from slsreview.analysis.facts import Facts
from slsreview.loaders.nodes import ListNode, MapNode
from slsreview.model.apis import ApiView, route_authorization, worker_reachable
from slsreview.model.project import Event, Function, Worker
from slsreview.model.resources import refers_to
from slsreview.rule import Context, Example, Expect, Report, Rule

_THROTTLES = ("ThrottlingRateLimit", "ThrottlingBurstLimit")
_CODE = (
    "import boto3\n"
    "\n"
    'table = boto3.resource("dynamodb").Table("orders")\n'
    "\n"
    "def handler(event, context):\n"
    '    return table.get_item(Key={"pk": event["pathParameters"]["id"]})["Item"]\n'
)


def _sam(api: str, event: str = "HttpApi", ref: str = "ApiId: !Ref OrdersApi", function_extra: str = "", extra: str = "") -> dict[str, str]:
    return {
        "template.yaml": (
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            f"{api}"
            "  OrdersFunction:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      CodeUri: src/\n"
            "      Handler: orders.handler\n"
            "      Runtime: python3.13\n"
            "      Timeout: 10\n"
            f"{function_extra}"
            "      Events:\n"
            "        GetOrder:\n"
            f"          Type: {event}\n"
            f"          Properties: {{{ref}, Path: '/orders/{{id}}', Method: GET}}\n"
            f"{extra}"
        ),
        "src/orders.py": _CODE,
    }


_HTTP_API = "  OrdersApi:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      StageName: prod\n{props}"
_REST_API = "  OrdersApi:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n{props}"
_WORKER = (
    "export default {\n"
    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
    '    const prompt = new URL(request.url).searchParams.get("q") ?? "";\n'
    '    const answer = await env.AI.run("@cf/meta/llama-3.1-8b-instruct", { prompt });\n'
    "    return Response.json(answer);\n"
    "  },\n"
    "};\n"
)
_WRANGLER = 'name = "ask"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n\n[ai]\nbinding = "AI"\n'


class NoRateLimit(Rule):
    """
    ## What it does
    Lists public, anonymous endpoints that nothing limits, for a person to choose a rate:

    - an API Gateway API with at least one route that needs no credential (no authorizer, no API
      key: the same test as SLS406, including a handler that checks no caller and does some work)
      and no throttling on its stage: no `MethodSettings` with `ThrottlingRateLimit` /
      `ThrottlingBurstLimit` on a REST API, no `DefaultRouteSettings` / `RouteSettings` throttling
      on an HTTP API (`Globals.Api` / `Globals.HttpApi` included), and no WAF web ACL associated
      with the API (`AWS::WAFv2::WebACLAssociation`, where rate-based rules live);
    - a function URL with `AuthType: NONE` on a function without `ReservedConcurrentExecutions`
      (a function URL has no throttling of its own; reserved concurrency is the only cap);
    - a Worker view reachable on `workers.dev` or its routes whose `fetch` checks no caller, does
      some work, and has no rate-limiting binding in that view (`[[ratelimits]]`, or the older
      `[[unsafe.bindings]]` with `type = "ratelimit"`; bindings are not inherited by
      `[env.NAME]`), or declares one that `fetch` never uses.

    Usage plans do not count for anonymous routes: a usage plan meters requests by API key, and
    requests without a key are not metered. Reserved concurrency does not count for API routes: it
    caps everyone together, so one client can still take every slot. One finding per API (its stage
    settings serve every route), per function URL, and per Worker view.

    ## Why is this bad?
    Without a limit, one client decides how many requests you serve. On AWS the account's API
    Gateway quota (10,000 requests per second by default) is shared by every API in the Region, so
    a single noisy caller throttles all of them, and every request it sends runs the function: the
    bill and the Lambda concurrency follow the attacker. On Workers each request costs CPU time and
    whatever it calls (AI inference, D1, outbound APIs).

    ## Why this tier
    Human-confirmation: the right rate depends on the product, and a dashboard rule (Cloudflare
    WAF rate limiting, an AWS WAF attached outside the template) may already exist. A person
    confirms the limit or where it is configured.

    ## Example
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::HttpApi     # no DefaultRouteSettings
    ```
    ```toml
    name = "ask"          # public Worker calling Workers AI, no [[ratelimits]]
    ```

    ## Use instead
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::HttpApi
      Properties:
        DefaultRouteSettings:
          ThrottlingBurstLimit: 50
          ThrottlingRateLimit: 20
    ```
    ```toml
    [[ratelimits]]
    name = "ASK_LIMITER"
    namespace_id = "1001"
    simple = { limit = 20, period = 60 }
    ```

    ## References
    - [Throttle requests to your REST APIs](https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html)
    - [Throttle requests to your HTTP API](https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html)
    - [API Gateway quotas (account-level throttling)](https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html)
    - [Lambda reserved concurrency](https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html)
    - [Workers rate limiting binding](https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/)
    - [AWS WAF rate-based rules](https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html)
    """

    id = "SLS408"
    name = "no-rate-limit"
    category = "exposure"
    tier = "human-confirmation"
    title = "A public, anonymous endpoint has no rate limit"
    fix = "Throttle the API stage (or attach a WAF rate-based rule), cap a public function URL with reserved concurrency, or add a Workers rate-limiting binding and call limit()."
    docs = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-request-throttling.html",
        "https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/",
    )

    bad = [
        Example(
            _sam(_HTTP_API.format(props="")),
            expect=[
                Expect(
                    "template.yaml",
                    4,
                    3,
                    "HTTP API OrdersApi has no throttling (no DefaultRouteSettings or RouteSettings limits) and "
                    "serves the anonymous route GET /orders/{id} of OrdersFunction: one client can use the "
                    "account's whole API Gateway quota and as much Lambda as it likes. A person must decide "
                    "the rate it should accept",
                )
            ],
            name="http-api-without-throttling",
        ),
        Example(
            _sam("", event="Api", ref="Method: GET"),
            expect=[
                Expect(
                    "template.yaml",
                    12,
                    9,
                    "The implicit REST API has no throttling (no MethodSettings limits) and serves the anonymous "
                    "route GET /orders/{id} of OrdersFunction: one client can use the account's whole API "
                    "Gateway quota and as much Lambda as it likes. A person must decide the rate it should accept",
                )
            ],
            name="implicit-rest-api",
        ),
        Example(
            {
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
                    "      FunctionUrlConfig:\n"
                    "        AuthType: NONE\n"
                ),
                "src/orders.py": _CODE,
            },
            expect=[
                Expect(
                    "template.yaml",
                    12,
                    9,
                    "OrdersFunction's public function URL has no limit (a function URL cannot be throttled, and "
                    "the function has no ReservedConcurrentExecutions): one client can run as many copies as "
                    "the account allows. A person must decide the rate it should accept",
                )
            ],
            name="public-function-url",
        ),
        Example(
            {"wrangler.toml": _WRANGLER, "src/index.ts": _WORKER},
            expect=[
                Expect(
                    "wrangler.toml",
                    1,
                    1,
                    "ask is reachable on workers.dev (workers_dev defaults to true), its fetch handler checks no "
                    "caller, and no rate-limiting binding limits it: one client decides how much work it does. "
                    "A person must decide the rate it should accept",
                )
            ],
            name="worker-without-rate-limiter",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER
                + '\n[[ratelimits]]\nname = "ASK_LIMITER"\nnamespace_id = "1001"\nsimple = { limit = 20, period = 60 }\n'
                + '\n[env.production]\nroutes = [{ pattern = "ask.example.com/*", zone_name = "example.com" }]\n\n[env.production.ai]\nbinding = "AI"\n',
                "src/index.ts": _WORKER.replace(
                    '    const answer',
                    "    const { success } = await env.ASK_LIMITER.limit({ key: prompt });\n"
                    '    if (!success) return new Response("slow down", { status: 429 });\n'
                    "    const answer",
                ),
            },
            expect=[
                Expect(
                    "wrangler.toml",
                    13,
                    1,
                    "ask [env.production] is reachable on its routes, its fetch handler checks no caller, and no rate-limiting binding limits it: one "
                    "client decides how much work it does. A person must decide the rate it should accept",
                )
            ],
            name="rate-limiter-not-inherited-by-an-environment",
        ),
    ]
    good = [
        Example(
            _sam(_HTTP_API.format(props="      DefaultRouteSettings:\n        ThrottlingBurstLimit: 50\n        ThrottlingRateLimit: 20\n")),
            name="http-api-throttled",
        ),
        Example(
            _sam(
                _REST_API.format(
                    props="      MethodSettings:\n        - ResourcePath: '/*'\n          HttpMethod: '*'\n          ThrottlingRateLimit: 20\n          ThrottlingBurstLimit: 50\n"
                ),
                event="Api",
                ref="RestApiId: !Ref OrdersApi",
            ),
            name="rest-api-method-settings",
        ),
        Example(
            _sam(
                _REST_API.format(props=""),
                event="Api",
                ref="RestApiId: !Ref OrdersApi",
                extra=(
                    "  OrdersWaf:\n"
                    "    Type: AWS::WAFv2::WebACLAssociation\n"
                    "    Properties:\n"
                    "      ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${OrdersApi}/stages/prod\n"
                    "      WebACLArn: arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/orders/1\n"
                ),
            ),
            name="waf-web-acl",
        ),
        Example(
            _sam(
                _HTTP_API.format(props="      Auth:\n        DefaultAuthorizer: OrdersJwt\n        Authorizers:\n          OrdersJwt:\n            JwtConfiguration: {issuer: 'https://auth.example.com', audience: [orders]}\n            IdentitySource: $request.header.Authorization\n")
            ),
            name="authenticated-routes-are-not-anonymous",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER + '\n[[unsafe.bindings]]\nname = "ASK_LIMITER"\ntype = "ratelimit"\nnamespace_id = "1001"\nsimple = { limit = 20, period = 60 }\n',
                "src/index.ts": _WORKER.replace(
                    '    const answer',
                    "    const { success } = await env.ASK_LIMITER.limit({ key: prompt });\n"
                    '    if (!success) return new Response("slow down", { status: 429 });\n'
                    "    const answer",
                ),
            },
            name="worker-unsafe-ratelimit-binding",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        yield from self._apis(ctx)
        for fn in ctx.project.functions:
            report = self._function_url(fn, ctx)
            if report is not None:
                yield report
        for worker in ctx.project.workers:
            report = self._worker(worker, ctx)
            if report is not None:
                yield report

    def _apis(self, ctx: Context) -> Iterator[Report]:
        groups: dict[tuple[str, str], tuple[ApiView, list[tuple[Function, Event]]]] = {}
        for fn in ctx.project.functions:
            anonymous = None  # decided once per function, only when it has an open route
            for event, api in ctx.project.apis_of(fn):
                if api is None or route_authorization(event, api)[0] not in ("open", "opted-out"):
                    continue
                if anonymous is None:
                    facts = ctx.facts(fn)
                    anonymous = facts is None or (credential_check(facts) is None and does_work(facts))
                if anonymous:
                    groups.setdefault((api.template, api.logical_id), (api, []))[1].append((fn, event))
        for api, routes in groups.values():
            if _throttled(api, ctx):
                continue
            settings = "MethodSettings" if api.kind == "rest" else "DefaultRouteSettings or RouteSettings"
            listed = ", ".join(f"{_route(e)} of {fn.name}" for fn, e in routes)
            who = (f"The implicit {'REST' if api.kind == 'rest' else 'HTTP'} API" if api.implicit else api.name)
            plural = "s" if len(routes) > 1 else ""
            functions = {fn.name for fn, _ in routes}
            yield Report(
                routes[0][1] if api.implicit else api,
                f"{who} has no throttling (no {settings} limits) and serves the anonymous route{plural} {listed}: "
                "one client can use the account's whole API Gateway quota and as much Lambda as it likes. "
                "A person must decide the rate it should accept",
                subject=routes[0][0] if len(functions) == 1 else None,
            )

    def _function_url(self, fn: Function, ctx: Context) -> Report | None:
        url = fn.function_url
        if url is None or not isinstance(url.value, MapNode):
            return None
        auth = url.value.get("AuthType")
        if not isinstance(auth, str) or auth.upper() != "NONE" or fn.prop("ReservedConcurrentExecutions") is not None:
            return None
        facts = ctx.facts(fn)
        if facts is not None and (credential_check(facts) is not None or not does_work(facts)):
            return None
        return Report(
            url,
            f"{fn.name}'s public function URL has no limit (a function URL cannot be throttled, and the function "
            "has no ReservedConcurrentExecutions): one client can run as many copies as the account allows. "
            "A person must decide the rate it should accept",
            subject=fn,
        )

    def _worker(self, worker: Worker, ctx: Context) -> Report | None:
        how = worker_reachable(worker)
        whole = ctx.facts(worker) if how is not None else None
        fetch = fetch_handler(whole) if whole is not None else None
        if how is None or whole is None or fetch is None:
            return None
        facts = whole.within(fetch[0])
        assets = {b.name for b in worker.bindings if b.kind == "assets"}
        if credential_check(facts) is not None or not does_work(facts, ignore=assets):
            return None
        limiters = [b.name for b in worker.bindings if b.kind == "rate-limiter"]
        if limiters and (_uses_any(facts, limiters) or _uses_any(whole, limiters)):
            return None
        unused = f" ({', '.join(limiters)} is declared but fetch never calls limit())" if limiters else ""
        return Report(
            worker.loc,
            f"{worker.display_name} is reachable on {how}, its fetch handler checks no caller, and no rate-limiting "
            f"binding limits it{unused}: one client decides how much work it does. A person must decide the rate "
            "it should accept",
            subject=worker,
        )


def _throttled(api: ApiView, ctx: Context) -> bool:
    if api.kind == "rest":
        settings = api.properties.get("MethodSettings")
        entries = list(settings) if isinstance(settings, ListNode) else []
    else:
        entries = [api.properties.get("DefaultRouteSettings")]
        routes = api.properties.get("RouteSettings")
        if isinstance(routes, MapNode):
            entries.extend(routes.values())
    if any(isinstance(e, MapNode) and any(k in e for k in _THROTTLES) for e in entries):
        return True
    stage_type, key = ("AWS::ApiGateway::Stage", "RestApiId") if api.kind == "rest" else ("AWS::ApiGatewayV2::Stage", "ApiId")
    for stage in api.related(stage_type, key, ctx.project.resources):
        found: list[Any] = []
        if api.kind == "rest" and isinstance(stage.properties.get("MethodSettings"), ListNode):
            found.extend(stage.properties["MethodSettings"])
        found.append(stage.properties.get("DefaultRouteSettings"))
        if any(isinstance(e, MapNode) and any(k in e for k in _THROTTLES) for e in found):
            return True
    return any(
        refers_to(acl.properties.get("ResourceArn"), api.logical_id)
        for acl in ctx.project.resources_of("AWS::WAFv2::WebACLAssociation")
        if acl.template == api.template
    )


def _uses_any(facts: Facts, names: list[str]) -> bool:
    used = facts.bindings_used()
    return any(name in used for name in names) or any(read.name in names for read in facts.env_reads())


def _route(event: Event) -> str:
    method, path = event.properties.get("Method"), event.properties.get("Path")
    method = method.upper() if isinstance(method, str) else "ANY"
    return f"{method} {path}" if isinstance(path, str) else f"{method} (any path)"
