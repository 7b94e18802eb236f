from __future__ import annotations

import functools
from collections.abc import Iterator

from slsreview.analysis.facts import Facts, Flow
from slsreview.analysis.memo import answer_kept
from slsreview.analysis.secret_scan import match_value
from slsreview.analysis.sensitive import after_verification, describe_secret, masked
from slsreview.loaders.nodes import Intrinsic, MapNode
from slsreview.location import Location
from slsreview.model.project import Function, Worker
from slsreview.rule import Context, Example, Expect, Report, Rule
from slsreview.vocabulary.secrets import credential_shaped, secret_name

LOG_FIX = "Log that the secret is set (or which one, by name), never its value; for a caller's credential, log who the caller is after verifying it."
RESPONSE_FIX = "Never return a secret or a value built from it; return only what the caller needs."

_TEMPLATE = (
    "AWSTemplateFormatVersion: '2010-09-09'\n"
    "Transform: AWS::Serverless-2016-10-31\n"
    "Resources:\n"
    "  PaymentsFunction:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Runtime: {runtime}\n"
    "      Handler: {handler}\n"
    "      CodeUri: src/\n"
    "      Environment:\n"
    "        Variables:\n"
    "          STRIPE_SECRET_ARN: arn:aws:secretsmanager:eu-west-1:123456789012:secret:stripe\n"
    "          DB_CONN: '{{{{resolve:secretsmanager:orders/db:SecretString:url}}}}'\n"
)
_PY = _TEMPLATE.format(runtime="python3.13", handler="app.handler")
_JS = _TEMPLATE.format(runtime="nodejs22.x", handler="index.handler")
_WRANGLER = 'name = "orders"\nmain = "src/index.ts"\ncompatibility_date = "2025-06-01"\n\n[[hyperdrive]]\nbinding = "DB"\nid = "a1b2c3d4e5f60718293a4b5c6d7e8f90"\n'


