from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slsreview.loaders.nodes import Intrinsic
from slsreview.model.project import Function, Resource
from slsreview.model.resources import refers_to
from slsreview.rule import Context, Example, Expect, Report, Rule

# A service principal: s3.amazonaws.com, logs.${AWS::Region}.amazonaws.com, alexa-appkit.amazon.com
_SERVICE = re.compile(r"^[a-z0-9-]+(?:\.(?:[a-z0-9-]+|\$\{AWS::Region\}))*\.amazon(?:aws)?\.com(?:\.cn)?$")
# What ties a permission to one caller: the source resource, its account, the organization, or
# the token an Alexa skill presents.
_SCOPES = ("SourceArn", "SourceAccount", "PrincipalOrgID", "EventSourceToken")

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


class OpenResourcePolicy(Rule):
    """
    ## What it does
    Reports an `AWS::Lambda::Permission` that lets callers invoke a function without saying which:

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

    ## Why is this bad?
    The function's resource policy is the only thing standing between it and the caller.
    `Principal: "*"` without a source condition lets any AWS account in the world invoke it with
    whatever payload it likes. A service principal without `SourceArn` or `SourceAccount` lets
    the service invoke it on behalf of *anyone's* resource: another account can point its bucket
    notifications, SNS topic or EventBridge rule at your function (the confused deputy problem),
    and the function runs, on your bill, with your role.

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
    title = "A Lambda permission lets anyone, or a service acting for anyone, invoke the function"
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
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        for permission in ctx.project.resources_of("AWS::Lambda::Permission"):
            report = _check(permission, ctx.project.functions)
            if report is not None:
                yield report


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
