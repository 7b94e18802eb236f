from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from slsreview_rules.secrets.example_values import DB_PASSWORD, OPENAI_LIKE, WEBHOOK

from slsreview.analysis.secret_scan import match_value
from slsreview.loaders.nodes import Intrinsic, MapNode
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
    "Keep the value in Secrets Manager or an SSM SecureString parameter, put only its name or ARN in "
    "the environment, and read it at run time (Powertools parameters or the Parameters and Secrets "
    "extension cache it); rotate the value, it is in the git history."
)
WORKER_FIX = "Remove it from [vars], set it with `wrangler secret put NAME` (and in .dev.vars for local runs), and rotate the value: it is in the git history."

_TEMPLATE = (
    "AWSTemplateFormatVersion: '2010-09-09'\n"
    "Transform: AWS::Serverless-2016-10-31\n"
    "{parameters}"
    "Globals:\n"
    "  Function:\n"
    "    Runtime: python3.13\n"
    "    Environment:\n"
    "      Variables:\n"
    "{globals}"
    "Resources:\n"
    "  OrdersFunction:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Handler: app.handler\n"
    "      InlineCode: \"def handler(event, context): return {{}}\"\n"
    "      Environment:\n"
    "        Variables:\n"
    "{variables}"
    "  RefundsFunction:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Handler: app.handler\n"
    "      InlineCode: \"def handler(event, context): return {{}}\"\n"
)


def _template(variables: str, globals_: str = "          TABLE: orders\n", parameters: str = "") -> str:
    return _TEMPLATE.format(variables=variables, globals=globals_, parameters=parameters)


