from __future__ import annotations

import re
from collections.abc import Iterator

from slsreview.analysis.credentials import request_sources, secret_sources
from slsreview.analysis.facts import Comparison, Facts, Source, Value
from slsreview.analysis.memo import answer_kept
from slsreview.location import Location
from slsreview.model.project import Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule

_EQUALITY = frozenset({"==", "!=", "===", "!=="})
# Comparing lengths leaks only the length, and is what code does before a constant-time
# comparison that needs equal lengths (crypto.timingSafeEqual throws otherwise).
_LENGTH = re.compile(r"(\.length|\.byteLength|\.size)\s*$|^len\(")

_FIX = {
    "python": "Compare with hmac.compare_digest(given, expected) (both str or both bytes).",
    "javascript": "Compare with crypto.timingSafeEqual (Node) or crypto.subtle.timingSafeEqual (Workers) on equal-length buffers, e.g. of both values' SHA-256 digests.",
}


def _lambda(code: str, name: str = "src/hook.py", handler: str = "hook.handler", runtime: str = "python3.13") -> dict[str, str]:
    return {
        "template.yaml": (
            "AWSTemplateFormatVersion: '2010-09-09'\n"
            "Transform: AWS::Serverless-2016-10-31\n"
            "Resources:\n"
            "  HookFunction:\n"
            "    Type: AWS::Serverless::Function\n"
            "    Properties:\n"
            "      CodeUri: src/\n"
            f"      Handler: {handler}\n"
            f"      Runtime: {runtime}\n"
            "      Timeout: 10\n"
        ),
        name: code,
    }


def _worker(code: str) -> dict[str, str]:
    return {"wrangler.toml": 'name = "hooks"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n', "src/index.ts": code}


