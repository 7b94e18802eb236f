"""JavaScript/TypeScript handler analysis: one file in, one ``FileFacts`` out.

    >>> facts = analyze_javascript(
    ...     "src/app.mjs",
    ...     "export const handler = async (event) => { console.log(event.body); };",
    ...     "javascript",
    ... )
    >>> [(c.name, c.attr("logger")) for c in facts.calls]
    [('log', 'console')]
    >>> [(f.source.kind, f.source.name, f.sink) for f in facts.flows]
    [('event', 'body', 'log')]

How it works
------------
tree-sitter parses the file (``treesitter.py`` is the only module touching its bindings); then a
single pass over the tree *abstractly evaluates* it: every expression node is visited once and
yields a ``_Val``, what the analysis knows about that value -- the sources that reach it, and, when
it matters, what it is (an AWS client, an SDK command, the Workers ``env`` object, a path inside
the event, an object literal's properties...). Facts are recorded as the walk meets them.

- Names resolve through a chain of scopes: imports and ``require`` give module-qualified names
  (``"@aws-sdk/lib-dynamodb.PutCommand"``, ``"crypto.randomUUID"``), and the vocabulary is looked
  up by those names in the tables below (``_CALLS`` for calls). Only where the file itself cannot
  say, a few deliberate heuristics use names: parameters called ``event``/``record`` (and
  ``request``/``env``/``c`` in a Worker's file), ``logger.info(...)`` on a logger imported from
  elsewhere, and a binding's name when nothing else tells its kind (``ORDERS_QUEUE``).
- Sources flow through calls the analysis does not know (``format(event.body)``), except the
  whole event or env object: ``return handleRequest(request, env)`` is not an echo of the input.
- Function bodies are analysed after the code that encloses them (module level first), so a
  handler sees module constants declared below it and knows whether it is an exported entry point
  (whose first parameter is the event). Anonymous callbacks are analysed in place, as part of the
  function that passes them: ``event.Records.map(r => ...)`` runs inside the handler.
- What can only be decided with the whole file in view -- whether ``env.X`` is a binding and of
  which kind, whether a parse sits in a try that does not re-raise -- is recorded as a pending
  record and settled in ``_finish``.

The analysis never imports or runs the code it reads, and never raises for any input: tree-sitter
recovers from errors, and the walk analyses whatever parsed (see ``SyntaxProblem``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from slsreview.analysis import treesitter as ts
from slsreview.analysis.facts import (
    BindingUse,
    Call,
    Comparison,
    EntryPoint,
    EnvRead,
    FileFacts,
    Flow,
    FunctionDef,
    Import,
    ModuleState,
    Parse,
    Return,
    Source,
    SyntaxProblem,
    TryBlock,
    Value,
    Wrapper,
)
from slsreview.location import Location

Node = ts.Node
_kind = ts.kind
_named = ts.named_children
_field = ts.field

# =============================================================================================
# Vocabulary tables: SDK and platform names -> the facts.py vocabulary
# =============================================================================================

# AWS SDK v3 packages -> vocabulary service. Other ``@aws-sdk/client-x`` packages map to ``x``.
_AWS_MODULE_SERVICES = {
    "@aws-sdk/client-dynamodb": "dynamodb",
    "@aws-sdk/lib-dynamodb": "dynamodb",
    "@aws-sdk/client-eventbridge": "events",
    "@aws-sdk/client-cloudwatch-events": "events",
    "@aws-sdk/client-secrets-manager": "secretsmanager",
    "@aws-sdk/client-sfn": "sfn",
}
# SDK v2 (``new AWS.SQS()``) and v3 aggregated (``new SQS({})``) client classes -> service
_AWS_CLASS_SERVICES = {
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
_DOC_OPERATIONS = {
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
_OPERATION_SERVICES = {
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
_AWS_WRITE_PREFIXES = (
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
_AWS_SECRET_READS = {
    ("secretsmanager", "GetSecretValue"): "SecretId",
    ("ssm", "GetParameter"): "Name",
    ("ssm", "GetParameters"): "Names",
    ("ssm", "GetParametersByPath"): "Path",
}
_AWS_CLIENT_NON_OPERATIONS = frozenset(
    {"send", "destroy", "config", "middlewareStack", "promise", "on", "then", "catch"}
)

# Workers bindings: what each kind of binding can be asked, and the vocabulary name of each call
_BINDING_CALLS: dict[str, dict[str, str]] = {
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
_BINDING_METHODS = frozenset(m for table in _BINDING_CALLS.values() for m in table)
# A method only one kind of binding has settles the binding's kind for the whole file
_DISTINCT_METHOD_KINDS = {
    method: kind
    for kind, table in _BINDING_CALLS.items()
    for method in table
    if sum(method in t for t in _BINDING_CALLS.values()) == 1
}
# Which kind an ambiguous method (get, put, send...) means when nothing else says
_DEFAULT_METHOD_KINDS = {
    "get": "kv",
    "put": "kv",
    "delete": "kv",
    "list": "kv",
    "send": "queue",
    "fetch": "service",
    "create": "workflow",
}
_BINDING_WRITES = frozenset(
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
_TS_BINDING_TYPES = {
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
_NAME_HINTS = (
    (re.compile(r"KV|CACHE|STORE"), "kv"),
    (re.compile(r"BUCKET|R2|ASSETS_STORE"), "r2"),
    (re.compile(r"QUEUE|PRODUCER"), "queue"),
    (re.compile(r"(^|_)(DB|D1)(_|$)|DATABASE"), "d1"),
    (re.compile(r"(^|_)DO(_|$)|DURABLE|OBJECT|COUNTER|ROOM"), "durable-object"),
    (re.compile(r"LIMIT"), "rate-limiter"),
    (re.compile(r"WORKFLOW"), "workflow"),
)
_GLOBAL_BINDING = re.compile(r"[A-Z][A-Z0-9_]*\Z")  # unresolved, upper case: MY_KV
# A parameter's TypeScript type says what it receives
_TYPE_ROLES: dict[str, tuple[str, str | None]] = {
    "FetchEvent": ("fetchevt", None),
    "Request": ("event", "request"),
    "Env": ("env", "worker-env"),
    "Bindings": ("env", "worker-env"),
    "CloudflareEnv": ("env", "worker-env"),
    "CloudflareBindings": ("env", "worker-env"),
    "Context": ("ctx", None),  # Hono's; aws-lambda's Context only when Hono is not imported
}
_WORKER_CLASS_INPUTS = frozenset({"queue", "scheduled", "email", "tail", "run", "webSocketMessage"})
_HANDLER_NAME = re.compile(r"handler|^main$|lambda|^index$", re.I)
_EVENT_PARAM_NAMES = frozenset({"event", "evt", "ev", "input", "payload", "request", "req"})
_CONTEXT_PARAM_NAMES = frozenset({"context", "ctx", "_context", "_ctx", "lambdaContext"})
_HYPERDRIVE_PROPS = frozenset({"connectionString", "host", "user", "password", "port", "database"})
_WORKER_BASES = frozenset(
    {"WorkerEntrypoint", "DurableObject", "WorkflowEntrypoint", "Agent", "AIChatAgent", "McpAgent"}
)
# params of a Worker's handlers in a default-exported object: (input, env, ctx)
_WORKER_HANDLERS = frozenset({"fetch", "scheduled", "queue", "email", "tail", "trace", "test"})

# Log sinks: logger methods -> level (JS names normalised to the Python analyser's levels)
_LOG_LEVELS = {
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

_RANDOM_SOURCES = {
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
_TIME_SOURCES = {
    "Date": "Date",  # Date() called without new: the current time as a string
    "Date.now": "Date.now",
    "performance.now": "performance.now",
    "process.hrtime": "process.hrtime",
    "process.hrtime.bigint": "process.hrtime",
    "perf_hooks.performance.now": "performance.now",
}
_CONSTANT_TIME = {
    "crypto.timingSafeEqual": "timingSafeEqual",
    "crypto.subtle.timingSafeEqual": "timingSafeEqual",
    "tsscmp": "tsscmp",
    "scmp": "scmp",
}
# Functions whose result is (a form of) their arguments: sources flow through, whole event too
_TRANSPARENT = frozenset(
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
_BODY_READERS = frozenset({"json", "text", "formData", "arrayBuffer", "blob", "parseBody"})
# (flavour of the receiver, method) -> the part of the event its first argument names
_EVENT_GETTERS = {
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
_HONO_VALID_TARGETS = {
    "json": "body",
    "form": "body",
    "query": "queryStringParameters",
    "param": "pathParameters",
    "header": "headers",
}
_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
# HTTP client functions -> (the client attr, the verb the function name fixes)
_HTTP_FUNCTIONS: dict[str, tuple[str, str | None]] = {
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
    **{f"axios.{verb}": ("axios", verb) for verb in _HTTP_VERBS},
    **{f"got.{verb}": ("got", verb) for verb in _HTTP_VERBS},
}
_ARRAY_CALLBACK_METHODS = frozenset(
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
_CONTAINER_WRITES = frozenset(
    {"set", "add", "push", "unshift", "splice", "delete", "clear", "pop", "shift", "fill"}
)
_FAILURE_RECORDS = frozenset({"push", "unshift", "add", "retry", "retryAll", "concat"})
_HONO_ROUTES = frozenset(
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
_RESPONSE_HELPERS = {
    "json": 200,
    "text": 200,
    "html": 200,
    "body": 200,
    "redirect": 302,
    "newResponse": 200,
}
_EVENT_ID_FIELDS = frozenset(
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
_IDEMPOTENCY_HEADERS = frozenset({"idempotency-key", "x-idempotency-key"})

_FUNCTION_TYPES = frozenset(
    {"arrow_function", "function_expression", "function", "generator_function"}
)
_FUNCTION_DECLARATIONS = frozenset({"function_declaration", "generator_function_declaration"})
_CLASS_TYPES = frozenset({"class_declaration", "abstract_class_declaration", "class"})
# Subtrees the analysis never needs to enter: types, comments, regular expressions
_SKIPPED = frozenset(
    {
        "comment",
        "type_annotation",
        "type_arguments",
        "type_parameters",
        "type_identifier",
        "predefined_type",
        "enum_declaration",
        "ambient_declaration",
        "implements_clause",
        "regex",
        "hash_bang_line",
        "abstract_method_signature",
        "method_signature",
        "index_signature",
        "function_signature",
        "empty_statement",
        "debugger_statement",
        "break_statement",
        "continue_statement",
        "property_identifier",
        "statement_identifier",
        "import_alias",
        "asserts_annotation",
        "opting_type_annotation",
        "omitting_type_annotation",
        "decorator",
    }
)
_UNWRAP = frozenset(
    {
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
        "instantiation_expression",
    }
)
_COMPARISONS = frozenset({"==", "!=", "===", "!=="})
_LOGICAL = frozenset({"&&", "||", "??"})
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_TEXT_LIMIT = 120


# =============================================================================================
# The value model
# =============================================================================================


class _EnvRead:
    """An environment read, open until the file is done (its kind and guard may still change)."""

    __slots__ = ("function", "guarded", "has_default", "loc", "name", "via")

    def __init__(self, name: str, loc: Location, function: str | None, via: str) -> None:
        self.name, self.loc, self.function, self.via = name, loc, function, via
        self.guarded = False
        self.has_default = False


class _Class:
    __slots__ = ("fields", "methods", "qualname", "worker")

    def __init__(self, qualname: str, worker: bool) -> None:
        self.qualname = qualname
        self.worker = worker
        self.fields: dict[str, _Val] = {}
        self.methods: list[str] = []


class _Val:
    """What the analysis knows about one value.

    ``kind`` says what the value is when that matters to the vocabulary ("" otherwise):

    ======== ===================================================================================
    mod      a module or global name; ``qual`` is its qualified name ("axios", "uuid.v4")
    event    the invocation input or a path in it (``path``); ``data`` is the Fetch API flavour
             ("request", "headers", "url", "params", "hono-req") or None
    env      process.env / the Workers env / import.meta.env; ``data`` is the EnvRead.via
    envvar   a Workers ``env.X``; ``data`` is X
    obj      an object literal; ``props`` maps its keys to (value node, value)
    fn       a function; ``fn`` is its qualname when it has one
    client   an AWS SDK client; ``data`` is (service, is it a DynamoDB document client?)
    cmd      an AWS SDK v3 command; ``data`` is (service, operation), ``props`` its input
    awsreq   an SDK v2 request (``.promise()`` gives ``data``, the result)
    http     an axios/got instance; ``data`` is (client, has_timeout, timeout_seconds)
    signal   an AbortSignal; ``data`` is the literal timeout in seconds or None
    logger   ``data`` is the logger attr ("pino", "winston", "powertools"...)
    stripe   ``data`` is the resource path so far
    middy    a middy chain; ``fn`` is the wrapped handler, ``data`` is (where middy() is called,
             middlewares waiting for ``.handler(fn)``)
    mw       a middleware or decorator from Powertools; ``data`` is (wrapper name, args)
    stmt     a D1 prepared statement; ``data`` is (binding, sql, guarded, (node, value) of the
             arguments bound so far): its run/first/all/raw is the one ``cf.d1.exec`` call
    response a Response built here (already recorded as a Return); ``data`` is its status
    app      a Hono app or itty router; ``data`` is "hono" or "itty"
    ctx      a Hono handler's context ``c``
    this     ``this`` in a class; ``data`` is the _Class
    inst     an instance of a class of this file; ``data`` is the _Class
    class    a class of this file; ``data`` is the _Class
    fetchevt a service worker's FetchEvent
    ======== ===================================================================================
    """

    __slots__ = (
        "data",
        "env_read",
        "fn",
        "guard",
        "kind",
        "lit",
        "literal",
        "path",
        "props",
        "qual",
        "sources",
    )

    def __init__(
        self,
        kind: str = "",
        sources: tuple[Source, ...] = (),
        *,
        qual: str = "",
        path: tuple[str, ...] = (),
        props: dict[str, tuple[Node, _Val]] | None = None,
        literal: Any = None,
        lit: bool = False,
        fn: str | None = None,
        data: Any = None,
        env_read: _EnvRead | None = None,
        guard: tuple[tuple[_EnvRead, ...], bool] | None = None,
    ) -> None:
        self.kind = kind
        self.sources = sources
        self.qual = qual
        self.path = path
        self.props = props
        self.literal = literal
        self.lit = lit
        self.fn = fn
        self.data = data
        self.env_read = env_read  # the EnvRead this value is, for guards and defaults
        self.guard = guard  # (reads tested for presence, negated?) when used as a condition


_EMPTY = _Val()
_UNDEFINED = _Val(lit=True)
_TRUE = _Val(literal=True, lit=True)
_FALSE = _Val(literal=False, lit=True)


def _union(a: tuple[Source, ...], b: tuple[Source, ...]) -> tuple[Source, ...]:
    """Both source tuples, each source once.

    Sources travel as the same objects from where they are read, so identity finds the
    repeats cheaply; without this, ``s = s + part`` in a loop would double ``s`` each time.
    """
    if not b or a is b:
        return a
    if not a:
        return b
    seen = {id(source) for source in a}
    extra = tuple(source for source in b if id(source) not in seen)
    return a + extra if extra else a


def _sorted_sources(sources: tuple[Source, ...]) -> tuple[Source, ...]:
    """Sources in Source order, each once (by a plain tuple key: cheaper than Source's own)."""
    if len(sources) < 2:
        return sources
    keyed = {
        (s.kind, s.name, s.loc.line, s.loc.column, s.loc.end_line, s.loc.end_column): s
        for s in sources
    }
    return tuple(keyed[key] for key in sorted(keyed))


def _merged(values: Iterable[_Val]) -> tuple[Source, ...]:
    out: tuple[Source, ...] = ()
    for v in values:
        if v.sources:
            out = _union(out, v.sources)
    return out


def _plain(sources: tuple[Source, ...]) -> _Val:
    return _Val(sources=sources) if sources else _EMPTY


def _is_root(source: Source) -> bool:
    return (source.kind == "event" and source.name == "event") or (
        source.kind == "env" and source.name == "*"
    )


def _without_roots(sources: tuple[Source, ...]) -> tuple[Source, ...]:
    """Sources without the whole event or env object.

    What a function the analysis cannot see returns is not the event because the event was
    passed to it (``return handleRequest(request, env)`` is no echo), however it was wrapped.
    Its parts still flow: ``format(event.body)``.
    """
    if any(_is_root(source) for source in sources):
        return tuple(source for source in sources if not _is_root(source))
    return sources


def _event_source(path: tuple[str, ...], loc: Location) -> Source:
    """The Source for a path inside the event, named as facts.py says."""
    if not path:
        return Source("event", "event", loc)
    last = path[-1]
    if last in _EVENT_ID_FIELDS:
        return Source("event-id", last, loc)
    if last == "id" and (len(path) == 1 or (len(path) == 2 and path[0] in ("records", "messages"))):
        return Source("event-id", "id", loc)
    if len(path) >= 2 and path[-2] == "headers" and last in _IDEMPOTENCY_HEADERS:
        return Source("event-id", "headers." + last, loc)
    if path[-3:] == ("s3", "object", "key"):
        return Source("event-id", "s3.key", loc)
    return Source("event", ".".join(path), loc)


def _extend_path(path: tuple[str, ...], segment: str) -> tuple[str, ...]:
    if not path and segment == "Records":
        return ("records",)
    if path and path[-1] in ("headers", "multiValueHeaders"):
        return (*path, segment.lower())
    return (*path, segment)


def _aws_module_service(module: str) -> str | None:
    if module in _AWS_MODULE_SERVICES:
        return _AWS_MODULE_SERVICES[module]
    if module.startswith("@aws-sdk/client-"):
        return module[len("@aws-sdk/client-") :].replace("-", "")
    if module.startswith("aws-sdk/clients/"):
        name = module[len("aws-sdk/clients/") :]
        for cls, service in _AWS_CLASS_SERVICES.items():
            if cls.lower() == name:
                return service
        return name
    return None


def _is_aws_write(operation: str) -> bool:
    return operation.startswith(_AWS_WRITE_PREFIXES)


def _split_qual(qual: str) -> tuple[str, str]:
    """("@aws-sdk/lib-dynamodb", "PutCommand") from "@aws-sdk/lib-dynamodb.PutCommand"."""
    # scoped packages contain a "/" and maybe dots in the name; the member follows the last "/"
    slash = qual.rfind("/")
    dot = qual.find(".", slash + 1)
    if dot == -1:
        return qual, ""
    return qual[:dot], qual[dot + 1 :]


def _powertools(qual: str, name: str) -> bool:
    """A Powertools for AWS Lambda (TypeScript) export, or the bare name when not imported."""
    if qual == name:
        return True
    return qual.startswith("@aws-lambda-powertools/") and qual.endswith("." + name)


def _seconds(ms: Any) -> int | float | None:
    if isinstance(ms, bool) or not isinstance(ms, int | float):
        return None
    seconds = ms / 1000
    return int(seconds) if seconds == int(seconds) else seconds


def _status(v: _Val | None) -> int | None:
    if v is None or not v.lit or isinstance(v.literal, bool) or not isinstance(v.literal, int):
        return None
    return v.literal


def _normalise_module(module: str) -> str:
    return module[5:] if module.startswith("node:") else module


def _qualify(module: str, imported: str) -> str:
    if imported in ("default", "*", ""):
        return module
    return f"{module}.{imported}"


class _Scope:
    __slots__ = ("parent", "vars")

    def __init__(self, parent: _Scope | None) -> None:
        self.parent = parent
        self.vars: dict[str, _Val] = {}

    def lookup(self, name: str) -> _Val | None:
        scope: _Scope | None = self
        while scope is not None:
            found = scope.vars.get(name)
            if found is not None:
                return found
            scope = scope.parent
        return None

    def owner(self, name: str) -> _Scope | None:
        scope: _Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return scope
            scope = scope.parent
        return None


class _Frame:
    """One named function (or the module) being analysed."""

    __slots__ = ("callback_depth", "calls", "entry", "pending", "qualname")

    def __init__(self, qualname: str | None, entry: bool) -> None:
        self.qualname = qualname
        self.entry = entry  # a platform calls it: its returns are responses
        self.calls: list[str] = []
        self.pending: list[tuple[Node, str, _Scope, _Class | None, list[_Val | None] | None]] = []
        self.callback_depth = 0  # > 0 inside an anonymous callback passed from this function


class _Catch:
    """What a catch clause (or a promise's .catch callback) does with the error."""

    __slots__ = ("logs", "records", "returns", "throws")

    def __init__(self) -> None:
        self.throws = self.returns = self.records = self.logs = False

    def on_error(self) -> Any:
        if self.throws:
            return "reraise"
        if self.returns:
            return "return-error"
        if self.records:
            return "record-failure"
        if self.logs:
            return "log-only"
        return "swallow"


class _BindingCall:
    """A call on a Workers binding; its vocabulary name waits for the binding's kind."""

    __slots__ = (
        "args",
        "attrs",
        "awaited",
        "binding",
        "function",
        "guarded",
        "kind",
        "method",
        "node",
        "sources",
        "try_id",
    )

    def __init__(self, binding: str, method: str, node: Node, kind: str | None) -> None:
        self.binding, self.method, self.node, self.kind = binding, method, node, kind
        self.args: tuple[Value, ...] = ()
        self.attrs: tuple[tuple[str, Any], ...] = ()
        self.awaited = False
        self.guarded = False
        self.function: str | None = None
        self.try_id: int | None = None
        self.sources: tuple[Source, ...] = ()  # what flows into the call


# =============================================================================================
# The analyser
# =============================================================================================


class _Analyzer:
    def __init__(self, path: str, tree: ts.SyntaxTree, facts: FileFacts) -> None:
        self.path = path
        self.tree = tree
        self.facts = facts
        self.module_scope = _Scope(None)
        self.scope = self.module_scope
        self.module = _Frame(None, entry=False)
        self.frame = self.module
        self.try_stack: list[int] = []
        self.catch: _Catch | None = None  # the catch body being walked: calls, logs, returns
        self.throw_to: _Catch | None = None  # where a `throw` goes (None inside a try body)
        self.guards: frozenset[str] = frozenset()  # env names tested for presence around here
        self.this: _Val = _EMPTY
        self.next_try = 1
        self.hint: str | None = None  # a module-level name for the next anonymous function
        self.hinted: _Val | None = None  # the object literal of methods that took the hint
        self.hint_ref: str | None = None  # the first function passed as an argument under a hint
        self.param_roles: list[_Val | None] | None = None  # for the next callback visited
        self.worker_file = False
        self.hono = False
        # settled in _finish
        self.env_reads: list[_EnvRead] = []
        self.binding_calls: list[_BindingCall] = []
        self.binding_uses_pending: list[_BindingCall] = []
        self.axios_timeout: _Val | None = None  # axios.defaults.timeout = ...
        self.binding_props: list[tuple[str, str, Location, str | None, bool]] = []
        self.binding_types: dict[str, str] = {}
        # (where, function, what is parsed, enclosing tries): guarded once the tries are known
        self.parses: list[tuple[Location, str | None, tuple[Source, ...], tuple[int, ...]]] = []
        self.try_outcomes: dict[int, str] = {}
        self.wrappers: list[tuple[str, str | None, Location, tuple[tuple[str, Value], ...]]] = []
        self.containers: dict[str, tuple[str, Location]] = {}
        self.container_writes: dict[str, list[tuple[str, Location]]] = {}
        self.entries: dict[str, EntryPoint] = {}
        self.entry_refs: dict[str, list[str]] = {}  # synthetic FunctionDefs for default objects
        self.entry_qualnames: set[str] = set()
        self.entry_kinds: dict[str, str] = {}  # qualname -> EntryPoint.kind
        self.wrapped: set[str] = set()  # functions wrapped by middy/makeIdempotent
        self.module_refs: list[str] = []
        self.globals: dict[str, _Val] = {}
        self.text: Callable[[Node], str] = tree.text

    # -- positions and values ---------------------------------------------------------------
    def loc(self, node: Node) -> Location:
        line, col, end_line, end_col = self.tree.span(node)
        return Location(self.path, line, col, end_line, end_col)

    def value(self, node: Node, v: _Val) -> Value:
        sources = _sorted_sources(v.sources)
        keys = tuple(v.props) if v.kind == "obj" and v.props else ()
        return Value(
            self.tree.text_prefix(node, _TEXT_LIMIT),
            self.loc(node),
            v.literal if v.lit else None,
            v.lit,
            sources,
            keys,
        )

    # -- dispatch ---------------------------------------------------------------------------
    # ``_HANDLERS`` (after the class) maps node types to the methods below; other nodes go
    # through ``generic``. Statements return _EMPTY.
    def x_skip(self, node: Node) -> _Val:
        return _EMPTY

    def x_this(self, node: Node) -> _Val:
        return self.this

    def x_meta(self, node: Node) -> _Val:
        return _Val("mod", qual=self.text(node))  # import.meta

    def visit(self, node: Node) -> _Val:
        handler = _HANDLERS.get(_kind(node))
        if handler is None:
            return self.generic(node)
        return handler(self, node)

    def generic(self, node: Node) -> _Val:
        """Any other node: visit what it contains; its value carries their sources."""
        out: tuple[Source, ...] = ()
        handlers = _HANDLERS
        for child in _named(node):
            # visit() inlined: this loop runs for most nodes of the file
            handler = handlers.get(_kind(child))
            v = self.generic(child) if handler is None else handler(self, child)
            if v.sources:
                out = _union(out, v.sources)
        return _Val(sources=out) if out else _EMPTY

    def unwrap(self, node: Node) -> Node:
        while _kind(node) in _UNWRAP:
            inner = _named(node)
            if not inner:
                break
            # `<T>x` puts the type first; `x as T`, `x!`, `(x)` put the expression first
            node = inner[-1] if _kind(node) == "type_assertion" else inner[0]
        return node

    def x_unwrap(self, node: Node) -> _Val:
        inner = self.unwrap(node)
        return _EMPTY if inner is node else self.visit(inner)

    # -- the program ------------------------------------------------------------------------
    def run(self) -> None:
        statements = _named(self.tree.root)
        self.hoist(statements, "")
        for statement in statements:
            self.visit(statement)
        self.run_pending(self.module)
        self._finish()

    def hoist(self, statements: list[Node], prefix: str) -> None:
        """Declare function and class names first: JavaScript hoists them."""
        declare = self.scope.vars
        for statement in statements:
            node = statement
            if _kind(node) == "export_statement":
                node = _field(node, "declaration") or node
            kind = _kind(node)
            if kind in _FUNCTION_DECLARATIONS:
                name = _field(node, "name")
                if name is not None:
                    declare[self.text(name)] = _Val("fn", fn=prefix + self.text(name))

    def run_pending(self, frame: _Frame) -> None:
        while frame.pending:
            node, qualname, scope, cls, roles = frame.pending.pop(0)
            self.run_function(node, qualname, scope, cls=cls, roles=roles)

    def defer(
        self,
        node: Node,
        qualname: str,
        cls: _Class | None = None,
        roles: list[_Val | None] | None = None,
    ) -> _Val:
        self.frame.pending.append((node, qualname, self.scope, cls, roles))
        return _Val("fn", fn=qualname)

    def prefix(self) -> str:
        q = self.frame.qualname
        return q + "." if q else ""

    def at_module_level(self) -> bool:
        return self.frame is self.module and self.module.callback_depth == 0

    # -- functions --------------------------------------------------------------------------
    def params(self, node: Node) -> list[Node]:
        group = _field(node, "parameters")
        if group is not None:
            return [p for p in _named(group) if _kind(p) != "comment"]
        single = _field(node, "parameter")
        return [single] if single is not None else []

    def param_parts(self, param: Node) -> tuple[Node, str, str, Node | None]:
        """(pattern, name as FunctionDef shows it, type name, default value) of a parameter."""
        pattern, type_name, default = param, "", None
        kind = _kind(param)
        if kind in ("required_parameter", "optional_parameter"):
            pattern = _field(param, "pattern") or param
            default = _field(param, "value")
            annotation = _field(param, "type")
            if annotation is not None:
                match = re.match(r"\s*:?\s*([A-Za-z_$][\w$.]*)", self.text(annotation))
                type_name = match.group(1) if match else ""
        if _kind(pattern) == "assignment_pattern":
            default = _field(pattern, "right")
            pattern = _field(pattern, "left") or pattern
        if _kind(pattern) == "rest_pattern" and _named(pattern):
            return pattern, "..." + self.text(_named(pattern)[0]), type_name, default
        return pattern, self.text(pattern), type_name, default

    def is_async(self, node: Node) -> bool:
        for child in ts.children(node):
            kind = _kind(child)
            if kind == "async":
                return True
            if kind in (
                "formal_parameters",
                "identifier",
                "statement_block",
                "property_identifier",
            ):
                return False
        return False

    def event_root(self, node: Node, flavour: str | None = None) -> _Val:
        return self.root(node, _Val("event", data=flavour))

    def role_for(
        self,
        index: int,
        param: tuple[str, str],
        qualname: str | None,
        cls: _Class | None,
        handler: bool,
    ) -> _Val | None:
        """What a parameter receives, from where its function sits, then its type and name.

        ``handler``: the function is an exported Lambda handler (see ``looks_like_handler``).
        """
        name, type_name = param
        method = qualname.rsplit(".", 1)[-1] if qualname else ""
        owner = qualname.rsplit(".", 1)[0] if qualname and "." in qualname else ""
        if cls is not None and cls.worker:  # WorkerEntrypoint / DurableObject: env is this.env
            if index == 0 and method == "fetch":
                return _Val("event", data="request")
            if index == 0 and method in _WORKER_CLASS_INPUTS:
                return _Val("event")
        elif self.entry_kinds.get(owner) in ("default-export", "on-fetch") and (
            method in _WORKER_HANDLERS
        ):  # export default { fetch(request, env, ctx) {...} }
            if index == 0:
                return _Val("event", data="request" if method == "fetch" else None)
            if index == 1:
                return _Val("env", data="worker-env")
        elif handler and index == 0:
            return _Val("event")
        if type_name:
            if type_name in _TYPE_ROLES:
                kind, data = _TYPE_ROLES[type_name]
                if kind != "ctx" or self.hono:
                    return _Val(kind, data=data)
            elif type_name.endswith(("Event", "EventV2")):
                return _Val("event")  # APIGatewayProxyEvent, SQSEvent... from @types/aws-lambda
            elif type_name.endswith("Record") and type_name[:1].isupper():
                return _Val("event", path=("records",))  # SQSRecord, DynamoDBRecord...
        if name in ("event", "evt"):
            return _Val("event")
        if name == "record":
            return _Val("event", path=("records",))
        if self.worker_file:
            if name == "request":
                return _Val("event", data="request")
            if name == "env":
                return _Val("env", data="worker-env")
            if name == "c" and self.hono:
                return _Val("ctx")
        return None

    def looks_like_handler(self, qualname: str | None, params: list[tuple[str, str]]) -> bool:
        """An exported function a Lambda runtime would call with the event.

        Exporting alone is not enough (library modules export helpers too): it must be wrapped
        as a handler, be named like one, or take the event/context by name or type.
        """
        if qualname is None or self.entry_kinds.get(qualname) != "function":
            return False
        if qualname in self.wrapped or _HANDLER_NAME.search(qualname.rsplit(".", 1)[-1]):
            return True
        first = params[0] if params else ("", "")
        second = params[1][0] if len(params) > 1 else ""
        return (
            first[0] in _EVENT_PARAM_NAMES
            or first[1].endswith(("Event", "EventV2"))
            or second in _CONTEXT_PARAM_NAMES
        )

    def bind_params(
        self, node: Node, qualname: str | None, cls: _Class | None, roles: list[_Val | None] | None
    ) -> tuple[str, ...]:
        parts = [self.param_parts(param) for param in self.params(node)]
        handler = roles is None and self.looks_like_handler(
            qualname, [(name, type_name) for _, name, type_name, _ in parts]
        )
        names = []
        for index, (pattern, name, type_name, default) in enumerate(parts):
            names.append(name)
            role = roles[index] if roles is not None and index < len(roles) else None
            if role is None:
                role = self.role_for(index, (name, type_name), qualname, cls, handler)
            if role is not None and not role.sources and role.kind in ("event", "env"):
                role = self.root(pattern, role)
            if default is not None:
                fallback = self.visit(default)
                role = role or fallback
            self.bind(pattern, role or _EMPTY)
        return tuple(names)

    def root(self, node: Node, role: _Val) -> _Val:
        """The event or env object a parameter receives, as a source located at the parameter."""
        if role.kind == "env":
            return _Val("env", (Source("env", "*", self.loc(node)),), data=role.data)
        source = _event_source(role.path, self.loc(node))
        return _Val("event", (source,), path=role.path, data=role.data)

    def run_function(
        self,
        node: Node,
        qualname: str,
        scope: _Scope,
        *,
        cls: _Class | None = None,
        roles: list[_Val | None] | None = None,
    ) -> None:
        """Analyse a named function's body, after the code around it."""
        saved = (
            self.scope,
            self.frame,
            self.try_stack,
            self.catch,
            self.throw_to,
            self.guards,
            self.this,
            self.hint,
        )
        self.scope = _Scope(scope)
        self.frame = _Frame(qualname, entry=qualname in self.entry_qualnames)
        self.try_stack, self.catch, self.throw_to, self.guards = [], None, None, frozenset()
        self.hint = None
        if cls is not None:
            self.this = _Val("this", data=cls)
        try:
            params = self.bind_params(node, qualname, cls, roles)
            self.body(node)
            self.run_pending(self.frame)
            self.facts.functions.append(
                FunctionDef(
                    qualname,
                    self.loc(node),
                    params,
                    self.is_async(node),
                    tuple(dict.fromkeys(self.frame.calls)),
                    exported=qualname in self.entry_qualnames,
                )
            )
        finally:
            (
                self.scope,
                self.frame,
                self.try_stack,
                self.catch,
                self.throw_to,
                self.guards,
                self.this,
                self.hint,
            ) = saved

    def body(self, node: Node) -> None:
        body = _field(node, "body")
        if body is None:
            return
        if _kind(body) == "statement_block":
            statements = _named(body)
            self.hoist(statements, self.prefix())
            for statement in statements:
                self.visit(statement)
        else:  # an arrow function's expression body is its return value
            v = self.visit(body)
            self.returned(body, v, explicit=False)

    def run_callback(self, node: Node, roles: list[_Val | None] | None) -> None:
        """Analyse an anonymous function in place, as part of the function that passes it."""
        saved = self.scope, self.hint, self.guards
        self.scope = _Scope(self.scope)
        self.frame.callback_depth += 1
        self.hint = None
        try:
            self.bind_params(node, None, None, roles)
            self.body(node)
        finally:
            self.frame.callback_depth -= 1
            self.scope, self.hint, self.guards = saved

    def x_function(self, node: Node) -> _Val:
        roles, self.param_roles = self.param_roles, None
        if self.hint is not None and self.at_module_level():
            name, self.hint = self.hint, None
            return self.defer(node, name, roles=roles)
        self.run_callback(node, roles)
        return _Val("fn")

    def s_function_declaration(self, node: Node) -> _Val:
        name = _field(node, "name")
        if name is None:
            return _EMPTY
        v = self.defer(node, self.prefix() + self.text(name))
        self.scope.vars[self.text(name)] = v
        return v

    # -- classes ----------------------------------------------------------------------------
    def s_class(self, node: Node, name: str | None = None) -> _Val:
        name_node = _field(node, "name")
        if name is None:
            name = self.text(name_node) if name_node is not None else "default"
        worker = False
        for child in _named(node):
            if _kind(child) == "class_heritage":
                base = self.text(child).replace("extends", "", 1).strip()
                base_name = re.split(r"[<\s({]", base, maxsplit=1)[0].rsplit(".", 1)[-1]
                worker = base_name in _WORKER_BASES
        cls = _Class(self.prefix() + name, worker)
        if worker:
            self.worker_file = True
        v = _Val("class", data=cls, fn=cls.qualname)
        if name_node is not None:
            self.scope.vars[name] = v
        body = _field(node, "body")
        if body is None:
            return v
        decorators: list[Node] = []
        saved_this, self.this = self.this, _Val("this", data=cls)
        try:
            for member in _named(body):
                kind = _kind(member)
                if kind == "decorator":
                    decorators.append(member)
                elif kind == "method_definition":
                    method = _field(member, "name")
                    if method is None:
                        continue
                    method_name = self.text(method)
                    qualname = f"{cls.qualname}.{method_name}"
                    cls.methods.append(method_name)
                    self.frame.pending.append((member, qualname, self.scope, cls, None))
                    self.decorate(decorators, qualname)
                    decorators = []
                elif kind in ("public_field_definition", "field_definition"):
                    field_name = _field(member, "name") or _field(member, "property")
                    init = _field(member, "value")
                    if field_name is None or init is None:
                        continue
                    key = self.text(field_name)
                    if _kind(self.unwrap(init)) in _FUNCTION_TYPES:
                        qualname = f"{cls.qualname}.{key}"
                        cls.methods.append(key)
                        self.frame.pending.append(
                            (self.unwrap(init), qualname, self.scope, cls, None)
                        )
                        self.decorate(decorators, qualname)
                    else:
                        cls.fields[key] = self.visit(init)
                    decorators = []
                else:
                    self.visit(member)
        finally:
            self.this = saved_this
        return v

    def decorate(self, decorators: list[Node], target: str) -> None:
        for decorator in decorators:
            for expression in _named(decorator):
                v = self.visit(expression)
                if v.kind == "mw":
                    name, args = v.data
                    self.wrappers.append((name, target, self.loc(decorator), args))

    # -- statements -------------------------------------------------------------------------
    def s_declarator(self, node: Node) -> _Val:
        name = _field(node, "name")
        value = _field(node, "value")
        if name is None:
            return _EMPTY
        if value is None:
            if _kind(name) == "identifier":
                self.scope.vars[self.text(name)] = _EMPTY
            return _EMPTY
        inner = self.unwrap(value)
        if _kind(name) != "identifier":
            v = self.visit(value)
            self.bind(name, v)
            return _EMPTY
        var = self.text(name)
        if _kind(inner) in _FUNCTION_TYPES:
            v = self.defer(inner, self.prefix() + var)
            self.scope.vars[var] = v
            return _EMPTY
        module_level = self.at_module_level()
        if _kind(inner) in _CLASS_TYPES:
            v = self.s_class(inner, var)
        else:
            v = self.visit_named(value, var) if module_level else self.visit(value)
        self.scope.vars[var] = v
        if module_level:
            container = self.container_kind(inner)
            if container is not None:
                self.containers[var] = (container, self.loc(node))
        return _EMPTY

    def visit_named(self, value: Node, name: str) -> _Val:
        """A module-level value bound to ``name``: the first anonymous function in it takes the
        name (``const handler = withSentry(async (event) => ...)`` defines ``handler``), and
        when the value is otherwise opaque, it *is* that function, wrapped."""
        self.hint, self.hinted, self.hint_ref = name, None, None
        try:
            v = self.visit(value)
        finally:
            named = self.hint is None  # a function (or object of methods) took the name
            self.hint = None
        if v.kind in ("fn", "middy", "obj", "app", "class") or self.hinted is not None:
            return v
        if named:
            return _Val("fn", v.sources, fn=name)
        if self.hint_ref is not None:  # withDurableExecution(handler) runs handler
            return _Val("fn", v.sources, fn=self.hint_ref)
        return v

    def container_kind(self, node: Node) -> str | None:
        kind = _kind(node)
        if kind == "object":
            return "object"
        if kind == "array":
            return "array"
        if kind == "new_expression":
            ctor = _field(node, "constructor")
            if ctor is not None and _kind(ctor) == "identifier":
                name = self.text(ctor)
                if name in ("Map", "Set", "WeakMap", "WeakSet"):
                    return name.replace("Weak", "")
        return None

    def bind(self, pattern: Node, v: _Val) -> None:
        """Give the names in a binding pattern their part of ``v``."""
        kind = _kind(pattern)
        if kind in ("identifier", "shorthand_property_identifier_pattern"):
            self.scope.vars[self.text(pattern)] = v
        elif kind == "object_pattern":
            for child in _named(pattern):
                ckind = _kind(child)
                if ckind == "shorthand_property_identifier_pattern":
                    key = self.text(child)
                    self.scope.vars[key] = self.member(v, key, child)
                elif ckind == "pair_pattern":
                    key_node, target = _field(child, "key"), _field(child, "value")
                    if key_node is None or target is None:
                        continue
                    name = self.prop_name(key_node)
                    part = self.member(v, name, key_node) if name is not None else _plain(v.sources)
                    self.bind_default(target, part)
                elif ckind == "object_assignment_pattern":
                    left, right = _field(child, "left"), _field(child, "right")
                    if left is None:
                        continue
                    part = self.member(v, self.text(left), left, default=True)
                    fallback = self.visit(right) if right is not None else _EMPTY
                    self.bind(left, self.either(part, fallback))
                elif ckind == "rest_pattern":
                    for inner in _named(child):
                        self.bind(inner, _plain(v.sources) if v.kind == "env" else v)
        elif kind == "array_pattern":
            element = self.element(v)
            for child in _named(pattern):
                self.bind_default(child, element)
        elif kind in (
            "assignment_pattern",
            "rest_pattern",
            "required_parameter",
            "optional_parameter",
        ):
            self.bind_default(pattern, v)

    def bind_default(self, pattern: Node, v: _Val) -> None:
        kind = _kind(pattern)
        if kind == "assignment_pattern":
            left, right = _field(pattern, "left"), _field(pattern, "right")
            if left is not None:
                fallback = self.visit(right) if right is not None else _EMPTY
                if v.env_read is not None:
                    v.env_read.has_default = v.env_read.guarded = True
                self.bind(left, self.either(v, fallback))
        elif kind == "rest_pattern":
            for inner in _named(pattern):
                self.bind(inner, v)
        elif kind in ("required_parameter", "optional_parameter"):
            nested = _field(pattern, "pattern")
            if nested is not None:
                self.bind(nested, v)
        else:
            self.bind(pattern, v)

    def either(self, a: _Val, b: _Val) -> _Val:
        """``a ?? b``: a's shape when it has one, the sources of both."""
        if not b.sources:
            return a
        if not a.sources and a.kind == "":
            return b
        return self.with_sources(a, _union(a.sources, b.sources))

    def with_sources(self, v: _Val, sources: tuple[Source, ...]) -> _Val:
        return _Val(
            v.kind,
            sources,
            qual=v.qual,
            path=v.path,
            props=v.props,
            literal=v.literal,
            lit=v.lit and not sources,
            fn=v.fn,
            data=v.data,
            env_read=v.env_read,
        )

    def element(self, v: _Val) -> _Val:
        """An element of an array value: the event's records keep their path."""
        if v.kind == "event":
            return _Val("event", v.sources, path=v.path, data=None)
        return _plain(v.sources)

    def s_return(self, node: Node) -> _Val:
        argument = next((c for c in _named(node) if _kind(c) != "comment"), None)
        v = self.visit(argument) if argument is not None else _UNDEFINED
        self.returned(argument or node, v, explicit=True)
        return _EMPTY

    def returned(self, node: Node, v: _Val, explicit: bool) -> None:
        """A value leaves the function: note what a catch does, and record the Return."""
        catch = self.catch
        if catch is not None:
            status = self.status_of(v)
            if status is not None:
                catch.returns = catch.returns or status >= 400
            elif explicit and not v.lit and v.kind not in ("fn",):
                catch.returns = True
        if self.frame.callback_depth or v.kind == "response" or self.frame is self.module:
            return
        props = v.props if v.kind == "obj" and v.props else {}
        status_pair = props.get("statusCode") or props.get("status")
        body_pair = props.get("body")
        keys = tuple(props)
        ret = Return(
            self.loc(node),
            self.frame.qualname,
            _status(status_pair[1]) if status_pair else None,
            self.value(node, v),
            keys,
            self.value(*body_pair) if body_pair else None,
        )
        self.facts.returns.append(ret)
        if self.frame.entry or "statusCode" in props:
            self.flows(v.sources, "response", ret.loc, None)

    def status_of(self, v: _Val) -> int | None:
        if v.kind == "response":
            return v.data if isinstance(v.data, int) else None
        if v.kind == "obj" and v.props:
            pair = v.props.get("statusCode") or v.props.get("status")
            if pair is not None:
                return _status(pair[1])
        return None

    def s_throw(self, node: Node) -> _Val:
        if self.throw_to is not None:
            self.throw_to.throws = True
        self.generic(node)
        return _EMPTY

    def s_if(self, node: Node) -> _Val:
        condition = _field(node, "condition")
        consequence = _field(node, "consequence")
        alternative = _field(node, "alternative")
        cv = self.visit(condition) if condition is not None else _EMPTY
        reads, negated = self.guard_of(cv)
        names = frozenset(r.name for r in reads)
        saved = self.guards
        if consequence is not None:
            if names and not negated:
                self.guards = saved | names
            self.visit(consequence)
            self.guards = saved
        if alternative is not None:
            if names and negated:
                self.guards = saved | names
            self.visit(alternative)
            self.guards = saved
        if names and negated and consequence is not None and self.exits(consequence):
            # `if (!env.KEY) return ...;` guards everything after it in the function
            self.guards = saved | names
        return _EMPTY

    def guard_of(self, v: _Val) -> tuple[tuple[_EnvRead, ...], bool]:
        if v.guard is not None:
            reads, negated = v.guard
        elif v.env_read is not None:
            reads, negated = (v.env_read,), False
        else:
            return (), False
        for read in reads:
            read.guarded = True
        return reads, negated

    def exits(self, node: Node) -> bool:
        kind = _kind(node)
        if kind in ("return_statement", "throw_statement"):
            return True
        if kind == "statement_block":
            statements = [c for c in _named(node) if _kind(c) != "comment"]
            return bool(statements) and self.exits(statements[-1])
        return False

    def s_for_in(self, node: Node) -> _Val:
        left, right, body = _field(node, "left"), _field(node, "right"), _field(node, "body")
        rv = self.visit(right) if right is not None else _EMPTY
        is_of = any(_kind(c) == "of" for c in ts.children(node))
        if left is not None:
            self.bind(left, self.element(rv) if is_of else _EMPTY)
        if body is not None:
            self.visit(body)
        return _EMPTY

    def s_try(self, node: Node) -> _Val:
        body, handler = _field(node, "body"), _field(node, "handler")
        finalizer = _field(node, "finalizer")
        if handler is None:
            if body is not None:
                self.visit(body)
            if finalizer is not None:
                self.visit(finalizer)
            return _EMPTY
        try_id = self.next_try
        self.next_try += 1
        saved_throw = self.throw_to
        self.try_stack.append(try_id)
        self.throw_to = None  # a throw in the try body is caught here
        try:
            if body is not None:
                self.visit(body)
        finally:
            self.try_stack.pop()
            self.throw_to = saved_throw
        catch = _Catch()
        saved_catch = self.catch
        self.catch = self.throw_to = catch
        try:
            parameter = _field(handler, "parameter")
            if parameter is not None:
                self.bind(parameter, _EMPTY)
            handler_body = _field(handler, "body")
            if handler_body is not None:
                self.visit(handler_body)
        finally:
            self.catch, self.throw_to = saved_catch, saved_throw
        self.close_try(try_id, node, handler, catch)
        if finalizer is not None:
            self.visit(finalizer)
        return _EMPTY

    def close_try(self, try_id: int, node: Node, handler: Node, catch: _Catch) -> None:
        on_error = catch.on_error()
        if on_error == "reraise" and self.throw_to is not None:
            self.throw_to.throws = True
        if self.catch is not None:  # a try inside a catch: what it does, the outer catch does
            self.catch.logs |= catch.logs
            self.catch.records |= catch.records
            self.catch.returns |= catch.returns
        self.try_outcomes[try_id] = on_error
        self.facts.tries.append(
            TryBlock(try_id, self.loc(node), self.frame.qualname, on_error, self.loc(handler))
        )

    def current_try(self) -> int | None:
        return self.try_stack[-1] if self.try_stack else None

    # -- modules ----------------------------------------------------------------------------
    def s_import(self, node: Node) -> _Val:
        source = _field(node, "source")
        if any(_kind(c) == "type" for c in ts.children(node)[:2]):
            return _EMPTY  # `import type {...}`: erased at compile time
        clause = next(
            (c for c in _named(node) if _kind(c) in ("import_clause", "import_require_clause")),
            None,
        )
        if clause is not None and _kind(clause) == "import_require_clause":
            source = _field(clause, "source")
        if source is None:
            return _EMPTY
        module = self.string_value(source)
        if module is None:
            return _EMPTY
        names: list[tuple[str, str]] = []
        if clause is not None:
            for part in _named(clause):
                kind = _kind(part)
                if kind == "identifier":
                    names.append(
                        (
                            "*" if _kind(clause) == "import_require_clause" else "default",
                            self.text(part),
                        )
                    )
                elif kind == "namespace_import":
                    for local in _named(part):
                        names.append(("*", self.text(local)))
                elif kind == "named_imports":
                    for spec in _named(part):
                        if _kind(spec) != "import_specifier" or self.text(spec).startswith("type "):
                            continue
                        original, alias = _field(spec, "name"), _field(spec, "alias")
                        if original is None:
                            continue
                        names.append(
                            (
                                self.prop_name(original) or self.text(original),
                                self.text(alias or original),
                            )
                        )
        self.add_import(module, names, node)
        return _EMPTY

    def add_import(self, module: str, names: list[tuple[str, str]], node: Node) -> None:
        self.facts.imports.append(Import(module, tuple(names), self.loc(node)))
        normal = _normalise_module(module)
        self.note_module(normal)
        for imported, local in names:
            self.scope.vars[local] = _Val(
                "mod", qual=_qualify(normal, imported), data=(module, imported)
            )

    def note_module(self, module: str) -> None:
        """Importing a Workers framework makes this a Worker's file."""
        if module in ("hono", "itty-router") or module.startswith(
            ("cloudflare:", "@cloudflare/", "hono/", "agents")
        ):
            self.worker_file = True
            self.hono = self.hono or module == "hono" or module.startswith("hono/")

    def s_export(self, node: Node) -> _Val:
        declaration = _field(node, "declaration")
        value = _field(node, "value")
        source = _field(node, "source")
        is_default = any(_kind(c) == "default" for c in ts.children(node))
        clause = next((c for c in _named(node) if _kind(c) == "export_clause"), None)
        if declaration is not None:
            kind = _kind(declaration)
            if is_default:
                self.export_default(declaration, node)
            elif kind in _FUNCTION_DECLARATIONS:
                v = self.visit(declaration)
                name = _field(declaration, "name")
                if name is not None and v.fn:
                    self.add_entry(self.text(name), v.fn, "function", declaration)
            elif kind in _CLASS_TYPES:
                v = self.s_class(declaration)
                cls = v.data
                if isinstance(cls, _Class) and cls.worker:
                    self.add_entry(
                        cls.qualname,
                        cls.qualname,
                        "worker-entrypoint",
                        declaration,
                        tuple(m for m in cls.methods if m != "constructor"),
                    )
            elif kind in ("lexical_declaration", "variable_declaration"):
                self.visit(declaration)
                for declarator in _named(declaration):
                    name = _field(declarator, "name")
                    if _kind(declarator) != "variable_declarator" or name is None:
                        continue
                    if _kind(name) == "identifier":
                        var = self.text(name)
                        self.export_value(var, self.scope.lookup(var) or _EMPTY, declarator)
            else:
                self.visit(declaration)
        elif value is not None:
            self.export_default(value, node)
        elif clause is not None:
            module = self.string_value(source) if source is not None else None
            names: list[tuple[str, str]] = []
            for spec in _named(clause):
                local, alias = _field(spec, "name"), _field(spec, "alias")
                if local is None:
                    continue
                local_name = self.prop_name(local) or self.text(local)
                symbol = (
                    self.prop_name(alias) or self.text(alias) if alias is not None else local_name
                )
                names.append((local_name, symbol))
                if module is not None:
                    # a Worker re-exports its Durable Object / Workflow classes by name
                    worker_class = self.worker_file and symbol[:1].isupper()
                    kind = "worker-entrypoint" if worker_class else "function"
                    self.add_entry(symbol, local_name, kind, spec)
                else:
                    v = self.scope.lookup(local_name) or _EMPTY
                    self.export_value(symbol, v, spec, local=local_name)
            if module is not None:
                self.facts.imports.append(Import(module, tuple(names), self.loc(node)))
        elif source is not None:  # export * from "./x"
            module = self.string_value(source)
            if module is not None:
                self.facts.imports.append(Import(module, (("*", "*"),), self.loc(node)))
        return _EMPTY

    def export_value(self, symbol: str, v: _Val, node: Node, local: str | None = None) -> None:
        """An exported name: an entry point when it is something a platform can call."""
        if symbol == "default":  # export { worker as default }
            self.export_default_value(v, local or symbol, node)
        elif v.kind in ("fn", "middy") and v.fn:
            self.add_entry(symbol, v.fn, "function", node)
        elif v.kind == "mod" and v.data and str(v.data[0]).startswith("."):
            self.add_entry(
                symbol, v.data[1] if v.data[1] not in ("*", "default") else symbol, "function", node
            )
        elif v.kind == "class" and isinstance(v.data, _Class) and v.data.worker:
            cls = v.data
            self.add_entry(
                symbol,
                cls.qualname,
                "worker-entrypoint",
                node,
                tuple(m for m in cls.methods if m != "constructor"),
            )

    def export_default(self, value: Node, node: Node) -> None:
        inner = self.unwrap(value)
        kind = _kind(inner)
        if kind in _FUNCTION_DECLARATIONS or kind in _FUNCTION_TYPES:
            name = _field(inner, "name")
            qualname = self.text(name) if name is not None else "default"
            if name is not None:
                self.scope.vars[qualname] = _Val("fn", fn=qualname)
            self.defer(inner, qualname)
            self.add_entry("default", qualname, "function", inner)
            return
        if kind in _CLASS_TYPES:
            v = self.s_class(inner)
            cls = v.data
            assert isinstance(cls, _Class)
            methods = tuple(m for m in cls.methods if m != "constructor")
            self.add_entry(
                "default",
                cls.qualname,
                "worker-entrypoint" if cls.worker else "default-export",
                inner,
                methods,
            )
            return
        self.worker_file = self.worker_file or kind == "object"
        v = self.visit_named(value, "default")
        if v.kind != "obj" and self.hinted is not None:
            v = self.hinted  # `export default wrap({ fetch() {} })`
        self.hinted = None
        self.export_default_value(v, "default" if kind != "identifier" else self.text(inner), inner)

    def export_default_value(self, v: _Val, name: str, node: Node) -> None:
        if v.kind == "obj":
            methods, refs = [], []
            for key, (_, pv) in (v.props or {}).items():
                if pv.kind in ("fn", "middy") or (pv.kind == "" and key in _WORKER_HANDLERS):
                    methods.append(key)
                    if pv.fn and pv.fn != f"{name}.{key}":
                        refs.append(pv.fn)
            self.worker_file = True
            self.add_entry("default", name, "default-export", node, tuple(methods))
            self.entry_refs[name] = refs
        elif v.kind in ("fn", "middy") and v.fn:
            self.add_entry("default", v.fn, "function", node)
        elif v.kind == "class" and isinstance(v.data, _Class):
            cls = v.data
            self.add_entry(
                "default",
                cls.qualname,
                "worker-entrypoint" if cls.worker else "default-export",
                node,
                tuple(m for m in cls.methods if m != "constructor"),
            )
        elif v.kind == "mod" and v.data and str(v.data[0]).startswith("."):
            # re-exported from a sibling module: name what it is there
            imported = v.data[1] if v.data[1] != "*" else "default"
            self.add_entry("default", imported, "default-export", node)
        else:  # a Hono app, an itty router, `export default Sentry.withSentry(...)`...
            self.worker_file = True
            self.add_entry(
                "default", name, "default-export", node, ("fetch",) if v.kind == "app" else ()
            )
            self.entry_refs[name] = self.module_refs

    def add_entry(
        self, symbol: str, qualname: str, kind: Any, node: Node, methods: tuple[str, ...] = ()
    ) -> None:
        self.entries[symbol] = EntryPoint(symbol, qualname, kind, self.loc(node), methods)
        self.entry_kinds[qualname] = kind
        self.entry_qualnames.add(qualname)
        self.entry_qualnames.update(f"{qualname}.{m}" for m in methods)

    def s_type_declaration(self, node: Node) -> _Val:
        """``interface Env { KV: KVNamespace }``: workers-types name each binding's kind."""
        stack = [node]
        while stack:
            current = stack.pop()
            for child in _named(current):
                if _kind(child) == "property_signature":
                    name, annotation = _field(child, "name"), _field(child, "type")
                    if name is None or annotation is None:
                        continue
                    match = re.match(r"\s*:?\s*([A-Za-z_$][\w$]*)", self.text(annotation))
                    if match and match.group(1) in _TS_BINDING_TYPES:
                        self.binding_types[self.text(name)] = _TS_BINDING_TYPES[match.group(1)]
                elif _kind(child) in ("interface_body", "object_type"):
                    stack.append(child)
        return _EMPTY

    # -- literals ---------------------------------------------------------------------------
    def x_number(self, node: Node) -> _Val:
        raw = self.text(node).replace("_", "")
        try:
            number: int | float = int(raw[:-1] if raw.endswith("n") else raw, 0)
        except ValueError:
            try:
                number = float(raw)
            except ValueError:
                return _EMPTY
        return _Val(literal=number, lit=True)

    def string_value(self, node: Node) -> str | None:
        kind = _kind(node)
        if kind == "string":
            parts = []
            for child in _named(node):
                if _kind(child) == "escape_sequence":
                    raw = self.text(child)
                    parts.append(_ESCAPES.get(raw[1:], raw[1:]) if len(raw) == 2 else raw)
                else:
                    parts.append(self.text(child))
            return "".join(parts)
        if kind == "template_string":
            if any(_kind(c) == "template_substitution" for c in _named(node)):
                return None
            return self.text(node)[1:-1]
        return None

    def x_string(self, node: Node) -> _Val:
        raw = self.text(node)
        if "\\" not in raw:  # no escapes: the text between the quotes is the value
            return _Val(literal=raw[1:-1], lit=True)
        return _Val(literal=self.string_value(node), lit=True)

    def x_template(self, node: Node) -> _Val:
        sources: tuple[Source, ...] = ()
        literal = True
        for child in _named(node):
            if _kind(child) == "template_substitution":
                literal = False
                sources = _union(sources, self.generic(child).sources)
        if literal:
            return _Val(literal=self.text(node)[1:-1], lit=True)
        return _plain(sources)

    def prop_name(self, node: Node) -> str | None:
        kind = _kind(node)
        if kind in (
            "property_identifier",
            "identifier",
            "private_property_identifier",
            "shorthand_property_identifier",
            "number",
            "type_identifier",
        ):
            return self.text(node)
        if kind == "string":
            return self.string_value(node)
        if kind == "computed_property_name":
            inner = _named(node)
            if inner:
                v = self.visit(inner[0])
                if v.lit and isinstance(v.literal, str):
                    return v.literal
        return None

    def x_object(self, node: Node) -> _Val:
        prefix: str | None = None
        if self.hint is not None and self.at_module_level() and self.has_functions(node):
            prefix, self.hint = self.hint, None
        props: dict[str, tuple[Node, _Val]] = {}
        sources: tuple[Source, ...] = ()
        literal: dict[str, Any] | None = {}
        for child in _named(node):
            kind = _kind(child)
            if kind == "pair":
                key_node, value = _field(child, "key"), _field(child, "value")
                if key_node is None or value is None:
                    continue
                key = self.prop_name(key_node)
                inner = self.unwrap(value)
                if prefix is not None and key is not None and _kind(inner) in _FUNCTION_TYPES:
                    v = self.defer(inner, f"{prefix}.{key}" if prefix else key)
                else:
                    v = self.visit(value)
            elif kind == "shorthand_property_identifier":
                key, value = self.text(child), child
                v = self.visit(child)
            elif kind == "method_definition":
                name = _field(child, "name")
                key, value = (self.text(name) if name is not None else None), child
                if prefix is not None and key is not None:
                    v = self.defer(child, f"{prefix}.{key}" if prefix else key)
                else:
                    self.run_callback(child, None)
                    v = _Val("fn")
            elif kind == "spread_element":
                inner_nodes = _named(child)
                spread = self.visit(inner_nodes[0]) if inner_nodes else _EMPTY
                if spread.kind == "obj" and spread.props:
                    props.update(spread.props)
                sources = _union(sources, spread.sources)
                literal = None
                continue
            else:
                continue
            if key is None:
                literal = None
                sources = _union(sources, v.sources)
                continue
            props[key] = (value, v)
            if v.sources:
                sources = _union(sources, v.sources)
            if literal is not None:
                if v.lit:
                    literal[key] = v.literal
                else:
                    literal = None
        out = _Val("obj", sources, props=props, literal=literal, lit=literal is not None)
        if prefix is not None:
            self.hinted = out
        return out

    def has_functions(self, node: Node) -> bool:
        for child in _named(node):
            if _kind(child) == "method_definition":
                return True
            if _kind(child) == "pair":
                value = _field(child, "value")
                if value is not None and _kind(self.unwrap(value)) in _FUNCTION_TYPES:
                    return True
        return False

    def x_array(self, node: Node) -> _Val:
        values = [self.visit(c) for c in _named(node) if _kind(c) != "comment"]
        if all(v.lit for v in values):
            return _Val(literal=[v.literal for v in values], lit=True)
        return _Val(sources=_merged(values), data=values)

    # -- names and members ------------------------------------------------------------------
    def x_identifier(self, node: Node) -> _Val:
        name = self.text(node)
        found = self.scope.lookup(name)
        if found is not None:
            if found.kind == "fn" and found.fn and self.frame is self.module:
                self.module_refs.append(found.fn)
            return found
        if name == "undefined":
            return _UNDEFINED
        v = self.globals.get(name)
        if v is None:
            v = self.globals[name] = _Val("mod", qual=name)
        return v

    def x_member(self, node: Node) -> _Val:
        obj, prop = _field(node, "object"), _field(node, "property")
        if obj is None or prop is None:
            return self.generic(node)
        ov = self.visit(obj)
        optional = _field(node, "optional_chain") is not None
        if optional and ov.env_read is not None:
            ov.env_read.guarded = True
        return self.member(ov, self.text(prop), node, optional=optional)

    def x_subscript(self, node: Node) -> _Val:
        obj, index = _field(node, "object"), _field(node, "index")
        if obj is None or index is None:
            return self.generic(node)
        ov = self.visit(obj)
        optional = _field(node, "optional_chain") is not None
        if optional and ov.env_read is not None:
            ov.env_read.guarded = True
        iv = self.visit(index)
        if iv.lit and isinstance(iv.literal, str):
            return self.member(ov, iv.literal, node, optional=optional)
        if ov.kind == "env":  # env[name]: any variable may be read
            return self.env_member(ov, "*", node, optional)
        if iv.lit or ov.kind == "event":
            return self.element(ov)
        if ov.kind == "obj":
            return _plain(ov.sources)
        return _plain(ov.sources)

    def member(
        self, v: _Val, prop: str, node: Node, *, optional: bool = False, default: bool = False
    ) -> _Val:
        """The value of ``v.prop`` (``node`` is where it is read)."""
        kind = v.kind
        if kind == "":
            return _plain(v.sources)
        if kind == "mod":
            qual = f"{v.qual}.{prop}"
            if qual in ("process.env", "import.meta.env"):
                return _Val("env", (Source("env", "*", self.loc(node)),), data=qual)
            return _Val("mod", qual=qual, data=v.data and (v.data[0], prop))
        if kind == "env":
            return self.env_member(v, prop, node, optional, default)
        if kind == "event":
            return self.event_member(v, prop, node)
        if kind == "obj":
            found = (v.props or {}).get(prop)
            return found[1] if found is not None else _plain(v.sources)
        if kind == "envvar":
            if prop in _HYPERDRIVE_PROPS:
                binding = v.data
                self.binding_props.append(
                    (
                        binding,
                        prop,
                        self.loc(node),
                        self.frame.qualname,
                        optional or binding in self.guards,
                    )
                )
                return _Val(sources=(Source("binding", f"{binding}.{prop}", self.loc(node)),))
            return _plain(v.sources)
        if kind in ("this", "inst", "class"):
            cls = v.data
            if prop == "env" and cls.worker and kind == "this":
                return self.root(node, _Val("env", data="worker-env"))
            if prop in cls.fields:
                return cls.fields[prop]
            if prop in cls.methods:
                return _Val("fn", fn=f"{cls.qualname}.{prop}")
            return _EMPTY
        if kind == "ctx":
            if prop == "env":
                return self.root(node, _Val("env", data="worker-env"))
            if prop == "req":
                return self.event_root(node, "hono-req")
            return _EMPTY
        if kind == "fetchevt":
            if prop == "request":
                return _Val(
                    "event",
                    v.sources or (Source("event", "event", self.loc(node)),),
                    data="request",
                )
            return _plain(v.sources)
        if kind == "stripe":
            return _Val("stripe", data=(*v.data, prop))
        if kind == "response":
            return _EMPTY
        if kind == "signal":  # controller.signal
            return v
        return _plain(v.sources)

    def env_member(
        self, v: _Val, name: str, node: Node, optional: bool = False, default: bool = False
    ) -> _Val:
        via = v.data
        read = _EnvRead(name, self.loc(node), self.frame.qualname, via)
        read.guarded = optional or default or name in self.guards
        read.has_default = default
        self.env_reads.append(read)
        source = (Source("env", name, read.loc),)
        if via == "worker-env":
            return _Val("envvar", source, data=name, env_read=read)
        return _Val(sources=source, env_read=read)

    def event_member(self, v: _Val, prop: str, node: Node) -> _Val:
        flavour = v.data
        if flavour == "request":
            if prop == "headers":
                return _Val(
                    "event",
                    (_event_source(("headers",), self.loc(node)),),
                    path=("headers",),
                    data="headers",
                )
            if prop in ("url", "method", "cf", "body"):
                return _Val("event", (_event_source((prop,), self.loc(node)),), path=(prop,))
        elif flavour == "url":
            if prop == "searchParams":
                path: tuple[str, ...] = ("queryStringParameters",)
                return _Val(
                    "event", (_event_source(path, self.loc(node)),), path=path, data="params"
                )
            if prop == "pathname":
                return _Val("event", (_event_source(("path",), self.loc(node)),), path=("path",))
        elif flavour == "hono-req" and prop == "raw":
            return _Val("event", v.sources, data="request")
        new_path = _extend_path(v.path, prop)
        return _Val("event", (_event_source(new_path, self.loc(node)),), path=new_path)

    # -- operators --------------------------------------------------------------------------
    def x_await(self, node: Node) -> _Val:
        inner = next((c for c in _named(node) if _kind(c) != "comment"), None)
        if inner is None:
            return _EMPTY
        inner = self.unwrap(inner)
        if _kind(inner) == "call_expression":
            return self.x_call(inner, awaited=True)
        return self.visit(inner)

    def x_binary(self, node: Node) -> _Val:
        operator = _field(node, "operator")
        left, right = _field(node, "left"), _field(node, "right")
        if operator is None or left is None or right is None:
            return self.generic(node)
        op = _kind(operator)
        if op in _LOGICAL:
            return self.logical(op, left, right)
        if op in ("+", "-", "*", "/", "%", "**", "|", "&", "^", "<<", ">>", ">>>"):
            return self.arithmetic(node)
        lv, rv = self.visit(left), self.visit(right)
        if op in _COMPARISONS:
            self.facts.comparisons.append(
                Comparison(
                    op,
                    self.value(left, lv),
                    self.value(right, rv),
                    self.loc(node),
                    self.frame.qualname,
                )
            )
            absent = rv.lit and rv.literal in (None, "undefined")
            subject = (
                lv if absent else (rv if lv.lit and lv.literal in (None, "undefined") else None)
            )
            if subject is not None:
                reads, negated = self.guard_of(subject)
                if reads:
                    return _Val(guard=(reads, negated ^ (op in ("==", "==="))))
            return _EMPTY
        if op == "in" and rv.kind == "env" and lv.lit and isinstance(lv.literal, str):
            read = self.env_member(rv, lv.literal, left)
            return _Val(guard=((read.env_read,), False)) if read.env_read else _EMPTY
        return _plain(_union(lv.sources, rv.sources))

    def arithmetic(self, node: Node) -> _Val:
        # Long concatenations nest to the left; walk the spine without recursing into it.
        spine = []
        current = node
        while _kind(current) == "binary_expression":
            operator = _field(current, "operator")
            if operator is None or _kind(operator) in _LOGICAL or _kind(operator) in _COMPARISONS:
                break
            spine.append(current)
            left = _field(current, "left")
            if left is None:
                break
            current = left
        sources = self.visit(current).sources if current is not node else ()
        for part in reversed(spine):
            right = _field(part, "right")
            if right is not None:
                sources = _union(sources, self.visit(right).sources)
        return _plain(sources)

    def logical(self, op: str, left: Node, right: Node) -> _Val:
        lv = self.visit(left)
        reads, negated = self.guard_of(lv) if op != "??" else ((), False)
        saved = self.guards
        if op == "&&" and reads and not negated:
            self.guards = saved | {r.name for r in reads}
        try:
            rv = self.visit(right)
        finally:
            self.guards = saved
        if op in ("??", "||") and lv.env_read is not None:
            lv.env_read.has_default = True
            lv.env_read.guarded = True
        out = self.either(lv, rv) if op != "&&" else self.either(rv, lv)
        right_reads, right_negated = (
            rv.guard
            if rv.guard is not None
            else ((rv.env_read,), False)
            if rv.env_read
            else ((), False)
        )
        if reads or right_reads:
            out = self.with_sources(out, out.sources)
            out.guard = (tuple(reads) + tuple(right_reads), negated and right_negated)
        return out

    def x_unary(self, node: Node) -> _Val:
        operator = _field(node, "operator")
        argument = _field(node, "argument")
        if argument is None:
            return _EMPTY
        op = _kind(operator) if operator is not None else ""
        if op == "delete":
            target = self.unwrap(argument)
            if _kind(target) in ("subscript_expression", "member_expression"):
                self.container_write(_field(target, "object"), target)
        v = self.visit(argument)
        if op in ("!", "typeof"):
            if v.guard is not None:
                reads, negated = v.guard
            elif v.env_read is not None:
                reads, negated = (v.env_read,), False
            else:
                return _EMPTY
            return _Val(guard=(reads, not negated if op == "!" else negated))
        return _plain(v.sources)

    def x_ternary(self, node: Node) -> _Val:
        condition = _field(node, "condition")
        consequence = _field(node, "consequence")
        alternative = _field(node, "alternative")
        cv = self.visit(condition) if condition is not None else _EMPTY
        reads, negated = self.guard_of(cv)
        saved = self.guards
        if reads and not negated:
            self.guards = saved | {r.name for r in reads}
        try:
            a = self.visit(consequence) if consequence is not None else _EMPTY
        finally:
            self.guards = saved
        b = self.visit(alternative) if alternative is not None else _EMPTY
        if a.lit and b.lit:
            return _plain(())
        return self.either(a, b) if a.kind else self.either(b, a)

    def x_assignment(self, node: Node) -> _Val:
        left, right = _field(node, "left"), _field(node, "right")
        if left is None or right is None:
            return self.generic(node)
        left = self.unwrap(left)
        target = self.text(left) if _kind(left) == "member_expression" else ""
        export: str | None = None
        if target.startswith(("exports.", "module.exports.")) and self.at_module_level():
            export = target.rsplit(".", 1)[1]
        elif target == "module.exports" and self.at_module_level():
            export = ""
        inner = self.unwrap(right)
        if export and _kind(inner) in _FUNCTION_TYPES:
            v = self.defer(inner, export)
        else:
            v = self.visit_named(right, export) if export is not None else self.visit(right)
        if export:
            self.export_value(export, v, node)
        elif export == "" and v.kind == "obj":
            for key, (_, pv) in (v.props or {}).items():
                self.export_value(key, pv, node)
        self.assign(left, v)
        return v

    def assign(self, left: Node, v: _Val) -> None:
        kind = _kind(left)
        if kind == "identifier":
            name = self.text(left)
            owner = self.scope.owner(name) or self.scope
            old = owner.vars.get(name)
            # a later assignment may run or not: keep what reached the name before
            owner.vars[name] = (
                self.with_sources(v, _union(old.sources, v.sources)) if old and old.sources else v
            )
        elif kind in ("member_expression", "subscript_expression"):
            obj = _field(left, "object")
            self.container_write(obj, left)
            ov = self.visit(obj) if obj is not None else _EMPTY
            if kind == "member_expression":
                prop = _field(left, "property")
                name = self.text(prop) if prop is not None else ""
            else:
                index = _field(left, "index")
                iv = self.visit(index) if index is not None else _EMPTY
                name = iv.literal if iv.lit and isinstance(iv.literal, str) else ""
            if ov.kind == "obj" and ov.props is not None and name:
                ov.props[name] = (left, v)
                ov.sources = _union(ov.sources, v.sources)
            elif ov.kind == "this" and name:
                ov.data.fields[name] = v
            elif ov.kind == "mod" and name == "timeout" and ov.qual.endswith(".defaults"):
                self.axios_timeout = v  # axios.defaults.timeout = 5000
            elif ov.kind == "http" and name == "timeout":
                ov.data = (ov.data[0], True, _seconds(v.literal) if v.lit else None)
        elif kind in ("object_pattern", "array_pattern"):
            self.bind(left, v)

    def x_augmented(self, node: Node) -> _Val:
        left, right = _field(node, "left"), _field(node, "right")
        rv = self.visit(right) if right is not None else _EMPTY
        if left is not None:
            lv = self.visit(left)
            if _kind(left) == "identifier":
                self.assign(left, _plain(_union(lv.sources, rv.sources)))
            elif _kind(left) in ("member_expression", "subscript_expression"):
                self.container_write(_field(left, "object"), left)
        return rv

    def container_write(self, obj: Node | None, where: Node) -> None:
        """A write to ``obj``: module state when obj is a module-level container."""
        if obj is None or _kind(obj) != "identifier" or self.at_module_level():
            return
        name = self.text(obj)
        if name not in self.containers or self.scope.owner(name) is not self.module_scope:
            return
        function = self.frame.qualname or "<callback>"
        self.container_writes.setdefault(name, []).append((function, self.loc(where)))

    # -- calls ------------------------------------------------------------------------------
    def args(
        self, node: Node | None, roles: list[_Val | None] | None = None
    ) -> list[tuple[Node, _Val]]:
        if node is None:
            return []
        if _kind(node) == "template_string":  # a tagged template: sql`...`
            return [(node, self.visit(node))]
        out = []
        for arg in _named(node):
            if _kind(arg) == "comment":
                continue
            if roles is not None and _kind(self.unwrap(arg)) in _FUNCTION_TYPES:
                self.param_roles = roles
            v = self.visit(arg)
            if v.kind == "fn" and v.fn:
                self.frame.calls.append(v.fn)  # a local function handed over is called
                if self.hint is not None and self.hint_ref is None:
                    self.hint_ref = v.fn
            out.append((arg, v))
        self.param_roles = None
        return out

    def x_call(self, node: Node, awaited: bool = False) -> _Val:
        callee = _field(node, "function")
        arguments = _field(node, "arguments")
        if callee is None:
            return self.generic(node)
        callee = self.unwrap(callee)
        if _kind(callee) == "await_expression" and _named(callee):
            # tree-sitter-typescript reads `await a.b<T>()` as `(await a.b)<T>()`: the await
            # belongs to the call, as TypeScript itself reads it.
            callee = self.unwrap(_named(callee)[0])
            awaited = True
        kind = _kind(callee)
        if kind == "member_expression":
            obj, prop_node = _field(callee, "object"), _field(callee, "property")
            if obj is None or prop_node is None:
                return self.generic(node)
            prop = self.text(prop_node)
            has_args = arguments is not None and bool(_named(arguments))
            if prop == "promise" and not has_args:
                inner = self.unwrap(obj)
                rv = (
                    self.x_call(inner, awaited)
                    if _kind(inner) == "call_expression"
                    else self.visit(obj)
                )
                return rv.data if rv.kind == "awsreq" else rv
            if prop == "catch" and has_args:
                return self.promise_catch(node, obj, arguments, awaited)
            receiver = self.unwrap(obj)
            if _kind(receiver) == "call_expression":
                # `await send(...).then(...)` awaits the send; `await a().b()` does not await a()
                rv = self.x_call(receiver, awaited and prop in ("then", "finally"))
            else:
                rv = self.visit(obj)
            optional = _field(callee, "optional_chain") is not None
            if optional and rv.env_read is not None:
                rv.env_read.guarded = True
            return self.method_call(node, rv, prop, obj, arguments, awaited, optional)
        if kind == "identifier":
            fv = self.x_identifier(callee)
            return self.function_call(node, fv, self.text(callee), arguments, awaited)
        if kind == "import":  # await import("./x.js")
            args = self.args(arguments)
            if args and args[0][1].lit and isinstance(args[0][1].literal, str):
                module = args[0][1].literal
                self.facts.imports.append(Import(module, (("*", "*"),), self.loc(node)))
                return _Val("mod", qual=_normalise_module(module), data=(module, "*"))
            return _EMPTY
        if kind in _FUNCTION_TYPES:  # an IIFE runs in place, as the code around it
            self.run_callback(callee, None)
            return self.plain_call(node, "(function)", None, arguments, awaited)
        fv = self.visit(callee)  # require("pino")(), getHandler()(event)...
        return self.function_call(node, fv, self.text(callee)[:_TEXT_LIMIT], arguments, awaited)

    def function_call(
        self, node: Node, fv: _Val, text: str, arguments: Node | None, awaited: bool
    ) -> _Val:
        """A call of a plain name (or a module member reached through one)."""
        if fv.kind == "mod":
            return self.qual_call(node, fv.qual, fv, arguments, awaited)
        if fv.kind in ("fn", "class") and fv.fn:
            self.frame.calls.append(fv.fn)
            return self.plain_call(node, fv.fn, None, arguments, awaited)
        if fv.kind == "http":  # an axios instance called directly: http(config)
            return self.http_call(node, fv.data[0], None, arguments, awaited, fv)
        return self.plain_call(node, text, None, arguments, awaited)

    def plain_call(
        self,
        node: Node,
        callee: str,
        receiver: _Val | None,
        arguments: Node | None,
        awaited: bool,
        roles: list[_Val | None] | None = None,
    ) -> _Val:
        """A call outside the vocabulary: recorded with name "", its result carries the
        sources of what it was given, its receiver's too (``key.trim()``) unless awaited:
        ``await connection.query(sql)`` is I/O, not the connection's configuration."""
        args = self.args(arguments, roles)
        self.add_call(node, "", callee, args, awaited=awaited)
        sources = receiver.sources if receiver is not None and not awaited else ()
        for _, v in args:
            if v.sources and v.kind != "fn":
                sources = _union(sources, v.sources)
        return _plain(_without_roots(sources))

    def add_call(
        self,
        node: Node,
        name: str,
        callee: str,
        args: list[tuple[Node, _Val]],
        *,
        kwargs: tuple[tuple[str, Value], ...] = (),
        attrs: tuple[tuple[str, Any], ...] = (),
        awaited: bool = False,
        sink: str | None = None,
        sink_sources: tuple[Source, ...] | None = None,
    ) -> Call:
        call = Call(
            name,
            callee,
            self.loc(node),
            self.frame.qualname,
            tuple(self.value(n, v) for n, v in args),
            kwargs,
            attrs,
            self.current_try(),
            awaited,
        )
        self.facts.calls.append(call)
        catch = self.catch
        if catch is not None:
            if name == "log":
                catch.logs = True
            elif sink == "write":
                catch.records = True
        if sink is not None:
            sources = sink_sources if sink_sources is not None else _merged(v for _, v in args)
            self.flows(sources, sink, call.loc, call)
        return call

    def flows(
        self,
        sources: tuple[Source, ...],
        sink: str,
        loc: Location,
        call: Call | None,
        function: str | bool | None = False,
    ) -> None:
        """One Flow per (source kind, name) reaching this sink."""
        where = self.frame.qualname if function is False else function
        seen: set[tuple[str, str]] = set()
        for source in _sorted_sources(sources):
            key = (source.kind, source.name)
            if key in seen:
                continue
            seen.add(key)
            self.facts.flows.append(Flow(source, sink, loc, where, call))  # type: ignore[arg-type]

    def qual_call(
        self, node: Node, qual: str, fv: _Val, arguments: Node | None, awaited: bool
    ) -> _Val:
        """A call of a qualified name: ``_CALLS`` says what it is."""
        handler = _CALLS.get(qual)
        if handler is not None:
            return handler(self, node, qual, arguments, awaited)
        module = _split_qual(qual)[0]
        last = qual.rsplit(".", 1)[-1]
        if module.startswith("@aws-lambda-powertools/") or "." not in qual:
            handler = _POWERTOOLS_CALLS.get(last)  # bare names too: imported through a barrel
            if handler is not None:
                return handler(self, node, qual, arguments, awaited)
        if fv.data and str(fv.data[0]).startswith("."):  # a function of a sibling module
            imported = fv.data[1]
            self.frame.calls.append(imported if imported != "*" else last)
            return self.plain_call(node, qual, None, arguments, awaited)
        if last == "from" and "." in qual:  # DynamoDBDocumentClient.from(client)
            client = self.aws_client(qual[: -len(".from")], node)
            if client is not None:
                self.plain_call(node, qual, None, arguments, awaited)
                return client
        if last.startswith("capture") and "xray" in module.lower():
            args = self.args(arguments)  # AWSXRay.captureAWSv3Client(client) is the client
            self.add_call(node, "", qual, args, awaited=awaited)
            return args[0][1] if args else _EMPTY
        owner = qual.rsplit(".", 2)[-2] if "." in qual else ""
        if owner.lower() in ("logger", "log") and last in _LOG_LEVELS:
            # logger.info(...) on a logger this file cannot see (a global, ./logger)
            return self.log_call(node, qual, "custom", last, arguments, awaited)
        return self.plain_call(node, qual, None, arguments, awaited)

    # Handlers of _CALLS: (node, qualified name, arguments node, awaited) -> value of the call
    def call_require(self, node: Node, qual: str, arguments: Node | None, awaited: bool) -> _Val:
        return self.require(node, arguments)

    def call_source(self, node: Node, qual: str, arguments: Node | None, awaited: bool) -> _Val:
        """crypto.randomUUID(), Date.now()...: the result is a random or time source."""
        self.plain_call(node, qual, None, arguments, awaited)
        if qual in _RANDOM_SOURCES:
            return _Val(sources=(Source("random", _RANDOM_SOURCES[qual], self.loc(node)),))
        return _Val(sources=(Source("time", _TIME_SOURCES[qual], self.loc(node)),))

    def call_transparent(
        self, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> _Val:
        """JSON.stringify(event), String(x)...: the result is the argument in another form."""
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        return _plain(_merged(v for _, v in args))

    def call_console(self, node: Node, qual: str, arguments: Node | None, awaited: bool) -> _Val:
        module, method = _split_qual(qual)
        return self.log_call(node, qual, module, method, arguments, awaited)

    def call_logger(self, node: Node, qual: str, arguments: Node | None, awaited: bool) -> _Val:
        """pino(), winston.createLogger(): a logger whose methods are log sinks."""
        self.plain_call(node, qual, None, arguments, awaited)
        module = _split_qual(qual)[0]
        return _Val("logger", qual=module, data=module)

    def call_http(self, node: Node, qual: str, arguments: Node | None, awaited: bool) -> _Val:
        client, verb = _HTTP_FUNCTIONS[qual]
        return self.http_call(node, client, verb, arguments, awaited, None, qual=qual)

    def call_signal_timeout(
        self, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> _Val:
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        seconds = _seconds(args[0][1].literal) if args and args[0][1].lit else None
        return _Val("signal", data=seconds)

    def call_signal_any(self, node: Node, qual: str, arguments: Node | None, awaited: bool) -> _Val:
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        signals = args[0][1].data if args and isinstance(args[0][1].data, list) else []
        timeouts = [s.data for s in signals if s.kind == "signal" and s.data is not None]
        return _Val("signal", data=timeouts[0] if timeouts else None)

    def call_response(self, node: Node, qual: str, arguments: Node | None, awaited: bool) -> _Val:
        return self.response(node, arguments, _split_qual(qual)[1], qual)

    def call_stripe(self, node: Node, qual: str, arguments: Node | None, awaited: bool) -> _Val:
        self.plain_call(node, qual, None, arguments, awaited)
        return _Val("stripe", data=())

    def call_router(self, node: Node, qual: str, arguments: Node | None, awaited: bool) -> _Val:
        self.plain_call(node, qual, None, arguments, awaited)
        return _Val("app", data="itty")

    def call_partial_response(
        self, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> _Val:
        """processPartialResponse(event, recordHandler, processor, options), in the handler."""
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        names = ("event", "record_handler", "processor", "options")
        wrapper_args = tuple(
            (name, self.value(n, v)) for name, (n, v) in zip(names, args, strict=False)
        )
        self.wrappers.append(
            (
                "powertools.process_partial_response",
                self.frame.qualname,
                self.loc(node),
                wrapper_args,
            )
        )
        return _EMPTY

    def call_parameter(self, node: Node, qual: str, arguments: Node | None, awaited: bool) -> _Val:
        """Powertools getSecret("id") / getParameter("/name"): the result is a secret."""
        if not qual.startswith("@aws-lambda-powertools/"):
            return self.plain_call(node, qual, None, arguments, awaited)
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        name = args[0][1].literal if args and args[0][1].lit else ""
        return _Val(sources=(Source("secret", str(name or ""), self.loc(node)),))

    def require(self, node: Node, arguments: Node | None) -> _Val:
        args = self.args(arguments)
        if not args or not args[0][1].lit or not isinstance(args[0][1].literal, str):
            self.add_call(node, "", "require", args)
            return _EMPTY
        module = args[0][1].literal
        self.facts.imports.append(Import(module, tuple(self.require_names(node)), self.loc(node)))
        self.note_module(_normalise_module(module))
        return _Val("mod", qual=_normalise_module(module), data=(module, "*"))

    def require_names(self, node: Node) -> list[tuple[str, str]]:
        """What a ``require`` is bound to: ``const x = require(m)``, ``const {a: b} = ...``."""
        parent = ts.parent(node)
        while parent is not None and _kind(parent) in _UNWRAP | {"await_expression"}:
            parent = ts.parent(parent)
        if parent is None or _kind(parent) != "variable_declarator":
            return []
        pattern = _field(parent, "name")
        if pattern is None:
            return []
        if _kind(pattern) == "identifier":
            return [("*", self.text(pattern))]
        names = []
        if _kind(pattern) == "object_pattern":
            for child in _named(pattern):
                if _kind(child) == "shorthand_property_identifier_pattern":
                    names.append((self.text(child), self.text(child)))
                elif _kind(child) == "pair_pattern":
                    key, value = _field(child, "key"), _field(child, "value")
                    if key is not None and value is not None:
                        names.append((self.prop_name(key) or self.text(key), self.text(value)))
        return names

    def method_call(
        self,
        node: Node,
        rv: _Val,
        prop: str,
        obj: Node,
        arguments: Node | None,
        awaited: bool,
        optional: bool,
    ) -> _Val:
        """``receiver.prop(...)``: dispatch on what the receiver is."""
        if prop in _CONTAINER_WRITES:
            self.container_write(self.unwrap(obj), node)
        if self.catch is not None and prop in _FAILURE_RECORDS:
            self.catch.records = True  # failures.push(record), message.retry()
        kind = rv.kind
        if (
            kind == "mod"
            and prop in _BINDING_METHODS
            and self.worker_file
            and _GLOBAL_BINDING.match(rv.qual)
        ):
            # service-worker syntax: bindings are globals (`await MY_KV.get(key)`)
            rv = self.env_member(_Val("env", data="worker-env"), rv.qual, obj)
            kind = rv.kind
        if prop == "send" and kind in ("", "mod", "client", "inst", "this"):
            # the command says what is sent, whatever the client: one from ./clients, this.db...
            return self.send_call(node, rv, obj, arguments, awaited)
        if kind == "mod":
            return self.qual_call(
                node,
                f"{rv.qual}.{prop}",
                _Val("mod", qual=f"{rv.qual}.{prop}", data=rv.data and (rv.data[0], prop)),
                arguments,
                awaited,
            )
        if kind == "envvar" and prop in _BINDING_METHODS:
            return self.binding_call(node, rv, prop, arguments, awaited, optional)
        if kind == "stmt":
            return self.d1_statement(node, rv, prop, arguments, awaited)
        if kind == "client":
            return self.aws_method(node, rv, prop, obj, arguments, awaited)
        if kind == "event":
            return self.event_method(node, rv, prop, obj, arguments, awaited)
        if kind == "http":
            if prop in _HTTP_VERBS or prop == "request":
                return self.http_call(node, rv.data[0], prop, arguments, awaited, rv)
        elif kind == "logger":
            if prop in _LOG_LEVELS or prop == "log":
                return self.log_call(node, f"{rv.qual}.{prop}", rv.data, prop, arguments, awaited)
            if prop == "child":
                self.plain_call(node, f"{rv.qual}.child", None, arguments, awaited)
                return rv
            if prop == "injectLambdaContext":
                return self.call_middleware(node, "injectLambdaContext", arguments, awaited)
        elif kind == "stripe":
            if prop == "create" and rv.data:
                return self.payment(node, rv, arguments, awaited)
            return self.plain_call(
                node, ".".join(("stripe", *rv.data, prop)), None, arguments, awaited
            )
        elif kind == "middy":
            return self.middy_method(node, rv, prop, arguments, awaited)
        elif kind == "app":
            if prop in _HONO_ROUTES:
                if rv.data == "itty":
                    roles: list[_Val | None] = [
                        _Val("event", data="request"),
                        _Val("env", data="worker-env"),
                    ]
                else:
                    roles = [None, _Val("ctx")] if prop == "onError" else [_Val("ctx")]
                self.plain_call(node, f"app.{prop}", None, arguments, awaited, roles=roles)
                return rv
        elif kind == "ctx":
            if prop in _RESPONSE_HELPERS:
                return self.response(node, arguments, prop, f"c.{prop}")
        elif kind in ("this", "inst") and prop in rv.data.methods:
            qualname = f"{rv.data.qualname}.{prop}"
            self.frame.calls.append(qualname)
            return self.plain_call(node, qualname, None, arguments, awaited)
        elif kind == "obj":
            found = (rv.props or {}).get(prop)
            if found is not None and found[1].kind == "fn" and found[1].fn:
                self.frame.calls.append(found[1].fn)
                return self.plain_call(node, found[1].fn, None, arguments, awaited)
        elif kind == "fn":
            if prop in ("bind", "call", "apply"):
                if rv.fn:
                    self.frame.calls.append(rv.fn)
                self.plain_call(node, f"{rv.fn or 'function'}.{prop}", None, arguments, awaited)
                return rv if prop == "bind" else _EMPTY
        elif kind == "fetchevt" and prop in ("respondWith", "waitUntil"):
            return self.plain_call(node, f"event.{prop}", None, arguments, awaited)
        # anything else: a method outside the vocabulary
        callee = self.callee_text(rv, obj, prop)
        then_roles: list[_Val | None] | None = [rv] if prop in ("then", "finally") else None
        return self.plain_call(node, callee, rv, arguments, awaited, roles=then_roles)

    def callee_text(self, rv: _Val, obj: Node, prop: str) -> str:
        if rv.kind == "mod":
            return f"{rv.qual}.{prop}"
        if rv.kind == "envvar":
            return f"env.{rv.data}.{prop}"
        if rv.qual:
            return f"{rv.qual}.{prop}"
        return f"{self.tree.text_prefix(obj, _TEXT_LIMIT)}.{prop}"

    # -- vocabulary: logs, JSON, crypto -----------------------------------------------------
    def log_call(
        self,
        node: Node,
        callee: str,
        logger: str,
        method: str,
        arguments: Node | None,
        awaited: bool,
    ) -> _Val:
        args = self.args(arguments)
        level = _LOG_LEVELS.get(method)
        if method == "log" and logger == "winston" and args and args[0][1].lit:
            level = _LOG_LEVELS.get(str(args[0][1].literal), str(args[0][1].literal))
        self.add_call(
            node,
            "log",
            callee,
            args,
            attrs=(("logger", logger), ("level", level)),
            awaited=awaited,
            sink="log",
        )
        return _EMPTY

    def call_json_parse(self, node: Node, qual: str, arguments: Node | None, awaited: bool) -> _Val:
        args = self.args(arguments)
        self.add_call(node, "json.parse", "JSON.parse", args, awaited=awaited)
        of = args[0][1] if args else _EMPTY
        self.parses.append((self.loc(node), self.frame.qualname, of.sources, tuple(self.try_stack)))
        if of.kind == "event":  # JSON.parse(event.body).email is body.email
            return _Val("event", of.sources, path=of.path)
        return _plain(of.sources)

    def call_constant_compare(
        self, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> _Val:
        args = self.args(arguments)
        self.add_call(node, "crypto.compare", qual, args, awaited=awaited)
        if len(args) >= 2:
            (ln, lv), (rn, rv) = args[0], args[1]
            self.facts.comparisons.append(
                Comparison(
                    _CONSTANT_TIME[qual],
                    self.value(ln, lv),
                    self.value(rn, rv),
                    self.loc(node),
                    self.frame.qualname,
                    constant_time=True,
                )
            )
        return _EMPTY

    def promise_catch(self, node: Node, obj: Node, arguments: Node | None, awaited: bool) -> _Val:
        """``promise.catch(handler)``: a try around the promise's calls."""
        try_id = self.next_try
        self.next_try += 1
        self.try_stack.append(try_id)
        try:
            inner = self.unwrap(obj)
            rv = (
                self.x_call(inner, awaited)
                if _kind(inner) == "call_expression"
                else self.visit(obj)
            )
        finally:
            self.try_stack.pop()
        catch = _Catch()
        saved = (self.catch, self.throw_to, self.hint)
        self.catch = self.throw_to = catch
        self.hint = None
        handler = arguments
        try:
            args = self.args(arguments, roles=[_EMPTY])
            if args:
                handler = args[0][0]
                hv = args[0][1]
                if hv.kind == "mod" and hv.qual.startswith("console."):
                    catch.logs = True
        finally:
            self.catch, self.throw_to, self.hint = saved
        if handler is not None:
            self.close_try(try_id, node, handler, catch)
        return rv if rv.kind != "awsreq" else rv.data

    # -- vocabulary: HTTP -------------------------------------------------------------------
    def call_http_instance(
        self, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> _Val:
        """axios.create({timeout}) / got.extend(...): calls on the instance share its options."""
        module = _split_qual(qual)[0]
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        config = args[0][1] if args else _EMPTY
        has_timeout, seconds = self.timeout_of(module, config)
        return _Val("http", qual=module, data=(module, has_timeout, seconds))

    def timeout_of(self, client: str, config: _Val) -> tuple[bool, int | float | None]:
        props = config.props if config.kind == "obj" and config.props else {}
        signal = props.get("signal")
        if signal is not None:
            sv = signal[1]
            return True, sv.data if sv.kind == "signal" else None
        keys = ("timeout",) if client != "undici" else ("headersTimeout", "bodyTimeout", "timeout")
        for key in keys:
            found = props.get(key)
            if found is None:
                continue
            tv = found[1]
            if tv.kind == "obj" and tv.props:  # got: timeout: { request: 5000 }
                numbers = [p[1].literal for p in tv.props.values() if p[1].lit]
                return True, _seconds(numbers[0]) if numbers else None
            if tv.lit and tv.literal == 0:
                return False, None  # axios: timeout 0 means none
            return True, _seconds(tv.literal) if tv.lit else None
        return False, None

    def http_call(
        self,
        node: Node,
        client: str,
        verb: str | None,
        arguments: Node | None,
        awaited: bool,
        instance: _Val | None,
        qual: str = "",
    ) -> _Val:
        args = self.args(arguments)
        values = [v for _, v in args]
        if client in ("fetch", "undici", "https") or verb in (None, "request"):
            config_index = 1 if args and values[0].kind != "obj" else 0
        elif client == "axios" and verb in ("post", "put", "patch"):
            config_index = 2
        else:
            config_index = 1
        config = values[config_index] if config_index < len(values) else _EMPTY
        props = config.props if config.kind == "obj" and config.props else {}
        method: str | None
        if verb not in (None, "request"):
            method = verb.upper()
        elif "method" in props:
            mv = props["method"][1]
            method = mv.literal.upper() if mv.lit and isinstance(mv.literal, str) else None
        elif config_index < len(values) and config.kind != "obj":
            method = None  # an options object we cannot see
        else:
            method = "GET"
        has_timeout, seconds = self.timeout_of(client, config)
        if not has_timeout and instance is not None and instance.data[1]:
            has_timeout, seconds = True, instance.data[2]
        if not has_timeout and client == "axios" and self.axios_timeout is not None:
            default = self.axios_timeout
            has_timeout, seconds = True, _seconds(default.literal) if default.lit else None
        kwargs = tuple((key, self.value(n, v)) for key, (n, v) in props.items())
        callee = qual or (f"{instance.qual}.{verb}" if instance is not None and verb else client)
        self.add_call(
            node,
            "http.request",
            callee,
            args,
            kwargs=kwargs,
            attrs=(
                ("method", method),
                ("client", client),
                ("has_timeout", has_timeout),
                ("timeout_seconds", seconds),
            ),
            awaited=awaited,
            sink="http",
        )
        return _EMPTY

    # -- vocabulary: AWS --------------------------------------------------------------------
    def aws_client(self, qual: str, node: Node) -> _Val | None:
        """The client a constructor (or ``X.from``) qualified name makes, if it is AWS's."""
        module, member = _split_qual(qual)
        if module in ("aws-sdk", "aws-sdk/global") or module.startswith("aws-sdk/clients/"):
            parts = member.split(".") if member else []
            if module.startswith("aws-sdk/clients/"):
                service = _aws_module_service(module)
                return _Val("client", qual=qual, data=(service, "DocumentClient" in parts))
            if not parts:
                return None
            service = _AWS_CLASS_SERVICES.get(parts[0])
            if service is None:
                return None
            return _Val("client", qual=qual, data=(service, parts[-1] == "DocumentClient"))
        service = _aws_module_service(module)
        if service is None and not member and qual.endswith("Client"):
            service = _AWS_CLASS_SERVICES.get(qual[: -len("Client")])
        if service is None:
            return None
        doc = member.startswith("DynamoDBDocument")
        return _Val("client", qual=qual, data=(service, doc))

    def aws_command(self, qual: str, args: list[tuple[Node, _Val]]) -> _Val | None:
        module, member = _split_qual(qual)
        name = member or qual
        name = name.rsplit(".", 1)[-1]
        if not name.endswith("Command") or len(name) <= len("Command"):
            return None
        operation = name[: -len("Command")]
        service = _aws_module_service(module)
        if module == "@aws-sdk/lib-dynamodb" or (service is None and operation in _DOC_OPERATIONS):
            operation = _DOC_OPERATIONS.get(operation, operation)
            service = "dynamodb"
        if service is None:
            service = _OPERATION_SERVICES.get(operation)
        if service is None:
            return None
        first = args[0][1] if args else _EMPTY
        return _Val(
            "cmd",
            first.sources,
            data=(service, operation),
            props=first.props if first.kind == "obj" else None,
        )

    def aws_call(
        self,
        node: Node,
        service: str,
        operation: str,
        callee: str,
        args: list[tuple[Node, _Val]],
        input_v: _Val | None,
        awaited: bool,
        command: str | None = None,
    ) -> _Val:
        name = f"aws.{service}.{operation}"
        props = (
            input_v.props
            if input_v is not None and input_v.kind in ("obj", "cmd") and input_v.props
            else {}
        )
        kwargs = tuple((key, self.value(n, v)) for key, (n, v) in props.items())
        attrs: tuple[tuple[str, Any], ...] = (("command", command),) if command else ()
        self.add_call(
            node,
            name,
            callee,
            args,
            kwargs=kwargs,
            attrs=attrs,
            awaited=awaited,
            sink="write" if _is_aws_write(operation) else name,
        )
        key = _AWS_SECRET_READS.get((service, operation))
        if key is not None:
            found = props.get(key)
            secret = found[1].literal if found is not None and found[1].lit else ""
            return _Val(sources=(Source("secret", str(secret or ""), self.loc(node)),))
        return _EMPTY

    def send_call(
        self, node: Node, rv: _Val, obj: Node, arguments: Node | None, awaited: bool
    ) -> _Val:
        """``client.send(new PutCommand({...}))``: SDK v3, named by the command."""
        args = self.args(arguments)
        command = args[0][1] if args else _EMPTY
        callee = self.callee_text(rv, obj, "send")
        if command.kind == "cmd":
            service, operation = command.data
            return self.aws_call(
                node, service, operation, callee, args, command, awaited, f"{operation}Command"
            )
        if rv.kind == "mod" and rv.data and rv.data[1] == "*" and str(rv.data[0]).startswith("."):
            self.frame.calls.append("send")  # mail.send(...) of `import * as mail from "./mail"`
        self.add_call(node, "", callee, args, awaited=awaited)
        return _plain(_without_roots(_merged(v for _, v in args)))

    def aws_method(
        self, node: Node, rv: _Val, prop: str, obj: Node, arguments: Node | None, awaited: bool
    ) -> _Val:
        service, doc = rv.data
        if prop in _AWS_CLIENT_NON_OPERATIONS or service is None:
            return self.plain_call(node, f"{rv.qual}.{prop}", None, arguments, awaited)
        operation = _DOC_OPERATIONS.get(prop[:1].upper() + prop[1:]) if doc else None
        operation = operation or prop[:1].upper() + prop[1:]
        args = self.args(arguments)
        result = self.aws_call(
            node,
            service,
            operation,
            f"{rv.qual}.{prop}",
            args,
            args[0][1] if args else None,
            awaited,
        )
        # SDK v2 returns a request (`.promise()` gives the result); v3 aggregated a promise
        return (
            _Val("awsreq", result.sources, data=result) if rv.qual.startswith("aws-sdk") else result
        )

    # -- vocabulary: Workers ----------------------------------------------------------------
    def binding_call(
        self,
        node: Node,
        rv: _Val,
        method: str,
        arguments: Node | None,
        awaited: bool,
        optional: bool,
    ) -> _Val:
        binding = rv.data
        guarded = optional or binding in self.guards or bool(rv.env_read and rv.env_read.guarded)
        args = self.args(arguments)
        if method == "prepare":
            sql = self.sql_text(args[0]) if args else None
            self.record_binding(binding, method, node, "d1", args, (), awaited, guarded, call=False)
            return _Val("stmt", _merged(v for _, v in args), data=(binding, sql, guarded, args))
        if method in ("batch", "exec", "dump"):
            sql = None
            if method == "batch" and args and args[0][1].data:
                sqls = [s.data[1] for s in args[0][1].data if s.kind == "stmt"]
                sql = "; ".join(sqls) if sqls and all(sqls) else None
            elif method == "exec" and args:
                sql = self.sql_text(args[0])
            self.record_binding(
                binding, method, node, "d1", args, (("sql", sql), ("op", method)), awaited, guarded
            )
            return _EMPTY
        self.record_binding(binding, method, node, None, args, (), awaited, guarded)
        if method in ("put", "delete", "send", "sendBatch") and self.catch is not None:
            self.catch.records = True
        return _EMPTY

    def sql_text(self, arg: tuple[Node, _Val]) -> str | None:
        node, v = arg
        if v.lit and isinstance(v.literal, str):
            return v.literal
        inner = self.unwrap(node)
        if _kind(inner) == "template_string":
            return self.text(inner)[1:-1]
        return None

    def d1_statement(
        self, node: Node, rv: _Val, prop: str, arguments: Node | None, awaited: bool
    ) -> _Val:
        binding, sql, guarded, bound = rv.data
        if prop == "bind":
            args = self.args(arguments)
            return _Val(
                "stmt",
                _union(rv.sources, _merged(v for _, v in args)),
                data=(binding, sql, guarded, bound + args),
            )
        if prop in ("run", "first", "all", "raw"):
            args = self.args(arguments)
            self.record_binding(
                binding,
                prop,
                node,
                "d1",
                bound + args,
                (("sql", sql), ("op", prop)),
                awaited,
                guarded,
                use=False,
            )
            if self.catch is not None and prop == "run":
                self.catch.records = True
            return _EMPTY
        return self.plain_call(node, f"env.{binding}.prepare().{prop}", rv, arguments, awaited)

    def record_binding(
        self,
        binding: str,
        method: str,
        node: Node,
        kind: str | None,
        args: list[tuple[Node, _Val]],
        attrs: tuple[tuple[str, Any], ...],
        awaited: bool,
        guarded: bool,
        *,
        call: bool = True,
        use: bool = True,
    ) -> _BindingCall:
        pending = _BindingCall(binding, method, node, kind)
        pending.args = tuple(self.value(n, v) for n, v in args)
        pending.sources = _merged(v for _, v in args)
        pending.attrs = attrs
        pending.awaited = awaited
        pending.guarded = guarded
        pending.function = self.frame.qualname
        pending.try_id = self.current_try()
        if call:
            self.binding_calls.append(pending)
        if use:
            self.binding_uses_pending.append(pending)
        return pending

    def call_add_event_listener(
        self, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> _Val:
        """Service-worker syntax: ``addEventListener("fetch", event => ...)``."""
        args_node = [a for a in _named(arguments)] if arguments is not None else []
        event = self.string_value(args_node[0]) if args_node else None
        if event in ("fetch", "scheduled", "queue") and len(args_node) >= 2:
            listener = self.unwrap(args_node[1])
            self.worker_file = True
            qualname = f"default.{event}"
            existing = self.entries.get("default")
            methods = (existing.methods if existing and existing.kind == "on-fetch" else ()) + (
                event,
            )
            self.add_entry("default", "default", "on-fetch", node, methods)
            self.entry_qualnames.add(qualname)
            if _kind(listener) in _FUNCTION_TYPES:
                self.defer(
                    listener,
                    qualname,
                    roles=[_Val("fetchevt") if event == "fetch" else _Val("event")],
                )
            else:
                v = self.visit(listener)
                if v.fn:
                    self.entry_refs.setdefault("default", []).append(v.fn)
            self.add_call(node, "", "addEventListener", [(a, _EMPTY) for a in args_node])
            return _EMPTY
        return self.plain_call(node, "addEventListener", None, arguments, False)

    def response(self, node: Node, arguments: Node | None, helper: str, callee: str) -> _Val:
        """A Response built: ``new Response(body, init)``, ``Response.json``, Hono's ``c.json``."""
        args = self.args(arguments)
        if callee != "Response":
            self.add_call(node, "", callee, args)
        status: int | None = _RESPONSE_HELPERS.get(helper, 200)
        if len(args) >= 2:
            init = args[1][1]
            if init.kind == "obj":
                found = (init.props or {}).get("status")
                status = _status(found[1]) if found is not None else status
            else:
                status = _status(init)
        body = args[0] if args else None
        sources = _merged(v for _, v in args)
        ret = Return(
            self.loc(node),
            self.frame.qualname,
            status,
            self.value(node, _plain(sources)),
            tuple(body[1].props or ()) if body and body[1].kind == "obj" else (),
            self.value(*body) if body else None,
        )
        self.facts.returns.append(ret)
        self.flows(sources, "response", ret.loc, None)
        if self.catch is not None and status is not None and status >= 400:
            self.catch.returns = True
        return _Val("response", data=status)

    def event_method(
        self, node: Node, rv: _Val, prop: str, obj: Node, arguments: Node | None, awaited: bool
    ) -> _Val:
        """A method of the event: a Request's body readers and header/param getters, Hono's
        ``c.req`` helpers, and array methods whose callbacks get one record each."""
        flavour = rv.data
        callee = self.callee_text(rv, obj, prop)
        if flavour in ("request", "hono-req") and prop in _BODY_READERS:
            args = self.args(arguments)
            body = _Val("event", (_event_source(("body",), self.loc(node)),), path=("body",))
            if prop == "json":  # `await request.json()` parses input like JSON.parse does
                self.add_call(node, "json.parse", callee, args, awaited=awaited)
                self.parses.append(
                    (self.loc(node), self.frame.qualname, body.sources, tuple(self.try_stack))
                )
            else:
                self.add_call(node, "", callee, args, awaited=awaited)
            return body
        section = _EVENT_GETTERS.get((flavour, prop))
        if section is not None:
            args = self.args(arguments)
            self.add_call(node, "", callee, args, awaited=awaited)
            name = args[0][1].literal if args and args[0][1].lit else None
            if flavour == "hono-req" and prop == "valid":  # c.req.valid("json")
                path: tuple[str, ...] = (_HONO_VALID_TARGETS.get(str(name), "body"),)
            elif isinstance(name, str):
                path = (section, name.lower() if section == "headers" else name)
            else:
                path = (section,)
            return _Val("event", (_event_source(path, self.loc(node)),), path=path)
        if flavour in ("request", "hono-req") and prop == "clone":
            self.add_call(node, "", callee, [], awaited=awaited)
            return rv
        roles: list[_Val | None] | None = None
        if prop in ("reduce", "reduceRight"):
            roles = [None, self.element(rv)]
        elif prop in _ARRAY_CALLBACK_METHODS:
            roles = [self.element(rv)]
        return self.plain_call(node, callee, rv, arguments, awaited, roles=roles)

    # -- vocabulary: payments and wrappers --------------------------------------------------
    def payment(self, node: Node, rv: _Val, arguments: Node | None, awaited: bool) -> _Val:
        args = self.args(arguments)
        params = args[0][1] if args else _EMPTY
        kwargs = (
            [(key, self.value(n, v)) for key, (n, v) in (params.props or {}).items()]
            if params.kind == "obj"
            else []
        )
        options = args[1][1] if len(args) > 1 else _EMPTY
        key = (options.props or {}).get("idempotencyKey") if options.kind == "obj" else None
        if key is not None:
            kwargs.append(("idempotency_key", self.value(*key)))
        resource = ".".join(rv.data)
        self.add_call(
            node,
            "payment.create",
            f"stripe.{resource}.create",
            args,
            kwargs=tuple(kwargs),
            attrs=(("resource", resource),),
            awaited=awaited,
            sink="payment.create",
        )
        return _EMPTY

    def call_make_idempotent(
        self, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> _Val:
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        target = args[0][1].fn if args else None
        options = args[1][1] if len(args) > 1 else _EMPTY
        wrapper_args = (
            tuple((key, self.value(n, v)) for key, (n, v) in (options.props or {}).items())
            if options.kind == "obj"
            else ()
        )
        self.wrappers.append(("makeIdempotent", target, self.loc(node), wrapper_args))
        if target:
            self.wrapped.add(target)
        return _Val("fn", fn=target) if target else _EMPTY

    def call_middleware(self, node: Node, qual: str, arguments: Node | None, awaited: bool) -> _Val:
        """makeHandlerIdempotent / injectLambdaContext: what middy's .use() applies."""
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        if qual.endswith("makeHandlerIdempotent"):
            name = "powertools.idempotent"
        else:
            name = "powertools.inject_lambda_context"
        options = next((v for _, v in args if v.kind == "obj"), _EMPTY)
        wrapper_args = []
        for key, (n, v) in (options.props or {}).items():
            wrapper_args.append(("log_event" if key == "logEvent" else key, self.value(n, v)))
        return _Val("mw", data=(name, tuple(wrapper_args)))

    def call_middy(self, node: Node, qual: str, arguments: Node | None, awaited: bool) -> _Val:
        args = self.args(arguments)
        self.add_call(node, "", "middy", args, awaited=awaited)
        target = next((v.fn for _, v in args if v.kind == "fn" and v.fn), None)
        if target is not None:
            self.wrapped.add(target)
            self.wrappers.append(("middy", target, self.loc(node), ()))
        return _Val("middy", fn=target, data=(self.loc(node), []))

    def middy_method(
        self, node: Node, rv: _Val, prop: str, arguments: Node | None, awaited: bool
    ) -> _Val:
        args = self.args(arguments)
        self.add_call(node, "", f"middy.{prop}", args, awaited=awaited)
        where, waiting = rv.data
        if prop == "handler":  # middy().use(...).handler(async (event) => ...)
            target = next((v.fn for _, v in args if v.kind == "fn" and v.fn), None)
            if target is not None:
                self.wrapped.add(target)
                self.wrappers.append(("middy", target, where, ()))
                self.wrappers.extend((name, target, loc, wargs) for name, wargs, loc in waiting)
            return _Val("middy", fn=target, data=(where, []))
        if prop == "use":
            for n, v in args:
                if v.kind == "mw":
                    name, wargs = v.data
                    if rv.fn:
                        self.wrappers.append((name, rv.fn, self.loc(n), wargs))
                    else:
                        waiting.append((name, wargs, self.loc(n)))
        return rv

    # -- constructors -----------------------------------------------------------------------
    def x_new(self, node: Node) -> _Val:
        ctor = _field(node, "constructor")
        arguments = _field(node, "arguments")
        if ctor is None:
            return self.generic(node)
        cv = self.visit(ctor)
        qual = cv.qual if cv.kind == "mod" else ""
        if cv.kind == "class" and isinstance(cv.data, _Class):
            if "constructor" in cv.data.methods:
                self.frame.calls.append(f"{cv.data.qualname}.constructor")
            self.args(arguments)
            return _Val("inst", data=cv.data)
        if cv.kind == "fn" and cv.fn:
            self.frame.calls.append(cv.fn)
        if qual == "Date" and (arguments is None or not _named(arguments)):
            return _Val(sources=(Source("time", "new Date()", self.loc(node)),))
        if qual == "Response":
            return self.response(node, arguments, "new", "Response")
        last = qual.rsplit(".", 1)[-1]
        if last in ("Hono", "OpenAPIHono"):
            self.args(arguments)
            self.worker_file = self.hono = True
            return _Val("app", data="hono")
        args = self.args(arguments)
        if qual == "URL" and args and args[0][1].kind == "event":
            return _Val("event", args[0][1].sources, path=("url",), data="url")
        if qual == "AbortController":
            return _Val("signal")
        if qual in ("Stripe", "stripe", "stripe.Stripe", "stripe.default"):
            return _Val("stripe", data=())
        if (_powertools(qual, "Logger") and qual != "Logger") or qual == "winston.Logger":
            return _Val(
                "logger", qual=qual, data="powertools" if "powertools" in qual else "winston"
            )
        if _powertools(qual, "BatchProcessor") or _powertools(qual, "SqsFifoPartialProcessor"):
            self.wrappers.append(
                (
                    "powertools.batch_processor",
                    self.frame.qualname,
                    self.loc(node),
                    tuple(("event_type", self.value(n, v)) for n, v in args[:1]),
                )
            )
            return _EMPTY
        if qual:
            command = self.aws_command(qual, args)
            if command is not None:
                return command
            client = self.aws_client(qual, node)
            if client is not None:
                return client
        return _plain(_without_roots(_merged(v for _, v in args)))

    # -- the end of the file ----------------------------------------------------------------
    def _finish(self) -> None:
        facts = self.facts
        # a binding's kind: its TypeScript type, else a method only that kind has, else its name
        used: dict[str, set[str]] = {}
        for pending in self.binding_uses_pending:
            used.setdefault(pending.binding, set()).add(pending.method)
        kinds: dict[str, str] = {}
        for binding, methods in used.items():
            kinds[binding] = self.binding_kind(binding, methods)
        for binding, _prop, *_ in self.binding_props:
            kinds.setdefault(binding, "hyperdrive")
        for pending in self.binding_uses_pending:
            kind = pending.kind or kinds.get(pending.binding, "unknown")
            facts.binding_uses.append(
                BindingUse(
                    pending.binding,
                    pending.method,
                    kind,
                    self.loc(pending.node),
                    pending.function,
                    pending.guarded,
                )
            )
        for binding, prop, loc, function, guarded in self.binding_props:
            facts.binding_uses.append(
                BindingUse(binding, prop, kinds[binding], loc, function, guarded)
            )
        for pending in self.binding_calls:
            kind = pending.kind or kinds.get(pending.binding, "unknown")
            # every D1 statement run (run/first/all/raw, batch, exec) is the one cf.d1.exec
            name = (
                "cf.d1.exec"
                if kind == "d1"
                else _BINDING_CALLS.get(kind, {}).get(pending.method, "")
            )
            attrs = (("binding", pending.binding), *pending.attrs)
            if kind == "d1":
                sql = pending.attrs[0][1] if pending.attrs else None
                op = pending.attrs[1][1] if len(pending.attrs) > 1 else pending.method
                write = op in ("run", "batch", "exec") and not (
                    isinstance(sql, str)
                    and re.match(r"\s*(SELECT|WITH|PRAGMA|EXPLAIN)\b", sql, re.I)
                )
                sink: str | None = "write" if write else name
            else:
                sink = "write" if name in _BINDING_WRITES else (name or None)
            call = Call(
                name,
                f"env.{pending.binding}.{pending.method}",
                self.loc(pending.node),
                pending.function,
                pending.args,
                (),
                attrs,
                pending.try_id,
                pending.awaited,
            )
            facts.calls.append(call)
            if sink is not None:
                self.flows(pending.sources, sink, call.loc, call, pending.function)
        binding_names = set(kinds) | {n for n, k in self.binding_types.items() if k != "value"}
        for read in self.env_reads:
            read_kind: Any = (
                "binding" if read.via == "worker-env" and read.name in binding_names else "value"
            )
            facts.env_reads.append(
                EnvRead(
                    read.name,
                    read.loc,
                    read.function,
                    read.via,  # type: ignore[arg-type]
                    read_kind,
                    read.guarded,
                    read.has_default,
                )
            )
        # a binding passed around is not an environment *value*: drop what flowed as one
        facts.flows = [
            f
            for f in facts.flows
            if not (f.source.kind == "env" and f.source.name in binding_names)
        ]
        for loc, function, of, try_ids in self.parses:
            guarded = any(self.try_outcomes.get(t) not in (None, "reraise") for t in try_ids)
            facts.parses.append(Parse(loc, function, _sorted_sources(of), guarded))
        for name, target, loc, args in self.wrappers:
            if name == "makeIdempotent":
                wraps_entry = target is not None and any(
                    e.qualname == target for e in self.entries.values()
                )
                name = "powertools.idempotent" if wraps_entry else "powertools.idempotent_function"
            facts.wrappers.append(Wrapper(name, target, loc, args))
        for name, writes in self.container_writes.items():
            kind, loc = self.containers[name]
            facts.module_state.append(ModuleState(name, kind, loc, tuple(writes)))  # type: ignore[arg-type]
        facts.entry_points.extend(self.entries.values())
        defined = {f.qualname for f in facts.functions}
        for entry in self.entries.values():
            if entry.qualname in defined or entry.kind == "worker-entrypoint":
                continue
            if entry.kind in ("default-export", "on-fetch"):
                refs = tuple(dict.fromkeys(self.entry_refs.get(entry.qualname, ())))
                facts.functions.append(
                    FunctionDef(entry.qualname, entry.loc, (), False, refs, True)
                )
        position: Callable[[Any], tuple[int, int]] = lambda item: (item.loc.line, item.loc.column)  # noqa: E731
        for items in (
            facts.calls,
            facts.env_reads,
            facts.binding_uses,
            facts.flows,
            facts.returns,
            facts.comparisons,
            facts.parses,
            facts.functions,
            facts.wrappers,
            facts.imports,
        ):
            items.sort(key=position)
        facts.tries.sort(key=lambda t: t.id)

    def binding_kind(self, binding: str, methods: set[str]) -> str:
        typed = self.binding_types.get(binding)
        if typed is not None:
            return typed
        for method in methods:
            kind = _DISTINCT_METHOD_KINDS.get(method)
            if kind is not None:
                return kind
        for pattern, kind in _NAME_HINTS:
            if pattern.search(binding.upper()) and methods <= set(_BINDING_CALLS[kind]):
                return kind
        for method in methods:
            if method in _DEFAULT_METHOD_KINDS:
                return _DEFAULT_METHOD_KINDS[method]
        return "unknown"


def _handler_table() -> dict[str, Callable[[_Analyzer, Node], _Val]]:
    a = _Analyzer
    table: dict[str, Callable[[_Analyzer, Node], _Val]] = dict.fromkeys(_SKIPPED, a.x_skip)
    table.update(dict.fromkeys(_UNWRAP, a.x_unwrap))
    table.update(dict.fromkeys(_FUNCTION_TYPES, a.x_function))
    table.update(dict.fromkeys(_FUNCTION_DECLARATIONS, a.s_function_declaration))
    table.update(dict.fromkeys(_CLASS_TYPES, a.s_class))
    table.update(
        {
            "identifier": a.x_identifier,
            "shorthand_property_identifier": a.x_identifier,
            "this": a.x_this,
            "undefined": lambda self, node: _UNDEFINED,
            "null": lambda self, node: _UNDEFINED,
            "true": lambda self, node: _TRUE,
            "false": lambda self, node: _FALSE,
            "number": a.x_number,
            "string": a.x_string,
            "template_string": a.x_template,
            "object": a.x_object,
            "array": a.x_array,
            "member_expression": a.x_member,
            "subscript_expression": a.x_subscript,
            "call_expression": a.x_call,
            "new_expression": a.x_new,
            "await_expression": a.x_await,
            "binary_expression": a.x_binary,
            "unary_expression": a.x_unary,
            "ternary_expression": a.x_ternary,
            "assignment_expression": a.x_assignment,
            "augmented_assignment_expression": a.x_augmented,
            "meta_property": a.x_meta,
            "variable_declarator": a.s_declarator,
            "return_statement": a.s_return,
            "throw_statement": a.s_throw,
            "if_statement": a.s_if,
            "for_in_statement": a.s_for_in,
            "try_statement": a.s_try,
            "import_statement": a.s_import,
            "export_statement": a.s_export,
            "interface_declaration": a.s_type_declaration,
            "type_alias_declaration": a.s_type_declaration,
        }
    )
    return table


_HANDLERS = _handler_table()


def _call_table() -> dict[str, Callable[[_Analyzer, Node, str, Node | None, bool], _Val]]:
    """Qualified names of functions (after imports are resolved) -> what handles their call."""
    a = _Analyzer
    table: dict[str, Callable[[_Analyzer, Node, str, Node | None, bool], _Val]] = {
        "require": a.call_require,
        "JSON.parse": a.call_json_parse,
        "AbortSignal.timeout": a.call_signal_timeout,
        "AbortSignal.any": a.call_signal_any,
        "Response.json": a.call_response,
        "Response.redirect": a.call_response,
        "addEventListener": a.call_add_event_listener,
        "axios.create": a.call_http_instance,
        "got.extend": a.call_http_instance,
        "pino": a.call_logger,
        "pino.default": a.call_logger,
        "pino.pino": a.call_logger,
        "winston.createLogger": a.call_logger,
        "bunyan.createLogger": a.call_logger,
        "stripe": a.call_stripe,
        "stripe.Stripe": a.call_stripe,
        "stripe.default": a.call_stripe,
        "@middy/core": a.call_middy,
        "@middy/core.default": a.call_middy,
        "middy": a.call_middy,
        "itty-router.Router": a.call_router,
        "itty-router.AutoRouter": a.call_router,
        "itty-router.IttyRouter": a.call_router,
    }
    table.update(dict.fromkeys(_HTTP_FUNCTIONS, a.call_http))
    table.update(dict.fromkeys(_RANDOM_SOURCES, a.call_source))
    table.update(dict.fromkeys(_TIME_SOURCES, a.call_source))
    table.update(dict.fromkeys(_CONSTANT_TIME, a.call_constant_compare))
    table.update(dict.fromkeys(_TRANSPARENT, a.call_transparent))
    table.update({f"console.{level}": a.call_console for level in _LOG_LEVELS})
    table.update({f"winston.{level}": a.call_console for level in _LOG_LEVELS})
    return table


# Powertools for AWS Lambda (TypeScript) exports, by name: they move between subpath modules
_POWERTOOLS_CALLS: dict[str, Callable[[_Analyzer, Node, str, Node | None, bool], _Val]] = {
    "makeIdempotent": _Analyzer.call_make_idempotent,
    "makeHandlerIdempotent": _Analyzer.call_middleware,
    "injectLambdaContext": _Analyzer.call_middleware,
    "processPartialResponse": _Analyzer.call_partial_response,
    "processPartialResponseSync": _Analyzer.call_partial_response,
    "getSecret": _Analyzer.call_parameter,
    "getParameter": _Analyzer.call_parameter,
    "getParameters": _Analyzer.call_parameter,
}
_CALLS = _call_table()


def analyze_javascript(path: str, text: str, dialect: str) -> FileFacts:
    """Facts of one JavaScript (``dialect="javascript"``) or TypeScript (``"typescript"``,
    ``"tsx"``) file. Never raises for any input."""
    language: Any = "javascript" if dialect == "javascript" else "typescript"
    grammar: ts.Dialect = (
        "tsx" if dialect == "tsx" else ("javascript" if dialect == "javascript" else "typescript")
    )
    facts = FileFacts(path, language)
    tree = ts.parse(text, grammar)
    problem = tree.first_problem()
    analyzer = _Analyzer(path, tree, facts)
    try:
        analyzer.run()
    except RecursionError:
        # complete=False: nothing of the file was analysed, so no rule may conclude from the
        # absence of a fact (an entry point "missing" from a file that was never read).
        facts = FileFacts(path, language, complete=False)
        facts.syntax.append(
            SyntaxProblem("nested too deeply to analyse", Location.file_start(path), fatal=False)
        )
        return facts
    if problem is not None:
        what = (
            f"tree-sitter expected {_kind(problem)!r} here"
            if ts.is_missing(problem)
            else "tree-sitter error node"
        )
        facts.syntax.append(
            SyntaxProblem(
                f"could not parse part of this file ({what})", analyzer.loc(problem), fatal=False
            )
        )
    return facts
