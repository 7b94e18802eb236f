"""The words: what SDK and platform names mean, in the vocabulary of ``facts.py``.

Every table here maps how JavaScript spells something (a package, a class, a method, a type
name) onto a vocabulary word (``aws.dynamodb.PutItem``, ``cf.kv.put``, a ``random`` source, a log
level). The walk reads them; nothing here knows about syntax trees.

    >>> BINDING_CALLS["kv"]["put"], LOG_LEVELS["warn"], TYPE_ROLES["Env"]
    ('cf.kv.put', 'warning', ('env', 'worker-env'))
"""

from __future__ import annotations

import re
from typing import Literal

from slsreview.vocabulary import events

# AWS SDK v3 packages -> vocabulary service. Other ``@aws-sdk/client-x`` packages map to ``x``.
AWS_MODULE_SERVICES = {
    "@aws-sdk/client-dynamodb": "dynamodb",
    "@aws-sdk/lib-dynamodb": "dynamodb",
    "@aws-sdk/client-eventbridge": "events",
    "@aws-sdk/client-cloudwatch-events": "events",
    "@aws-sdk/client-secrets-manager": "secretsmanager",
    "@aws-sdk/client-sfn": "sfn",
}

# SDK v2 (``new AWS.SQS()``) and v3 aggregated (``new SQS({})``) client classes -> service
AWS_CLASS_SERVICES = {
    "DynamoDB": "dynamodb",
    "SQS": "sqs",
    "SNS": "sns",
    "EventBridge": "events",
    "CloudWatchEvents": "events",
    "S3": "s3",
    "SecretsManager": "secretsmanager",
    "SSM": "ssm",
    "Kinesis": "kinesis",
    "Firehose": "firehose",
    "StepFunctions": "sfn",
    "SFN": "sfn",
    "Lambda": "lambda",
    "SES": "ses",
    "SESV2": "sesv2",
}

# Commands and methods of the DynamoDB *document* clients use short names for the operations
DOC_OPERATIONS = {
    "Put": "PutItem",
    "Get": "GetItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "Query": "Query",
    "Scan": "Scan",
    "BatchWrite": "BatchWriteItem",
    "BatchGet": "BatchGetItem",
    "TransactWrite": "TransactWriteItems",
    "TransactGet": "TransactGetItems",
}

# An operation name says its service when the command's import cannot be resolved
OPERATION_SERVICES = {
    "PutItem": "dynamodb",
    "GetItem": "dynamodb",
    "UpdateItem": "dynamodb",
    "DeleteItem": "dynamodb",
    "BatchWriteItem": "dynamodb",
    "TransactWriteItems": "dynamodb",
    "SendMessage": "sqs",
    "SendMessageBatch": "sqs",
    "ReceiveMessage": "sqs",
    "DeleteMessage": "sqs",
    "Publish": "sns",
    "PutEvents": "events",
    "PutObject": "s3",
    "GetObject": "s3",
    "GetSecretValue": "secretsmanager",
    "GetParameter": "ssm",
    "GetParameters": "ssm",
    "PutRecord": "kinesis",
    "PutRecords": "kinesis",
    "StartExecution": "sfn",
    "Invoke": "lambda",
}

# Operations that change state: their arguments are ``write`` sinks
AWS_WRITE_PREFIXES = (
    "Put",
    "Update",
    "Delete",
    "BatchWrite",
    "TransactWrite",
    "Send",
    "Publish",
    "Start",
    "Invoke",
    "Create",
    "Copy",
    "Complete",
    "Upload",
    "Write",
    "Modify",
    "Restore",
    "Post",
)

# Operations whose result is a secret, and the input key naming it
AWS_SECRET_READS = {
    ("secretsmanager", "GetSecretValue"): "SecretId",
    ("ssm", "GetParameter"): "Name",
    ("ssm", "GetParameters"): "Names",
    ("ssm", "GetParametersByPath"): "Path",
}

