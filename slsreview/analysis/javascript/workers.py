"""Cloudflare Workers: bindings, Responses, the Request, Hono and itty routers.

A Workers ``env.X`` is a ``Val`` of kind ``envvar``. A method called on it that a binding has
(``get``, ``put``, ``prepare``, ``send``...) is recorded as a pending binding call: which kind of
binding X is (KV, D1, R2, Queue...) is settled only at the end of the file (``settle_bindings``),
from its TypeScript type (``interface Env { X: KVNamespace }``), a method only one kind has, or
its name. D1's ``prepare(...).bind(...).run()`` is followed as one statement (kind ``stmt``).
Responses built (``new Response``, ``Response.json``, Hono's ``c.json``) are recorded as
``Return`` facts; the Request's body readers and header getters name parts of the event.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from slsreview.analysis import treesitter as ts
from slsreview.analysis.facts import BindingUse, Call, Return
from slsreview.analysis.javascript.state import trait
from slsreview.analysis.javascript.tables import (
    ARRAY_CALLBACK_METHODS,
    BINDING_CALLS,
    BINDING_WRITES,
    BODY_JSON_READER,
    BODY_READERS,
    D1_BIND,
    D1_CALL,
    D1_READS,
    D1_RUN,
    DEFAULT_METHOD_KINDS,
    DISTINCT_METHOD_KINDS,
    EVENT_GETTERS,
    HONO_VALID_TARGETS,
    JSON_PARSE,
    NAME_HINTS,
    RESPONSE,
    RESPONSE_HELPERS,
    TS_BINDING_TYPES,
)
from slsreview.analysis.javascript.values import (
    EMPTY,
    PendingBindingCall,
    Val,
    event_source,
    literal_status,
    merged,
    plain,
    split_qual,
    union,
)

Node = ts.Node
_kind = ts.kind
_named = ts.named_children
_by_id = ts.field_by_id

if TYPE_CHECKING:
    from slsreview.analysis.javascript.analyzer import Analyzer


@trait
class Workers:
    """Workers bindings, Responses, the Request and routers."""

    # -- bindings ---------------------------------------------------------------------------
    def s_type_declaration(self: Analyzer, node: Node) -> Val:
        """``interface Env { KV: KVNamespace }``: workers-types name each binding's kind."""
        stack = [node]
        while stack:
            current = stack.pop()
            for child in _named(current):
                if _kind(child) == "property_signature":
                    name, annotation = (
                        _by_id(child, self.fields.name),
                        _by_id(child, self.fields.type),
                    )
                    if name is None or annotation is None:
                        continue
                    match = re.match(r"\s*:?\s*([A-Za-z_$][\w$]*)", self.text(annotation))
                    if match and match.group(1) in TS_BINDING_TYPES:
                        self.binding_types[self.text(name)] = TS_BINDING_TYPES[match.group(1)]
                elif _kind(child) in ("interface_body", "object_type"):
                    stack.append(child)
        return EMPTY

    def binding_call(
        self: Analyzer,
        node: Node,
        rv: Val,
        method: str,
        arguments: Node | None,
        awaited: bool,
        optional: bool,
    ) -> Val:
        binding = rv.data
        guarded = optional or binding in self.guards or bool(rv.env_read and rv.env_read.guarded)
        args = self.args(arguments)
        if method == "prepare":
            sql = self.sql_text(args[0]) if args else None
            self.record_binding(binding, method, node, "d1", args, (), awaited, guarded, call=False)
            return Val("stmt", merged(v for _, v in args), data=(binding, sql, guarded, args))
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
            return EMPTY
        self.record_binding(binding, method, node, None, args, (), awaited, guarded)
        if method in ("put", "delete", "send", "sendBatch") and self.catch is not None:
            self.catch.records = True
        return EMPTY

    def sql_text(self: Analyzer, arg: tuple[Node, Val]) -> str | None:
        node, v = arg
        if v.lit and isinstance(v.literal, str):
            return v.literal
        inner = self.unwrap(node)
        if _kind(inner) == "template_string":
            return self.text(inner)[1:-1]
        return None

    def d1_statement(
        self: Analyzer, node: Node, rv: Val, prop: str, arguments: Node | None, awaited: bool
    ) -> Val:
        binding, sql, guarded, bound = rv.data
        if prop == D1_BIND:
            args = self.args(arguments)
            return Val(
                "stmt",
                union(rv.sources, merged(v for _, v in args)),
                data=(binding, sql, guarded, bound + args),
            )
        if prop in D1_RUN:
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
            return EMPTY
        return self.plain_call(node, f"env.{binding}.prepare().{prop}", rv, arguments, awaited)

    def record_binding(
        self: Analyzer,
        binding: str,
        method: str,
        node: Node,
        kind: str | None,
        args: list[tuple[Node, Val]],
        attrs: tuple[tuple[str, Any], ...],
        awaited: bool,
        guarded: bool,
        *,
        call: bool = True,
        use: bool = True,
    ) -> PendingBindingCall:
        pending = PendingBindingCall(binding, method, node, kind)
        pending.args = tuple(self.value(n, v) for n, v in args)
        pending.sources = merged(v for _, v in args)
        pending.attrs = attrs
        pending.awaited = awaited
        pending.guarded = guarded
        pending.function = self.frame.qualname
        pending.try_id = self.current_try()
        pending.methods = self.methods
        pending.tests = self.tests
        if call:
            self.binding_calls.append(pending)
        if use:
            self.binding_uses_pending.append(pending)
        return pending

    # -- Responses, the Request, routers ----------------------------------------------------
    def response(
        self: Analyzer, node: Node, arguments: Node | None, helper: str, callee: str
    ) -> Val:
        """A Response built: ``new Response(body, init)``, ``Response.json``, Hono's ``c.json``."""
        args = self.args(arguments)
        if callee not in RESPONSE:
            self.add_call(node, "", callee, args)
        status: int | None = RESPONSE_HELPERS.get(helper, 200)
        headers = None
        if len(args) >= 2:
            init = args[1][1]
            if init.kind == "obj":
                headers = (init.props or {}).get("headers")
                found = (init.props or {}).get("status")
                status = literal_status(found[1]) if found is not None else status
            else:
                status = literal_status(init)
        body = args[0] if args else None
        sources = merged(v for _, v in args)
        ret = Return(
            self.loc(node),
            self.frame.qualname,
            status,
            self.value(node, plain(sources)),
            tuple(body[1].props or ()) if body and body[1].kind == "obj" else (),
            self.value(*body) if body else None,
            self.value(*headers) if headers else None,
        )
        self.facts.returns.append(ret)
        self.flows(sources, "response", ret.loc, None)
        if self.catch is not None and status is not None and status >= 400:
            self.catch.returns = True
        return Val("response", data=status)

    def call_response(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        return self.response(node, arguments, split_qual(qual)[1], qual)

    def event_method(
        self: Analyzer,
        node: Node,
        rv: Val,
        prop: str,
        obj: Node,
        arguments: Node | None,
        awaited: bool,
    ) -> Val:
        """A method of the event: a Request's body readers and header/param getters, Hono's
        ``c.req`` helpers, and array methods whose callbacks get one record each."""
        flavour = rv.data
        callee = self.callee_text(rv, obj, prop)
        if flavour in ("request", "hono-req") and prop in BODY_READERS:
            args = self.args(arguments)
            body = Val("event", (event_source(("body",), self.loc(node)),), path=("body",))
            if prop == BODY_JSON_READER:  # `await request.json()` parses input like JSON.parse
                self.add_call(node, JSON_PARSE, callee, args, awaited=awaited)
                self.parses.append(
                    (self.loc(node), self.frame.qualname, body.sources, tuple(self.try_stack))
                )
            else:
                self.add_call(node, "", callee, args, awaited=awaited)
            return body
        section = EVENT_GETTERS.get((flavour, prop))
        if section is not None:
            args = self.args(arguments)
            self.add_call(node, "", callee, args, awaited=awaited)
            name = args[0][1].literal if args and args[0][1].lit else None
            if flavour == "hono-req" and prop == "valid":  # c.req.valid("json")
                path: tuple[str, ...] = (HONO_VALID_TARGETS.get(str(name), "body"),)
            elif isinstance(name, str):
                path = (section, name.lower() if section == "headers" else name)
            else:
                path = (section,)
            return Val("event", (event_source(path, self.loc(node)),), path=path)
        if flavour in ("request", "hono-req") and prop == "clone":
            self.add_call(node, "", callee, [], awaited=awaited)
            return rv
        roles: list[Val | None] | None = None
        if prop in ("reduce", "reduceRight"):
            roles = [None, self.element(rv)]
        elif prop in ARRAY_CALLBACK_METHODS:
            roles = [self.element(rv)]
        iterates = self.iterated(rv) if roles is not None else None
        # a method of event data (``event.body.trim()``, ``records.map(...)``): the data itself
        return self.plain_call(
            node, callee, rv, arguments, awaited, roles=roles, iterates=iterates, preserve=True
        )

    def call_router(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        self.plain_call(node, qual, None, arguments, awaited)
        return Val("app", data="itty")

    # -- the end of the file ----------------------------------------------------------------
    def binding_kind(self: Analyzer, binding: str, methods: list[str]) -> str:
        """The kind of a binding called with ``methods`` (each once, in the order first used:
        a binding used both ways, ``env[name]`` say, takes the kind of its first use)."""
        typed = self.binding_types.get(binding)
        if typed is not None:
            return typed
        for method in methods:
            kind = DISTINCT_METHOD_KINDS.get(method)
            if kind is not None:
                return kind
        for pattern, kind in NAME_HINTS:
            if pattern.search(binding.upper()) and BINDING_CALLS[kind].keys() >= set(methods):
                return kind
        for method in methods:
            if method in DEFAULT_METHOD_KINDS:
                return DEFAULT_METHOD_KINDS[method]
        return "unknown"

    def settle_bindings(self: Analyzer) -> set[str]:
        """At the file's end: each binding's kind, its uses and calls as facts; the names of
        everything that is a binding (not an environment value)."""
        # a binding's kind: its TypeScript type, else a method only that kind has, else its name
        used: dict[str, dict[str, None]] = {}  # binding -> its methods, in the order first used
        for pending in self.binding_uses_pending:
            used.setdefault(pending.binding, {})[pending.method] = None
        kinds: dict[str, str] = {}
        for binding, methods in used.items():
            kinds[binding] = self.binding_kind(binding, list(methods))
        for binding, _prop, *_ in self.binding_props:
            kinds.setdefault(binding, "hyperdrive")
        for pending in self.binding_uses_pending:
            kind = pending.kind or kinds.get(pending.binding, "unknown")
            self.facts.binding_uses.append(
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
            self.facts.binding_uses.append(
                BindingUse(binding, prop, kinds[binding], loc, function, guarded)
            )
        for pending in self.binding_calls:
            kind = pending.kind or kinds.get(pending.binding, "unknown")
            # every D1 statement run (run/first/all/raw, batch, exec) is the one cf.d1.exec
            name = D1_CALL if kind == "d1" else BINDING_CALLS.get(kind, {}).get(pending.method, "")
            attrs = (("binding", pending.binding), *pending.attrs)
            if kind == "d1":
                sql = pending.attrs[0][1] if pending.attrs else None
                op = pending.attrs[1][1] if len(pending.attrs) > 1 else pending.method
                write = op in ("run", "batch", "exec") and not (
                    isinstance(sql, str) and D1_READS.match(sql)
                )
                sink: str | None = "write" if write else name
            else:
                sink = "write" if name in BINDING_WRITES else (name or None)
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
                methods=pending.methods,
                tests=pending.tests,
            )
            self.facts.calls.append(call)
            if sink is not None:
                self.flows(pending.sources, sink, call.loc, call, pending.function)
        return set(kinds) | {n for n, k in self.binding_types.items() if k != "value"}
