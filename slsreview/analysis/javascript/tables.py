"""The words the walk looks up: the vocabulary's JavaScript columns, and JavaScript's own tables.

Every word a rule may care about (a log sink, a source of randomness, a binding method, an HTTP
client, a Powertools wrapper...) is written once, in ``slsreview.vocabulary``, with a column per
language. The first part of this module only reshapes the JavaScript columns into the lookups the
walk makes (a dict by qualified name, a set of method names); it adds no word of its own. AWS
operations are looked up in ``slsreview.vocabulary.aws`` directly (``services.py``).

The second part is what the vocabulary does not hold: JavaScript itself (array and container
methods), names of the Fetch API, Hono and
itty-router the vocabulary has no row for yet, and heuristics of this analyzer (the names and
types that make a parameter an event or an env, the service an unresolved command is taken for).

    >>> BINDING_CALLS["kv"]["put"], LOG_LEVELS["warn"], RANDOM_SOURCES["uuid"], TYPE_ROLES["Env"]
    ('cf.kv.put', 'warning', 'uuid.v4', ('env', 'worker-env'))
"""

from __future__ import annotations

import re
from typing import Literal

from slsreview.vocabulary import (
    crypto,
    dataflow,
    events,
    files,
    http_clients,
    logs,
    parsing,
    payments,
    powertools,
    sources,
    sql,
    workers,
)
from slsreview.vocabulary.spelling import spellings

# -- from the vocabulary ------------------------------------------------------------------------
# logs: logger method -> level; module-like sinks (console.log), logger factories (pino())
LOG_LEVELS = logs.method_levels("javascript")
LOG_MODULES = logs.sinks("javascript", "module")
LOG_FACTORIES = logs.sinks("javascript", "factory")
# ...called (pino(), winston.createLogger()) or, classes, constructed (new winston.Logger())
LOG_FACTORY_FUNCTIONS = {
    q: n for q, n in LOG_FACTORIES.items() if not q.rsplit(".")[-1][:1].isupper()
}
LOG_FACTORY_CLASSES = {q: n for q, n in LOG_FACTORIES.items() if q.rsplit(".")[-1][:1].isupper()}
LOGGER_NAMES_LOWER = logs.JAVASCRIPT_LOGGER_NAMES_LOWER
CHILD_LOGGER = logs.CHILD_LOGGER_METHOD["javascript"]

# sources: qualified name -> Source name
RANDOM_SOURCES = spellings(sources.RANDOM, "javascript")
TIME_SOURCES = spellings(sources.TIME, "javascript")
TIME_CONSTRUCTORS = spellings(sources.TIME_CONSTRUCTORS, "javascript")  # new Date()
SECRET_READS = sources.SECRET_READS
POWERTOOLS_SECRET_READS = frozenset(
    r.javascript for r in sources.POWERTOOLS_SECRET_READS if isinstance(r.javascript, str)
)
# getParameter("/x", { decrypt: true }): the option without which a parameter is not decrypted
POWERTOOLS_DECRYPT = {
    r.javascript: r.decrypt for r in sources.POWERTOOLS_SECRET_READS if isinstance(r.javascript, str) and r.decrypt
}
CONSTANT_TIME = spellings(crypto.CONSTANT_TIME, "javascript")  # -> Comparison.op
CRYPTO_COMPARE = crypto.CRYPTO_COMPARE
JSON_PARSERS = spellings(parsing.JSON_PARSERS, "javascript")  # JSON.parse -> json.parse
FILE_CALLS = spellings(files.FILE_CALLS, "javascript")  # fs.writeFileSync -> fs.write, fs.rm -> fs.remove
TEMP_DIRS = spellings(files.TEMP_DIRS, "javascript")  # os.tmpdir() & co. -> a tmp Source
BODY_JSON_READER = parsing.BODY_JSON_READER  # request.json() parses too
JSON_PARSE = parsing.JSON_PARSE