class SecretInPlaintextConfig(Rule):
    """
    ## What it does
    Reports a Lambda `Environment` variable or a wrangler `[vars]` entry whose *name* says it
    holds a secret (`*SECRET*`, `*TOKEN*`, `*PASSWORD*`, `API_KEY`, `DATABASE_URL`, ...) and whose
    *value* is written in the configuration. Both are read: `PRIMARY_KEY` (a key column),
    `ENABLE_TOKEN_AUTH` (a switch), `TOKEN_TTL`, `PAYMENTS_SECRET_ARN` and `SECRET_NAME` (where a
    secret is) are not secret names; `"true"`, `"3600"`, an ARN, a URL without a password, a path,
    `prod/stripe` (a secret's name in a store) and `STRIPE_KEY` (another variable's name) are
    not secret values. A name that only ends in `_KEY` (`STRIPE_KEY`) needs a credential-shaped
    value. A `!Ref` to a `NoEcho` parameter is fine; a `!Ref` to a parameter without `NoEcho` is
    non-blocking (CloudFormation shows its value).

    A placeholder (`""`, `"PUT-YOUR-TOKEN-HERE"`, `"<your key>"`, `"xoxb-ENTER…"`) is not a leak,
    but a person must replace it, and for a Worker it must leave `[vars]`: a secret cannot share
    its name with a var (`wrangler secret put` fails with "Binding name already in use"). That is
    reported for human confirmation.

    One finding per variable, naming every function that gets it (a `Globals` variable is one
    finding). Values in a known credential format are SLS301's finding, not this one's.

    ## Why is this bad?
    Lambda environment variables and Worker vars are configuration, not secret storage: the
    values are in the repository and its history, in the CloudFormation template, and shown in
    plain text to anyone who can read the function's configuration
    (`lambda:GetFunctionConfiguration`) or the Worker's settings in the dashboard.

    ## Why this tier
    Blocking: the secret is already exposed to everyone who can read the repository. A
    placeholder needs a person (human-confirmation); a parameter without `NoEcho` exposes the
    value only to readers of the stack (non-blocking).

    ## Example
    ```toml
    [vars]
    WEBHOOK_SECRET = "whsec_..."
    ```

    ## Use instead
    ```sh
    npx wrangler secret put WEBHOOK_SECRET
    ```
    ```yaml
    Environment:
      Variables:
        STRIPE_SECRET_ARN: !Ref StripeSecret   # read with GetSecretValue at run time
    ```

    ## References
    - [Securing Lambda environment variables](https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html)
    - [Use Secrets Manager secrets in Lambda functions](https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html)
    - [Cloudflare Workers: secrets](https://developers.cloudflare.com/workers/configuration/secrets/)
    - [Cloudflare Workers: environment variables](https://developers.cloudflare.com/workers/configuration/environment-variables/)
    """

    id = "SLS302"
    name = "secret-in-plaintext-config"
    category = "secrets"
    tier = "blocking"
    title = "A secret-named environment variable or [vars] entry holds its value in plain text"
    fix = LAMBDA_FIX
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
        "https://developers.cloudflare.com/workers/configuration/secrets/",
    )

    bad = [
        Example(
            {"template.yaml": _template(f"          DB_PASSWORD: '{DB_PASSWORD}'\n")},
            expect=[
                Expect(
                    "template.yaml",
                    17,
                    24,
                    "DB_PASSWORD is written in plain text in OrdersFunction's environment (Kq7!…(16 chars)): anyone who can read the repository or the function's configuration can see it",
                )
            ],
            name="lambda-password",
        ),
        Example(
            {"template.yaml": _template("          TABLE: orders\n", globals_=f"          SIGNING_SECRET: {OPENAI_LIKE}\n")},
            expect=[
                Expect(
                    "template.yaml",
                    8,
                    27,
                    "SIGNING_SECRET is written in plain text in OrdersFunction's and RefundsFunction's environment (Zt8q…(33 chars)): anyone who can read the repository or the function's configuration can see it",
                )
            ],
            name="globals-variable-is-one-finding",
        ),
        Example(
            {
                "template.yaml": _template(
                    "          API_TOKEN: !Ref ApiToken\n",
                    parameters="Parameters:\n  ApiToken:\n    Type: String\n",
                )
            },
            expect=[
                Expect(
                    "template.yaml",
                    20,
                    22,
                    "API_TOKEN comes from parameter ApiToken, which is not NoEcho: CloudFormation shows its value to anyone who can describe the stack",
                    tier="non-blocking",
                )
            ],
            name="parameter-without-noecho",
        ),
        Example(
            {
                "wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n\n[vars]\nALLOWED_ORIGIN = "https://shop.example.com"\nSESSION_SECRET = "Rk7Tq2Wm9Zp4-prod-2025"\n',
                "src/index.ts": "export default { fetch: (r: Request, env: Env) => new Response(env.ALLOWED_ORIGIN) };\n",
            },
            expect=[
                Expect(
                    "wrangler.toml",
                    7,
                    18,
                    "SESSION_SECRET is written in plain text in [vars] of orders (Rk7T…(22 chars)): vars are stored and shown as plain text, and the value is in the repository",
                )
            ],
            name="worker-vars",
        ),
        Example(
            {
                "wrangler.jsonc": '{\n  "name": "bot",\n  "main": "src/index.js",\n  "compatibility_date": "2025-06-01",\n  "vars": { "SLACK_BOT_TOKEN": "xoxb-ENTER-YOUR-TOKEN-HERE", "API_KEY": "" }\n}\n',
                "src/index.js": "export default { fetch: (r, env) => fetch('https://slack.com/api/chat.postMessage', { headers: { authorization: `Bearer ${env.SLACK_BOT_TOKEN}` } }) };\n",
            },
            expect=[
                Expect(
                    "wrangler.jsonc",
                    5,
                    32,
                    "SLACK_BOT_TOKEN in [vars] of bot is a placeholder: a person must set the real value with `wrangler secret put SLACK_BOT_TOKEN` and remove it from [vars] (a secret cannot share its name with a var)",
                    tier="human-confirmation",
                ),
                Expect(
                    "wrangler.jsonc",
                    5,
                    73,
                    "API_KEY in [vars] of bot is a placeholder: a person must set the real value with `wrangler secret put API_KEY` and remove it from [vars] (a secret cannot share its name with a var)",
                    tier="human-confirmation",
                ),
            ],
            name="placeholders-need-a-person",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _template(
                    "          PRIMARY_KEY: pk\n"
                    "          PARTITION_KEY: orderId\n"
                    "          ENABLE_TOKEN_AUTH: 'true'\n"
                    "          TOKEN_TTL: '3600'\n"
                    "          STRIPE_SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:stripe\n"
                    "          SECRET_NAME: prod/stripe\n"
                    "          API_KEY_PARAMETER: /orders/prod/api-key\n"
                    "          DATABASE_URL: postgres://db.internal:5432/orders\n"
                    "          STRIPE_KEY: STRIPE_SECRET_KEY\n"
                    "          DB_PASSWORD: !Ref DbPassword\n"
                    "          API_TOKEN: '{{resolve:secretsmanager:orders/api:SecretString:token}}'\n",
                    parameters="Parameters:\n  DbPassword:\n    Type: String\n    NoEcho: true\n",
                )
            },
            name="names-and-values-that-are-not-secrets",
        ),
        Example(
            {
                "wrangler.toml": 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n\n# WEBHOOK_SECRET: `wrangler secret put WEBHOOK_SECRET`\n[vars]\nALLOWED_ORIGIN = "https://shop.example.com"\nTOKEN_HEADER = "x-orders-token"\nMAX_TOKENS = "1024"\n',
                "src/index.ts": "export default { fetch: (r: Request, env: Env) => new Response(env.WEBHOOK_SECRET ? 'ok' : 'unset') };\n",
            },
            name="worker-vars-without-secrets",
        ),
        Example(
            {
                "wrangler.toml": f'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n\n[vars]\nWEBHOOK_SECRET = "{WEBHOOK}"\n',
                "src/index.ts": "export default { fetch: () => new Response('ok') };\n",
            },
            name="a-known-format-is-sls301s",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        # (where, name) -> the functions that get it: a Globals variable is one finding
        lambda_vars: dict[tuple[Location, str], tuple[Any, list[Function]]] = {}
        for fn in ctx.project.functions:
            for name, located in fn.environment.items():
                key = (located.loc, name)
                lambda_vars.setdefault(key, (located.value, []))[1].append(fn)
        for (loc, name), (value, functions) in sorted(lambda_vars.items(), key=lambda item: (item[0][0], item[0][1])):
            yield from self._lambda_variable(ctx, name, value, loc, functions)
        for worker in ctx.project.workers:
            for name, located in worker.vars.items():
                yield from self._worker_var(worker, name, located.value, located.loc)

    def _lambda_variable(self, ctx: Context, name: str, value: Any, loc: Location, functions: list[Function]) -> Iterator[Report]:
        strength = secret_name(name)
        if strength is None:
            return
        owners = _owners(functions)
        if isinstance(value, Intrinsic):
            parameter = _parameter(ctx, functions[0].template, value)
            if parameter is not None and strength == "strong" and str(parameter[1].get("NoEcho")).lower() != "true":
                yield Report(
                    loc,
                    f"{name} comes from parameter {parameter[0]}, which is not NoEcho: CloudFormation shows its value to anyone who can describe the stack",
                    fix="Mark the parameter NoEcho: true, or better, pass the secret's ARN and read the value at run time.",
                    tier="non-blocking",
                    subject=functions[0],
                )
            return
        if not isinstance(value, str) or "{{resolve:" in value or match_value(value) is not None:
            return  # a dynamic reference is SLS303's; a known format SLS301's
        if is_placeholder(value):
            yield Report(
                loc,
                f"{name} in {owners} environment is a placeholder: a person must replace it with a reference to a secret store before deploying",
                fix="Store the value in Secrets Manager or an SSM SecureString parameter, put its ARN or name in the environment, and read it at run time.",
                tier="human-confirmation",
                subject=functions[0],
            )
        elif _secret_value(strength, value):
            yield Report(
                loc,
                f"{name} is written in plain text in {owners} environment ({mask(value)}): anyone who can read the repository or the function's configuration can see it",
                subject=functions[0],
            )

    def _worker_var(self, worker: Worker, name: str, value: Any, loc: Location) -> Iterator[Report]:
        strength = secret_name(name)
        if strength is None or not isinstance(value, str) or match_value(value) is not None:
            return
        if is_placeholder(value):
            yield Report(
                loc,
                f"{name} in [vars] of {worker.display_name} is a placeholder: a person must set the real value with "
                f"`wrangler secret put {name}` and remove it from [vars] (a secret cannot share its name with a var)",
                fix=f"Delete {name} from [vars], run `wrangler secret put {name}` for every environment, and put a local value in .dev.vars (not committed).",
                tier="human-confirmation",
            )
        elif _secret_value(strength, value):
            yield Report(
                loc,
                f"{name} is written in plain text in [vars] of {worker.display_name} ({mask(value)}): vars are stored and shown as plain text, and the value is in the repository",
                fix=WORKER_FIX,
            )


def _secret_value(strength: str, value: str) -> bool:
    if plainly_not_secret(value):
        return False
    return strength == "strong" or credential_shaped(value)


def _owners(functions: list[Function]) -> str:
    names = [f"{fn.name}'s" for fn in functions]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _parameter(ctx: Context, template: str, value: Intrinsic) -> tuple[str, MapNode] | None:
    """The template parameter a ``!Ref`` names, with its declaration."""
    if value.name != "Ref" or not isinstance(value.value, str):
        return None
    for config in ctx.project.configs:
        if config.path == template and isinstance(config.value, MapNode):
            parameters = config.value.get("Parameters")
            declared = parameters.get(value.value) if isinstance(parameters, MapNode) else None
            if isinstance(declared, MapNode):
                return value.value, declared
    return None
