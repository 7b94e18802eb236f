from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slsreview.findings import Tier
from slsreview.model.project import Event, Function, Located, known
from slsreview.model.resources import queue_view
from slsreview.rule import Context, Example, Expect, Report, Rule

RECOMMENDED_FACTOR = 6  # AWS: visibility timeout >= 6 x the function timeout (+ the batching window)


def _sam(timeout: int, queue: str, event_extra: str = "") -> dict[str, str]:
    return {
        "template.yaml": (
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            "  FulfilFunction:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      Runtime: python3.13\n"
            "      Handler: app.handler\n"
            "      InlineCode: 'def handler(event, context): return {}'\n"
            f"      Timeout: {timeout}\n"
            "      Events:\n"
            "        Orders:\n"
            "          Type: SQS\n"
            "          Properties:\n"
            "            Queue: !GetAtt OrdersQueue.Arn\n"
            f"{event_extra}"
            "  OrdersQueue:\n"
            "    Type: AWS::SQS::Queue\n"
            f"{queue}"
        )
    }


_CFN = (
    "AWSTemplateFormatVersion: '2010-09-09'\n"
    "Resources:\n"
    "  FulfilFunction:\n"
    "    Type: AWS::Lambda::Function\n"
    "    Properties:\n"
    "      Runtime: nodejs22.x\n"
    "      Handler: index.handler\n"
    "      Role: arn:aws:iam::123456789012:role/fulfil\n"
    "      Timeout: 30\n"
    "      Code:\n"
    "        ZipFile: 'exports.handler = async () => ({});'\n"
    "  OrdersMapping:\n"
    "    Type: AWS::Lambda::EventSourceMapping\n"
    "    Properties:\n"
    "      FunctionName: !Ref FulfilFunction\n"
    "      EventSourceArn: !GetAtt OrdersQueue.Arn\n"
    "  OrdersQueue:\n"
    "    Type: AWS::SQS::Queue\n"
    "    Properties:\n"
    "      VisibilityTimeout: 20\n"
)


