"""Python Workers (Cloudflare): ``env`` and its bindings (KV, R2, D1, Queues, Durable Objects,
Hyperdrive...), how a binding's kind is told from its methods, name and options, D1 statements,
and the ``Response`` a Worker answers with.

    >>> facts = analyze_python("w.py", "from workers import WorkerEntrypoint\\nclass Default(WorkerEntrypoint):\\n    async def fetch(self, request):\\n        await self.env.CACHE_KV.put('k', 'v')\\n")
    >>> [(c.name, c.attr("binding")) for c in facts.calls if c.name]
    [('cf.kv.put', 'CACHE_KV')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import libcst as cst

from slsreview.analysis.facts import BindingUse, Flow, Return, Source
from slsreview.analysis.python.state import Site, State
from slsreview.analysis.python.syntax import text_literal
from slsreview.analysis.python.tables import (
    BINDING_CALLS,
    BINDING_METHODS,
    D1_EXEC,
    D1_RUN,
    HYPERDRIVE_PROPS,
    R2_OPTIONS,
)
from slsreview.analysis.python.values import (
    D1,
    NOTHING,
    Binding,
    DoId,
    Outcome,
    Response,
    Val,
    WorkerEnv,
)
from slsreview.vocabulary import workers

if TYPE_CHECKING:
    from slsreview.analysis.python.analyzer import Analyzer


class Workers(State):
    def _binding_read(self: Analyzer, name: str, node: cst.CSTNode) -> Val:
        val = self._env_read(name, node, "worker-env")
        return Val(val.sources, f"env.{name}", obj=Binding(name))

    def _binding_property(self: Analyzer, binding: Binding, prop: str, node: cst.CSTNode) -> Val:
        """``env.HYPERDRIVE.connectionString``: reading a binding's property."""
        loc = self._loc(node)
        self.bindings.add(binding.name)
        kind = "hyperdrive" if prop in HYPERDRIVE_PROPS else "unknown"
        self.facts.binding_uses.append(
            BindingUse(binding.name, prop, kind, loc, self.ctx.function, self._guarded(binding.name))
        )
        return Val(frozenset((Source("binding", f"{binding.name}.{prop}", loc),)))

    def _getattr(self: Analyzer, site: Site, qual: str) -> Outcome | None:
        """``getattr(env, "X", None)`` / ``hasattr(self.env, "X")`` in Python Workers."""
        owner = site.arg(0)
        key = site.arg(1)
        if owner is None or key is None or type(owner[1].obj) is not WorkerEnv:
            return None
        name = text_literal(*key) or "*"
        has_default = site.arg(2) is not None
        val = self._env_read(name, site.node, "worker-env", guarded=True, has_default=has_default)
        if qual == "hasattr":
            return "", [], NOTHING
        return "", [], Val(val.sources, f"env.{name}", obj=Binding(name))

    def _binding_method(self: Analyzer, site: Site, binding: Binding) -> Outcome | None:
        """``env.NAME.method(...)``: a binding used as its kind is used (or a plain value's
        method, ``env.REGION.strip()``, which is not a binding use)."""
        method = site.method
        assert method is not None
        if method not in BINDING_METHODS:
            return None  # env.NAME.strip(): a plain value
        kind = BINDING_METHODS[method] or self._storage_kind(site, binding.name)
        self.bindings.add(binding.name)
        loc = self._loc(site.node)
        self.facts.binding_uses.append(
            BindingUse(binding.name, method, kind, loc, self.ctx.function, self._guarded(binding.name))
        )
        attrs: list[tuple[str, Any]] = [("binding", binding.name)]
        if kind == "d1":
            if method == "prepare":
                first = site.arg(0)
                sql = text_literal(*first) if first is not None else None
                pieces = tuple((node, val) for key, node, val in site.args if key is None)
                return "", [], Val(qual=site.qual, obj=D1(binding.name, sql, pieces))
            first = site.arg(0)
            sql = text_literal(*first) if first is not None and method == "exec" else None
            return BINDING_CALLS[("d1", method)], [*attrs, ("sql", sql), ("op", method)], NOTHING
        name = BINDING_CALLS.get((kind, method))
        if kind in ("kv", "r2"):  # getWithMetadata is cf.kv.get with attrs method=getWithMetadata
            attrs.append(("method", method))
            return name or "", attrs, NOTHING
        if kind == "durable-object":
            result = Val(obj=DoId(binding.name)) if method != "get" else NOTHING
            # put/delete/list handed a namespace's id are not in the table: named all the same
            return name or f"{workers.BINDINGS[kind].prefix}.{method}", attrs, result
        return name or "", attrs, NOTHING

    def _storage_kind(self: Analyzer, site: Site, name: str) -> str:
        """KV and R2 share get/put/delete/list; the binding's name or options tell them apart."""
        first = site.arg(0)
        if first is not None and type(first[1].obj) is DoId:
            return "durable-object"
        upper = name.upper()
        for hint, kind in workers.PYTHON_STORAGE_NAME_HINTS:
            if hint in upper:
                return kind
        keywords = {key for key, _, _ in site.args if key}
        for _, _, val in site.args:
            if val.items is not None:
                keywords.update(val.items)
        if keywords & R2_OPTIONS:
            return "r2"
        return workers.PYTHON_STORAGE_DEFAULT  # the most common binding with these methods

    def _d1_method(self: Analyzer, site: Site, stmt: D1) -> Outcome:
        """``stmt.bind(...)`` adds values; ``.run()/.first()/.all()/.raw()`` runs the query."""
        method = site.method
        if method == workers.D1_STATEMENT_BIND:
            pieces = stmt.args + tuple((node, val) for key, node, val in site.args if key is None)
            return "", [], Val(qual=site.qual, obj=D1(stmt.binding, stmt.sql, pieces))
        if method in D1_RUN:
            # the query runs here: name this call with the statement's SQL and bound values
            site.values = (tuple(self._value(node, val) for node, val in stmt.args), ())
            attrs = [("binding", stmt.binding), ("sql", stmt.sql), ("op", method)]
            return D1_EXEC, attrs, NOTHING
        return "", [], NOTHING

    def _response(self: Analyzer, site: Site, last: str) -> Outcome:
        """A Workers ``Response``: what it carries is what the Worker answers."""
        status_arg = site.arg(None, "status")
        if status_arg is None and last == workers.REDIRECT:
            status_arg = site.arg(1)
        if status_arg is None:
            init = site.arg(1)
            if init is not None and init[1].items is not None:
                status_arg = init[1].items.get("status")
        status = self._status(status_arg)
        if status is None and last == workers.REDIRECT:
            status = workers.REDIRECT_STATUS
        body = site.arg(0)
        body_value = self._value(body[0], body[1]) if body is not None else None
        headers = site.arg(None, "headers")
        if headers is None:
            init = site.arg(1)
            if init is not None and init[1].items is not None:
                headers = init[1].items.get("headers")
        headers_value = self._value(headers[0], headers[1]) if headers is not None else None
        loc = self._loc(site.node)
        function = self.ctx.function
        result = Val(qual=site.qual, obj=Response())
        self.facts.returns.append(
            Return(loc, function, status, self._value(site.node, Val(site.all_sources())), (), body_value, headers_value)
        )
        if body is not None:
            for src in sorted(body[1].sources):
                self.facts.flows.append(Flow(src, "response", loc, function))
        return "", [], result
