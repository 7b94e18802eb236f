"""Where a JavaScript call becomes a ``Call`` fact. Start here.

Every ``call_expression`` reaches ``x_call``, which takes the callee apart:

- a plain or qualified name (``fetch(...)``, ``crypto.randomUUID()``, ``axios.post(...)``) is
  resolved through the scopes to a qualified name and looked up in ``CALLS`` (``qual_call``);
  the entry names the method that turns the call into facts;
- a method call (``doc.send(...)``, ``env.KV.put(...)``, ``logger.info(...)``) is dispatched on
  what the receiver *is* (``method_call``): an AWS client, a binding, a logger, the event...;
- anything else is recorded with ``name=""`` and its resolved callee (``plain_call``), and the
  sources of its arguments flow through to its result.

``add_call`` records the ``Call`` (with its arguments as ``Value``s, its try block, whether it is
awaited) and the ``Flow`` of each source reaching it when the call is a sink. ``x_new`` handles
constructors (SDK clients and commands, ``Response``, ``Hono``, loggers, ``new Date()``).

    >>> facts = analyze_javascript("a.mjs", "JSON.parse(x); Math.random()", "javascript")
    >>> [(c.name, c.callee) for c in facts.calls]
    [('json.parse', 'JSON.parse'), ('', 'Math.random')]
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from slsreview.analysis import treesitter as ts
from slsreview.analysis.common import TEXT_LIMIT
from slsreview.analysis.facts import Call, Comparison, Flow, Import, Route, Source, Value
from slsreview.analysis.javascript.entries import Entries
from slsreview.analysis.javascript.services import Services
from slsreview.analysis.javascript.state import MAX_DEPTH, TOO_DEEP, trait
from slsreview.analysis.javascript.tables import (
    ANY_SIGNALS,
    BINDING_METHODS,
    CHILD_LOGGER,
    CONSTANT_TIME,
    CONTAINER_ACCESSES,
    CONTAINER_WRITES,
    CRYPTO_COMPARE,
    FAILURE_RECORDS,
    FILE_CALLS,
    GLOBAL_BINDING,
    HONO_APPS,
    HONO_ROUTES,
    HTTP_FUNCTIONS,
    HTTP_INSTANCES,
    HTTP_VERB_ARGUMENT,
    HTTP_VERBS,
    IDENTIFIER,
    INJECT_LAMBDA_CONTEXT,
    JSON_PARSERS,
    LOG_FACTORY_CLASSES,
    LOG_FACTORY_FUNCTIONS,
    LOG_LEVELS,
    LOG_MODULES,
    LOGGER_NAMES_LOWER,
    MIDDY,
    POWERTOOLS_CLASSES,
    POWERTOOLS_FUNCTIONS,
    POWERTOOLS_LOGGER,
    POWERTOOLS_PACKAGE,
    PRESERVING_METHODS,
    RANDOM_SOURCES,
    RESPONSE,
    RESPONSE_HELPERS,
    RESPONSE_STATICS,
    ROUTE_METHODS,
    ROUTERS,
    SQL_CLIENTS,
    SQL_CONNECT,
    SQL_CONNECTION_METHODS,
    SQL_EXECUTE_METHODS,
    SQL_TAGGED,
    STRIPE_CLIENTS,
    STRIPE_CREATE,
    TEMP_DIRS,
    TIME_CONSTRUCTORS,
    TIME_SOURCES,
    TIMEOUT_SIGNALS,
    TRANSPARENT,
)
from slsreview.analysis.javascript.values import (
    EMPTY,
    Catch,
    ClassInfo,
    PendingEnvRead,
    Val,
    derived,
    is_powertools,
    merged,
    normalise_module,
    plain,
    sorted_sources,
    split_qual,
    to_seconds,
    union,
    via_name,
    without_roots,
)
from slsreview.analysis.javascript.workers import Workers
from slsreview.analysis.javascript.wrappers import POWERTOOLS_CALLS, Wrappers
from slsreview.analysis.links import RETURN
from slsreview.location import Location
from slsreview.vocabulary import files

Node = ts.Node
_kind = ts.kind
_named = ts.named_children
_by_id = ts.field_by_id
_kind_id = ts.kind_id

if TYPE_CHECKING:
    from slsreview.analysis.javascript.analyzer import Analyzer

    # what handles a call: (analyzer, call node, qualified name, arguments node, awaited) -> value
    CallHandler = Callable[[Analyzer, Node, str, Node | None, bool], Val]


@trait
class Calls:
    """Calls, constructors, and the vocabulary handlers that are not platform specific."""

    # -- calls ------------------------------------------------------------------------------
    def args(
        self: Analyzer, node: Node | None, roles: list[Val | None] | None = None
    ) -> list[tuple[Node, Val]]:
        if node is None:
            return []
        kinds = self.kinds
        if _kind_id(node) in kinds.template:  # a tagged template: sql`...`
            return [(node, self.visit(node))]
        depth = self.depth = self.depth + 1  # self.deeper(), inlined: the hottest paths
        if depth > MAX_DEPTH:
            raise RecursionError(TOO_DEEP)
        out = []
        dispatch = self.dispatch
        comment = kinds.comment
        for arg in _named(node):
            kind = _kind_id(arg)
            if kind in comment:
                continue
            if roles is not None and _kind_id(self.unwrap(arg)) in kinds.functions:
                self.param_roles = roles
            v = dispatch[kind](self, arg)  # self.visit(arg), inlined
            if v.kind == "env" and v.data == "worker-env":
                # the whole env handed to other code: any binding may be read there
                self.env_reads.append(PendingEnvRead("*", self.loc(arg), self.frame.qualname, "worker-env"))
            if v.kind == "fn" and v.fn:
                self.frame.calls.append(v.fn)  # a local function handed over is called
                if self.hint is not None and self.hint_ref is None:
                    self.hint_ref = v.fn
            out.append((arg, v))
        self.param_roles = None
        self.depth = depth - 1
        return out

    def x_call(self: Analyzer, node: Node, awaited: bool = False) -> Val:
        """A call: one level deeper (``MAX_DEPTH``; calls nest in chains ``a.b().c()`` without
        passing through ``visit``), then ``call_expression``."""
        depth = self.depth = self.depth + 1  # self.deeper(), inlined: the hottest paths
        if depth > MAX_DEPTH:
            raise RecursionError(TOO_DEEP)
        v = self.call_expression(node, awaited)
        self.depth = depth - 1
        return v

    def call_expression(self: Analyzer, node: Node, awaited: bool) -> Val:
        callee = _by_id(node, self.fields.function)
        arguments = _by_id(node, self.fields.arguments)
        if callee is None:
            return self.generic(node)
        callee = self.unwrap(callee)
        kinds = self.kinds
        kind = _kind_id(callee)
        if kind in kinds.await_ and _named(callee):
            # tree-sitter-typescript reads `await a.b<T>()` as `(await a.b)<T>()`: the await
            # belongs to the call, as TypeScript itself reads it.
            callee = self.unwrap(_named(callee)[0])
            awaited = True
            kind = _kind_id(callee)
        if kind in kinds.member:
            obj, prop_node = (
                _by_id(callee, self.fields.object),
                _by_id(callee, self.fields.property),
            )
            if obj is None or prop_node is None:
                return self.generic(node)
            prop = self.text(prop_node)
            has_args = (
                prop in ("promise", "catch") and arguments is not None and bool(_named(arguments))
            )
            if prop == "promise" and not has_args:
                inner = self.unwrap(obj)
                rv = (
                    self.x_call(inner, awaited)
                    if _kind_id(inner) in kinds.call
                    else self.visit(obj)
                )
                return rv.data if rv.kind == "awsreq" else rv
            if prop == "catch" and has_args:
                return self.promise_catch(node, obj, arguments, awaited)
            receiver = self.unwrap(obj)
            if _kind_id(receiver) in kinds.call:
                # `await send(...).then(...)` awaits the send; `await a().b()` does not await a()
                rv = self.x_call(receiver, awaited and prop in ("then", "finally"))
            else:
                rv = self.visit(obj)
            optional = _by_id(callee, self.fields.optional_chain) is not None
            if optional and rv.env_read is not None:
                rv.env_read.guarded = True
            return self.method_call(node, rv, prop, obj, arguments, awaited, optional)
        if kind in kinds.identifier:
            fv = self.x_identifier(callee)
            return self.function_call(node, fv, self.text(callee), arguments, awaited)
        if kind in kinds.import_:  # await import("./x.js")
            args = self.args(arguments)
            if args and args[0][1].lit and isinstance(args[0][1].literal, str):
                module = args[0][1].literal
                self.facts.imports.append(Import(module, (("*", "*"),), self.loc(node)))
                return Val("mod", qual=normalise_module(module), data=(module, "*"))
            return EMPTY
        if kind in kinds.functions:  # an IIFE runs in place, as the code around it
            self.run_callback(callee, None)
            return self.plain_call(node, "(function)", None, arguments, awaited)
        fv = self.visit(callee)  # require("pino")(), getHandler()(event)...
        return self.function_call(node, fv, self.text(callee)[:TEXT_LIMIT], arguments, awaited)

    def function_call(
        self: Analyzer, node: Node, fv: Val, text: str, arguments: Node | None, awaited: bool
    ) -> Val:
        """A call of a plain name (or a module member reached through one)."""
        if fv.kind == "mod":
            return self.qual_call(node, fv.qual, fv, arguments, awaited)
        if fv.kind in ("fn", "class") and fv.fn:
            self.frame.calls.append(fv.fn)
            return self.local_call(node, fv.fn, arguments, awaited)
        if fv.kind == "http":  # an axios instance called directly: http(config)
            return self.http_call(node, fv.data[0], None, arguments, awaited, fv)
        if fv.kind == "sqltag" and arguments is not None and _kind_id(arguments) in self.kinds.template:
            return self.sql_tagged(node, fv, text, arguments, awaited)
        return self.plain_call(node, text, None, arguments, awaited)

    def local_call(
        self: Analyzer, node: Node, callee: str, arguments: Node | None, awaited: bool, args: list[tuple[Node, Val]] | None = None
    ) -> Val:
        """A call of a function of this file or a local module: what it gives back is a
        ``return`` source, linked by Facts to what the function returns for these arguments
        (``args``: already evaluated)."""
        if args is None:
            args = self.args(arguments)
        self.add_call(node, "", callee, args, awaited=awaited)
        self.facts.links = True
        return Val(sources=(Source(RETURN, callee, self.loc(node)),))

    def plain_call(
        self: Analyzer,
        node: Node,
        callee: str,
        receiver: Val | None,
        arguments: Node | None,
        awaited: bool,
        roles: list[Val | None] | None = None,
        iterates: str | None = None,
        preserve: bool = False,
    ) -> Val:
        """A call outside the vocabulary: recorded with name "", its result carries the
        sources of what it was given, its receiver's too (``key.trim()``) unless awaited:
        ``await connection.query(sql)`` is I/O, not the connection's configuration. They are
        derived through the call (``Source.via``) unless ``preserve``: the result is the value
        itself in another form (``key.trim()``, ``slsreview.vocabulary.dataflow``).
        ``iterates``: the call runs its callback once per element of that (``records.map``)."""
        if iterates is not None:
            self.loops.append(iterates)
        try:
            args = self.args(arguments, roles)
        finally:
            if iterates is not None:
                self.loops.pop()
        self.add_call(node, "", callee, args, awaited=awaited)
        sources = receiver.sources if receiver is not None and not awaited else ()
        for _, v in args:
            if v.sources and v.kind != "fn":
                sources = union(sources, v.sources)
        if not sources:
            return EMPTY
        sources = without_roots(sources)
        return plain(sources if preserve else derived(sources, via_name(callee)))

    def add_call(
        self: Analyzer,
        node: Node,
        name: str,
        callee: str,
        args: list[tuple[Node, Val]],
        *,
        kwargs: tuple[tuple[str, Value], ...] = (),
        attrs: tuple[tuple[str, Any], ...] = (),
        awaited: bool = False,
        sink: str | None = None,
        sink_sources: tuple[Source, ...] | None = None,
    ) -> Call:
        value = self.value
        call = Call(
            name,
            callee,
            self.loc(node),
            self.frame.qualname,
            tuple([value(n, v) for n, v in args]),
            kwargs,
            attrs,
            self.try_stack[-1] if self.try_stack else None,
            awaited,
            tuple(self.loops),
            self.methods,
            self.tests,
        )
        self.facts.calls.append(call)
        catch = self.catch
        if catch is not None:
            if name == "log":
                catch.logs = True
            elif sink == "write":
                catch.records = True
        if sink is not None:
            sources = sink_sources if sink_sources is not None else merged(v for _, v in args)
            self.flows(sources, sink, call.loc, call)
        return call

    def flows(
        self: Analyzer,
        sources: tuple[Source, ...],
        sink: str,
        loc: Location,
        call: Call | None,
        function: str | bool | None = False,
    ) -> None:
        """One Flow per (source kind, name) reaching this sink: the value itself where it
        reaches it so, else derived through a call (``Source.via``)."""
        where = self.frame.qualname if function is False else function
        seen: set[tuple[str, str]] = set()
        ordered = sorted_sources(sources)
        for derived_pass in (False, True):
            for source in ordered:
                if bool(source.via) != derived_pass:
                    continue
                key = (source.kind, source.name)
                if source.kind == RETURN:  # two calls of one function are two values
                    key = (source.kind, f"{source.name}@{source.loc.line}:{source.loc.column}")
                if key in seen:
                    continue
                seen.add(key)
                self.facts.flows.append(Flow(source, sink, loc, where, call))  # type: ignore[arg-type]

    def qual_call(
        self: Analyzer, node: Node, qual: str, fv: Val, arguments: Node | None, awaited: bool
    ) -> Val:
        """A call of a qualified name: ``CALLS`` says what it is (``qual_shape``)."""
        handler, last, shape = qual_shape(qual)
        if handler is not None:
            return handler(self, node, qual, arguments, awaited)
        if fv.data and str(fv.data[0]).startswith("."):  # a function of a sibling module
            imported = fv.data[1]
            self.frame.calls.append(imported if imported != "*" else last)
            return self.local_call(node, qual, arguments, awaited)
        if shape == "from":  # DynamoDBDocumentClient.from(client)
            client = self.aws_client(qual[: -len(".from")], node)
            if client is not None:
                args = self.args(arguments)
                self.add_call(node, "", qual, args, awaited=awaited)
                inner = args[0][1] if args else EMPTY
                if inner.kind == "client" and len(inner.data) > 2 and inner.data[2]:
                    client = Val("client", qual=client.qual, data=(*client.data[:2], True))
                return client
        elif shape == "xray":
            args = self.args(arguments)  # AWSXRay.captureAWSv3Client(client) is the client
            self.add_call(node, "", qual, args, awaited=awaited)
            return args[0][1] if args else EMPTY
        elif shape == "log":
            # logger.info(...) on a logger this file cannot see (a global, ./logger)
            return self.log_call(node, qual, "custom", last, arguments, awaited)
        return self.plain_call(node, qual, None, arguments, awaited)

    def method_call(
        self: Analyzer,
        node: Node,
        rv: Val,
        prop: str,
        obj: Node,
        arguments: Node | None,
        awaited: bool,
        optional: bool,
    ) -> Val:
        """``receiver.prop(...)``: dispatch on what the receiver is."""
        if prop in CONTAINER_WRITES:
            self.container_write(self.unwrap(obj), node)
        if self.catch is not None and prop in FAILURE_RECORDS:
            self.catch.records = True  # failures.push(record), message.retry()
        kind = rv.kind
        if (
            kind == "mod"
            and prop in BINDING_METHODS
            and self.worker_file
            and GLOBAL_BINDING.match(rv.qual)
        ):
            # service-worker syntax: bindings are globals (`await MY_KV.get(key)`)
            rv = self.env_member(Val("env", data="worker-env"), rv.qual, obj)
            kind = rv.kind
        if prop == "send" and kind in ("", "mod", "client", "inst", "this"):
            # the command says what is sent, whatever the client: one from ./clients, this.db...
            return self.send_call(node, rv, obj, arguments, awaited)
        if kind == "mod":
            return self.qual_call(
                node,
                f"{rv.qual}.{prop}",
                Val("mod", qual=f"{rv.qual}.{prop}", data=rv.data and (rv.data[0], prop)),
                arguments,
                awaited,
            )
        if kind == "envvar" and prop in BINDING_METHODS:
            return self.binding_call(node, rv, prop, arguments, awaited, optional)
        if kind == "stmt":
            return self.d1_statement(node, rv, prop, arguments, awaited)
        if kind == "sqldb":
            if prop in SQL_EXECUTE_METHODS:
                return self.sql_query(node, rv, prop, arguments, awaited)
            if prop in SQL_CONNECTION_METHODS:  # await pool.connect(): a client of the same database
                self.plain_call(node, self.callee_text(rv, obj, prop), None, arguments, awaited)
                return rv
        if kind == "client":
            return self.aws_method(node, rv, prop, obj, arguments, awaited)
        if kind == "event":
            return self.event_method(node, rv, prop, obj, arguments, awaited)
        if kind == "http":
            if prop in HTTP_VERBS or prop in HTTP_VERB_ARGUMENT:
                return self.http_call(node, rv.data[0], prop, arguments, awaited, rv)
        elif kind == "logger":
            if prop in LOG_LEVELS or prop == "log":
                return self.log_call(node, f"{rv.qual}.{prop}", rv.data, prop, arguments, awaited)
            if prop == CHILD_LOGGER:
                self.plain_call(node, f"{rv.qual}.child", None, arguments, awaited)
                return rv
            if POWERTOOLS_FUNCTIONS.get(prop) == INJECT_LAMBDA_CONTEXT:
                return self.call_middleware(node, prop, arguments, awaited)
        elif kind == "stripe":
            if prop == STRIPE_CREATE and rv.data:
                return self.payment(node, rv, arguments, awaited)
            return self.plain_call(
                node, ".".join(("stripe", *rv.data, prop)), None, arguments, awaited
            )
        elif kind == "middy":
            return self.middy_method(node, rv, prop, arguments, awaited)
        elif kind == "app":
            if prop in HONO_ROUTES:
                if rv.data == "itty":
                    roles: list[Val | None] = [
                        Val("event", data="request"),
                        Val("env", data="worker-env"),
                    ]
                else:
                    roles = [None, Val("ctx")] if prop == "onError" else [Val("ctx")]
                self.plain_call(node, f"app.{prop}", None, arguments, awaited, roles=roles)
                if prop in ROUTE_METHODS:
                    self.route(node, ROUTE_METHODS[prop])
                return rv
        elif kind == "ctx":
            if prop in RESPONSE_HELPERS:
                return self.response(node, arguments, prop, f"c.{prop}")
        elif kind in ("this", "inst") and prop in rv.data.methods:
            qualname = f"{rv.data.qualname}.{prop}"
            self.frame.calls.append(qualname)
            return self.local_call(node, qualname, arguments, awaited)
        elif kind == "obj":
            found = (rv.props or {}).get(prop)
            if found is not None and found[1].kind == "fn" and found[1].fn:
                self.frame.calls.append(found[1].fn)
                return self.local_call(node, found[1].fn, arguments, awaited)
        elif kind == "fn":
            if prop in ("bind", "call", "apply"):
                if rv.fn:
                    self.frame.calls.append(rv.fn)
                self.plain_call(node, f"{rv.fn or 'function'}.{prop}", None, arguments, awaited)
                return rv if prop == "bind" else EMPTY
        elif kind == "fetchevt" and prop in ("respondWith", "waitUntil"):
            return self.plain_call(node, f"event.{prop}", None, arguments, awaited)
        # anything else: a method outside the vocabulary
        callee = self.callee_text(rv, obj, prop)
        then_roles: list[Val | None] | None = [rv] if prop in ("then", "finally") else None
        result = self.plain_call(
            node, callee, rv, arguments, awaited, roles=then_roles, preserve=prop in PRESERVING_METHODS
        )
        if prop in CONTAINER_ACCESSES:
            self.container_access(obj, node, CONTAINER_ACCESSES[prop])
        return result

    def route(self: Analyzer, node: Node, method: str) -> None:
        """``app.post("/orders", handler)``: the call just recorded holds the path and the
        handler (a named function, or an inline one whose code lies inside the call)."""
        call = self.facts.calls[-1] if self.facts.calls else None
        if call is None or call.loc != self.loc(node) or len(call.args) < 2:
            return
        path = call.args[0].literal if isinstance(call.args[0].literal, str) else None
        last = call.args[-1].text
        handler = last if IDENTIFIER.match(last) else None
        self.facts.routes.append(Route(method, path, handler, call.loc))

    def callee_text(self: Analyzer, rv: Val, obj: Node, prop: str) -> str:
        if rv.kind == "mod":
            return f"{rv.qual}.{prop}"
        if rv.kind == "envvar":
            return f"env.{rv.data}.{prop}"
        if rv.qual:
            return f"{rv.qual}.{prop}"
        return f"{self.text_prefix(obj, TEXT_LIMIT)}.{prop}"

    # -- constructors -----------------------------------------------------------------------
    def x_new(self: Analyzer, node: Node) -> Val:
        ctor = _by_id(node, self.fields.constructor)
        arguments = _by_id(node, self.fields.arguments)
        if ctor is None:
            return self.generic(node)
        cv = self.visit(ctor)
        qual = cv.qual if cv.kind == "mod" else ""
        if cv.kind == "class" and isinstance(cv.data, ClassInfo):
            args = self.args(arguments)
            if "constructor" in cv.data.methods:
                self.frame.calls.append(f"{cv.data.qualname}.constructor")
                # its arguments reach the constructor's parameters (slsreview.analysis.links)
                self.add_call(node, "", cv.data.qualname, args)
            return Val("inst", data=cv.data)
        if cv.kind == "fn" and cv.fn:
            self.frame.calls.append(cv.fn)
        if qual in TIME_CONSTRUCTORS and (arguments is None or not _named(arguments)):
            return Val(sources=(Source("time", TIME_CONSTRUCTORS[qual], self.loc(node)),))
        if qual in RESPONSE:
            return self.response(node, arguments, "new", qual)
        last = qual.rsplit(".", 1)[-1]
        if last in HONO_APPS:
            self.args(arguments)
            self.worker_file = self.hono = True
            return Val("app", data="hono")
        args = self.args(arguments)
        if qual == "URL" and args and args[0][1].kind == "event":
            return Val("event", args[0][1].sources, path=("url",), data="url")
        if qual == "AbortController":
            return Val("signal")
        if qual in STRIPE_CLIENTS:
            return Val("stripe", data=())
        if qual in SQL_CLIENTS:  # new Pool(), new pg.Client(...)
            return Val("sqldb", qual=qual.rsplit(".", 1)[-1].lower(), data=SQL_CLIENTS[qual])
        if qual in LOG_FACTORY_CLASSES or (
            is_powertools(qual, POWERTOOLS_LOGGER) and qual != POWERTOOLS_LOGGER
        ):  # any Logger the Powertools package exports: it moves between modules
            return Val("logger", qual=qual, data=LOG_FACTORY_CLASSES.get(qual, "powertools"))
        wrapper = next((w for c, w in POWERTOOLS_CLASSES.items() if is_powertools(qual, c)), None)
        if wrapper is not None:  # new BatchProcessor(EventType.SQS)
            self.wrappers.append(
                (
                    wrapper,
                    self.frame.qualname,
                    self.loc(node),
                    tuple(("event_type", self.value(n, v)) for n, v in args[:1]),
                )
            )
            return EMPTY
        if qual:
            command = self.aws_command(qual, args)
            if command is not None:
                return command
            client = self.aws_client(qual, node, args[0][1] if args else None)
            if client is not None:
                return client
        sources = without_roots(merged(v for _, v in args))
        if qual in TRANSPARENT:  # new Map([...request.headers]): a container of its arguments
            return plain(sources)
        # an object of a class outside the vocabulary: made from its arguments, not one of them
        return plain(derived(sources, via_name(qual or self.text_prefix(ctor, TEXT_LIMIT))))

    # -- sources, transparent functions, loggers --------------------------------------------
    def call_source(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        """crypto.randomUUID(), Date.now()...: the result is a random or time source."""
        self.plain_call(node, qual, None, arguments, awaited)
        if qual in RANDOM_SOURCES:
            return Val(sources=(Source("random", RANDOM_SOURCES[qual], self.loc(node)),))
        return Val(sources=(Source("time", TIME_SOURCES[qual], self.loc(node)),))

    def call_file(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        """fs.writeFileSync(path, data), fs.rm(path): fs.write and fs.remove, the path first."""
        args = self.args(arguments)
        self.add_call(node, FILE_CALLS[qual], qual, args, awaited=awaited)
        return plain(merged(v for _, v in args))

    def call_temp_dir(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        """os.tmpdir(), fs.mkdtempSync(prefix): a place in the temporary folder (mkdtemp makes it)."""
        args = self.args(arguments)
        name = TEMP_DIRS[qual]
        self.add_call(node, files.FS_WRITE if name in files.CREATES_TEMP else "", qual, args, awaited=awaited)
        return Val(sources=(Source("tmp", name, self.loc(node)),))

    def call_transparent(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        """JSON.stringify(event), String(x)...: the result is the argument in another form."""
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        return plain(merged(v for _, v in args))

    def call_console(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        module, method = split_qual(qual)
        return self.log_call(node, qual, LOG_MODULES[module], method, arguments, awaited)

    def call_logger(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        """pino(), winston.createLogger(): a logger whose methods are log sinks."""
        self.plain_call(node, qual, None, arguments, awaited)
        return Val("logger", qual=split_qual(qual)[0], data=LOG_FACTORY_FUNCTIONS[qual])

    # -- logs, JSON, crypto, promises -------------------------------------------------------
    def log_call(
        self: Analyzer,
        node: Node,
        callee: str,
        logger: str,
        method: str,
        arguments: Node | None,
        awaited: bool,
    ) -> Val:
        args = self.args(arguments)
        level = LOG_LEVELS.get(method)
        if method == "log" and logger == "winston" and args and args[0][1].lit:
            level = LOG_LEVELS.get(str(args[0][1].literal), str(args[0][1].literal))
        self.add_call(
            node,
            "log",
            callee,
            args,
            attrs=(("logger", logger), ("level", level)),
            awaited=awaited,
            sink="log",
        )
        return EMPTY

    def call_json_parse(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        args = self.args(arguments)
        self.add_call(node, JSON_PARSERS[qual], qual, args, awaited=awaited)
        of = args[0][1] if args else EMPTY
        self.parses.append((self.loc(node), self.frame.qualname, of.sources, tuple(self.try_stack)))
        if of.kind == "event":  # JSON.parse(event.body).email is body.email
            return Val("event", of.sources, path=of.path)
        return plain(of.sources)

    def call_constant_compare(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        args = self.args(arguments)
        self.add_call(node, CRYPTO_COMPARE, qual, args, awaited=awaited)
        if len(args) >= 2:
            (ln, lv), (rn, rv) = args[0], args[1]
            self.facts.comparisons.append(
                Comparison(
                    CONSTANT_TIME[qual],
                    self.value(ln, lv),
                    self.value(rn, rv),
                    self.loc(node),
                    self.frame.qualname,
                    constant_time=True,
                )
            )
        return EMPTY

    def promise_catch(
        self: Analyzer, node: Node, obj: Node, arguments: Node | None, awaited: bool
    ) -> Val:
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
        catch = Catch()
        saved = (self.catch, self.throw_to, self.hint)
        self.catch = self.throw_to = catch
        self.hint = None
        handler = arguments
        try:
            args = self.args(arguments, roles=[EMPTY])
            if args:
                handler = args[0][0]
                hv = args[0][1]
                if hv.kind == "mod" and hv.qual.startswith("console."):
                    catch.logs = True
        finally:
            self.catch, self.throw_to, self.hint = saved
        if handler is not None:
            self.close_try(try_id, node, handler, catch, self.followed(node))
        return rv if rv.kind != "awsreq" else rv.data

    def call_signal_timeout(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        seconds = to_seconds(args[0][1].literal) if args and args[0][1].lit else None
        return Val("signal", data=seconds)

    def call_signal_any(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        signals = args[0][1].data if args and isinstance(args[0][1].data, list) else []
        timeouts = [s.data for s in signals if s.kind == "signal" and s.data is not None]
        return Val("signal", data=timeouts[0] if timeouts else None)


def _call_table() -> dict[str, CallHandler]:
    """Qualified names of functions (after imports are resolved) -> what handles their call."""
    table: dict[str, CallHandler] = {
        # JavaScript's own
        "require": Entries.call_require,
        "addEventListener": Entries.call_add_event_listener,
        **dict.fromkeys(ROUTERS, Workers.call_router),
        **dict.fromkeys(TRANSPARENT, Calls.call_transparent),
        # the vocabulary's words (tables.py)
        **dict.fromkeys(JSON_PARSERS, Calls.call_json_parse),
        **dict.fromkeys(FILE_CALLS, Calls.call_file),
        **dict.fromkeys(TEMP_DIRS, Calls.call_temp_dir),
        **dict.fromkeys(TIMEOUT_SIGNALS, Calls.call_signal_timeout),
        **dict.fromkeys(ANY_SIGNALS, Calls.call_signal_any),
        **{f"{r}.{helper}": Workers.call_response for r in RESPONSE for helper in RESPONSE_STATICS},
        **dict.fromkeys(HTTP_INSTANCES, Services.call_http_instance),
        **dict.fromkeys(HTTP_FUNCTIONS, Services.call_http),
        **dict.fromkeys(LOG_FACTORY_FUNCTIONS, Calls.call_logger),
        **{f"{m}.{level}": Calls.call_console for m in LOG_MODULES for level in LOG_LEVELS},
        **dict.fromkeys(STRIPE_CLIENTS, Services.call_stripe),
        **dict.fromkeys((*SQL_CONNECT, *SQL_TAGGED), Services.call_sql_connect),
        **dict.fromkeys(MIDDY, Wrappers.call_middy),
        **dict.fromkeys(RANDOM_SOURCES, Calls.call_source),
        **dict.fromkeys(TIME_SOURCES, Calls.call_source),
        **dict.fromkeys(CONSTANT_TIME, Calls.call_constant_compare),
    }
    return table


CALLS = _call_table()


@lru_cache(maxsize=4096)
def qual_shape(qual: str) -> tuple[CallHandler | None, str, str]:
    """What the name alone says about a call of ``qual`` (the same for every file, so asked
    once per name): the handler from ``CALLS`` or Powertools' (bare names too: imported through
    a barrel), the name's last part, and which of ``qual_call``'s other cases it may be:
    "from" (``X.from``), "xray" (``AWSXRay.capture...``), "log" (``logger.info`` on a logger
    the file cannot see) or ""."""
    handler = CALLS.get(qual)
    last = qual.rsplit(".", 1)[-1]
    if handler is not None:
        return handler, last, ""
    module = split_qual(qual)[0]
    if module.startswith(POWERTOOLS_PACKAGE) or "." not in qual:
        handler = POWERTOOLS_CALLS.get(last)
        if handler is not None:
            return handler, last, ""
    if last == "from" and "." in qual:
        return None, last, "from"
    if last.startswith("capture") and "xray" in module.lower():
        return None, last, "xray"
    owner = qual.rsplit(".", 2)[-2] if "." in qual else ""
    if owner.lower() in LOGGER_NAMES_LOWER and last in LOG_LEVELS:
        return None, last, "log"
    return None, last, ""