class SecretReachesLogOrResponse(Rule):
    """
    ## What it does
    Follows values from secret sources to log calls (`print`, `logging`, Powertools `Logger`,
    `console.*`, pino, winston) and to response bodies (a returned value, a `Response` body),
    through the assignments, string building, containers and calls the analysis tracks, in
    Python and JavaScript/TypeScript alike. Secret sources are:

    - an environment value with a secret's name (`process.env.STRIPE_SECRET_KEY`,
      `os.environ["WEBHOOK_SECRET"]`, a Worker's `env.API_TOKEN`: secrets set with
      `wrangler secret put` appear only as such reads), or one the configuration marks as
      secret (a `{{resolve:secretsmanager:…}}` or `NoEcho`-parameter value; for a Worker, an
      `env.X_KEY` that no `[vars]` entry or binding declares);
    - a value read from Secrets Manager or SSM (`get_secret_value`, `GetSecretValueCommand`,
      Powertools `get_secret`, a decrypted `get_parameter`);
    - a Hyperdrive binding's `connectionString` or `password`;
    - the request's credential headers (`Authorization`, `Cookie`, `x-api-key`, `*-secret`,
      `*-token`) and credential fields (`password`, `client_secret`, `refresh_token`...), which
      reach the log only: returning the caller's own header to the caller leaks nothing.

    One finding per log call or response, naming every secret that reaches it. A value passed
    through a call whose name says it hides it (`mask(...)`, `redact(...)`, `hashlib.sha256(...)`,
    `createHash(...)`) inside the log call is not reported, and neither are a secret's length
    (`len(key)`, `key.length`) or whether it is set (`!!env.KEY`, `"yes" if KEY else "no"`).
    An SSM parameter read without `WithDecryption` (or Powertools' `decrypt`) is a String
    parameter, no secret. A request credential logged after the handler called something that
    verifies or decodes one (`validate_jwt(token)`, `jwt.verify`) is taken to be a claim of the
    verified token (a user id), not the token. Nor is what a library call made from a secret: a
    token signed with it (`jwt.encode(claims, SECRET)`), a client configured with it (`new
    Client({ password })`), a catalog fetched with it. Conversions that keep the value itself
    (`str(key)`, `JSON.stringify`, `key.trim()`, string building) are followed, and so are the
    parameters and returned values of the project's own functions.

    ## Why is this bad?
    Logs are read by far more people and systems than secrets are: CloudWatch Logs and Workers
    Logs readers, log shippers, support tickets. A logged key is a leaked key, and it stays in
    the log retention. A secret in a response is handed to every caller.

    ## Why this tier
    Blocking: deploying it writes the secret where it does not belong on the first request.

    ## Example
    ```python
    def handler(event, context):
        logger.info("auth header %s", event["headers"]["authorization"])
    ```

    ## Use instead
    ```python
    def handler(event, context):
        logger.info("caller verified", extra={"caller": claims["sub"]})
    ```

    ## References
    - [OWASP Logging Cheat Sheet: data to exclude](https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude)
    - [Using Secrets Manager secrets in Lambda functions](https://docs.aws.amazon.com/lambda/latest/dg/with-secrets-manager.html)
    - [Cloudflare Workers: secrets](https://developers.cloudflare.com/workers/configuration/secrets/)
    - [Cloudflare Hyperdrive: connect from a Worker](https://developers.cloudflare.com/hyperdrive/get-started/)
    """

    id = "SLS304"
    name = "secret-reaches-log-or-response"
    category = "secrets"
    tier = "blocking"
    title = "A secret value is written to a log or returned in a response"
    fix = LOG_FIX
    docs = (
        "https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html",
        "https://developers.cloudflare.com/workers/configuration/secrets/",
    )

    bad = [
        Example(
            {
                "template.yaml": _PY,
                "src/app.py": (
                    "import json\nimport logging\nimport os\n\nimport boto3\n\n"
                    "logger = logging.getLogger()\n"
                    'secrets = boto3.client("secretsmanager")\n\n\n'
                    "def handler(event, context):\n"
                    '    logger.info("auth %s", event["headers"]["Authorization"])\n'
                    '    key = secrets.get_secret_value(SecretId=os.environ["STRIPE_SECRET_ARN"])["SecretString"]\n'
                    '    print("using", key, os.environ["DB_CONN"])\n'
                    '    return {"statusCode": 200, "body": json.dumps({"ok": True, "key": key})}\n'
                ),
            },
            expect=[
                Expect("src/app.py", 12, 5, "The authorization header reaches a log call in PaymentsFunction: anyone who can read its logs can use it"),
                Expect("src/app.py", 14, 5, "The DB_CONN secret and a value read from Secrets Manager or SSM reach a log call in PaymentsFunction: anyone who can read its logs can use it"),
                Expect("src/app.py", 15, 5, "A value read from Secrets Manager or SSM is returned in the response of PaymentsFunction: every caller receives it"),
            ],
            name="python",
        ),
        Example(
            {
                "template.yaml": _JS,
                "src/index.mjs": (
                    "export const handler = async (event) => {\n"
                    "  console.log(`calling payments with ${process.env.PAYMENTS_API_TOKEN}`);\n"
                    "  console.debug('cookie', event.headers.cookie);\n"
                    "  return { statusCode: 200, body: JSON.stringify({ ok: true }) };\n"
                    "};\n"
                ),
            },
            expect=[
                Expect("src/index.mjs", 2, 3, "The PAYMENTS_API_TOKEN secret reaches a log call in PaymentsFunction: anyone who can read its logs can use it"),
                Expect("src/index.mjs", 3, 3, "The cookie header reaches a log call in PaymentsFunction: anyone who can read its logs can use it"),
            ],
            name="javascript",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": (
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    "    console.log('db', env.DB.connectionString);\n"
                    "    console.log('key', env.STRIPE_KEY);\n"
                    "    return new Response(env.ADMIN_TOKEN);\n"
                    "  },\n"
                    "};\n"
                ),
            },
            expect=[
                Expect("src/index.ts", 3, 5, "DB.connectionString (it holds the database password) reaches a log call in orders: anyone who can read its logs can use it"),
                Expect("src/index.ts", 4, 5, "The STRIPE_KEY secret reaches a log call in orders: anyone who can read its logs can use it"),
                Expect("src/index.ts", 5, 12, "The ADMIN_TOKEN secret is returned in the response of orders: every caller receives it"),
            ],
            name="worker-secrets-and-hyperdrive",
        ),
        Example(
            {
                "template.yaml": _JS,
                "src/index.mjs": (
                    "const describe = (name, value) => `${name}=${value}`;\n"
                    "\n"
                    "export const handler = async () => {\n"
                    '  console.log(describe("token", process.env.PAYMENTS_API_TOKEN));\n'
                    "};\n"
                ),
            },
            expect=[Expect("src/index.mjs", 4, 3, "The PAYMENTS_API_TOKEN secret reaches a log call in PaymentsFunction: anyone who can read its logs can use it")],
            name="javascript-through-a-helper-that-keeps-the-value",
        ),
    ]
    good = [
        Example(
            {
                "template.yaml": _PY,
                "src/app.py": (
                    "import hashlib\nimport logging\nimport os\n\nimport boto3\n\n"
                    "logger = logging.getLogger()\n"
                    'API_TOKEN = os.environ.get("API_TOKEN", "")\n\n\n'
                    "def handler(event, context):\n"
                    '    logger.info("token set: %s, %d chars", bool(API_TOKEN), len(API_TOKEN))\n'
                    '    logger.info("token fingerprint %s", hashlib.sha256(API_TOKEN.encode()).hexdigest()[:8])\n'
                    '    logger.info("secret arn %s", os.environ["STRIPE_SECRET_ARN"])\n'
                    '    logger.info("primary key %s", os.environ.get("PRIMARY_KEY"))\n'
                    '    logger.info("user agent %s", event["headers"].get("user-agent"))\n'
                    '    region = boto3.client("ssm").get_parameter(Name="/orders/region")["Parameter"]["Value"]\n'
                    '    logger.info("region %s", region)  # a String parameter, not decrypted: no secret\n'
                    '    return {"statusCode": 200, "body": "ok"}\n'
                ),
            },
            name="python-presence-length-hash-and-non-secrets",
        ),
        Example(
            {
                "template.yaml": _PY,
                "src/app.py": (
                    "import logging\n\nfrom auth import validate_jwt\n\nlogger = logging.getLogger()\n\n\n"
                    "def handler(event, context):\n"
                    '    token = event["headers"]["authorization"].removeprefix("Bearer ")\n'
                    "    claims = validate_jwt(token)\n"
                    '    logger.info("caller %s", claims["sub"])  # a claim of the verified token, not the token\n'
                    '    return {"statusCode": 200}\n'
                ),
            },
            name="claims-after-verification",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER + '\n[vars]\nCACHE_KEY = "v2"\n',
                "src/index.ts": (
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    "    console.log('api key configured', !!env.API_KEY);\n"
                    "    console.log('cache key', env.CACHE_KEY);\n"
                    "    const auth = request.headers.get('Authorization');\n"
                    "    if (auth !== `Bearer ${env.API_KEY}`) return new Response('unauthorized', { status: 401 });\n"
                    "    return new Response(request.headers.get('x-request-token'));\n"
                    "  },\n"
                    "};\n"
                ),
            },
            name="worker-presence-vars-and-echo",
        ),
        Example(
            {
                "template.yaml": _PY,
                "src/app.py": (
                    "import json\nimport os\n\nimport jwt\n\n\n"
                    "def handler(event, context):\n"
                    '    token = jwt.encode({"sub": event["pathParameters"]["user"]}, os.environ["DB_CONN"], algorithm="HS256")\n'
                    '    print("issued a token of", len(token), "characters")\n'
                    '    return {"statusCode": 200, "body": json.dumps({"token": token})}  # signed with the secret, not the secret\n'
                ),
            },
            name="python-token-signed-with-a-secret",
        ),
        Example(
            {
                "template.yaml": _JS,
                "src/index.mjs": (
                    'import jwt from "jsonwebtoken";\n'
                    'import { Client } from "pg";\n\n'
                    "export const handler = async (event) => {\n"
                    "  const db = new Client({ password: process.env.DB_PASSWORD });\n"
                    "  console.log('connected to', db.host);\n"
                    "  const token = jwt.sign({ sub: event.pathParameters.user }, process.env.SIGNING_SECRET);\n"
                    "  return { statusCode: 200, body: JSON.stringify({ token }) };\n"
                    "};\n"
                ),
            },
            name="javascript-made-from-a-secret-by-a-library",
        ),
        Example(
            {
                "wrangler.toml": _WRANGLER,
                "src/index.ts": (
                    "async function fetchCatalog(domain: string, password: string) {\n"
                    "  const response = await fetch(`https://${domain}/products.json`, { headers: { \"X-Store-Token\": password } });\n"
                    "  return response.json();\n"
                    "}\n"
                    "\n"
                    "export default {\n"
                    "  async fetch(request: Request, env: Env): Promise<Response> {\n"
                    "    const catalog = await fetchCatalog(env.STORE_DOMAIN, env.STORE_PASSWORD);\n"
                    "    return Response.json({ products: catalog });\n"
                    "  },\n"
                    "};\n"
                ),
            },
            name="worker-what-a-helper-fetched-with-a-secret",
        ),
    ]

    def check(self, ctx: Context) -> Iterator[Report]:
        # One finding per place: two functions running one handler file share their findings.
        places: dict[tuple[Location, str], tuple[list[str], list[Function | Worker]]] = {}
        units: list[tuple[Function | Worker, set[str]]] = [(fn, _lambda_secret_env(ctx, fn)) for fn in ctx.project.functions]
        units += [(w, _worker_secret_env(ctx, w)) for w in ctx.project.workers if not _shadowed_view(ctx, w)]
        for unit, secret_env in units:
            facts = ctx.facts(unit)
            if facts is None:
                continue
            found: list[tuple[Location, str, str]] = answer_kept(
                facts, f"SLS304 secrets reaching sinks {sorted(secret_env)}", functools.partial(_reaching, secret_env=secret_env)
            )
            for loc, sink, what in found:
                whats, owners = places.setdefault((loc, sink), ([], []))
                if what not in whats:
                    whats.append(what)
                if unit not in owners:
                    owners.append(unit)
        for (loc, sink), (whats, owners) in sorted(places.items(), key=lambda item: (item[0][0], item[0][1])):
            subject = _join(whats)
            subject = subject[0].upper() + subject[1:]
            names = _join(sorted(u.name if isinstance(u, Function) else u.display_name for u in owners))
            if sink == "log":
                verb = "reaches" if len(whats) == 1 else "reach"
                yield Report(loc, f"{subject} {verb} a log call in {names}: anyone who can read its logs can use it", subject=owners[0])
            else:
                verb = "is" if len(whats) == 1 else "are"
                yield Report(loc, f"{subject} {verb} returned in the response of {names}: every caller receives it", fix=RESPONSE_FIX, subject=owners[0])


