from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slsreview.analysis.credentials import request_sources
from slsreview.analysis.facts import Facts, Value
from slsreview.analysis.memo import answer_kept
from slsreview.loaders.nodes import ListNode, MapNode
from slsreview.location import Location
from slsreview.model.apis import ApiView
from slsreview.model.project import Function, Located, Worker
from slsreview.model.resources import refers_to
from slsreview.rule import Context, Example, Expect, Report, Rule

ACAO = "access-control-allow-origin"
ACAC = "access-control-allow-credentials"
_HEADER_SETTERS = ("set", "append", "setHeader", "header", "setdefault")


def _sam(api: str, function_extra: str = "", event: str = "HttpApi", ref: str = "ApiId: !Ref OrdersApi") -> dict[str, str]:
    return {
        "template.yaml": (
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            f"{api}"
            "  OrdersFunction:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      Runtime: python3.13\n"
            "      Handler: app.handler\n"
            "      InlineCode: 'def handler(event, context): return {}'\n"
            "      Timeout: 10\n"
            f"{function_extra}"
            "      Events:\n"
            "        ListOrders:\n"
            f"          Type: {event}\n"
            f"          Properties: {{{ref}, Path: /orders, Method: GET}}\n"
        )
    }


_HTTP_API = "  OrdersApi:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      CorsConfiguration:\n{cors}"
_REST_API = "  OrdersApi:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      Cors:\n{cors}"


def _code(files: dict[str, str], runtime: str, handler: str) -> dict[str, str]:
    return {
        "template.yaml": (
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            "  OrdersFunction:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      CodeUri: src/\n"
            f"      Handler: {handler}\n"
            f"      Runtime: {runtime}\n"
            "      Timeout: 10\n"
        ),
        **files,
    }


