from __future__ import annotations

from collections.abc import Iterator

from slsreview.model.project import Function
from slsreview.rule import Context, Example, Expect, Report, Rule

_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"
_FUNCTION = (
    "  OrdersFunction:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Runtime: python3.13\n"
    "      Handler: app.handler\n"
    "      Timeout: 10\n"
    "      InlineCode: 'def handler(event, context): return {}'\n"
)


def _alarm(name: str, body: str) -> str:
    return f"  {name}:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n{body}"


_ERRORS = (
    "      Namespace: AWS/Lambda\n"
    "      MetricName: Errors\n"
    "      Statistic: Sum\n"
    "      Period: 60\n"
    "      EvaluationPeriods: 1\n"
    "      Threshold: 1\n"
    "      ComparisonOperator: GreaterThanOrEqualToThreshold\n"
)


class NoErrorAlarm(Rule):
    """
    ## What it does
    Reports a Lambda function that no CloudWatch alarm of its template watches for failures. An
    alarm counts when it watches:

    - the `AWS/Lambda` `Errors` metric with the function's `FunctionName` (or `Resource`)
      dimension, written as `!Ref Function`, `!Sub "${Function}"` or the literal `FunctionName`;
    - the same metric inside a metric math alarm (`Metrics: [{MetricStat: ...}]`), or a metric
      math `SEARCH` expression over `AWS/Lambda` `Errors`;
    - `AWS/Lambda` `Errors` with no dimension at all: the account-wide aggregate, which goes off
      when any function of the account and Region fails (coarse, but somebody is told);
    - the metric an `AWS::Logs::MetricFilter` extracts from the function's log group (an
      "ERROR" pattern, say);
    - for a function whose only triggers are API routes, the server errors of those APIs
      (`AWS/ApiGateway` `5XXError` with the REST API's `ApiName`, `5xx` with the HTTP API's
      `ApiId`, as `!Ref Api` or the API's `Name`): a failed invocation is a 5xx answer there.
      An alarm whose `ApiName` is a literal that is not the API's `Name` watches nothing (SAM
      names an API without `Name` after its stack) and does not count.

    A composite alarm combines alarms; it covers what the alarms it combines cover, and adds
    nothing of its own. One finding per function, on its logical id.

    Alarms defined elsewhere (a monitoring stack, an organisation-wide alarm, a third-party
    monitor) cannot be seen from this template: the message says so, and the finding is
    non-blocking. Suppress it on the function with the name of the alarm that covers it.

    ## Why is this bad?
    Lambda records every failed invocation in the `Errors` metric, and that is all: nothing tells
    a person. A function whose every invocation fails after a bad deploy (a missing permission, a
    changed payload) fails silently until a customer notices; asynchronous and queue-driven
    functions do not even have a caller to complain. The seed checklist's observability row asks
    for the alarm before the deploy.

    ## Why this tier
    Non-blocking: the function runs without an alarm, and the alarm may live in another stack; but
    a function nobody is told about when it fails should not stay that way.

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
      OrdersErrors:
        Type: AWS::CloudWatch::Alarm
        Properties:
          Namespace: AWS/Lambda
          MetricName: Errors
          Dimensions: [{Name: FunctionName, Value: !Ref OrdersFunction}]
          Statistic: Sum
          Period: 60
          EvaluationPeriods: 1
          Threshold: 1
          ComparisonOperator: GreaterThanOrEqualToThreshold
          AlarmActions: [!Ref OnCallTopic]
    ```

    ## References
    - [Types of metrics for Lambda functions (Errors)](https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html)
    - [Creating CloudWatch alarms for Lambda](https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-alarms.html)
    - [AWS::CloudWatch::Alarm](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-alarm.html)
    - [Alarms on metric math expressions](https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html)
    """

    id = "SLS502"
    name = "no-error-alarm"
    category = "observability"
    tier = "non-blocking"
    platforms = ("aws-lambda",)
    title = "No CloudWatch alarm watches a function's errors"
    fix = (
        "Add an AWS::CloudWatch::Alarm on AWS/Lambda Errors with Dimensions [{Name: FunctionName, Value: !Ref "
        "Function}] and an AlarmActions target someone reads (or suppress this with the alarm's name if another "
        "stack defines it)."
    )
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-alarms.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html",
    )

    bad = [
        Example(
            {"template.yaml": _HEAD + _FUNCTION},
            expect=[
                Expect(
                    "template.yaml",
                    4,
                    3,
                    "No alarm in its template watches OrdersFunction's errors: when it fails, Lambda counts the "
                    "failure in the Errors metric and tells nobody (an alarm defined in another stack would also do)",
                )
            ],
            name="no-alarm",
        ),
        Example(
            {
                "template.yaml": _HEAD
                + _FUNCTION
                + _alarm(
                    "OrdersThrottles",
                    "      Namespace: AWS/Lambda\n"
                    "      MetricName: Throttles\n"
                    "      Dimensions: [{Name: FunctionName, Value: !Ref OrdersFunction}]\n"
                    "      Statistic: Sum\n      Period: 60\n      EvaluationPeriods: 1\n      Threshold: 1\n"
                    "      ComparisonOperator: GreaterThanOrEqualToThreshold\n",
                )
                + _alarm(
                    "RefundsErrors",
                    _ERRORS + "      Dimensions: [{Name: FunctionName, Value: !Ref RefundsFunction}]\n",
                )
                + _FUNCTION.replace("OrdersFunction", "RefundsFunction")
            },
            expect=[
                Expect(
                    "template.yaml",
                    4,
                    3,
                    "No alarm in its template watches OrdersFunction's errors: when it fails, Lambda counts the "
                    "failure in the Errors metric and tells nobody (an alarm defined in another stack would also do)",
                )
            ],
            name="an-alarm-on-throttles-and-one-on-another-function",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _HEAD
                + _FUNCTION
                + _alarm("OrdersErrors", _ERRORS + "      Dimensions: [{Name: FunctionName, Value: !Ref OrdersFunction}]\n")
            },
            name="errors-alarm-on-the-function",
        ),
        Example(
            {"template.yaml": _HEAD + _FUNCTION + _alarm("AnyFunctionErrors", _ERRORS)},
            name="account-wide-errors-alarm-without-dimensions",
        ),
        Example(
            {
                "template.yaml": _HEAD
                + _FUNCTION
                + _alarm(
                    "OrdersErrorRate",
                    "      EvaluationPeriods: 1\n"
                    "      Threshold: 5\n"
                    "      ComparisonOperator: GreaterThanThreshold\n"
                    "      Metrics:\n"
                    "        - Id: rate\n"
                    "          Expression: 100 * errors / invocations\n"
                    "        - Id: errors\n"
                    "          ReturnData: false\n"
                    "          MetricStat:\n"
                    "            Metric:\n"
                    "              Namespace: AWS/Lambda\n"
                    "              MetricName: Errors\n"
                    "              Dimensions: [{Name: FunctionName, Value: !Sub '${OrdersFunction}'}]\n"
                    "            Period: 60\n"
                    "            Stat: Sum\n"
                    "        - Id: invocations\n"
                    "          ReturnData: false\n"
                    "          MetricStat:\n"
                    "            Metric:\n"
                    "              Namespace: AWS/Lambda\n"
                    "              MetricName: Invocations\n"
                    "              Dimensions: [{Name: FunctionName, Value: !Sub '${OrdersFunction}'}]\n"
                    "            Period: 60\n"
                    "            Stat: Sum\n",
                )
            },
            name="metric-math-error-rate",
        ),
        Example(
            {
                "template.yaml": _HEAD
                + _FUNCTION
                + "      LoggingConfig:\n        LogGroup: !Ref OrdersLogs\n"
                + "  OrdersLogs:\n    Type: AWS::Logs::LogGroup\n    Properties:\n      RetentionInDays: 30\n"
                + "  OrdersErrorLines:\n"
                "    Type: AWS::Logs::MetricFilter\n"
                "    Properties:\n"
                "      LogGroupName: !Ref OrdersLogs\n"
                "      FilterPattern: '\"ERROR\"'\n"
                "      MetricTransformations:\n"
                "        - {MetricNamespace: Orders, MetricName: ErrorLines, MetricValue: '1'}\n"
                + _alarm(
                    "OrdersErrorLinesAlarm",
                    "      Namespace: Orders\n      MetricName: ErrorLines\n      Statistic: Sum\n      Period: 60\n"
                    "      EvaluationPeriods: 1\n      Threshold: 1\n      ComparisonOperator: GreaterThanOrEqualToThreshold\n",
                )
            },
            name="alarm-on-a-metric-filter-of-its-log-group",
        ),
        Example(
            {
                "template.yaml": _HEAD
                + _FUNCTION
                + "      Events:\n"
                "        Create:\n"
                "          Type: Api\n"
                "          Properties: {RestApiId: !Ref OrdersApi, Path: /orders, Method: POST}\n"
                "  OrdersApi:\n"
                "    Type: AWS::Serverless::Api\n"
                "    Properties:\n"
                "      Name: orders-api\n"
                "      StageName: prod\n"
                + _alarm(
                    "OrdersApiServerErrors",
                    "      Namespace: AWS/ApiGateway\n      MetricName: 5XXError\n"
                    "      Dimensions: [{Name: ApiName, Value: orders-api}]\n"
                    "      Statistic: Sum\n      Period: 60\n      EvaluationPeriods: 1\n      Threshold: 1\n"
                    "      ComparisonOperator: GreaterThanOrEqualToThreshold\n",
                )
            },
            name="api-only-function-with-a-5xx-alarm-on-its-api",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        if ctx.project.error_alarms_for(fn):
            return
        yield Report(
            fn,
            f"No alarm in its template watches {fn.name}'s errors: when it fails, Lambda counts the failure in the "
            "Errors metric and tells nobody (an alarm defined in another stack would also do)",
        )
