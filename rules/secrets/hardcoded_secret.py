from __future__ import annotations

from collections.abc import Iterator

from slsreview_rules.secrets.example_values import (
    AWS_KEY_ID,
    DB_PASSWORD,
    GITHUB,
    OPENAI_LIKE,
    STRIPE_LIVE,
    STRIPE_TEST,
)

from slsreview.analysis.secret_scan import SecretLiteral, match_value
from slsreview.loaders.nodes import MapNode
from slsreview.location import Location
from slsreview.model.project import Function, Worker
from slsreview.redact import mask
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary.secrets import (
    credential_shaped,
    is_placeholder,
    plainly_not_secret,
    secret_name,
)

LAMBDA_FIX = (
    "Rotate the credential first (it stays in the git history), then keep it in Secrets Manager or an "
    "SSM SecureString parameter and read it at run time (or pass it as a NoEcho parameter without a Default)."
)
WORKER_FIX = "Rotate the credential first (it stays in the git history), then set it with `wrangler secret put NAME` and read it as env.NAME."

_TEMPLATE = (
    "AWSTemplateFormatVersion: '2010-09-09'\n"
    "Transform: AWS::Serverless-2016-10-31\n"
    "Resources:\n"
    "  OrdersFunction:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Runtime: python3.13\n"
    "      Handler: app.handler\n"
    "      CodeUri: src/\n"
)
_WRANGLER = 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n'


