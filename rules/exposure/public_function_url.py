from __future__ import annotations

from collections.abc import Iterator

from slsreview.analysis.credentials import credential_check
from slsreview.loaders.nodes import MapNode
from slsreview.model.project import Function, Located
from slsreview.model.resources import refers_to
from slsreview.rule import Context, Example, Expect, Report, Rule


def _sam(url: str, code: str = "def handler(event, context):\n    return {'statusCode': 200}\n") -> dict[str, str]:
    return {
        "template.yaml": (
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            "  HookFunction:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      CodeUri: src/\n"
            "      Handler: hook.handler\n"
            "      Runtime: python3.13\n"
            "      Timeout: 10\n"
            f"{url}"
        ),
        "src/hook.py": code,
    }


class PublicFunctionUrl(Rule):
    """
    ## What it does
    Lists every Lambda function URL that anyone can call: `FunctionUrlConfig` with
    `AuthType: NONE` on a SAM function (or in `Globals.Function`), and an `AWS::Lambda::Url`
    resource with `AuthType: NONE`. The finding lands on the `AuthType` value. When the handler
    visibly checks its caller itself (a signature, a token compared with a secret, a JWT verified),
    the message says where, so that the person signing off can judge that gate.

    ## Why is this bad?
    With `AuthType: NONE` Lambda checks nothing: whoever learns the URL (from a browser's network
    tab, a log, a leaked config) invokes the function directly, bypassing API Gateway's
    authorizers, throttling and WAF. That is right for a public webhook receiver that verifies a
    signature, or a deliberately public page; it is wrong for anything that was meant to be
    called only by your own systems (`AuthType: AWS_IAM`).

    ## Why this tier
    Human-confirmation: whether a URL should be public is a product decision the code cannot
    make. A person confirms who may call it and how the handler tells legitimate callers apart.

    ## Example
    ```yaml
    HookFunction:
      Type: AWS::Serverless::Function
      Properties:
        FunctionUrlConfig:
          AuthType: NONE
    ```

    ## Use instead
    ```yaml
    HookFunction:
      Type: AWS::Serverless::Function
      Properties:
        FunctionUrlConfig:
          AuthType: AWS_IAM      # callers sign requests with SigV4
    ```
    Or keep `NONE` for a public webhook, verify the sender's signature in the handler, and record
    the decision (`.slsreview/confirmations.toml`).

    ## References
    - [Control access to Lambda function URLs](https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html)
    - [SAM FunctionUrlConfig](https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-functionurlconfig.html)
    - [AWS::Lambda::Url](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-lambda-url.html)
    """

    id = "SLS405"
    name = "public-function-url"
    category = "exposure"
    tier = "human-confirmation"
    platforms = ("aws-lambda",)
    title = "A Lambda function URL can be called by anyone (AuthType: NONE)"
    fix = "Use AuthType: AWS_IAM for callers inside AWS; keep NONE only for a deliberately public endpoint whose handler checks the caller, and record who decided."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
        "https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-functionurlconfig.html",
    )

    bad = [
        Example(
            _sam("      FunctionUrlConfig:\n        AuthType: NONE\n"),
            expect=[
                Expect(
                    "template.yaml",
                    12,
                    19,
                    "HookFunction has a function URL with AuthType: NONE: anyone who finds the URL can invoke it. "
                    "A person must decide who may call it",
                )
            ],
            name="sam-function-url",
        ),
        Example(
            _sam(
                "      FunctionUrlConfig:\n        AuthType: NONE\n",
                "import hmac, hashlib, os\n"
                "\n"
                "def handler(event, context):\n"
                '    expected = hmac.new(os.environ["HOOK_SECRET"].encode(), event["body"].encode(), hashlib.sha256).hexdigest()\n'
                '    if not hmac.compare_digest(expected, event["headers"].get("x-hook-signature", "")):\n'
                '        return {"statusCode": 401}\n'
                '    return {"statusCode": 204}\n',
            ),
            expect=[
                Expect(
                    "template.yaml",
                    12,
                    19,
                    "HookFunction has a function URL with AuthType: NONE: anyone who finds the URL can invoke it. "
                    "A person must decide who may call it; the handler checks its caller at src/hook.py:5, "
                    "confirm that this is the intended gate",
                )
            ],
            name="public-webhook-that-checks-a-signature",
        ),
        Example(
            {
                "template.yaml": (
                    "AWSTemplateFormatVersion: '2010-09-09'\n"
                    "Resources:\n"
                    "  HookFunction:\n"
                    "    Type: AWS::Lambda::Function\n"
                    "    Properties:\n"
                    "      Runtime: nodejs22.x\n"
                    "      Handler: index.handler\n"
                    "      Role: arn:aws:iam::123456789012:role/hook\n"
                    "      Code:\n"
                    "        ZipFile: 'exports.handler = async () => ({ statusCode: 204 });'\n"
                    "  HookUrl:\n"
                    "    Type: AWS::Lambda::Url\n"
                    "    Properties:\n"
                    "      TargetFunctionArn: !GetAtt HookFunction.Arn\n"
                    "      AuthType: NONE\n"
                )
            },
            expect=[
                Expect(
                    "template.yaml",
                    15,
                    17,
                    "HookFunction has a function URL (HookUrl) with AuthType: NONE: anyone who finds the URL can "
                    "invoke it. A person must decide who may call it",
                )
            ],
            name="cloudformation-url-resource",
        ),
    ]
    good = [
        Example(_sam("      FunctionUrlConfig:\n        AuthType: AWS_IAM\n"), name="iam-auth"),
        Example(_sam(""), name="no-function-url"),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        for fn in ctx.project.functions:
            config = fn.function_url
            if config is not None and isinstance(config.value, MapNode):
                auth = _auth_type(config.value)
                if auth is not None:
                    yield self._report(fn, auth, "", ctx)
        for url in ctx.project.resources_of("AWS::Lambda::Url"):
            auth = _auth_type(url.properties)
            if auth is None:
                continue
            target = url.properties.get("TargetFunctionArn")
            owner = next((fn for fn in ctx.project.functions if fn.template == url.template and refers_to(target, fn.name)), None)
            if owner is not None:
                yield self._report(owner, auth, f" ({url.logical_id})", ctx)
            else:
                yield Report(
                    auth,
                    f"Function URL {url.logical_id} has AuthType: NONE: anyone who finds the URL can invoke the "
                    "function. A person must decide who may call it",
                )

    def _report(self, fn: Function, auth: Located[str], which: str, ctx: Context) -> Report:
        facts = ctx.facts(fn)
        check = credential_check(facts) if facts is not None else None
        gate = f"; the handler checks its caller at {check.path}:{check.line}, confirm that this is the intended gate" if check else ""
        return Report(
            auth,
            f"{fn.name} has a function URL{which} with AuthType: NONE: anyone who finds the URL can invoke it. "
            f"A person must decide who may call it{gate}",
            subject=fn,
        )


def _auth_type(config: MapNode) -> Located[str] | None:
    value = config.get("AuthType")
    if isinstance(value, str) and value.upper() == "NONE":
        return Located(value, config.loc("AuthType"))
    return None
