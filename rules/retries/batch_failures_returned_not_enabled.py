from __future__ import annotations

from collections.abc import Iterator

from slsreview.model.project import PARTIAL_BATCH_TYPES, Function
from slsreview.rule import Context, Example, Expect, Report, Rule

from ._partial_batch import partial_batch_response


def _template(handler: str, events: str, runtime: str = "python3.13", extra: str = "") -> str:
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
        "    Type: AWS::SQS::Queue\n" + extra
    )


_SQS_EVENT = (
    "        Orders:\n"
    "          Type: SQS\n"
    "          Properties:\n"
    "            Queue: !GetAtt OrdersQueue.Arn\n"
)
_ENABLED = _SQS_EVENT + "            FunctionResponseTypes: [ReportBatchItemFailures]\n"

PY_HANDLER = '''\
import json


def handler(event, context):
    failures = []
    for record in event["Records"]:
        try:
            fulfil(json.loads(record["body"]))
        except Exception:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def fulfil(order):
    ...
'''

TS_HANDLER = """\
import type { SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from "aws-lambda";

function answer(failures: SQSBatchItemFailure[]): SQSBatchResponse {
  return { batchItemFailures: failures };
}

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchItemFailure[] = [];
  for (const record of event.Records) {
    try {
      await fulfil(JSON.parse(record.body));
    } catch {
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return answer(failures);
}

async function fulfil(order: unknown): Promise<void> {}
"""

PY_POWERTOOLS = '''\
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

processor = BatchProcessor(event_type=EventType.KinesisDataStreams)


def record_handler(record):
    project(record.kinesis.data_as_json())


def handler(event, context):
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)


def project(change):
    ...
'''

JS_POWERTOOLS = """\
import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";

const processor = new BatchProcessor(EventType.DynamoDBStreams);

const recordHandler = async (record) => {
  await project(record.dynamodb.NewImage);
};

export const handler = async (event, context) =>
  processPartialResponse(event, recordHandler, processor, { context });

async function project(image) {}
"""