class HardcodedSecret(Rule):
    """
    ## What it does
    Finds credentials written into the files the review reads: handler source (and the local
    modules it imports), SAM/CloudFormation templates (any property, `Parameters` defaults
    included), wrangler configuration and `samconfig.toml`.

    Two kinds of evidence:

    - **a known credential format** (blocking): AWS access keys, Stripe `sk_live_`/`rk_live_`,
      GitHub `ghp_`/`github_pat_`, Slack `xox?-` tokens and webhook URLs, private key blocks,
      signed JWTs, passwords in URLs, and the other formats of detect-secrets' plugins (1.5.0,
      generated into `slsreview/vocabulary/data/secret_formats.json` by
      `scripts/generate_vocabulary.py`) plus a few more after gitleaks' rules (v8.30.0):
      OpenAI and Anthropic keys, npm, Shopify, DigitalOcean, Hugging Face, Cloudflare... A Stripe
      *test* key and a Google API key (browser keys are public by design) are non-blocking.
    - **a secret's name with a credential's shape** (non-blocking): a quoted literal of at least
      16 varied characters assigned to `API_KEY`, `clientSecret`, `"x-api-key"`... in source; a
      `Parameters` default of a secret-named parameter. A `NoEcho` parameter's non-placeholder
      Default and a literal in a template property AWS names as a secret (`MasterUserPassword`,
      `SecretString`, `AuthToken`) are blocking: there the name is not a guess.

    Not reported (precision first): placeholders (`"PUT-YOUR-TOKEN-HERE"`, `"<your key>"`,
    `"xoxb-ENTER…"`, `"sk_live_xxxx…"`), AWS's documented example keys (`AKIAIOSFODNN7EXAMPLE`:
    shipped in AWS's own docs, valid for nothing), Supabase `anon` JWTs and jwt.io's sample token,
    a `-----BEGIN PRIVATE KEY-----` marker without a key body (code that parses PEM), URL
    passwords for `localhost` or documentation hosts, bucket names, ARNs, paths, URLs without a
    password, UUIDs and hashes. An unusual string alone, however random (an entropy guess),
    never makes a finding. Documentation is not scanned: its keys are examples. Values of
    `Environment` variables and `[vars]` are reported here only when they match a format (a
    secret-named variable without one is SLS302's), and `.dev.vars`/`.env` files are SLS306's.

    ## Why is this bad?
    Everyone who can read the repository, a fork, a CI log or the deployment package can use the
    credential, and it stays in the git history after the line is deleted. Lambda shows
    environment values and CloudFormation shows templates to anyone with read access to the
    function or the stack.

    ## Why this tier
    Blocking: a live credential in the code is a leak already; deploying it spreads it further.
    Test-mode keys, browser-restricted key types and name-only evidence are non-blocking: a
    real weakness, but possibly not a production credential.

    ## Example
    ```python
    import stripe

    stripe.api_key = "sk_live_..."   # a real live key, written in the handler
    ```

    ## Use instead
    ```python
    import boto3, os

    secret = boto3.client("secretsmanager").get_secret_value(SecretId=os.environ["STRIPE_SECRET_ARN"])
    ```
    For a Worker: `wrangler secret put STRIPE_KEY`, then read `env.STRIPE_KEY`.

    ## References
    - [AWS Secrets Manager: move hardcoded secrets to Secrets Manager](https://docs.aws.amazon.com/secretsmanager/latest/userguide/hardcoded.html)
    - [Using Secrets Manager secrets in Lambda functions](https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html)
    - [Cloudflare Workers: secrets](https://developers.cloudflare.com/workers/configuration/secrets/)
    - [CloudFormation parameters: NoEcho](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html)
    - [detect-secrets](https://github.com/Yelp/detect-secrets), [gitleaks rules](https://github.com/gitleaks/gitleaks/blob/master/config/gitleaks.toml)
    """

    id = "SLS301"
    name = "hardcoded-secret"
    category = "secrets"
    tier = "blocking"
    title = "A credential is written in the code, template or configuration"
    fix = LAMBDA_FIX
    docs = (
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/hardcoded.html",
        "https://developers.cloudflare.com/workers/configuration/secrets/",
    )

    bad = [
        Example(
            {
                "template.yaml": _TEMPLATE,
                "src/app.py": f'import stripe\n\nstripe.api_key = "{STRIPE_LIVE}"\n\n\ndef handler(event, context):\n    return stripe.Charge.list()\n',
            },
            expect=[
                Expect(
                    "src/app.py",
                    3,
                    19,
                    "A Stripe live secret key (sk_l…(36 chars)) is hardcoded in the handler source as api_key: anyone who can read the repository can use it",
                )
            ],
            name="python-stripe-key",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": f'const GITHUB_TOKEN = "{GITHUB}";\n\nexport default {{\n  async fetch(request: Request): Promise<Response> {{\n    return fetch("https://api.github.com/user", {{ headers: {{ authorization: `Bearer ${{GITHUB_TOKEN}}` }} }});\n  }},\n}};\n',
            },
            expect=[
                Expect(
                    "src/index.ts",
                    1,
                    23,
                    "A GitHub token (ghp_…(40 chars)) is hardcoded in the handler source as GITHUB_TOKEN: anyone who can read the repository can use it",
                )
            ],
            name="typescript-github-token",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE
                + "      Environment:\n        Variables:\n"
                + f"          AWS_ACCESS_KEY_ID_FOR_PARTNER: {AWS_KEY_ID}\n",
                "src/app.py": "def handler(event, context):\n    return {}\n",
            },
            expect=[
                Expect(
                    "template.yaml",
                    12,
                    42,
                    "An AWS access key id (AKIA…(20 chars)) is written in the template as AWS_ACCESS_KEY_ID_FOR_PARTNER: anyone who can read the repository can use it",
                )
            ],
            name="key-in-an-environment-variable",
        ),
        Example(
            {
                "template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\n"
                "Parameters:\n"
                "  DbPassword:\n"
                "    Type: String\n"
                "    NoEcho: true\n"
                f'    Default: "{DB_PASSWORD}"\n'
                "Resources:\n"
                "  OrdersDb:\n"
                "    Type: AWS::RDS::DBInstance\n"
                "    Properties:\n"
                "      Engine: postgres\n"
                "      MasterUsername: orders\n"
                f"      MasterUserPassword: '{DB_PASSWORD}'\n",
            },
            expect=[
                Expect(
                    "template.yaml",
                    6,
                    14,
                    "Parameter DbPassword is NoEcho, but its Default is written in the template (Kq7!…(16 chars)): the value NoEcho hides is in the repository",
                ),
                Expect(
                    "template.yaml",
                    13,
                    27,
                    "OrdersDb's MasterUserPassword is written in the template (Kq7!…(16 chars)): anyone who can read the repository or the stack can use it",
                ),
            ],
            name="parameter-default-and-resource-password",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE,
                "src/app.py": f'import os\n\nSTRIPE_KEY = os.environ.get("STRIPE_KEY", "{STRIPE_TEST}")\n\n\ndef handler(event, context):\n    return {{}}\n',
            },
            expect=[
                Expect(
                    "src/app.py",
                    3,
                    44,
                    "A Stripe test-mode secret key (sk_t…(35 chars)) is hardcoded in the handler source: anyone who can read the repository can use it",
                    tier="non-blocking",
                )
            ],
            name="test-key-is-non-blocking",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": f'const API_KEY = "{OPENAI_LIKE}";\n\nexport default {{\n  fetch: () => fetch("https://api.example.com", {{ headers: {{ "x-api-key": API_KEY }} }}),\n}};\n',
            },
            expect=[
                Expect(
                    "src/index.ts",
                    1,
                    18,
                    "API_KEY is assigned a literal shaped like a credential (Zt8q…(33 chars)): if it is one, anyone who can read the repository can use it",
                    tier="non-blocking",
                )
            ],
            name="secret-name-and-shape",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _TEMPLATE,
                "src/app.py": (
                    "import os\n\n"
                    '# Keys look like "sk_live_..."; never write one here.\n'
                    'EXAMPLE_KEY_ID = "AKIAIOSFODNN7EXAMPLE"  # AWS\'s documented example\n'
                    'PLACEHOLDER = "PUT-YOUR-TOKEN-HERE"\n'
                    'SLACK = "xoxb-ENTER-YOUR-TOKEN"\n'
                    'PEM_HEADER = "-----BEGIN PRIVATE KEY-----"\n'
                    'LOCAL_DB = "postgres://postgres:postgres@localhost:5432/orders"\n'
                    'BUCKET_ARN = "arn:aws:s3:::orders-archive-7f3a9c1e2b4d"\n'
                    'ORDER_ID = "4a6d9f0e-2b1c-4c3d-9e8f-7a6b5c4d3e2f"\n'
                    'PRIMARY_KEY = "pk_9f8a7b6c5d4e3f2a1b0c"\n'
                    'TOKEN_HEADER = "x-orders-token-v2"\n'
                    'TEST_PASSWORD = "TestPassword123!"  # a test user\'s stand-in\n\n\n'
                    "def handler(event, context):\n"
                    '    return {"key": os.environ["STRIPE_KEY"]}\n'
                ),
            },
            name="placeholders-examples-ids",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": (
                    'const PROXY_SHARED_SECRET_HEADER = { PROXY_SHARED_SECRET: "MF-Proxy-Shared-Secret" };\n'
                    'const durable = { uniqueKey: "orders-worker-OrderLedgerObject" };\n'
                    'const signature = "x-amz-date:" + date + "x-amz-security-token:" + token + "\\n";\n'
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    '    const pem = env.PRIVATE_KEY.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");\n'
                    "    return new Response(pem.length.toString());\n"
                    "  },\n"
                    "};\n"
                ),
                "README.md": f"Set the key: `wrangler secret put STRIPE_KEY` (it looks like `{STRIPE_LIVE}`).\n",
            },
            name="pem-markers-and-docs",
        ),
        Example(
            {
                "template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\n"
                "Resources:\n"
                "  WebhookConnection:\n"
                "    Type: AWS::Events::Connection\n"
                "    Properties:\n"
                "      AuthorizationType: API_KEY\n"
                "      AuthParameters:\n"
                "        ApiKeyAuthParameters:\n"
                "          ApiKeyName: x-api-key\n"
                "          ApiKeyValue: MyAPIkey\n"
                "  Approval:\n"
                "    Type: AWS::Serverless::StateMachine\n"
                "    Properties:\n"
                "      Definition:\n"
                "        States:\n"
                "          Wait:\n"
                "            Type: Task\n"
                "            Parameters:\n"
                "              token.$: $$.Task.Token\n",
            },
            name="stand-in-values-and-jsonpath",
        ),
        Example(
            {
                "template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\n"
                "Parameters:\n"
                "  DbPassword:\n"
                "    Type: String\n"
                "    NoEcho: true\n"
                "  ApiKey:\n"
                "    Type: String\n"
                '    Default: ""\n'
                "Resources:\n"
                "  OrdersDb:\n"
                "    Type: AWS::RDS::DBInstance\n"
                "    Properties:\n"
                "      Engine: postgres\n"
                "      MasterUsername: orders\n"
                "      MasterUserPassword: !Ref DbPassword\n"
                "  DbSecret:\n"
                "    Type: AWS::SecretsManager::Secret\n"
                "    Properties:\n"
                "      GenerateSecretString:\n"
                "        SecretStringTemplate: '{\"username\":\"orders\"}'\n"
                "        GenerateStringKey: password\n"
                "        PasswordLength: 32\n",
            },
            name="noecho-without-default",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        local_files = {f.path for f in ctx.project.env_files}
        kinds = {c.path: c.kind for c in ctx.project.configs}
        for literal in ctx.secret_literals():
            path = literal.loc.path
            if path in local_files:
                continue  # SLS306 reports the file, naming the credentials in it
            kind = kinds.get(path, "source")
            subject = _subject(ctx, path, literal.loc)
            yield Report(literal.loc, _message(literal, kind), fix=_fix(kind, subject), tier=literal.tier, subject=subject)
        for config in ctx.project.configs:
            if config.kind == "template" and isinstance(config.value, MapNode):
                yield from self._template(ctx, config.value)

    def _template(self, ctx: Context, document: MapNode) -> Iterator[Report]:
        parameters = document.get("Parameters")
        if isinstance(parameters, MapNode):
            for name, parameter in parameters.items():
                if not isinstance(parameter, MapNode) or not isinstance(parameter.get("Default"), str):
                    continue
                default = parameter["Default"]
                if match_value(default) is not None or is_placeholder(default) or plainly_not_secret(default):
                    continue  # a known format is reported where the scan found it
                loc = parameter.loc("Default")
                if str(parameter.get("NoEcho")).lower() == "true":
                    yield Report(
                        loc,
                        f"Parameter {name} is NoEcho, but its Default is written in the template ({mask(default)}): "
                        "the value NoEcho hides is in the repository",
                        fix="Remove the Default and pass the value at deploy time from a secret store, or resolve it with {{resolve:secretsmanager:...}}.",
                    )
                elif secret_name(name) == "strong" and credential_shaped(default):
                    yield Report(
                        loc,
                        f"Parameter {name}'s Default looks like a credential ({mask(default)}): if it is one, anyone who can read the repository can use it",
                        fix="Remove the Default and make the parameter NoEcho, or keep the value in Secrets Manager.",
                        tier="non-blocking",
                    )
        resources = document.get("Resources")
        if not isinstance(resources, MapNode):
            return
        functions = {fn.name for fn in ctx.project.functions}
        for logical_id, resource in resources.items():
            properties = resource.get("Properties") if isinstance(resource, MapNode) else None
            if not isinstance(properties, MapNode):
                continue
            for key, value, loc in _literal_properties(properties, skip_environment=logical_id in functions):
                if secret_name(key) != "strong" or len(value) < 6 or is_placeholder(value) or plainly_not_secret(value):
                    continue
                if value.lstrip().startswith(("{", "[")) or match_value(value) is not None:
                    continue  # a JSON template, or a format the scan reports where it is written
                yield Report(
                    loc,
                    f"{logical_id}'s {key} is written in the template ({mask(value)}): anyone who can read the repository or the stack can use it",
                )


def _literal_properties(node: MapNode, skip_environment: bool, depth: int = 0) -> Iterator[tuple[str, str, Location]]:
    """(key, literal string, where) for every string-valued key under a resource's Properties;
    a function's Environment is SLS302's."""
    if depth > 12:
        return
    for key, value in node.items():
        if skip_environment and depth == 0 and key == "Environment":
            continue
        if isinstance(value, str):
            yield key, value, node.loc(key)
        elif isinstance(value, MapNode):
            yield from _literal_properties(value, skip_environment, depth + 1)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, MapNode):
                    yield from _literal_properties(item, skip_environment, depth + 1)


