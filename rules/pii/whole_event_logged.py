from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Facts
from slsreview.analysis.memo import answer_kept
from slsreview.analysis.sensitive import masked
from slsreview.loaders.nodes import Intrinsic
from slsreview.location import Location
from slsreview.model.project import Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule

# Event paths that stand for all of the input, and how a message names each.
WHOLE = {
    "event": "the whole event",
    "headers": "every request header (Authorization and Cookie among them)",
    "multiValueHeaders": "every request header (Authorization and Cookie among them)",
    "body": "a whole request or message body",
    "records": "whole records of the batch",
    "Records": "whole records of the batch",
    "messages": "whole messages of the batch",
    "messages.body": "a whole request or message body",
    "requestContext": "the whole request context (the caller's identity, claims and IP address)",
}
# Triggers whose events carry nothing about people: logging them whole is harmless.
_IMPERSONAL_EVENTS = frozenset({"Schedule", "ScheduleV2"})
_TEMPLATE = (
    "AWSTemplateFormatVersion: '2010-09-09'\n"
    "Transform: AWS::Serverless-2016-10-31\n"
    "Resources:\n"
    "  SignupFunction:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Runtime: {runtime}\n"
    "      Handler: {handler}\n"
    "      CodeUri: src/\n"
    "{extra}"
    "      Events:\n"
    "        Signup:\n"
    "          Type: {event}\n"
    "          Properties:\n"
    "{properties}"
)


def _template(runtime: str = "python3.13", handler: str = "app.handler", event: str = "HttpApi", extra: str = "") -> str:
    properties = "            Schedule: rate(1 hour)\n" if event == "Schedule" else "            Path: /signup\n            Method: POST\n"
    return _TEMPLATE.format(runtime=runtime, handler=handler, event=event, extra=extra, properties=properties)


