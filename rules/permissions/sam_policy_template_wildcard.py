from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slsreview.loaders.nodes import Intrinsic, MapNode
from slsreview.model.policies import PolicyReference, policy_references
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary import iam, sam_templates

from . import _iam

_SENTINEL = "slsreview-parameter"
_PSEUDO = re.compile(r"\$\{AWS::[A-Za-z]+\}")
# An ARN naming every resource of its type: arn:aws:secretsmanager:*:*:secret:*
_WILDCARD_ARN = re.compile(r"^arn:[^:]*:[^:]*:[^:]*:[^:]*:(?:[A-Za-z-]+[:/])?[*?]+$")
_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"


def _sam_function(policies: str, extra: str = "") -> dict[str, str]:
    return {
        "template.yaml": _HEAD + "  OrdersFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.13\n"
        "      Handler: app.handler\n"
        "      InlineCode: 'def handler(event, context): pass'\n"
        "      Policies:\n" + policies + extra
    }


def is_wildcard_argument(value: Any) -> bool:
    """``"*"`` (or only ``*``/``?``), or an ARN whose name part is only wildcards."""
    if not isinstance(value, str) or value == "":
        return False
    return value.strip("*?") == "" or bool(_WILDCARD_ARN.match(_PSEUDO.sub("*", value)))