def _reaching(facts: Facts, secret_env: set[str]) -> list[tuple[Location, str, str]]:
    """(place, sink, what) of each secret reaching a log or a response in one handler."""
    found = []
    for sink in ("log", "response"):
        for flow in facts.flows(sink=sink):
            if flow.source.derived:
                continue  # made from a secret by a call (a client, a signed token), not the secret
            what = _secret(flow, sink, secret_env)
            if what is None or masked(facts, flow):
                continue
            if flow.source.kind == "event" and after_verification(facts, flow):
                continue
            found.append((flow.loc, sink, what))
    return found


def _secret(flow: Flow, sink: str, secret_env: set[str]) -> str | None:
    if sink == "response" and flow.source.kind == "event":
        return None  # the caller's own credential, handed back to the caller
    return describe_secret(flow.source, secret_env)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _lambda_secret_env(ctx: Context, fn: Function) -> set[str]:
    """Environment names the configuration marks as secrets whatever they are called."""
    names = set()
    for name, located in fn.environment.items():
        value = located.value
        texts = _strings(value)
        if any("{{resolve:secretsmanager:" in t or "{{resolve:ssm-secure:" in t for t in texts) or (isinstance(value, Intrinsic) and value.name == "Ref" and _noecho(ctx, fn.template, value.value)) or (isinstance(value, str) and secret_name(name) == "weak" and (match_value(value) is not None or credential_shaped(value))):
            names.add(name)
    return names