class BatchFailuresReturnedNotEnabled(Rule):
    """
    ## What it does
    Reports a function whose handler answers with a partial batch response -- it returns
    `batchItemFailures` (directly or through a helper it calls), or uses Powertools'
    `process_partial_response` / `BatchProcessor` / `processPartialResponse`, or middy's
    `@middy/sqs-partial-batch-failure` -- while an SQS, Kinesis or DynamoDB stream trigger of it
    does not list `ReportBatchItemFailures` in `FunctionResponseTypes` (on the SAM event or on
    the `AWS::Lambda::EventSourceMapping`). One finding per function, at its first such event,
    naming all of them. A `FunctionResponseTypes` hidden behind a condition or parameter is
    unknown and not reported.

    ## Why is this bad?
    Lambda reads `batchItemFailures` only when the event source mapping has
    `ReportBatchItemFailures` turned on. Without it the handler's answer is ignored: the
    invocation succeeded, so Lambda deletes the whole batch from the queue (or moves the stream
    checkpoint past it) -- **including the records the handler just reported as failed**. The
    code looks careful and loses exactly the messages it meant to retry. Powertools' batch
    processor makes it worse: it catches every record's exception, so nothing ever fails the
    invocation.

    ## Why this tier
    Blocking: every failed record is silently dropped in production, and the code review cannot
    see it because the handler looks right.

    ## Example
    ```yaml
    Events:
      Orders:
        Type: SQS
        Properties:
          Queue: !GetAtt OrdersQueue.Arn
    ```
    with a handler ending in `return {"batchItemFailures": failures}`.

    ## Use instead
    ```yaml
    Events:
      Orders:
        Type: SQS
        Properties:
          Queue: !GetAtt OrdersQueue.Arn
          FunctionResponseTypes:
            - ReportBatchItemFailures
    ```

    ## References
    - [Handling errors for an SQS event source: partial batch responses](https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html)
    - [Lambda event source mappings](https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html)
    - [Kinesis partial batch responses](https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html)
    - [Powertools for AWS Lambda (Python): Batch processing](https://docs.powertools.aws.dev/lambda/python/latest/utilities/batch/)
    - [Powertools for AWS Lambda (TypeScript): Batch processing](https://docs.powertools.aws.dev/lambda/typescript/latest/features/batch/)
    """

    id = "SLS106"
    name = "batch-failures-returned-not-enabled"
    category = "retries"
    tier = "blocking"
    platforms = ("aws-lambda",)
    title = "The handler returns batchItemFailures but the trigger does not enable ReportBatchItemFailures"
    fix = "Add FunctionResponseTypes: [ReportBatchItemFailures] to the event (or event source mapping)."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html",
        "https://docs.powertools.aws.dev/lambda/python/latest/utilities/batch/",
    )

    bad = [
        Example(
            {"template.yaml": _template("app.handler", _SQS_EVENT), "src/app.py": PY_HANDLER},
            expect=[
                Expect(
                    "template.yaml",
                    11,
                    9,
                    "FulfilFunction returns batchItemFailures (src/app.py:11) but its SQS event Orders "
                    "does not enable ReportBatchItemFailures: Lambda ignores the list and treats the "
                    "whole batch as processed, so the records reported as failed are lost",
                )
            ],
            name="python-sqs",
        ),
        Example(
            {
                "template.yaml": _template("app.lambda_handler", _SQS_EVENT),
                "src/app.py": (
                    "def lambda_handler(event, context):\n"
                    "    batch_item_failures = []\n"
                    "    sqs_batch_response = {}\n"
                    "    for record in event['Records']:\n"
                    "        try:\n"
                    "            fulfil(record['body'])\n"
                    "        except Exception:\n"
                    "            batch_item_failures.append({'itemIdentifier': record['messageId']})\n"
                    "    sqs_batch_response['batchItemFailures'] = batch_item_failures\n"
                    "    return sqs_batch_response\n"
                    "\n"
                    "\n"
                    "def fulfil(body):\n"
                    "    ...\n"
                ),
            },
            expect=[
                Expect(
                    "template.yaml",
                    11,
                    9,
                    "FulfilFunction returns batchItemFailures (src/app.py:10) but its SQS event Orders "
                    "does not enable ReportBatchItemFailures: Lambda ignores the list and treats the "
                    "whole batch as processed, so the records reported as failed are lost",
                )
            ],
            name="python-response-built-key-by-key",
        ),
        Example(
            {
                "template.yaml": _template(
                    "index.handler",
                    _SQS_EVENT + "        Retries:\n          Type: SQS\n          Properties: {Queue: !GetAtt RetryQueue.Arn}\n",
                    "nodejs22.x",
                    "  RetryQueue:\n    Type: AWS::SQS::Queue\n",
                ),
                "src/index.ts": TS_HANDLER,
            },
            expect=[
                Expect(
                    "template.yaml",
                    11,
                    9,
                    "FulfilFunction returns batchItemFailures (src/index.ts:4) but its SQS event "
                    "Orders, SQS event Retries do not enable ReportBatchItemFailures: Lambda ignores "
                    "the list and treats the whole batch as processed, so the records reported as "
                    "failed are lost",
                )
            ],
            name="typescript-helper-two-queues-one-finding",
        ),
        Example(
            {
                "template.yaml": (
                    "Resources:\n"
                    "  ProjectionFunction:\n"
                    "    Type: AWS::Lambda::Function\n"
                    "    Properties:\n"
                    "      Runtime: python3.13\n"
                    "      Handler: app.handler\n"
                    "      Role: arn:aws:iam::123456789012:role/projection\n"
                    "      Code: src/\n"
                    "  ClicksMapping:\n"
                    "    Type: AWS::Lambda::EventSourceMapping\n"
                    "    Properties:\n"
                    "      FunctionName: !Ref ProjectionFunction\n"
                    "      EventSourceArn: arn:aws:kinesis:eu-west-1:123456789012:stream/clicks\n"
                    "      StartingPosition: LATEST\n"
                ),
                "src/app.py": PY_POWERTOOLS,
            },
            expect=[
                Expect(
                    "template.yaml",
                    9,
                    3,
                    "ProjectionFunction returns batchItemFailures (Powertools at src/app.py:3) but its "
                    "Kinesis event source mapping ClicksMapping does not enable "
                    "ReportBatchItemFailures: Lambda ignores the list and treats the whole batch as "
                    "processed, so the records reported as failed are lost",
                )
            ],
            name="python-powertools-event-source-mapping",
        ),
        Example(
            {
                "template.yaml": _template(
                    "index.handler",
                    "        Changes:\n"
                    "          Type: DynamoDB\n"
                    "          Properties: {Stream: !GetAtt Orders.StreamArn, StartingPosition: LATEST, MaximumRetryAttempts: 3}\n",
                    "nodejs22.x",
                ),
                "src/index.mjs": JS_POWERTOOLS,
            },
            expect=[
                Expect(
                    "template.yaml",
                    11,
                    9,
                    "FulfilFunction returns batchItemFailures (Powertools at src/index.mjs:3) but its "
                    "DynamoDB event Changes does not enable ReportBatchItemFailures: Lambda ignores "
                    "the list and treats the whole batch as processed, so the records reported as "
                    "failed are lost",
                )
            ],
            name="javascript-powertools-dynamodb",
        ),
    ]
    good = [
        Example({"template.yaml": _template("app.handler", _ENABLED), "src/app.py": PY_HANDLER}, name="python-enabled"),
        Example(
            {"template.yaml": _template("index.handler", _ENABLED, "nodejs22.x"), "src/index.ts": TS_HANDLER},
            name="typescript-enabled",
        ),
        Example(
            {
                "template.yaml": _template(
                    "index.handler",
                    "        Changes:\n"
                    "          Type: DynamoDB\n"
                    "          Properties:\n"
                    "            Stream: !GetAtt Orders.StreamArn\n"
                    "            StartingPosition: LATEST\n"
                    "            FunctionResponseTypes: [ReportBatchItemFailures]\n",
                    "nodejs22.x",
                ),
                "src/index.mjs": JS_POWERTOOLS,
            },
            name="javascript-powertools-enabled",
        ),
        Example(
            {
                "template.yaml": _template(
                    "app.handler",
                    _SQS_EVENT.replace("Orders:", "Orders:", 1)
                    + "            FunctionResponseTypes: !If [Partial, [ReportBatchItemFailures], !Ref AWS::NoValue]\n"
                    + "        Raw:\n          Type: MSK\n          Properties: {Stream: arn:aws:kafka:eu-west-1:1:cluster/c, Topics: [t]}\n",
                ),
                "src/app.py": PY_HANDLER,
            },
            name="conditional-setting-is-unknown-and-kafka-has-no-partial-batches",
        ),
        Example(
            {
                "template.yaml": _template("app.handler", _SQS_EVENT),
                "src/app.py": (
                    "def handler(event, context):\n"
                    "    for record in event['Records']:\n"
                    "        fulfil(record['body'])  # any error fails the whole batch: nothing is lost\n"
                    "\n"
                    "\n"
                    "def fulfil(body):\n"
                    "    ...\n"
                ),
            },
            name="whole-batch-handler-without-the-setting",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        disabled = [e for e in fn.events if e.type in PARTIAL_BATCH_TYPES and e.reports_batch_item_failures is False]
        if not disabled:
            return
        facts = ctx.facts(fn)
        answer = partial_batch_response(facts) if facts is not None else None
        if answer is None:
            return
        names = ", ".join(e.label for e in disabled)
        verb = "does" if len(disabled) == 1 else "do"
        yield Report(
            disabled[0].loc,
            f"{fn.name} returns batchItemFailures ({answer.where()}) but its {names} "
            f"{verb} not enable ReportBatchItemFailures: Lambda ignores the list and treats the whole "
            "batch as processed, so the records reported as failed are lost",
        )