AWS_CLIENT_NON_OPERATIONS = frozenset(
    {"send", "destroy", "config", "middlewareStack", "promise", "on", "then", "catch"}
)

# Workers bindings: what each kind of binding can be asked, and the vocabulary name of each call
BINDING_CALLS: dict[str, dict[str, str]] = {
    "kv": {
        "get": "cf.kv.get",
        "getWithMetadata": "cf.kv.get",
        "put": "cf.kv.put",
        "delete": "cf.kv.delete",
        "list": "cf.kv.list",
    },
    "r2": {
        m: f"cf.r2.{m}"
        for m in (
            "get",
            "put",
            "delete",
            "list",
            "head",
            "createMultipartUpload",
            "resumeMultipartUpload",
        )
    },
    "queue": {"send": "cf.queue.send", "sendBatch": "cf.queue.sendBatch"},
    "service": {"fetch": "cf.service.fetch", "connect": "cf.service.connect"},
    "rate-limiter": {"limit": "cf.ratelimit.limit"},
    "durable-object": {
        m: f"cf.do.{m}"
        for m in ("get", "idFromName", "idFromString", "newUniqueId", "getByName", "jurisdiction")
    },
    "d1": {m: "cf.d1.exec" for m in ("prepare", "batch", "exec", "dump", "withSession")},
    "workflow": {m: f"cf.workflow.{m}" for m in ("create", "get", "createBatch")},
    "ai": {"run": "cf.ai.run"},
    "vectorize": {
        m: f"cf.vectorize.{m}"
        for m in ("query", "insert", "upsert", "getByIds", "deleteByIds", "describe")
    },
    "analytics-engine": {"writeDataPoint": "cf.analytics.writeDataPoint"},
    "email": {"send": "cf.email.send"},
}

BINDING_METHODS = frozenset(m for table in BINDING_CALLS.values() for m in table)

# A method only one kind of binding has settles the binding's kind for the whole file
DISTINCT_METHOD_KINDS = {
    method: kind
    for kind, table in BINDING_CALLS.items()
    for method in table
    if sum(method in t for t in BINDING_CALLS.values()) == 1
}

# Which kind an ambiguous method (get, put, send...) means when nothing else says
DEFAULT_METHOD_KINDS = {
    "get": "kv",
    "put": "kv",
    "delete": "kv",
    "list": "kv",
    "send": "queue",
    "fetch": "service",
    "create": "workflow",
}

BINDING_WRITES = frozenset(
    {
        "cf.kv.put",
        "cf.kv.delete",
        "cf.r2.put",
        "cf.r2.delete",
        "cf.r2.createMultipartUpload",
        "cf.queue.send",
        "cf.queue.sendBatch",
        "cf.workflow.create",
        "cf.workflow.createBatch",
        "cf.vectorize.insert",
        "cf.vectorize.upsert",
        "cf.vectorize.deleteByIds",
        "cf.analytics.writeDataPoint",
        "cf.email.send",
    }
)

# workers-types names in a TypeScript `interface Env` -> binding kind
TS_BINDING_TYPES = {
    "KVNamespace": "kv",
    "D1Database": "d1",
    "R2Bucket": "r2",
    "Queue": "queue",
    "Fetcher": "service",
    "Service": "service",
    "DurableObjectNamespace": "durable-object",
    "RateLimit": "rate-limiter",
    "Ai": "ai",
    "Workflow": "workflow",
    "VectorizeIndex": "vectorize",
    "Vectorize": "vectorize",
    "AnalyticsEngineDataset": "analytics-engine",
    "Hyperdrive": "hyperdrive",
    "SendEmail": "email",
    "DispatchNamespace": "service",
}

# binding names hint at their kind: MY_BUCKET, SESSIONS_KV, ORDERS_QUEUE...
NAME_HINTS = (
    (re.compile(r"KV|CACHE|STORE"), "kv"),
    (re.compile(r"BUCKET|R2|ASSETS_STORE"), "r2"),
    (re.compile(r"QUEUE|PRODUCER"), "queue"),
    (re.compile(r"(^|_)(DB|D1)(_|$)|DATABASE"), "d1"),
    (re.compile(r"(^|_)DO(_|$)|DURABLE|OBJECT|COUNTER|ROOM"), "durable-object"),
    (re.compile(r"LIMIT"), "rate-limiter"),
    (re.compile(r"WORKFLOW"), "workflow"),
)

