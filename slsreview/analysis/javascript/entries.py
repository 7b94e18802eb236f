"""Imports, ``require``, exports and entry points.

Imports bind local names to qualified ones (``import { PutCommand } from "@aws-sdk/lib-dynamodb"``
makes ``PutCommand`` mean ``@aws-sdk/lib-dynamodb.PutCommand``); importing a Workers framework
marks the file as a Worker's. Exports decide the ``EntryPoint`` facts: ``export const handler``,
``exports.handler = ...``, ``module.exports = {...}``, ``export default { fetch() {} }``,
a ``WorkerEntrypoint``/``DurableObject`` class, and service-worker ``addEventListener("fetch")``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from slsreview.analysis import treesitter as ts
from slsreview.analysis.facts import EntryPoint, Import, ModuleSyntax
from slsreview.analysis.javascript.state import trait
from slsreview.analysis.javascript.syntax import (
    CLASS_TYPES,
    FUNCTION_DECLARATIONS,
    FUNCTION_TYPES,
    UNWRAP,
)
from slsreview.analysis.javascript.tables import (
    WORKER_HANDLERS,
)
from slsreview.analysis.javascript.values import EMPTY, ClassInfo, Val, normalise_module, qualify
from slsreview.vocabulary.libraries import WORKERS_RUNTIME

Node = ts.Node
_kind = ts.kind
_named = ts.named_children
_by_id = ts.field_by_id

if TYPE_CHECKING:
    from slsreview.analysis.javascript.analyzer import Analyzer


@trait
class Entries:
    """Imports, exports and entry points."""

    # -- imports ----------------------------------------------------------------------------
    def module_syntax(self: Analyzer, system: Literal["esm", "commonjs"], what: str, node: Node) -> None:
        """Note where the file first uses a module system."""
        loc = self.loc(node)
        seen = self.facts.module_syntax
        for index, known in enumerate(seen):
            if known.system == system:
                if (loc.line, loc.column) < (known.loc.line, known.loc.column):
                    seen[index] = ModuleSyntax(system, what, loc)
                return
        seen.append(ModuleSyntax(system, what, loc))

    def s_import(self: Analyzer, node: Node) -> Val:
        source = _by_id(node, self.fields.source)
        require_clause = any(_kind(c) == "import_require_clause" for c in _named(node))
        if require_clause:  # `import x = require("m")` is TypeScript's CommonJS
            self.module_syntax("commonjs", "require", node)
        else:
            self.module_syntax("esm", "import", node)
        if any(_kind(c) == "type" for c in ts.children(node)[:2]):
            return EMPTY  # `import type {...}`: erased at compile time
        clause = next(
            (c for c in _named(node) if _kind(c) in ("import_clause", "import_require_clause")),
            None,
        )
        if clause is not None and _kind(clause) == "import_require_clause":
            source = _by_id(clause, self.fields.source)
        if source is None:
            return EMPTY
        module = self.string_value(source)
        if module is None:
            return EMPTY
        names: list[tuple[str, str]] = []
        if clause is not None:
            for part in _named(clause):
                kind = _kind(part)
                if kind == "identifier":
                    names.append(
                        (
                            "*" if _kind(clause) == "import_require_clause" else "default",
                            self.text(part),
                        )
                    )
                elif kind == "namespace_import":
                    for local in _named(part):
                        names.append(("*", self.text(local)))
                elif kind == "named_imports":
                    specs = [s for s in _named(part) if _kind(s) == "import_specifier"]
                    if specs and len(_named(clause)) == 1 and all(self.text(s).startswith("type ") for s in specs):
                        return EMPTY  # `import { type A, type B } from "m"`: erased too
                    for spec in specs:
                        if self.text(spec).startswith("type "):
                            continue
                        original, alias = (
                            _by_id(spec, self.fields.name),
                            _by_id(spec, self.fields.alias),
                        )
                        if original is None:
                            continue
                        names.append(
                            (
                                self.prop_name(original) or self.text(original),
                                self.text(alias or original),
                            )
                        )
        self.add_import(module, names, node)
        return EMPTY

    def add_import(self: Analyzer, module: str, names: list[tuple[str, str]], node: Node) -> None:
        self.facts.imports.append(Import(module, tuple(names), self.loc(node)))
        normal = normalise_module(module)
        self.note_module(normal)
        for imported, local in names:
            if module == WORKERS_RUNTIME and imported == "env":
                # `import { env } from "cloudflare:workers"`: the Worker's env, anywhere in the file
                self.scope.vars[local] = Val("env", data="worker-env")
                continue
            self.scope.vars[local] = Val(
                "mod", qual=qualify(normal, imported), data=(module, imported)
            )

    def note_module(self: Analyzer, module: str) -> None:
        """Importing a Workers framework makes this a Worker's file."""
        if module in ("hono", "itty-router") or module.startswith(
            ("cloudflare:", "@cloudflare/", "hono/", "agents")
        ):
            self.worker_file = True
            self.hono = self.hono or module == "hono" or module.startswith("hono/")

    def require(self: Analyzer, node: Node, arguments: Node | None) -> Val:
        args = self.args(arguments)
        if not args or not args[0][1].lit or not isinstance(args[0][1].literal, str):
            self.add_call(node, "", "require", args)
            return EMPTY
        module = args[0][1].literal
        self.module_syntax("commonjs", "require", node)
        self.facts.imports.append(Import(module, tuple(self.require_names(node)), self.loc(node)))
        self.note_module(normalise_module(module))
        return Val("mod", qual=normalise_module(module), data=(module, "*"))

    def require_names(self: Analyzer, node: Node) -> list[tuple[str, str]]:
        """What a ``require`` is bound to: ``const x = require(m)``, ``const {a: b} = ...``."""
        parent = ts.parent(node)
        while parent is not None and _kind(parent) in UNWRAP | {"await_expression"}:
            parent = ts.parent(parent)
        if parent is None or _kind(parent) != "variable_declarator":
            return []
        pattern = _by_id(parent, self.fields.name)
        if pattern is None:
            return []
        if _kind(pattern) == "identifier":
            return [("*", self.text(pattern))]
        names = []
        if _kind(pattern) == "object_pattern":
            for child in _named(pattern):
                if _kind(child) == "shorthand_property_identifier_pattern":
                    names.append((self.text(child), self.text(child)))
                elif _kind(child) == "pair_pattern":
                    key, value = _by_id(child, self.fields.key), _by_id(child, self.fields.value)
                    if key is not None and value is not None:
                        names.append((self.prop_name(key) or self.text(key), self.text(value)))
        return names

    def call_require(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        return self.require(node, arguments)

    # -- exports and entry points -----------------------------------------------------------
    def s_export(self: Analyzer, node: Node) -> Val:
        self.module_syntax("esm", "export", node)
        declaration = _by_id(node, self.fields.declaration)
        value = _by_id(node, self.fields.value)
        source = _by_id(node, self.fields.source)
        is_default = any(_kind(c) == "default" for c in ts.children(node))
        clause = next((c for c in _named(node) if _kind(c) == "export_clause"), None)
        if declaration is not None:
            kind = _kind(declaration)
            if is_default:
                self.export_default(declaration, node)
            elif kind in FUNCTION_DECLARATIONS:
                v = self.visit(declaration)
                name = _by_id(declaration, self.fields.name)
                if name is not None and v.fn:
                    self.add_entry(self.text(name), v.fn, "function", declaration)
            elif kind in CLASS_TYPES:
                v = self.s_class(declaration)
                cls = v.data
                if isinstance(cls, ClassInfo) and cls.worker:
                    self.add_entry(
                        cls.qualname,
                        cls.qualname,
                        "worker-entrypoint",
                        declaration,
                        tuple(m for m in cls.methods if m != "constructor"),
                    )
            elif kind in ("lexical_declaration", "variable_declaration"):
                self.visit(declaration)
                for declarator in _named(declaration):
                    name = _by_id(declarator, self.fields.name)
                    if _kind(declarator) != "variable_declarator" or name is None:
                        continue
                    if _kind(name) == "identifier":
                        var = self.text(name)
                        self.export_value(var, self.scope.lookup(var) or EMPTY, declarator)
            else:
                self.visit(declaration)
        elif value is not None:
            self.export_default(value, node)
        elif clause is not None:
            module = self.string_value(source) if source is not None else None
            names: list[tuple[str, str]] = []
            for spec in _named(clause):
                local, alias = _by_id(spec, self.fields.name), _by_id(spec, self.fields.alias)
                if local is None:
                    continue
                local_name = self.prop_name(local) or self.text(local)
                symbol = (
                    self.prop_name(alias) or self.text(alias) if alias is not None else local_name
                )
                names.append((local_name, symbol))
                if module is not None:
                    # a Worker re-exports its Durable Object / Workflow classes by name
                    worker_class = self.worker_file and symbol[:1].isupper()
                    kind = "worker-entrypoint" if worker_class else "function"
                    self.add_entry(symbol, local_name, kind, spec)
                else:
                    v = self.scope.lookup(local_name) or EMPTY
                    self.export_value(symbol, v, spec, local=local_name)
            if module is not None:
                self.facts.imports.append(Import(module, tuple(names), self.loc(node)))
        elif source is not None:  # export * from "./x"
            module = self.string_value(source)
            if module is not None:
                self.facts.imports.append(Import(module, (("*", "*"),), self.loc(node)))
        return EMPTY

    def export_value(
        self: Analyzer, symbol: str, v: Val, node: Node, local: str | None = None
    ) -> None:
        """An exported name: an entry point when it is something a platform can call."""
        if symbol == "default":  # export { worker as default }
            self.export_default_value(v, local or symbol, node)
        elif v.kind in ("fn", "middy") and v.fn:
            self.add_entry(symbol, v.fn, "function", node)
        elif v.kind == "mod" and v.data and str(v.data[0]).startswith("."):
            self.add_entry(
                symbol, v.data[1] if v.data[1] not in ("*", "default") else symbol, "function", node
            )
        elif v.kind == "class" and isinstance(v.data, ClassInfo) and v.data.worker:
            cls = v.data
            self.add_entry(
                symbol,
                cls.qualname,
                "worker-entrypoint",
                node,
                tuple(m for m in cls.methods if m != "constructor"),
            )

    def export_default(self: Analyzer, value: Node, node: Node) -> None:
        inner = self.unwrap(value)
        kind = _kind(inner)
        if kind in FUNCTION_DECLARATIONS or kind in FUNCTION_TYPES:
            name = _by_id(inner, self.fields.name)
            qualname = self.text(name) if name is not None else "default"
            if name is not None:
                self.scope.vars[qualname] = Val("fn", fn=qualname)
            self.defer(inner, qualname)
            self.add_entry("default", qualname, "function", inner)
            return
        if kind in CLASS_TYPES:
            v = self.s_class(inner)
            cls = v.data
            assert isinstance(cls, ClassInfo)
            methods = tuple(m for m in cls.methods if m != "constructor")
            self.add_entry(
                "default",
                cls.qualname,
                "worker-entrypoint" if cls.worker else "default-export",
                inner,
                methods,
            )
            return
        self.worker_file = self.worker_file or kind == "object"
        v = self.visit_named(value, "default")
        if v.kind != "obj" and self.hinted is not None:
            v = self.hinted  # `export default wrap({ fetch() {} })`
        self.hinted = None
        self.export_default_value(v, "default" if kind != "identifier" else self.text(inner), inner)

    def export_default_value(self: Analyzer, v: Val, name: str, node: Node) -> None:
        if v.kind == "obj":
            methods, refs = [], []
            for key, (_, pv) in (v.props or {}).items():
                if pv.kind in ("fn", "middy") or (pv.kind == "" and key in WORKER_HANDLERS):
                    methods.append(key)
                    if pv.fn and pv.fn != f"{name}.{key}":
                        refs.append(pv.fn)
            self.worker_file = True
            self.add_entry("default", name, "default-export", node, tuple(methods))
            self.entry_refs[name] = refs
        elif v.kind in ("fn", "middy") and v.fn:
            self.add_entry("default", v.fn, "function", node)
        elif v.kind == "class" and isinstance(v.data, ClassInfo):
            cls = v.data
            self.add_entry(
                "default",
                cls.qualname,
                "worker-entrypoint" if cls.worker else "default-export",
                node,
                tuple(m for m in cls.methods if m != "constructor"),
            )
        elif v.kind == "mod" and v.data and str(v.data[0]).startswith("."):
            # re-exported from a sibling module: name what it is there
            imported = v.data[1] if v.data[1] != "*" else "default"
            self.add_entry("default", imported, "default-export", node)
        else:  # a Hono app, an itty router, `export default Sentry.withSentry(...)`...
            self.worker_file = True
            self.add_entry(
                "default", name, "default-export", node, ("fetch",) if v.kind == "app" else ()
            )
            self.entry_refs[name] = self.module_refs

    def add_entry(
        self: Analyzer,
        symbol: str,
        qualname: str,
        kind: Any,
        node: Node,
        methods: tuple[str, ...] = (),
    ) -> None:
        self.entries[symbol] = EntryPoint(symbol, qualname, kind, self.loc(node), methods)
        self.entry_kinds[qualname] = kind
        self.entry_qualnames.add(qualname)
        self.entry_qualnames.update(f"{qualname}.{m}" for m in methods)

    def call_add_event_listener(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        """Service-worker syntax: ``addEventListener("fetch", event => ...)``."""
        args_node = [a for a in _named(arguments)] if arguments is not None else []
        event = self.string_value(args_node[0]) if args_node else None
        if event in ("fetch", "scheduled", "queue") and len(args_node) >= 2:
            listener = self.unwrap(args_node[1])
            self.worker_file = True
            qualname = f"default.{event}"
            existing = self.entries.get("default")
            methods = (existing.methods if existing and existing.kind == "on-fetch" else ()) + (
                event,
            )
            self.add_entry("default", "default", "on-fetch", node, methods)
            self.entry_qualnames.add(qualname)
            if _kind(listener) in FUNCTION_TYPES:
                self.defer(
                    listener,
                    qualname,
                    roles=[Val("fetchevt") if event == "fetch" else Val("event")],
                )
            else:
                v = self.visit(listener)
                if v.fn:
                    self.entry_refs.setdefault("default", []).append(v.fn)
            self.add_call(node, "", "addEventListener", [(a, EMPTY) for a in args_node])
            return EMPTY
        return self.plain_call(node, "addEventListener", None, arguments, False)
