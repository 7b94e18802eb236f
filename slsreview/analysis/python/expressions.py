"""Expressions: what each evaluates to (``Val``), names, attributes and subscripts (a place in
the event narrows its ``Source``: ``event["headers"]["X-Key"]`` is ``headers.x-key``),
operators, comprehensions, comparisons (``Comparison`` facts) and environment reads.

    >>> facts = analyze_python("a.py", "import os\\nKEY = os.environ['KEY']\\n")
    >>> [(r.name, r.via) for r in facts.env_reads]
    [('KEY', 'os.environ')]
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

import libcst as cst

from slsreview.analysis import links
from slsreview.analysis.common import deeper_place, event_source
from slsreview.analysis.facts import Comparison, EnvRead, Source
from slsreview.analysis.python.state import State
from slsreview.analysis.python.syntax import literal_value, text_literal
from slsreview.analysis.python.tables import EVENT_ATTRS, LOGGING_LEVEL_NAMES
from slsreview.analysis.python.values import (
    NO_SOURCES,
    NOTHING,
    UNSET,
    Aws,
    Binding,
    EventRoot,
    Fn,
    Instance,
    Resolver,
    Stripe,
    Val,
    Via,
    WorkerEnv,
    copy_val,
    union_sources,
)
from slsreview.vocabulary import files, payments, workers
from slsreview.vocabulary.spelling import camel

if TYPE_CHECKING:
    from slsreview.analysis.python.analyzer import Analyzer


class Expressions(State):
    def _expr(self: Analyzer, node: cst.BaseExpression, awaited: bool = False) -> Val:
        if awaited and type(node) is cst.Call:
            return self._call(node, awaited=True)
        handler = self.expr_dispatch.get(type(node))
        if handler is None:
            return self._generic(node)
        return handler(node)

    def _generic(self: Analyzer, node: cst.CSTNode) -> Val:
        vals = [self._expr(c) for c in node.children if isinstance(c, cst.BaseExpression)]
        return Val(union_sources(vals)) if vals else NOTHING

    def _nothing(self: Analyzer, node: cst.BaseExpression) -> Val:
        return NOTHING

    def _name(self: Analyzer, node: cst.Name) -> Val:
        val = self._lookup(node.value)
        if val is None:
            return Val(qual=node.value)  # a builtin, or defined where we cannot see
        obj = val.obj
        if isinstance(obj, Fn):
            # a local function named (called, or handed to something that will call it:
            # process_partial_response(record_handler=fn), executor.submit(fn)) is reachable
            self.ctx.calls[obj.qualname] = None
        elif isinstance(obj, EventRoot):
            src = event_source(obj.path, self._loc(node))
            return Val(frozenset((src,)), path=obj.path, path_src=src)
        if val.qual == "os.environ" and not val.sources:
            return self._environ(val, node)
        return val

    def _environ(self: Analyzer, val: Val, node: cst.CSTNode) -> Val:
        """``os.environ`` as a whole holds every environment value."""
        return copy_val(val, sources=frozenset((Source("env", "*", self._loc(node)),)))

    def _attribute(self: Analyzer, node: cst.Attribute) -> Val:
        return self._member(self._expr(node.value), node.attr.value, node)

    def _member(self: Analyzer, val: Val, attr: str, node: cst.CSTNode) -> Val:
        """``val.attr`` read as a value (``val.attr(...)`` is a call: see ``_call``)."""
        obj = val.obj
        if isinstance(obj, WorkerEnv):
            return self._binding_read(attr, node)
        if isinstance(obj, Binding):
            return self._binding_property(obj, attr, node)
        if isinstance(obj, Instance):
            info = obj.info
            if info.worker and attr == workers.ENV_NAME:
                return Val(qual="env", obj=WorkerEnv())
            if info.scope is not None and attr in info.scope.names:
                return info.scope.names[attr]
            return Val(qual=f"{info.qualname}.{attr}")
        if isinstance(obj, Aws) and attr == "meta":  # resource.meta.client
            return Val(qual=f"{val.qual}.meta", obj=Aws("meta", obj.service, credentials=obj.credentials))
        if isinstance(obj, Aws) and obj.role == "meta" and attr == "client":
            return Val(qual=f"{val.qual}.client", obj=Aws("client", obj.service, credentials=obj.credentials))
        if isinstance(obj, Aws):  # bucket.objects: a collection of resources
            collection = self._aws_collection(val, obj, attr)
            if collection is not None:
                return collection
            self._aws_attribute_load(val, obj, attr, node)
        if isinstance(obj, Stripe):  # client.payment_intents, client.v1.payment_intents
            if attr in payments.STRIPE_API_VERSIONS:
                return val
            return Val(qual=f"{val.qual}.{attr}", obj=Stripe((*obj.resource, attr)))
        if isinstance(obj, Resolver) and attr == "current_event":
            src = event_source((), self._loc(node))
            return Val(frozenset((src,)), path=(), path_src=src)
        if val.path is not None:
            segment = EVENT_ATTRS.get(attr, camel(attr))
            return self._narrow(val, segment, node) if segment else val
        if val.qual is not None:
            qual = f"{val.qual}.{attr}"
            if qual == "os.environ":
                return self._environ(Val(qual=qual, ref=True), node)
            if qual.startswith("http.HTTPStatus.") and attr in HTTPStatus.__members__:
                return Val(qual=qual, ref=val.ref, const=HTTPStatus[attr].value)
            if qual.startswith("logging.") and attr in LOGGING_LEVEL_NAMES:
                return Val(qual=qual, ref=True, const=attr.lower())
            return Val(val.sources, qual, ref=val.ref)
        return self._field(val, attr)

    @staticmethod
    def _field(val: Val, key: Any) -> Val:
        """A field of a value outside the event: a parameter's field is a parameter source of
        its own (``order.id``: what the callers pass as ``id``), anything else the whole value."""
        if isinstance(key, str) and val.sources:
            fields = links.param_fields(val.sources, key)
            if fields is not None:
                return Val(frozenset(fields))
        return val.carried()

    def _narrow(self: Analyzer, val: Val, segment: str, node: cst.CSTNode) -> Val:
        """``event["headers"]``: a deeper place in the event replaces the shallower source."""
        path = (*val.path, segment) if val.path is not None else (segment,)
        src = event_source(path, self._loc(node))
        return Val(self._replace_path_src(val, src, segment), path=path, path_src=src)

    @staticmethod
    def _replace_path_src(val: Val, src: Source, segment: str | None = None) -> frozenset[Source]:
        """The sources of a deeper place: the shallower place (read here or in an earlier
        assignment to the same name, such as a reused loop variable) gives way to ``src``; with
        ``segment``, the other event places the value holds go one field deeper too."""
        shallow = val.path_src
        out = {src}
        for s in val.sources:
            if shallow is not None and s.name == shallow.name and s.kind == shallow.kind:
                continue
            out.add(deeper_place(s, segment, src.loc) if segment is not None and _place(s) else s)
        return frozenset(out)

    def _event_field(self: Analyzer, val: Val, key: str, node: cst.CSTNode) -> Val | None:
        """``[key]`` or ``.get(key)`` of a value that holds event places but is no one place
        (``json.loads(event["body"]) if ... else event``): each place one field deeper."""
        if val.obj is not None or not any(_place(s) for s in val.sources):
            return None
        loc = self._loc(node)
        return Val(frozenset(deeper_place(s, key, loc) if _place(s) else s for s in val.sources))

    def _index(self: Analyzer, node: cst.Subscript, write: cst.CSTNode | None = None) -> tuple[Any, bool]:
        """Evaluate a subscript's index; (its literal key, whether it is a single index). With
        ``write``, the subscript is assigned (``seen[key] = True``): a keyed write of module state."""
        first = node.slice[0].slice
        if len(node.slice) == 1 and type(first) is cst.Index:
            key = literal_value(first.value)
            if key is UNSET or write is not None:
                val = self._expr(first.value)
                if write is not None:
                    self._state_access(node.value, "write", first.value, val, write)
                return (val.const if key is UNSET else key), True
            return key, True
        for element in node.slice:
            inner = element.slice
            if type(inner) is cst.Index:
                parts: tuple[cst.BaseExpression | None, ...] = (inner.value,)
            elif type(inner) is cst.Slice:
                parts = (inner.lower, inner.upper, inner.step)
            else:
                parts = ()
            for part in parts:
                if part is not None:
                    self._expr(part)
        return UNSET, False

    def _subscript(self: Analyzer, node: cst.Subscript) -> Val:
        val = self._expr(node.value)
        key, single = self._index(node)
        if val.qual == "os.environ":
            name = key if isinstance(key, str) else "*"
            return self._env_read(name, node, "os.environ", throws=True)
        if type(val.obj) is WorkerEnv:
            return self._binding_read(key if isinstance(key, str) else "*", node)
        if val.path is not None:
            if not single:
                return copy_val(val, qual=None, obj=None)  # a slice: the same place
            if isinstance(key, str):
                return self._narrow(val, key, node)
            return self._narrow(val, "[]" if isinstance(key, int) else "*", node)
        if val.items is not None and isinstance(key, str) and key in val.items:
            return val.items[key][1]
        if type(val.obj) is Aws:
            return val.carried()
        if single and isinstance(key, str) and val.qual is None:
            field = self._event_field(val, key, node)
            if field is not None:
                return field
        if val.qual is None:
            return self._field(val, key if single else None)
        return Val(val.sources, f"{val.qual}[]")

    def _string(self: Analyzer, node: cst.SimpleString) -> Val:
        """A string literal holds nothing tracked, unless it names the temporary folder."""
        raw = node.value
        if files.TEMP_PREFIX in raw[:8]:
            text = raw.lstrip("rRbBuU")
            quote = text[:3] if text[:3] in ('"""', "'''") else text[:1]
            text = text[len(quote) : len(text) - len(quote)]
            if _temp_path(text):  # named by the whole literal: "/tmp/model.bin" is one fixed file
                return Val(frozenset((Source("tmp", text[:120], self._loc(node)),)))
        return NOTHING

    def _concatenated(self: Analyzer, node: cst.ConcatenatedString) -> Val:
        left = self._expr(node.left)
        right = self._expr(node.right)
        return Val(left.sources | right.sources) if left.sources or right.sources else NOTHING

    def _fstring(self: Analyzer, node: cst.FormattedString) -> Val:
        vals = []
        for part in node.parts:
            if type(part) is cst.FormattedStringExpression:
                vals.append(self._expr(part.expression))
                if part.format_spec:
                    for spec in part.format_spec:
                        if type(spec) is cst.FormattedStringExpression:
                            vals.append(self._expr(spec.expression))
        sources = union_sources(vals)
        first = node.parts[0] if node.parts else None
        if type(first) is cst.FormattedStringText and _temp_path(first.value):
            sources = sources | {Source("tmp", files.TEMP_PREFIX, self._loc(node))}
        return Val(sources) if sources else NOTHING

    def _dict(self: Analyzer, node: cst.Dict) -> Val:
        items: dict[str, tuple[cst.BaseExpression, Val]] = {}
        vals = []
        for element in node.elements:
            if type(element) is cst.DictElement:
                key_val = self._expr(element.key)
                val = self._expr(element.value)
                vals.append(key_val)
                vals.append(val)
                key = literal_value(element.key)
                if isinstance(key, str):
                    items[key] = (element.value, val)
            else:
                vals.append(self._expr(element.value))  # **spread
        return Val(union_sources(vals), items=items)

    def _sequence(self: Analyzer, node: cst.List | cst.Tuple | cst.Set) -> Val:
        sources = union_sources([self._expr(element.value) for element in node.elements])
        return Val(sources) if sources else NOTHING

    def _binary(self: Analyzer, node: cst.BinaryOperation) -> Val:
        # `a + b + c` nests to the left; walk the chain without recursing once per operand
        operands = [node.right]
        left = node.left
        while type(left) is cst.BinaryOperation:
            operands.append(left.right)
            left = left.left
        operands.append(left)
        sources = union_sources([self._expr(operand) for operand in reversed(operands)])
        return Val(sources) if sources else NOTHING

    def _boolean(self: Analyzer, node: cst.BooleanOperation) -> Val:
        # `a or b` is one of them: keep what either is (a client, a place in the event)
        left = self._expr(node.left)
        right = self._expr(node.right)
        if not right.sources and right.obj is None:
            return left
        if not left.sources and left.obj is None:
            return right
        return Val(
            left.sources | right.sources,
            left.qual or right.qual,
            obj=left.obj or right.obj,
            path=left.path,
            path_src=left.path_src,
        )

    def _unary(self: Analyzer, node: cst.UnaryOperation) -> Val:
        val = self._expr(node.expression)
        return NOTHING if type(node.operator) is cst.Not else val.carried()

    def _ifexp(self: Analyzer, node: cst.IfExp) -> Val:
        self._expr(node.test)  # the condition decides, it does not flow
        body = self._expr(node.body)
        orelse = self._expr(node.orelse)
        return Val(body.sources | orelse.sources) if body.sources or orelse.sources else NOTHING

    def _await(self: Analyzer, node: cst.Await) -> Val:
        return self._expr(node.expression, awaited=True)

    def _lambda(self: Analyzer, node: cst.Lambda) -> Val:
        self._expr(node.body)
        return NOTHING

    def _yield(self: Analyzer, node: cst.Yield) -> Val:
        value = node.value
        if isinstance(value, cst.From):
            self._expr(value.item)
        elif value is not None:
            self._expr(value)
        return NOTHING

    def _walrus(self: Analyzer, node: cst.NamedExpr) -> Val:
        val = self._expr(node.value)
        self._target(node.target, val)
        return val

    def _comprehension(self: Analyzer, node: cst.BaseComp) -> Val:
        comp: cst.CompFor | None = node.for_in
        loops = self.ctx.loops
        depth = len(loops)
        while comp is not None:
            iterable = self._expr(comp.iter)
            self._target(comp.target, self._element(iterable, comp.iter))
            loops.append(self._iterated(iterable, comp.iter))  # [f(r) for r in records] runs f per record
            for condition in comp.ifs:
                self._expr(condition.test)
            comp = comp.inner_for_in
        if isinstance(node, cst.DictComp):
            sources = self._expr(node.key).sources | self._expr(node.value).sources
        elif isinstance(node, cst.BaseSimpleComp):
            sources = self._expr(node.elt).sources
        else:
            sources = NO_SOURCES
        del loops[depth:]
        return Val(sources) if sources else NOTHING

    def _comparison(self: Analyzer, node: cst.Comparison) -> Val:
        left_node: cst.BaseExpression = node.left
        left = self._expr(left_node)
        for target in node.comparisons:
            right_node = target.comparator
            right = self._expr(right_node)
            operator = type(target.operator)
            if operator is cst.Equal or operator is cst.NotEqual:
                self.facts.comparisons.append(
                    Comparison(
                        "==" if operator is cst.Equal else "!=",
                        self._value(left_node, left),
                        self._value(right_node, right),
                        self._loc(node),
                        self.ctx.function,
                    )
                )
            elif operator in (cst.In, cst.NotIn) and right.qual == "os.environ":
                name = text_literal(left_node, left)
                if name is not None:  # "X" in os.environ: a presence check
                    self._env_read(name, node, "os.environ", guarded=True)
            elif operator in (cst.In, cst.NotIn):
                self._state_access(right_node, "check", left_node, left, node)
            left_node, left = right_node, right
        return NOTHING

    def _env_read(
        self,
        name: str,
        node: cst.CSTNode,
        via: Via,
        *,
        throws: bool = False,
        guarded: bool = False,
        has_default: bool = False,
    ) -> Val:
        loc = self._loc(node)
        in_test = self.guard_names is not None
        if self.guard_names is not None:
            self.guard_names.add(name)  # the body of this if/while may rely on it
        guarded = (
            guarded or has_default or (in_test and not throws) or any(name in g for g in self.ctx.guards)
        )
        self.facts.env_reads.append(EnvRead(name, loc, self.ctx.function, via, "value", guarded, has_default))
        return Val(frozenset((Source("env", name, loc),)))


def _temp_path(text: str) -> bool:
    """``/tmp``, or a path under it (not ``/tmpfoo``)."""
    prefix = files.TEMP_PREFIX
    return text.startswith(prefix) and (len(text) == len(prefix) or text[len(prefix)] in "/'\"")


def _place(source: Source) -> bool:
    """A place in the event itself (``body``, ``headers.x``), not data derived from one."""
    return source.kind == "event" and not source.via
