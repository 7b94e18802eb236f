"""Language-neutral facts about handler source, and the query API rules use.

The Python analyzer (libcst) and the JavaScript/TypeScript analyzer (tree-sitter) both turn a
file into one ``FileFacts``. Rules never see a syntax tree: they ask questions of ``Facts``,
which joins the facts of a handler's entry file and the local modules it imports, and can limit
answers to code reachable from the entry point the configuration names::

    facts = Facts([entry_file_facts, helper_facts], entry="handler")

    facts.defines("handler")                          # is the configured entry point there?
    facts.calls("aws.dynamodb.PutItem")               # boto3 put_item, PutItemCommand, docClient.put
    facts.calls("http.request")                       # requests/httpx/fetch/axios..., with attrs
    facts.flows(source="env", sink="log")             # an environment value reaches a log call
    facts.flows(source="event", sink="response")      # request data echoed into a response
    facts.env_reads()                                 # os.environ[...], process.env.X, env.X
    facts.bindings_used()                             # {"IDEMPOTENCY_KV": [BindingUse(...)], ...}
    facts.wrappers("powertools.idempotent")           # @idempotent, makeIdempotent(...)

Vocabulary
----------
Call names (``Call.name``) are stable, dotted and lower-case by service, then the API's own
operation name for AWS:

- ``aws.<service>.<Operation>`` for the AWS SDKs: ``aws.dynamodb.PutItem``,
  ``aws.dynamodb.UpdateItem``, ``aws.dynamodb.BatchWriteItem``, ``aws.dynamodb.TransactWriteItems``,
  ``aws.sqs.SendMessage``, ``aws.sns.Publish``, ``aws.events.PutEvents``, ``aws.s3.PutObject``,
  ``aws.secretsmanager.GetSecretValue``, ``aws.ssm.GetParameter``, ... Boto3's snake_case
  (``put_item``) and the v3 command classes (``PutItemCommand``, ``PutCommand`` from lib-dynamodb)
  and v2 DocumentClient methods (``put``) all map to the same name. Reading an attribute of a
  boto3 resource (``obj.content_length``) loads it: a ``Call`` of its load operation
  (``aws.s3.HeadObject``) with ``attrs["load"]`` naming the attribute. A call on a client made
  with explicit credentials (``aws_access_key_id=``, a JS ``credentials`` option) has
  ``attrs["credentials"] == "explicit"``: it is not the function's role that makes it. The service is boto3's client
  name and the operation botocore's (``aws.rds.CreateDBSnapshot``, ``aws.stepfunctions.StartExecution``),
  from the generated table ``slsreview.vocabulary.aws``, which also says what IAM action each needs.
- ``http.request`` (``attrs["method"]``: ``GET``/``POST``/... or ``None``, ``attrs["client"]``:
  ``requests``/``httpx``/``urllib``/``aiohttp``/``fetch``/``axios``/``got``/``undici``;
  ``attrs["has_timeout"]``: whether this call (or the client/session it is made on) sets a
  timeout: ``timeout=5``, ``AbortSignal.timeout(5000)``, ``axios.create({timeout})``...;
  ``attrs["timeout_seconds"]``: the literal timeout in seconds when known, else ``None``).
- ``cf.kv.get|put|delete|list``, ``cf.d1.exec`` (``attrs["sql"]`` when literal, ``attrs["op"]``:
  ``run``/``first``/``all``/``raw``/``batch``/``exec``), ``cf.r2.get|put|delete|list|head``,
  ``cf.queue.send|sendBatch``, ``cf.service.fetch``, ``cf.ratelimit.limit``,
  ``cf.do.get|idFromName|idFromString|newUniqueId``; ``attrs["binding"]`` names the binding.
- ``sql.exec``: a statement run through a PostgreSQL or MySQL driver (psycopg2/psycopg
  ``execute``/``executemany``, PyMySQL cursors, pg and mysql2 ``query``/``execute``, postgres.js and
  Neon tagged templates); the statement is the first argument, the values bound to it follow
  (a tagged template's interpolations, one by one); ``attrs["sql"]``: the statement when literal
  (a template's text with ``$1``, ``$2``... for its interpolations), ``attrs["driver"]``:
  ``postgresql``/``mysql`` (``slsreview.vocabulary.sql``). The RDS Data API stays
  ``aws.rds-data.ExecuteStatement`` (its ``sql`` and ``parameters`` kwargs).
- ``payment.create`` (``stripe.*.create``, ``attrs["resource"]``: ``charges``/``paymentIntents``...;
  the idempotency key, ``idempotency_key=`` in Python or ``{idempotencyKey}`` in the request
  options in JavaScript, is the kwarg ``idempotency_key``).
- ``log`` for every log sink (``attrs["logger"]``: ``print``/``stdout``/``logging``/``powertools``/
  ``console``/``pino``/``winston``; ``attrs["level"]``).
- ``crypto.compare`` for constant-time comparison helpers.
- ``json.parse`` for ``json.loads``/``JSON.parse``/``request.json()``.
- Anything else keeps ``name == ""`` and only its resolved ``callee``.

Source kinds (``Source.kind``) and their names:

- ``env``: an environment value; ``name`` is the variable (``STRIPE_KEY``).
  (``EnvRead.name == "*"``: a dynamic read, ``env[name]``, or a Worker's whole ``env`` handed to
  other code, where any binding may be read.)
- ``secret``: a value read from Secrets Manager or SSM; ``name`` is the secret id when literal.
- ``event``: the invocation's input; ``name`` is the path inside it, dotted, lower-case for
  headers: ``event``, ``body``, ``body.email``, ``headers.authorization``, ``pathParameters.id``,
  ``queryStringParameters.q``, ``records``; Workers' ``request`` gives the same names
  (``request.json()`` -> ``body``, ``request.headers.get("X")`` -> ``headers.x``).
- ``event-id``: a stable identifier of the delivery: ``messageId``, ``eventID``, ``id``,
  ``headers.idempotency-key``, ``s3.key``.
- ``random``: ``uuid4``, ``crypto.randomUUID``, ``Math.random``, ``secrets.token_hex``, ...
- ``time``: ``time.time``, ``datetime.now``, ``Date.now``, ``new Date()``.
- ``binding``: a Workers binding's property (``env.DB_HYPERDRIVE.connectionString``); ``name`` is
  ``BINDING.property``.

Sink kinds for ``flows``: ``log``, ``response`` (a returned value or a Response body),
``http`` (an outbound request's arguments), ``write`` (an ``aws.*`` or ``cf.*`` write's arguments;
an AWS operation writes when IAM's access level of its action is Write, Permissions management or
Tagging, ``Operation.writes``; the JS/TS analyzer still tells by the operation's name until it reads
the table), or any ``Call.name`` prefix (``aws.dynamodb.PutItem``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from slsreview.location import Location, fast_init

FACTS_VERSION = 7  # bump when the shape of any fact changes: the cache keys on it


def _compact_pickle(cls: Any) -> Any:
    """Pickle a slotted dataclass as (class, field values): loading a cached file's facts is
    then a constructor call per fact instead of dataclasses' slow generic __setstate__."""
    names = tuple(cls.__dataclass_fields__)

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
        return (cls, tuple(getattr(self, name) for name in names))

    cls.__reduce__ = __reduce__
    return cls