class CorsOpenToEveryOrigin(Rule):
    """
    ## What it does
    Lists every place that lets any website read an API's responses from a visitor's browser:

    - SAM REST APIs: `Cors: "'*'"` on an `AWS::Serverless::Api` or in `Globals.Api` (a `Cors`
      mapping without `AllowOrigin` allows `'*'` too: that is SAM's default);
    - SAM HTTP APIs: `CorsConfiguration: true` or `AllowOrigins` containing `*`, on an
      `AWS::Serverless::HttpApi` or in `Globals.HttpApi`, and `AWS::ApiGatewayV2::Api` `CorsConfiguration`;
    - function URLs: `Cors.AllowOrigins` containing `*` in `FunctionUrlConfig` or on an `AWS::Lambda::Url`;
    - handler code that answers with `Access-Control-Allow-Origin: *` (a literal headers object
      returned or given to a `Response`, a JavaScript constant holding one, or `headers.set(...)`),
      or copies the request's `Origin` header into it, which allows every
      origin as surely as `*` does.

    Combined with credentials (`AllowCredentials: true`, `Access-Control-Allow-Credentials: true`)
    the finding blocks. One finding per configuration place (an API's `Cors` serves all its
    routes) and per function in code (however many of its responses repeat the headers). Code-level headers of a function whose every route is on an HTTP
    API with `CorsConfiguration` are not reported: API Gateway replaces them.

    ## Why is this bad?
    CORS decides which other websites may read your API's responses with the visitor's browser.
    `*` says "every site": harmless for public, anonymous data, a leak for anything that depends on
    who the visitor is. With credentials (cookies, client certificates) allowed, a wildcard is
    refused: SAM rejects the template outright ("AllowCredentials can not be true when AllowOrigin
    is '*'"), and browsers refuse credentialed responses for `*`, which pushes people to reflect
    the request's `Origin` instead: then any website can act as the logged-in visitor.

    ## Why this tier
    Human-confirmation: `*` is right for a public API and a person should say so. Blocking with
    credentials: either the deployment fails, or every website can read responses made with the
    visitor's credentials.

    ## Example
    ```yaml
    OrdersApi:
      Type: AWS::Serverless::HttpApi
      Properties:
        CorsConfiguration:
          AllowOrigins: ["*"]
          AllowCredentials: true
    ```
    ```python
    return {"statusCode": 200, "headers": {"Access-Control-Allow-Origin": "*"}, "body": "{}"}
    ```

    ## Use instead
    ```yaml
    CorsConfiguration:
      AllowOrigins: ["https://shop.example.com"]
      AllowCredentials: true
    ```
    ```typescript
    headers.set("Access-Control-Allow-Origin", env.ALLOWED_ORIGIN);
    ```

    ## References
    - [Configure CORS for HTTP APIs](https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html)
    - [Enable CORS for a REST API resource](https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html)
    - [SAM Api Cors (CorsConfiguration)](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-corsconfiguration.html)
    - [SAM HttpApiCorsConfiguration](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-httpapi-httpapicorsconfiguration.html)
    - [Lambda function URL CORS](https://docs.aws.amazon.com/lambda/latest/dg/urls-configuration.html#urls-cors)
    - [MDN: credentialed requests and wildcards](https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS/Errors/CORSNotSupportingCredentials)
    - [OWASP: CORS origin header scrutiny](https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/11-Client-side_Testing/07-Testing_Cross_Origin_Resource_Sharing)
    """

    id = "SLS407"
    name = "cors-open-to-every-origin"
    category = "exposure"
    tier = "human-confirmation"
    title = "CORS lets every website read the responses (Access-Control-Allow-Origin: *)"
    fix = "List the origins that may call the API; never combine a wildcard or a reflected Origin with credentials."
    docs = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-corsconfiguration.html",
    )

    bad = [
        Example(
            _sam(_HTTP_API.format(cors="        AllowOrigins: ['*']\n")),
            expect=[
                Expect(
                    "template.yaml",
                    8,
                    24,
                    "HTTP API OrdersApi allows every origin (AllowOrigins: *): any website can read its "
                    "responses from a visitor's browser. A person must decide which origins may",
                )
            ],
            name="http-api-wildcard",
        ),
        Example(
            _sam(_HTTP_API.format(cors="        AllowOrigins: ['*']\n        AllowCredentials: true\n")),
            expect=[
                Expect(
                    "template.yaml",
                    8,
                    24,
                    "HTTP API OrdersApi allows every origin (AllowOrigins: *) with AllowCredentials: true: SAM "
                    "rejects a wildcard with credentials and browsers refuse it; list the origins that may "
                    "send credentials",
                    tier="blocking",
                )
            ],
            name="wildcard-with-credentials",
        ),
        Example(
            _sam(_REST_API.format(cors="        AllowMethods: \"'GET'\"\n"), event="Api", ref="RestApiId: !Ref OrdersApi"),
            expect=[
                Expect(
                    "template.yaml",
                    9,
                    9,
                    "REST API OrdersApi allows every origin (Cors without AllowOrigin, whose SAM default is "
                    "'*'): any website can read its responses from a visitor's browser. A person must decide "
                    "which origins may",
                )
            ],
            name="rest-api-cors-default-origin",
        ),
        Example(
            _sam(
                "",
                "      FunctionUrlConfig:\n        AuthType: NONE\n        Cors:\n          AllowOrigins: ['*']\n",
                ref="ApiId: !Ref AWS::NoValue",
            ),
            expect=[
                Expect(
                    "template.yaml",
                    14,
                    26,
                    "OrdersFunction's function URL allows every origin (AllowOrigins: *): any website can read "
                    "its responses from a visitor's browser. A person must decide which origins may",
                )
            ],
            name="function-url-wildcard",
        ),
        Example(
            _code(
                {
                    "src/app.py": (
                        "import json\n"
                        "\n"
                        "def handler(event, context):\n"
                        '    return {"statusCode": 200, "headers": {"Access-Control-Allow-Origin": "*"}, "body": json.dumps([])}\n'
                    )
                },
                "python3.13",
                "app.handler",
            ),
            expect=[
                Expect(
                    "src/app.py",
                    4,
                    43,
                    "OrdersFunction answers with Access-Control-Allow-Origin: *: any website can read its "
                    "responses from a visitor's browser. A person must decide which origins may",
                )
            ],
            name="python-literal-response-headers",
        ),
        Example(
            _code(
                {
                    "src/app.mjs": (
                        'const CORS = { "Access-Control-Allow-Origin": "*" };\n'
                        "\n"
                        "export const handler = async (event) => {\n"
                        "  if (!event.pathParameters?.id) {\n"
                        '    return { statusCode: 400, headers: CORS, body: JSON.stringify({ error: "id" }) };\n'
                        "  }\n"
                        "  return { statusCode: 200, headers: CORS, body: JSON.stringify({ id: event.pathParameters.id }) };\n"
                        "};\n"
                    )
                },
                "nodejs24.x",
                "app.handler",
            ),
            expect=[
                Expect(
                    "src/app.mjs",
                    5,
                    40,
                    "OrdersFunction answers with Access-Control-Allow-Origin: * (here and in 1 more response of the "
                    "same function): any website can read its responses from a visitor's browser. A person must "
                    "decide which origins may",
                )
            ],
            name="javascript-one-policy-many-responses",
        ),
        Example(
            {
                "wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n',
                "src/index.ts": (
                    "export default {\n"
                    "  async fetch(request: Request): Promise<Response> {\n"
                    '    const response = new Response("[]");\n'
                    '    response.headers.set("Access-Control-Allow-Origin", request.headers.get("Origin"));\n'
                    '    response.headers.set("Access-Control-Allow-Credentials", "true");\n'
                    "    return response;\n"
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.ts",
                    4,
                    5,
                    "orders copies the request's Origin header into Access-Control-Allow-Origin and allows "
                    "credentials: every website can read responses made with the visitor's credentials",
                    tier="blocking",
                )
            ],
            name="typescript-reflected-origin-with-credentials",
        ),
    ]
    good = [
        Example(_sam(_HTTP_API.format(cors="        AllowOrigins: ['https://shop.example.com']\n        AllowCredentials: true\n")), name="listed-origins"),
        Example(_sam(_REST_API.format(cors="        AllowOrigin: \"'https://shop.example.com'\"\n"), event="Api", ref="RestApiId: !Ref OrdersApi"), name="rest-listed-origin"),
        Example(_sam(_REST_API.format(cors="        AllowOrigin: !Ref AllowedOrigin\n"), event="Api", ref="RestApiId: !Ref OrdersApi"), name="origin-from-a-parameter"),
        Example(
            {
                "wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n\n[vars]\nALLOWED_ORIGIN = "https://shop.example.com"\n',
                "src/index.ts": (
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    '    return Response.json([], { headers: { "Access-Control-Allow-Origin": env.ALLOWED_ORIGIN } });\n'
                    "  },\n"
                    "};\n"
                ),
            },
            name="typescript-origin-from-configuration",
        ),
        Example(
            _code(
                {
                    "src/app.py": (
                        "def handler(event, context):\n"
                        '    return {"statusCode": 200, "headers": {"Access-Control-Allow-Origin": "*"}, "body": "[]"}\n'
                    )
                },
                "python3.13",
                "app.handler",
            )
            | {
                "template.yaml": _code({}, "python3.13", "app.handler")["template.yaml"]
                + "      Events:\n"
                "        ListOrders:\n"
                "          Type: HttpApi\n"
                "          Properties: {ApiId: !Ref OrdersApi, Path: /orders, Method: GET}\n"
                "  OrdersApi:\n"
                "    Type: AWS::Serverless::HttpApi\n"
                "    Properties:\n"
                "      CorsConfiguration:\n"
                "        AllowOrigins: ['https://shop.example.com']\n"
            },
            name="http-api-cors-replaces-the-handlers-headers",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        seen: dict[Location, list[Function]] = {}
        reports: dict[Location, tuple[ApiView, Located[Any], str, bool]] = {}
        for fn in ctx.project.functions:
            for _, api in ctx.project.apis_of(fn):
                if api is None:
                    continue
                found = _api_wildcard(api)
                if found is not None:
                    reports.setdefault(found[0].loc, (api, *found))
                    seen.setdefault(found[0].loc, []).append(fn)
        for loc, (api, at, how, credentials) in reports.items():
            functions = seen[loc]
            who = f"the implicit {'REST' if api.kind == 'rest' else 'HTTP'} API" if api.implicit else api.name
            yield self._config(f"{who[0].upper()}{who[1:]}", at, how, credentials, functions[0] if len(functions) == 1 else None)
        for fn in ctx.project.functions:
            url = fn.function_url
            if url is not None and isinstance(url.value, MapNode):
                found = _origins(url.value.get("Cors"))
                if found is not None:
                    yield self._config(f"{fn.name}'s function URL", *found, fn)
        for resource in ctx.project.resources_of("AWS::Lambda::Url", "AWS::ApiGatewayV2::Api"):
            key = "Cors" if resource.type == "AWS::Lambda::Url" else "CorsConfiguration"
            found = _origins(resource.properties.get(key))
            if found is not None:
                target = resource.properties.get("TargetFunctionArn")
                owner = next((f for f in ctx.project.functions if f.template == resource.template and refers_to(target, f.name)), None)
                what = f"{owner.name}'s function URL" if owner else ("Function URL " if key == "Cors" else "HTTP API ") + resource.logical_id
                yield self._config(what, *found, owner)
        yield from self._code(ctx)

    def _config(self, who: str, at: Located[Any], how: str, credentials: bool, subject: Function | None) -> Report:
        if credentials:
            return Report(
                at,
                f"{who} allows every origin ({how}) with AllowCredentials: true: SAM rejects a wildcard with "
                "credentials and browsers refuse it; list the origins that may send credentials",
                tier="blocking",
                subject=subject,
            )
        return Report(
            at,
            f"{who} allows every origin ({how}): any website can read its responses from a visitor's browser. "
            "A person must decide which origins may",
            subject=subject,
        )

    def _code(self, ctx: Context) -> Iterator[Report]:
        # one finding per function and kind: a handler answering every route with the same
        # headers has one CORS policy, however many return statements repeat it
        sites: dict[tuple[str, str | None, str], tuple[list[Location], bool, list[Function | Worker]]] = {}
        units: list[Function | Worker] = [*ctx.project.functions, *ctx.project.workers]
        for unit in units:
            if isinstance(unit, Function) and _cors_replaced_by_api(unit, ctx):
                continue
            facts = ctx.facts(unit)
            if facts is None:
                continue
            credentials, wildcards = answer_kept(facts, "SLS407 headers", _cors_headers)
            for loc, kind, function in wildcards:
                places, _, owners = sites.setdefault((loc.path, function, kind), ([], credentials, []))
                if loc not in places:
                    places.append(loc)
                if unit not in owners:
                    owners.append(unit)
        for (_, _, kind), (places, credentials, owners) in sites.items():
            loc = min(places)
            names = sorted({u.name if isinstance(u, Function) else u.display_name for u in owners})
            who = " and ".join(names)
            more = f" (here and in {len(places) - 1} more response{'s' if len(places) > 2 else ''} of the same function)" if len(places) > 1 else ""
            subject = owners[0] if len(owners) == 1 else None
            copies, answers = ("copies", "answers") if len(names) == 1 else ("copy", "answer")
            if kind == "reflected" and credentials:
                yield Report(
                    loc,
                    f"{who} {copies} the request's Origin header into Access-Control-Allow-Origin{more} and allows "
                    "credentials: every website can read responses made with the visitor's credentials",
                    tier="blocking",
                    subject=subject,
                )
            elif kind == "reflected":
                yield Report(
                    loc,
                    f"{who} {copies} the request's Origin header into Access-Control-Allow-Origin{more}, which allows "
                    "every website to read its responses. A person must decide which origins may",
                    subject=subject,
                )
            else:
                refused = " and allows credentials, which browsers refuse" if credentials else ""
                yield Report(
                    loc,
                    f"{who} {answers} with Access-Control-Allow-Origin: *{more}{refused}: any website can read its "
                    "responses from a visitor's browser. A person must decide which origins may",
                    tier="blocking" if credentials else None,
                    subject=subject,
                )


def _api_wildcard(api: ApiView) -> tuple[Located[Any], str, bool] | None:
    if api.kind == "rest":
        cors = api.prop("Cors")
        if cors is None:
            return None
        value = cors.value
        if isinstance(value, str):
            return (cors, "Cors: '*'", False) if _wild(value) else None
        if isinstance(value, MapNode):
            credentials = value.get("AllowCredentials") is True
            if "AllowOrigin" not in value:
                return cors, "Cors without AllowOrigin, whose SAM default is '*'", credentials
            origin = value.get("AllowOrigin")
            if isinstance(origin, str) and _wild(origin):
                return Located(origin, value.loc("AllowOrigin")), "AllowOrigin: '*'", credentials
        return None
    cors = api.prop("CorsConfiguration")
    if cors is None:
        return None
    if cors.value is True:
        return cors, "CorsConfiguration: true, which SAM turns into AllowOrigins: *", False
    return _origins(cors.value)


def _origins(cors: Any) -> tuple[Located[Any], str, bool] | None:
    """A CORS mapping whose AllowOrigins list holds a wildcard (HTTP APIs, function URLs)."""
    if not isinstance(cors, MapNode):
        return None
    origins = cors.get("AllowOrigins")
    if not isinstance(origins, ListNode):
        return None
    for index, origin in enumerate(origins):
        if isinstance(origin, str) and _wild(origin):
            return Located(origin, origins.loc(index)), "AllowOrigins: *", cors.get("AllowCredentials") is True
    return None


def _wild(origin: str) -> bool:
    return origin.strip().strip("'\"") == "*"


def _cors_replaced_by_api(fn: Function, ctx: Context) -> bool:
    """API Gateway ignores CORS headers from the integration when an HTTP API configures CORS."""
    routes = ctx.project.apis_of(fn)
    if not routes or any(e.type != "HttpApi" for e in fn.events):
        return False
    return all(api is not None and api.prop("CorsConfiguration") is not None for _, api in routes)


def _cors_headers(facts: Facts) -> tuple[bool, list[tuple[Location, str, str | None]]]:
    """Whether the handler allows credentials, and its wildcard or reflected origins."""
    return _allows_credentials(facts), list(_code_wildcards(facts))


def _code_wildcards(facts: Facts) -> Iterator[tuple[Location, str, str | None]]:
    """(where, "wildcard" or "reflected", the enclosing function) of each response header."""
    for call in facts.calls():
        method = call.callee.rsplit(".", 1)[-1]
        if method in _HEADER_SETTERS and len(call.args) >= 2 and _is_header(call.args[0], ACAO):
            value = call.args[1]
            if value.is_literal and isinstance(value.literal, str) and _wild(value.literal):
                yield call.loc, "wildcard", call.function
            elif any(s.name == "headers.origin" for s in request_sources(value)):
                yield call.loc, "reflected", call.function
            continue
        for value in (*call.args, *(v for _, v in call.kwargs)):
            if _literal_header(value.literal, ACAO, "*"):
                yield call.loc, "wildcard", call.function
                break
    for ret in facts.returns():
        for part in (ret.headers, ret.value):
            if part is not None and _literal_header(part.literal, ACAO, "*"):
                yield part.loc, "wildcard", ret.function
                break
            if part is not None and part is ret.headers and any(s.name == "headers.origin" for s in request_sources(part)):
                yield part.loc, "reflected", ret.function
                break


def _allows_credentials(facts: Facts) -> bool:
    for call in facts.calls():
        method = call.callee.rsplit(".", 1)[-1]
        if method in _HEADER_SETTERS and len(call.args) >= 2 and _is_header(call.args[0], ACAC):
            return True
        if any(_literal_header(v.literal, ACAC, "true") for v in call.args):
            return True
    return any(
        part is not None and _literal_header(part.literal, ACAC, "true")
        for r in facts.returns()
        for part in (r.headers, r.value)
    )


def _is_header(value: Value, name: str) -> bool:
    return isinstance(value.literal, str) and value.literal.lower() == name


def _literal_header(literal: Any, name: str, wanted: str) -> bool:
    """A literal (nested) mapping holding header ``name`` with value ``wanted``."""
    stack = [literal]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if isinstance(key, str) and key.lower() == name and str(value).strip().lower() == wanted:
                    return True
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return False

