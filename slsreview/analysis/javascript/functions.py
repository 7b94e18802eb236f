"""Functions and classes: parameters, what each one receives, bodies and callbacks.

What a parameter is bound to is the *handler shape*: the first parameter of a Lambda handler is
the event, a Worker's ``fetch(request, env, ctx)`` gets the Request and the env, a parameter
typed ``SQSEvent`` or named ``record`` is (part of) the event (``role_for``,
``looks_like_handler``). Named functions are analysed after the code around them
(``run_function``); anonymous callbacks in place, as part of the function that passes them
(``run_callback``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from slsreview.analysis import treesitter as ts
from slsreview.analysis.facts import FunctionDef, Source
from slsreview.analysis.javascript.reach import falls_through
from slsreview.analysis.javascript.state import trait
from slsreview.analysis.javascript.syntax import FUNCTION_TYPES
from slsreview.analysis.javascript.tables import (
    CONTEXT_PARAM_NAMES,
    EVENT_PARAM_NAMES,
    HANDLER_NAME,
    TYPE_ROLES,
    WORKER_BASES,
    WORKER_CLASS_INPUTS,
    WORKER_HANDLERS,
)
from slsreview.analysis.javascript.values import EMPTY, ClassInfo, Frame, Scope, Val
from slsreview.analysis.links import PARAM

Node = ts.Node
_kind = ts.kind
_named = ts.named_children
_by_id = ts.field_by_id

if TYPE_CHECKING:
    from slsreview.analysis.javascript.analyzer import Analyzer


@trait
class Functions:
    """Functions, classes and their parameters."""

    # -- functions --------------------------------------------------------------------------
    def params(self: Analyzer, node: Node) -> list[Node]:
        group = _by_id(node, self.fields.parameters)
        if group is not None:
            return [p for p in _named(group) if _kind(p) != "comment"]
        single = _by_id(node, self.fields.parameter)
        return [single] if single is not None else []

    def param_parts(self: Analyzer, param: Node) -> tuple[Node, str, str, Node | None]:
        """(pattern, name as FunctionDef shows it, type name, default value) of a parameter."""
        pattern, type_name, default = param, "", None
        kind = _kind(param)
        if kind in ("required_parameter", "optional_parameter"):
            pattern = _by_id(param, self.fields.pattern) or param
            default = _by_id(param, self.fields.value)
            annotation = _by_id(param, self.fields.type)
            if annotation is not None:
                match = re.match(r"\s*:?\s*([A-Za-z_$][\w$.]*)", self.text(annotation))
                type_name = match.group(1) if match else ""
        if _kind(pattern) == "assignment_pattern":
            default = _by_id(pattern, self.fields.right)
            pattern = _by_id(pattern, self.fields.left) or pattern
        if _kind(pattern) == "rest_pattern" and _named(pattern):
            return pattern, "..." + self.text(_named(pattern)[0]), type_name, default
        return pattern, self.text(pattern), type_name, default

    def is_async(self: Analyzer, node: Node) -> bool:
        for child in ts.children(node):
            kind = _kind(child)
            if kind == "async":
                return True
            if kind in (
                "formal_parameters",
                "identifier",
                "statement_block",
                "property_identifier",
            ):
                return False
        return False

    def bind_params(
        self: Analyzer,
        node: Node,
        qualname: str | None,
        cls: ClassInfo | None,
        roles: list[Val | None] | None,
    ) -> tuple[str, ...]:
        parts = [self.param_parts(param) for param in self.params(node)]
        handler = roles is None and self.looks_like_handler(
            qualname, [(name, type_name) for _, name, type_name, _ in parts]
        )
        names = []
        for index, (pattern, name, type_name, default) in enumerate(parts):
            names.append(name)
            role = roles[index] if roles is not None and index < len(roles) else None
            if role is None:
                role = self.role_for(index, (name, type_name), qualname, cls, handler)
            if role is not None and not role.sources and role.kind in ("event", "env"):
                role = self.root(pattern, role)
            if default is not None:
                fallback = self.visit(default)
                role = role or fallback
            if role is None and qualname is not None:
                # what the callers pass (linked by Facts, slsreview.analysis.links)
                role = Val(sources=(Source(PARAM, f"{qualname}#{index}", self.loc(pattern)),))
                self.facts.links = True
            self.bind(pattern, role or EMPTY)
        return tuple(names)

    def role_for(
        self: Analyzer,
        index: int,
        param: tuple[str, str],
        qualname: str | None,
        cls: ClassInfo | None,
        handler: bool,
    ) -> Val | None:
        """What a parameter receives, from where its function sits, then its type and name.

        ``handler``: the function is an exported Lambda handler (see ``looks_like_handler``).
        """
        name, type_name = param
        method = qualname.rsplit(".", 1)[-1] if qualname else ""
        owner = qualname.rsplit(".", 1)[0] if qualname and "." in qualname else ""
        if cls is not None and cls.worker:  # WorkerEntrypoint / DurableObject: env is this.env
            if index == 0 and method == "fetch":
                return Val("event", data="request")
            if index == 0 and method in WORKER_CLASS_INPUTS:
                return Val("event")
        elif self.entry_kinds.get(owner) in ("default-export", "on-fetch") and (
            method in WORKER_HANDLERS
        ):  # export default { fetch(request, env, ctx) {...} }
            if index == 0:
                return Val("event", data="request" if method == "fetch" else None)
            if index == 1:
                return Val("env", data="worker-env")
        elif handler and index == 0:
            return Val("event")
        if type_name:
            if type_name in TYPE_ROLES:
                kind, data = TYPE_ROLES[type_name]
                if kind != "ctx" or self.hono:
                    return Val(kind, data=data)
            elif type_name.endswith(("Event", "EventV2")):
                return Val("event")  # APIGatewayProxyEvent, SQSEvent... from @types/aws-lambda
            elif type_name.endswith("Record") and type_name[:1].isupper():
                return Val("event", path=("records",))  # SQSRecord, DynamoDBRecord...
        if name in ("event", "evt"):
            return Val("event")
        if name == "record":
            return Val("event", path=("records",))
        if self.worker_file:
            if name == "request":
                return Val("event", data="request")
            if name == "env":
                return Val("env", data="worker-env")
            if name == "c" and self.hono:
                return Val("ctx")
        return None

    def looks_like_handler(
        self: Analyzer, qualname: str | None, params: list[tuple[str, str]]
    ) -> bool:
        """An exported function a Lambda runtime would call with the event.

        Exporting alone is not enough (library modules export helpers too): it must be wrapped
        as a handler, be named like one, or take the event/context by name or type.
        """
        if qualname is None or self.entry_kinds.get(qualname) != "function":
            return False
        if qualname in self.wrapped or HANDLER_NAME.search(qualname.rsplit(".", 1)[-1]):
            return True
        first = params[0] if params else ("", "")
        second = params[1][0] if len(params) > 1 else ""
        return (
            first[0] in EVENT_PARAM_NAMES
            or first[1].endswith(("Event", "EventV2"))
            or second in CONTEXT_PARAM_NAMES
        )

    def run_function(
        self: Analyzer,
        node: Node,
        qualname: str,
        scope: Scope,
        *,
        cls: ClassInfo | None = None,
        roles: list[Val | None] | None = None,
    ) -> None:
        """Analyse a named function's body, after the code around it (a function nested in it
        runs from here too: one level deeper)."""
        depth = self.deeper()
        saved = (
            self.scope,
            self.frame,
            self.try_stack,
            self.loops,
            self.catch,
            self.throw_to,
            self.guards,
            self.this,
            self.hint,
        )
        self.scope = Scope(scope)
        self.frame = Frame(qualname, entry=qualname in self.entry_qualnames)
        self.try_stack, self.loops, self.catch, self.throw_to = [], [], None, None
        self.guards = frozenset[str]()
        self.hint = None
        if cls is not None:
            self.this = Val("this", data=cls)
        try:
            params = self.bind_params(node, qualname, cls, roles)
            self.body(node)
            self.run_pending(self.frame)
            self.facts.functions.append(
                FunctionDef(
                    qualname,
                    self.loc(node),
                    params,
                    self.is_async(node),
                    tuple(dict.fromkeys(self.frame.calls)),
                    exported=qualname in self.entry_qualnames,
                    falls_through=falls_through(node, _by_id(node, self.fields.body), self.text),
                )
            )
        finally:
            (
                self.scope,
                self.frame,
                self.try_stack,
                self.loops,
                self.catch,
                self.throw_to,
                self.guards,
                self.this,
                self.hint,
            ) = saved
            self.depth = depth - 1

    def body(self: Analyzer, node: Node) -> None:
        body = _by_id(node, self.fields.body)
        if body is None:
            return
        if _kind(body) == "statement_block":
            statements = _named(body)
            self.hoist(statements, self.prefix())
            for statement in statements:
                self.visit(statement)
        else:  # an arrow function's expression body is its return value
            v = self.visit(body)
            self.returned(body, v, explicit=False)

    def run_callback(self: Analyzer, node: Node, roles: list[Val | None] | None) -> None:
        """Analyse an anonymous function in place, as part of the function that passes it."""
        depth = self.deeper()
        saved = self.scope, self.hint, self.guards
        self.scope = Scope(self.scope)
        self.frame.callback_depth += 1
        self.hint = None
        try:
            self.bind_params(node, None, None, roles)
            self.body(node)
        finally:
            self.frame.callback_depth -= 1
            self.scope, self.hint, self.guards = saved
            self.depth = depth - 1

    def x_function(self: Analyzer, node: Node) -> Val:
        roles, self.param_roles = self.param_roles, None
        if self.hint is not None and self.at_module_level():
            name, self.hint = self.hint, None
            return self.defer(node, name, roles=roles)
        self.run_callback(node, roles)
        return Val("fn")

    def s_function_declaration(self: Analyzer, node: Node) -> Val:
        name = _by_id(node, self.fields.name)
        if name is None:
            return EMPTY
        v = self.defer(node, self.prefix() + self.text(name))
        self.scope.vars[self.text(name)] = v
        return v

    # -- classes ----------------------------------------------------------------------------
    def s_class(self: Analyzer, node: Node, name: str | None = None) -> Val:
        name_node = _by_id(node, self.fields.name)
        if name is None:
            name = self.text(name_node) if name_node is not None else "default"
        worker = False
        for child in _named(node):
            if _kind(child) == "class_heritage":
                base = self.text(child).replace("extends", "", 1).strip()
                base_name = re.split(r"[<\s({]", base, maxsplit=1)[0].rsplit(".", 1)[-1]
                local = self.scope.lookup(base_name)
                # extends WorkerEntrypoint, or a class of this file that does
                worker = base_name in WORKER_BASES or (
                    local is not None and local.kind == "class" and isinstance(local.data, ClassInfo) and local.data.worker
                )
        cls = ClassInfo(self.prefix() + name, worker)
        if worker:
            self.worker_file = True
        v = Val("class", data=cls, fn=cls.qualname)
        if name_node is not None:
            self.scope.vars[name] = v
        body = _by_id(node, self.fields.body)
        if body is None:
            return v
        decorators: list[Node] = []
        saved_this, self.this = self.this, Val("this", data=cls)
        try:
            for member in _named(body):
                kind = _kind(member)
                if kind == "decorator":
                    decorators.append(member)
                elif kind == "method_definition":
                    method = _by_id(member, self.fields.name)
                    if method is None:
                        continue
                    method_name = self.text(method)
                    qualname = f"{cls.qualname}.{method_name}"
                    cls.methods.append(method_name)
                    self.frame.pending.append((member, qualname, self.scope, cls, None))
                    self.decorate(decorators, qualname)
                    decorators = []
                elif kind in ("public_field_definition", "field_definition"):
                    field_name = _by_id(member, self.fields.name) or _by_id(
                        member, self.fields.property
                    )
                    init = _by_id(member, self.fields.value)
                    if field_name is None or init is None:
                        continue
                    key = self.text(field_name)
                    if _kind(self.unwrap(init)) in FUNCTION_TYPES:
                        qualname = f"{cls.qualname}.{key}"
                        cls.methods.append(key)
                        self.frame.pending.append(
                            (self.unwrap(init), qualname, self.scope, cls, None)
                        )
                        self.decorate(decorators, qualname)
                    else:
                        cls.fields[key] = self.visit(init)
                    decorators = []
                else:
                    self.visit(member)
        finally:
            self.this = saved_this
        return v

    def decorate(self: Analyzer, decorators: list[Node], target: str) -> None:
        for decorator in decorators:
            for expression in _named(decorator):
                v = self.visit(expression)
                if v.kind == "mw":
                    name, args = v.data
                    self.wrappers.append((name, target, self.loc(decorator), args))