class SecretComparedInNonConstantTime(Rule):
    """
    ## What it does
    Reports `==`, `!=`, `===` and `!==` between a secret and request data: one side carries a
    secret (an environment variable or Worker secret whose name says it is one, such as
    `WEBHOOK_SECRET` or `API_TOKEN`, or a value read from Secrets Manager or SSM), the other side
    carries something from the request (a header, the body, a query parameter). An HMAC computed
    with the secret and compared with a signature header counts: it is exactly what an attacker
    guesses byte by byte.

    It does not report `hmac.compare_digest`, `crypto.timingSafeEqual` or
    `crypto.subtle.timingSafeEqual`; comparisons of lengths (done before a constant-time
    comparison that needs equal lengths); or comparisons where no side is a secret, such as a hash
    of the body against a stored hash, or two identifiers. Names that only look secret are not
    (`PAYMENTS_SECRET_ID`, `TOKEN_URL`, `PRIMARY_KEY`). One finding per comparison.

    ## Why is this bad?
    Ordinary string equality returns at the first differing character. Over many requests the time
    it takes to answer tells an attacker how many leading characters of a guess are right, and a
    secret can be recovered a character at a time. A constant-time comparison takes the same time
    whatever the inputs.

    ## Why this tier
    Non-blocking: the attack needs many requests and a measurable timing difference (harder over
    the internet, easier from the same region); the fix is one line and should be made.

    ## Example
    ```python
    if event["headers"].get("x-webhook-secret") != os.environ["WEBHOOK_SECRET"]:
        return {"statusCode": 401}
    ```
    ```typescript
    if (request.headers.get("x-webhook-secret") !== env.WEBHOOK_SECRET) return new Response(null, { status: 401 });
    ```

    ## Use instead
    ```python
    if not hmac.compare_digest(event["headers"].get("x-webhook-secret", ""), os.environ["WEBHOOK_SECRET"]):
        return {"statusCode": 401}
    ```
    ```typescript
    const [a, b] = await Promise.all([given, env.WEBHOOK_SECRET].map((s) => crypto.subtle.digest("SHA-256", encoder.encode(s))));
    if (!crypto.subtle.timingSafeEqual(a, b)) return new Response(null, { status: 401 });
    ```

    ## References
    - [OWASP: Testing for weak cryptography / timing attacks](https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/09-Testing_for_Weak_Cryptography/README)
    - [OWASP Authentication Cheat Sheet: compare secrets in constant time](https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html)
    - [Python hmac.compare_digest](https://docs.python.org/3/library/hmac.html#hmac.compare_digest)
    - [Node crypto.timingSafeEqual](https://nodejs.org/api/crypto.html#cryptotimingsafeequala-b)
    - [Workers: crypto.subtle.timingSafeEqual](https://developers.cloudflare.com/workers/examples/protect-against-timing-attacks/)
    """

    id = "SLS409"
    name = "secret-compared-in-non-constant-time"
    category = "exposure"
    tier = "non-blocking"
    title = "A secret is compared with request data using ordinary equality"
    fix = "Compare secrets in constant time: hmac.compare_digest in Python, crypto.timingSafeEqual / crypto.subtle.timingSafeEqual in JavaScript."
    docs = (
        "https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html",
        "https://developers.cloudflare.com/workers/examples/protect-against-timing-attacks/",
    )

    bad = [
        Example(
            _lambda(
                "import os\n"
                "\n"
                "def handler(event, context):\n"
                '    if event["headers"].get("x-webhook-secret") != os.environ["WEBHOOK_SECRET"]:\n'
                '        return {"statusCode": 401}\n'
                '    return {"statusCode": 204}\n'
            ),
            expect=[
                Expect(
                    "src/hook.py",
                    4,
                    8,
                    "WEBHOOK_SECRET is compared with request data (headers.x-webhook-secret) using !=: the "
                    "comparison stops at the first differing character, so response times tell an attacker how "
                    "much of a guess is right",
                )
            ],
            name="python-header-against-secret",
        ),
        Example(
            _lambda(
                "import hashlib, hmac, os\n"
                "\n"
                'SIGNING_KEY = os.environ["SIGNING_KEY"].encode()\n'
                "\n"
                "def handler(event, context):\n"
                '    expected = hmac.new(SIGNING_KEY, event["body"].encode(), hashlib.sha256).hexdigest()\n'
                '    if expected == event["headers"].get("x-signature"):\n'
                '        return {"statusCode": 204}\n'
                '    return {"statusCode": 401}\n'
            ),
            expect=[
                Expect(
                    "src/hook.py",
                    7,
                    8,
                    "SIGNING_KEY is compared with request data (headers.x-signature) using ==: the comparison "
                    "stops at the first differing character, so response times tell an attacker how much of a "
                    "guess is right",
                )
            ],
            name="python-hmac-signature-with-equality",
        ),
        Example(
            _worker(
                "export default {\n"
                "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                '    if (request.headers.get("authorization") !== `Bearer ${env.API_TOKEN}`) {\n'
                "      return new Response(null, { status: 401 });\n"
                "    }\n"
                "    return new Response(null, { status: 204 });\n"
                "  },\n"
                "};\n"
            ),
            expect=[
                Expect(
                    "src/index.ts",
                    3,
                    9,
                    "API_TOKEN is compared with request data (headers.authorization) using !==: the comparison "
                    "stops at the first differing character, so response times tell an attacker how much of a "
                    "guess is right",
                )
            ],
            name="typescript-bearer-token",
        ),
        Example(
            _lambda(
                "export const handler = async (event) => {\n"
                '  const ok = event.headers["x-api-key"] === process.env.PARTNER_API_KEY;\n'
                "  return { statusCode: ok ? 204 : 401 };\n"
                "};\n",
                name="src/hook.mjs",
                runtime="nodejs22.x",
            ),
            expect=[
                Expect(
                    "src/hook.mjs",
                    2,
                    14,
                    "PARTNER_API_KEY is compared with request data (headers.x-api-key) using ===: the comparison "
                    "stops at the first differing character, so response times tell an attacker how much of a "
                    "guess is right",
                )
            ],
            name="javascript-lambda-api-key",
        ),
        Example(
            _lambda(
                "import os\n"
                "\n"
                "import boto3\n"
                "\n"
                'secrets = boto3.client("secretsmanager")\n'
                "\n"
                "def handler(event, context):\n"
                '    expected = secrets.get_secret_value(SecretId=os.environ["TOKEN_SECRET_ARN"])["SecretString"]\n'
                '    return {"isAuthorized": event["headers"].get("authorization") == expected}\n'
            ),
            expect=[
                Expect(
                    "src/hook.py",
                    9,
                    29,
                    "A secret read from Secrets Manager or SSM is compared with request data (headers.authorization) "
                    "using ==: the comparison stops at the first differing character, so response times tell an "
                    "attacker how much of a guess is right",
                )
            ],
            name="python-secrets-manager-value",
        ),
    ]
    good = [
        Example(
            _lambda(
                "import hmac, os\n"
                "\n"
                "def handler(event, context):\n"
                '    if not hmac.compare_digest(event["headers"].get("x-webhook-secret", ""), os.environ["WEBHOOK_SECRET"]):\n'
                '        return {"statusCode": 401}\n'
                '    return {"statusCode": 204}\n'
            ),
            name="python-compare-digest",
        ),
        Example(
            _lambda(
                "import hashlib\n"
                "\n"
                "import boto3\n"
                "\n"
                'table = boto3.resource("dynamodb").Table("uploads")\n'
                "\n"
                "def handler(event, context):\n"
                '    digest = hashlib.sha256(event["body"].encode()).hexdigest()\n'
                '    stored = table.get_item(Key={"pk": event["pathParameters"]["id"]})["Item"]\n'
                '    if digest == stored["sha256"] and event["pathParameters"]["id"] != stored["owner"]:\n'
                '        return {"statusCode": 409}\n'
                '    return {"statusCode": 204}\n'
            ),
            name="python-body-hash-and-ids-are-not-secrets",
        ),
        Example(
            _lambda(
                "import os\n"
                "\n"
                "def handler(event, context):\n"
                '    if event["headers"].get("x-tenant") == os.environ["PAYMENTS_SECRET_ID"]:\n'
                '        return {"statusCode": 400}\n'
                '    return {"statusCode": 204}\n'
            ),
            name="python-name-of-a-secret-is-not-a-secret",
        ),
        Example(
            _worker(
                "const encoder = new TextEncoder();\n"
                "\n"
                "export default {\n"
                "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                '    const given = encoder.encode(request.headers.get("x-webhook-secret") ?? "");\n'
                "    const expected = encoder.encode(env.WEBHOOK_SECRET);\n"
                "    if (given.byteLength !== expected.byteLength || !crypto.subtle.timingSafeEqual(given, expected)) {\n"
                "      return new Response(null, { status: 401 });\n"
                "    }\n"
                "    return new Response(null, { status: 204 });\n"
                "  },\n"
                "};\n"
            ),
            name="typescript-length-check-then-timing-safe-equal",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        sites: dict[Location, tuple[Comparison, list[Function | Worker]]] = {}
        units: list[Function | Worker] = [*ctx.project.functions, *ctx.project.workers]
        for unit in units:
            facts = ctx.facts(unit)
            if facts is None:
                continue
            leaks: list[Comparison] = answer_kept(facts, "SLS409 leaks", _leaks)
            for comparison in leaks:
                sites.setdefault(comparison.loc, (comparison, []))[1].append(unit)
        for comparison, owners in sites.values():
            left, right = comparison.left, comparison.right
            secret_side, other = (left, right) if secret_sources(left) and request_sources(right) else (right, left)
            secrets = sorted({_describe(s) for s in secret_sources(secret_side)})
            data = sorted({s.name for s in request_sources(other)})
            language = "python" if comparison.loc.path.endswith(".py") else "javascript"
            yield Report(
                comparison,
                f"{_capital(', '.join(secrets))} is compared with request data ({', '.join(data)}) using {comparison.op}: the "
                "comparison stops at the first differing character, so response times tell an attacker how much "
                "of a guess is right",
                fix=_FIX[language],
                subject=owners[0] if len(owners) == 1 else None,
            )


def _leaks(facts: Facts) -> list[Comparison]:
    return [c for c in facts.comparisons() if _timing_leak(c)]


def _timing_leak(comparison: Comparison) -> bool:
    if comparison.constant_time or comparison.op not in _EQUALITY:
        return False
    left, right = comparison.left, comparison.right
    if _is_length(left) or _is_length(right):
        return False
    return bool((secret_sources(left) and request_sources(right)) or (secret_sources(right) and request_sources(left)))


def _is_length(value: Value) -> bool:
    return bool(_LENGTH.search(value.text.strip()))


def _describe(source: Source) -> str:
    if source.kind == "env":
        return source.name
    if source.name and source.name != "*":
        return f"the secret {source.name}"
    return "a secret read from Secrets Manager or SSM"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