@_compact_pickle
@dataclass(frozen=True, slots=True, order=True)
class Source:
    """Where a value came from (see the module docstring for kinds and names).

    ``via``: empty when the value *is* the source or directly holds it (the source itself, a
    string built from it, a container holding it, the same data in another form: ``str(key)``,
    ``JSON.stringify(event)``, ``key.strip()``); otherwise the name of the first call outside the
    vocabulary the value went through (``fetchCatalog`` for ``fetchCatalog(url, password)``,
    ``Client`` for ``new Client({ password })``): the value is derived from the source, not the
    source. Which calls keep the value itself: ``slsreview.vocabulary.dataflow``.
    """

    kind: str
    name: str
    loc: Location
    via: str = ""

    @property
    def derived(self) -> bool:
        return bool(self.via)


@_compact_pickle
@dataclass(frozen=True, slots=True)
class Value:
    """An argument, a returned value, or a compared operand: its text and what flows into it."""

    text: str  # the source snippet, cut at 120 characters
    loc: Location
    literal: Any = None  # str/int/float/bool/None, or dict/list of them, when fully literal
    is_literal: bool = False
    sources: tuple[Source, ...] = ()  # every tracked source reaching this value, sorted
    keys: tuple[str, ...] = ()  # top-level keys when the value is a dict/object literal
    # what reaches each top-level key of a dict/object literal, also through a name that holds
    # one: ``{"pk": str(uuid4()), "at": time.time()}`` -> (("pk", (random,)), ("at", (time,)))
    fields: tuple[tuple[str, tuple[Source, ...]], ...] = ()

    def field(self, key: str) -> tuple[Source, ...] | None:
        """The sources of one top-level key, or None when the value has no such key."""
        for name, sources in self.fields:
            if name == key:
                return sources
        return None