class SamPolicyTemplateWildcard(Rule):
    """
    ## What it does
    Reports a SAM policy template (`DynamoDBCrudPolicy`, `S3ReadPolicy`, `SQSSendMessagePolicy`,
    ... any of the 81 templates of aws-sam-translator 1.115.0, generated into
    `slsreview/vocabulary/data/sam_policy_templates.json`) given a wildcard for a parameter that
    names its resources: `TableName: "*"`, `BucketName: "*"`, `QueueName: "*"`,
    `FunctionName: "*"`, `SecretArn: "*"`, or an ARN whose name part is only `*`. The template is
    expanded the way SAM expands it, so the finding says which actions end up on which
    resources. One finding per argument, in the `Policies` of functions and state machines.

    A prefix (`TableName: "orders-*"`) is a deliberate family of resources and is not reported.

    ## Why is this bad?
    A policy template reads as least privilege -- `DynamoDBCrudPolicy` sounds like "this table"
    -- but with `TableName: "*"` SAM writes
    `arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*`: create, read,
    update and delete on every table in the account and region, other teams' included. Nobody
    reviewing the template sees a `Resource: "*"` to worry about, so it survives review.

    ## Why this tier
    Blocking when the template's actions on the wildcard include writes or permission changes
    (as IAM classifies them): every resource of the kind can be changed or deleted.
    Non-blocking when they only read (`S3ReadPolicy`, `DynamoDBReadPolicy`): every resource of
    the kind can be read, a real exposure that changes nothing.

    ## Example
    ```yaml
    Policies:
      - DynamoDBCrudPolicy:
          TableName: "*"
    ```

    ## Use instead
    ```yaml
    Policies:
      - DynamoDBCrudPolicy:
          TableName: !Ref OrdersTable
    ```

    ## References
    - [AWS SAM policy templates](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html)
    - [AWS SAM policy template list](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html)
    - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    """


    id = "SLS310"
    name = "sam-policy-template-wildcard"
    category = "permissions"
    tier = "blocking"
    platforms = ("aws-lambda",)
    title = 'A SAM policy template is given "*" for the resource it should name'
    fix = "Pass the resource the code uses (TableName: !Ref OrdersTable, BucketName: !Ref ReceiptsBucket)."
    docs = (
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-template-list.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html",
    )

    bad = [
        Example(
            _sam_function("        - DynamoDBCrudPolicy:\n            TableName: '*'\n"),
            expect=[
                Expect(
                    "template.yaml",
                    12,
                    24,
                    "OrdersFunction's DynamoDBCrudPolicy has TableName \"*\": SAM grants dynamodb:DeleteItem, "
                    "dynamodb:PutItem, dynamodb:UpdateItem, dynamodb:BatchWriteItem and 6 more (4 write, 6 read) on "
                    "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/* and "
                    "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*/index/*, every one "
                    "in the account instead of the one the code uses",
                    tier="blocking",
                )
            ],
            name="crud-on-every-table",
        ),
        Example(
            {
                "template.json": (
                    "{\n"
                    '  "Transform": "AWS::Serverless-2016-10-31",\n'
                    '  "Resources": {\n'
                    '    "ThumbnailFunction": {\n'
                    '      "Type": "AWS::Serverless::Function",\n'
                    '      "Properties": {\n'
                    '        "Runtime": "nodejs22.x",\n'
                    '        "Handler": "index.handler",\n'
                    '        "InlineCode": "exports.handler = async () => {};",\n'
                    '        "Policies": [{"S3ReadPolicy": {"BucketName": "*"}}, {"SQSSendMessagePolicy": {"QueueName": "thumbnails"}}]\n'
                    "      }\n"
                    "    }\n"
                    "  }\n"
                    "}\n"
                )
            },
            expect=[
                Expect(
                    "template.json",
                    10,
                    54,
                    "ThumbnailFunction's S3ReadPolicy has BucketName \"*\": SAM grants s3:GetObject, s3:GetBucketLocation, "
                    "s3:GetObjectVersion, s3:GetLifecycleConfiguration and 1 more (4 read, 1 list) on "
                    "arn:${AWS::Partition}:s3:::* and arn:${AWS::Partition}:s3:::*/*, every one in the account "
                    "instead of the one the code uses",
                    tier="non-blocking",
                )
            ],
            name="reads-of-every-bucket-in-json",
        ),
        Example(
            {
                "template.yaml": _HEAD + "  OrderFlow:\n"
                "    Type: AWS::Serverless::StateMachine\n"
                "    Properties:\n"
                "      DefinitionUri: statemachine/orders.asl.json\n"
                "      Policies:\n"
                "        - LambdaInvokePolicy: {FunctionName: '*'}\n"
                "        - AWSSecretsManagerGetSecretValuePolicy:\n"
                "            SecretArn: !Sub arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*\n"
            },
            expect=[
                Expect(
                    "template.yaml",
                    9,
                    46,
                    "OrderFlow's LambdaInvokePolicy has FunctionName \"*\": SAM grants lambda:InvokeFunction "
                    "(1 write) on arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:**, "
                    "every one in the account instead of the one the code uses",
                    tier="blocking",
                ),
                Expect(
                    "template.yaml",
                    11,
                    24,
                    "OrderFlow's AWSSecretsManagerGetSecretValuePolicy has SecretArn "
                    '"arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*": SAM grants '
                    "secretsmanager:GetSecretValue (1 read) on "
                    "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*, every one in "
                    "the account instead of the one the code uses",
                    tier="non-blocking",
                ),
            ],
            name="state-machine-and-a-wildcard-arn",
        ),
    ]
    good = [
        Example(
            _sam_function(
                "        - DynamoDBCrudPolicy:\n"
                "            TableName: !Ref OrdersTable\n"
                "        - SQSPollerPolicy:\n"
                "            QueueName: orders-*\n"
                "        - CloudWatchPutMetricPolicy: {}\n",
                "  OrdersTable:\n    Type: AWS::DynamoDB::Table\n",
            ),
            name="named-resource-prefix-and-a-template-without-parameters",
        ),
        Example(
            _sam_function("        - NoSuchPolicy:\n            TableName: '*'\n"),
            name="not-a-sam-policy-template",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        for ref in policy_references(ctx.project):
            if ref.kind == "template" and isinstance(ref.value, MapNode):
                yield from self._check(ref, ref.value)

    def _check(self, ref: PolicyReference, arguments: MapNode) -> Iterator[Report]:
        parameters = sam_templates.parameters(ref.name)
        if parameters is None:
            return
        for parameter in parameters:
            value = arguments.get(parameter)
            text = value if isinstance(value, str) else _sub_text(value)
            if text is None or not is_wildcard_argument(text):
                continue
            marked = sam_templates.expand(ref.name, {**arguments, parameter: _SENTINEL})
            expanded = sam_templates.expand(ref.name, {**arguments, parameter: text})
            if marked is None or expanded is None:
                continue
            actions: dict[str, iam.Action] = {}
            resources: list[str] = []
            for marked_statement, statement in zip(marked.statements, expanded.statements, strict=True):
                hit = [r.text for m, r in zip(marked_statement.resources, statement.resources, strict=True) if _SENTINEL in m.text]
                if not hit:
                    continue
                resources.extend(t for t in hit if t not in resources)
                for pattern in statement.actions:
                    for found in iam.expand(pattern):
                        if not _iam.needs_wildcard(found):
                            actions.setdefault(found.name, found)
            if not resources or not actions:
                continue
            ordered = sorted(actions.values(), key=lambda a: _iam.LEVELS.index(a.access_level))
            levels = {a.access_level for a in ordered}
            tier = "blocking" if levels & {"Write", "Permissions management"} else "non-blocking"
            shown = ", ".join(a.name for a in ordered[:4]) + (f" and {len(ordered) - 4} more" if len(ordered) > 4 else "")
            yield Report(
                arguments.loc(parameter),
                f'{ref.owner.logical_id}\'s {ref.name} has {parameter} "{text}": SAM grants {shown} '
                f"({_iam.summary(ordered)}) on {' and '.join(resources)}, every one in the account instead "
                "of the one the code uses",
                tier=tier,  # type: ignore[arg-type]
                subject=ref.owner.function,
            )


def _sub_text(value: Any) -> str | None:
    """``!Sub`` text that uses only pseudo parameters, as written."""
    if isinstance(value, Intrinsic) and value.name == "Fn::Sub" and isinstance(value.value, str):
        rest = _PSEUDO.sub("", value.value)
        return value.value if "${" not in rest else None
    return None
