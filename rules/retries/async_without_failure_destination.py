from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slsreview.loaders.nodes import ListNode, MapNode
from slsreview.model.project import Event, Function, Project, Resource
from slsreview.model.resources import async_permissions, has_on_failure, refers_to
from slsreview.rule import Context, Example, Expect, Report, Rule

# Event types whose SAM event takes its own DeadLetterConfig (SAM creates the queue for {Type: SQS}).
_EVENT_DLQ_TYPES = ("EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2")

_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
_FUNCTION = (
    "  ThumbnailFunction:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Runtime: python3.13\n"
    "      Handler: app.handler\n"
    "      InlineCode: 'def handler(event, context): pass'\n"
)


def _sam(*lines: str, globals_: str = "", resources: str = "") -> dict[str, str]:
    return {"template.yaml": _HEAD + globals_ + "Resources:\n" + _FUNCTION + "".join(lines) + resources}


class AsyncWithoutFailureDestination(Rule):
    """
    ## What it does
    Reports a Lambda function invoked asynchronously -- by an S3 notification, an SNS
    subscription, an EventBridge rule, a schedule, a CloudWatch Logs subscription, an IoT rule, or
    any service an `AWS::Lambda::Permission` in the template lets invoke it (`s3`, `sns`,
    `events`, `logs`, `iot`, `ses`, `config`, `codecommit`) -- that has none of:

    - a dead-letter queue (`DeadLetterQueue` in SAM, `DeadLetterConfig` in CloudFormation, also
      from SAM `Globals`);
    - an on-failure destination in `EventInvokeConfig` (the SAM property, from `Globals` too, or an
      `AWS::Lambda::EventInvokeConfig` resource for the function);
    - for EventBridge rules and schedules, a `DeadLetterConfig` on the event itself
      (`DeadLetterConfig: {Type: SQS}` without an ARN counts: SAM creates the queue).

    One finding per function, at its first asynchronous trigger, naming every one of them.

    Synchronous triggers (`Api`, `HttpApi`, function URLs, Cognito, Alexa) are never reported:
    the caller sees the error and decides. Queues and streams have their own rules (SLS110,
    SLS111). An SNS event with `SqsSubscription` is read through a queue, so it is not
    asynchronous here.

    ## Why is this bad?
    Lambda puts an asynchronous event in its own internal queue and answers the sender at once.
    When the function fails, Lambda retries twice (one minute, then two minutes later) and then
    **discards the event**; events throttled for longer than the maximum event age (six hours by
    default) are discarded too. Without a dead-letter queue or an on-failure destination nothing
    records what was lost: an uploaded file is never thumbnailed, a payment notification is never
    booked, and nobody can replay them.

    A note on event-level dead-letter queues: EventBridge and the scheduler send to that queue the
    events they could not *hand to* Lambda (permissions, throttling, a deleted function). Errors of
    the function itself, after Lambda's retries, go to the function's dead-letter queue or
    on-failure destination. We accept either as a deliberate decision about failures and stay
    silent; add the function-level destination as well when the function's own failures matter.
    An SNS event's `RedrivePolicy` is different: it keeps only the messages SNS could not deliver,
    it is not a decision about the function's failures, and it does not silence this rule.

    ## Why this tier
    Non-blocking: nothing is lost while the function succeeds, and some events (a periodic cache
    refresh) are safe to drop. But a failure will eventually happen, and then the event is gone
    without a trace.

    ## Example
    ```yaml
    ThumbnailFunction:
      Type: AWS::Serverless::Function
      Properties:
        Events:
          Upload:
            Type: S3
            Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}
    ```

    ## Use instead
    ```yaml
    ThumbnailFunction:
      Type: AWS::Serverless::Function
      Properties:
        EventInvokeConfig:
          MaximumRetryAttempts: 2
          DestinationConfig:
            OnFailure:
              Type: SQS
              Destination: !GetAtt ThumbnailFailures.Arn
        Events:
          Upload:
            Type: S3
            Properties: {Bucket: !Ref Uploads, Events: s3:ObjectCreated:*}
    ```
    or `DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt ThumbnailFailures.Arn}`; for an
    EventBridge rule or schedule, `DeadLetterConfig: {Type: SQS}` on the event.

    ## References
    - [Asynchronous invocation](https://docs.aws.amazon.com/lambda/latest/dg/invocation-async.html)
    - [How Lambda handles errors and retries with asynchronous invocation](https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html)
    - [Retain records of asynchronous invocations](https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html)
    - [SAM EventInvokeConfig](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-eventinvokeconfiguration.html)
    - [SAM ScheduleV2 DeadLetterConfig](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-schedulev2.html)
    """

    id = "SLS109"
    name = "async-without-failure-destination"
    category = "retries"
    tier = "non-blocking"
    platforms = ("aws-lambda",)
    title = "An asynchronously invoked function has no dead-letter queue or on-failure destination"
    fix = (
        "Add EventInvokeConfig.DestinationConfig.OnFailure (or DeadLetterQueue) pointing at an SQS "
        "queue or SNS topic, and alarm on it; for EventBridge rules and schedules, DeadLetterConfig "
        "on the event."
    )
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
    )

    bad = [
        Example(
            _sam(
                "      Events:\n"
                "        Upload:\n"
                "          Type: S3\n"
                "          Properties: {Bucket: !Ref Uploads, Events: 's3:ObjectCreated:*'}\n"
                "        Nightly:\n"
                "          Type: Schedule\n"
                "          Properties: {Schedule: rate(1 day)}\n"
                "        Api:\n"
                "          Type: HttpApi\n",
                resources="  Uploads:\n    Type: AWS::S3::Bucket\n",
            ),
            expect=[
                Expect(
                    "template.yaml",
                    11,
                    9,
                    "ThumbnailFunction is invoked asynchronously (S3 event Upload, Schedule event "
                    "Nightly) and has no dead-letter queue or on-failure destination: an event that "
                    "still fails after Lambda's two retries is discarded without a trace",
                )
            ],
            name="s3-and-schedule-one-finding",
        ),
        Example(
            {
                "template.yaml": (
                    "Resources:\n"
                    "  AlertsFunction:\n"
                    "    Type: AWS::Lambda::Function\n"
                    "    Properties:\n"
                    "      Runtime: nodejs22.x\n"
                    "      Handler: index.handler\n"
                    "      Role: arn:aws:iam::123456789012:role/alerts\n"
                    "      Code: {ZipFile: 'exports.handler = async () => {};'}\n"
                    "  AlertsTopic:\n"
                    "    Type: AWS::SNS::Topic\n"
                    "    Properties:\n"
                    "      Subscription: [{Protocol: lambda, Endpoint: !GetAtt AlertsFunction.Arn}]\n"
                    "  AlertsPermission:\n"
                    "    Type: AWS::Lambda::Permission\n"
                    "    Properties:\n"
                    "      Action: lambda:InvokeFunction\n"
                    "      FunctionName: !Ref AlertsFunction\n"
                    "      Principal: sns.amazonaws.com\n"
                    "      SourceArn: !Ref AlertsTopic\n"
                    "  OnlySuccesses:\n"
                    "    Type: AWS::Lambda::EventInvokeConfig\n"
                    "    Properties:\n"
                    "      FunctionName: !Ref AlertsFunction\n"
                    "      Qualifier: $LATEST\n"
                    "      DestinationConfig: {OnSuccess: {Destination: arn:aws:sqs:eu-west-1:123456789012:done}}\n"
                )
            },
            expect=[
                Expect(
                    "template.yaml",
                    13,
                    3,
                    "AlertsFunction is invoked asynchronously (SNS through permission AlertsPermission) "
                    "and has no dead-letter queue or on-failure destination: an event that still fails "
                    "after Lambda's two retries is discarded without a trace",
                )
            ],
            name="plain-cloudformation-permission-and-only-an-on-success-destination",
        ),
        Example(
            _sam(
                "      Events:\n"
                "        Alerts:\n"
                "          Type: SNS\n"
                "          Properties:\n"
                "            Topic: !Ref AlertsTopic\n"
                "            RedrivePolicy: {deadLetterTargetArn: !GetAtt Undeliverable.Arn}\n",
                resources="  AlertsTopic: {Type: AWS::SNS::Topic}\n  Undeliverable: {Type: AWS::SQS::Queue}\n",
            ),
            expect=[
                Expect(
                    "template.yaml",
                    11,
                    9,
                    "ThumbnailFunction is invoked asynchronously (SNS event Alerts) and has no dead-letter "
                    "queue or on-failure destination: an event that still fails after Lambda's two "
                    "retries is discarded without a trace",
                )
            ],
            name="an-sns-redrive-policy-keeps-only-undelivered-messages",
        ),
    ]
    good = [
        Example(
            _sam(
                "      DeadLetterQueue: {Type: SQS, TargetArn: !GetAtt Failures.Arn}\n"
                "      Events:\n"
                "        Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: 's3:ObjectCreated:*'}}\n",
                resources="  Uploads: {Type: AWS::S3::Bucket}\n  Failures: {Type: AWS::SQS::Queue}\n",
            ),
            name="dead-letter-queue",
        ),
        Example(
            _sam(
                "      Events:\n"
                "        Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: 's3:ObjectCreated:*'}}\n",
                globals_=(
                    "Globals:\n  Function:\n    EventInvokeConfig:\n      DestinationConfig:\n"
                    "        OnFailure: {Type: SQS, Destination: !GetAtt Failures.Arn}\n"
                ),
                resources="  Uploads: {Type: AWS::S3::Bucket}\n  Failures: {Type: AWS::SQS::Queue}\n",
            ),
            name="on-failure-destination-from-globals",
        ),
        Example(
            _sam(
                "      Events:\n"
                "        Nightly:\n"
                "          Type: ScheduleV2\n"
                "          Properties:\n"
                "            ScheduleExpression: rate(1 day)\n"
                "            DeadLetterConfig: {Type: SQS}\n"
                "        Orders:\n"
                "          Type: EventBridgeRule\n"
                "          Properties:\n"
                "            Pattern: {source: [shop.orders]}\n"
                "            DeadLetterConfig: {Arn: !GetAtt Failures.Arn}\n",
                resources="  Failures: {Type: AWS::SQS::Queue}\n",
            ),
            name="event-level-dead-letter-config-sam-creates-the-queue",
        ),
        Example(
            _sam(
                "      Events:\n"
                "        Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: 's3:ObjectCreated:*'}}\n",
                resources=(
                    "  Uploads: {Type: AWS::S3::Bucket}\n"
                    "  ThumbnailRetries:\n"
                    "    Type: AWS::Lambda::EventInvokeConfig\n"
                    "    Properties:\n"
                    "      FunctionName: !Ref ThumbnailFunction\n"
                    "      Qualifier: $LATEST\n"
                    "      DestinationConfig: {OnFailure: {Destination: arn:aws:sns:eu-west-1:123456789012:failed}}\n"
                ),
            ),
            name="event-invoke-config-resource",
        ),
        Example(
            _sam(
                "      FunctionUrlConfig: {AuthType: AWS_IAM}\n"
                "      Events:\n"
                "        Api: {Type: Api, Properties: {Path: /thumbs, Method: post}}\n"
                "        Jobs: {Type: SQS, Properties: {Queue: !GetAtt Jobs.Arn}}\n"
                "        Fanout: {Type: SNS, Properties: {Topic: !Ref Topic, SqsSubscription: true}}\n",
                resources="  Jobs: {Type: AWS::SQS::Queue}\n  Topic: {Type: AWS::SNS::Topic}\n",
            ),
            name="synchronous-and-polled-triggers-are-not-asynchronous",
        ),
        Example(
            _sam(
                "      Events:\n"
                "        Api: {Type: HttpApi}\n",
                resources=(
                    "  DeviceAuthorizer:\n"
                    "    Type: AWS::IoT::Authorizer\n"
                    "    Properties: {AuthorizerFunctionArn: !GetAtt ThumbnailFunction.Arn, Status: ACTIVE}\n"
                    "  IotInvokePermission:\n"
                    "    Type: AWS::Lambda::Permission\n"
                    "    Properties: {FunctionName: !Ref ThumbnailFunction, Action: lambda:InvokeFunction, Principal: iot.amazonaws.com}\n"
                    "  MailRule:\n"
                    "    Type: AWS::SES::ReceiptRule\n"
                    "    Properties:\n"
                    "      RuleSetName: inbound\n"
                    "      Rule:\n"
                    "        Actions:\n"
                    "          - LambdaAction: {FunctionArn: !GetAtt ThumbnailFunction.Arn, InvocationType: RequestResponse}\n"
                    "  SesInvokePermission:\n"
                    "    Type: AWS::Lambda::Permission\n"
                    "    Properties: {FunctionName: !Ref ThumbnailFunction, Action: lambda:InvokeFunction, Principal: ses.amazonaws.com}\n"
                ),
            ),
            name="iot-custom-authorizer-and-ses-request-response-are-synchronous",
        ),
        Example(
            _sam(
                "      Events:\n"
                "        Api: {Type: HttpApi}\n",
                resources=(
                    "  OrdersRule:\n"
                    "    Type: AWS::Events::Rule\n"
                    "    Properties:\n"
                    "      EventPattern: {source: [shop.orders]}\n"
                    "      Targets:\n"
                    "        - Id: thumbnails\n"
                    "          Arn: !GetAtt ThumbnailFunction.Arn\n"
                    "          DeadLetterConfig: {Arn: !GetAtt Failures.Arn}\n"
                    "  RuleInvokePermission:\n"
                    "    Type: AWS::Lambda::Permission\n"
                    "    Properties:\n"
                    "      FunctionName: !Ref ThumbnailFunction\n"
                    "      Action: lambda:InvokeFunction\n"
                    "      Principal: events.amazonaws.com\n"
                    "      SourceArn: !GetAtt OrdersRule.Arn\n"
                    "  Failures: {Type: AWS::SQS::Queue}\n"
                ),
            ),
            name="cloudformation-rule-target-dead-letter-config",
        ),
        Example(
            _sam(
                "      Events:\n"
                "        Upload: {Type: S3, Properties: {Bucket: !Ref Uploads, Events: 's3:ObjectCreated:*'}}\n"
                "      DeadLetterQueue: !If [HasQueue, {Type: SQS, TargetArn: !Ref QueueArn}, !Ref AWS::NoValue]\n",
                resources="  Uploads: {Type: AWS::S3::Bucket}\n",
            ),
            name="a-conditional-dead-letter-queue-is-unknown-not-absent",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        triggers = [(e.loc, e.label) for e in fn.events if _unguarded_async(e)]
        for permission, service in async_permissions(fn, ctx.project.in_template(fn.template)):
            if not _target_has_dead_letter(ctx.project, permission, fn):
                triggers.append((permission.loc, f"{service} through permission {permission.logical_id}"))
        if not triggers:
            return
        if fn.dead_letter is not None or has_on_failure(_value(ctx.project.event_invoke_config_of(fn))):
            return
        yield Report(
            triggers[0][0],
            f"{fn.name} is invoked asynchronously ({', '.join(what for _, what in triggers)}) and has "
            "no dead-letter queue or on-failure destination: an event that still fails after "
            "Lambda's two retries is discarded without a trace",
        )


def _unguarded_async(event: Event) -> bool:
    if event.invocation != "async":
        return False
    return not (event.type in _EVENT_DLQ_TYPES and event.properties.get("DeadLetterConfig") is not None)


def _value(located: Any) -> Any:
    return located.value if located is not None else None


def _target_has_dead_letter(project: Project, permission: Resource, fn: Function) -> bool:
    """An EventBridge rule (the permission's SourceArn) whose target for this function has its
    own DeadLetterConfig: the CloudFormation form of SAM's event-level DeadLetterConfig."""
    source = permission.properties.get("SourceArn")
    for rule in project.resources_of("AWS::Events::Rule"):
        if rule.template != fn.template or not refers_to(source, rule.logical_id):
            continue
        targets = rule.properties.get("Targets")
        if isinstance(targets, ListNode):
            for target in targets:
                if isinstance(target, MapNode) and refers_to(target.get("Arn"), fn.name) and target.get("DeadLetterConfig") is not None:
                    return True
    return False