@_compact_pickle
@dataclass(frozen=True, slots=True)
class Call:
    name: str  # vocabulary name (module docstring) or ""
    callee: str  # resolved qualified callee: "boto3.client.put_item", "env.KV.put", "requests.post"
    loc: Location
    function: str | None  # enclosing function's qualified name in its file; None at module level
    args: tuple[Value, ...] = ()
    kwargs: tuple[tuple[str, Value], ...] = ()  # keyword / named arguments, in source order
    attrs: tuple[tuple[str, Any], ...] = ()  # vocabulary details: method, binding, sql, level...
    try_id: int | None = None  # the innermost enclosing TryBlock.id, if inside a try
    awaited: bool = False
    loops: tuple[str, ...] = ()  # enclosing loops in its function, outermost first (see TryBlock)
    # the HTTP methods an enclosing if requires of the request: ("GET",) inside
    # `if (request.method === "GET") {...}` / `if event["httpMethod"] == "GET":`
    methods: tuple[str, ...] = ()
    # the callees of the calls enclosing ifs test, outermost first: ("isPreviewUpdate",) inside
    # `if (isPreviewUpdate(request, url)) {...}` / `if is_get(event):`; a local predicate's own
    # method test then says which requests the call runs for (``triggers.route_methods``)
    tests: tuple[str, ...] = ()

    def kwarg(self, name: str) -> Value | None:
        for key, value in self.kwargs:
            if key == name:
                return value
        return None

    def attr(self, name: str, default: Any = None) -> Any:
        for key, value in self.attrs:
            if key == name:
                return value
        return default


@_compact_pickle
@dataclass(frozen=True, slots=True)
class EnvRead:
    name: str  # variable or binding name; "*" when dynamic (os.environ[name], env[name])
    loc: Location
    function: str | None
    via: Literal["os.environ", "process.env", "worker-env", "import.meta.env"]
    kind: Literal["value", "binding"] = "value"  # Workers: binding when binding-shaped methods are called on it
    guarded: bool = False  # read inside `if (env.X)` / `env.X?.get(...)` / `.get("X", default)`
    has_default: bool = False


@_compact_pickle
@dataclass(frozen=True, slots=True)
class BindingUse:
    """A Workers binding used the way its kind is used (``env.KV.get``, ``env.DB.prepare``)."""

    name: str
    method: str
    kind: str  # kv, d1, r2, queue, service, rate-limiter, durable-object, workflow, ai, ... or "unknown"
    loc: Location
    function: str | None
    guarded: bool = False


@_compact_pickle
@dataclass(frozen=True, slots=True)
class Flow:
    """A tracked source reaching a sink."""

    source: Source
    sink: str  # "log", "response", "http", "write", or a Call.name
    loc: Location  # where the sink is
    function: str | None
    call: Call | None = None


@_compact_pickle
@dataclass(frozen=True, slots=True)
class TryBlock:
    id: int
    loc: Location
    function: str | None
    on_error: Literal["reraise", "return-error", "record-failure", "swallow", "log-only"]
    handler_loc: Location  # the except/catch clause
    # The loops around the try in its own function, outermost first: for each, what it iterates,
    # named like an event Source ("records" for event.Records / event["Records"], "messages" for
    # a Workers batch.messages), or "" for anything else (a counter, a retry loop, a local list).
    # Iteration callbacks (records.forEach(r => ...), [f(r) for r in records]) are loops too.
    loops: tuple[str, ...] = ()
    # The exception types the handler it reports names (short names: "ValueError",
    # "ClientError"); empty when it catches everything by syntax (a bare except, a JS catch).
    catches: tuple[str, ...] = ()
    # When that handler completes normally, more statements of the try's own block run after it
    # (the handler does not end in return/raise/continue/break and the try is not its block's
    # last statement): the code goes on with a fallback, as in `try: x = f() except: x = None`.
    continues: bool = False


