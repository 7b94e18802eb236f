from __future__ import annotations

import posixpath
import re
import shlex
from collections.abc import Iterator

from slsreview.model.fixtures import EVENT_SHAPES, EventFixture
from slsreview.model.project import Function, Project, is_within
from slsreview.rule import Context, Example, Expect, Report, Rule

_INVOKE = re.compile(r"sam\s+local\s+invoke\b[^\n`]*")
_GENERIC = frozenset({"app", "index", "handler", "main", "lambda", "function", "event", "events"})


def _template(functions: str) -> str:
    return "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n" + functions


def _function(name: str, events: str = "", handler: str = "app.handler") -> str:
    return (
        f"  {name}:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      CodeUri: src/\n"
        f"      Handler: {handler}\n"
        "      Runtime: python3.13\n"
        "      Timeout: 10\n"
        + (f"      Events:\n{events}" if events else "")
    )


_SQS = "        Orders:\n          Type: SQS\n          Properties: {Queue: !GetAtt OrdersQueue.Arn}\n"
_API = "        Create:\n          Type: Api\n          Properties: {Path: /orders, Method: POST}\n"
_QUEUE = "  OrdersQueue:\n    Type: AWS::SQS::Queue\n"
_SQS_EVENT = '{"Records": [{"messageId": "m-1", "eventSource": "aws:sqs", "body": "{\\"sku\\": \\"A1\\"}"}]}\n'
_API_EVENT = '{"httpMethod": "POST", "resource": "/orders", "path": "/orders", "body": "{}", "requestContext": {}}\n'
_CODE = "def handler(event, context):\n    return {}\n"


