from __future__ import annotations

from collections.abc import Iterator

from slsreview.model.project import Event, Function, QueueConsumer, Resource, Worker
from slsreview.model.resources import dead_letter_targets, queue_view
from slsreview.rule import Context, Example, Expect, Report, Rule

_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"


def _function(name: str, events: str) -> str:
    return (
        f"  {name}:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.13\n"
        "      Handler: app.handler\n"
        "      InlineCode: 'def handler(event, context): pass'\n"
        "      Events:\n" + events
    )


_WORKER = "export default { async queue(batch, env) { for (const m of batch.messages) m.ack(); } };\n"


class QueueWithoutDeadLetterQueue(Rule):
    """
    ## What it does
    Reports a queue that feeds a function and has nowhere to put the messages that keep failing:

    - an `AWS::SQS::Queue` in the template, read by a function (a SAM `SQS` event or an
      `AWS::Lambda::EventSourceMapping`), without a `RedrivePolicy`. One finding per queue, at
      the queue, naming every function and event it feeds. A queue outside the template (an
      imported or parameter ARN) is unknown and not reported, nor is a queue that is itself
      another queue's dead-letter queue (a redrive processor reading it).
    - a Cloudflare Queues consumer (`[[queues.consumers]]` / `"queues": {"consumers": [...]}`)
      without `dead_letter_queue`. Each `[env.NAME]` view is checked on its own: Wrangler does not
      inherit `queues` into environments, so each environment declares (and needs) its own. A
      consumer of a queue that another consumer uses as its dead-letter queue is not reported.
      One finding per Worker view, at its first such consumer, naming every queue.

    ## Why is this bad?
    A message that fails every time -- a poison message, a bug triggered by one payload -- has to
    end somewhere. Without a redrive policy SQS makes it visible again after every visibility
    timeout, invoking the function again and again until the queue's retention period (four days
    by default) ends, and then deletes it; in a FIFO queue it holds back its message group the
    whole time. Cloudflare Queues retries a failing message `max_retries` times (3 by default)
    and then **deletes it permanently**. Either way the message is lost with no copy to inspect
    or replay.

    ## Why this tier
    Non-blocking: nothing is lost while processing succeeds. But every consumer meets a message it
    cannot process eventually, and then it is gone.

    ## Example
    ```yaml
    OrdersQueue:
      Type: AWS::SQS::Queue
      Properties:
        VisibilityTimeout: 180
    ```
    ```toml
    [[queues.consumers]]
    queue = "orders"
    max_retries = 5
    ```

    ## Use instead
    ```yaml
    OrdersQueue:
      Type: AWS::SQS::Queue
      Properties:
        VisibilityTimeout: 180
        RedrivePolicy:
          deadLetterTargetArn: !GetAtt OrdersDeadLetterQueue.Arn
          maxReceiveCount: 5
    OrdersDeadLetterQueue:
      Type: AWS::SQS::Queue
      Properties:
        MessageRetentionPeriod: 1209600
    ```
    ```toml
    [[queues.consumers]]
    queue = "orders"
    max_retries = 5
    dead_letter_queue = "orders-dlq"
    ```

    ## References
    - [Using dead-letter queues in Amazon SQS](https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html)
    - [Handling errors for an SQS event source in Lambda](https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html)
    - [Cloudflare Queues: dead letter queues](https://developers.cloudflare.com/queues/configuration/dead-letter-queues/)
    - [Cloudflare Queues: batching, retries and delays](https://developers.cloudflare.com/queues/configuration/batching-retries/)
    - [Wrangler configuration: queues are not inherited by environments](https://developers.cloudflare.com/workers/wrangler/configuration/#non-inheritable-keys)
    """

    id = "SLS111"
    name = "queue-without-dead-letter-queue"
    category = "retries"
    tier = "non-blocking"
    title = "A queue feeding a function has no dead-letter queue"
    fix = (
        "Give the SQS queue a RedrivePolicy (deadLetterTargetArn and maxReceiveCount), or the "
        "Workers consumer a dead_letter_queue, and alarm on the dead-letter queue's depth."
    )
    docs = (
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",
        "https://developers.cloudflare.com/queues/configuration/dead-letter-queues/",
    )

    bad = [
        Example(
            {
                "template.yaml": _HEAD
                + _function("FulfilFunction", "        Orders: {Type: SQS, Properties: {Queue: !GetAtt OrdersQueue.Arn}}\n")
                + _function("AuditFunction", "        Orders: {Type: SQS, Properties: {Queue: !GetAtt OrdersQueue.Arn}}\n")
                + "  OrdersQueue:\n"
                "    Type: AWS::SQS::Queue\n"
                "    Properties: {VisibilityTimeout: 180}\n"
            },
            expect=[
                Expect(
                    "template.yaml",
                    20,
                    3,
                    "OrdersQueue feeds FulfilFunction (SQS event Orders), AuditFunction (SQS event "
                    "Orders) and has no RedrivePolicy: a message that keeps failing is received again "
                    "and again until the queue's retention period ends (4 days, the default), then "
                    "deleted with no copy kept",
                )
            ],
            name="one-queue-two-functions-one-finding",
        ),
        Example(
            {
                "template.yaml": (
                    "Resources:\n"
                    "  LedgerFunction:\n"
                    "    Type: AWS::Lambda::Function\n"
                    "    Properties:\n"
                    "      Runtime: nodejs22.x\n"
                    "      Handler: index.handler\n"
                    "      Role: arn:aws:iam::123456789012:role/ledger\n"
                    "      Code: {ZipFile: 'exports.handler = async () => {};'}\n"
                    "  LedgerQueue:\n"
                    "    Type: AWS::SQS::Queue\n"
                    "    Properties:\n"
                    "      FifoQueue: true\n"
                    "      MessageRetentionPeriod: 1209600\n"
                    "  LedgerMapping:\n"
                    "    Type: AWS::Lambda::EventSourceMapping\n"
                    "    Properties: {FunctionName: !Ref LedgerFunction, EventSourceArn: !GetAtt LedgerQueue.Arn}\n"
                )
            },
            expect=[
                Expect(
                    "template.yaml",
                    9,
                    3,
                    "LedgerQueue feeds LedgerFunction (SQS event source mapping LedgerMapping) and has "
                    "no RedrivePolicy: a message that keeps failing is received again and again until "
                    "the queue's retention period ends (1209600 seconds), holding back its message "
                    "group all the while, then deleted with no copy kept",
                )
            ],
            name="fifo-queue-through-an-event-source-mapping",
        ),
        Example(
            {
                "wrangler.toml": (
                    'name = "orders-worker"\n'
                    'main = "src/index.js"\n'
                    'compatibility_date = "2025-06-01"\n'
                    "\n"
                    "[[queues.consumers]]\n"
                    'queue = "orders"\n'
                    'dead_letter_queue = "orders-dlq"\n'
                    "\n"
                    "[env.production]\n"
                    'name = "orders-worker-production"\n'
                    "\n"
                    "[[env.production.queues.consumers]]\n"
                    'queue = "orders-production"\n'
                    "max_retries = 5\n"
                    "\n"
                    "[[env.production.queues.consumers]]\n"
                    'queue = "refunds-production"\n'
                ),
                "src/index.js": _WORKER,
            },
            expect=[
                Expect(
                    "wrangler.toml",
                    12,
                    1,
                    "orders-worker-production [env.production] consumes queue orders-production "
                    "(max_retries 5), refunds-production (max_retries 3, the default) without a "
                    "dead_letter_queue: a message still failing after its last retry is deleted "
                    "permanently",
                )
            ],
            name="workers-environment-does-not-inherit-the-dead-letter-queue",
        ),
        Example(
            {
                "wrangler.jsonc": (
                    "{\n"
                    '  "name": "exports",\n'
                    '  "main": "src/index.js",\n'
                    '  "compatibility_date": "2025-06-01",\n'
                    "  // retried three times, then gone\n"
                    '  "queues": { "consumers": [{ "queue": "exports", "max_batch_size": 10 }] },\n'
                    "}\n"
                ),
                "src/index.js": _WORKER,
            },
            expect=[
                Expect(
                    "wrangler.jsonc",
                    6,
                    29,
                    "exports consumes queue exports (max_retries 3, the default) without a "
                    "dead_letter_queue: a message still failing after its last retry is deleted "
                    "permanently",
                )
            ],
            name="workers-jsonc",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _HEAD
                + _function("FulfilFunction", "        Orders: {Type: SQS, Properties: {Queue: !GetAtt OrdersQueue.Arn}}\n")
                + _function(
                    "ReplayFunction", "        Dead: {Type: SQS, Properties: {Queue: !GetAtt OrdersDeadLetterQueue.Arn}}\n"
                )
                + _function("PartnerFunction", "        Partner: {Type: SQS, Properties: {Queue: !ImportValue partner-queue-arn}}\n")
                + "  OrdersQueue:\n"
                "    Type: AWS::SQS::Queue\n"
                "    Properties:\n"
                "      RedrivePolicy: {deadLetterTargetArn: !GetAtt OrdersDeadLetterQueue.Arn, maxReceiveCount: 5}\n"
                "  OrdersDeadLetterQueue:\n"
                "    Type: AWS::SQS::Queue\n"
            },
            name="redrive-policy-dead-letter-processor-and-imported-queue",
        ),
        Example(
            {
                "wrangler.toml": (
                    'name = "orders-worker"\n'
                    'main = "src/index.js"\n'
                    'compatibility_date = "2025-06-01"\n'
                    "\n"
                    "[[queues.consumers]]\n"
                    'queue = "orders"\n'
                    'dead_letter_queue = "orders-dlq"\n'
                    "\n"
                    "[[queues.consumers]]\n"
                    'queue = "orders-dlq"\n'
                    "\n"
                    "[env.production]\n"
                    'name = "orders-worker-production"\n'
                    "\n"
                    "[[env.production.queues.consumers]]\n"
                    'queue = "orders-production"\n'
                    'dead_letter_queue = "orders-production-dlq"\n'
                ),
                "src/index.js": _WORKER,
            },
            name="workers-dead-letter-queue-in-every-environment-and-its-processor",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        fed: dict[tuple[str, str], tuple[Resource, list[tuple[Function, Event]]]] = {}
        for fn in ctx.project.functions:
            for event in fn.events:
                if event.type != "SQS":
                    continue
                queue = ctx.project.event_queue(fn, event)
                if queue is None or queue.type != "AWS::SQS::Queue":
                    continue
                fed.setdefault((queue.template, queue.logical_id), (queue, []))[1].append((fn, event))
        dead_letters: dict[str, set[str]] = {}
        for (template, logical_id), (queue, readers) in sorted(fed.items()):
            view = queue_view(queue)
            if view.redrive is not None:
                continue
            if template not in dead_letters:
                dead_letters[template] = dead_letter_targets(ctx.project.resources, template)
            if logical_id in dead_letters[template]:
                continue  # a dead-letter queue read by its redrive processor
            who = ", ".join(f"{fn.name} ({event.label})" for fn, event in readers)
            retention = queue.prop("MessageRetentionPeriod")
            period = f"{retention.value} seconds" if retention is not None and retention.known else "4 days, the default"
            group = ", holding back its message group all the while" if view.fifo else ""
            functions = {fn.name for fn, _ in readers}
            yield Report(
                queue,
                f"{logical_id} feeds {who} and has no RedrivePolicy: a message that keeps failing is "
                f"received again and again until the queue's retention period ends ({period}){group}, "
                "then deleted with no copy kept",
                subject=readers[0][0] if len(functions) == 1 else None,
            )

    def check_worker(self, worker: Worker, ctx: Context) -> Iterator[Report]:
        processors = {
            str(c.dead_letter_queue.value)
            for other in ctx.project.workers
            if other.config is worker.config
            for c in other.queue_consumers
            if c.dead_letter_queue is not None
        }
        missing = [c for c in worker.queue_consumers if c.dead_letter_queue is None and c.queue not in processors]
        if not missing:
            return
        names = ", ".join(f"{c.queue} ({_retries(c)})" for c in missing)
        yield Report(
            missing[0].loc,
            f"{worker.display_name} consumes queue {names} without a dead_letter_queue: a message "
            "still failing after its last retry is deleted permanently",
        )


def _retries(consumer: QueueConsumer) -> str:
    default = ", the default" if consumer.max_retries.origin == "default" else ""
    return f"max_retries {consumer.max_retries.value}{default}"