@_compact_pickle
@dataclass(frozen=True, slots=True)
class Return:
    """A value returned from a function, or a Workers Response built."""

    loc: Location
    function: str | None
    status: int | None  # statusCode / status when literal
    value: Value | None
    keys: tuple[str, ...] = ()  # top-level keys of a dict/object literal ({"batchItemFailures": ...})
    body: Value | None = None  # the body part (statusCode dicts' "body", Response's first argument)
    headers: Value | None = None  # the headers part (statusCode dicts' "headers", a Response init's headers)


@_compact_pickle
@dataclass(frozen=True, slots=True)
class Comparison:
    op: str  # "==", "!=", "===", "!==", "compare_digest", "timingSafeEqual"
    left: Value
    right: Value
    loc: Location
    function: str | None
    constant_time: bool = False


@_compact_pickle
@dataclass(frozen=True, slots=True)
class Wrapper:
    """A decorator or wrapping call that changes what a handler does.

    ``name``: ``powertools.idempotent`` (Python ``@idempotent``, JS ``makeIdempotent(handler)``
    and the middy middleware ``makeHandlerIdempotent``), ``powertools.idempotent_function``
    (``@idempotent_function``, ``makeIdempotent`` on a non-handler function),
    ``powertools.process_partial_response`` (Python ``process_partial_response``, JS
    ``processPartialResponse``), ``powertools.batch_processor`` (``BatchProcessor``),
    ``powertools.inject_lambda_context`` (``@logger.inject_lambda_context``, JS
    ``injectLambdaContext``; its ``log_event``/``logEvent`` option is the arg ``log_event``),
    ``middy`` (``middy(handler)``). ``target`` is the qualname of the wrapped function, or the
    exported symbol when the wrapper wraps an anonymous function (``export const handler =
    makeIdempotent(async () => ...)`` has target ``handler``).
    """

    name: str
    target: str | None  # the function it wraps/decorates
    loc: Location
    args: tuple[tuple[str, Value], ...] = ()

    def arg(self, name: str) -> Value | None:
        for key, value in self.args:
            if key == name:
                return value
        return None


@_compact_pickle
@dataclass(frozen=True, slots=True)
class StateAccess:
    """A module-level container checked or written with a key inside a function:
    ``key in seen`` / ``seen.get(key)`` / ``seen.has(key)`` (check), ``seen.add(key)`` /
    ``seen[key] = ...`` / ``seen.set(key, ...)`` (write)."""

    op: Literal["check", "write"]
    key: Value
    function: str | None
    loc: Location


@_compact_pickle
@dataclass(frozen=True, slots=True)
class ModuleState:
    """A mutable container created at module level and written inside a function."""

    name: str
    kind: Literal["dict", "set", "list", "Map", "Set", "object", "array"]
    loc: Location
    writes: tuple[tuple[str, Location], ...] = ()  # (function, where) of each write
    accesses: tuple[StateAccess, ...] = ()  # the keyed checks and writes, in source order


@_compact_pickle
@dataclass(frozen=True, slots=True)
class Parse:
    """Input parsing: ``json.loads(event["body"])``, ``JSON.parse(...)``, ``await request.json()``."""

    loc: Location
    function: str | None
    of: tuple[Source, ...]
    guarded: bool  # inside a try whose handler does not re-raise, or with .catch


@_compact_pickle
@dataclass(frozen=True, slots=True)
class Route:
    """A handler a router dispatches to for one HTTP method: Powertools' ``@app.post("/orders")``,
    Hono's and itty-router's ``app.post("/orders", handler)``."""

    method: str  # upper case: GET, POST, PUT, PATCH, DELETE, ...; ANY for app.all / route()
    path: str | None  # when literal
    handler: str | None  # the handler's qualname; None when it is an inline function
    loc: Location  # the registration; an inline handler's code lies inside this span

    def contains(self, loc: Location) -> bool:
        """True when ``loc`` lies inside the registration (in an inline handler)."""
        if loc.path != self.loc.path:
            return False
        return (self.loc.line, self.loc.column) <= (loc.line, loc.column) and (loc.line, loc.column) < (
            self.loc.end_line,
            self.loc.end_column,
        )


@_compact_pickle
@dataclass(frozen=True, slots=True)
class FunctionDef:
    qualname: str  # "handler", "Worker.fetch", "default.fetch", "OrdersService.save"
    loc: Location
    params: tuple[str, ...]
    is_async: bool
    calls: tuple[str, ...]  # qualnames of local functions it calls (in this file or imported)
    exported: bool = False
    # control can reach the end of its body, so it returns None/undefined there (never for an
    # arrow function's expression body, a generator, or a body that ends in return/raise/throw
    # on every path; a call to a helper that always raises is not seen through)
    falls_through: bool = False


