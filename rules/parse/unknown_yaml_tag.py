from collections.abc import Iterator

from slsreview.location import Location
from slsreview.rule import Context, Example, Expect, Report, Rule

_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.13
      Handler: app.handler
      Role: {role}
"""


class UnknownYamlTag(Rule):
    """
    ## What it does
    Reports a YAML tag in a template that is not one of CloudFormation's intrinsic function tags
    (`!Ref`, `!Sub`, `!GetAtt`, `!If`, `!Join`, ...), such as a misspelt `!GetAttr`.

    ## Why is this bad?
    CloudFormation rejects a template with an unknown tag, and tools that load YAML leniently
    (including the SAM CLI's local commands) may treat the value as a plain string, so the mistake
    survives local testing and fails at deploy time.

    ## Why this tier
    Blocking: the template will not deploy.

    ## Example
    ```yaml
    Role: !GetAttr OrdersRole.Arn
    ```

    ## Use instead
    ```yaml
    Role: !GetAtt OrdersRole.Arn
    ```

    ## References
    - [Intrinsic function reference](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html)
    """

    id = "SLS005"
    name = "unknown-yaml-tag"
    category = "parse"
    tier = "blocking"
    platforms = ("aws-lambda",)
    title = "A template uses a YAML tag that is not a CloudFormation intrinsic function"
    fix = "Use one of CloudFormation's intrinsic function tags (!Ref, !GetAtt, !Sub, ...) or the long form (Fn::...)."
    docs = ("https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html",)

    bad = [
        Example(
            {"template.yaml": _TEMPLATE.format(role="!GetAttr OrdersRole.Arn")},
            expect=[
                Expect(
                    "template.yaml",
                    9,
                    13,
                    "unknown tag !GetAttr; CloudFormation accepts only its intrinsic function tags",
                )
            ],
        )
    ]
    good = [Example({"template.yaml": _TEMPLATE.format(role="!GetAtt OrdersRole.Arn")})]

    def check(self, ctx: Context) -> Iterator[Report]:
        for path, problems in sorted(ctx.project.problems.items()):
            for problem in problems:
                if problem.kind == "unknown-tag":
                    yield Report(Location(path, *problem.span), problem.message)