# events: identifiers of a delivery, idempotency headers, body readers, handler parameters
EVENT_ID_FIELDS = events.javascript_event_id_fields()
IDEMPOTENCY_HEADERS = events.javascript_idempotency_headers()
RECORD_LISTS = events.RECORD_LISTS
HEADER_MAPS = events.HEADER_MAPS
S3_OBJECT_KEY = events.S3_OBJECT_KEY
S3_KEY_NAME = events.S3_KEY_NAME
BODY_READERS = events.JAVASCRIPT_BODY_READERS
EVENT_PARAM_NAMES = events.JAVASCRIPT_EVENT_PARAMS
CONTEXT_PARAM_NAMES = events.JAVASCRIPT_CONTEXT_PARAMS

# http_clients: verbs, request functions -> (client, verb), instance factories, signals
HTTP_VERBS = frozenset(http_clients.HTTP_VERBS)
HTTP_FUNCTIONS = http_clients.JAVASCRIPT_HTTP_FUNCTIONS
HTTP_INSTANCES = http_clients.JAVASCRIPT_HTTP_INSTANCES
HTTP_VERB_ARGUMENT = frozenset(http_clients.JAVASCRIPT_VERB_ARGUMENT_METHODS)  # axios.request
TIMEOUT_SIGNALS = frozenset(http_clients.TIMEOUT_SIGNAL.javascript)
ANY_SIGNALS = frozenset(http_clients.ANY_SIGNAL.javascript)

# workers: binding kinds, their methods and calls, how a binding's kind is told, entry points
BINDING_CALLS = workers.javascript_binding_calls()  # kind -> method -> Call.name
BINDING_METHODS = frozenset(m for table in BINDING_CALLS.values() for m in table)
# A method only one kind of binding has settles the binding's kind for the whole file
DISTINCT_METHOD_KINDS = {
    method: kind
    for kind, table in BINDING_CALLS.items()
    for method in table
    if sum(method in t for t in BINDING_CALLS.values()) == 1
}
DEFAULT_METHOD_KINDS = workers.JAVASCRIPT_DEFAULT_METHOD_KINDS
D1_CALL = workers.BINDINGS["d1"].methods["exec"].call  # every D1 statement run is this call
BINDING_WRITES = workers.javascript_binding_writes()
TS_BINDING_TYPES = workers.binding_types()  # workers-types name in `interface Env` -> kind
NAME_HINTS = tuple((re.compile(pattern), kind) for pattern, kind in workers.JAVASCRIPT_NAME_HINTS)
HYPERDRIVE_PROPS = workers.HYPERDRIVE_PROPERTIES
D1_READS = re.compile(
    r"\s*(" + "|".join(workers.JAVASCRIPT_D1_READ_STATEMENTS) + r")\b", re.IGNORECASE
)
D1_BIND = workers.D1_STATEMENT_BIND
D1_RUN = workers.D1_STATEMENT_RUN
WORKER_BASES = workers.worker_bases("javascript")
WORKER_HANDLERS = workers.javascript_object_handlers()  # export default { fetch(req, env) }
WORKER_CLASS_INPUTS = workers.javascript_class_inputs()  # class X extends WorkerEntrypoint
RESPONSE = frozenset(workers.RESPONSE.javascript)
RESPONSE_REDIRECT = workers.REDIRECT
RESPONSE_HELPERS = workers.JAVASCRIPT_RESPONSE_HELPERS  # Hono's c.json() -> default status
HONO_ROUTES = workers.JAVASCRIPT_HONO_ROUTES
# Router methods that register a handler for one HTTP method (Hono, itty-router): app.post(...)
ROUTE_METHODS = {verb: method for verb, method in http_clients.HTTP_VERBS.items()} | {"all": "ANY"}
HONO_VALID_TARGETS = workers.JAVASCRIPT_HONO_VALID_TARGETS
EVENT_GETTERS = workers.JAVASCRIPT_REQUEST_GETTERS

# payments and wrappers
STRIPE_CLIENTS = frozenset(payments.STRIPE_CLIENT.javascript)

