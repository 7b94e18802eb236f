"""How a handler reaches AWS besides the SDK calls the analyzers name: the libraries that call
AWS with the function's credentials, and the services that act on others with the caller's.

slsreview does not read third-party code. A rule that says "this function never calls S3" may
only say it when every module the handler imports is either read (a local module), the SDK
itself (whose calls the analyzers name), or a library listed here with the services it calls
(``()``: none). A library that is not listed, or listed with ``None`` (it may call anything:
awswrangler, a hand-signed request), makes the answer unknown::

    >>> library("aws_lambda_powertools.utilities.idempotency", "python").services
    ('dynamodb',)
    >>> library("@middy/ssm", "javascript").services
    ('ssm',)
    >>> library("awswrangler", "python").services is None
    True
    >>> library("left-pad", "javascript") is None
    True
    >>> is_builtin("node:crypto", "javascript"), is_builtin("json", "python")
    (True, True)
    >>> sorted(ON_BEHALF["textract"])
    ['s3']

Services are IAM prefixes. Entries are matched by module prefix (``aws_lambda_powertools`` covers
``aws_lambda_powertools.logging``); the longest match wins.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Literal

Language = Literal["python", "javascript", "typescript"]


@dataclass(frozen=True, slots=True)
class Library:
    module: str
    services: tuple[str, ...] | None  # IAM prefixes it calls with the function's role; None: any
    why: str  # what it does that needs them, and the page that says so


_POWERTOOLS_PY = "https://docs.powertools.aws.dev/lambda/python/latest/"
_POWERTOOLS_TS = "https://docs.powertools.aws.dev/lambda/typescript/latest/"
_MIDDY = "https://middy.js.org/docs/middlewares/intro"
_SIGNS = "signs requests to AWS by hand: which service it calls is not in the code"

_PYTHON = (
    Library("boto3", (), "the SDK itself: the analyzer names its calls"),
    Library("botocore", (), "the SDK itself: the analyzer names its calls"),
    Library("botocore.auth", None, _SIGNS),
    Library("botocore.awsrequest", None, _SIGNS),
    Library("aiobotocore", None, "an asynchronous AWS SDK the analyzer does not read"),
    Library("aioboto3", None, "an asynchronous AWS SDK the analyzer does not read"),
    Library("awswrangler", None, "AWS SDK for pandas: S3, Glue, Athena, Redshift and more"),
    Library("requests_aws4auth", None, _SIGNS),
    Library("aws_requests_auth", None, _SIGNS),
    Library("opensearchpy", None, "signs requests to OpenSearch (es or aoss) when given AWS credentials"),
    Library("aws_lambda_powertools", ("xray",), f"Tracer sends segments to X-Ray ({_POWERTOOLS_PY}core/tracer/)"),
    Library("aws_lambda_powertools.logging", (), "writes to standard output"),
    Library("aws_lambda_powertools.metrics", (), "writes metrics as embedded metric format logs"),
    Library("aws_lambda_powertools.event_handler", (), "routes events"),
    Library("aws_lambda_powertools.utilities.batch", (), "processes batches"),
    Library("aws_lambda_powertools.utilities.data_classes", (), "event types"),
    Library("aws_lambda_powertools.utilities.typing", (), "types"),
    Library("aws_lambda_powertools.utilities.parser", (), "parses events"),
    Library("aws_lambda_powertools.utilities.validation", (), "validates events"),
    Library("aws_lambda_powertools.utilities.jmespath_utils", (), "queries events"),
    Library(
        "aws_lambda_powertools.utilities.idempotency",
        ("dynamodb",),
        f"DynamoDBPersistenceLayer reads and writes the idempotency table ({_POWERTOOLS_PY}utilities/idempotency/)",
    ),
    Library(
        "aws_lambda_powertools.utilities.parameters",
        ("ssm", "secretsmanager", "appconfig", "dynamodb"),
        f"reads SSM parameters, secrets, AppConfig and DynamoDB items ({_POWERTOOLS_PY}utilities/parameters/)",
    ),
    Library("aws_lambda_powertools.utilities.feature_flags", ("appconfig",), f"reads AppConfig ({_POWERTOOLS_PY}utilities/feature_flags/)"),
    Library("aws_lambda_powertools.utilities.streaming", ("s3",), f"streams S3 objects ({_POWERTOOLS_PY}utilities/streaming/)"),
    Library("aws_lambda_powertools.utilities.data_masking", ("kms",), f"encrypts with KMS ({_POWERTOOLS_PY}utilities/data_masking/)"),
    Library("aws_xray_sdk", ("xray",), "sends trace segments to X-Ray"),
    Library("pynamodb", ("dynamodb",), "a DynamoDB object mapper"),
    Library("s3fs", ("s3",), "reads and writes S3 as files"),
    Library("smart_open", ("s3",), "reads and writes S3 as files"),
    Library("aws_encryption_sdk", ("kms",), "encrypts with KMS keys"),
    Library("mypy_boto3", (), "type stubs"),
    Library("aws_lambda_typing", (), "type stubs"),
    # No AWS calls: HTTP clients, serialisation, validation, payment and messaging APIs.
    *(
        Library(name, (), "does not call AWS")
        for name in (
            "requests", "httpx", "urllib3", "aiohttp", "pydantic", "jwt", "jose", "stripe",
            "yaml", "simplejson", "orjson", "ujson", "dateutil", "pytz", "jsonschema", "mangum",
            "twilio", "slack_sdk", "openai", "anthropic", "psycopg2", "psycopg", "pymysql",
            "redis", "pymongo", "sqlalchemy", "PIL", "numpy", "workers", "js", "pyodide",
        )
    ),
)

_JAVASCRIPT = (
    Library("aws-sdk", (), "the SDK itself (v2): the analyzer names its calls"),
    Library("@aws-sdk/lib-dynamodb", (), "the DynamoDB document client: the analyzer names its calls"),
    Library("@aws-sdk/util-dynamodb", (), "marshals DynamoDB items"),
    Library("@aws-sdk/types", (), "types"),
    Library("@aws-sdk/lib-storage", ("s3",), "uploads to S3 in parts"),
    Library("@aws-sdk/s3-request-presigner", ("s3",), "presigns S3 requests with the function's credentials"),
    Library("@aws-sdk/rds-signer", ("rds-db",), "creates RDS IAM authentication tokens"),
    Library("@aws-sdk/credential-providers", ("sts", "cognito-identity"), "assumes roles and federates identities"),
    Library("@aws-sdk/signature-v4", None, _SIGNS),
    Library("@smithy/signature-v4", None, _SIGNS),
    Library("aws4", None, _SIGNS),
    Library("@aws-crypto/client-node", ("kms",), "encrypts with KMS keys"),
    Library("@aws-lambda-powertools/logger", (), "writes to standard output"),
    Library("@aws-lambda-powertools/metrics", (), "writes metrics as embedded metric format logs"),
    Library("@aws-lambda-powertools/commons", (), "shared helpers"),
    Library("@aws-lambda-powertools/batch", (), "processes batches"),
    Library("@aws-lambda-powertools/parser", (), "parses events"),
    Library("@aws-lambda-powertools/event-handler", (), "routes events"),
    Library("@aws-lambda-powertools/jmespath", (), "queries events"),
    Library("@aws-lambda-powertools/validation", (), "validates events"),
    Library("@aws-lambda-powertools/tracer", ("xray",), f"sends segments to X-Ray ({_POWERTOOLS_TS}core/tracer/)"),
    Library(
        "@aws-lambda-powertools/idempotency",
        ("dynamodb",),
        f"DynamoDBPersistenceLayer reads and writes the idempotency table ({_POWERTOOLS_TS}utilities/idempotency/)",
    ),
    Library(
        "@aws-lambda-powertools/parameters",
        ("ssm", "secretsmanager", "appconfig", "dynamodb"),
        f"reads SSM parameters, secrets, AppConfig and DynamoDB items ({_POWERTOOLS_TS}utilities/parameters/)",
    ),
    Library("aws-xray-sdk", ("xray",), "sends trace segments to X-Ray"),
    Library("aws-xray-sdk-core", ("xray",), "sends trace segments to X-Ray"),
    Library("dynamoose", ("dynamodb",), "a DynamoDB object mapper"),
    Library("dynamodb-toolbox", ("dynamodb",), "a DynamoDB object mapper"),
    Library("electrodb", ("dynamodb",), "a DynamoDB object mapper"),
    Library("@middy/core", (), f"runs middlewares ({_MIDDY})"),
    Library("@middy/ssm", ("ssm",), f"reads SSM parameters ({_MIDDY})"),
    Library("@middy/secrets-manager", ("secretsmanager",), f"reads secrets ({_MIDDY})"),
    Library("@middy/sts", ("sts",), f"assumes roles ({_MIDDY})"),
    Library("@middy/rds-signer", ("rds-db",), f"creates RDS IAM authentication tokens ({_MIDDY})"),
    Library("@middy/s3", ("s3",), f"reads S3 objects ({_MIDDY})"),
    Library("@middy/dynamodb", ("dynamodb",), f"reads DynamoDB items ({_MIDDY})"),
    Library("@middy/appconfig", ("appconfig",), f"reads AppConfig ({_MIDDY})"),
    Library("@middy/service-discovery", ("servicediscovery",), f"reads Cloud Map ({_MIDDY})"),
    *(
        Library(f"@middy/{name}", (), f"does not call AWS ({_MIDDY})")
        for name in (
            "http-json-body-parser", "http-error-handler", "http-cors", "http-header-normalizer",
            "http-event-normalizer", "http-router", "http-security-headers", "http-content-negotiation",
            "http-response-serializer", "http-urlencode-body-parser", "http-multipart-body-parser",
            "http-partial-response", "http-content-encoding", "event-normalizer", "validator",
            "error-logger", "input-output-logger", "do-not-wait-for-empty-event-loop",
            "sqs-partial-batch-failure", "warmup", "util", "cloudwatch-metrics",
        )
    ),
    *(
        Library(name, (), "does not call AWS")
        for name in (
            "aws-lambda", "aws-embedded-metrics", "aws-jwt-verify", "axios", "node-fetch", "got",
            "undici", "uuid", "nanoid", "zod", "joi", "ajv", "jsonwebtoken", "jose", "stripe",
            "lodash", "dayjs", "moment", "date-fns", "pino", "winston", "openai", "@anthropic-ai/sdk",
            "serverless-http", "source-map-support", "cloudflare:workers", "cloudflare:sockets",
            "cloudflare:email", "cloudflare:workflows", "cloudflare:test", "hono", "itty-router",
        )
    ),
)

_BY_LANGUAGE: dict[str, dict[str, Library]] = {
    "python": {lib.module: lib for lib in _PYTHON},
    "javascript": {lib.module: lib for lib in _JAVASCRIPT},
}

# Node's built-in modules (https://nodejs.org/api/modules.html#built-in-modules), importable as
# "fs" or "node:fs"; none calls AWS.
NODE_BUILTINS = frozenset(
    {
        "assert",
        "async_hooks",
        "buffer",
        "child_process",
        "cluster",
        "console",
        "constants",
        "crypto",
        "dgram",
        "diagnostics_channel",
        "dns",
        "domain",
        "events",
        "fs",
        "http",
        "http2",
        "https",
        "inspector",
        "module",
        "net",
        "os",
        "path",
        "perf_hooks",
        "process",
        "punycode",
        "querystring",
        "readline",
        "repl",
        "stream",
        "string_decoder",
        "sys",
        "timers",
        "tls",
        "trace_events",
        "tty",
        "url",
        "util",
        "v8",
        "vm",
        "wasi",
        "worker_threads",
        "zlib",
        "test",
        "sqlite",
        "sea",
    }
)


def library(module: str, language: Language) -> Library | None:
    """The entry for an imported module (or a package it belongs to), or None when slsreview
    knows nothing about it."""
    table = _BY_LANGUAGE["python" if language == "python" else "javascript"]
    separator = "." if language == "python" else "/"
    name = module
    while name:
        if name in table:
            return table[name]
        head, sep, _ = name.rpartition(separator)
        if not sep:
            break
        name = head
    return None


def is_builtin(module: str, language: Language) -> bool:
    """Part of the language's standard library (Python's, or Node's built-in modules)."""
    if language == "python":
        return module.split(".", 1)[0] in sys.stdlib_module_names
    if module.startswith("node:"):
        return True
    return module.split("/", 1)[0] in NODE_BUILTINS


