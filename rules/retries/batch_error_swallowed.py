from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Call, Facts, TryBlock
from slsreview.location import Location
from slsreview.model.project import Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule

# What a batch handler iterates, named as the facts name event sources (TryBlock.loops).
RECORDS = ("records", "messages")
# Calls in an except/catch that keep the failed record somewhere else (a queue, a table, a
# topic, an alert): the failure is handled, not swallowed.
_KEEPS = ("aws.", "cf.queue.", "cf.kv.put", "cf.d1.", "cf.r2.put", "http.request")

# Exception types that catch whatever a handler's work raises, not one condition.
_CATCH_ALL = frozenset(
    {"Exception", "BaseException", "ClientError", "BotoCoreError", "HTTPError", "RequestException", "HTTPStatusError"}
)

_FIX_LAMBDA = "Re-raise the error (the batch is retried), or add the record to batchItemFailures and return them."
_FIX_WORKER = "Call message.retry() in the catch (it goes to the dead-letter queue after max_retries), or rethrow."


def _sam(handler: str, runtime: str) -> str:
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
        "      Events:\n"
        "        Orders:\n"
        "          Type: SQS\n"
        "          Properties:\n"
        "            Queue: !GetAtt OrdersQueue.Arn\n"
        "            FunctionResponseTypes: [ReportBatchItemFailures]\n"
        "  OrdersQueue:\n"
        "    Type: AWS::SQS::Queue\n"
    )


_WRANGLER = (
    'name = "orders-worker"\n'
    'main = "src/index.ts"\n'
    'compatibility_date = "2025-06-01"\n'
    "\n"
    "[[queues.consumers]]\n"
    'queue = "orders"\n'
    'dead_letter_queue = "orders-dlq"\n'
)

PY_LOGGED = """\
import json
import logging

logger = logging.getLogger()


def handler(event, context):
    for record in event["Records"]:
        try:
            fulfil(json.loads(record["body"]))
        except Exception:
            logger.exception("fulfilment failed for %s", record["messageId"])


def fulfil(order):
    ...
"""

PY_POWERTOOLS_SWALLOWED = """\
from aws_lambda_powertools import Logger
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

logger = Logger()
processor = BatchProcessor(event_type=EventType.SQS)


def record_handler(record):
    try:
        fulfil(record.json_body)
    except Exception:
        logger.exception("fulfilment failed")


def handler(event, context):
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)


def fulfil(order):
    ...
"""

PY_WHOLE_BATCH = """\
def handler(event, context):
    try:
        for record in event["Records"]:
            fulfil(record["body"])
    except Exception as exc:
        print("batch failed", exc)
    return {"statusCode": 200}


def fulfil(body):
    ...
"""

PY_NARROW = """\
import json

import boto3

table = boto3.resource("dynamodb").Table("orders")


def handler(event, context):
    failures = []
    for record in event["Records"]:
        order = json.loads(record["body"])
        try:
            table.put_item(Item={"pk": order["id"]}, ConditionExpression="attribute_not_exists(pk)")
        except table.meta.client.exceptions.ConditionalCheckFailedException:
            continue  # delivered before: already stored
        except Exception:
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
"""

PY_FALLBACK = """\
import logging

import requests

logger = logging.getLogger()


def handler(event, context):
    for record in event["Records"]:
        try:
            rate = requests.get("https://rates.example.com/eur", timeout=2).json()["rate"]
        except requests.RequestException:
            logger.warning("no rate, using the default")
            rate = 1.0
        fulfil(record["body"], rate)


def fulfil(body, rate):
    ...
"""

JS_LOGGED = """\
export const handler = async (event) => {
  for (const record of event.Records) {
    try {
      await fulfil(JSON.parse(record.body));
    } catch (err) {
      console.error("fulfilment failed", record.messageId, err);
    }
  }
};

async function fulfil(order) {}
"""

TS_WORKER = """\
export default {
  async queue(batch: MessageBatch<{ orderId: string }>, env: Env): Promise<void> {
    for (const message of batch.messages) {
      try {
        await env.DB.prepare("UPDATE orders SET status = 'fulfilled' WHERE id = ?").bind(message.body.orderId).run();
      } catch {
        // ignore: the next delivery will fix it
      }
    }
  },
};
"""

