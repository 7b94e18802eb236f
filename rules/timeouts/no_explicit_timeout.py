from __future__ import annotations

from collections.abc import Iterator

from slsreview.model.project import Function
from slsreview.rule import Context, Example, Expect, Report, Rule

_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"


def _function(name: str, extra: str = "") -> str:
    return (
        f"  {name}:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.13\n"
        "      Handler: app.handler\n"
        "      InlineCode: 'def handler(event, context): return {}'\n"
        f"{extra}"
    )


class NoExplicitTimeout(Rule):
    """
    ## What it does
    Reports a Lambda function whose timeout nobody chose: neither the function nor SAM's
    `Globals.Function` sets `Timeout` (and, for a plain `AWS::Lambda::Function`, the resource does
    not), so Lambda's default of 3 seconds applies.

    One finding per function, on its logical id (the owner of the missing key). The decision is
    per function: how long one invocation may take depends on what that function waits for, and a
    new function added to a template without a timeout is a new omission that `--diff` and
    baselines must show on its own. A global timeout counts as a choice, so a template that sets
    `Globals.Function.Timeout` has no findings.

    ## Why is this bad?
    The 3-second default is nobody's decision. A function that calls a database, a queue or an
    HTTP API fails at 3 s the first time a dependency is slow (a cold connection, a retry inside
    the SDK), with a generic "Task timed out" and no handled error; and a function that should
    give up fast gets no deliberate bound either. The timeout also decides what else must be
    consistent with it: the API Gateway integration timeout (SLS402), the SQS visibility timeout
    (SLS403) and the outbound calls' own timeouts (SLS404).

    ## Why this tier
    Non-blocking: the function deploys and runs, and 3 s may even be right, but the value should be
    written down by someone who knows what the function waits for.

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
    Globals:
      Function:
        Timeout: 10        # or Timeout on each function
    Resources:
      OrdersFunction:
        Type: AWS::Serverless::Function
        Properties:
          Runtime: python3.13
          Handler: app.handler
    ```

    ## References
    - [Configure Lambda function timeout](https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html)
    - [AWS::Serverless::Function Timeout](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-timeout)
    - [SAM Globals](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy-globals.html)
    """

    id = "SLS401"
    name = "no-explicit-timeout"
    category = "timeouts"
    tier = "non-blocking"
    platforms = ("aws-lambda",)
    title = "A Lambda function runs with the default 3-second timeout nobody chose"
    fix = "Set Timeout on the function (or Globals.Function.Timeout) to the longest one invocation should take, with margin over its slowest dependency."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-function.html#sam-function-timeout",
    )

    bad = [
        Example(
            {"template.yaml": _HEAD + "Resources:\n" + _function("OrdersFunction")},
            expect=[
                Expect(
                    "template.yaml",
                    4,
                    3,
                    "OrdersFunction sets no Timeout, and Globals.Function sets none either: it runs with "
                    "Lambda's default of 3 s, a limit nobody chose",
                )
            ],
            name="sam-function-without-timeout",
        ),
        Example(
            {
                "template.yaml": _HEAD
                + "Globals:\n  Function:\n    MemorySize: 256\nResources:\n"
                + _function("OrdersFunction", "      Timeout: 10\n")
                + _function("RefundsFunction")
            },
            expect=[
                Expect(
                    "template.yaml",
                    14,
                    3,
                    "RefundsFunction sets no Timeout, and Globals.Function sets none either: it runs with "
                    "Lambda's default of 3 s, a limit nobody chose",
                )
            ],
            name="one-of-two-functions",
        ),
        Example(
            {
                "template.yaml": (
                    "AWSTemplateFormatVersion: '2010-09-09'\n"
                    "Resources:\n"
                    "  ResizeFunction:\n"
                    "    Type: AWS::Lambda::Function\n"
                    "    Properties:\n"
                    "      Runtime: nodejs22.x\n"
                    "      Handler: index.handler\n"
                    "      Role: arn:aws:iam::123456789012:role/resize\n"
                    "      Code:\n"
                    "        ZipFile: 'exports.handler = async () => ({});'\n"
                )
            },
            expect=[
                Expect(
                    "template.yaml",
                    3,
                    3,
                    "ResizeFunction sets no Timeout: it runs with Lambda's default of 3 s, a limit nobody chose",
                )
            ],
            name="plain-cloudformation-function",
        ),
    ]
    good = [
        Example({"template.yaml": _HEAD + "Resources:\n" + _function("OrdersFunction", "      Timeout: 10\n")}, name="explicit"),
        Example(
            {"template.yaml": _HEAD + "Globals:\n  Function:\n    Timeout: 15\nResources:\n" + _function("OrdersFunction")},
            name="set-in-globals",
        ),
        Example(
            {
                "template.yaml": _HEAD
                + "Parameters:\n  FunctionTimeout:\n    Type: Number\nResources:\n"
                + _function("OrdersFunction", "      Timeout: !Ref FunctionTimeout\n")
            },
            name="parameter-is-a-choice",
        ),
    ]

    def check_function(self, fn: Function, ctx: Context) -> Iterator[Report]:
        if fn.timeout.origin != "default":
            return
        also = ", and Globals.Function sets none either" if fn.resource.type == "AWS::Serverless::Function" else ""
        yield Report(
            fn,
            f"{fn.name} sets no Timeout{also}: it runs with Lambda's default of {fn.timeout.value} s, a limit nobody chose",
        )
