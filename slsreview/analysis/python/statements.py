"""Statements: assignments (and module-level containers: state that outlives an invocation),
control flow and the guards an ``if`` sets, ``with`` (``suppress`` is a try), ``match``, and
``try``/``except`` with what each handler does on error (``TryBlock.on_error``).

    >>> facts = analyze_python("a.py", "try:\\n    f()\\nexcept Exception:\\n    pass\\n")
    >>> [t.on_error for t in facts.tries]
    ['swallow']
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from slsreview.analysis.common import event_source, required_methods
from slsreview.analysis.facts import TryBlock
from slsreview.analysis.python.state import Handler, State
from slsreview.analysis.python.syntax import (
    MATCH_NODES,
    dotted_name,
    literal_value,
    pairwise,
    root_name,
)
from slsreview.analysis.python.tables import BROAD_ERRORS, CONTAINERS, JSON_ERRORS
from slsreview.analysis.python.values import (
    NO_SOURCES,
    NOTHING,
    Aws,
    Instance,
    OnError,
    StateKind,
    Val,
    merge,
)

if TYPE_CHECKING:
    from slsreview.analysis.python.analyzer import Analyzer


class Statements(State):
    def _stmt(self: Analyzer, node: cst.BaseStatement) -> None:
        handler = self.stmt_dispatch.get(type(node))
        if handler is not None:
            handler(node)

    def _suite(self: Analyzer, suite: cst.BaseSuite) -> None:
        if type(suite) is cst.IndentedBlock:
            last = len(suite.body) - 1
            for index, stmt in enumerate(suite.body):
                self.followed = index < last
                self._stmt(stmt)
        elif type(suite) is cst.SimpleStatementSuite:
            for small in suite.body:
                self._small(small)

    def _simple_line(self: Analyzer, node: cst.SimpleStatementLine) -> None:
        for small in node.body:
            self._small(small)

    def _small(self: Analyzer, node: cst.BaseSmallStatement) -> None:
        handler = self.small_dispatch.get(type(node))
        if handler is not None:
            handler(node)

    def _expr_stmt(self: Analyzer, node: cst.Expr) -> None:
        self._expr(node.value)

    def _assert(self: Analyzer, node: cst.Assert) -> None:
        self._expr(node.test)
        if node.msg is not None:
            self._expr(node.msg)

    def _global(self: Analyzer, node: cst.Global | cst.Nonlocal) -> None:
        if isinstance(node, cst.Global):
            self.ctx.globals.update(item.name.value for item in node.names)

    def _del(self: Analyzer, node: cst.Del) -> None:
        target = node.target
        targets = [e.value for e in target.elements] if isinstance(target, cst.Tuple | cst.List) else [target]
        for item in targets:
            if isinstance(item, cst.Subscript):
                self._expr(item.value)
                self._index(item)
                self._mutate(root_name(item), NO_SOURCES, item)

    def _assign(self: Analyzer, node: cst.Assign) -> None:
        value = node.value
        targets = [t.target for t in node.targets]
        pairs = pairwise(targets[0], value) if len(targets) == 1 else None
        if pairs is not None:  # a, b = x, y
            vals = [self._expr(right) for _, right in pairs]
            for (left, _), val in zip(pairs, vals, strict=True):
                self._target(left, val)
            return
        val = self._constant(value, self._expr(value))
        for target in targets:
            self._target(target, val, value)
        if self.ctx.function is None and self.ctx.cls is None and len(targets) == 1:
            self._module_container(targets[0], value, val, node)

    def _ann_assign(self: Analyzer, node: cst.AnnAssign) -> None:
        if node.value is None:
            return
        val = self._constant(node.value, self._expr(node.value))
        self._target(node.target, val)
        if self.ctx.function is None and self.ctx.cls is None:
            self._module_container(node.target, node.value, val, node)

    def _aug_assign(self: Analyzer, node: cst.AugAssign) -> None:
        val = self._expr(node.value)
        target = node.target
        if type(target) is cst.Name:
            current = self._lookup(target.value)
            self._bind(target.value, Val((current.sources if current else NO_SOURCES) | val.sources))
            if self._scope_of(target.value) is self.module_scope:
                self._mutate(target.value, NO_SOURCES, node)
        elif type(target) is cst.Subscript or type(target) is cst.Attribute:
            self._expr(target.value)
            if type(target) is cst.Subscript:
                self._index(target)
            self._mutate(root_name(target), val.sources, node)

    @staticmethod
    def _constant(node: cst.BaseExpression, val: Val) -> Val:
        """``TIMEOUT = 5``: a name assigned a literal remembers it (literals evaluate lazily)."""
        if type(node) in (cst.SimpleString, cst.Integer, cst.Float, cst.ConcatenatedString):
            return Val(const=literal_value(node))
        return val

    def _module_container(
        self, target: cst.BaseExpression, value: cst.BaseExpression, val: Val, node: cst.CSTNode
    ) -> None:
        """Remember module-level ``NAME = {}`` / ``set()`` / ``defaultdict(...)``: if a function
        writes to it, it is state that outlives an invocation."""
        if type(target) is not cst.Name:
            return
        kind: StateKind | None = None
        value_type = type(value)
        if value_type in (cst.Dict, cst.DictComp):
            kind = "dict"
        elif value_type in (cst.List, cst.ListComp):
            kind = "list"
        elif value_type in (cst.Set, cst.SetComp):
            kind = "set"
        elif value_type is cst.Call and self.last_site is not None and self.last_site.node is value:
            kind = CONTAINERS.get(self.last_site.qual or "")
        if kind is None:
            self.state.pop(target.value, None)
        else:
            self.state[target.value] = (kind, self._loc(node))

    def _target(self: Analyzer, target: cst.BaseExpression, val: Val, value: cst.BaseExpression | None = None) -> None:
        """Bind an assignment (or for, with, except) target to what is assigned (``value``, the
        assigned expression, when there is one)."""
        if type(target) is cst.Name:
            self._bind(target.value, val)
            if target.value in self.ctx.globals and target.value in self.state and self.ctx.function:
                # `global cache; cache = {...}` replaces module state from inside a function
                self.state_writes.setdefault(target.value, []).append((self.ctx.function, self._loc(target)))
        elif type(target) is cst.Tuple or type(target) is cst.List:
            element_val = self._element(val, target)
            for element in target.elements:
                self._target(element.value, element_val)
        elif type(target) is cst.StarredElement:
            self._target(target.value, val)
        elif type(target) is cst.Subscript:
            owner = self._expr(target.value)
            key, single = self._index(target, write=target)
            self._mutate(root_name(target), val.sources, target)
            if single and isinstance(key, str) and owner.items is not None and type(target.value) is cst.Name:
                # response["batchItemFailures"] = failures: the dict literal gains the key
                items = {**owner.items, key: (value if value is not None else target, val)}
                self._bind(target.value.value, Val(owner.sources | val.sources, owner.qual, obj=owner.obj, items=items))
        elif type(target) is cst.Attribute:
            owner = self._expr(target.value)
            if isinstance(owner.obj, Instance) and owner.obj.info.scope is not None:
                names = owner.obj.info.scope.names  # self.x = ...: an attribute of the class
                names[target.attr.value] = merge(names.get(target.attr.value), val)
            else:
                self._mutate(root_name(target), val.sources, target)

    def _if(self: Analyzer, node: cst.If) -> None:
        compared, called = len(self.facts.comparisons), len(self.facts.calls)
        names = self._test(node.test)
        required = required_methods(self.facts.comparisons[compared:])
        tested = [c.callee for c in self.facts.calls[called:] if not c.name]
        if names:
            self.ctx.guards.append(names)
        if required:
            self.ctx.methods.append(tuple(sorted(required)))
        self.ctx.tests.extend(tested)
        self._suite(node.body)
        del self.ctx.tests[len(self.ctx.tests) - len(tested) :]
        if required:
            self.ctx.methods.pop()
        if names:
            self.ctx.guards.pop()
        orelse = node.orelse
        if type(orelse) is cst.If:
            self._if(orelse)
        elif orelse is not None:
            self._suite(orelse.body)

    def _test(self: Analyzer, test: cst.BaseExpression) -> set[str]:
        """Evaluate an if/while test; the env names it reads guard the body."""
        saved, self.guard_names = self.guard_names, set()
        self._expr(test)
        names, self.guard_names = self.guard_names, saved
        return names

    def _while(self: Analyzer, node: cst.While) -> None:
        self._test(node.test)
        self.ctx.loops.append("")
        self._suite(node.body)
        self.ctx.loops.pop()
        if node.orelse is not None:
            self._suite(node.orelse.body)

    def _for(self: Analyzer, node: cst.For) -> None:
        iterable = self._expr(node.iter)
        self._target(node.target, self._element(iterable, node.iter))
        self.ctx.loops.append(self._iterated(iterable, node.iter))
        self._suite(node.body)
        self.ctx.loops.pop()
        if node.orelse is not None:
            self._suite(node.orelse.body)

    def _iterated(self: Analyzer, val: Val, node: cst.CSTNode) -> str:
        """What a loop over ``val`` iterates, for ``TryBlock.loops``: the event place or ""."""
        return event_source(val.path, self._loc(node)).name if val.path is not None else ""

    def _element(self: Analyzer, val: Val, node: cst.CSTNode) -> Val:
        """One element of an iterable value: a record of ``event["Records"]`` keeps its place,
        an item of a boto3 collection is a resource (``for obj in bucket.objects.all()``)."""
        if val.path is not None:
            path = (*val.path, "[]")
            src = event_source(path, self._loc(node))
            return Val(self._replace_path_src(val, src), path=path, path_src=src)
        obj = val.obj
        if type(obj) is Aws and obj.role == "collection" and obj.item:
            return Val(obj=Aws(obj.item, obj.service, credentials=obj.credentials))
        return val.carried()

    def _with(self: Analyzer, node: cst.With) -> None:
        suppress: cst.WithItem | None = None
        for item in node.items:
            val = self._expr(item.item, awaited=node.asynchronous is not None)
            if val.qual == "contextlib.suppress":
                suppress = item
            if item.asname is not None:
                self._target(item.asname.name, val)
        if suppress is None:
            self._suite(node.body)
            return
        # `with suppress(...)` is a try whose handler does nothing
        followed = self.followed
        tid = self._new_try()
        self.ctx.tries.append(tid)
        self._suite(node.body)
        self.ctx.tries.pop()
        caught: set[str] = set()
        if isinstance(suppress.item, cst.Call):
            for arg in suppress.item.args:
                caught |= self._caught(arg.value)
        self.try_handlers[tid] = [(bool(caught & JSON_ERRORS), "swallow")]
        where = self._loc(suppress.item)
        self.facts.tries.append(
            TryBlock(
                tid,
                self._loc(node),
                self.ctx.function,
                "swallow",
                where,
                tuple(self.ctx.loops),
                tuple(sorted(caught)),
                continues=followed,
            )
        )

    def _match(self: Analyzer, node: cst.Match) -> None:
        subject = self._expr(node.subject)
        for case in node.cases:
            self._pattern(case.pattern, subject)
            if case.guard is not None:
                self._expr(case.guard)
            self._suite(case.body)

    def _pattern(self: Analyzer, pattern: cst.CSTNode, subject: Val) -> None:
        """Bind the names a case pattern captures, each to the subject's data."""
        if isinstance(pattern, cst.MatchValue):
            self._expr(pattern.value)
            return
        for capture in (getattr(pattern, "name", None), getattr(pattern, "rest", None)):
            if isinstance(capture, cst.Name):
                self._bind(capture.value, subject.carried())
        for child in pattern.children:
            if isinstance(child, MATCH_NODES):
                self._pattern(child, subject)

    def _try(self: Analyzer, node: cst.Try | cst.TryStar) -> None:
        ctx = self.ctx
        followed = self.followed
        tid = self._new_try()
        ctx.tries.append(tid)
        self._suite(node.body)
        ctx.tries.pop()
        outcomes: list[tuple[cst.CSTNode, set[str], OnError]] = []
        handler: cst.CSTNode
        on_error: OnError
        caught_by: set[str] = set()
        for clause in node.handlers:
            caught = self._caught(clause.type)
            if clause.type is not None:
                self._expr(clause.type)
            if clause.name is not None:
                self._target(clause.name.name, NOTHING)
            state = Handler()
            ctx.handlers.append(state)
            self._suite(clause.body)
            ctx.handlers.pop()
            outcomes.append((clause, caught, state.on_error()))
        if node.orelse is not None:
            self._suite(node.orelse.body)
        if node.finalbody is not None:
            self._suite(node.finalbody.body)
        self.try_handlers[tid] = [(bool(caught & JSON_ERRORS), on_error) for _, caught, on_error in outcomes]
        continues = False
        if outcomes:
            # the handler that catches what an SDK or HTTP call raises: the first broad one
            handler, caught_by, on_error = next((o for o in outcomes if o[1] & BROAD_ERRORS), outcomes[-1])
            if isinstance(handler, cst.ExceptHandler | cst.ExceptStarHandler):
                continues = followed and not _exits(handler.body)
        elif node.finalbody is not None:
            handler, on_error = node.finalbody, "reraise"  # try/finally: the error propagates
        else:
            return
        self.facts.tries.append(
            TryBlock(
                tid,
                self._loc(node),
                ctx.function,
                on_error,
                self._loc(handler),
                tuple(ctx.loops),
                () if isinstance(handler, cst.ExceptHandler | cst.ExceptStarHandler) and handler.type is None else tuple(sorted(caught_by)),
                continues=continues,
            )
        )

    def _caught(self: Analyzer, node: cst.BaseExpression | None) -> set[str]:
        """Short names of the exception types an except clause catches (bare: BaseException)."""
        if node is None:
            return {"BaseException"}
        if type(node) is cst.Tuple:
            out: set[str] = set()
            for element in node.elements:
                out |= self._caught(element.value)
            return out
        return {dotted_name(node).rsplit(".", 1)[-1]}

    def _raise(self: Analyzer, node: cst.Raise) -> None:
        if node.exc is not None:
            self._expr(node.exc)
        if node.cause is not None:
            self._expr(node.cause.item)
        self._note("raised")



def _exits(suite: cst.BaseSuite) -> bool:
    """The suite's last statement leaves the block: return, raise, continue or break."""
    if type(suite) is cst.IndentedBlock:
        if not suite.body:
            return False
        last = suite.body[-1]
        if not isinstance(last, cst.SimpleStatementLine) or not last.body:
            return False
        small = last.body[-1]
    elif type(suite) is cst.SimpleStatementSuite and suite.body:
        small = suite.body[-1]
    else:
        return False
    return isinstance(small, cst.Return | cst.Raise | cst.Continue | cst.Break)
