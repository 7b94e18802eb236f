from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from slsreview.loaders.nodes import Intrinsic
from slsreview.location import Location
from slsreview.model.project import Function
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary.secrets import secret_name

# {{resolve:secretsmanager:...}} and {{resolve:ssm-secure:...}}; plain `ssm` parameters are
# String/StringList values, not secrets.
_DYNAMIC = re.compile(r"\{\{resolve:(secretsmanager|ssm-secure):((?:\$\{[^}]*\}|[^}])*)\}\}")

_TEMPLATE = (
    "AWSTemplateFormatVersion: '2010-09-09'\n"
    "Transform: AWS::Serverless-2016-10-31\n"
    "Resources:\n"
    "  OrdersFunction:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Runtime: python3.13\n"
    "      Handler: app.handler\n"
    "      InlineCode: \"def handler(event, context): return {{}}\"\n"
    "      Environment:\n"
    "        Variables:\n"
    "{variables}"
)


class SecretResolvedIntoConfig(Rule):
    """
    ## What it does
    Reports a `{{resolve:secretsmanager:…}}` or `{{resolve:ssm-secure:…}}` dynamic reference in a
    Lambda function's `Environment` (written as a plain string, or inside `!Sub` or `!Join`), in
    the function's own properties or in SAM `Globals`: one finding per variable, naming every
    function that gets it.

    ## Why is this bad?
    CloudFormation resolves a `secretsmanager` reference at deploy time and writes the secret's
    value into the function's configuration: it is then stored and shown in plain text to anyone
    with `lambda:GetFunctionConfiguration`, copied into every published version, and no longer
    follows the secret's rotation until the next deploy.

    `ssm-secure` is worse: CloudFormation supports it only in the resource properties its
    documentation lists, and a Lambda function's environment is not one of them, so the
    deployment fails.

    ## Why this tier
    Non-blocking for `secretsmanager`: the secret stays out of the repository, which is the
    larger risk, but it is exposed wider than it needs to be. Blocking for `ssm-secure`: the
    deployment fails.

    ## Example
    ```yaml
    Environment:
      Variables:
        STRIPE_KEY: '{{resolve:secretsmanager:prod/stripe:SecretString:key}}'
    ```

    ## Use instead
    ```yaml
    Environment:
      Variables:
        STRIPE_SECRET_ARN: !Ref StripeSecret    # the function reads it with GetSecretValue
    Policies:
      - AWSSecretsManagerGetSecretValuePolicy:
          SecretArn: !Ref StripeSecret
    ```

    ## References
    - [Using Secrets Manager secrets in Lambda functions](https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html)
    - [Get a secret from Secrets Manager with a dynamic reference](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html)
    - [Get a secure string from Parameter Store (supported resources)](https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm-secure-strings.html)
    - [Securing Lambda environment variables](https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html)
    """

    id = "SLS303"
    name = "secret-resolved-into-config"
    category = "secrets"
    tier = "non-blocking"
    platforms = ("aws-lambda",)
    title = "A Secrets Manager or SecureString value is resolved into a Lambda environment variable"
    fix = "Pass the secret's ARN or name in the environment and read the value at run time with GetSecretValue (cached: Powertools parameters or the Parameters and Secrets extension)."
    docs = (
        "https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm-secure-strings.html",
    )

    bad = [
        Example(
            {"template.yaml": _TEMPLATE.format(variables="          STRIPE_KEY: '{{resolve:secretsmanager:prod/stripe:SecretString:key}}'\n")},
            expect=[
                Expect(
                    "template.yaml",
                    12,
                    23,
                    "STRIPE_KEY resolves Secrets Manager secret prod/stripe into OrdersFunction's configuration at deploy time: the value is stored there in plain text for anyone who can read the function",
                )
            ],
            name="secretsmanager",
        ),
        Example(
            {
                "template.yaml": _TEMPLATE.format(
                    variables="          DB_URL: !Sub 'postgres://orders:{{resolve:secretsmanager:${DbSecret}:SecretString:password}}@${DbHost}/orders'\n"
                )
            },
            expect=[
                Expect(
                    "template.yaml",
                    12,
                    19,
                    "DB_URL resolves Secrets Manager secret ${DbSecret} into OrdersFunction's configuration at deploy time: the value is stored there in plain text for anyone who can read the function",
                )
            ],
            name="inside-sub",
        ),
        Example(
            {"template.yaml": _TEMPLATE.format(variables="          API_TOKEN: '{{resolve:ssm-secure:/orders/api-token:1}}'\n")},
            expect=[
                Expect(
                    "template.yaml",
                    12,
                    22,
                    "API_TOKEN uses an ssm-secure dynamic reference (/orders/api-token), which CloudFormation does not support in a Lambda function's environment: the deployment of OrdersFunction fails",
                    tier="blocking",
                )
            ],
            name="ssm-secure-fails",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _TEMPLATE.format(
                    variables="          STRIPE_SECRET_ARN: !Ref StripeSecret\n"
                    "          REGION_NAME: '{{resolve:ssm:/orders/region}}'\n"
                    "          DB_USER: !Sub '{{resolve:secretsmanager:${DbSecret}:SecretString:username}}'\n"
                )
                + "  StripeSecret:\n    Type: AWS::SecretsManager::Secret\n"
            }
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        seen: dict[tuple[Location, str], tuple[Any, list[Function]]] = {}
        for fn in ctx.project.functions:
            for name, located in fn.environment.items():
                seen.setdefault((located.loc, name), (located.value, []))[1].append(fn)
        for (loc, name), (value, functions) in sorted(seen.items(), key=lambda item: (item[0][0], item[0][1])):
            references = [m for text in _strings(value) for m in _DYNAMIC.finditer(text)]
            if not references:
                continue
            owners = _owners(functions)
            secure = [m for m in references if m.group(1) == "ssm-secure"]
            if secure:
                parameter = secure[0].group(2).rsplit(":", 1)[0] if secure[0].group(2).count(":") else secure[0].group(2)
                yield Report(
                    loc,
                    f"{name} uses an ssm-secure dynamic reference ({parameter}), which CloudFormation does not support in a "
                    f"Lambda function's environment: the deployment of {_owners(functions, possessive=False)} fails",
                    fix="Pass the parameter's name and read it at run time with GetParameter(WithDecryption=True), or move the value to Secrets Manager.",
                    tier="blocking",
                    subject=functions[0],
                )
                continue
            if not secret_name(name) and all(_plain_key(m.group(2)) for m in references):
                continue  # {{resolve:secretsmanager:db:SecretString:username}}: the user name, not the password
            secret = references[0].group(2).split(":", 1)[0]
            yield Report(
                loc,
                f"{name} resolves Secrets Manager secret {secret} into {owners} configuration at deploy time: "
                "the value is stored there in plain text for anyone who can read the function",
                subject=functions[0],
            )


def _plain_key(reference: str) -> bool:
    """True when a secretsmanager reference picks a JSON key that is no secret (username,
    host, port, dbname): ``secret-id:SecretString:json-key:...``."""
    parts = reference.split(":")
    if "SecretString" not in parts:
        return False
    index = parts.index("SecretString")
    key = parts[index + 1] if index + 1 < len(parts) else ""
    return bool(key) and secret_name(key) is None and key.lower() in _PLAIN_KEYS


_PLAIN_KEYS = frozenset({"username", "user", "host", "hostname", "port", "dbname", "database", "engine", "dbclusteridentifier", "dbinstanceidentifier", "endpoint", "region"})


def _strings(value: Any) -> Iterator[str]:
    """Every literal string in a value, through !Sub, !Join and the like."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Intrinsic):
        yield from _strings(value.value)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _owners(functions: list[Function], possessive: bool = True) -> str:
    names = [f"{fn.name}'s" if possessive else fn.name for fn in functions]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