@_compact_pickle
@dataclass(frozen=True, slots=True)
class EntryPoint:
    """A function a platform can invoke: the configured handler, a Worker's ``fetch``..."""

    symbol: str  # as configuration names it: "handler", "lambda_handler", "default"
    qualname: str  # the FunctionDef it runs ("default.fetch"; "handler" for `exports.handler = fn`)
    kind: Literal["function", "default-export", "worker-entrypoint", "on-fetch"]
    loc: Location
    methods: tuple[str, ...] = ()  # for default exports / WorkerEntrypoint classes: fetch, queue...


@_compact_pickle
@dataclass(frozen=True, slots=True)
class Import:
    module: str  # as written: "boto3", "./lib/db", "lib.db", "@aws-sdk/client-dynamodb"
    names: tuple[tuple[str, str], ...]  # (imported name, local alias); ("*", alias) for namespaces
    loc: Location
    resolved: str | None = None  # display path of a local module that exists


@_compact_pickle
@dataclass(frozen=True, slots=True)
class ModuleSyntax:
    """Where a JavaScript file uses a module system: ``esm`` (``what``: ``import``, ``export``,
    ``import.meta``) or ``commonjs`` (``require``, ``module.exports``, ``exports``)."""

    system: Literal["esm", "commonjs"]
    what: str
    loc: Location


@_compact_pickle
@dataclass(frozen=True, slots=True)
class SyntaxProblem:
    message: str
    loc: Location
    fatal: bool  # Python syntax errors are fatal; tree-sitter error nodes are not


# Every frozen fact above is built through slot descriptors (see ``fast_init``): the analyzers
# make tens of thousands per run, and a cache load makes them all again.
for _fact in list(globals().values()):
    if isinstance(_fact, type) and _fact.__module__ == __name__ and dataclasses.is_dataclass(_fact):
        fast_init(_fact)


@dataclass(slots=True)
class FileFacts:
    """Everything the analysis learned about one source file. Picklable, cacheable."""

    path: str
    language: Literal["python", "javascript", "typescript"]
    functions: list[FunctionDef] = field(default_factory=list)
    entry_points: list[EntryPoint] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    env_reads: list[EnvRead] = field(default_factory=list)
    binding_uses: list[BindingUse] = field(default_factory=list)
    flows: list[Flow] = field(default_factory=list)
    tries: list[TryBlock] = field(default_factory=list)
    returns: list[Return] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    wrappers: list[Wrapper] = field(default_factory=list)
    module_state: list[ModuleState] = field(default_factory=list)
    parses: list[Parse] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    syntax: list[SyntaxProblem] = field(default_factory=list)
    complete: bool = True  # False when the analyser failed on this file (an internal error)
    # some fact holds a ``param`` or ``return`` source, which ``Facts`` links to the values that
    # cross the call (``slsreview.analysis.links``); rules never see those two kinds
    links: bool = False
    # JavaScript's module systems: the first use of ES module syntax and of CommonJS in the file
    # (at most one of each; none for Python, which has no module systems to mix)
    module_syntax: list[ModuleSyntax] = field(default_factory=list)

    def first_syntax(self, system: str) -> ModuleSyntax | None:
        return next((m for m in self.module_syntax if m.system == system), None)

    @property
    def parsed(self) -> bool:
        """True when the facts describe the whole file: no syntax error, no analyser failure."""
        return self.complete and not any(p.fatal for p in self.syntax)