JS_HELPER = """\
export const handler = async (event) => {
  await Promise.all(event.Records.map((record) => fulfilOne(record)));
};

async function fulfilOne(record) {
  try {
    await fulfil(JSON.parse(record.body));
  } catch (err) {
    console.warn(err);
  }
}

async function fulfil(order) {}
"""

JS_WHOLE_BATCH = """\
export const handler = async (event) => {
  try {
    for (const record of event.Records) {
      await fulfil(JSON.parse(record.body));
    }
  } catch (err) {
    console.error(err);
  }
};

async function fulfil(order) {}
"""


class BatchErrorSwallowed(Rule):
    """
    ## What it does
    Reports an `except` / `catch` in a batch handler that neither re-raises, returns an error,
    nor records the item as failed — it does nothing (`pass`, `continue`, an empty `catch`) or only
    logs — when the handler is fed by a batch source: an SQS, Kinesis or DynamoDB stream trigger
    (any polled trigger) of a Lambda function, or a Cloudflare Queues consumer of a Worker.

    Only a try that handles *records* is reported:

    - a **per-record** try: inside a loop over the event's records (`for record in
      event["Records"]`, `for (const m of batch.messages)`, `event.Records.map(r => ...)`), or in
      a function called once per record from such a loop, or in a Powertools record handler;
    - a **whole-batch** try whose body loops over the records.

    A try inside some other loop (a retry loop, a loop over a record's items) is left alone, as
    are handlers that catch a narrow exception (`except ConditionalCheckFailedException:
    continue` skips a duplicate on purpose), and handlers that keep the record somewhere else (an
    SDK call such as `sqs.send_message` to a dead-letter queue, a queue or KV write, an HTTP
    call), directly or through a local helper. Powertools' batch processor catches the record
    handler's exceptions itself and reports them as batch item failures: that is not a swallow.
    But a record handler that catches its own error hides it from Powertools, and is reported.

    ## Why is this bad?
    A batch source deletes (or, on a stream, moves past) every record of a batch the handler did
    not report as failed. A caught and ignored error makes the handler return normally: the record
    counts as processed and is gone, with at most a log line to show for it. On Workers, returning
    from `queue()` acknowledges every message not explicitly retried. The queue's dead-letter
    queue, the partial batch response, `message.retry()` — none of them ever see the failure.

    ## Why this tier
    Blocking: every transient error (a throttled table, a timed-out API) silently loses the
    message it happened on.

    ## Example
    ```javascript
    for (const record of event.Records) {
      try {
        await fulfil(JSON.parse(record.body));
      } catch (err) {
        console.error("fulfilment failed", err);
      }
    }
    ```

    ## Use instead
    ```javascript
    const batchItemFailures = [];
    for (const record of event.Records) {
      try {
        await fulfil(JSON.parse(record.body));
      } catch (err) {
        console.error("fulfilment failed", err);
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
    ```
    On Workers, `message.retry()` in the catch; with Powertools, let the record handler raise.

    ## References
    - [Handling errors for an SQS event source in Lambda](https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html)
    - [Lambda event source mappings](https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html)
    - [Powertools for AWS Lambda (Python): Batch processing](https://docs.powertools.aws.dev/lambda/python/latest/utilities/batch/)
    - [Cloudflare Queues: batching, retries and delays](https://developers.cloudflare.com/queues/configuration/batching-retries/)
    - [Cloudflare Queues: dead letter queues](https://developers.cloudflare.com/queues/configuration/dead-letter-queues/)
    """

    id = "SLS108"
    name = "batch-error-swallowed"
    category = "retries"
    tier = "blocking"
    title = "A batch handler catches a record's error and carries on, so the record is lost"
    fix = _FIX_LAMBDA
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html",
        "https://developers.cloudflare.com/queues/configuration/batching-retries/",
    )

    bad = [
        Example(
            {"template.yaml": _sam("app.handler", "python3.13"), "src/app.py": PY_LOGGED},
            expect=[
                Expect(
                    "src/app.py",
                    11,
                    9,
                    "FulfilFunction is fed by SQS event Orders, and this except only logs the error of "
                    "one record: the record counts as processed and is never retried",
                )
            ],
            name="python-per-record-log-only",
        ),
        Example(
            {"template.yaml": _sam("app.handler", "python3.13"), "src/app.py": PY_POWERTOOLS_SWALLOWED},
            expect=[
                Expect(
                    "src/app.py",
                    11,
                    5,
                    "FulfilFunction is fed by SQS event Orders, and this except in the Powertools record "
                    "handler (Powertools sees a failure only when it raises) only logs the error of one "
                    "record: the record counts as processed and is never retried",
                )
            ],
            name="python-powertools-record-handler-hides-the-failure",
        ),
        Example(
            {"template.yaml": _sam("app.handler", "python3.13"), "src/app.py": PY_WHOLE_BATCH},
            expect=[
                Expect(
                    "src/app.py",
                    5,
                    5,
                    "FulfilFunction is fed by SQS event Orders, and this except around the loop over the "
                    "records only logs the error: the failing record and every one after it count as "
                    "processed and are never retried",
                )
            ],
            name="python-whole-batch",
        ),
        Example(
            {"template.yaml": _sam("index.handler", "nodejs22.x"), "src/index.mjs": JS_LOGGED},
            expect=[
                Expect(
                    "src/index.mjs",
                    5,
                    7,
                    "FulfilFunction is fed by SQS event Orders, and this catch only logs the error of "
                    "one record: the record counts as processed and is never retried",
                )
            ],
            name="javascript-per-record-log-only",
        ),
        Example(
            {"wrangler.toml": _WRANGLER, "src/index.ts": TS_WORKER},
            expect=[
                Expect(
                    "src/index.ts",
                    6,
                    9,
                    "orders-worker consumes queue orders, and this catch ignores the error of one "
                    "message: the message is acknowledged when queue() returns and is never retried",
                )
            ],
            name="typescript-workers-queue-ignored",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": (
                    "export default {\n"
                    "  async queue(batch: MessageBatch<Build>, env: Env): Promise<void> {\n"
                    "    for (const message of batch.messages) {\n"
                    "      try {\n"
                    "        await notify(message.body, env);\n"
                    "        message.ack();\n"
                    "      } catch (error) {\n"
                    "        console.error('notification failed', error);\n"
                    "        message.ack();\n"
                    "      }\n"
                    "    }\n"
                    "  },\n"
                    "};\n"
                    "\n"
                    "async function notify(build: Build, env: Env): Promise<void> {}\n"
                ),
            },
            expect=[
                Expect(
                    "src/index.ts",
                    7,
                    9,
                    "orders-worker consumes queue orders, and this catch only logs the error of one "
                    "message: the message is acknowledged when queue() returns and is never retried",
                )
            ],
            name="typescript-workers-acknowledged-on-failure",
        ),
        Example(
            {"template.yaml": _sam("index.handler", "nodejs22.x"), "src/index.mjs": JS_HELPER},
            expect=[
                Expect(
                    "src/index.mjs",
                    8,
                    5,
                    "FulfilFunction is fed by SQS event Orders, and this catch only logs the error of "
                    "one record: the record counts as processed and is never retried",
                )
            ],
            name="javascript-helper-called-per-record",
        ),
        Example(
            {"template.yaml": _sam("index.handler", "nodejs22.x"), "src/index.mjs": JS_WHOLE_BATCH},
            expect=[
                Expect(
                    "src/index.mjs",
                    6,
                    5,
                    "FulfilFunction is fed by SQS event Orders, and this catch around the loop over "
                    "the records only logs the error: the failing record and every one after it count "
                    "as processed and are never retried",
                )
            ],
            name="javascript-whole-batch",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _sam("app.handler", "python3.13"),
                "src/app.py": (
                    "from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response\n"
                    "\n"
                    "processor = BatchProcessor(event_type=EventType.SQS)\n"
                    "\n"
                    "\n"
                    "def record_handler(record):\n"
                    "    fulfil(record.json_body)  # raises: Powertools reports the record as failed\n"
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    "    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)\n"
                    "\n"
                    "\n"
                    "def fulfil(order):\n"
                    "    ...\n"
                ),
            },
            name="python-powertools-batch-processor",
        ),
        Example(
            {"template.yaml": _sam("app.handler", "python3.13"), "src/app.py": PY_NARROW},
            name="python-duplicate-skipped-on-purpose-others-reported",
        ),
        Example(
            {"template.yaml": _sam("app.handler", "python3.13"), "src/app.py": PY_FALLBACK},
            name="python-optional-lookup-with-a-fallback",
        ),
        Example(
            {
                "template.yaml": _sam("app.handler", "python3.13"),
                "src/app.py": (
                    "import json\n"
                    "import logging\n"
                    "import os\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    "logger = logging.getLogger()\n"
                    "sqs = boto3.client('sqs')\n"
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    "    failed = []\n"
                    "    for record in event['Records']:\n"
                    "        try:\n"
                    "            fulfil(json.loads(record['body']))\n"
                    "        except Exception as exc:\n"
                    "            failed.append({'itemIdentifier': record['messageId']})\n"
                    "            try:\n"
                    "                sqs.send_message(QueueUrl=os.environ['AUDIT_URL'], MessageBody=str(exc))\n"
                    "            except Exception:\n"
                    "                logger.critical('audit queue unreachable')\n"
                    "    return {'batchItemFailures': failed}\n"
                    "\n"
                    "\n"
                    "def fulfil(order):\n"
                    "    ...\n"
                ),
            },
            name="python-try-inside-an-except-that-records-the-failure",
        ),
        Example(
            {
                "template.yaml": _sam("app.handler", "python3.13"),
                "src/app.py": PY_LOGGED.replace(
                    '            logger.exception("fulfilment failed for %s", record["messageId"])\n',
                    '            logger.exception("fulfilment failed for %s", record["messageId"])\n            raise\n',
                ),
            },
            name="python-logged-and-re-raised",
        ),
        Example(
            {
                "template.yaml": _sam("index.handler", "nodejs22.x"),
                "src/index.mjs": JS_LOGGED.replace(
                    '      console.error("fulfilment failed", record.messageId, err);\n',
                    '      console.error("fulfilment failed", record.messageId, err);\n'
                    "      batchItemFailures.push({ itemIdentifier: record.messageId });\n",
                )
                .replace("  for (const record", "  const batchItemFailures = [];\n  for (const record")
                .replace("  }\n};", "  }\n  return { batchItemFailures };\n};"),
            },
            name="javascript-recorded-in-batch-item-failures",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": TS_WORKER.replace(
                    "        // ignore: the next delivery will fix it\n", "        message.retry({ delaySeconds: 30 });\n"
                ),
            },
            name="typescript-workers-message-retry",
        ),
        Example(
            {
                "template.yaml": _sam("index.handler", "nodejs22.x"),
                "src/index.mjs": (
                    "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';\n"
                    "const sqs = new SQSClient({});\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  for (const record of event.Records) {\n"
                    "    for (let attempt = 1; ; attempt++) {\n"
                    "      try {\n"
                    "        await fulfil(JSON.parse(record.body));\n"
                    "        break;\n"
                    "      } catch (err) {\n"
                    "        if (attempt === 3) {\n"
                    "          await sqs.send(new SendMessageCommand({ QueueUrl: process.env.PARKED_URL, MessageBody: record.body }));\n"
                    "          break;\n"
                    "        }\n"
                    "      }\n"
                    "    }\n"
                    "  }\n"
                    "};\n"
                    "\n"
                    "async function fulfil(order) {}\n"
                ),
            },
            name="javascript-retry-loop-then-parked-in-another-queue",
        ),
        Example(
            {
                "template.yaml": _sam("index.handler", "nodejs22.x"),
                "src/index.mjs": (
                    "import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';\n"
                    "const sqs = new SQSClient({});\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    "  for (const record of event.Records) {\n"
                    "    try {\n"
                    "      await fulfil(JSON.parse(record.body));\n"
                    "    } catch (err) {\n"
                    "      await park(record, err);\n"
                    "    }\n"
                    "  }\n"
                    "};\n"
                    "\n"
                    "async function park(record, err) {\n"
                    "  console.error(err);\n"
                    "  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.PARKED_URL, MessageBody: record.body }));\n"
                    "}\n"
                    "\n"
                    "async function fulfil(order) {}\n"
                ),
            },
            name="javascript-parked-in-another-queue-by-a-helper",
        ),
        Example(
            {
                "template.yaml": _sam("index.handler", "nodejs22.x"),
                "src/index.mjs": (
                    "export const handler = async (event) => {\n"
                    "  for (const record of event.Records) {\n"
                    "    let order;\n"
                    "    try {\n"
                    "      order = JSON.parse(record.body);\n"
                    "    } catch (err) {\n"
                    "      throw new Error(`message ${record.messageId} is not JSON`);\n"
                    "    }\n"
                    "    await fulfil(order);\n"
                    "  }\n"
                    "};\n"
                    "\n"
                    "async function fulfil(order) {}\n"
                ),
            },
            name="javascript-rethrown",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": (
                    "export default {\n"
                    "  async queue(batch: MessageBatch<Build>, env: Env): Promise<void> {\n"
                    "    for (const message of batch.messages) {\n"
                    "      try {\n"
                    "        let logs: string[] = [];\n"
                    "        try {\n"
                    "          logs = await fetchLogs(message.body, env);\n"
                    "        } catch (err) {\n"
                    "          console.warn('no logs, notifying without them', err);\n"
                    "        }\n"
                    "        const preview = await fetchPreview(message.body).catch(() => null);\n"
                    "        await notify(message.body, logs, preview, env);\n"
                    "        message.ack();\n"
                    "      } catch (err) {\n"
                    "        console.error(err);\n"
                    "        message.retry();\n"
                    "      }\n"
                    "    }\n"
                    "  },\n"
                    "};\n"
                    "\n"
                    "async function fetchLogs(build: Build, env: Env): Promise<string[]> {\n"
                    "  const lines: string[] = [];\n"
                    "  try {\n"
                    "    lines.push(...(await (await fetch(build.logsUrl)).json()));\n"
                    "  } catch (err) {\n"
                    "    console.warn(err);\n"
                    "  }\n"
                    "  return lines;\n"
                    "}\n"
                    "\n"
                    "async function fetchPreview(build: Build): Promise<string> { return build.url; }\n"
                    "async function notify(build: Build, logs: string[], preview: string | null, env: Env): Promise<void> {}\n"
                ),
            },
            name="typescript-optional-lookups-with-fallbacks-inside-a-retried-message",
        ),
        Example(
            {
                "template.yaml": _sam("index.handler", "nodejs22.x").replace("Type: SQS", "Type: HttpApi"),
                "src/index.mjs": JS_LOGGED,
            },
            name="not-fed-by-a-batch-source",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        polled = [e for e in fn.events if e.invocation == "poll"]
        facts = ctx.facts(fn) if polled else None
        if facts is None:
            return
        fed = f"{fn.name} is fed by {', '.join(e.label for e in polled)}"
        yield from _swallowed(facts, fed, "record", "the record counts as processed", _FIX_LAMBDA)

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        consumers = [c for c in worker.queue_consumers if not c.pull]
        facts = ctx.facts(worker) if consumers else None
        if facts is None:
            return
        entry = facts.entry()
        if entry is None or "queue" not in entry.methods:
            return
        fed = f"{worker.display_name} consumes queue {', '.join(c.queue for c in consumers)}"
        yield from _swallowed(facts, fed, "message", "the message is acknowledged when queue() returns", _FIX_WORKER)


def _swallowed(facts: Facts, fed: str, item: str, consequence: str, fix: str) -> Iterator[Report]:
    tries = facts.tries()
    calls = facts.calls()
    per_item = _per_item_functions(facts, tries, calls)
    powertools = _powertools_record_handlers(facts)
    for block in tries:
        if block.on_error not in ("swallow", "log-only") or not _catches_failures(block):
            continue
        if _keeps_the_failure(block, calls, facts):
            continue
        clause = "except" if _language(facts, block.loc) == "python" else "catch"
        does = "only logs the error" if block.on_error == "log-only" else "ignores the error"
        if _handles_one_item(block, tries, per_item):
            where = f"this {clause}"
            if block.function in powertools:
                where += " in the Powertools record handler (Powertools sees a failure only when it raises)"
            yield Report(
                block.handler_loc,
                f"{fed}, and {where} {does} of one {item}: {consequence} and is never retried",
                fix=fix,
            )
        elif _wraps_record_loop(block, calls):
            plural = "records" if item == "record" else "messages"
            yield Report(
                block.handler_loc,
                f"{fed}, and this {clause} around the loop over the {plural} {does}: the failing "
                f"{item} and every one after it count as processed and are never retried",
                fix=fix,
            )


def _catches_failures(block: TryBlock) -> bool:
    """Everything (``except Exception``, a bare except, any JS catch), or everything an SDK or
    HTTP call raises; not a narrow exception caught on purpose (``ConditionalCheckFailed``)."""
    return not block.catches or any(name in _CATCH_ALL for name in block.catches)


def _handles_one_item(block: TryBlock, tries: list[TryBlock], per_item: set[str]) -> bool:
    """The try is where one record's failure ends up: directly in the loop over the records (or
    at the top of a function run once per record), not a fallback the code carries on after
    (``continues``), and not nested in another try (or in its handler) that decides for the
    record."""
    if block.continues or _enclosing_record_try(block, tries) is not None:
        return False
    return _in_record_loop(block.loops) or (not block.loops and block.function in per_item)


def _enclosing_record_try(inner: TryBlock, tries: list[TryBlock]) -> TryBlock | None:
    """A try around this one (in its body, or in its except/catch: a fallback for the fallback)
    with no loop in between: that one decides what happens to the record."""
    for outer in tries:
        if outer is not inner and outer.function == inner.function and outer.loops == inner.loops and _within(inner.loc, outer.loc):
            return outer
    return None


def _in_record_loop(loops: tuple[str, ...]) -> bool:
    return bool(loops) and loops[-1] in RECORDS


def _wraps_record_loop(block: TryBlock, calls: list[Call]) -> bool:
    depth = len(block.loops)
    return any(
        c.try_id == block.id and c.function == block.function and any(loop in RECORDS for loop in c.loops[depth:])
        for c in calls
    )


def _per_item_functions(facts: Facts, tries: list[TryBlock], calls: list[Call]) -> set[str]:
    """Local functions run once per record and responsible for it: called from inside a loop over
    the records outside any try there (or handed to Powertools as the record handler), and what
    they call outside a try of their own."""
    defs = {f.qualname for f in facts.functions()}
    by_last: dict[str, list[str]] = {}
    for qualname in defs:
        by_last.setdefault(qualname.rsplit(".", 1)[-1], []).append(qualname)
    by_id = {(t.loc.path, t.id): t for t in tries}

    def unguarded(call: Call) -> bool:
        block = by_id.get((call.loc.path, call.try_id)) if call.try_id is not None else None
        return block is None or not _in_record_loop(block.loops)

    out: set[str] = set()
    stack = [h for h in _powertools_record_handlers(facts) if h in defs]
    stack += [
        q for c in calls if c.name == "" and _in_record_loop(c.loops) and unguarded(c) for q in by_last.get(c.callee.rsplit(".", 1)[-1], ())
    ]
    while stack:
        name = stack.pop()
        if name in out:
            continue
        out.add(name)
        stack += [
            q
            for c in calls
            if c.function == name and c.name == "" and c.try_id is None
            for q in by_last.get(c.callee.rsplit(".", 1)[-1], ())
        ]
    return out


def _powertools_record_handlers(facts: Facts) -> set[str]:
    out = set()
    for wrapper in facts.wrappers("powertools.process_partial_response"):
        handler = wrapper.arg("record_handler")
        if handler is not None:
            out.add(handler.text)
    return out


def _keeps_the_failure(block: TryBlock, calls: list[Call], facts: Facts) -> bool:
    """The except/catch sends the record somewhere (or alerts), directly or through a local
    function it calls."""
    defs = {f.qualname: f for f in facts.functions()}
    inside = [c for c in calls if _within(c.loc, block.handler_loc)]
    seen: set[str] = set()
    while inside:
        call = inside.pop()
        if call.name.startswith(_KEEPS):
            return True
        target = next((q for q in defs if q.rsplit(".", 1)[-1] == call.callee.rsplit(".", 1)[-1]), None) if call.name == "" else None
        if target is not None and target not in seen:
            seen.add(target)
            inside.extend(c for c in calls if c.function == target)
    return False


def _within(loc: Location, span: Location) -> bool:
    if loc.path != span.path:
        return False
    start, end = (span.line, span.column), (span.end_line, span.end_column)
    return start <= (loc.line, loc.column) and (loc.end_line, loc.end_column) <= end


def _language(facts: Facts, loc: Location) -> str:
    return next((f.language for f in facts.files if f.path == loc.path), "")