GLOBAL_BINDING = re.compile(r"[A-Z][A-Z0-9_]*\Z")  # unresolved, upper case: MY_KV

# A parameter's TypeScript type says what it receives
TYPE_ROLES: dict[str, tuple[str, str | None]] = {
    "FetchEvent": ("fetchevt", None),
    "Request": ("event", "request"),
    "Env": ("env", "worker-env"),
    "Bindings": ("env", "worker-env"),
    "CloudflareEnv": ("env", "worker-env"),
    "CloudflareBindings": ("env", "worker-env"),
    "Context": ("ctx", None),  # Hono's; aws-lambda's Context only when Hono is not imported
}

WORKER_CLASS_INPUTS = frozenset({"queue", "scheduled", "email", "tail", "run", "webSocketMessage"})

HANDLER_NAME = re.compile(r"handler|^main$|lambda|^index$", re.I)

EVENT_PARAM_NAMES = frozenset({"event", "evt", "ev", "input", "payload", "request", "req"})

CONTEXT_PARAM_NAMES = frozenset({"context", "ctx", "_context", "_ctx", "lambdaContext"})

HYPERDRIVE_PROPS = frozenset({"connectionString", "host", "user", "password", "port", "database"})

WORKER_BASES = frozenset(
    {"WorkerEntrypoint", "DurableObject", "WorkflowEntrypoint", "Agent", "AIChatAgent", "McpAgent"}
)

# params of a Worker's handlers in a default-exported object: (input, env, ctx)
WORKER_HANDLERS = frozenset({"fetch", "scheduled", "queue", "email", "tail", "trace", "test"})

# Log sinks: logger methods -> level (JS names normalised to the Python analyser's levels)
LOG_LEVELS = {
    "log": "info",
    "info": "info",
    "debug": "debug",
    "trace": "debug",
    "warn": "warning",
    "warning": "warning",
    "error": "error",
    "fatal": "critical",
    "critical": "critical",
    "table": "info",
    "dir": "info",
    "silly": "debug",
    "verbose": "debug",
    "http": "info",
}

RANDOM_SOURCES = {
    "crypto.randomUUID": "crypto.randomUUID",
    "crypto.randomBytes": "crypto.randomBytes",
    "crypto.randomInt": "crypto.randomInt",
    "crypto.getRandomValues": "crypto.getRandomValues",
    "crypto.webcrypto.getRandomValues": "crypto.getRandomValues",
    "Math.random": "Math.random",
    "uuid.v1": "uuid.v1",
    "uuid.v4": "uuid.v4",
    "uuid.v7": "uuid.v7",
    "uuid": "uuid.v4",
    "nanoid.nanoid": "nanoid",
    "nanoid": "nanoid",
    "ulid.ulid": "ulid",
    "ulid.monotonicFactory": "ulid",
    "@paralleldrive/cuid2.createId": "cuid2",
    "cuid": "cuid",
}

TIME_SOURCES = {
    "Date": "Date",  # Date() called without new: the current time as a string
    "Date.now": "Date.now",
    "performance.now": "performance.now",
    "process.hrtime": "process.hrtime",
    "process.hrtime.bigint": "process.hrtime",
    "perf_hooks.performance.now": "performance.now",
}

CONSTANT_TIME = {
    "crypto.timingSafeEqual": "timingSafeEqual",
    "crypto.subtle.timingSafeEqual": "timingSafeEqual",
    "tsscmp": "tsscmp",
    "scmp": "scmp",
}

