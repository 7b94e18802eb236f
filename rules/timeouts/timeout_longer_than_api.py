from __future__ import annotations

from collections.abc import Iterator

from slsreview.loaders.nodes import walk
from slsreview.model.apis import ApiView
from slsreview.model.project import Event, Function, known
from slsreview.rule import Context, Example, Expect, Report, Rule

REST_DEFAULT_MS = 29_000  # REST API integration timeout unless raised (TimeoutInMillis + a quota increase)
HTTP_MAX_MS = 30_000  # HTTP API integration timeout: the default and the hard maximum


def _template(timeout: str, event: str, extra: str = "", globals_: str = "") -> dict[str, str]:
    return {
        "template.yaml": (
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Transform: AWS::Serverless-2016-10-31\n"
            f"{globals_}"
            "Resources:\n"
            "  ReportFunction:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      Runtime: python3.13\n"
            "      Handler: app.handler\n"
            "      InlineCode: 'def handler(event, context): return {}'\n"
            f"{timeout}"
            "      Events:\n"
            "        Report:\n"
            f"          Type: {event}\n"
            "          Properties:\n"
            "            Path: /report\n"
            "            Method: GET\n"
            f"{extra}"
        )
    }


class TimeoutLongerThanApi(Rule):
    """
    ## What it does
    Compares a function's effective timeout (its own `Timeout`, or `Globals.Function.Timeout`) with
    the integration timeout of the API Gateway API in front of it, for each `Api` and `HttpApi`
    event:

    - a REST API (`Api` event) waits 29 s by default. Regional and private REST APIs may raise it
      (a Service Quotas increase, then `TimeoutInMillis` on the event or the integration); an
      explicit `TimeoutInMillis` is used as written, above or below 29 s.
    - a REST API route that streams its response (`ResponseTransferMode: STREAM`) may run up to
      15 minutes; without an explicit `TimeoutInMillis` its limit is not in the template, and the
      rule stays silent;
    - an HTTP API (`HttpApi` event) waits at most 30 s; `TimeoutInMillis` can only lower it.

    One finding per function, on its `Timeout` (or the `Globals` key it inherits), naming every
    event that gives up before the function does. When the API's OpenAPI definition is in a file
    the review cannot read (`DefinitionUri`, `AWS::Include`) or its inline definition sets
    `timeoutInMillis` itself, the integration timeout is unknown and the rule stays silent.

    ## Why is this bad?
    When the integration timeout passes, API Gateway answers the client with an error (504 from a
    REST API, 503 from an HTTP API) while the function keeps running to its own timeout, keeping its
    side effects: the client retries an order that is in fact being placed. Every second of
    function timeout beyond the API's is paid for and never seen by anyone.

    ## Why this tier
    Non-blocking: requests that finish in time are unaffected; the mismatch only bites on slow
    requests, but then it duplicates work and hides the real duration.

    ## Example
    ```yaml
    ReportFunction:
      Type: AWS::Serverless::Function
      Properties:
        Timeout: 60
        Events:
          Report:
            Type: Api
            Properties: {Path: /report, Method: GET}
    ```

    ## Use instead
    ```yaml
    ReportFunction:
      Type: AWS::Serverless::Function
      Properties:
        Timeout: 25          # below the API's 29 s; move longer work to a queue or Step Functions
        Events:
          Report:
            Type: Api
            Properties: {Path: /report, Method: GET}
    ```

    ## References
    - [API Gateway quotas: integration timeout](https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html)
    - [Integration timeout beyond 29 seconds for Regional and private REST APIs (June 2024)](https://aws.amazon.com/about-aws/whats-new/2024/06/amazon-api-gateway-integration-timeout-limit-29-seconds/)
    - [SAM Api event: TimeoutInMillis](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-api.html)
    - [Stream the integration response (REST APIs)](https://docs.aws.amazon.com/apigateway/latest/developerguide/response-transfer-mode.html)
    - [SAM HttpApi event: TimeoutInMillis](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-httpapi.html)
    - [Configure Lambda function timeout](https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html)
    """

    id = "SLS402"
    name = "timeout-longer-than-api"
    category = "timeouts"
    tier = "non-blocking"
    platforms = ("aws-lambda",)
    title = "A function behind API Gateway may run longer than the API waits for it"
    fix = "Lower the function's Timeout below the API's integration timeout, or move the slow work behind a queue and answer 202."
    docs = (
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-api.html",
    )

    bad = [
        Example(
            _template("      Timeout: 60\n", "Api"),
            expect=[
                Expect(
                    "template.yaml",
                    10,
                    16,
                    "ReportFunction may run for 60 s, but its REST API event Report gives up after 29 s: "
                    "the caller gets an error while the function keeps running and keeps its side effects",
                )
            ],
            name="rest-api-default-29s",
        ),
        Example(
            _template("", "HttpApi", globals_="Globals:\n  Function:\n    Timeout: 45\n"),
            expect=[
                Expect(
                    "template.yaml",
                    5,
                    14,
                    "ReportFunction may run for 45 s (Globals.Function.Timeout), but its HTTP API event "
                    "Report gives up after 30 s: the caller gets an error while the function keeps running "
                    "and keeps its side effects",
                )
            ],
            name="http-api-with-global-timeout",
        ),
        Example(
            _template("      Timeout: 20\n", "HttpApi", "            TimeoutInMillis: 5000\n"),
            expect=[
                Expect(
                    "template.yaml",
                    10,
                    16,
                    "ReportFunction may run for 20 s, but its HTTP API event Report gives up after 5 s "
                    "(TimeoutInMillis): the caller gets an error while the function keeps running and keeps "
                    "its side effects",
                )
            ],
            name="lowered-integration-timeout",
        ),
    ]
    good = [
        Example(_template("      Timeout: 25\n", "Api"), name="within-29s"),
        Example(_template("      Timeout: 30\n", "HttpApi"), name="http-api-30s-is-the-limit"),
        Example(
            _template("      Timeout: 120\n", "Api", "            TimeoutInMillis: 150000\n"),
            name="raised-rest-integration-timeout",
        ),
        Example(_template("      Timeout: !Ref Seconds\n", "Api"), name="parameter-is-unknown"),
        Example(
            _template("      Timeout: 300\n", "Api", "            ResponseTransferMode: STREAM\n"),
            name="streamed-rest-response",
        ),
        Example(
            {
                "template.yaml": (
                    "Transform: AWS::Serverless-2016-10-31\n"
                    "Resources:\n"
                    "  ReportApi:\n"
                    "    Type: AWS::Serverless::Api\n"
                    "    Properties:\n"
                    "      StageName: prod\n"
                    "      DefinitionUri: openapi.yaml\n"
                    "  ReportFunction:\n"
                    "    Type: AWS::Serverless::Function\n"
                    "    Properties:\n"
                    "      Runtime: python3.13\n"
                    "      Handler: app.handler\n"
                    "      InlineCode: 'def handler(event, context): return {}'\n"
                    "      Timeout: 90\n"
                    "      Events:\n"
                    "        Report:\n"
                    "          Type: Api\n"
                    "          Properties: {RestApiId: !Ref ReportApi, Path: /report, Method: GET}\n"
                )
            },
            name="definition-we-cannot-read",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        seconds = fn.timeout.value
        if not fn.timeout.known or not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
            return
        late: list[tuple[Event, ApiView | None, int, bool]] = []
        for event, api in ctx.project.apis_of(fn):
            limit = _integration_timeout_ms(event, api)
            if limit is not None and seconds * 1000 > limit[0]:
                late.append((event, api, *limit))
        if not late:
            return
        where = " (Globals.Function.Timeout)" if fn.timeout.origin == "global" else ""
        shortest = min(limit for _, _, limit, _ in late)
        kinds = {("REST API" if e.type == "Api" else "HTTP API") for e, _, _, _ in late}
        names = ", ".join(e.name for e, _, _, _ in late)
        explicit = all(is_explicit for _, _, limit, is_explicit in late if limit == shortest)
        noun = "event" if len(late) == 1 else "events"
        yield Report(
            fn.timeout,
            f"{fn.name} may run for {_seconds(seconds)} s{where}, but its {' and '.join(sorted(kinds))} {noun} "
            f"{names} {'gives' if len(late) == 1 else 'give'} up after {_seconds(shortest / 1000)} s"
            f"{' (TimeoutInMillis)' if explicit else ''}: the caller gets an error while the function keeps "
            "running and keeps its side effects",
        )


def _integration_timeout_ms(event: Event, api: ApiView | None) -> tuple[int, bool] | None:
    """(milliseconds, written explicitly) the API waits for this event's integration, or None."""
    given = event.properties.get("TimeoutInMillis")
    mode = event.properties.get("ResponseTransferMode", "BUFFERED")
    if given is not None:
        if not known(given) or not isinstance(given, int) or isinstance(given, bool):
            return None
        return given, True
    if not isinstance(mode, str) or mode.upper() == "STREAM":
        return None  # a streamed REST response may run up to 15 minutes, and its limit is not written here
    if api is not None and api.definition == "external":
        return None
    if api is not None and api.definition == "inline" and _sets_timeout(api.properties.get("DefinitionBody")):
        return None
    return (REST_DEFAULT_MS if event.type == "Api" else HTTP_MAX_MS), False


def _sets_timeout(body: object) -> bool:
    return any(key == "timeoutInMillis" for _, key, _ in walk(body))


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
