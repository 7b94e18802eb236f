from __future__ import annotations

from collections.abc import Iterator

from slsreview.loaders.nodes import MapNode
from slsreview.model.project import Function
from slsreview.rule import Context, Example, Expect, Report, Rule

_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"


def _function(extra: str = "", name: str = "OrdersFunction") -> str:
    return (
        f"  {name}:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.13\n"
        "      Handler: app.handler\n"
        "      Timeout: 10\n"
        "      InlineCode: 'def handler(event, context): return {}'\n"
        f"{extra}"
    )


def _group(name: str, props: str) -> str:
    return f"  {name}:\n    Type: AWS::Logs::LogGroup\n    Properties:\n{props}"


class LogsKeptForever(Rule):
    """
    ## What it does
    Reports a Lambda function whose logs the template keeps forever: no `AWS::Logs::LogGroup` of
    the template is the function's log group, or the one that is sets no `RetentionInDays`.

    The function's log group is the one its `LoggingConfig.LogGroup` names (`!Ref Group`, or the
    group's `LogGroupName` spelled out), or the one named `/aws/lambda/<function>`
    (`!Sub /aws/lambda/${Function}`, or the literal name when `FunctionName` is set). A function
    whose `LoggingConfig.LogGroup` names a group that is not in this template writes to a group
    managed elsewhere; its retention is decided there, and the function is not reported.

    One finding per function: on the log group when it exists without retention, on the function
    when no group is declared.

    ## Why is this bad?
    Without a declared group, Lambda creates `/aws/lambda/<function>` on the first invocation,
    outside the stack, with CloudWatch's default retention: never expire. The logs (often with
    request data in them) are kept and billed forever, and `sam delete` leaves the group behind.
    A declared group without `RetentionInDays` is removed with the stack but still never expires
    while it lives.

    Many real SAM projects declare no log group at all: this finding is true there, which is why
    it does not block.

    ## Why this tier
    Non-blocking: nothing breaks; the cost and the data kept grow slowly, and how long to keep logs
    is a decision someone should write down.

    ## Example
    ```yaml
    Resources:
      OrdersFunction:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.13
          Handler: app.handler
    ```

    ## Use instead
    ```yaml
    Resources:
      OrdersFunction:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.13
          Handler: app.handler
          LoggingConfig:
            LogGroup: !Ref OrdersLogs
      OrdersLogs:
        Type: AWS::Logs::LogGroup
        Properties:
          RetentionInDays: 30
    ```

    ## References
    - [Lambda: sending function logs to CloudWatch Logs, custom log groups](https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html)
    - [AWS::Logs::LogGroup RetentionInDays](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-loggroup.html)
    - [CloudWatch Logs: change log data retention](https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/Working-with-log-groups-and-streams.html#SettingLogRetention)
    """

    id = "SLS505"
    name = "logs-kept-forever"
    category = "cleanup"
    tier = "non-blocking"
    platforms = ("aws-lambda",)
    title = "A function's logs never expire: no log group with RetentionInDays in the template"
    fix = (
        "Declare the function's log group (AWS::Logs::LogGroup named !Sub /aws/lambda/${Function}, or referenced "
        "from LoggingConfig.LogGroup) with RetentionInDays."
    )
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-loggroups.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-logs-loggroup.html",
    )

    bad = [
        Example(
            {"template.yaml": _HEAD + _function()},
            expect=[
                Expect(
                    "template.yaml",
                    4,
                    3,
                    "OrdersFunction has no log group in its template: Lambda creates /aws/lambda/<function> on the "
                    "first invocation, outside the stack, and CloudWatch keeps its logs forever",
                )
            ],
            name="no-log-group",
        ),
        Example(
            {
                "template.yaml": _HEAD
                + _function("      LoggingConfig:\n        LogFormat: JSON\n        LogGroup: !Ref OrdersLogs\n")
                + _group("OrdersLogs", "      LogGroupName: orders-app\n")
            },
            expect=[
                Expect(
                    "template.yaml",
                    14,
                    3,
                    "OrdersLogs, the log group of OrdersFunction, sets no RetentionInDays: CloudWatch keeps its logs "
                    "forever",
                )
            ],
            name="group-from-logging-config-without-retention",
        ),
        Example(
            {
                "template.yaml": _HEAD
                + _function()
                + _group("OrdersLogs", "      LogGroupName: !Sub /aws/lambda/${OrdersFunction}\n")
            },
            expect=[
                Expect(
                    "template.yaml",
                    11,
                    3,
                    "OrdersLogs, the log group of OrdersFunction, sets no RetentionInDays: CloudWatch keeps its logs "
                    "forever",
                )
            ],
            name="group-named-after-the-function-without-retention",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _HEAD
                + _function()
                + _group("OrdersLogs", "      LogGroupName: !Sub /aws/lambda/${OrdersFunction}\n      RetentionInDays: 30\n")
            },
            name="group-named-after-the-function",
        ),
        Example(
            {
                "template.yaml": _HEAD
                + _function("      LoggingConfig:\n        LogGroup: !Ref OrdersLogs\n")
                + _group("OrdersLogs", "      RetentionInDays: 14\n")
            },
            name="group-referenced-from-logging-config",
        ),
        Example(
            {
                "template.yaml": _HEAD
                + _function("      FunctionName: !Sub ${AWS::StackName}-orders\n")
                + _group("OrdersLogs", "      LogGroupName: !Sub /aws/lambda/${AWS::StackName}-orders\n      RetentionInDays: 7\n")
            },
            name="group-named-like-the-function-name-sub",
        ),
        Example(
            {"template.yaml": _HEAD + _function("      LoggingConfig:\n        LogGroup: /shared/platform-logs\n")},
            name="group-managed-outside-the-template",
        ),
        Example(
            {
                "template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
                "Parameters:\n  LogRetention:\n    Type: Number\n    Default: 30\nResources:\n"
                + _function("      LoggingConfig:\n        LogGroup: !Ref OrdersLogs\n")
                + _group("OrdersLogs", "      RetentionInDays: !Ref LogRetention\n")
            },
            name="retention-from-a-parameter",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        group = ctx.project.log_group_of(fn)
        if group is None:
            logging = fn.properties.get("LoggingConfig")
            if isinstance(logging, MapNode) and logging.get("LogGroup") is not None:
                return  # a group managed elsewhere: its retention is decided there
            yield Report(
                fn,
                f"{fn.name} has no log group in its template: Lambda creates /aws/lambda/<function> on the first "
                "invocation, outside the stack, and CloudWatch keeps its logs forever",
            )
            return
        if group.prop("RetentionInDays") is None:
            yield Report(
                group,
                f"{group.logical_id}, the log group of {fn.name}, sets no RetentionInDays: CloudWatch keeps its logs forever",
                fix="Add RetentionInDays (7, 14, 30, 90... days) to the log group.",
                subject=fn,
            )
