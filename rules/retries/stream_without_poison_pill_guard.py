from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slsreview.model.project import STREAM_TYPES, Event, Function, known
from slsreview.model.resources import has_on_failure
from slsreview.rule import Context, Example, Expect, Report, Rule

_FUNCTION = (
    "AWSTemplateFormatVersion: '2010-09-09'\n"
    "Transform: AWS::Serverless-2016-10-31\n"
    "Resources:\n"
    "  ProjectionFunction:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Runtime: nodejs22.x\n"
    "      Handler: index.handler\n"
    "      InlineCode: 'exports.handler = async () => {};'\n"
    "      Events:\n"
)
_SOURCES = (
    "  Clicks:\n    Type: AWS::Kinesis::Stream\n    Properties: {ShardCount: 1}\n"
    "  Orders:\n    Type: AWS::DynamoDB::Table\n"
    "    Properties:\n"
    "      BillingMode: PAY_PER_REQUEST\n"
    "      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]\n"
    "      KeySchema: [{AttributeName: pk, KeyType: HASH}]\n"
    "      StreamSpecification: {StreamViewType: NEW_IMAGE}\n"
)


def _sam(events: str, resources: str = _SOURCES) -> dict[str, str]:
    return {"template.yaml": _FUNCTION + events + resources}


class StreamWithoutPoisonPillGuard(Rule):
    """
    ## What it does
    Reports Kinesis and DynamoDB stream triggers (SAM `Kinesis`/`DynamoDB` events, or an
    `AWS::Lambda::EventSourceMapping` reading a stream) that retry a failing batch without bound:
    neither a finite `MaximumRetryAttempts` (0-10000; the default `-1` is infinite) nor a finite
    `MaximumRecordAgeInSeconds` (60-604800; the default `-1` keeps records until the stream drops
    them). One finding per function, at its first such event, naming all of them.

    `BisectBatchOnFunctionError` and an on-failure `DestinationConfig` do not bound the retries
    by themselves: bisecting narrows the failing batch down to the bad record and then retries it
    for as long as the limits allow, and the destination only receives a record once Lambda gives
    up on it. When either is set without a
    bound the message says so, because the author plainly meant to handle poison records.

    ## Why is this bad?
    A stream is read in order, one batch per shard at a time. When the function fails on a
    record, Lambda retries the whole batch, by default until the record expires from the stream
    (24 hours for DynamoDB streams, the retention period -- one day to a year -- for Kinesis). Every
    record behind it in the shard waits: projections go stale, the iterator age climbs, and when
    the bad record finally expires it and everything that expired with it are dropped without a
    trace.

    ## Why this tier
    Non-blocking: nothing goes wrong until a record fails every time, and a team may choose to
    stop the shard on purpose (strict ordering). But the default is rarely chosen deliberately,
    and a poison record stalls the whole shard for up to the stream's retention.

    ## Example
    ```yaml
    Events:
      Changes:
        Type: DynamoDB
        Properties:
          Stream: !GetAtt Orders.StreamArn
          StartingPosition: LATEST
    ```

    ## Use instead
    ```yaml
    Events:
      Changes:
        Type: DynamoDB
        Properties:
          Stream: !GetAtt Orders.StreamArn
          StartingPosition: LATEST
          BisectBatchOnFunctionError: true
          MaximumRetryAttempts: 3
          DestinationConfig:
            OnFailure:
              Destination: !GetAtt ChangesFailures.Arn
    ```

    ## References
    - [Lambda event source mappings](https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html)
    - [Error handling for Kinesis event sources](https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html)
    - [Error handling for DynamoDB streams](https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html)
    - [EventSourceMapping MaximumRetryAttempts and MaximumRecordAgeInSeconds](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-eventsourcemapping.html)
    """

    id = "SLS110"
    name = "stream-without-poison-pill-guard"
    category = "retries"
    tier = "non-blocking"
    platforms = ("aws-lambda",)
    title = "A Kinesis or DynamoDB stream trigger retries a failing record without bound"
    fix = (
        "Set MaximumRetryAttempts (or MaximumRecordAgeInSeconds) on the stream event, with "
        "BisectBatchOnFunctionError: true and an on-failure DestinationConfig to keep the records "
        "it gives up on."
    )
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/kinesis-on-failure-destination.html",
    )

    bad = [
        Example(
            _sam(
                "        Clicks:\n"
                "          Type: Kinesis\n"
                "          Properties: {Stream: !GetAtt Clicks.Arn, StartingPosition: LATEST}\n"
                "        Changes:\n"
                "          Type: DynamoDB\n"
                "          Properties:\n"
                "            Stream: !GetAtt Orders.StreamArn\n"
                "            StartingPosition: LATEST\n"
                "            MaximumRetryAttempts: -1\n"
            ),
            expect=[
                Expect(
                    "template.yaml",
                    11,
                    9,
                    "ProjectionFunction retries a failing stream batch without bound (Kinesis event "
                    "Clicks, DynamoDB event Changes): one bad record holds back its shard until it "
                    "expires from the stream, and is then dropped",
                )
            ],
            name="default-and-explicit-infinite-one-finding",
        ),
        Example(
            _sam(
                "        Changes:\n"
                "          Type: DynamoDB\n"
                "          Properties:\n"
                "            Stream: !GetAtt Orders.StreamArn\n"
                "            StartingPosition: LATEST\n"
                "            BisectBatchOnFunctionError: true\n"
                "            DestinationConfig: {OnFailure: {Destination: !GetAtt Failures.Arn}}\n",
                _SOURCES + "  Failures: {Type: AWS::SQS::Queue}\n",
            ),
            expect=[
                Expect(
                    "template.yaml",
                    11,
                    9,
                    "ProjectionFunction retries a failing stream batch without bound (DynamoDB event "
                    "Changes): one bad record holds back its shard until it expires from the stream, "
                    "and is then dropped; BisectBatchOnFunctionError and the on-failure destination "
                    "only act once a MaximumRetryAttempts or MaximumRecordAgeInSeconds ends the retries",
                )
            ],
            name="bisect-and-destination-without-a-bound",
        ),
        Example(
            {
                "template.yaml": (
                    "Resources:\n"
                    "  ProjectionFunction:\n"
                    "    Type: AWS::Lambda::Function\n"
                    "    Properties:\n"
                    "      Runtime: python3.13\n"
                    "      Handler: index.handler\n"
                    "      Role: arn:aws:iam::123456789012:role/projection\n"
                    "      Code: {ZipFile: 'def handler(event, context): pass'}\n"
                    "  ClicksMapping:\n"
                    "    Type: AWS::Lambda::EventSourceMapping\n"
                    "    Properties:\n"
                    "      FunctionName: !Ref ProjectionFunction\n"
                    "      EventSourceArn: arn:aws:kinesis:eu-west-1:123456789012:stream/clicks\n"
                    "      StartingPosition: TRIM_HORIZON\n"
                )
            },
            expect=[
                Expect(
                    "template.yaml",
                    9,
                    3,
                    "ProjectionFunction retries a failing stream batch without bound (Kinesis event "
                    "source mapping ClicksMapping): one bad record holds back its shard until it "
                    "expires from the stream, and is then dropped",
                )
            ],
            name="event-source-mapping-resource",
        ),
    ]
    good = [
        Example(
            _sam(
                "        Changes:\n"
                "          Type: DynamoDB\n"
                "          Properties:\n"
                "            Stream: !GetAtt Orders.StreamArn\n"
                "            StartingPosition: LATEST\n"
                "            BisectBatchOnFunctionError: true\n"
                "            MaximumRetryAttempts: 3\n"
                "            DestinationConfig: {OnFailure: {Destination: !GetAtt Failures.Arn}}\n"
                "        Clicks:\n"
                "          Type: Kinesis\n"
                "          Properties: {Stream: !GetAtt Clicks.Arn, StartingPosition: LATEST, MaximumRecordAgeInSeconds: 3600}\n",
                _SOURCES + "  Failures: {Type: AWS::SQS::Queue}\n",
            ),
            name="finite-retries-or-age",
        ),
        Example(
            _sam(
                "        Clicks:\n"
                "          Type: Kinesis\n"
                "          Properties: {Stream: !GetAtt Clicks.Arn, StartingPosition: LATEST, MaximumRetryAttempts: !Ref Retries}\n"
                "        Jobs:\n"
                "          Type: SQS\n"
                "          Properties: {Queue: !GetAtt Jobs.Arn}\n",
                _SOURCES + "  Jobs: {Type: AWS::SQS::Queue}\n",
            ),
            name="a-parameter-is-unknown-and-queues-are-not-streams",
        ),
        Example(
            {
                "template.yaml": (
                    "Resources:\n"
                    "  ProjectionFunction:\n"
                    "    Type: AWS::Lambda::Function\n"
                    "    Properties:\n"
                    "      Runtime: python3.13\n"
                    "      Handler: index.handler\n"
                    "      Role: arn:aws:iam::123456789012:role/projection\n"
                    "      Code: {ZipFile: 'def handler(event, context): pass'}\n"
                    "  ClicksMapping:\n"
                    "    Type: AWS::Lambda::EventSourceMapping\n"
                    "    Properties:\n"
                    "      FunctionName: !Ref ProjectionFunction\n"
                    "      EventSourceArn: !Sub arn:${AWS::Partition}:kinesis:${AWS::Region}:${AWS::AccountId}:stream/clicks\n"
                    "      StartingPosition: TRIM_HORIZON\n"
                    "      MaximumRetryAttempts: 2\n"
                )
            },
            name="event-source-mapping-with-a-bound",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        unbounded = [e for e in fn.events if e.type in STREAM_TYPES and not _bounded(e)]
        if not unbounded:
            return
        names = ", ".join(e.label for e in unbounded)
        message = (
            f"{fn.name} retries a failing stream batch without bound ({names}): one bad record holds "
            "back its shard until it expires from the stream, and is then dropped"
        )
        helpers = [
            label
            for label, present in (
                ("BisectBatchOnFunctionError", any(e.properties.get("BisectBatchOnFunctionError") is True for e in unbounded)),
                ("the on-failure destination", any(has_on_failure(e.properties) for e in unbounded)),
            )
            if present
        ]
        if helpers:
            verb = "only act" if len(helpers) > 1 else "only acts"
            message += (
                f"; {' and '.join(helpers)} {verb} once a MaximumRetryAttempts or "
                "MaximumRecordAgeInSeconds ends the retries"
            )
        yield Report(unbounded[0].loc, message)


def _bounded(event: Event) -> bool:
    return _finite(event.properties.get("MaximumRetryAttempts")) or _finite(event.properties.get("MaximumRecordAgeInSeconds"))


def _finite(value: Any) -> bool:
    if value is None:
        return False
    if not known(value):
        return True  # a parameter or condition: unknown until deploy, so not reported
    if isinstance(value, str) and value.lstrip("-").isdigit():
        value = int(value)
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0
