"""The words the Python analyzer maps its syntax onto: its views of ``slsreview.vocabulary``
(AWS operations are looked up in ``slsreview.vocabulary.aws`` directly, see ``services.py``), and
Python's own built-in semantics (what ``len()`` or ``list.append`` do to data flow, which
exceptions are broad).

    >>> LOG_LEVELS["exception"], RANDOM["uuid.uuid4"], BINDING_METHODS["prepare"]
    ('error', 'uuid4', 'd1')
"""

from __future__ import annotations

import sys
from typing import Literal

from slsreview.analysis.python.values import StateKind
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

# The words live in slsreview.vocabulary; these are the Python analyzer's views of them.
HTTP_VERBS = http_clients.HTTP_VERBS
HTTP_MODULES = http_clients.PYTHON_HTTP_MODULES
HTTP_SESSIONS = http_clients.PYTHON_HTTP_SESSIONS
HTTP_FUNCTIONS = http_clients.PYTHON_HTTP_FUNCTIONS
VERB_ARGUMENT_METHODS = http_clients.PYTHON_VERB_ARGUMENT_METHODS  # requests.request(...)
SESSION_VERB_ARGUMENT = (*VERB_ARGUMENT_METHODS, http_clients.PYTHON_POOL_URLOPEN)
DEFAULT_TIMEOUT = http_clients.DEFAULT_TIMEOUT_SECONDS
TIMEOUT_TYPES = http_clients.PYTHON_TIMEOUT_TYPES
TIMEOUT_SIGNALS = frozenset(http_clients.TIMEOUT_SIGNAL.python)
LOG_LEVELS = logs.method_levels("python")
LOGGING_LEVEL_NAMES = logs.PYTHON_LEVEL_CONSTANTS
LOGGER_NAMES = logs.PYTHON_LOGGER_NAMES
LOG_CALLS = logs.sinks("python", "call")  # print, sys.stdout.write
LOG_MODULES = logs.sinks("python", "module")  # logging.info(...)
LOGGER_FACTORIES = logs.sinks("python", "factory")  # logging.getLogger()
CHILD_LOGGER = logs.CHILD_LOGGER_METHOD["python"]
POWERTOOLS_LOG_METHODS = powertools.PYTHON_LOGGER_LOG_METHODS
BINDING_METHODS = workers.python_binding_methods()  # method -> kind; None when kinds share it
BINDING_CALLS = workers.python_binding_calls()  # (kind, method) -> Call.name
CF_WRITES = workers.python_binding_writes()
HYPERDRIVE_PROPS = workers.HYPERDRIVE_PROPERTIES
R2_OPTIONS = workers.R2_OPTIONS
D1_RUN = workers.D1_STATEMENT_RUN
D1_EXEC = BINDING_CALLS[("d1", "exec")]  # every D1 query's Call.name
WORKER_BASES = workers.worker_bases("python")
# handler methods of a Workers class, whose first parameter is the event
WORKER_HANDLERS = workers.python_class_handlers()
WORKER_MODULES = workers.PYTHON_WORKER_MODULES
RESPONSES = frozenset(workers.RESPONSE.python)
RANDOM = spellings(sources.RANDOM, "python")
TIME = spellings(sources.TIME, "python")
JSON_PARSERS = spellings(parsing.JSON_PARSERS, "python")
FILE_CALLS = spellings(files.FILE_CALLS, "python")  # open -> fs.write, os.remove -> fs.remove
TEMP_DIRS = spellings(files.TEMP_DIRS, "python")  # tempfile.gettempdir() & co. -> a tmp Source
COMPARE_DIGEST = spellings(crypto.CONSTANT_TIME, "python")
SECRET_READS = sources.SECRET_READS
POWERTOOLS_READS = {r.python: r for r in sources.POWERTOOLS_SECRET_READS if isinstance(r.python, str)}
POWERTOOLS_DECORATORS = powertools.python_decorators()
POWERTOOLS_FUNCTIONS = powertools.python_functions()
POWERTOOLS_CLASSES = powertools.python_classes()
STRIPE_CLIENTS = frozenset(payments.STRIPE_CLIENT.python)
SQL_CONNECT = sql.PYTHON_CONNECT  # psycopg2.connect -> "postgresql"
SQL_CONNECTION_METHODS = sql.PYTHON_CONNECTION_METHODS  # conn.cursor()
SQL_EXECUTE_METHODS = sql.PYTHON_EXECUTE_METHODS  # cur.execute(sql, params)
# calls whose result is their input in another form, not something derived from it
PRESERVING_FUNCTIONS = frozenset(spellings(dataflow.PRESERVING_FUNCTIONS, "python"))
PRESERVING_METHODS = dataflow.preserving_methods("python")
# builtins whose result carries no data of their arguments
OPAQUE_BUILTINS = {"len", "bool", "isinstance", "issubclass", "hasattr", "callable", "id", "type", "hash"}
# builtins whose result holds the elements of their argument (for loops keep the event path)
ITERATING_BUILTINS = {"enumerate", "sorted", "list", "reversed", "iter", "tuple", "set", "filter"}
# Powertools event handler resolvers' route decorators (``@app.post("/orders")``)
ROUTE_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})

# Methods of a dict/set that check or write one key: a module-level seen-set's vocabulary
STATE_ACCESSES: dict[str, Literal["check", "write"]] = {
    "get": "check",
    "__contains__": "check",
    "add": "write",
    "setdefault": "write",
}

MUTATORS = {
    "add",
    "append",
    "extend",
    "insert",
    "update",
    "setdefault",
    "pop",
    "popitem",
    "remove",
    "discard",
    "clear",
    "appendleft",
    "extendleft",
    "__setitem__",
}
CONTAINERS: dict[str, StateKind] = {
    "dict": "dict",
    "set": "set",
    "list": "list",
    "collections.defaultdict": "dict",
    "collections.OrderedDict": "dict",
    "collections.Counter": "dict",
    "collections.deque": "list",
}
EVENT_ATTRS = events.POWERTOOLS_EVENT_ATTRIBUTES
BODY_READERS = events.PYTHON_BODY_READERS
JSON_ERRORS = {"Exception", "BaseException", "ValueError", "JSONDecodeError"}
BROAD_ERRORS = {"Exception", "BaseException"}
# Imported names from these top-level modules are never local helpers worth linking calls to.
LIBRARY_ROOTS = set(sys.stdlib_module_names) | {
    "boto3",
    "botocore",
    "requests",
    "httpx",
    "aiohttp",
    "urllib3",
    "stripe",
    "aws_lambda_powertools",
    "workers",
    "js",
    "pyodide",
    "pydantic",
    *{qual.split(".", 1)[0] for qual in sql.PYTHON_CONNECT},
}
