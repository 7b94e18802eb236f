"""The value model: what the analysis knows about a value while it walks a file.

``Val`` is what visiting an expression yields (see its docstring for the kinds of values the
vocabulary cares about); ``Source`` tuples ride on it as data flows. ``Scope`` and ``Frame`` are
the walk's name resolution and the function being analysed; ``Catch``, ``PendingEnvRead`` and
``PendingBindingCall`` are records that stay open until the file is done (``Analyzer.finish``).
The helpers below them combine sources, name paths inside the event, and split qualified names.

    >>> v = Val("event", path=("body",))
    >>> extend_path(v.path, "email"), split_qual("@aws-sdk/lib-dynamodb.PutCommand")
    (('body', 'email'), ('@aws-sdk/lib-dynamodb', 'PutCommand'))
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from slsreview.analysis import treesitter as ts
from slsreview.analysis.facts import Source, Value
from slsreview.analysis.javascript.tables import (
    EVENT_ID_FIELDS,
    HEADER_MAPS,
    IDEMPOTENCY_HEADERS,
    POWERTOOLS_PACKAGE,
    S3_KEY_NAME,
    S3_OBJECT_KEY,
)
from slsreview.location import Location

Node = ts.Node


class PendingEnvRead:
    """An environment read, open until the file is done (its kind and guard may still change)."""

    __slots__ = ("function", "guarded", "has_default", "loc", "name", "via")

    def __init__(self, name: str, loc: Location, function: str | None, via: str) -> None:
        self.name, self.loc, self.function, self.via = name, loc, function, via
        self.guarded = False
        self.has_default = False


class ClassInfo:
    __slots__ = ("fields", "methods", "qualname", "worker")

    def __init__(self, qualname: str, worker: bool) -> None:
        self.qualname = qualname
        self.worker = worker
        self.fields: dict[str, Val] = {}
        self.methods: list[str] = []


class Val:
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
    sqldb    a PostgreSQL/MySQL client, pool or connection; ``data`` is the database
    sqltag   a tagged-template query function (postgres.js ``sql``, Neon's ``neon()``); ``data``
             is the database
    middy    a middy chain; ``fn`` is the wrapped handler, ``data`` is (where middy() is called,
             middlewares waiting for ``.handler(fn)``)
    mw       a middleware or decorator from Powertools; ``data`` is (wrapper name, args)
    stmt     a D1 prepared statement; ``data`` is (binding, sql, guarded, (node, value) of the
             arguments bound so far): its run/first/all/raw is the one ``cf.d1.exec`` call
    response a Response built here (already recorded as a Return); ``data`` is its status
    app      a Hono app or itty router; ``data`` is "hono" or "itty"
    ctx      a Hono handler's context ``c``
    this     ``this`` in a class; ``data`` is the ClassInfo
    inst     an instance of a class of this file; ``data`` is the ClassInfo
    class    a class of this file; ``data`` is the ClassInfo
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
        props: dict[str, tuple[Node, Val]] | None = None,
        literal: Any = None,
        lit: bool = False,
        fn: str | None = None,
        data: Any = None,
        env_read: PendingEnvRead | None = None,
        guard: tuple[tuple[PendingEnvRead, ...], bool] | None = None,
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


EMPTY = Val()

UNDEFINED = Val(lit=True)

TRUE = Val(literal=True, lit=True)

FALSE = Val(literal=False, lit=True)


def union(a: tuple[Source, ...], b: tuple[Source, ...]) -> tuple[Source, ...]:
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


def sorted_sources(sources: tuple[Source, ...]) -> tuple[Source, ...]:
    """Sources in Source order, each once (by a plain tuple key: cheaper than Source's own)."""
    if len(sources) < 2:
        return sources
    keyed = {
        (s.kind, s.name, s.loc.line, s.loc.column, s.loc.end_line, s.loc.end_column, s.via): s
        for s in sources
    }
    return tuple(keyed[key] for key in sorted(keyed))


def derived(sources: tuple[Source, ...], via: str) -> tuple[Source, ...]:
    """The sources of a value a call outside the vocabulary made from these (``Source.via``):
    each marked with the call's name, unless it already went through another."""
    if not sources:
        return sources
    return tuple(s if s.via else Source(s.kind, s.name, s.loc, via) for s in sources)


def via_name(callee: str) -> str:
    """How ``Source.via`` names a call: the last part of its callee (``fetchCatalog``,
    ``query`` for ``client.query``), at most 40 characters."""
    return callee.rsplit(".", 1)[-1][:40] or "call"


def merged(values: Iterable[Val]) -> tuple[Source, ...]:
    out: tuple[Source, ...] = ()
    for v in values:
        if v.sources:
            out = union(out, v.sources)
    return out


def plain(sources: tuple[Source, ...]) -> Val:
    return Val(sources=sources) if sources else EMPTY


def is_root(source: Source) -> bool:
    return (source.kind == "event" and source.name == "event") or (
        source.kind == "env" and source.name == "*"
    )


def without_roots(sources: tuple[Source, ...]) -> tuple[Source, ...]:
    """Sources without the whole event or env object.

    What a function the analysis cannot see returns is not the event because the event was
    passed to it (``return handleRequest(request, env)`` is no echo), however it was wrapped.
    Its parts still flow: ``format(event.body)``.
    """
    for source in sources:
        if is_root(source):
            return tuple(source for source in sources if not is_root(source))
    return sources


def event_source(path: tuple[str, ...], loc: Location) -> Source:
    """The Source for a path inside the event, named as facts.py says."""
    if not path:
        return Source("event", "event", loc)
    last = path[-1]
    if last in EVENT_ID_FIELDS:
        return Source("event-id", last, loc)
    if last == "id" and (len(path) == 1 or (len(path) == 2 and path[0] in ("records", "messages"))):
        return Source("event-id", "id", loc)
    if len(path) >= 2 and path[-2] == "headers" and last in IDEMPOTENCY_HEADERS:
        return Source("event-id", "headers." + last, loc)
    if path[-3:] == S3_OBJECT_KEY:
        return Source("event-id", S3_KEY_NAME, loc)
    return Source("event", ".".join(path), loc)


def extend_path(path: tuple[str, ...], segment: str) -> tuple[str, ...]:
    if not path and segment == "Records":
        return ("records",)
    if path and path[-1] in HEADER_MAPS:
        return (*path, segment.lower())
    return (*path, segment)


def split_qual(qual: str) -> tuple[str, str]:
    """("@aws-sdk/lib-dynamodb", "PutCommand") from "@aws-sdk/lib-dynamodb.PutCommand"."""
    # scoped packages contain a "/" and maybe dots in the name; the member follows the last "/"
    slash = qual.rfind("/")
    dot = qual.find(".", slash + 1)
    if dot == -1:
        return qual, ""
    return qual[:dot], qual[dot + 1 :]


def is_powertools(qual: str, name: str) -> bool:
    """A Powertools for AWS Lambda (TypeScript) export, or the bare name when not imported."""
    if qual == name:
        return True
    return qual.startswith(POWERTOOLS_PACKAGE) and qual.endswith("." + name)


def to_seconds(ms: Any) -> int | float | None:
    if isinstance(ms, bool) or not isinstance(ms, int | float):
        return None
    seconds = ms / 1000
    return int(seconds) if seconds == int(seconds) else seconds


def literal_status(v: Val | None) -> int | None:
    if v is None or not v.lit or isinstance(v.literal, bool) or not isinstance(v.literal, int):
        return None
    return v.literal


def normalise_module(module: str) -> str:
    return module[5:] if module.startswith("node:") else module


def qualify(module: str, imported: str) -> str:
    if imported in ("default", "*", ""):
        return module
    return f"{module}.{imported}"


class Scope:
    __slots__ = ("parent", "vars")

    def __init__(self, parent: Scope | None) -> None:
        self.parent = parent
        self.vars: dict[str, Val] = {}

    def lookup(self, name: str) -> Val | None:
        scope: Scope | None = self
        while scope is not None:
            found = scope.vars.get(name)
            if found is not None:
                return found
            scope = scope.parent
        return None

    def owner(self, name: str) -> Scope | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars:
                return scope
            scope = scope.parent
        return None


class Frame:
    """One named function (or the module) being analysed."""

    __slots__ = ("callback_depth", "calls", "entry", "pending", "qualname")

    def __init__(self, qualname: str | None, entry: bool) -> None:
        self.qualname = qualname
        self.entry = entry  # a platform calls it: its returns are responses
        self.calls: list[str] = []
        self.pending: list[tuple[Node, str, Scope, ClassInfo | None, list[Val | None] | None]] = []
        self.callback_depth = 0  # > 0 inside an anonymous callback passed from this function


class Catch:
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


class PendingBindingCall:
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
        "methods",
        "node",
        "sources",
        "tests",
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
        self.methods: tuple[str, ...] = ()  # HTTP methods an enclosing if requires
        self.tests: tuple[str, ...] = ()  # callees of the calls enclosing ifs test
        self.sources: tuple[Source, ...] = ()  # what flows into the call
