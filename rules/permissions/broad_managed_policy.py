from __future__ import annotations

from collections.abc import Iterator

from slsreview.model.policies import policy_references
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary import managed_policies

# The AWS managed policies that hand over the account, and what each one grants.
ACCOUNT_WIDE = {
    "AdministratorAccess": "every action on every resource of the account",
    "PowerUserAccess": "every action on every resource except managing IAM users, roles and Organizations",
    "IAMFullAccess": "every IAM action, so it can create a role with AdministratorAccess and use it",
}
# Read access to every service: every S3 object and DynamoDB item of the account among the rest.
# (ViewOnlyAccess lists and describes resources without reading their data: not reported.)
ACCOUNT_WIDE_READ = {
    "ReadOnlyAccess": "read access to nearly every service on every resource of the account, "
    "every S3 object and DynamoDB item included",
}
_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"


def _sam_function(policies: str) -> dict[str, str]:
    return {
        "template.yaml": _HEAD + "  OrdersFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.13\n"
        "      Handler: app.handler\n"
        "      InlineCode: 'def handler(event, context): pass'\n"
        "      Policies:" + policies
    }


def is_full_access(name: str) -> bool:
    """AWS's naming for a service's every-action policy: ``AmazonS3FullAccess``, ``AWSLambda_FullAccess``."""
    return name.endswith("FullAccess")