def sdk_service(module: str, language: Language) -> str | None:
    """The service a JavaScript SDK module serves (``@aws-sdk/client-s3``, ``aws-sdk/clients/s3``),
    as a boto3 client name; None for anything else."""
    if language == "python":
        return None
    from slsreview.vocabulary import aws

    found = aws.service_of_js_package(module)
    return found.name if found is not None else None


# Services that act on other services with their caller's permissions (forward access
# sessions, https://docs.aws.amazon.com/IAM/latest/UserGuide/access_forward_access_sessions.html):
# the function's role needs those permissions although its code never calls those services.
# KMS is used this way by nearly every service that stores data (S3, SQS, SNS, DynamoDB,
# Secrets Manager, SSM SecureString, Kinesis, CloudWatch Logs: the kms:ViaService condition);
# iam:PassRole by every call that hands a role to a service (states:CreateStateMachine,
# ecs:RunTask, scheduler:CreateSchedule, ...).
ANY_CALL_MAY_USE = ("kms",)
ANY_CALL_MAY_USE_ACTIONS = ("iam:PassRole",)
ON_BEHALF: dict[str, tuple[str, ...]] = {
    # https://docs.aws.amazon.com/textract/latest/dg/security_iam_id-based-policy-examples.html
    "textract": ("s3",),
    # https://docs.aws.amazon.com/rekognition/latest/dg/security_iam_id-based-policy-examples.html
    "rekognition": ("s3",),
    # https://docs.aws.amazon.com/transcribe/latest/dg/security_iam_id-based-policy-examples.html
    "transcribe": ("s3",),
    # https://docs.aws.amazon.com/polly/latest/dg/security_iam_id-based-policy-examples.html
    "polly": ("s3", "sns"),
    # https://docs.aws.amazon.com/athena/latest/ug/managed-policies.html
    "athena": ("s3", "glue", "lakeformation"),
    # https://docs.aws.amazon.com/rdsdataservice/latest/APIReference/Welcome.html (secretArn)
    "rds-data": ("secretsmanager",),
    # https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html
    "redshift-data": ("secretsmanager", "redshift", "redshift-serverless"),
    # https://docs.aws.amazon.com/bedrock/latest/userguide/kb-permissions.html
    "bedrock": ("bedrock", "aoss", "s3"),
    # https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-template.html
    "cloudformation": ("*",),
}