_WHERE = {"source": "is hardcoded in the handler source", "template": "is written in the template", "wrangler": "is written in the wrangler configuration", "samconfig": "is written in samconfig.toml"}


def _message(literal: SecretLiteral, kind: str) -> str:
    if literal.evidence == "name":
        return f"{literal.name} is assigned a literal shaped like a credential ({literal.shown}): if it is one, anyone who can read the repository can use it"
    title = literal.title[0].upper() + literal.title[1:]
    named = f" as {literal.name}" if literal.name else ""
    return f"{title} ({literal.shown}) {_WHERE[kind]}{named}: anyone who can read the repository can use it"


def _fix(kind: str, subject: Function | Worker | None) -> str:
    if kind == "wrangler" or isinstance(subject, Worker):
        return WORKER_FIX
    return LAMBDA_FIX


def _subject(ctx: Context, path: str, loc: Location) -> Function | Worker | None:
    """The function or Worker a file belongs to: the one whose handler reads it (or imports
    it), or, in a template, the function resource the value is written in."""
    for fn in ctx.project.functions:
        if fn.template == path:
            start, _, end, _ = fn.resource.node.span
            if fn.loc.line <= loc.line <= max(start, end):
                return fn
    units: list[Function | Worker] = sorted([*ctx.project.functions, *ctx.project.workers], key=lambda u: u.name if isinstance(u, Function) else u.display_name)
    for unit in units:
        if isinstance(unit, Worker) and unit.config.path == path and unit.env is None:
            return unit
        facts = ctx.facts(unit)
        if facts is not None and path in facts.paths:
            return unit
    return None