# Functions whose result is (a form of) their arguments: sources flow through, whole event too
TRANSPARENT = frozenset(
    {
        "JSON.stringify",
        "String",
        "Number",
        "Buffer.from",
        "encodeURIComponent",
        "encodeURI",
        "decodeURIComponent",
        "btoa",
        "atob",
        "util.inspect",
        "util.format",
        "Object.assign",
        "Object.entries",
        "Object.values",
        "Object.keys",
        "Object.fromEntries",
        "structuredClone",
        "Array.from",
        "Array.of",
        "Promise.resolve",
    }
)

# Fetch API / Hono request readers: what the input becomes
BODY_READERS = frozenset({"json", "text", "formData", "arrayBuffer", "blob", "parseBody"})

# (flavour of the receiver, method) -> the part of the event its first argument names
EVENT_GETTERS = {
    ("headers", "get"): "headers",
    ("headers", "has"): "headers",
    ("params", "get"): "queryStringParameters",
    ("params", "getAll"): "queryStringParameters",
    ("params", "has"): "queryStringParameters",
    ("hono-req", "header"): "headers",
    ("hono-req", "param"): "pathParameters",
    ("hono-req", "query"): "queryStringParameters",
    ("hono-req", "queries"): "queryStringParameters",
    ("hono-req", "valid"): "body",
}

HONO_VALID_TARGETS = {
    "json": "body",
    "form": "body",
    "query": "queryStringParameters",
    "param": "pathParameters",
    "header": "headers",
}

HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})

# HTTP client functions -> (the client attr, the verb the function name fixes)
HTTP_FUNCTIONS: dict[str, tuple[str, str | None]] = {
    "fetch": ("fetch", None),
    "node-fetch": ("fetch", None),
    "cross-fetch": ("fetch", None),
    "isomorphic-fetch": ("fetch", None),
    "undici.fetch": ("undici", None),
    "undici.request": ("undici", None),
    "axios": ("axios", None),
    "axios.request": ("axios", "request"),
    "got": ("got", None),
    "https.request": ("https", None),
    "https.get": ("https", "get"),
    "http.request": ("https", None),
    "http.get": ("https", "get"),
    **{f"axios.{verb}": ("axios", verb) for verb in HTTP_VERBS},
    **{f"got.{verb}": ("got", verb) for verb in HTTP_VERBS},
}

ARRAY_CALLBACK_METHODS = frozenset(
    {
        "map",
        "forEach",
        "filter",
        "find",
        "findLast",
        "some",
        "every",
        "flatMap",
        "findIndex",
        "reduce",
        "reduceRight",
        "sort",
        "toSorted",
    }
)

# Container methods that write: a module-level Map/Set/array written this way is shared state
CONTAINER_WRITES = frozenset(
    {"set", "add", "push", "unshift", "splice", "delete", "clear", "pop", "shift", "fill"}
)

# Map/Set methods that check or write one key: a module-level seen-set's vocabulary
CONTAINER_ACCESSES: dict[str, Literal["check", "write"]] = {"has": "check", "get": "check", "set": "write", "add": "write"}

FAILURE_RECORDS = frozenset({"push", "unshift", "add", "retry", "retryAll", "concat"})

HONO_ROUTES = frozenset(
    {
        "get",
        "post",
        "put",
        "patch",
        "delete",
        "head",
        "options",
        "all",
        "use",
        "on",
        "notFound",
        "onError",
        "route",
        "basePath",
        "mount",
    }
)

# Router methods that register a handler for one HTTP method (Hono, itty-router)
ROUTE_METHODS = {verb: verb.upper() for verb in ("get", "post", "put", "patch", "delete", "head", "options")} | {"all": "ANY"}
IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$]*$")

RESPONSE_HELPERS = {
    "json": 200,
    "text": 200,
    "html": 200,
    "body": 200,
    "redirect": 302,
    "newResponse": 200,
}

EVENT_ID_FIELDS = frozenset(
    {
        "messageId",
        "MessageId",
        "eventID",
        "eventId",
        "sequenceNumber",
        "SequenceNumber",
        "receiptHandle",
    }
)

IDEMPOTENCY_HEADERS = events.javascript_idempotency_headers()