class BroadManagedPolicy(Rule):
    """
    ## What it does
    Reports an AWS managed policy that grants far more than a function needs, named in SAM
    `Policies` (by name or ARN, on functions and state machines) or in the `ManagedPolicyArns` of
    an `AWS::IAM::Role`, `User` or `Group`: `AdministratorAccess`, `PowerUserAccess` and
    `IAMFullAccess`, every service's `*FullAccess` policy (`AmazonS3FullAccess`,
    `AmazonDynamoDBFullAccess`, `AWSLambda_FullAccess`, ...), and `ReadOnlyAccess`. ARNs are read in every form a
    template writes them: `arn:aws:iam::aws:policy/...`, `!Sub arn:${AWS::Partition}:iam::aws:policy/...`
    and `!Join` of the pseudo parameter and literals.

    A customer managed policy that happens to carry one of these names
    (`arn:aws:iam::123456789012:policy/AdministratorAccess`) is the account's own and is not
    reported: its statements are not in the template.

    ## Why is this bad?
    A managed policy is one line in a template, and reads like a convenience. `AdministratorAccess`
    on a function makes every bug, injected input or leaked session an administrator of the
    account; `PowerUserAccess` is the same minus IAM; `IAMFullAccess` is the same with one extra
    step (create an administrator role, assume it). `AmazonS3FullAccess` lets the function
    delete or expose every bucket in the account, not just the one it writes. `ReadOnlyAccess`
    sounds harmless and reads every object, item and log of the account: one injected input
    away from exfiltrating all of it. (`ViewOnlyAccess`, which lists and describes resources
    without reading their contents, is not reported.)

    ## Why this tier
    Blocking for `AdministratorAccess`, `PowerUserAccess` and `IAMFullAccess`: each hands over
    the whole account. Non-blocking for the other `*FullAccess` policies: every action of one
    service on every resource is far too much, but the damage stays within that service; and
    for `ReadOnlyAccess`: it changes nothing, and an inventory or audit function may need it.

    ## Example
    ```yaml
    OrdersFunction:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - AdministratorAccess
          - AmazonDynamoDBFullAccess
    ```

    ## Use instead
    ```yaml
    OrdersFunction:
      Type: AWS::Serverless::Function
      Properties:
        Policies:
          - DynamoDBCrudPolicy:
              TableName: !Ref OrdersTable
    ```

    ## References
    - [AWS managed policies for job functions (AdministratorAccess, PowerUserAccess)](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html)
    - [AWS Managed Policy Reference](https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html)
    - [Get started with AWS managed policies and move toward least-privilege permissions](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-use-aws-defined-policies)
    - [AWS SAM policy templates](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/serverless-policy-templates.html)
    """

    id = "SLS311"
    name = "broad-managed-policy"
    category = "permissions"
    tier = "blocking"
    platforms = ("aws-lambda",)
    title = "A role gets AdministratorAccess, PowerUserAccess, IAMFullAccess, ReadOnlyAccess or a service's FullAccess policy"
    fix = "Replace the managed policy with a SAM policy template or a statement naming the actions and resources the code uses."
    docs = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_job-functions.html",
        "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html",
    )

    bad = [
        Example(
            _sam_function("\n        - AdministratorAccess\n        - arn:aws:iam::aws:policy/AmazonDynamoDBFullAccess\n"),
            expect=[
                Expect(
                    "template.yaml",
                    11,
                    11,
                    "OrdersFunction has the AWS managed policy AdministratorAccess: every action on every resource of the account",
                    tier="blocking",
                ),
                Expect(
                    "template.yaml",
                    12,
                    11,
                    "OrdersFunction has the AWS managed policy AmazonDynamoDBFullAccess: every action of its "
                    "service on every resource of the account",
                    tier="non-blocking",
                ),
            ],
            name="sam-policies-by-name-and-by-arn",
        ),
        Example(
            {
                "template.json": (
                    "{\n"
                    '  "AWSTemplateFormatVersion": "2010-09-09",\n'
                    '  "Resources": {\n'
                    '    "PipelineRole": {\n'
                    '      "Type": "AWS::IAM::Role",\n'
                    '      "Properties": {\n'
                    '        "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},\n'
                    '        "ManagedPolicyArns": [\n'
                    '          {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/PowerUserAccess"},\n'
                    '          {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::aws:policy/IAMFullAccess"]]}\n'
                    "        ]\n"
                    "      }\n"
                    "    }\n"
                    "  }\n"
                    "}\n"
                )
            },
            expect=[
                Expect(
                    "template.json",
                    9,
                    11,
                    "role PipelineRole has the AWS managed policy PowerUserAccess: every action on every "
                    "resource except managing IAM users, roles and Organizations",
                ),
                Expect(
                    "template.json",
                    10,
                    11,
                    "role PipelineRole has the AWS managed policy IAMFullAccess: every IAM action, so it can "
                    "create a role with AdministratorAccess and use it",
                ),
            ],
            name="role-arns-through-sub-and-join",
        ),
        Example(
            _sam_function("\n        - arn:aws:iam::aws:policy/ReadOnlyAccess\n"),
            expect=[
                Expect(
                    "template.yaml",
                    11,
                    11,
                    "OrdersFunction has the AWS managed policy ReadOnlyAccess: read access to nearly every "
                    "service on every resource of the account, every S3 object and DynamoDB item included",
                    tier="non-blocking",
                ),
            ],
            name="account-wide-read",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": "Parameters:\n  ExtraPolicyArn: {Type: String}\n"
                + _sam_function(
                    "\n"
                    "        - AWSLambdaBasicExecutionRole\n"
                    "        - arn:aws:iam::123456789012:policy/AdministratorAccess\n"
                    "        - arn:aws:iam::aws:policy/job-function/ViewOnlyAccess\n"
                    "        - !Ref ExtraPolicyArn\n"
                    "        - DynamoDBCrudPolicy: {TableName: orders}\n"
                )["template.yaml"]
            },
            name="narrow-customer-managed-view-only-and-unknown-policies",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        for ref in policy_references(ctx.project):
            if ref.kind != "managed" or not ref.name:
                continue
            parsed = managed_policies.policy_name(ref.name)
            if parsed is None or not parsed[1]:
                continue
            name = parsed[0]
            if name in ACCOUNT_WIDE:
                what, tier = ACCOUNT_WIDE[name], "blocking"
            elif name in ACCOUNT_WIDE_READ:
                what, tier = ACCOUNT_WIDE_READ[name], "non-blocking"
            elif is_full_access(name):
                what, tier = "every action of its service on every resource of the account", "non-blocking"
            else:
                continue
            yield Report(
                ref.loc,
                f"{ref.owner.label} has the AWS managed policy {name}: {what}",
                tier=tier,  # type: ignore[arg-type]
                subject=ref.owner.function,
            )