def _worker_secret_env(ctx: Context, worker: Worker) -> set[str]:
    """``env.X_KEY`` names that no view declares as a var or a binding: secrets put with
    ``wrangler secret put`` (or in the dashboard), which configuration never shows."""
    declared: set[str] = set()
    for view in ctx.project.workers:
        if view.config.path == worker.config.path:
            declared.update(view.vars)
            declared.update(b.name for b in view.bindings)
    facts = ctx.facts(worker)
    reads: set[str] = answer_kept(facts, "env names read", _env_names) if facts is not None else set()
    return {name for name in reads - declared if secret_name(name) == "weak"}


def _env_names(facts: Facts) -> set[str]:
    return {r.name for r in facts.env_reads()}


def _shadowed_view(ctx: Context, worker: Worker) -> bool:
    """An [env.NAME] view running the same code as the top level: its code is reviewed once."""
    if worker.env is None:
        return False
    return any(
        w.env is None and w.config.path == worker.config.path and w.source.path == worker.source.path for w in ctx.project.workers
    )


def _noecho(ctx: Context, template: str, parameter: object) -> bool:
    for config in ctx.project.configs:
        if config.path == template and isinstance(config.value, MapNode):
            parameters = config.value.get("Parameters")
            declared = parameters.get(parameter) if isinstance(parameters, MapNode) and isinstance(parameter, str) else None
            return isinstance(declared, MapNode) and str(declared.get("NoEcho")).lower() == "true"
    return False


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Intrinsic):
        return _strings(value.value)
    if isinstance(value, dict):
        return [t for item in value.values() for t in _strings(item)]
    if isinstance(value, list):
        return [t for item in value for t in _strings(item)]
    return []
