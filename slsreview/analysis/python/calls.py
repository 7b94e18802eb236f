"""Where a Python call becomes a ``Call`` fact: open this file first.

``_call`` evaluates the callee and the arguments into a ``Site``; ``_vocabulary`` names it,
describes it and says what it returns, asking in turn the object the method is called on
(``_method_of``: an AWS client, an HTTP session, a logger, a binding...), the event
(``_event_method``), a function of this file (``_local_call``) and the resolved import path
(``_known_function``: print and logging, boto3, json, randomness and time, HTTP, Stripe...);
``_record_call`` turns the outcome into the ``Call`` and the ``Flow``s of its arguments to the
sinks it is (``_sinks``). The words come from ``tables`` (the vocabulary); the services and
platforms they belong to have their own modules.

    >>> facts = analyze_python("a.py", "import logging\\nlogging.warning('x')\\n")
    >>> [(c.name, c.attr("logger"), c.attr("level")) for c in facts.calls]
    [('log', 'logging', 'warning')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from slsreview.analysis import links
from slsreview.analysis.common import derived, event_source
from slsreview.analysis.facts import Call, Comparison, EnvRead, Flow, Source, Value
from slsreview.analysis.python.services import aws_writes
from slsreview.analysis.python.state import Site, State
from slsreview.analysis.python.syntax import (
    dotted_name,
    literal_value,
    receiver_of,
    root_name,
    text_literal,
)
from slsreview.analysis.python.tables import (
    BODY_READERS,
    CF_WRITES,
    CHILD_LOGGER,
    COMPARE_DIGEST,
    D1_EXEC,
    FILE_CALLS,
    HTTP_FUNCTIONS,
    HTTP_MODULES,
    HTTP_SESSIONS,
    HTTP_VERBS,
    ITERATING_BUILTINS,
    JSON_PARSERS,
    LIBRARY_ROOTS,
    LOG_CALLS,
    LOG_LEVELS,
    LOG_MODULES,
    LOGGER_FACTORIES,
    LOGGER_NAMES,
    MUTATORS,
    OPAQUE_BUILTINS,
    POWERTOOLS_LOG_METHODS,
    PRESERVING_FUNCTIONS,
    PRESERVING_METHODS,
    RANDOM,
    RESPONSES,
    SQL_CONNECT,
    SQL_CONNECTION_METHODS,
    SQL_EXECUTE_METHODS,
    STATE_ACCESSES,
    STRIPE_CLIENTS,
    TEMP_DIRS,
    TIME,
    TIMEOUT_SIGNALS,
    TIMEOUT_TYPES,
    VERB_ARGUMENT_METHODS,
)
from slsreview.analysis.python.values import (
    D1,
    NOTHING,
    UNSET,
    Aws,
    Binding,
    Class,
    Fn,
    Http,
    Instance,
    Logger,
    Outcome,
    Response,
    Sql,
    Stripe,
    Timeout,
    UrlRequest,
    Val,
    WorkerEnv,
    copy_val,
)
from slsreview.vocabulary import (
    crypto,
    files,
    http_clients,
    parsing,
    payments,
    powertools,
    sources,
    sql,
    workers,
)

if TYPE_CHECKING:
    from slsreview.analysis.python.analyzer import Analyzer


class Calls(State):
    def _call(self: Analyzer, node: cst.Call, awaited: bool = False) -> Val:
        func = node.func
        recv: Val | None
        if type(func) is cst.Attribute:
            recv = self._expr(func.value)
            method: str | None = func.attr.value
            qual = f"{recv.qual}.{method}" if recv.qual is not None else None
            fn = Val(qual=qual, ref=recv.ref and qual is not None)
        else:
            recv = None
            method = None
            fn = self._expr(func)
        gathering = awaited and fn.qual in ("asyncio.gather", "asyncio.wait")
        args: list[tuple[str | None, cst.BaseExpression, Val]] = []
        for arg in node.args:
            key = arg.keyword.value if arg.keyword is not None else (arg.star or None)
            val = self._expr(arg.value, awaited=gathering)
            if type(val.obj) is WorkerEnv:
                # the whole env handed to other code: any binding may be read there
                self.facts.env_reads.append(EnvRead("*", self._loc(arg.value), self.ctx.function, "worker-env", "value"))
            args.append((key, arg.value, val))
        site = Site(node, recv, method, fn, args, awaited)
        name, attrs, result = self._vocabulary(site)
        self._record_call(site, name, attrs)
        self.last_site = site
        return result

    def _record_call(self: Analyzer, site: Site, name: str, attrs: list[tuple[str, Any]]) -> None:
        ctx = self.ctx
        loc = self._loc(site.node)
        callee = site.qual if site.qual is not None else dotted_name(site.node.func)
        args: tuple[Value, ...] = ()
        kwargs: tuple[tuple[str, Value], ...] = ()
        if name or site.local:
            args, kwargs = self._site_values(site)
            if name == payments.PAYMENT_CREATE and not site.has(payments.IDEMPOTENCY_KEY):
                kwargs = kwargs + self._stripe_options_key(site)
        call = Call(
            name,
            callee,
            loc,
            ctx.function,
            args,
            kwargs,
            tuple(attrs),
            ctx.tries[-1] if ctx.tries else None,
            site.awaited,
            tuple(ctx.loops),
            ctx.methods[-1] if ctx.methods else (),
            tuple(ctx.tests),
        )
        self.facts.calls.append(call)
        if not name:
            return
        sinks = self._sinks(name, call)
        if not sinks:
            return
        sources: set[Source] = set()
        for value in (*args, *(v for _, v in kwargs)):
            sources.update(value.sources)
        for src in sorted(sources):
            for sink in sinks:
                self.facts.flows.append(Flow(src, sink, loc, ctx.function, call))

    @staticmethod
    def _sinks(name: str, call: Call) -> tuple[str, ...]:
        """The flow sinks a named call's arguments reach: its own name (so ``flows(sink=...)``
        answers for any Call.name prefix, "http" included), plus "write" for writes."""
        if name == "log" or name == "http.request" or name == "payment.create":
            return (name,)
        if name.startswith("aws."):
            return (name, "write") if aws_writes(name) else (name,)
        if name == D1_EXEC:
            sql = call.attr("sql")
            reads = isinstance(sql, str) and sql.lstrip().lower().startswith(workers.D1_READ_STATEMENTS)
            return (name,) if reads else (name, "write")
        if name.startswith("cf."):
            return (name, "write") if name in CF_WRITES else (name,)
        return ()

    def _vocabulary(self: Analyzer, site: Site) -> Outcome:
        """Name a call, describe it, and say what it returns."""
        recv = site.recv
        if recv is not None:
            obj = recv.obj
            if obj is not None:
                outcome = self._method_of(site, obj)
                if outcome is not None:
                    return outcome
            if recv.path is not None:
                return self._event_method(site, recv)
        fn_obj = site.fn.obj
        if fn_obj is not None:
            outcome = self._local_call(site, fn_obj)
            if outcome is not None:
                return outcome
        qual = site.qual
        if qual is not None:
            outcome = self._known_function(site, qual)
            if outcome is not None:
                return outcome
        sibling = qual if site.ref and qual is not None and qual.split(".")[0].lstrip(".") not in LIBRARY_ROOTS else None
        if sibling is not None:
            self.ctx.calls[sibling.rsplit(".", 1)[-1]] = None  # linked to a sibling module's function
        method = site.method
        receiver = receiver_of(site.node)
        if method is not None and receiver is not None:
            if method in LOG_LEVELS and dotted_name(receiver).rsplit(".", 1)[-1] in LOGGER_NAMES:
                return self._log(site, "logging", method)
            if method in STATE_ACCESSES:
                first = site.arg(0)
                if first is not None:
                    self._state_access(receiver, STATE_ACCESSES[method], first[0], first[1], site.node)
            if method in MUTATORS:
                self._mutate(root_name(receiver), site.all_sources(), site.node)
                if method in ("append", "add", "extend") and self._records_failure(site, receiver):
                    self._note("failure")
        if sibling is not None:
            return "", [], self._returned(site, sibling)
        return "", [], self._propagate(site)

    def _propagate(self: Analyzer, site: Site, preserve: bool = False) -> Val:
        """An unknown call's result carries its receiver's and arguments' data: derived through
        the call (``Source.via``), unless the call hands back the value itself in another form
        (``str(key)``, ``key.strip()``: ``slsreview.vocabulary.dataflow``), is a method of
        event data, or ``preserve`` says so."""
        recv = site.recv
        key = site.arg(0) if recv is not None and site.method == "get" else None
        name = text_literal(*key) if key is not None else None  # the literal key of a .get()
        if recv is not None and name is not None:
            if recv.items is not None and name in recv.items:  # {"a": x}.get("a") is x
                return recv.items[name][1]
            fields = links.param_fields(recv.sources, name) if recv.sources and recv.obj is None else None
            if fields is not None:  # order.get("id") of a parameter: what the callers pass as id
                return Val(frozenset(fields))
        if recv is not None and recv.path is not None:
            sources = recv.sources | site.all_sources()
            return Val(sources, path=recv.path, path_src=recv.path_src)
        if recv is not None and name is not None and recv.qual is None:
            field = self._event_field(recv, name, site.node)
            if field is not None:  # body.get("amount") of a value holding several event places
                default = site.arg(1, "default")
                return copy_val(field, sources=field.sources | default[1].sources) if default is not None else field
        sources = site.all_sources()
        if recv is not None:
            sources = recv.sources | sources
        if sources and not preserve and not self._preserving(site):
            sources = derived(sources, self._via(site))
        return Val(sources, site.qual) if sources or site.qual else NOTHING

    @staticmethod
    def _preserving(site: Site) -> bool:
        if site.qual in PRESERVING_FUNCTIONS:  # json.dumps(x), str(x)
            return True
        return site.method is not None and not site.ref and site.method in PRESERVING_METHODS

    @staticmethod
    def _via(site: Site) -> str:
        """How ``Source.via`` names the call: the last part of its callee."""
        name = site.method or (site.qual if site.qual is not None else dotted_name(site.node.func))
        return name.rsplit(".", 1)[-1][:40] or "call"

    def _records_failure(self: Analyzer, site: Site, receiver: cst.BaseExpression) -> bool:
        """``failures.append({"itemIdentifier": ...})``: a batch item reported as failed."""
        if "fail" in dotted_name(receiver).lower():
            return True
        first = site.arg(0)
        return first is not None and first[1].items is not None and "itemIdentifier" in first[1].items

    def _local_call(self: Analyzer, site: Site, obj: object) -> Outcome | None:
        if isinstance(obj, Fn):
            return self._call_local(site, obj.qualname)
        if isinstance(obj, Class):
            info = obj.info
            if "__init__" in info.methods:
                self.ctx.calls[f"{info.qualname}.__init__"] = None
                site.local = True  # its arguments reach __init__'s parameters
            return "", [], Val(qual=info.qualname, obj=Instance(info))
        return None

    def _call_local(self: Analyzer, site: Site, qualname: str) -> Outcome:
        """A call to a function of this file: link it, and say what kind of object it returns."""
        self.ctx.calls[qualname] = None
        result = self._returned(site, qualname)
        summary = self.returns_obj.get(qualname)
        if summary is not None:
            result = Val(result.sources, summary.qual, obj=summary.obj)
        return "", [], result

    def _returned(self: Analyzer, site: Site, callee: str) -> Val:
        """What a call of a local function (of this file or a local module) gives back: a
        ``return`` source, linked by Facts to what the function returns for these arguments."""
        site.local = True
        self.facts.links = True
        return Val(frozenset((Source(links.RETURN, callee, self._loc(site.node)),)), callee)

    def _method_of(self: Analyzer, site: Site, obj: object) -> Outcome | None:
        """A method called on an object the vocabulary knows."""
        method = site.method
        assert method is not None
        if isinstance(obj, Aws):
            return self._aws_method(site, obj)
        if isinstance(obj, Http):
            return self._http_method(site, obj)
        if isinstance(obj, Logger):
            if method in LOG_LEVELS or (method in POWERTOOLS_LOG_METHODS and obj.kind == "powertools"):
                return self._log(site, obj.kind, method)
            return "", [], (Val(qual=site.qual, obj=obj) if method == CHILD_LOGGER else NOTHING)
        if isinstance(obj, Binding):
            return self._binding_method(site, obj)
        if isinstance(obj, D1):
            return self._d1_method(site, obj)
        if isinstance(obj, Stripe):
            return self._payment(site, obj.resource) if method == "create" else ("", [], NOTHING)
        if isinstance(obj, Sql):
            return self._sql_method(site, obj)
        if isinstance(obj, Instance | Class) and method in obj.info.methods:
            return self._call_local(site, f"{obj.info.qualname}.{method}")
        if isinstance(obj, Response):
            return "", [], NOTHING
        return None

    def _event_method(self: Analyzer, site: Site, recv: Val) -> Outcome:
        """``event.get("body")``, ``request.headers.get("X")``, ``await request.json()``."""
        method = site.method
        if method == "get":
            key = site.arg(0, "key")
            default = site.arg(1, "default")
            name = text_literal(*key) if key is not None else None
            result = self._narrow(recv, name if name is not None else "*", site.node)
            if default is not None and default[1].sources:
                result = copy_val(result, sources=result.sources | default[1].sources)
            return "", [], result
        if method in BODY_READERS and recv.path == ():
            # a Workers request's body
            src = event_source(("body",), self._loc(site.node))
            result = Val(frozenset((src,)), path=("body",), path_src=src)
            if method == parsing.BODY_JSON_READER:
                self._parse(site, result.sources)
                return parsing.JSON_PARSE, [], result
            return "", [], result
        if method in ("items", "values", "keys"):
            return "", [], self._element(recv, site.node)
        return "", [], self._propagate(site, preserve=True)

    def _known_function(self: Analyzer, site: Site, qual: str) -> Outcome | None:
        module, _, last = qual.rpartition(".")
        if qual in LOG_CALLS:
            return self._log(site, LOG_CALLS[qual], None)
        if module in LOG_MODULES and last in LOG_LEVELS:
            return self._log(site, LOG_MODULES[module], last)
        if qual in LOGGER_FACTORIES:
            return "", [], Val(qual=qual, obj=Logger(LOGGER_FACTORIES[qual]))
        if module.startswith(powertools.PYTHON_PACKAGE):
            return self._powertools(site, qual, last)
        if module in ("boto3", "boto3.session") or qual.startswith("boto3."):
            return self._boto3(site, qual, last)
        if qual in JSON_PARSERS:
            first = site.arg(0, "s") or site.arg(0, "obj")
            result = first[1] if first is not None else NOTHING
            self._parse(site, result.sources)
            return JSON_PARSERS[qual], [], Val(result.sources, path=result.path, path_src=result.path_src)
        if qual in COMPARE_DIGEST:
            return self._compare_digest(site, COMPARE_DIGEST[qual])
        if qual in RANDOM or module in sources.PYTHON_RANDOM_MODULES:
            name = RANDOM.get(qual, qual)
            return "", [], Val(frozenset((Source("random", name, self._loc(site.node)),)))
        if qual in TIME:
            return "", [], Val(frozenset((Source("time", TIME[qual], self._loc(site.node)),)))
        if qual in TEMP_DIRS:
            tmp = Source("tmp", TEMP_DIRS[qual], self._loc(site.node))
            if qual in files.CREATES_TEMP:
                return files.FS_WRITE, [], Val(frozenset((tmp,)))
            return "", [], Val(frozenset((tmp,)))
        if qual in FILE_CALLS:
            return FILE_CALLS[qual], [], self._propagate(site)
        if qual in ("os.getenv", "os.environ.get", "os.environ.setdefault"):
            return self._getenv(site)
        if qual in HTTP_SESSIONS:
            return self._http_session(site, HTTP_SESSIONS[qual])
        if module in HTTP_MODULES and (last in HTTP_VERBS or last in VERB_ARGUMENT_METHODS):
            return self._http(site, HTTP_MODULES[module], None, last)
        if qual in HTTP_FUNCTIONS:  # urlopen, urllib3.request, Python Workers' fetch
            client, method = HTTP_FUNCTIONS[qual]
            return self._http(site, client, None, method)
        if qual == http_clients.PYTHON_URL_REQUEST:
            return "", [], Val(qual=qual, obj=UrlRequest(self._request_method(site)))
        if qual in TIMEOUT_TYPES:
            return "", [], Val(qual=qual, obj=Timeout(self._timeout_parts(site)))
        if qual in TIMEOUT_SIGNALS:
            first = site.arg(0)
            ms = literal_value(first[0]) if first is not None else UNSET
            return "", [], Val(obj=Timeout(ms / 1000 if type(ms) in (int, float) else None))
        if qual in RESPONSES or module in RESPONSES:
            return self._response(site, last)
        if qual.startswith(payments.STRIPE_MODULE + ".") and last == payments.CREATE and qual.count(".") >= 2:
            return self._payment(site, tuple(qual.split(".")[1:-1]))
        if qual in STRIPE_CLIENTS:
            return "", [], Val(qual=qual, obj=Stripe(()))
        if qual in SQL_CONNECT:  # psycopg2.connect(...), pymysql.connect(...)
            return "", [], Val(qual=qual, obj=Sql(SQL_CONNECT[qual]))
        if qual in OPAQUE_BUILTINS:
            return "", [], NOTHING
        if qual in ITERATING_BUILTINS:
            first = site.arg(0)
            if first is not None and first[1].path is not None:
                return "", [], first[1]  # a for loop over it takes the elements
        if qual == "getattr" or qual == "hasattr":
            return self._getattr(site, qual)
        return None

    def _sql_method(self: Analyzer, site: Site, db: Sql) -> Outcome:
        """``conn.cursor()`` gives a cursor of the same database; ``cur.execute(sql, params)``
        runs a statement: ``sql.exec`` with the statement and the values bound to it."""
        method = site.method
        if method in SQL_CONNECTION_METHODS:
            return "", [], Val(qual=site.qual, obj=db)
        if method in SQL_EXECUTE_METHODS:
            first = site.arg(0, "query")
            text = text_literal(*first) if first is not None else None
            return sql.SQL_EXEC, [("driver", db.driver), ("sql", text)], NOTHING
        return "", [], NOTHING

    def _log(self: Analyzer, site: Site, logger: str, method: str | None) -> Outcome:
        level = LOG_LEVELS.get(method) if method is not None else None
        if method == "log":  # logger.log(logging.INFO, ...)
            first = site.arg(0, "level")
            const = first[1].const if first is not None else None
            if isinstance(const, str):
                level = LOG_LEVELS.get(const, const)
        self._note("logged")
        return "log", [("logger", logger), ("level", level)], NOTHING

    def _compare_digest(self: Analyzer, site: Site, op: str) -> Outcome:
        args, _ = self._site_values(site)
        if len(args) == 2:
            self.facts.comparisons.append(
                Comparison(op, args[0], args[1], self._loc(site.node), self.ctx.function, True)
            )
        return crypto.CRYPTO_COMPARE, [], NOTHING

    def _parse(self: Analyzer, site: Site, of: frozenset[Source]) -> None:
        self.parses.append((self._loc(site.node), self.ctx.function, tuple(sorted(of)), tuple(self.ctx.tries)))

    def _getenv(self: Analyzer, site: Site) -> Outcome:
        """``os.getenv("X", d)``, ``os.environ.get("X", d)``: reads that cannot raise."""
        key = site.arg(0, "key")
        default = site.arg(1, "default")
        name = text_literal(*key) if key is not None else None
        val = self._env_read(name or "*", site.node, "os.environ", guarded=True, has_default=default is not None)
        if default is not None and default[1].sources:
            val = Val(val.sources | default[1].sources)
        return "", [], val