# SQL drivers (pg, mysql2, postgres.js, Neon): connections, pools and what runs a statement
SQL_EXEC = sql.SQL_EXEC
SQL_CLIENTS = sql.JAVASCRIPT_CLIENTS  # new Pool() -> "postgresql"
SQL_CONNECT = sql.JAVASCRIPT_CONNECT  # mysql.createPool() -> "mysql"
SQL_TAGGED = sql.JAVASCRIPT_TAGGED  # postgres() -> a tagged-template query function
SQL_CONNECTION_METHODS = sql.JAVASCRIPT_CONNECTION_METHODS
SQL_EXECUTE_METHODS = sql.JAVASCRIPT_EXECUTE_METHODS
STRIPE_CREATE = payments.CREATE
PAYMENT_CREATE = payments.PAYMENT_CREATE
IDEMPOTENCY_KEY = payments.IDEMPOTENCY_KEY
IDEMPOTENCY_KEY_OPTION = payments.IDEMPOTENCY_KEY_OPTION["javascript"]
POWERTOOLS_PACKAGE = powertools.JAVASCRIPT_PACKAGE_PREFIX
POWERTOOLS_FUNCTIONS = powertools.javascript_functions()  # makeIdempotent -> Wrapper name
POWERTOOLS_MIDDLEWARES = frozenset(
    name for w in powertools.WRAPPERS if w.how == "middleware" for name in w.javascript
)
POWERTOOLS_CLASSES = powertools.javascript_classes()  # BatchProcessor -> Wrapper name
POWERTOOLS_LOGGER = powertools.LOGGER_CLASS
LOG_EVENT_OPTION = powertools.LOG_EVENT_OPTION
MIDDY = frozenset(powertools.MIDDY)

# Functions whose result is (a form of) their arguments: sources flow through, whole event too;
# methods whose result holds their receiver's or arguments' data (``key.trim()``): the value
# itself, not something derived from it (``slsreview.vocabulary.dataflow``)
TRANSPARENT = frozenset(spellings(dataflow.PRESERVING_FUNCTIONS, "javascript"))
PRESERVING_METHODS = dataflow.preserving_methods("javascript")

# -- JavaScript's own -----------------------------------------------------------------------------
# Array methods whose callback gets one element each
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
CONTAINER_ACCESSES: dict[str, Literal["check", "write"]] = {
    "has": "check",
    "get": "check",
    "set": "write",
    "add": "write",
}
# In a catch clause, these record the failure (failures.push(record), a queue message's retry())
FAILURE_RECORDS = frozenset({"push", "unshift", "add", "retry", "retryAll", "concat"})

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
# An exported function named like this is a Lambda handler
HANDLER_NAME = re.compile(r"handler|^main$|lambda|^index$", re.I)
# The Fetch API's Response.json() and Response.redirect() build a Response
RESPONSE_STATICS = frozenset({"json", RESPONSE_REDIRECT})
# The Wrapper a Powertools logger's own injectLambdaContext() middleware applies
INJECT_LAMBDA_CONTEXT = "powertools.inject_lambda_context"
# itty-router's router factories (Hono's app is `new Hono()`)
ROUTERS = frozenset({"itty-router.Router", "itty-router.AutoRouter", "itty-router.IttyRouter"})
HONO_APPS = frozenset({"Hono", "OpenAPIHono"})
# A v3 command whose import does not say its package (a local barrel, a global) is taken for
# these services' (every name here is an operation of that service in the vocabulary)
UNRESOLVED_COMMAND_SERVICES = {
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
    "StartExecution": "stepfunctions",
    "Invoke": "lambda",
}
# A route handler passed by name (app.get("/books", listBooks)) is an identifier
IDENTIFIER = re.compile(r"^[A-Za-z_$][\w$]*$")
# An unresolved upper-case name a binding method is called on, in a Worker: a binding (MY_KV)
GLOBAL_BINDING = re.compile(r"[A-Z][A-Z0-9_]*\Z")
