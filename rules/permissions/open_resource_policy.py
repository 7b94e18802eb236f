from __future__ import annotations

import re
from collections.abc import Iterator
from fnmatch import fnmatchcase
from typing import Any

from slsreview.loaders.nodes import Intrinsic, ListNode, MapNode
from slsreview.model.project import Function, Resource
from slsreview.model.resources import refers_to
from slsreview.rule import Context, Example, Expect, Report, Rule

# A service principal: s3.amazonaws.com, logs.${AWS::Region}.amazonaws.com, alexa-appkit.amazon.com
_SERVICE = re.compile(r"^[a-z0-9-]+(?:\.(?:[a-z0-9-]+|\$\{AWS::Region\}))*\.amazon(?:aws)?\.com(?:\.cn)?$")
# What ties a permission to one caller: the source resource, its account, the organization, or
# the token an Alexa skill presents.
_SCOPES = ("SourceArn", "SourceAccount", "PrincipalOrgID", "EventSourceToken")

# The resource policies of what feeds a function: the property naming the queues, topics or
# bucket they apply to, the action that puts an event in, and what that action does.
_SOURCE_POLICIES = {
    "AWS::SQS::QueuePolicy": ("Queues", "sqs:SendMessage", "send messages to"),
    "AWS::SNS::TopicPolicy": ("Topics", "sns:Publish", "publish to"),
    "AWS::S3::BucketPolicy": ("Bucket", "s3:PutObject", "upload objects to"),
}
# The event properties that name what feeds a function (SAM events, event source mappings).
_EVENT_SOURCES = ("Queue", "Topic", "Bucket", "EventSourceArn")
# Condition keys that tie a statement to known callers or sources (compared lower-case).
_SCOPING_KEYS = frozenset(
    k.lower()
    for k in (
        "aws:SourceArn", "aws:SourceAccount", "aws:SourceOwner", "aws:SourceOrgID", "aws:SourceOrgPaths",
        "aws:PrincipalOrgID", "aws:PrincipalOrgPaths", "aws:PrincipalAccount", "aws:PrincipalArn",
        "aws:SourceVpce", "aws:SourceVpc", "aws:SourceIp",
    )
)  # fmt: skip

_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n"
_FUNCTION = (
    "  ThumbnailFunction:\n"
    "    Type: AWS::Lambda::Function\n"
    "    Properties:\n"
    "      Runtime: python3.13\n"
    "      Handler: index.handler\n"
    "      Role: arn:aws:iam::123456789012:role/thumbnails\n"
    "      Code: {ZipFile: 'def handler(event, context): pass'}\n"
)


def _permission(name: str, body: str) -> str:
    return f"  {name}:\n    Type: AWS::Lambda::Permission\n    Properties:\n      FunctionName: !Ref ThumbnailFunction\n" + body


_SAM_HEAD = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n"
_QUEUE_CONSUMER = (
    "  OrdersQueue:\n"
    "    Type: AWS::SQS::Queue\n"
    "  OrdersFunction:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Runtime: python3.13\n"
    "      Handler: app.handler\n"
    "      InlineCode: 'def handler(event, context): pass'\n"
    "      Events:\n"
    "        Orders:\n"
    "          Type: SQS\n"
    "          Properties:\n"
    "            Queue: !GetAtt OrdersQueue.Arn\n"
)


def _queue_policy(statements: str) -> str:
    return (
        "  OrdersQueuePolicy:\n"
        "    Type: AWS::SQS::QueuePolicy\n"
        "    Properties:\n"
        "      Queues: [!Ref OrdersQueue]\n"
        "      PolicyDocument:\n"
        "        Statement:\n" + statements
    )