class QueueVisibilityBelowTimeout(Rule):
    """
    ## What it does
    Compares the visibility timeout of each SQS queue a function polls (through a SAM `SQS` event
    or an `AWS::Lambda::EventSourceMapping`) with the function's effective timeout:

    - below the function's timeout: Lambda refuses to create the event source mapping, so the
      deploy fails (blocking);
    - below six times the function's timeout, plus the `MaximumBatchingWindowInSeconds` of the
      event when it has one, as AWS recommends (non-blocking).

    A queue in the template without `VisibilityTimeout` has the SQS default of 30 s, and that is
    what the rule compares. A queue imported from elsewhere (an ARN, a parameter, `!ImportValue`)
    is not known, and the rule stays silent. One finding per function, naming every event
    involved; it points at the queue's `VisibilityTimeout` (or the queue, when the default
    applies) when one queue is involved, at the function's `Timeout` otherwise. cfn-lint's E3505
    checks only `AWS::Lambda::EventSourceMapping`; SAM `SQS` events are checked here too.

    ## Why is this bad?
    While a message is being processed it is invisible to other consumers for the visibility
    timeout. If the function may run longer than that, the message reappears mid-processing and a
    second invocation processes it again: a duplicate charge, a duplicate email. Lambda guards the
    extreme case by rejecting the mapping; the six-fold margin covers the retries Lambda makes when
    the function is throttled, and a batching window delays the start of processing further.

    ## Why this tier
    Blocking below the function's timeout: the deployment fails. Non-blocking below the recommended
    margin: it deploys, and duplicates appear only when invocations are throttled or slow.

    ## Example
    ```yaml
    FulfilFunction:
      Type: AWS::Serverless::Function
      Properties:
        Timeout: 60
        Events:
          Orders:
            Type: SQS
            Properties: {Queue: !GetAtt OrdersQueue.Arn}
    OrdersQueue:
      Type: AWS::SQS::Queue          # VisibilityTimeout defaults to 30 s
    ```

    ## Use instead
    ```yaml
    OrdersQueue:
      Type: AWS::SQS::Queue
      Properties:
        VisibilityTimeout: 360       # 6 x 60 s
    ```

    ## References
    - [Configuring an Amazon SQS queue to use with Lambda](https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html)
    - [Amazon SQS visibility timeout](https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html)
    - [Lambda parameters for Amazon SQS event source mappings](https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html)
    """

    id = "SLS403"
    name = "queue-visibility-below-timeout"
    category = "timeouts"
    tier = "blocking"
    platforms = ("aws-lambda",)
    title = "An SQS queue's visibility timeout is shorter than its consumer function needs"
    fix = "Set the queue's VisibilityTimeout to at least six times the function's Timeout (plus the batching window), or lower the function's Timeout."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html",
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html",
    )

    bad = [
        Example(
            _sam(60, ""),
            expect=[
                Expect(
                    "template.yaml",
                    16,
                    3,
                    "OrdersQueue's visibility timeout (30 s, the SQS default) is shorter than FulfilFunction's "
                    "timeout (60 s): Lambda refuses to create the event source mapping of event Orders, so the "
                    "deploy fails",
                    tier="blocking",
                )
            ],
            name="default-visibility-below-timeout",
        ),
        Example(
            _sam(30, "    Properties:\n      VisibilityTimeout: 120\n"),
            expect=[
                Expect(
                    "template.yaml",
                    19,
                    26,
                    "OrdersQueue's visibility timeout (120 s) is below the 180 s AWS recommends for event Orders "
                    "(6 x FulfilFunction's 30 s timeout): a batch retried after throttling can be received again "
                    "while the first invocation still runs",
                    tier="non-blocking",
                )
            ],
            name="below-six-times",
        ),
        Example(
            _sam(
                30,
                "    Properties:\n      VisibilityTimeout: 180\n",
                "            MaximumBatchingWindowInSeconds: 20\n",
            ),
            expect=[
                Expect(
                    "template.yaml",
                    20,
                    26,
                    "OrdersQueue's visibility timeout (180 s) is below the 200 s AWS recommends for event Orders "
                    "(6 x FulfilFunction's 30 s timeout + its 20 s batching window): a batch retried after "
                    "throttling can be received again while the first invocation still runs",
                    tier="non-blocking",
                )
            ],
            name="batching-window-counts",
        ),
        Example(
            {"template.yaml": _CFN},
            expect=[
                Expect(
                    "template.yaml",
                    20,
                    26,
                    "OrdersQueue's visibility timeout (20 s) is shorter than FulfilFunction's timeout (30 s): "
                    "Lambda refuses to create the event source mapping of event OrdersMapping, so the deploy fails",
                    tier="blocking",
                )
            ],
            name="event-source-mapping",
        ),
    ]
    good = [
        Example(_sam(30, "    Properties:\n      VisibilityTimeout: 180\n"), name="six-times"),
        Example(_sam(5, ""), name="default-visibility-is-enough-for-a-short-function"),
        Example(
            {
                "template.yaml": (
                    "Transform: AWS::Serverless-2016-10-31\n"
                    "Parameters:\n"
                    "  OrdersQueueArn:\n"
                    "    Type: String\n"
                    "Resources:\n"
                    "  FulfilFunction:\n"
                    "    Type: AWS::Serverless::Function\n"
                    "    Properties:\n"
                    "      Runtime: python3.13\n"
                    "      Handler: app.handler\n"
                    "      InlineCode: 'def handler(event, context): return {}'\n"
                    "      Timeout: 300\n"
                    "      Events:\n"
                    "        Orders:\n"
                    "          Type: SQS\n"
                    "          Properties:\n"
                    "            Queue: !Ref OrdersQueueArn\n"
                )
            },
            name="imported-queue-is-unknown",
        ),
        Example(
            _sam(
                30,
                "    Properties:\n      VisibilityTimeout: 180\n      FifoQueue: true\n",
                "            MaximumBatchingWindowInSeconds: 20\n",
            ),
            name="fifo-queues-have-no-batching-window",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        seconds = fn.timeout.value
        if not _number(seconds):
            return
        clauses: list[tuple[Tier, str, Any]] = []
        for event in fn.events:
            if event.type != "SQS":
                continue
            queue = ctx.project.event_queue(fn, event)
            if queue is None or queue.type != "AWS::SQS::Queue":
                continue
            view = queue_view(queue)
            visibility = view.visibility_timeout
            if not _number(visibility.value):
                continue
            window = 0 if view.fifo else _window(event)
            if window is None:
                continue
            clause = _clause(fn, event, queue.logical_id, visibility, seconds, window)
            if clause is not None:
                clauses.append((*clause, visibility))
        if not clauses:
            return
        tier: Tier = "blocking" if any(t == "blocking" for t, _, _ in clauses) else "non-blocking"
        one_queue = len({v.loc for _, _, v in clauses}) == 1
        at = clauses[0][2] if one_queue else fn.timeout
        yield Report(at, "; ".join(text for _, text, _ in clauses), tier=tier)


def _clause(fn: Function, event: Event, queue: str, visibility: Located[Any], seconds: float, window: float) -> tuple[Tier, str] | None:
    shown = f"{_s(visibility.value)} s" + (", the SQS default" if visibility.origin == "default" else "")
    where = " (Globals.Function.Timeout)" if fn.timeout.origin == "global" else ""
    if visibility.value < seconds:
        return "blocking", (
            f"{queue}'s visibility timeout ({shown}) is shorter than {fn.name}'s timeout ({_s(seconds)} s{where}): "
            f"Lambda refuses to create the event source mapping of event {event.name}, so the deploy fails"
        )
    needed = RECOMMENDED_FACTOR * seconds + window
    if visibility.value < needed:
        extra = f" + its {_s(window)} s batching window" if window else ""
        return "non-blocking", (
            f"{queue}'s visibility timeout ({shown}) is below the {_s(needed)} s AWS recommends for event "
            f"{event.name} ({RECOMMENDED_FACTOR} x {fn.name}'s {_s(seconds)} s timeout{extra}): a batch retried "
            "after throttling can be received again while the first invocation still runs"
        )
    return None


def _window(event: Event) -> float | None:
    value = event.properties.get("MaximumBatchingWindowInSeconds", 0)
    return value if _number(value) else None


def _number(value: Any) -> bool:
    return known(value) and isinstance(value, (int, float)) and not isinstance(value, bool)


def _s(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
