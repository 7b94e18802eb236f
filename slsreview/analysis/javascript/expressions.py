"""What an expression's value is: literals, names, members, operators.

Literals give literal values; names resolve through the scopes (an unknown name is a global
``mod`` value: ``JSON``, ``crypto``); members extend what their object is (``event.body`` is the
event source ``body``, ``process.env.X`` an environment read, ``env.KV`` a Workers binding,
``env.HYPERDRIVE.connectionString`` a binding source); operators merge sources, record
``Comparison`` facts, and turn presence tests (``if (env.X)``, ``env.X ?? d``) into guards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slsreview.analysis import treesitter as ts
from slsreview.analysis.facts import Comparison, Source
from slsreview.analysis.javascript.state import trait
from slsreview.analysis.javascript.syntax import COMPARISONS, ESCAPES, FUNCTION_TYPES, LOGICAL
from slsreview.analysis.javascript.tables import (
    HYPERDRIVE_PROPS,
)
from slsreview.analysis.javascript.values import (
    EMPTY,
    UNDEFINED,
    PendingEnvRead,
    Val,
    event_source,
    extend_path,
    merged,
    plain,
    union,
)
from slsreview.analysis.links import param_fields
from slsreview.vocabulary import files

Node = ts.Node
_kind = ts.kind
_named = ts.named_children
_by_id = ts.field_by_id

if TYPE_CHECKING:
    from slsreview.analysis.javascript.analyzer import Analyzer


@trait
class Expressions:
    """Literals, names, members and operators."""

    # -- literals ---------------------------------------------------------------------------
    def x_number(self: Analyzer, node: Node) -> Val:
        raw = self.text(node).replace("_", "")
        try:
            number: int | float = int(raw[:-1] if raw.endswith("n") else raw, 0)
        except ValueError:
            try:
                number = float(raw)
            except ValueError:
                return EMPTY
        return Val(literal=number, lit=True)

    def string_value(self: Analyzer, node: Node) -> str | None:
        kind = _kind(node)
        if kind == "string":
            parts = []
            for child in _named(node):
                if _kind(child) == "escape_sequence":
                    raw = self.text(child)
                    parts.append(ESCAPES.get(raw[1:], raw[1:]) if len(raw) == 2 else raw)
                else:
                    parts.append(self.text(child))
            return "".join(parts)
        if kind == "template_string":
            if any(_kind(c) == "template_substitution" for c in _named(node)):
                return None
            return self.text(node)[1:-1]
        return None

    def x_string(self: Analyzer, node: Node) -> Val:
        raw = self.text(node)
        if "\\" not in raw:  # no escapes: the text between the quotes is the value
            if files.TEMP_PREFIX in raw[:6] and temp_path(raw[1:-1]):
                # named by the whole literal: "/tmp/model.bin" is one fixed file
                return Val(sources=(Source("tmp", raw[1:121], self.loc(node)),), literal=raw[1:-1], lit=True)
            return Val(literal=raw[1:-1], lit=True)
        return Val(literal=self.string_value(node), lit=True)

    def x_template(self: Analyzer, node: Node) -> Val:
        sources: tuple[Source, ...] = ()
        literal = True
        for child in _named(node):
            if _kind(child) == "template_substitution":
                literal = False
                sources = union(sources, self.generic(child).sources)
        text = self.text(node)
        if files.TEMP_PREFIX in text[:6] and temp_path(text[1:]):
            sources = union(sources, (Source("tmp", files.TEMP_PREFIX, self.loc(node)),))
        if literal:
            return Val(sources=sources, literal=text[1:-1], lit=True)
        return plain(sources)

    def prop_name(self: Analyzer, node: Node) -> str | None:
        kind = _kind(node)
        if kind in (
            "property_identifier",
            "identifier",
            "private_property_identifier",
            "shorthand_property_identifier",
            "number",
            "type_identifier",
        ):
            return self.text(node)
        if kind == "string":
            return self.string_value(node)
        if kind == "computed_property_name":
            inner = _named(node)
            if inner:
                v = self.visit(inner[0])
                if v.lit and isinstance(v.literal, str):
                    return v.literal
        return None

    def x_object(self: Analyzer, node: Node) -> Val:
        prefix: str | None = None
        if self.hint is not None and self.at_module_level() and self.has_functions(node):
            prefix, self.hint = self.hint, None
        props: dict[str, tuple[Node, Val]] = {}
        sources: tuple[Source, ...] = ()
        literal: dict[str, Any] | None = {}
        for child in _named(node):
            kind = _kind(child)
            if kind == "pair":
                key_node, value = _by_id(child, self.fields.key), _by_id(child, self.fields.value)
                if key_node is None or value is None:
                    continue
                key = self.prop_name(key_node)
                if (
                    prefix is not None
                    and key is not None
                    and _kind(inner := self.unwrap(value)) in FUNCTION_TYPES
                ):
                    v = self.defer(inner, f"{prefix}.{key}" if prefix else key)
                else:
                    v = self.visit(value)
            elif kind == "shorthand_property_identifier":
                key, value = self.text(child), child
                v = self.visit(child)
            elif kind == "method_definition":
                name = _by_id(child, self.fields.name)
                key, value = (self.text(name) if name is not None else None), child
                if prefix is not None and key is not None:
                    v = self.defer(child, f"{prefix}.{key}" if prefix else key)
                else:
                    self.run_callback(child, None)
                    v = Val("fn")
            elif kind == "spread_element":
                inner_nodes = _named(child)
                spread = self.visit(inner_nodes[0]) if inner_nodes else EMPTY
                if spread.kind == "obj" and spread.props:
                    props.update(spread.props)
                sources = union(sources, spread.sources)
                literal = None
                continue
            else:
                continue
            if key is None:
                literal = None
                sources = union(sources, v.sources)
                continue
            props[key] = (value, v)
            if v.sources:
                sources = union(sources, v.sources)
            if literal is not None:
                if v.lit:
                    literal[key] = v.literal
                else:
                    literal = None
        out = Val("obj", sources, props=props, literal=literal, lit=literal is not None)
        if prefix is not None:
            self.hinted = out
        return out

    def has_functions(self: Analyzer, node: Node) -> bool:
        for child in _named(node):
            if _kind(child) == "method_definition":
                return True
            if _kind(child) == "pair":
                value = _by_id(child, self.fields.value)
                if value is not None and _kind(self.unwrap(value)) in FUNCTION_TYPES:
                    return True
        return False

    def x_array(self: Analyzer, node: Node) -> Val:
        values = [self.visit(c) for c in _named(node) if _kind(c) != "comment"]
        if all(v.lit for v in values):
            return Val(literal=[v.literal for v in values], lit=True)
        return Val(sources=merged(values), data=values)

    # -- names and members ------------------------------------------------------------------
    def x_identifier(self: Analyzer, node: Node) -> Val:
        name = self.text(node)
        found = self.scope.lookup(name)
        if found is not None:
            if found.kind == "fn" and found.fn and self.frame is self.module:
                self.module_refs.append(found.fn)
            return found
        if name == "undefined":
            return UNDEFINED
        v = self.globals.get(name)
        if v is None:
            v = self.globals[name] = Val("mod", qual=name)
        return v

    def x_member(self: Analyzer, node: Node) -> Val:
        obj, prop = _by_id(node, self.fields.object), _by_id(node, self.fields.property)
        if obj is None or prop is None:
            return self.generic(node)
        ov = self.visit(obj)
        optional = _by_id(node, self.fields.optional_chain) is not None
        if optional and ov.env_read is not None:
            ov.env_read.guarded = True
        return self.member(ov, self.text(prop), node, optional=optional)

    def x_subscript(self: Analyzer, node: Node) -> Val:
        obj, index = _by_id(node, self.fields.object), _by_id(node, self.fields.index)
        if obj is None or index is None:
            return self.generic(node)
        ov = self.visit(obj)
        optional = _by_id(node, self.fields.optional_chain) is not None
        if optional and ov.env_read is not None:
            ov.env_read.guarded = True
        iv = self.visit(index)
        if iv.lit and isinstance(iv.literal, str):
            return self.member(ov, iv.literal, node, optional=optional)
        if ov.kind == "env":  # env[name]: any variable may be read
            return self.env_member(ov, "*", node, optional)
        if iv.lit or ov.kind == "event":
            return self.element(ov)
        if ov.kind == "obj":
            return plain(ov.sources)
        return plain(ov.sources)

    def member(
        self: Analyzer,
        v: Val,
        prop: str,
        node: Node,
        *,
        optional: bool = False,
        default: bool = False,
    ) -> Val:
        """The value of ``v.prop`` (``node`` is where it is read)."""
        kind = v.kind
        if prop == "length" and kind in ("", "envvar", "event"):
            return EMPTY  # a count says nothing of the value, as Python's len() does not
        if kind == "":
            fields = param_fields(v.sources, prop) if v.sources else None
            if fields is not None:  # order.id of a parameter: what the callers pass as id
                return Val(sources=tuple(fields))
            return plain(v.sources)
        if kind == "mod":
            qual = f"{v.qual}.{prop}"
            if qual in ("process.env", "import.meta.env"):
                return Val("env", (Source("env", "*", self.loc(node)),), data=qual)
            return Val("mod", qual=qual, data=v.data and (v.data[0], prop))
        if kind == "env":
            return self.env_member(v, prop, node, optional, default)
        if kind == "event":
            return self.event_member(v, prop, node)
        if kind == "obj":
            found = (v.props or {}).get(prop)
            return found[1] if found is not None else plain(v.sources)
        if kind == "envvar":
            if prop in HYPERDRIVE_PROPS:
                binding = v.data
                self.binding_props.append(
                    (
                        binding,
                        prop,
                        self.loc(node),
                        self.frame.qualname,
                        optional or binding in self.guards,
                    )
                )
                return Val(sources=(Source("binding", f"{binding}.{prop}", self.loc(node)),))
            return plain(v.sources)
        if kind in ("this", "inst", "class"):
            cls = v.data
            if prop == "env" and cls.worker and kind == "this":
                return self.root(node, Val("env", data="worker-env"))
            if prop in cls.fields:
                return cls.fields[prop]
            if prop in cls.methods:
                return Val("fn", fn=f"{cls.qualname}.{prop}")
            return EMPTY
        if kind == "ctx":
            if prop == "env":
                return self.root(node, Val("env", data="worker-env"))
            if prop == "req":
                return self.event_root(node, "hono-req")
            return EMPTY
        if kind == "fetchevt":
            if prop == "request":
                return Val(
                    "event",
                    v.sources or (Source("event", "event", self.loc(node)),),
                    data="request",
                )
            return plain(v.sources)
        if kind == "stripe":
            return Val("stripe", data=(*v.data, prop))
        if kind == "response":
            return EMPTY
        if kind == "signal":  # controller.signal
            return v
        return plain(v.sources)

    def env_member(
        self: Analyzer, v: Val, name: str, node: Node, optional: bool = False, default: bool = False
    ) -> Val:
        via = v.data
        read = PendingEnvRead(name, self.loc(node), self.frame.qualname, via)
        read.guarded = optional or default or name in self.guards
        read.has_default = default
        self.env_reads.append(read)
        source = (Source("env", name, read.loc),)
        if via == "worker-env":
            return Val("envvar", source, data=name, env_read=read)
        return Val(sources=source, env_read=read)

    def event_member(self: Analyzer, v: Val, prop: str, node: Node) -> Val:
        flavour = v.data
        if flavour == "request":
            if prop == "headers":
                return Val(
                    "event",
                    (event_source(("headers",), self.loc(node)),),
                    path=("headers",),
                    data="headers",
                )
            if prop in ("url", "method", "cf", "body"):
                return Val("event", (event_source((prop,), self.loc(node)),), path=(prop,))
        elif flavour == "url":
            if prop == "searchParams":
                path: tuple[str, ...] = ("queryStringParameters",)
                return Val("event", (event_source(path, self.loc(node)),), path=path, data="params")
            if prop == "pathname":
                return Val("event", (event_source(("path",), self.loc(node)),), path=("path",))
        elif flavour == "hono-req" and prop == "raw":
            return Val("event", v.sources, data="request")
        new_path = extend_path(v.path, prop)
        return Val("event", (event_source(new_path, self.loc(node)),), path=new_path)

    def root(self: Analyzer, node: Node, role: Val) -> Val:
        """The event or env object a parameter receives, as a source located at the parameter."""
        if role.kind == "env":
            return Val("env", (Source("env", "*", self.loc(node)),), data=role.data)
        source = event_source(role.path, self.loc(node))
        return Val("event", (source,), path=role.path, data=role.data)

    def event_root(self: Analyzer, node: Node, flavour: str | None = None) -> Val:
        return self.root(node, Val("event", data=flavour))

    def element(self: Analyzer, v: Val) -> Val:
        """An element of an array value: the event's records keep their path."""
        if v.kind == "event":
            return Val("event", v.sources, path=v.path, data=None)
        return plain(v.sources)

    def either(self: Analyzer, a: Val, b: Val) -> Val:
        """``a ?? b``: a's shape when it has one, the sources of both."""
        if not b.sources:
            return a
        if not a.sources and a.kind == "":
            return b
        return self.with_sources(a, union(a.sources, b.sources))

    def with_sources(self: Analyzer, v: Val, sources: tuple[Source, ...]) -> Val:
        return Val(
            v.kind,
            sources,
            qual=v.qual,
            path=v.path,
            props=v.props,
            literal=v.literal,
            lit=v.lit and not sources,
            fn=v.fn,
            data=v.data,
            env_read=v.env_read,
        )

    # -- operators --------------------------------------------------------------------------
    def x_await(self: Analyzer, node: Node) -> Val:
        inner = next((c for c in _named(node) if _kind(c) != "comment"), None)
        if inner is None:
            return EMPTY
        inner = self.unwrap(inner)
        if _kind(inner) == "call_expression":
            return self.x_call(inner, awaited=True)
        return self.visit(inner)

    def x_binary(self: Analyzer, node: Node) -> Val:
        operator = _by_id(node, self.fields.operator)
        left, right = _by_id(node, self.fields.left), _by_id(node, self.fields.right)
        if operator is None or left is None or right is None:
            return self.generic(node)
        op = _kind(operator)
        if op in LOGICAL:
            return self.logical(op, left, right)
        if op in ("+", "-", "*", "/", "%", "**", "|", "&", "^", "<<", ">>", ">>>"):
            return self.arithmetic(node)
        lv, rv = self.visit(left), self.visit(right)
        if op in COMPARISONS:
            self.facts.comparisons.append(
                Comparison(
                    op,
                    self.value(left, lv),
                    self.value(right, rv),
                    self.loc(node),
                    self.frame.qualname,
                )
            )
            absent = rv.lit and rv.literal in (None, "undefined")
            subject = (
                lv if absent else (rv if lv.lit and lv.literal in (None, "undefined") else None)
            )
            if subject is not None:
                reads, negated = self.guard_of(subject)
                if reads:
                    return Val(guard=(reads, negated ^ (op in ("==", "==="))))
            return EMPTY
        if op == "in" and rv.kind == "env" and lv.lit and isinstance(lv.literal, str):
            read = self.env_member(rv, lv.literal, left)
            return Val(guard=((read.env_read,), False)) if read.env_read else EMPTY
        return plain(union(lv.sources, rv.sources))

    def arithmetic(self: Analyzer, node: Node) -> Val:
        # Long concatenations nest to the left; walk the spine without recursing into it.
        spine = []
        current = node
        while _kind(current) == "binary_expression":
            operator = _by_id(current, self.fields.operator)
            if operator is None or _kind(operator) in LOGICAL or _kind(operator) in COMPARISONS:
                break
            spine.append(current)
            left = _by_id(current, self.fields.left)
            if left is None:
                break
            current = left
        sources = self.visit(current).sources if current is not node else ()
        for part in reversed(spine):
            right = _by_id(part, self.fields.right)
            if right is not None:
                sources = union(sources, self.visit(right).sources)
        return plain(sources)

    def logical(self: Analyzer, op: str, left: Node, right: Node) -> Val:
        lv = self.visit(left)
        reads, negated = self.guard_of(lv) if op != "??" else ((), False)
        saved = self.guards
        if op == "&&" and reads and not negated:
            self.guards = saved | {r.name for r in reads}
        try:
            rv = self.visit(right)
        finally:
            self.guards = saved
        if op in ("??", "||") and lv.env_read is not None:
            lv.env_read.has_default = True
            lv.env_read.guarded = True
        out = self.either(lv, rv) if op != "&&" else self.either(rv, lv)
        right_reads, right_negated = (
            rv.guard
            if rv.guard is not None
            else ((rv.env_read,), False)
            if rv.env_read
            else ((), False)
        )
        if reads or right_reads:
            out = self.with_sources(out, out.sources)
            out.guard = (tuple(reads) + tuple(right_reads), negated and right_negated)
        return out

    def guard_of(self: Analyzer, v: Val) -> tuple[tuple[PendingEnvRead, ...], bool]:
        if v.guard is not None:
            reads, negated = v.guard
        elif v.env_read is not None:
            reads, negated = (v.env_read,), False
        else:
            return (), False
        for read in reads:
            read.guarded = True
        return reads, negated

    def x_unary(self: Analyzer, node: Node) -> Val:
        operator = _by_id(node, self.fields.operator)
        argument = _by_id(node, self.fields.argument)
        if argument is None:
            return EMPTY
        op = _kind(operator) if operator is not None else ""
        if op == "delete":
            target = self.unwrap(argument)
            if _kind(target) in ("subscript_expression", "member_expression"):
                self.container_write(_by_id(target, self.fields.object), target)
        v = self.visit(argument)
        if op in ("!", "typeof"):
            if v.guard is not None:
                reads, negated = v.guard
            elif v.env_read is not None:
                reads, negated = (v.env_read,), False
            else:
                return EMPTY
            return Val(guard=(reads, not negated if op == "!" else negated))
        return plain(v.sources)

    def x_ternary(self: Analyzer, node: Node) -> Val:
        condition = _by_id(node, self.fields.condition)
        consequence = _by_id(node, self.fields.consequence)
        alternative = _by_id(node, self.fields.alternative)
        cv = self.visit(condition) if condition is not None else EMPTY
        reads, negated = self.guard_of(cv)
        saved = self.guards
        if reads and not negated:
            self.guards = saved | {r.name for r in reads}
        try:
            a = self.visit(consequence) if consequence is not None else EMPTY
        finally:
            self.guards = saved
        b = self.visit(alternative) if alternative is not None else EMPTY
        if a.lit and b.lit:
            return plain(())
        return self.either(a, b) if a.kind else self.either(b, a)


def temp_path(text: str) -> bool:
    """``/tmp``, or a path under it (not ``/tmpfoo``): ``text`` may go on past the path."""
    prefix = files.TEMP_PREFIX
    return text.startswith(prefix) and (len(text) == len(prefix) or text[len(prefix)] in "/'\"`$")
