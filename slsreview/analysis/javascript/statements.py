"""Statements: declarations, destructuring, assignments, control flow, try/catch, returns.

Destructuring gives each name its part of a value (``const { body } = event`` binds ``body`` to
``event.body``); ``if (!env.KEY) return`` marks later reads of ``KEY`` as guarded; a ``try``
becomes a ``TryBlock`` whose catch clause is classified (re-raise, return an error, record the
failure, log only, swallow); ``return`` records a ``Return`` and, from an entry point, a
``response`` flow. Writes to module-level containers become ``ModuleState``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from slsreview.analysis import treesitter as ts
from slsreview.analysis.common import required_methods
from slsreview.analysis.facts import Return, StateAccess, TryBlock
from slsreview.analysis.javascript.state import trait
from slsreview.analysis.javascript.syntax import CLASS_TYPES, FUNCTION_TYPES
from slsreview.analysis.javascript.values import (
    EMPTY,
    UNDEFINED,
    Catch,
    Val,
    literal_status,
    plain,
    to_seconds,
    union,
)
from slsreview.analysis.links import PARAM

Node = ts.Node
_kind = ts.kind
_named = ts.named_children
_by_id = ts.field_by_id

if TYPE_CHECKING:
    from slsreview.analysis.javascript.analyzer import Analyzer


_EXITS = frozenset({"return_statement", "throw_statement", "continue_statement", "break_statement"})
_BLOCKS = frozenset({"statement_block", "program", "switch_case", "switch_default"})

@trait
class Statements:
    """Declarations, assignments, control flow, tries and returns."""

    # -- statements -------------------------------------------------------------------------
    def s_declarator(self: Analyzer, node: Node) -> Val:
        name = _by_id(node, self.fields.name)
        value = _by_id(node, self.fields.value)
        if name is None:
            return EMPTY
        if value is None:
            if _kind(name) == "identifier":
                self.scope.vars[self.text(name)] = EMPTY
            return EMPTY
        inner = self.unwrap(value)
        if _kind(name) != "identifier":
            v = self.visit(value)
            self.bind(name, v)
            return EMPTY
        var = self.text(name)
        if _kind(inner) in FUNCTION_TYPES:
            v = self.defer(inner, self.prefix() + var)
            self.scope.vars[var] = v
            return EMPTY
        module_level = self.at_module_level()
        if _kind(inner) in CLASS_TYPES:
            v = self.s_class(inner, var)
        else:
            v = self.visit_named(value, var) if module_level else self.visit(value)
        self.scope.vars[var] = v
        if module_level:
            container = self.container_kind(inner)
            if container is not None:
                self.containers[var] = (container, self.loc(node))
        return EMPTY

    def visit_named(self: Analyzer, value: Node, name: str) -> Val:
        """A module-level value bound to ``name``: the first anonymous function in it takes the
        name (``const handler = withSentry(async (event) => ...)`` defines ``handler``), and
        when the value is otherwise opaque, it *is* that function, wrapped."""
        self.hint, self.hinted, self.hint_ref = name, None, None
        try:
            v = self.visit(value)
        finally:
            named = self.hint is None  # a function (or object of methods) took the name
            self.hint = None
        if v.kind in ("fn", "middy", "obj", "app", "class") or self.hinted is not None:
            return v
        if named:
            return Val("fn", v.sources, fn=name)
        if self.hint_ref is not None:  # withDurableExecution(handler) runs handler
            return Val("fn", v.sources, fn=self.hint_ref)
        return v

    def container_kind(self: Analyzer, node: Node) -> str | None:
        kind = _kind(node)
        if kind == "object":
            return "object"
        if kind == "array":
            return "array"
        if kind == "new_expression":
            ctor = _by_id(node, self.fields.constructor)
            if ctor is not None and _kind(ctor) == "identifier":
                name = self.text(ctor)
                if name in ("Map", "Set", "WeakMap", "WeakSet"):
                    return name.replace("Weak", "")
        return None

    def bind(self: Analyzer, pattern: Node, v: Val) -> None:
        """Give the names in a binding pattern their part of ``v``."""
        depth = self.deeper()
        kind = _kind(pattern)
        if kind in ("identifier", "shorthand_property_identifier_pattern"):
            self.scope.vars[self.text(pattern)] = v
        elif kind == "object_pattern":
            for child in _named(pattern):
                ckind = _kind(child)
                if ckind == "shorthand_property_identifier_pattern":
                    key = self.text(child)
                    self.scope.vars[key] = self.member(v, key, child)
                elif ckind == "pair_pattern":
                    key_node, target = (
                        _by_id(child, self.fields.key),
                        _by_id(child, self.fields.value),
                    )
                    if key_node is None or target is None:
                        continue
                    name = self.prop_name(key_node)
                    part = self.member(v, name, key_node) if name is not None else plain(v.sources)
                    self.bind_default(target, part)
                elif ckind == "object_assignment_pattern":
                    left, right = _by_id(child, self.fields.left), _by_id(child, self.fields.right)
                    if left is None:
                        continue
                    part = self.member(v, self.text(left), left, default=True)
                    fallback = self.visit(right) if right is not None else EMPTY
                    self.bind(left, self.either(part, fallback))
                elif ckind == "rest_pattern":
                    for inner in _named(child):
                        self.bind(inner, plain(v.sources) if v.kind == "env" else v)
        elif kind == "array_pattern":
            element = self.element(v)
            for child in _named(pattern):
                self.bind_default(child, element)
        elif kind in (
            "assignment_pattern",
            "rest_pattern",
            "required_parameter",
            "optional_parameter",
        ):
            self.bind_default(pattern, v)
        self.depth = depth - 1

    def bind_default(self: Analyzer, pattern: Node, v: Val) -> None:
        kind = _kind(pattern)
        if kind == "assignment_pattern":
            left, right = _by_id(pattern, self.fields.left), _by_id(pattern, self.fields.right)
            if left is not None:
                fallback = self.visit(right) if right is not None else EMPTY
                if v.env_read is not None:
                    v.env_read.has_default = v.env_read.guarded = True
                self.bind(left, self.either(v, fallback))
        elif kind == "rest_pattern":
            for inner in _named(pattern):
                self.bind(inner, v)
        elif kind in ("required_parameter", "optional_parameter"):
            nested = _by_id(pattern, self.fields.pattern)
            if nested is not None:
                self.bind(nested, v)
        else:
            self.bind(pattern, v)

    def s_return(self: Analyzer, node: Node) -> Val:
        argument = next((c for c in _named(node) if _kind(c) != "comment"), None)
        v = self.visit(argument) if argument is not None else UNDEFINED
        self.returned(argument or node, v, explicit=True)
        return EMPTY

    def returned(self: Analyzer, node: Node, v: Val, explicit: bool) -> None:
        """A value leaves the function: note what a catch does, and record the Return."""
        catch = self.catch
        if catch is not None:
            status = self.status_of(v)
            if status is not None:
                catch.returns = catch.returns or status >= 400
            elif explicit and not v.lit and v.kind not in ("fn",):
                catch.returns = True
        if self.frame.callback_depth or v.kind == "response" or self.frame is self.module:
            return
        props = v.props if v.kind == "obj" and v.props else {}
        status_pair = props.get("statusCode") or props.get("status")
        body_pair = props.get("body")
        headers_pair = props.get("headers")
        keys = tuple(props)
        ret = Return(
            self.loc(node),
            self.frame.qualname,
            literal_status(status_pair[1]) if status_pair else None,
            self.value(node, v),
            keys,
            self.value(*body_pair) if body_pair else None,
            self.value(*headers_pair) if headers_pair else None,
        )
        self.facts.returns.append(ret)
        if "statusCode" in props:
            self.flows(v.sources, "response", ret.loc, None)
        elif self.frame.entry:
            # what an exported function returns is a response when the platform calls it, and
            # then its parameters hold what the platform passes, not what a caller does
            self.flows(tuple(s for s in v.sources if s.kind != PARAM), "response", ret.loc, None)

    def status_of(self: Analyzer, v: Val) -> int | None:
        if v.kind == "response":
            return v.data if isinstance(v.data, int) else None
        if v.kind == "obj" and v.props:
            pair = v.props.get("statusCode") or v.props.get("status")
            if pair is not None:
                return literal_status(pair[1])
        return None

    def s_throw(self: Analyzer, node: Node) -> Val:
        if self.throw_to is not None:
            self.throw_to.throws = True
        self.generic(node)
        return EMPTY

    def s_if(self: Analyzer, node: Node) -> Val:
        condition = _by_id(node, self.fields.condition)
        consequence = _by_id(node, self.fields.consequence)
        alternative = _by_id(node, self.fields.alternative)
        compared, called = len(self.facts.comparisons), len(self.facts.calls)
        cv = self.visit(condition) if condition is not None else EMPTY
        reads, negated = self.guard_of(cv)
        names = frozenset(r.name for r in reads)
        saved = self.guards
        required = required_methods(self.facts.comparisons[compared:])
        tested = tuple(c.callee for c in self.facts.calls[called:] if not c.name)
        if consequence is not None:
            if names and not negated:
                self.guards = saved | names
            saved_methods, saved_tests = self.methods, self.tests
            if required:
                self.methods = tuple(sorted(required))
            self.tests = saved_tests + tested
            self.visit(consequence)
            self.guards = saved
            self.methods, self.tests = saved_methods, saved_tests
        if alternative is not None:
            if names and negated:
                self.guards = saved | names
            self.visit(alternative)
            self.guards = saved
        if names and negated and consequence is not None and self.exits(consequence):
            # `if (!env.KEY) return ...;` guards everything after it in the function
            self.guards = saved | names
        return EMPTY

    def exits(self: Analyzer, node: Node) -> bool:
        kind = _kind(node)
        if kind in ("return_statement", "throw_statement"):
            return True
        if kind == "statement_block":
            statements = [c for c in _named(node) if _kind(c) != "comment"]
            depth = self.deeper()
            exits = bool(statements) and self.exits(statements[-1])
            self.depth = depth - 1
            return exits
        return False

    def s_for_in(self: Analyzer, node: Node) -> Val:
        left, right, body = (
            _by_id(node, self.fields.left),
            _by_id(node, self.fields.right),
            _by_id(node, self.fields.body),
        )
        rv = self.visit(right) if right is not None else EMPTY
        is_of = any(_kind(c) == "of" for c in ts.children(node))
        if left is not None:
            self.bind(left, self.element(rv) if is_of else EMPTY)
        if body is not None:
            self.loops.append(self.iterated(rv) if is_of else "")
            try:
                self.visit(body)
            finally:
                self.loops.pop()
        return EMPTY

    def s_loop(self: Analyzer, node: Node) -> Val:
        """``for (;;)``, ``while``, ``do``: a loop over nothing the facts can name."""
        self.loops.append("")
        try:
            return self.generic(node)
        finally:
            self.loops.pop()

    def iterated(self: Analyzer, v: Val) -> str:
        """What a loop over ``v`` iterates, for ``TryBlock.loops``: an event path or ""."""
        if v.kind == "event":
            return ".".join(v.path) if v.path else "event"
        return ""

    def s_try(self: Analyzer, node: Node) -> Val:
        body, handler = _by_id(node, self.fields.body), _by_id(node, self.fields.handler)
        finalizer = _by_id(node, self.fields.finalizer)
        if handler is None:
            if body is not None:
                self.visit(body)
            if finalizer is not None:
                self.visit(finalizer)
            return EMPTY
        try_id = self.next_try
        self.next_try += 1
        saved_throw = self.throw_to
        self.try_stack.append(try_id)
        self.throw_to = None  # a throw in the try body is caught here
        try:
            if body is not None:
                self.visit(body)
        finally:
            self.try_stack.pop()
            self.throw_to = saved_throw
        catch = Catch()
        saved_catch = self.catch
        self.catch = self.throw_to = catch
        try:
            parameter = _by_id(handler, self.fields.parameter)
            if parameter is not None:
                self.bind(parameter, EMPTY)
            handler_body = _by_id(handler, self.fields.body)
            if handler_body is not None:
                self.visit(handler_body)
        finally:
            self.catch, self.throw_to = saved_catch, saved_throw
        self.close_try(try_id, node, handler, catch, self.continues_after(node, handler))
        if finalizer is not None:
            self.visit(finalizer)
        return EMPTY

    def continues_after(self: Analyzer, node: Node, handler: Node) -> bool:
        """Whether code after the try runs when its catch completes (``TryBlock.continues``)."""
        body = _by_id(handler, self.fields.body)
        statements = [c for c in _named(body) if _kind(c) != "comment"] if body is not None else []
        if statements and _kind(statements[-1]) in _EXITS:
            return False
        return self.followed(node)

    def followed(self: Analyzer, node: Node) -> bool:
        """Whether another statement follows the statement ``node`` is (or is part of) in its block."""
        statement: Node | None = node
        while statement is not None and statement.parent is not None and _kind(statement.parent) not in _BLOCKS:
            statement = statement.parent
        if statement is None or statement.parent is None:
            return False
        sibling = statement.next_named_sibling
        while sibling is not None and _kind(sibling) == "comment":
            sibling = sibling.next_named_sibling
        return sibling is not None

    def close_try(
        self: Analyzer, try_id: int, node: Node, handler: Node, catch: Catch, continues: bool = False
    ) -> None:
        on_error = catch.on_error()
        if on_error == "reraise" and self.throw_to is not None:
            self.throw_to.throws = True
        if self.catch is not None:  # a try inside a catch: what it does, the outer catch does
            self.catch.logs |= catch.logs
            self.catch.records |= catch.records
            self.catch.returns |= catch.returns
        self.try_outcomes[try_id] = on_error
        self.facts.tries.append(
            TryBlock(
                try_id,
                self.loc(node),
                self.frame.qualname,
                on_error,
                self.loc(handler),
                tuple(self.loops),
                continues=continues,
            )
        )

    def current_try(self: Analyzer) -> int | None:
        return self.try_stack[-1] if self.try_stack else None

    def x_assignment(self: Analyzer, node: Node) -> Val:
        left, right = _by_id(node, self.fields.left), _by_id(node, self.fields.right)
        if left is None or right is None:
            return self.generic(node)
        left = self.unwrap(left)
        target = self.text(left) if _kind(left) == "member_expression" else ""
        export: str | None = None
        if target.startswith(("exports.", "module.exports.")) and self.at_module_level():
            export = target.rsplit(".", 1)[1]
        elif target == "module.exports" and self.at_module_level():
            export = ""
        inner = self.unwrap(right)
        if export and _kind(inner) in FUNCTION_TYPES:
            v = self.defer(inner, export)
        else:
            v = self.visit_named(right, export) if export is not None else self.visit(right)
        if export is not None:
            self.module_syntax("commonjs", "module.exports" if target.startswith("module.") else "exports", node)
        if export:
            self.export_value(export, v, node)
        elif export == "" and v.kind == "obj":
            for key, (_, pv) in (v.props or {}).items():
                self.export_value(key, pv, node)
        self.assign(left, v)
        return v

    def assign(self: Analyzer, left: Node, v: Val) -> None:
        kind = _kind(left)
        if kind == "identifier":
            name = self.text(left)
            owner = self.scope.owner(name) or self.scope
            old = owner.vars.get(name)
            # a later assignment may run or not: keep what reached the name before
            owner.vars[name] = (
                self.with_sources(v, union(old.sources, v.sources)) if old and old.sources else v
            )
        elif kind in ("member_expression", "subscript_expression"):
            obj = _by_id(left, self.fields.object)
            self.container_write(obj, left)
            ov = self.visit(obj) if obj is not None else EMPTY
            if kind == "member_expression":
                prop = _by_id(left, self.fields.property)
                name = self.text(prop) if prop is not None else ""
            else:
                index = _by_id(left, self.fields.index)
                iv = self.visit(index) if index is not None else EMPTY
                name = iv.literal if iv.lit and isinstance(iv.literal, str) else ""
            if ov.kind == "obj" and ov.props is not None and name:
                ov.props[name] = (left, v)
                ov.sources = union(ov.sources, v.sources)
            elif ov.kind == "this" and name:
                ov.data.fields[name] = v
            elif ov.kind == "mod" and name == "timeout" and ov.qual.endswith(".defaults"):
                self.axios_timeout = v  # axios.defaults.timeout = 5000
            elif ov.kind == "http" and name == "timeout":
                ov.data = (ov.data[0], True, to_seconds(v.literal) if v.lit else None)
        elif kind in ("object_pattern", "array_pattern"):
            self.bind(left, v)

    def x_augmented(self: Analyzer, node: Node) -> Val:
        left, right = _by_id(node, self.fields.left), _by_id(node, self.fields.right)
        rv = self.visit(right) if right is not None else EMPTY
        if left is not None:
            lv = self.visit(left)
            if _kind(left) == "identifier":
                self.assign(left, plain(union(lv.sources, rv.sources)))
            elif _kind(left) in ("member_expression", "subscript_expression"):
                self.container_write(_by_id(left, self.fields.object), left)
        return rv

    def container_access(self: Analyzer, obj: Node, where: Node, op: Literal["check", "write"]) -> None:
        """``seen.has(key)`` / ``seen.set(key, ...)`` on a module-level Map or Set inside a
        function: the key it is checked or written with (the call just recorded holds it)."""
        target = self.unwrap(obj)
        if _kind(target) != "identifier" or self.at_module_level():
            return
        name = self.text(target)
        if name not in self.containers or self.scope.owner(name) is not self.module_scope:
            return
        calls = self.facts.calls
        call = calls[-1] if calls else None
        if call is None or call.loc != self.loc(where) or not call.args:
            return
        access = StateAccess(op, call.args[0], call.function, call.loc)
        self.container_accesses.setdefault(name, []).append(access)

    def container_write(self: Analyzer, obj: Node | None, where: Node) -> None:
        """A write to ``obj``: module state when obj is a module-level container."""
        if obj is None or _kind(obj) != "identifier" or self.at_module_level():
            return
        name = self.text(obj)
        if name not in self.containers or self.scope.owner(name) is not self.module_scope:
            return
        function = self.frame.qualname or "<callback>"
        self.container_writes.setdefault(name, []).append((function, self.loc(where)))