class WholeEventLogged(Rule):
    """
    ## What it does
    Reports a log call that writes the whole invocation input: `print(event)`,
    `logger.info(event)`, `console.log(JSON.stringify(event))`, `console.log(request)`, all the
    request headers (`console.log(request.headers)`, `Object.fromEntries(request.headers)`), a
    whole request or message body (`console.log(await request.json())`, `print(record["body"])`),
    or whole batch records. Also reports Powertools' own event logging:
    `@logger.inject_lambda_context(log_event=True)`, `injectLambdaContext(logger, { logEvent:
    true })`, and `POWERTOOLS_LOGGER_LOG_EVENT: "true"` in the function's environment.

    Not reported: functions whose only triggers are schedules (a schedule's event carries
    nothing about anyone), functions a CloudFormation custom resource calls (their events are
    CloudFormation's), a Worker's `scheduled` handler, and single fields (SLS304 reports
    credentials, SLS307 personal data), also of a value that is the body or else the whole event
    (`body = json.loads(event["body"]) if event.get("body") else event`, then `body["plan"]`).
    One finding per log call, naming every function whose handler it is.

    ## Why is this bad?
    The raw event is everything the caller sent: `Authorization` and `Cookie` headers, API keys,
    email addresses, names, card numbers, IP addresses. Logging it copies all of that into the
    logs, where retention, access and deletion requests are nobody's job, and where a log reader
    can replay the caller's token.

    ## Why this tier
    Non-blocking: nothing breaks, and not every event carries personal data, but the logs
    should hold what debugging needs, not everything the caller sent.

    ## Example
    ```javascript
    export const handler = async (event) => {
      console.log("event", JSON.stringify(event));
    };
    ```

    ## Use instead
    ```javascript
    export const handler = async (event) => {
      console.log(JSON.stringify({ route: event.routeKey, requestId: event.requestContext.requestId }));
    };
    ```

    ## References
    - [OWASP Logging Cheat Sheet: data to exclude](https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude)
    - [Powertools for AWS Lambda (Python): logging incoming events](https://docs.powertools.aws.dev/lambda/python/latest/core/logger/#logging-incoming-event)
    - [Powertools for AWS Lambda (TypeScript): log incoming event](https://docs.powertools.aws.dev/lambda/typescript/latest/core/logger/#log-incoming-event)
    - [Cloudflare Workers Logs](https://developers.cloudflare.com/workers/observability/logs/workers-logs/)
    """

    id = "SLS305"
    name = "whole-event-logged"
    category = "pii"
    tier = "non-blocking"
    title = "The whole event, request headers or body is written to the log"
    fix = "Log the fields debugging needs (route, request id, record id), never the whole event, headers or body."
    docs = (
        "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html",
        "https://docs.powertools.aws.dev/lambda/python/latest/core/logger/#logging-incoming-event",
    )

    bad = [
        Example(
            {
                "template.yaml": _template(),
                "src/app.py": (
                    "import json\n\nfrom aws_lambda_powertools import Logger\n\nlogger = Logger()\n\n\n"
                    "@logger.inject_lambda_context(log_event=True)\n"
                    "def handler(event, context):\n"
                    "    print(event)\n"
                    '    logger.info("headers", extra={"headers": event["headers"]})\n'
                    '    return {"statusCode": 201, "body": json.dumps({"ok": True})}\n'
                ),
            },
            expect=[
                Expect("src/app.py", 8, 41, "SignupFunction's Powertools logger writes every incoming event to the log (log_event): the event carries tokens and personal data"),
                Expect("src/app.py", 10, 5, "SignupFunction logs the whole event: it carries tokens and personal data into the logs"),
                Expect("src/app.py", 11, 5, "SignupFunction logs every request header (Authorization and Cookie among them): it carries tokens and personal data into the logs"),
            ],
            name="python",
        ),
        Example(
            {
                "template.yaml": _template("nodejs22.x", "index.handler", extra="      Environment:\n        Variables:\n          POWERTOOLS_LOGGER_LOG_EVENT: 'true'\n"),
                "src/index.mjs": (
                    "export const handler = async (event) => {\n"
                    '  console.log("event", JSON.stringify(event));\n'
                    "  const body = JSON.parse(event.body);\n"
                    "  console.info(body);\n"
                    "  return { statusCode: 201 };\n"
                    "};\n"
                ),
            },
            expect=[
                Expect("template.yaml", 12, 40, "SignupFunction's Powertools logger writes every incoming event to the log (POWERTOOLS_LOGGER_LOG_EVENT): the event carries tokens and personal data"),
                Expect("src/index.mjs", 2, 3, "SignupFunction logs the whole event: it carries tokens and personal data into the logs"),
                Expect("src/index.mjs", 4, 3, "SignupFunction logs a whole request or message body: it carries tokens and personal data into the logs"),
            ],
            name="javascript",
        ),
        Example(
            {
                "wrangler.toml": 'name = "signup"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n',
                "src/index.ts": (
                    "export default {\n"
                    "  async fetch(request: Request): Promise<Response> {\n"
                    "    console.log(Object.fromEntries(request.headers));\n"
                    '    console.log("headers", new Map([...request.headers]));\n'
                    "    return new Response('ok');\n"
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect("src/index.ts", 3, 5, "signup logs every request header (Authorization and Cookie among them): it carries tokens and personal data into the logs"),
                Expect("src/index.ts", 4, 5, "signup logs every request header (Authorization and Cookie among them): it carries tokens and personal data into the logs"),
            ],
            name="worker-headers",
        ),
        Example(
            {
                "template.yaml": _template("nodejs22.x", "index.handler", event="SQS").replace(
                    "            Path: /signup\n            Method: POST\n", "            Queue: !GetAtt Signups.Arn\n"
                )
                + "  ReplayFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs22.x\n      Handler: index.handler\n      CodeUri: src/\n"
                + "  Signups:\n    Type: AWS::SQS::Queue\n",
                "src/index.mjs": "export const handler = async (event) => {\n  console.log(JSON.stringify(event));\n};\n",
            },
            expect=[Expect("src/index.mjs", 2, 3, "ReplayFunction and SignupFunction log the whole event: it carries tokens and personal data into the logs")],
            name="one-handler-two-functions-one-finding",
        ),
        Example(
            {
                "template.yaml": _template(),
                "src/app.py": (
                    "import json\n\n\n"
                    "def log_request(message, headers):\n"
                    '    print(f"{message}: {json.dumps(headers)}")\n\n\n'
                    "def handler(event, context):\n"
                    '    log_request("signup received", event["headers"])\n'
                    '    return {"statusCode": 201}\n'
                ),
            },
            expect=[Expect("src/app.py", 5, 5, "SignupFunction logs every request header (Authorization and Cookie among them): it carries tokens and personal data into the logs")],
            name="python-through-a-logging-helper",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _template(),
                "src/app.py": (
                    "from aws_lambda_powertools import Logger\n\nlogger = Logger()\n\n\n"
                    "@logger.inject_lambda_context(log_event=False)\n"
                    "def handler(event, context):\n"
                    '    logger.info("signup", extra={"route": event["routeKey"], "request_id": event["requestContext"]["requestId"]})\n'
                    '    return {"statusCode": 201}\n'
                ),
            },
            name="python-selected-fields",
        ),
        Example(
            {
                "template.yaml": _template("nodejs22.x", "index.handler", event="Schedule"),
                "src/index.mjs": "export const handler = async (event) => {\n  console.log(JSON.stringify(event));\n};\n",
            },
            name="schedule-events-are-impersonal",
        ),
        Example(
            {
                "template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"
                "  SeedFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.13\n      Handler: seed.handler\n      CodeUri: src/\n"
                "  Seed:\n    Type: Custom::Seed\n    Properties:\n      ServiceToken: !GetAtt SeedFunction.Arn\n",
                "src/seed.py": "import cfnresponse\n\n\ndef handler(event, context):\n    print(f\"Event: {event}\")\n    cfnresponse.send(event, context, cfnresponse.SUCCESS, {})\n",
            },
            name="custom-resource-events-are-cloudformations",
        ),
        Example(
            {
                "wrangler.toml": 'name = "signup"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n',
                "src/index.ts": (
                    "export default {\n"
                    "  async fetch(request: Request): Promise<Response> {\n"
                    "    console.log(request.method, new URL(request.url).pathname);\n"
                    "    return new Response('ok');\n"
                    "  },\n"
                    "  async scheduled(controller: ScheduledController): Promise<void> {\n"
                    "    console.log(controller);\n"
                    "  },\n"
                    "};\n"
                ),
            },
            name="worker-method-and-path",
        ),
        Example(
            {
                "template.yaml": _template(),
                "src/app.py": (
                    "import sys\n\nimport boto3\nfrom agents import Agent\n\nagent = Agent()\n\n\n"
                    "def handler(event, context):\n"
                    '    print("event size", sys.getsizeof(event))\n'
                    "    answer = agent.run(event)\n"
                    '    print("answer", answer)\n'
                    '    return {"statusCode": 201}\n'
                ),
            },
            name="python-what-a-call-made-of-the-event",
        ),
        Example(
            {
                "template.yaml": _template("nodejs22.x", "index.handler"),
                "src/index.mjs": (
                    'import { classify } from "@acme/classifier";\n\n'
                    "export const handler = async (event) => {\n"
                    '  console.log("bytes", Buffer.byteLength(JSON.stringify(event)));\n'
                    '  console.log("label", await classify(event));\n'
                    "  return { statusCode: 201 };\n"
                    "};\n"
                ),
            },
            name="javascript-what-a-call-made-of-the-event",
        ),
        Example(
            {
                "template.yaml": _template(),
                "src/app.py": (
                    "import json\n\nimport boto3\n\nlambda_client = boto3.client(\"lambda\")\n\n\n"
                    "def forward(payload):\n"
                    '    return lambda_client.invoke(FunctionName="next", InvocationType="Event", Payload=json.dumps(payload))\n\n\n'
                    "def handler(event, context):\n"
                    "    response = forward(event)\n"
                    '    print("forwarded", response["StatusCode"])\n'
                    '    return {"statusCode": 201}\n'
                ),
            },
            name="python-the-answer-of-a-helper-given-the-event",
        ),
        Example(
            {
                "template.yaml": _template(),
                "src/app.py": (
                    "import json\n\n\n"
                    "def handler(event, context):\n"
                    "    # invoked through API Gateway (a JSON body) or directly (the event is the body)\n"
                    "    body = json.loads(event[\"body\"]) if event.get(\"body\") else event\n"
                    '    signup_id = body.get("signupId", "unknown")\n'
                    '    print(f"signup {signup_id} received, plan {body[\"plan\"]}")\n'
                    '    return {"statusCode": 201}\n'
                ),
            },
            name="python-fields-of-the-body-or-the-event",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        # One finding per place: two functions running one handler file share their findings.
        places: dict[tuple[Location, str], list[Function | Worker]] = {}
        for fn in ctx.project.functions:
            if (fn.events and all(e.type in _IMPERSONAL_EVENTS for e in fn.events)) or _custom_resource(ctx, fn):
                continue
            log_event = fn.environment.get("POWERTOOLS_LOGGER_LOG_EVENT")
            if log_event is not None and str(log_event.value).lower() == "true":
                places.setdefault((log_event.loc, "powertools:POWERTOOLS_LOGGER_LOG_EVENT"), []).append(fn)
            facts = ctx.facts(fn)
            if facts is not None:
                for loc, what in answer_kept(facts, "SLS305 places", _places):
                    places.setdefault((loc, what), []).append(fn)
        for worker in ctx.project.workers:
            if worker.env is not None and any(w.env is None and w.config.path == worker.config.path and w.source.path == worker.source.path for w in ctx.project.workers):
                continue  # the same code as the top level: reviewed once
            facts = ctx.facts(worker)
            if facts is not None:
                for loc, what in answer_kept(facts, "SLS305 places", _places):
                    places.setdefault((loc, what), []).append(worker)
        for (loc, what), owners in sorted(places.items(), key=lambda item: item[0]):
            names = sorted(u.name if isinstance(u, Function) else u.display_name for u in owners)
            if what.startswith("powertools:"):
                message = _powertools(_join(names), what.partition(":")[2])
            else:
                message = f"{_join(names)} {'logs' if len(names) == 1 else 'log'} {what}: it carries tokens and personal data into the logs"
            yield Report(loc, message, subject=owners[0])


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _custom_resource(ctx: Context, fn: Function) -> bool:
    """A function a CloudFormation custom resource calls: its events are CloudFormation's
    (RequestType, ResourceProperties), not anyone's personal data."""
    for resource in ctx.project.in_template(fn.template):
        if resource.type.startswith("Custom::") or resource.type == "AWS::CloudFormation::CustomResource":
            token = resource.properties.get("ServiceToken")
            if isinstance(token, Intrinsic) and token.ref_target() == fn.name:
                return True
    return False


def _powertools(names: str, how: str) -> str:
    return f"{names}'s Powertools logger writes every incoming event to the log ({how}): the event carries tokens and personal data"


def _places(facts: Facts) -> list[tuple[Location, str]]:
    """Where one handler logs a whole event, and what it logs (kept between reviews)."""
    found = []
    for wrapper in facts.wrappers("powertools.inject_lambda_context"):
        option = wrapper.arg("log_event")
        if option is not None and option.is_literal and option.literal is True:
            found.append((option.loc, "powertools:log_event"))
    places: dict[Location, str] = {}
    for flow in facts.flows(source="event", sink="log"):
        what = WHOLE.get(flow.source.name)
        if what is None or flow.source.derived or (flow.function or "").endswith(".scheduled") or masked(facts, flow):
            continue
        if flow.loc not in places or flow.source.name == "event":
            places[flow.loc] = what
    return found + sorted(places.items())
