"""Entry points and the handler's shape: definitions (what each parameter holds when the
platform calls the function: the event, a record, a Worker's ``env``), classes (Workers
entry-point classes), imports, and returns (the response a handler gives).

    >>> facts = analyze_python("a.py", "def handler(event, context):\\n    return {'statusCode': 200}\\n")
    >>> [(e.symbol, e.kind) for e in facts.entry_points], [r.status for r in facts.returns]
    ([('handler', 'function')], [200])
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import libcst as cst

from slsreview.analysis import links
from slsreview.analysis.facts import EntryPoint, Flow, Import, Return
from slsreview.analysis.python.state import Pending, State
from slsreview.analysis.python.syntax import dotted_name, literal_value
from slsreview.analysis.python.tables import WORKER_BASES, WORKER_HANDLERS, WORKER_MODULES
from slsreview.analysis.python.values import (
    UNSET,
    Class,
    ClassInfo,
    EventRoot,
    Fn,
    Instance,
    Response,
    Scope,
    Val,
    WorkerEnv,
)
from slsreview.vocabulary import events, workers

if TYPE_CHECKING:
    from slsreview.analysis.python.analyzer import Analyzer


def param_names(params: cst.Parameters) -> tuple[list[str], list[str]]:
    """(positional parameter names, all parameter names)."""
    positional = [p.name.value for p in (*params.posonly_params, *params.params)]
    names = list(positional)
    if isinstance(params.star_arg, cst.Param):
        names.append(params.star_arg.name.value)
    names.extend(p.name.value for p in params.kwonly_params)
    if params.star_kwarg is not None:
        names.append(params.star_kwarg.name.value)
    return positional, names


def lambda_shaped(params: Sequence[str]) -> bool:
    """``(event, context)``: how Lambda calls a handler, however its parameters are spelled."""
    if not params:
        return False
    if "event" in params[0].lower():
        return True
    if len(params) < 2:
        return False
    second = params[1].lower()
    return "context" in second or second in events.PYTHON_CONTEXT_PARAMS


class Entries(State):
    def _def(self: Analyzer, node: cst.FunctionDef) -> None:
        ctx = self.ctx
        name = node.name.value
        qualname = ctx.prefix + name
        for decorator in node.decorators:
            self._decorator(decorator, qualname)
        for param in (*node.params.params, *node.params.kwonly_params, *node.params.posonly_params):
            if param.default is not None:
                self._expr(param.default)
        positional, params = param_names(node.params)
        cls = ctx.cls
        top_level = ctx.function is None and cls is None
        loc = self._header_loc(node)
        if cls is not None:
            cls.methods.append(name)
        self._bind(name, Val(qual=qualname, obj=Fn(qualname)))
        if top_level:
            self.facts.entry_points.append(EntryPoint(name, qualname, "function", loc))
            if name == workers.PYTHON_ON_FETCH:  # the Python Workers module-level form of a fetch handler
                self.facts.entry_points.append(EntryPoint("default", qualname, "on-fetch", loc))
        roots = self._roots(node, name, positional, cls, top_level)
        if top_level and not self.workers and any(type(v.obj) is EventRoot for v in roots.values()):
            self.handlers.append((qualname, loc))
        parent = ctx.scope.parent if cls is not None and ctx.scope.parent is not None else ctx.scope
        self.pending.append(
            Pending(
                node,
                qualname,
                parent,
                roots,
                any(isinstance(v.obj, EventRoot) for v in roots.values()),
                loc,
                tuple(params),
                top_level and not name.startswith("_"),
            )
        )

    def _roots(
        self,
        node: cst.FunctionDef,
        name: str,
        positional: list[str],
        cls: ClassInfo | None,
        top_level: bool,
    ) -> dict[str, Val]:
        """What a function's parameters hold when the platform calls it."""
        roots: dict[str, Val] = {}
        params = positional
        if cls is not None and params and params[0] in ("self", "cls"):
            roots[params[0]] = Val(qual=cls.qualname, obj=Instance(cls))
            params = params[1:]
            if cls.worker and name in WORKER_HANDLERS and params:
                roots[params[0]] = Val(obj=EventRoot(()))
        elif top_level and params and ((self.workers and name.startswith(workers.PYTHON_HANDLER_PREFIX)) or lambda_shaped(params)):
            roots[params[0]] = Val(obj=EventRoot(()))
        # Powertools data classes say what a parameter is: a whole event or one record of it
        for param in (*node.params.posonly_params, *node.params.params):
            if param.annotation is not None and param.name.value not in roots:
                annotation = dotted_name(param.annotation.annotation)
                if annotation.endswith("Record"):
                    roots[param.name.value] = Val(obj=EventRoot(("Records", "[]")))
                elif annotation.endswith("Event") and annotation[:1].isupper():
                    roots[param.name.value] = Val(obj=EventRoot(()))
        if self.workers:
            _, all_params = param_names(node.params)
            for param_name in all_params:
                if param_name == workers.ENV_NAME:
                    roots[param_name] = Val(qual="env", obj=WorkerEnv())
        return roots

    def _class(self: Analyzer, node: cst.ClassDef) -> None:
        ctx = self.ctx
        qualname = ctx.prefix + node.name.value
        bases = [self._expr(arg.value) for arg in node.bases]
        for decorator in node.decorators:
            self._expr(decorator.decorator)
        # class Default(WorkerEntrypoint), also when the base is imported under another name
        worker = any(
            name.rsplit(".", 1)[-1] in WORKER_BASES
            for arg, base in zip(node.bases, bases, strict=True)
            for name in (base.qual or "", dotted_name(arg.value))
        ) or any(isinstance(base.obj, Class) and base.obj.info.worker for base in bases)  # a subclass of one
        scope = Scope(ctx.scope)
        info = ClassInfo(qualname, worker, scope=scope)
        self._bind(node.name.value, Val(qual=qualname, obj=Class(info)))
        body_ctx = replace(ctx, scope=scope, prefix=qualname + ".", cls=info)
        self.ctx = body_ctx
        self._suite(node.body)
        self.ctx = ctx
        if worker and ctx.function is None and ctx.cls is None:
            name = node.name.value
            symbol = "default" if name == "Default" else name
            methods = tuple(m for m in info.methods if not m.startswith("_"))
            self.facts.entry_points.append(
                EntryPoint(symbol, qualname, "worker-entrypoint", self._header_loc(node), methods)
            )

    def _import(self: Analyzer, node: cst.Import) -> None:
        loc = self._loc(node)
        for alias in node.names:
            module = dotted_name(alias.name)
            if alias.asname is not None:
                local = dotted_name(alias.asname.name)
                self._bind(local, Val(qual=module, ref=True))
                names: tuple[tuple[str, str], ...] = (("*", local),)
            else:
                root = module.split(".")[0]
                self._bind(root, Val(qual=root, ref=True))
                names = (("*", module),)
            self._note_module(module)
            self.facts.imports.append(Import(module, names, loc))

    def _import_from(self: Analyzer, node: cst.ImportFrom) -> None:
        module = "." * len(node.relative) + (dotted_name(node.module) if node.module is not None else "")
        self._note_module(module)
        if isinstance(node.names, cst.ImportStar):
            self.facts.imports.append(Import(module, (("*", "*"),), self._loc(node)))
            return
        names = []
        for alias in node.names:
            name = dotted_name(alias.name)
            local = dotted_name(alias.asname.name) if alias.asname is not None else name
            qual = module + name if module.endswith(".") else f"{module}.{name}"
            self._bind(local, Val(qual=qual, ref=True))
            names.append((name, local))
        self.facts.imports.append(Import(module, tuple(names), self._loc(node)))

    def _note_module(self: Analyzer, module: str) -> None:
        if module.split(".")[0] in WORKER_MODULES:
            self.workers = True

    def _return(self: Analyzer, node: cst.Return) -> None:
        ctx = self.ctx
        value_node = node.value
        val = self._expr(value_node) if value_node is not None else None
        status = None
        if val is not None and val.items is not None:
            status = self._status(val.items.get("statusCode"))
        self._note("returned")
        if status is not None and status < 400:
            self._note("returned_ok")
        if val is not None and val.items is not None and "batchItemFailures" in val.items:
            self._note("failure")
        if ctx.function is None:
            return
        if val is not None and val.obj is not None:
            self.returns_obj[ctx.function] = Val(qual=val.qual, obj=val.obj)
        if val is not None and isinstance(val.obj, Response):
            return  # recorded where the Response was built
        loc = self._loc(node)
        value = self._value(value_node, val) if value_node is not None and val is not None else None
        keys: tuple[str, ...] = ()
        body = headers = None
        if val is not None and val.items is not None:
            keys = tuple(val.items)
            if "body" in val.items:
                body_node, body_val = val.items["body"]
                body = self._value(body_node, body_val)
            if "headers" in val.items:
                headers_node, headers_val = val.items["headers"]
                headers = self._value(headers_node, headers_val)
        self.facts.returns.append(Return(loc, ctx.function, status, value, keys, body, headers))
        if val is not None and val.sources and (ctx.entry or "statusCode" in keys):
            for src in sorted(val.sources):
                # a handler's parameters hold what the platform passes, not what a caller does
                if src.kind != links.PARAM or "statusCode" in keys:
                    self.facts.flows.append(Flow(src, "response", loc, ctx.function))

    def _status(self: Analyzer, item: tuple[cst.BaseExpression, Val] | None) -> int | None:
        if item is None:
            return None
        value = literal_value(item[0])
        if value is UNSET:
            value = item[1].const
        return value if type(value) is int else None