# -- Workers ------------------------------------------------------------------------------------
# Modules that never read a Worker's bindings by themselves: given `env` they pass it on to the
# handlers the code registers (Hono's `c.env`, itty-router's second argument), where the
# analyzers see each use. A framework adapter or static-asset helper that looks bindings up
# itself (hono/cloudflare-workers' serveStatic reads __STATIC_CONTENT, @cloudflare/kv-asset-handler,
# Remix/Astro/Next adapters) is not listed: a Worker importing one has bindings used unseen.
BINDING_SAFE_MODULES = frozenset(
    {
        "hono", "hono/cors", "hono/logger", "hono/secure-headers", "hono/http-exception",
        "hono/validator", "hono/jwt", "hono/bearer-auth", "hono/basic-auth", "hono/etag",
        "hono/pretty-json", "hono/timing", "hono/compress", "hono/csrf", "hono/request-id",
        "hono/body-limit", "hono/cookie", "hono/html", "hono/jsx", "hono/factory", "hono/utils/http-status",
        "@hono/zod-validator", "itty-router", "zod", "uuid", "nanoid", "jose", "@tsndr/cloudflare-worker-jwt",
        "cloudflare:sockets", "cloudflare:email", "cloudflare:workflows",
        "workers",  # Python Workers' runtime module: Response, WorkerEntrypoint, fetch
        "js", "pyodide", "json", "typing",
    }
)
# `import { DurableObject, WorkerEntrypoint } from "cloudflare:workers"` is safe; importing its
# `env` reads bindings outside any handler's parameters.
WORKERS_RUNTIME = "cloudflare:workers"
WORKERS_RUNTIME_SAFE_NAMES = frozenset({"env", "DurableObject", "WorkerEntrypoint", "WorkflowEntrypoint", "WorkflowStep", "WorkflowEvent", "RpcTarget"})


def binding_safe(module: str, names: tuple[tuple[str, str], ...], language: Language) -> bool:
    """Whether importing these names from a module can let bindings be used unseen."""
    if is_builtin(module, language) or module in BINDING_SAFE_MODULES:
        return True
    if module == WORKERS_RUNTIME:
        return all(name in WORKERS_RUNTIME_SAFE_NAMES for name, _ in names)
    return False