def _prefixed(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


class Facts:
    """The query API: facts of one handler (its entry file plus the local modules it imports).

    With ``entry`` set, queries answer only for code reachable from that entry point (the entry
    function, the functions it calls transitively in the same files, and module-level code);
    without it, for everything in the files.
    """

    def __init__(
        self,
        files: Iterable[FileFacts] | Callable[[], Iterable[FileFacts]],
        entry: str | None = None,
        modules: Mapping[tuple[str, str], str] | None = None,
        key: str | None = None,
        kept: Any = None,
        paths: Iterable[str] | None = None,
    ) -> None:
        # ``files`` may be a function giving them: the engine's facts are unpickled only when a
        # question needs them, not when an answer kept from the last review will do (``kept``,
        # an ``analysis.memo.Kept``; ``key`` is the digest of the files' content it files them by)
        self._load = files if callable(files) else None
        self._files: list[FileFacts] | None = None if callable(files) else list(files)
        self.key = key
        self.kept = kept
        self._paths = None if paths is None else list(paths)
        self._linked: list[FileFacts] | None = None
        # linked files by the functions reachable (None: all), shared with ``within``'s answers
        self._link_cache: dict[frozenset[str | None] | None, list[FileFacts]] = {}
        self.entry_symbol = entry
        # (importing file, module as written) -> the local file it resolved to
        self.modules: Mapping[tuple[str, str], str] = modules or {}
        self._reach: set[str | None] | None = None
        self._reach_known = entry is None  # with an entry, worked out when first needed
        self._within: str | None = None  # the function ``within`` narrowed these facts to
        self._items: dict[str, list[Any]] = {}  # _each's answers

    @property
    def _given(self) -> list[FileFacts]:
        if self._files is None:
            assert self._load is not None
            self._files, self._load = list(self._load()), None
        return self._files

    @property
    def paths(self) -> list[str]:
        """The display paths of the files, entry file first (known without loading them)."""
        if self._paths is None:
            self._paths = [f.path for f in self._given]
        return self._paths

    @property
    def _reachable(self) -> set[str | None] | None:
        """The functions reachable from the entry point (None: everything)."""
        if not self._reach_known:
            self._reach_known = True
            if self._within is not None:
                self._reach = self._reach_from([self._within])
            elif self.entry_symbol is not None and self._given:
                self._reach = self._compute_reachable(self.entry_symbol)
        return self._reach

    @_reachable.setter
    def _reachable(self, value: set[str | None] | None) -> None:
        self._reach, self._reach_known = value, True

    @property
    def files(self) -> list[FileFacts]:
        """The files, with the values that cross calls of their functions linked: a helper's
        parameters hold what its reachable callers pass, a call's result what the helper returns
        (``slsreview.analysis.links``)."""
        if self._linked is None:
            if any(f.links for f in self._given):
                key = frozenset(self._reachable) if self._reachable is not None else None
                linked = self._link_cache.get(key)
                if linked is None:
                    from slsreview.analysis.links import link

                    linked = self._link_cache[key] = link(self._given, self.reachable, self.modules)
                self._linked = linked
            else:
                self._linked = self._given
        return self._linked

    # -- entry points ---------------------------------------------------------------------
    @property
    def main(self) -> FileFacts | None:
        """The entry file as analysed (its path, language, entry points, imports); the values
        in its facts are linked only as the query methods and ``files`` give them."""
        return self._given[0] if self._given else None

    def entry(self, symbol: str | None = None) -> EntryPoint | None:
        symbol = symbol or self.entry_symbol
        main = self._given[0] if self._given else None
        if main is None or symbol is None:
            return None
        for entry in main.entry_points:
            if entry.symbol == symbol:
                return entry
        return None

    def defines(self, symbol: str) -> bool:
        return self.entry(symbol) is not None

    def _compute_reachable(self, symbol: str) -> set[str | None]:
        entry = self.entry(symbol)
        roots: list[str] = []
        if entry is not None:
            roots.append(entry.qualname)
            roots.extend(f"{entry.qualname}.{m}" for m in entry.methods)
        return self._reach_from(roots)

    def _reach_from(self, roots: list[str]) -> set[str | None]:
        graph: dict[str, tuple[str, ...]] = {}
        for file in self._given:
            for fn in file.functions:
                graph[fn.qualname] = graph.get(fn.qualname, ()) + fn.calls
        seen: set[str | None] = {None}  # module-level code always runs
        stack = list(roots)
        # ... and so do the local functions it calls: a middleware factory in `app.use(auth(...))`,
        # a helper that builds a client at import time. Their callee is the qualname, or the local
        # module's path then the qualname ("./auth.createProtectedRoute").
        for file in self._given:
            for call in file.calls:
                if call.function is None:
                    target = call.callee.rsplit(".", 1)[-1] if call.callee.startswith(".") else call.callee
                    if target in graph:
                        stack.append(target)
            # a router registered at import dispatches to its handlers
            stack.extend(r.handler for r in file.routes if r.handler is not None and r.handler in graph)
        while stack:
            name = stack.pop()
            if name in seen:
                continue
            seen.add(name)
            stack.extend(graph.get(name, ()))
            # methods and nested functions of a reached function run with it
            prefix = name + "."
            stack.extend(q for q in graph if q.startswith(prefix) and q not in seen)
        return seen

    def external_imports(self) -> list[Import]:
        """Imports of these files that are not one of them: the standard library, packages, and
        local modules that could not be found or read."""
        paths = {f.path for f in self.files}
        return [
            imp
            for file in self.files
            for imp in file.imports
            if self.modules.get((file.path, imp.module)) not in paths
        ]

    def within(self, qualname: str) -> Facts:
        """The same files, answering only for code reachable from one function (and module-level
        code): a Worker's ``default.fetch`` without its ``scheduled`` or ``queue`` handlers."""
        key = None if self.key is None else f"{self.key} within {qualname}"
        narrowed = Facts(lambda: self._given, modules=self.modules, key=key, kept=self.kept, paths=self._paths)
        narrowed._link_cache = self._link_cache
        narrowed.entry_symbol = self.entry_symbol
        narrowed._within, narrowed._reach_known = qualname, False
        return narrowed

    def reachable(self, function: str | None) -> bool:
        reach = self._reachable
        return reach is None or function in reach

    def _each(self, attr: str) -> list[Any]:
        """The reachable items of one kind (``calls``, ``flows``...) across the files, worked
        out once: every rule asks for them, most more than once."""
        found = self._items.get(attr)
        if found is None:
            reach = self._reachable
            found = self._items[attr] = [
                item
                for file in self.files
                for item in getattr(file, attr)
                if reach is None or getattr(item, "function", None) in reach
            ]
        return found

    # -- questions rules ask --------------------------------------------------------------
    def calls(self, *names: str) -> list[Call]:
        """Calls whose vocabulary name equals or starts with one of ``names`` (``"aws.dynamodb"``)."""
        if not names:
            return list(self._each("calls"))
        prefixes = tuple(n + "." for n in names)
        return [c for c in self._each("calls") if c.name in names or c.name.startswith(prefixes)]

    def calls_to(self, callee_prefix: str) -> list[Call]:
        return [c for c in self._each("calls") if c.callee.startswith(callee_prefix)]

    def flows(self, source: str | None = None, sink: str | None = None, name: str | None = None) -> list[Flow]:
        """Flows from a source kind (and optionally a source name) to a sink: a sink kind
        (``log``, ``response``, ``http``, ``write``) or a call name prefix (``aws.dynamodb``).
        One flow per source and place, however many ways the sink matches."""
        out = []
        seen: set[tuple[Source, Location]] = set()
        for flow in self._each("flows"):
            if source is not None and flow.source.kind != source:
                continue
            if name is not None and flow.source.name != name:
                continue
            if sink is not None and not (_prefixed(flow.sink, sink) or (flow.call is not None and _prefixed(flow.call.name, sink))):
                continue
            if (flow.source, flow.loc) in seen:
                continue
            seen.add((flow.source, flow.loc))
            out.append(flow)
        return out

    def env_reads(self) -> list[EnvRead]:
        return list(self._each("env_reads"))

    def bindings_used(self) -> dict[str, list[BindingUse]]:
        used: dict[str, list[BindingUse]] = {}
        for use in self._each("binding_uses"):
            used.setdefault(use.name, []).append(use)
        return used

    def tries(self) -> list[TryBlock]:
        return list(self._each("tries"))

    def try_block(self, call: Call) -> TryBlock | None:
        if call.try_id is None:
            return None
        for file in self.files:
            if file.path == call.loc.path:
                for block in file.tries:
                    if block.id == call.try_id:
                        return block
        return None

    def returns(self) -> list[Return]:
        return list(self._each("returns"))

    def comparisons(self) -> list[Comparison]:
        return list(self._each("comparisons"))

    def wrappers(self, *names: str) -> list[Wrapper]:
        return [w for file in self.files for w in file.wrappers if not names or w.name in names]

    def module_state(self) -> list[ModuleState]:
        return [m for file in self.files for m in file.module_state]

    def parses(self) -> list[Parse]:
        return list(self._each("parses"))

    def routes(self) -> list[Route]:
        return [r for file in self.files for r in file.routes]

    def functions(self) -> list[FunctionDef]:
        return [f for file in self.files for f in file.functions if self.reachable(f.qualname)]
