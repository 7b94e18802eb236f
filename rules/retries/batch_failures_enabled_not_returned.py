from __future__ import annotations

from collections.abc import Iterator

from slsreview.model.project import PARTIAL_BATCH_TYPES, Function
from slsreview.rule import Context, Example, Expect, Report, Rule

from ._partial_batch import may_return_partial_batch


def _template(handler: str, runtime: str, events: str) -> str:
    return (
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Transform: AWS::Serverless-2016-10-31\n"
        "Resources:\n"
        "  FulfilFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        f"      Runtime: {runtime}\n"
        "      CodeUri: src/\n"
        f"      Handler: {handler}\n"
        "      Events:\n" + events + "  OrdersQueue:\n"
        "    Type: AWS::SQS::Queue\n"
    )


_ENABLED = (
    "        Orders:\n"
    "          Type: SQS\n"
    "          Properties:\n"
    "            Queue: !GetAtt OrdersQueue.Arn\n"
    "            FunctionResponseTypes: [ReportBatchItemFailures]\n"
)

PY_WHOLE_BATCH = """\
import json


def handler(event, context):
    for record in event["Records"]:
        fulfil(json.loads(record["body"]))


def fulfil(order):
    ...
"""

JS_WHOLE_BATCH = """\
export const handler = async (event) => {
  for (const record of event.Records) {
    await fulfil(JSON.parse(record.body));
  }
  return { ok: true };
};

async function fulfil(order) {}
"""


