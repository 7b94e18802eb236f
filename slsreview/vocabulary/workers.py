"""Cloudflare Workers: entry-point classes and handler names, and what each kind of binding can
be asked (with the docs page it comes from), which of those calls write, and what they are named.

A binding used the way its kind is used becomes a ``BindingUse`` (``kind`` below) and, for the
methods that do something, a ``Call`` named by ``Method.call`` (``cf.kv.put``) with
``attrs["binding"]``. Calls whose method ``writes`` are ``write`` sinks of ``flows``; a D1 query
writes unless its SQL reads (``D1_READ_STATEMENTS``).

    >>> BINDINGS["kv"].methods["getWithMetadata"].call
    'cf.kv.get'
    >>> python_binding_methods()["head"], python_binding_methods()["get"] is None
    ('r2', True)
    >>> sorted(python_binding_writes())[:2]
    ['cf.kv.delete', 'cf.kv.put']
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slsreview.vocabulary.spelling import ABSENT, Absent, Word


@dataclass(frozen=True, slots=True)
class Method:
    """One method of a kind of binding.

    ``call``: the ``Call.name`` (the JavaScript analyzer's name today). ``python``: the Python
    analyzer's name where it differs -- ``""`` when it records the binding use but names no call,
    ``ABSENT`` when it does not know the method for this kind; ``None``: the same as ``call``."""

    call: str
    writes: bool = False
    python: str | Absent | None = None

    def python_call(self) -> str | Absent:
        return self.call if self.python is None else self.python


@dataclass(frozen=True, slots=True)
class BindingKind:
    kind: str  # BindingUse.kind
    prefix: str  # of its calls' names: cf.kv
    docs: str
    types: tuple[str, ...]  # workers-types names of the binding in a TypeScript `interface Env`
    methods: dict[str, Method] = field(default_factory=dict)
    properties: frozenset[str] = frozenset()  # read, not called: env.HYPERDRIVE.connectionString
    options: frozenset[str] = frozenset()  # keys only this kind's options objects have


def _each(prefix: str, *names: str, writes: tuple[str, ...] = (), python: dict[str, str | Absent] | None = None) -> dict[str, Method]:
    python = python or {}
    return {name: Method(f"{prefix}.{name}", name in writes, python.get(name)) for name in names}


BINDINGS: dict[str, BindingKind] = {
    "kv": BindingKind(
        "kv",
        "cf.kv",
        "https://developers.cloudflare.com/kv/api/",
        ("KVNamespace",),
        {
            "get": Method("cf.kv.get"),
            "getWithMetadata": Method("cf.kv.get"),  # attrs["method"] keeps getWithMetadata
            "put": Method("cf.kv.put", writes=True),
            "delete": Method("cf.kv.delete", writes=True),
            "list": Method("cf.kv.list"),
        },
    ),
    "r2": BindingKind(
        "r2",
        "cf.r2",
        "https://developers.cloudflare.com/r2/api/workers/workers-api-reference/",
        ("R2Bucket",),
        # Disagreement: the Python analyzer names both multipart calls cf.r2.put (with
        # attrs["method"] saying which), the JavaScript analyzer by their own names.
        _each(
            "cf.r2",
            "get",
            "put",
            "delete",
            "list",
            "head",
            "createMultipartUpload",
            "resumeMultipartUpload",
            writes=("put", "delete", "createMultipartUpload"),
            python={"createMultipartUpload": "cf.r2.put", "resumeMultipartUpload": "cf.r2.put"},
        ),
        # R2's get/put options (R2GetOptions, R2PutOptions) tell an R2 bucket from a KV namespace
        options=frozenset({"httpMetadata", "customMetadata", "onlyIf", "range", "md5", "sha1", "sha256"}),
    ),
    "queue": BindingKind(
        "queue",
        "cf.queue",
        "https://developers.cloudflare.com/queues/configuration/javascript-apis/",
        ("Queue",),
        _each("cf.queue", "send", "sendBatch", writes=("send", "sendBatch")),
    ),
    "service": BindingKind(
        "service",
        "cf.service",
        "https://developers.cloudflare.com/workers/runtime-apis/bindings/service-bindings/",
        ("Fetcher", "Service", "DispatchNamespace"),
        _each("cf.service", "fetch", "connect"),
    ),
    "rate-limiter": BindingKind(
        "rate-limiter",
        "cf.ratelimit",
        "https://developers.cloudflare.com/workers/runtime-apis/bindings/rate-limit/",
        ("RateLimit",),
        {"limit": Method("cf.ratelimit.limit")},
    ),
    "durable-object": BindingKind(
        "durable-object",
        "cf.do",
        "https://developers.cloudflare.com/durable-objects/api/namespace/",
        ("DurableObjectNamespace",),
        _each(
            "cf.do",
            "get",
            "idFromName",
            "idFromString",
            "newUniqueId",
            "getByName",
            "jurisdiction",
            python={"getByName": ABSENT, "jurisdiction": ABSENT},
        ),
    ),
    "d1": BindingKind(
        "d1",
        "cf.d1",
        "https://developers.cloudflare.com/d1/worker-api/d1-database/",
        ("D1Database",),
        # whether a D1 call writes is its SQL's business (D1_READ_STATEMENTS); prepare() only
        # makes a statement, which runs (and is named) at run/first/all/raw
        {
            "prepare": Method("cf.d1.exec", python=""),
            "batch": Method("cf.d1.exec"),
            "exec": Method("cf.d1.exec"),
            "dump": Method("cf.d1.exec", python=ABSENT),
            "withSession": Method("cf.d1.exec", python=ABSENT),
        },
    ),
    "workflow": BindingKind(
        "workflow",
        "cf.workflow",
        "https://developers.cloudflare.com/workflows/build/workers-api/",
        ("Workflow",),
        # Disagreement: the Python analyzer records a workflow's create() as a binding use but
        # names no call, and does not know get/createBatch
        _each(
            "cf.workflow",
            "create",
            "get",
            "createBatch",
            writes=("create", "createBatch"),
            python={"create": "", "get": ABSENT, "createBatch": ABSENT},
        ),
    ),
    "ai": BindingKind(
        "ai",
        "cf.ai",
        "https://developers.cloudflare.com/workers-ai/configuration/bindings/",
        ("Ai",),
        {"run": Method("cf.ai.run", python="")},
    ),
    "vectorize": BindingKind(
        "vectorize",
        "cf.vectorize",
        "https://developers.cloudflare.com/vectorize/reference/client-api/",
        ("VectorizeIndex", "Vectorize"),
        _each(
            "cf.vectorize",
            "query",
            "insert",
            "upsert",
            "getByIds",
            "deleteByIds",
            "describe",
            writes=("insert", "upsert", "deleteByIds"),
            python=dict.fromkeys(("query", "insert", "upsert", "getByIds", "deleteByIds", "describe"), ABSENT),
        ),
    ),
    "analytics-engine": BindingKind(
        "analytics-engine",
        "cf.analytics",
        "https://developers.cloudflare.com/analytics/analytics-engine/get-started/",
        ("AnalyticsEngineDataset",),
        {"writeDataPoint": Method("cf.analytics.writeDataPoint", writes=True, python="")},
    ),
    "email": BindingKind(
        "email",
        "cf.email",
        "https://developers.cloudflare.com/email-routing/email-workers/send-email-workers/",
        ("SendEmail",),
        {"send": Method("cf.email.send", writes=True, python=ABSENT)},
    ),
    "hyperdrive": BindingKind(
        "hyperdrive",
        "",
        "https://developers.cloudflare.com/hyperdrive/configuration/connect-to-postgres/",
        ("Hyperdrive",),
        properties=frozenset({"connectionString", "host", "port", "user", "password", "database"}),
    ),
}

# A D1 query whose SQL starts with one of these (case-insensitively) only reads.
# Disagreement: the JavaScript analyzer also takes PRAGMA and EXPLAIN statements for reads.
D1_READ_STATEMENTS = ("select", "with")
JAVASCRIPT_D1_READ_STATEMENTS = (*D1_READ_STATEMENTS, "pragma", "explain")
# A prepared statement's methods: bind() adds values, these run it (the call is cf.d1.exec)
D1_STATEMENT_BIND = "bind"
D1_STATEMENT_RUN = frozenset({"run", "first", "all", "raw"})


def javascript_binding_calls() -> dict[str, dict[str, str]]:
    """kind -> method -> Call.name, every method the JavaScript analyzer knows."""
    return {kind: {m: method.call for m, method in b.methods.items()} for kind, b in BINDINGS.items() if b.methods}


def javascript_binding_writes() -> frozenset[str]:
    return frozenset(m.call for b in BINDINGS.values() for m in b.methods.values() if m.writes)


def python_binding_methods() -> dict[str, str | None]:
    """method -> the one kind the Python analyzer knows it for, or None when several kinds share
    it (get/put/delete/list: the binding's name, the call's options or a Durable Object id say)."""
    kinds: dict[str, list[str]] = {}
    for kind, binding in BINDINGS.items():
        for name, method in binding.methods.items():
            if not isinstance(method.python_call(), Absent):
                kinds.setdefault(name, []).append(kind)
    return {name: found[0] if len(found) == 1 else None for name, found in kinds.items()}


def python_binding_calls() -> dict[tuple[str, str], str]:
    """(kind, method) -> the Python analyzer's Call.name ("" for a use it names no call for)."""
    return {
        (kind, name): call
        for kind, binding in BINDINGS.items()
        for name, method in binding.methods.items()
        if isinstance(call := method.python_call(), str)
    }


def python_binding_writes() -> frozenset[str]:
    return frozenset(
        name
        for b in BINDINGS.values()
        for m in b.methods.values()
        if m.writes and isinstance(name := m.python_call(), str) and name
    )


def binding_types() -> dict[str, str]:
    """workers-types name -> binding kind."""
    return {type_name: kind for kind, b in BINDINGS.items() for type_name in b.types}


HYPERDRIVE_PROPERTIES = BINDINGS["hyperdrive"].properties
R2_OPTIONS = BINDINGS["r2"].options

# When a binding's kind is not declared, its name hints at it. Python: a substring test, in this
# order, for get/put/delete/list (KV otherwise); JavaScript: these patterns, in order, when every
# method used exists on that kind, else DEFAULT_METHOD_KINDS.
PYTHON_STORAGE_NAME_HINTS = (("KV", "kv"), ("BUCKET", "r2"), ("R2", "r2"))
PYTHON_STORAGE_DEFAULT = "kv"
JAVASCRIPT_NAME_HINTS = (
    (r"KV|CACHE|STORE", "kv"),
    (r"BUCKET|R2|ASSETS_STORE", "r2"),
    (r"QUEUE|PRODUCER", "queue"),
    (r"(^|_)(DB|D1)(_|$)|DATABASE", "d1"),
    (r"(^|_)DO(_|$)|DURABLE|OBJECT|COUNTER|ROOM", "durable-object"),
    (r"LIMIT", "rate-limiter"),
    (r"WORKFLOW", "workflow"),
)
JAVASCRIPT_DEFAULT_METHOD_KINDS = {
    "get": "kv",
    "put": "kv",
    "delete": "kv",
    "list": "kv",
    "send": "queue",
    "fetch": "service",
    "create": "workflow",
}

# -- entry points ------------------------------------------------------------------------------
# Classes whose subclasses the runtime invokes. The Agents SDK (Agent, AIChatAgent, McpAgent) is
# a JavaScript library.
WORKER_BASES: dict[str, frozenset[str]] = {
    "WorkerEntrypoint": frozenset({"python", "javascript"}),
    "DurableObject": frozenset({"python", "javascript"}),
    "WorkflowEntrypoint": frozenset({"python", "javascript"}),
    "Agent": frozenset({"javascript"}),
    "AIChatAgent": frozenset({"javascript"}),
    "McpAgent": frozenset({"javascript"}),
}


@dataclass(frozen=True, slots=True)
class Handler:
    """A handler method name, and where each analyzer takes its first parameter for the input
    (the event): a Python Workers class, ``export default {...}``, a JavaScript Worker class."""

    python_class: bool
    javascript_object: bool
    javascript_class: bool


# Disagreements: trace/test on JavaScript classes, alarm() (a Durable Object's alarm gets retry
# information, not an event: Python only), webSocketMessage (JavaScript only).
WORKER_HANDLERS: dict[str, Handler] = {
    "fetch": Handler(True, True, True),
    "queue": Handler(True, True, True),
    "scheduled": Handler(True, True, True),
    "email": Handler(True, True, True),
    "tail": Handler(True, True, True),
    "trace": Handler(True, True, False),
    "test": Handler(True, True, False),
    "alarm": Handler(True, False, False),
    "run": Handler(True, False, True),  # a Workflow's run(event, step)
    "webSocketMessage": Handler(False, False, True),
}


def worker_bases(side: str) -> frozenset[str]:
    return frozenset(name for name, sides in WORKER_BASES.items() if side in sides)


def python_class_handlers() -> frozenset[str]:
    return frozenset(name for name, h in WORKER_HANDLERS.items() if h.python_class)


def javascript_object_handlers() -> frozenset[str]:
    return frozenset(name for name, h in WORKER_HANDLERS.items() if h.javascript_object)


def javascript_class_inputs() -> frozenset[str]:
    """JavaScript Worker class methods whose first parameter is the input (fetch's Request is
    handled apart: it is a request, not a plain event)."""
    return frozenset(name for name, h in WORKER_HANDLERS.items() if h.javascript_class and name != "fetch")


# Python Workers: modules whose import makes a file a Worker, module-level handlers `on_<name>`
# (on_fetch is the default export's fetch), and the name of the parameter holding the bindings
PYTHON_WORKER_MODULES = frozenset({"workers", "js", "pyodide"})
PYTHON_HANDLER_PREFIX = "on_"
PYTHON_ON_FETCH = "on_fetch"
ENV_NAME = "env"  # fetch(request, env) / self.env

# -- responses ---------------------------------------------------------------------------------
RESPONSE = Word("Response", python=("workers.Response", "js.Response"), javascript=("Response",))
REDIRECT = "redirect"  # Response.redirect(url, status=302)
REDIRECT_STATUS = 302

# Hono (a JavaScript framework): c.json()/c.text()... build a Response with this default status
JAVASCRIPT_RESPONSE_HELPERS = {"json": 200, "text": 200, "html": 200, "body": 200, "redirect": 302, "newResponse": 200}
JAVASCRIPT_HONO_ROUTES = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "all", "use", "on", "notFound", "onError", "route", "basePath", "mount"}
)
# zValidator/validator targets -> the part of the event c.req.valid(target) returns
JAVASCRIPT_HONO_VALID_TARGETS = {
    "json": "body",
    "form": "body",
    "query": "queryStringParameters",
    "param": "pathParameters",
    "header": "headers",
}
# (what the receiver is, method) -> the part of the event its first argument names: a Headers
# object, URLSearchParams, Hono's c.req
JAVASCRIPT_REQUEST_GETTERS = {
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