class NoEventFixture(Rule):
    """
    ## What it does
    Reports a SAM function with no JSON event fixture, the file `sam local invoke -e` replays
    to run it on a laptop. A fixture is a JSON file below the template's folder, in an `events/`
    (or `event/`, `fixtures/`, `test-events/`) folder or named like an event, and it belongs to a
    function when:

    - a `sam local invoke <Function> -e <file>` command in the README, the Makefile or a
      `package.json` script names both;
    - its path names the function (`events/create-order.json` for `CreateOrderFunction`, matched
      without case, separators or the `Function` suffix), its handler file, or one of its events;
    - its content has the shape of one of the function's triggers: API Gateway's REST or HTTP API
      payload, an SQS, SNS, S3, DynamoDB or Kinesis batch, an EventBridge event, a schedule...
      (a function URL takes the HTTP API shape);
    - it is a payload of the project's own (no service's shape) and the function has no trigger
      in the template: what is invoked directly (`aws lambda invoke`, a Step Functions task, a
      destination) takes such a payload;
    - the template has one function only: every fixture there is its own.

    A message body kept for a test script (the JSON an SQS or Kinesis producer sends) is not an
    event of the function that queue triggers: `sam local invoke` needs the batch around it.

    One finding per function, on its logical id.

    ## Why is this bad?
    A function that can only run in the cloud is tested by deploying it. An event fixture makes
    the change reproducible before the deploy (`sam local invoke`, a unit test that loads it), and
    it documents what the function is actually sent; a reviewer reads it to see the input the code
    must handle.

    ## Why this tier
    Non-blocking: the function works without one; proving it locally does not.

    ## Example
    ```text
    template.yaml       # OrdersFunction, triggered by SQS
    src/app.py
    ```

    ## Use instead
    ```text
    template.yaml
    src/app.py
    events/orders-sqs.json   # sam local generate-event sqs receive-message > events/orders-sqs.json
    ```

    ## References
    - [sam local invoke](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-local-invoke.html)
    - [sam local generate-event](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-local-generate-event.html)
    - [Testing serverless functions locally](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/using-sam-cli-local-invoke.html)
    """

    id = "SLS509"
    name = "no-event-fixture"
    category = "local-proof"
    tier = "non-blocking"
    platforms = ("aws-lambda",)
    title = "A SAM function has no JSON event fixture to invoke it with locally"
    fix = "Add events/<function>.json (sam local generate-event <service> <event> > events/<name>.json) and run it with sam local invoke <Function> -e events/<name>.json."
    docs = (
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-local-invoke.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-cli-command-reference-sam-local-generate-event.html",
    )

    bad = [
        Example(
            {"template.yaml": _template(_function("OrdersFunction", _SQS) + _QUEUE), "src/app.py": _CODE},
            expect=[
                Expect(
                    "template.yaml",
                    4,
                    3,
                    "OrdersFunction has no event fixture: no JSON file under events/ names it or has the shape of its "
                    "SQS event Orders, so sam local invoke has nothing to replay",
                )
            ],
            name="no-events-folder",
        ),
        Example(
            {
                "template.yaml": _template(
                    _function("CreateOrderFunction", _API) + _function("FulfillOrderFunction", _SQS, "fulfil.handler") + _QUEUE
                ),
                "src/app.py": _CODE,
                "src/fulfil.py": _CODE,
                "events/create-order.json": _API_EVENT,
                "events/refund.json": '{"orderId": "o-1"}\n',
                "events/sqs-message-body.json": '{"sku": "A1", "quantity": 2}\n',
            },
            expect=[
                Expect(
                    "template.yaml",
                    15,
                    3,
                    "FulfillOrderFunction has no event fixture: no JSON file under events/ names it or has the shape "
                    "of its SQS event Orders, so sam local invoke has nothing to replay",
                )
            ],
            name="one-of-two-functions",
        ),
        Example(
            {
                "orders-service/template.yaml": _template(
                    _function("OrdersFunction", _API) + _function("AuditFunction", handler="audit.handler")
                ),
                "orders-service/src/app.py": _CODE,
                "orders-service/src/audit.py": _CODE,
                "orders-service/events/audit-entry.json": '{"action": "refund"}\n',
            },
            expect=[
                Expect(
                    "orders-service/template.yaml",
                    4,
                    3,
                    "OrdersFunction has no event fixture: no JSON file under events/ names it or has the shape of its "
                    "Api event Create, so sam local invoke has nothing to replay",
                )
            ],
            name="the-project-folder-names-nothing",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _template(
                    _function("CreateOrderFunction", _API) + _function("FulfillOrderFunction", _SQS, "fulfil.handler") + _QUEUE
                ),
                "src/app.py": _CODE,
                "src/fulfil.py": _CODE,
                "events/create-order.json": _API_EVENT,
                "events/batch.json": _SQS_EVENT,
            },
            name="by-name-and-by-shape",
        ),
        Example(
            {
                "template.yaml": _template(_function("ReportFunction") + _function("OtherFunction", handler="other.handler")),
                "src/app.py": _CODE,
                "src/other.py": _CODE,
                "events/monthly.json": '{"month": "2026-10"}\n',
                "events/other-function.json": '{"x": 1}\n',
                "Makefile": "invoke:\n\tsam local invoke ReportFunction -e events/monthly.json\n",
            },
            name="named-in-a-sam-local-invoke-command",
        ),
        Example(
            {
                "template.yaml": _template(_function("ReportFunction")),
                "src/app.py": _CODE,
                "events/event.json": '{"month": "2026-10"}\n',
            },
            name="the-only-function-of-its-template",
        ),
        Example(
            {
                "template.yaml": _template(_function("StartFunction") + _function("OnFailureFunction", handler="other.handler")),
                "src/app.py": _CODE,
                "src/other.py": _CODE,
                "events/success.json": '{"Success": true}\n',
            },
            name="custom-payload-for-functions-invoked-directly",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        if fn.resource.type != "AWS::Serverless::Function":
            return
        folder = _folder(fn.template)
        fixtures = self._fixtures_below(ctx.project, folder)
        if fixtures:
            invoked = self._invocations(ctx.project, fn.template).get(fn.name, set()) | self._invocations(
                ctx.project, fn.template
            ).get("", set())
            if _claims(fn, fixtures, invoked, folder):
                return
            if sum(1 for f in ctx.project.functions if f.template == fn.template) == 1:
                return  # the template's only function: every fixture there is its own
        triggers = [e for e in fn.events if e.type in EVENT_SHAPES]
        shape = f" or has the shape of its {_and([e.label for e in triggers])}" if triggers else ""
        yield Report(
            fn,
            f"{fn.name} has no event fixture: no JSON file under events/ names it{shape}, so sam local invoke has "
            "nothing to replay",
        )

    # The rule object lives for one review: what is computed per folder or template, once.
    def _fixtures_below(self, project: Project, folder: str) -> list[EventFixture]:
        cache: dict[str, list[EventFixture]] = self.__dict__.setdefault("_below", {})
        if folder not in cache:
            cache[folder] = [f for f in project.fixtures if is_within(_folder(f.path), folder)]
        return cache[folder]

    def _invocations(self, project: Project, template: str) -> dict[str, set[str]]:
        cache: dict[str, dict[str, set[str]]] = self.__dict__.setdefault("_invoked", {})
        if template not in cache:
            cache[template] = _invoked_with(template, project)
        return cache[template]


def _folder(path: str) -> str:
    return posixpath.dirname(path) or "."


def _claims(fn: Function, fixtures: list[EventFixture], invoked: set[str], folder: str) -> bool:
    """Whether one of the fixtures is the function's (see the rule's docs for how)."""
    words = {_word(fn.name), _word(fn.name.removesuffix("Function")), *(_word(e.name) for e in fn.events)}
    handler = fn.handler.value if fn.handler is not None and isinstance(fn.handler.value, str) else ""
    if handler:
        words.add(_word(handler.rsplit(".", 1)[0].rsplit("/", 1)[-1]))
    names = [w for w in words if len(w) >= 3 and w not in _GENERIC]
    shapes = {shape for e in fn.events for shape in EVENT_SHAPES.get(e.type, ())}
    if fn.function_url is not None:
        shapes.add("HttpApi")
    direct = not fn.events and fn.function_url is None
    for fixture in fixtures:
        if fixture.path in invoked:
            return True
        # the fixture's own folders and name, below the template's folder, one part at a time
        relative = fixture.path[len(folder) + 1 :] if folder != "." else fixture.path
        parts = [_word(p) for p in relative.rsplit(".", 1)[0].split("/")]
        if any(w in part for w in names for part in parts):
            return True
        if fixture.shape is None:
            # a payload of the project's own: what is invoked directly (a Step Functions task, a
            # destination, aws lambda invoke) takes one; what a service triggers does not
            if direct:
                return True
        elif fixture.shape in shapes:
            return True
    return False


def _invoked_with(template: str, project: Project) -> dict[str, set[str]]:
    """Function name ("" when the command names none) -> the fixtures a ``sam local invoke <fn> -e
    <file>`` in the project's docs or scripts replays."""
    folder = _folder(template)
    texts = [d.text for d in project.docs_for(template)]
    package = project.package_for(template)
    if package is not None:
        texts.extend(str(s.value) for s in package.scripts.values())
    out: dict[str, set[str]] = {}
    for text in texts:
        for match in _INVOKE.finditer(text):
            try:
                words = shlex.split(match.group(0).replace("\\", " "))
            except ValueError:
                words = match.group(0).split()
            target, event, i = None, None, 3
            while i < len(words):
                word = words[i]
                if word in ("-e", "--event") and i + 1 < len(words):
                    event, i = words[i + 1], i + 2
                elif word.startswith("-"):
                    i += 1 if "=" in word or i + 1 >= len(words) or words[i + 1].startswith("-") else 2
                else:
                    target = target or word
                    i += 1
            if event is not None:
                path = posixpath.normpath(posixpath.join(folder, event)) if folder != "." else posixpath.normpath(event)
                out.setdefault(target or "", set()).add(path)
    return out


def _word(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