class BatchFailuresEnabledNotReturned(Rule):
    """
    ## What it does
    Reports an SQS, Kinesis or DynamoDB stream trigger (SAM event or
    `AWS::Lambda::EventSourceMapping`) with `FunctionResponseTypes: [ReportBatchItemFailures]`
    whose handler never answers with a partial batch response: it returns no `batchItemFailures`
    (itself or through a helper), uses neither Powertools' batch processor nor middy's
    partial-batch middleware, and records no failed item in an `except`/`catch`. The finding
    points at the event's `FunctionResponseTypes` key; one per function, naming all such events.

    The rule stays silent whenever it cannot see every answer the handler gives: no readable
    source (a zip, another language), a syntax error, an entry point it cannot find, a middy
    handler (a middleware may build the response), or an entry function that returns a value it
    cannot see into (`return process(event)` with `process` in a package).

    ## Why is this bad?
    The setting promises that the handler reports which records failed. A handler that never does
    can only succeed for the whole batch (returning nothing, or anything without
    `batchItemFailures`, counts as complete success) or fail for the whole batch by raising. So one
    bad message makes Lambda redeliver all the others with it -- repeating their side effects --
    and on a stream the whole batch is retried from the start. The setting is usually left over
    from a template, or the code that reported failures was lost in a refactoring.

    ## Why this tier
    Non-blocking: no message is lost (a raised error still retries the batch), but every failure
    costs a full batch of redeliveries, which multiplies duplicate side effects.

    ## Example
    ```python
    def handler(event, context):
        for record in event["Records"]:
            fulfil(json.loads(record["body"]))
    ```
    with `FunctionResponseTypes: [ReportBatchItemFailures]` on the SQS event.

    ## Use instead
    ```python
    def handler(event, context):
        failures = []
        for record in event["Records"]:
            try:
                fulfil(json.loads(record["body"]))
            except Exception:
                failures.append({"itemIdentifier": record["messageId"]})
        return {"batchItemFailures": failures}
    ```
    or Powertools' `process_partial_response`; or drop the setting if whole-batch retries are
    what you want.

    ## References
    - [Handling errors for an SQS event source: partial batch responses](https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html)
    - [Lambda event source mappings](https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html)
    - [Powertools for AWS Lambda (Python): Batch processing](https://docs.powertools.aws.dev/lambda/python/latest/utilities/batch/)
    - [Powertools for AWS Lambda (TypeScript): Batch processing](https://docs.powertools.aws.dev/lambda/typescript/latest/features/batch/)
    """

    id = "SLS107"
    name = "batch-failures-enabled-not-returned"
    category = "retries"
    tier = "non-blocking"
    platforms = ("aws-lambda",)
    title = "ReportBatchItemFailures is enabled but the handler never returns batchItemFailures"
    fix = (
        "Return {\"batchItemFailures\": [{\"itemIdentifier\": <messageId or sequence number>}, ...]} "
        "for the records that failed (or use Powertools' batch processor), or remove the setting."
    )
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html",
        "https://docs.powertools.aws.dev/lambda/python/latest/utilities/batch/",
    )

    bad = [
        Example(
            {"template.yaml": _template("app.handler", "python3.13", _ENABLED), "src/app.py": PY_WHOLE_BATCH},
            expect=[
                Expect(
                    "template.yaml",
                    15,
                    13,
                    "FulfilFunction's SQS event Orders enables ReportBatchItemFailures but the handler "
                    "never returns batchItemFailures: it can only fail the whole batch, so one bad "
                    "record redelivers all the others with it",
                )
            ],
            name="python",
        ),
        Example(
            {
                "template.yaml": _template(
                    "index.handler",
                    "nodejs22.x",
                    _ENABLED
                    + "        Changes:\n"
                    "          Type: DynamoDB\n"
                    "          Properties:\n"
                    "            Stream: !GetAtt Orders.StreamArn\n"
                    "            StartingPosition: LATEST\n"
                    "            MaximumRetryAttempts: 2\n"
                    "            FunctionResponseTypes:\n"
                    "              - ReportBatchItemFailures\n",
                ),
                "src/index.mjs": JS_WHOLE_BATCH,
            },
            expect=[
                Expect(
                    "template.yaml",
                    15,
                    13,
                    "FulfilFunction's SQS event Orders, DynamoDB event Changes enable "
                    "ReportBatchItemFailures but the handler never returns batchItemFailures: it can "
                    "only fail the whole batch, so one bad record redelivers all the others with it",
                )
            ],
            name="javascript-two-events-one-finding",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _template("app.handler", "python3.13", _ENABLED),
                "src/app.py": (
                    "from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response\n"
                    "\n"
                    "processor = BatchProcessor(event_type=EventType.SQS)\n"
                    "\n"
                    "\n"
                    "def record_handler(record):\n"
                    "    ...\n"
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    "    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)\n"
                ),
            },
            name="python-powertools",
        ),
        Example(
            {
                "template.yaml": _template("index.handler", "nodejs22.x", _ENABLED),
                "src/index.mjs": (
                    "import middy from '@middy/core';\n"
                    "import sqsPartialBatchFailure from '@middy/sqs-partial-batch-failure';\n"
                    "\n"
                    "const fulfilAll = async (event) => Promise.allSettled(event.Records.map((r) => fulfil(r)));\n"
                    "\n"
                    "export const handler = middy(fulfilAll).use(sqsPartialBatchFailure());\n"
                    "\n"
                    "async function fulfil(record) {}\n"
                ),
            },
            name="javascript-middy-partial-batch-middleware",
        ),
        Example(
            {
                "template.yaml": _template("app.handler", "python3.13", _ENABLED),
                "src/app.py": (
                    "def handler(event, context):\n"
                    "    failed = []\n"
                    "    response = {}\n"
                    "    for record in event['Records']:\n"
                    "        try:\n"
                    "            fulfil(record)\n"
                    "        except Exception:\n"
                    "            failed.append({'itemIdentifier': record['messageId']})\n"
                    "    response['batchItemFailures'] = failed\n"
                    "    return response\n"
                    "\n"
                    "\n"
                    "def fulfil(record):\n"
                    "    ...\n"
                ),
            },
            name="python-response-built-key-by-key",
        ),
        Example(
            {
                "template.yaml": _template("index.handler", "nodejs22.x", _ENABLED),
                "src/index.mjs": (
                    "import { consume } from 'shared-consumer';\n"
                    "\n"
                    "export const handler = async (event) => consume(event);\n"
                ),
            },
            name="javascript-answer-from-a-package-is-unknown",
        ),
        Example(
            {
                "template.yaml": _template("bootstrap", "provided.al2023", _ENABLED),
            },
            name="no-readable-source",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        enabled = [e for e in fn.events if e.type in PARTIAL_BATCH_TYPES and e.reports_batch_item_failures]
        if not enabled:
            return
        facts = ctx.facts(fn)
        if facts is None or may_return_partial_batch(facts):
            return
        names = ", ".join(e.label for e in enabled)
        verb = "enables" if len(enabled) == 1 else "enable"
        yield Report(
            enabled[0].properties.key_loc("FunctionResponseTypes"),
            f"{fn.name}'s {names} {verb} ReportBatchItemFailures but the handler never returns "
            "batchItemFailures: it can only fail the whole batch, so one bad record redelivers all "
            "the others with it",
        )