class OpenResourcePolicy(Rule):
    """
    ## What it does
    Reports a resource policy that lets callers reach a function without saying which. First, an
    `AWS::Lambda::Permission` that lets them invoke it:

    - `Principal: "*"` with none of `SourceArn`, `SourceAccount`, `PrincipalOrgID`, and not
      limited to IAM-authenticated function URL calls (`FunctionUrlAuthType: AWS_IAM`);
    - a service principal (`s3.amazonaws.com`, `sns.amazonaws.com`, `events.amazonaws.com`,
      `logs.${AWS::Region}.amazonaws.com`, ...) with neither `SourceArn` nor `SourceAccount`
      (nor `EventSourceToken`, Alexa's skill id).

    The permission that makes a function URL public (`lambda:InvokeFunctionUrl` with
    `FunctionUrlAuthType: NONE`, and its companion `lambda:InvokeFunction` with
    `InvokedViaFunctionUrl: true`) is not reported here: a public URL is a decision for a person,
    and SLS405 asks for it. The permissions SAM writes for a function's `Events` always carry a
    `SourceArn` (and S3's a `SourceAccount`) and are not in the template to report.

    Second, the resource policy of a queue, topic or bucket that feeds a function in the template
    (an `SQS`, `SNS` or `S3` event, or an event source mapping): an `AWS::SQS::QueuePolicy`,
    `AWS::SNS::TopicPolicy` or `AWS::S3::BucketPolicy` statement that allows `sqs:SendMessage`,
    `sns:Publish` or `s3:PutObject` (or a wildcard covering it) to `Principal: "*"` or to a
    service principal, with no condition on `aws:SourceArn`, `aws:SourceAccount`,
    `aws:SourceOwner`, `aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceVpce`,
    `aws:SourceIp` or the like. `Deny` statements (the usual `aws:SecureTransport` guard), other
    actions (a bucket's public `s3:GetObject` is about readers, not about the function) and
    policies on resources no function of the template consumes are not reported here.

    ## Why is this bad?
    The function's resource policy is the only thing standing between it and the caller.
    `Principal: "*"` without a source condition lets any AWS account in the world invoke it with
    whatever payload it likes. A service principal without `SourceArn` or `SourceAccount` lets
    the service invoke it on behalf of *anyone's* resource: another account can point its bucket
    notifications, SNS topic or EventBridge rule at your function (the confused deputy problem),
    and the function runs, on your bill, with your role. A queue or topic anyone may write to is
    the same door one step earlier: every message an outsider sends is an event the function
    processes as if the application had sent it.

    ## Why this tier
    Blocking for `Principal: "*"`: the function is open to every AWS account. Non-blocking for a
    service principal: exploiting it needs the function's ARN and a resource in another account
    set up for it, but the fix is one property.

    ## Example
    ```yaml
    ThumbnailPermission:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !Ref ThumbnailFunction
        Action: lambda:InvokeFunction
        Principal: s3.amazonaws.com
    ```

    ## Use instead
    ```yaml
    ThumbnailPermission:
      Type: AWS::Lambda::Permission
      Properties:
        FunctionName: !Ref ThumbnailFunction
        Action: lambda:InvokeFunction
        Principal: s3.amazonaws.com
        SourceArn: !GetAtt UploadsBucket.Arn
        SourceAccount: !Ref AWS::AccountId
    ```

    ## References
    - [Lambda resource-based policies](https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html)
    - [Granting function access to AWS services](https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html)
    - [The confused deputy problem](https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html)
    - [AWS::Lambda::Permission](https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-lambda-permission.html)
    - [Control access to Lambda function URLs](https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html)
    """

    id = "SLS312"
    name = "open-resource-policy"
    category = "permissions"
    tier = "blocking"
    platforms = ("aws-lambda",)
    title = "A resource policy lets anyone, or a service acting for anyone, invoke a function or feed it events"
    fix = "Add SourceArn (the bucket, topic, rule or API that calls it) and SourceAccount, or name an account or PrincipalOrgID instead of \"*\"."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
    )

    bad = [
        Example(
            {
                "template.yaml": _HEAD
                + _FUNCTION
                + _permission("PartnerPermission", "      Action: lambda:InvokeFunction\n      Principal: '*'\n")
            },
            expect=[
                Expect(
                    "template.yaml",
                    15,
                    18,
                    'PartnerPermission lets Principal "*" lambda:InvokeFunction on ThumbnailFunction with no '
                    "SourceArn, SourceAccount or PrincipalOrgID: every AWS account can invoke it",
                    tier="blocking",
                )
            ],
            name="anyone-may-invoke",
        ),
        Example(
            {
                "template.json": (
                    "{\n"
                    '  "AWSTemplateFormatVersion": "2010-09-09",\n'
                    '  "Resources": {\n'
                    '    "AlertsFunction": {"Type": "AWS::Lambda::Function", "Properties": {"Runtime": "nodejs22.x", "Handler": "index.handler", "Role": "arn:aws:iam::123456789012:role/alerts", "Code": {"ZipFile": "exports.handler = async () => {};"}}},\n'
                    '    "AlertsPermission": {\n'
                    '      "Type": "AWS::Lambda::Permission",\n'
                    '      "Properties": {\n'
                    '        "FunctionName": {"Fn::GetAtt": ["AlertsFunction", "Arn"]},\n'
                    '        "Action": "lambda:InvokeFunction",\n'
                    '        "Principal": "sns.amazonaws.com"\n'
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
                    22,
                    "AlertsPermission lets sns.amazonaws.com invoke AlertsFunction with neither SourceArn nor "
                    "SourceAccount: a resource in another account can be set up to invoke it (the confused "
                    "deputy problem)",
                    tier="non-blocking",
                )
            ],
            name="service-principal-without-source-in-json",
        ),
        Example(
            {
                "template.yaml": _SAM_HEAD
                + _QUEUE_CONSUMER
                + _queue_policy(
                    "          - Effect: Allow\n"
                    "            Principal: '*'\n"
                    "            Action: sqs:SendMessage\n"
                    "            Resource: !GetAtt OrdersQueue.Arn\n"
                    "          - Effect: Allow\n"
                    "            Principal: {Service: events.amazonaws.com}\n"
                    "            Action: ['sqs:Send*']\n"
                    "            Resource: !GetAtt OrdersQueue.Arn\n"
                )
            },
            expect=[
                Expect(
                    "template.yaml",
                    24,
                    24,
                    'OrdersQueuePolicy lets Principal "*" send messages to OrdersQueue with no condition on '
                    "aws:SourceArn, aws:SourceAccount or aws:PrincipalOrgID: every AWS account can send messages "
                    "to it, and OrdersFunction takes what they send for its own events",
                    tier="blocking",
                ),
                Expect(
                    "template.yaml",
                    28,
                    24,
                    "OrdersQueuePolicy lets events.amazonaws.com send messages to OrdersQueue with no condition "
                    "on aws:SourceArn or aws:SourceAccount: a resource in another account can be set up to feed "
                    "OrdersFunction through it (the confused deputy problem)",
                    tier="non-blocking",
                ),
            ],
            name="a-queue-that-feeds-a-function-open-to-anyone",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _HEAD
                + _FUNCTION
                + _permission(
                    "UploadsPermission",
                    "      Action: lambda:InvokeFunction\n"
                    "      Principal: s3.amazonaws.com\n"
                    "      SourceAccount: !Ref AWS::AccountId\n"
                    "      SourceArn: arn:aws:s3:::uploads-123456789012\n",
                )
                + _permission(
                    "LogsPermission",
                    "      Action: lambda:InvokeFunction\n"
                    "      Principal: !Sub logs.${AWS::Region}.amazonaws.com\n"
                    "      SourceArn: !Sub arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/orders:*\n",
                )
                + _permission(
                    "OrgPermission",
                    "      Action: lambda:InvokeFunction\n      Principal: '*'\n      PrincipalOrgID: o-a1b2c3d4e5\n",
                )
                + _permission(
                    "PartnerPermission",
                    "      Action: lambda:InvokeFunction\n      Principal: '210987654321'\n",
                )
                + _permission(
                    "IamUrlPermission",
                    "      Action: lambda:InvokeFunctionUrl\n      Principal: '*'\n      FunctionUrlAuthType: AWS_IAM\n",
                )
            },
            name="scoped-by-source-organization-or-account",
        ),
        Example(
            {
                "template.yaml": _HEAD
                + _FUNCTION
                + _permission(
                    "PublicUrlPermission",
                    "      Action: lambda:InvokeFunctionUrl\n      Principal: '*'\n      FunctionUrlAuthType: NONE\n",
                )
                + _permission(
                    "PublicUrlInvokePermission",
                    "      Action: lambda:InvokeFunction\n      Principal: '*'\n      InvokedViaFunctionUrl: true\n",
                )
            },
            name="a-public-function-url-is-sls405s-to-confirm",
        ),
        Example(
            {
                "template.yaml": _SAM_HEAD
                + _QUEUE_CONSUMER
                + "  OrdersTopic:\n    Type: AWS::SNS::Topic\n"
                + _queue_policy(
                    "          - Effect: Allow\n"
                    "            Principal: {Service: sns.amazonaws.com}\n"
                    "            Action: sqs:SendMessage\n"
                    "            Resource: !GetAtt OrdersQueue.Arn\n"
                    "            Condition:\n"
                    "              ArnEquals: {'aws:SourceArn': !Ref OrdersTopic}\n"
                    "          - Effect: Deny\n"
                    "            Principal: '*'\n"
                    "            Action: 'sqs:*'\n"
                    "            Resource: !GetAtt OrdersQueue.Arn\n"
                    "            Condition: {Bool: {'aws:SecureTransport': 'false'}}\n"
                    "          - Effect: Allow\n"
                    "            Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}\n"
                    "            Action: sqs:SendMessage\n"
                    "            Resource: !GetAtt OrdersQueue.Arn\n"
                    "          - Effect: Allow\n"
                    "            Principal: '*'\n"
                    "            Action: sqs:GetQueueAttributes\n"
                    "            Resource: !GetAtt OrdersQueue.Arn\n"
                    "          - Effect: Allow\n"
                    "            Principal: {AWS: '*'}\n"
                    "            Action: sqs:SendMessage\n"
                    "            Resource: !GetAtt OrdersQueue.Arn\n"
                    "            Condition: {StringEquals: {'aws:PrincipalOrgID': o-a1b2c3d4e5}}\n"
                )
            },
            name="named-topic-tls-deny-own-account-organization-other-actions",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        for permission in ctx.project.resources_of("AWS::Lambda::Permission"):
            report = _check(permission, ctx.project.functions)
            if report is not None:
                yield report
        for policy in ctx.project.resources_of(*_SOURCE_POLICIES):
            yield from _check_source_policy(policy, ctx.project.functions)


def _check_source_policy(policy: Resource, functions: list[Function]) -> Iterator[Report]:
    """The statements of a queue, topic or bucket policy that let anyone, or a service acting
    for anyone, put an event into a resource that feeds a function."""
    applies_to, delivery, does = _SOURCE_POLICIES[policy.type]
    targets = policy.properties.get(applies_to)
    ids = {t.ref_target() for t in (targets if isinstance(targets, list) else [targets]) if isinstance(t, Intrinsic)}
    fed = sorted(
        ((target, fn) for target in ids if target for fn in functions if _feeds(fn, target, policy.template)),
        key=lambda pair: (pair[0], pair[1].name),
    )
    if not fed:
        return
    document = policy.properties.get("PolicyDocument")
    statements = document.get("Statement") if isinstance(document, MapNode) else None
    for statement in statements if isinstance(statements, ListNode) else [statements]:
        if not isinstance(statement, MapNode) or statement.get("Effect") != "Allow":
            continue  # a Deny (the aws:SecureTransport guard) opens nothing
        if "Condition" in statement and _scoped(statement["Condition"]):
            continue
        if not _allows(statement.get("Action"), delivery):
            continue
        principals = _principals(statement.get("Principal"))
        target = fed[0][0]
        consumers = " and ".join(sorted({fn.name for t, fn in fed if t == target}))
        subject = fed[0][1]
        if "*" in principals:
            yield Report(
                statement.loc("Principal"),
                f'{policy.logical_id} lets Principal "*" {does} {target} with no condition on aws:SourceArn, '
                f"aws:SourceAccount or aws:PrincipalOrgID: every AWS account can {does} it, and {consumers} "
                "takes what they send for its own events",
                subject=subject,
            )
            continue
        service = next((p for p in principals if _SERVICE.match(p)), None)
        if service is not None:
            yield Report(
                statement.loc("Principal"),
                f"{policy.logical_id} lets {service} {does} {target} with no condition on aws:SourceArn or "
                f"aws:SourceAccount: a resource in another account can be set up to feed {consumers} through "
                "it (the confused deputy problem)",
                tier="non-blocking",
                subject=subject,
            )


def _feeds(fn: Function, logical_id: str, template: str) -> bool:
    return fn.template == template and any(
        refers_to(event.properties.get(key), logical_id) for event in fn.events for key in _EVENT_SOURCES
    )


def _scoped(condition: Any) -> bool:
    """A condition that names the callers or sources (an intrinsic hides it: assume it does)."""
    if not isinstance(condition, MapNode):
        return True
    return any(
        not isinstance(keys, MapNode) or any(str(key).lower() in _SCOPING_KEYS for key in keys)
        for keys in condition.values()
    )


def _allows(action: Any, wanted: str) -> bool:
    actions = action if isinstance(action, list) else [action]
    return any(isinstance(a, str) and fnmatchcase(wanted.lower(), a.lower()) for a in actions)


def _principals(value: Any) -> list[str]:
    """``"*"`` and the service principals of a statement's Principal (accounts and roles are
    named callers, not listed)."""
    if value == "*":
        return ["*"]
    if not isinstance(value, MapNode):
        return []
    out: list[str] = []
    for kind in ("AWS", "Service"):
        entries = value.get(kind)
        for entry in entries if isinstance(entries, list) else [entries]:
            text = _principal(entry)
            if text == "*" or (kind == "Service" and text is not None):
                out.append(text)
    return out


def _check(permission: Resource, functions: list[Function]) -> Report | None:
    props = permission.properties
    located = permission.prop("Principal")
    principal = _principal(props.get("Principal"))
    if located is None or principal is None:
        return None
    scoped = [key for key in _SCOPES if props.get(key) not in (None, "")]
    action = props.get("Action")
    action_text = action if isinstance(action, str) else "invoke"
    target = _function(permission, functions)
    name = target.name if target is not None else _short(props.get("FunctionName"))
    if principal == "*":
        if scoped or props.get("FunctionUrlAuthType") == "AWS_IAM":
            return None
        if _public_url(props, action):
            return None  # a public function URL: SLS405 asks a person to confirm it
        return Report(
            located,
            f'{permission.logical_id} lets Principal "*" {action_text} on {name} with no SourceArn, '
            "SourceAccount or PrincipalOrgID: every AWS account can invoke it",
            subject=target,
        )
    if _SERVICE.match(principal) and not scoped:
        return Report(
            located,
            f"{permission.logical_id} lets {principal} invoke {name} with neither SourceArn nor "
            "SourceAccount: a resource in another account can be set up to invoke it (the confused "
            "deputy problem)",
            tier="non-blocking",
            subject=target,
        )
    return None


def _principal(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, Intrinsic) and value.name == "Fn::Sub" and isinstance(value.value, str):
        return value.value
    return None


def _public_url(props: Any, action: Any) -> bool:
    if action == "lambda:InvokeFunctionUrl":
        return props.get("FunctionUrlAuthType") == "NONE"
    return action == "lambda:InvokeFunction" and props.get("InvokedViaFunctionUrl") in (True, "true", "True")


def _function(permission: Resource, functions: list[Function]) -> Function | None:
    value = permission.properties.get("FunctionName")
    for fn in functions:
        if fn.template == permission.template and refers_to(value, fn.name):
            return fn
    return None


def _short(value: Any) -> str:
    if isinstance(value, Intrinsic):
        return value.short()
    return str(value) if value is not None else "the function"
