"""The state of the walk over one file, shared by every part of ``Analyzer``.

``State`` holds where the walk is (``Ctx``: the function, its scope, enclosing tries, except
clauses and guards), what the file is (a Python Worker's), the records that wait for the end of
the file (parses, module state, bindings), and the helpers every mixin uses: positions
(``_loc``), turning an evaluated argument into a ``Value`` fact (``_value``), and scopes
(``_lookup``, ``_bind``, ``_mutate``). ``Site`` is one call being classified.
"""

from __future__ import annotations

import bisect
from collections import deque
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from slsreview.analysis.common import TEXT_LIMIT
from slsreview.analysis.facts import FileFacts, Source, StateAccess, Value
from slsreview.analysis.python.positions import NEWLINE, Spans
from slsreview.analysis.python.syntax import dict_keys, literal_value
from slsreview.analysis.python.values import (
    UNSET,
    ClassInfo,
    OnError,
    Scope,
    StateKind,
    Val,
    copy_val,
    merge,
    union_sources,
)
from slsreview.location import Location


@dataclass(eq=False)
class Handler:
    """What an except clause does, collected while its body is walked."""

    raised: bool = False
    returned: bool = False
    returned_ok: bool = False  # returned a literal 2xx/3xx status
    failure: bool = False
    logged: bool = False

    def on_error(self) -> OnError:
        if self.raised:
            return "reraise"
        if self.failure:
            return "record-failure"
        if self.returned:
            return "swallow" if self.returned_ok else "return-error"
        return "log-only" if self.logged else "swallow"


@dataclass(eq=False)
class Ctx:
    """Where the walk is: the function whose code this is, and its per-function state."""

    function: str | None  # qualname; None at module level
    scope: Scope
    prefix: str  # qualname prefix of definitions made here
    cls: ClassInfo | None = None  # set while walking a class body
    entry: bool = False  # a handler: what it returns is a response
    calls: dict[str, None] = field(default_factory=dict)
    tries: list[int] = field(default_factory=list)  # enclosing try bodies, innermost last
    loops: list[str] = field(default_factory=list)  # what each enclosing loop iterates (TryBlock.loops)
    handlers: list[Handler] = field(default_factory=list)  # enclosing except clauses
    guards: list[set[str]] = field(default_factory=list)  # env names checked by enclosing ifs
    methods: list[tuple[str, ...]] = field(default_factory=list)  # HTTP methods enclosing ifs require
    tests: list[str] = field(default_factory=list)  # callees of the calls enclosing ifs test (Call.tests)
    globals: set[str] = field(default_factory=set)


@dataclass(eq=False)
class Pending:
    """A function whose body is walked once the code around it has been."""

    node: cst.FunctionDef
    qualname: str
    parent: Scope  # the enclosing function's or the module's scope (a class body's is skipped)
    roots: dict[str, Val]  # what parameters hold when the platform calls it
    entry: bool  # a handler: what it returns is a response
    loc: Location
    params: tuple[str, ...]
    exported: bool


class Site:
    """A call being classified: its receiver, callee and evaluated arguments."""

    __slots__ = ("args", "awaited", "fn", "local", "method", "node", "qual", "recv", "ref", "values")

    def __init__(
        self,
        node: cst.Call,
        recv: Val | None,
        method: str | None,
        fn: Val,
        args: list[tuple[str | None, cst.BaseExpression, Val]],
        awaited: bool,
    ) -> None:
        self.node = node
        self.recv = recv
        self.method = method
        self.fn = fn
        self.qual = fn.qual
        self.ref = fn.ref
        self.args = args
        self.awaited = awaited
        self.values: tuple[tuple[Value, ...], tuple[tuple[str, Value], ...]] | None = None
        self.local = False  # a call of a local function: its arguments are facts too (links)

    def arg(self, index: int | None, keyword: str | None = None) -> tuple[cst.BaseExpression, Val] | None:
        position = 0
        for key, node, val in self.args:
            if key is None:
                if position == index:
                    return node, val
                position += 1
            elif key == keyword:
                return node, val
        return None

    def has(self, keyword: str) -> bool:
        return any(key == keyword for key, _, _ in self.args)

    def all_sources(self) -> frozenset[Source]:
        return union_sources(val for _, _, val in self.args)


class State:
    """What every part of the walk reads and updates (the mixins of ``Analyzer`` inherit it)."""

    def __init__(self, path: str, text: str, module: cst.Module) -> None:
        self.path = path
        self.text = text
        self.module = module
        self.starts, self.ends = Spans.of(module)
        self.line_starts = [0] + [m.end() for m in NEWLINE.finditer(text)]
        self.facts = FileFacts(path, "python")
        self.module_scope = Scope(None)
        self.ctx = Ctx(None, self.module_scope, "")
        self.pending: deque[Pending] = deque()
        self.workers = False  # the module imports the Python Workers runtime
        self.next_try = 1
        self.followed = False  # another statement follows the one being walked, in its block
        self.try_handlers: dict[int, list[tuple[bool, OnError]]] = {}  # id -> (catches JSON errors, on_error)
        self.parses: list[tuple[Location, str | None, tuple[Source, ...], tuple[int, ...]]] = []
        self.state: dict[str, tuple[StateKind, Location]] = {}  # module containers by name
        self.state_writes: dict[str, list[tuple[str, Location]]] = {}
        self.state_accesses: dict[str, list[StateAccess]] = {}
        self.bindings: set[str] = set()  # env names used as Workers bindings
        self.returns_obj: dict[str, Val] = {}  # what kind of object each local function returns
        self.handlers: list[tuple[str, Location]] = []  # top-level (event, context) functions
        self.guard_names: set[str] | None = None  # collecting env names read by an if test
        self.last_site: Site | None = None

    def _loc(self, node: cst.CSTNode) -> Location:
        key = id(node)
        start = self.starts.get(key)
        if start is None:
            return Location.file_start(self.path)
        return self._span_loc(start, self.ends[key])

    def _span_loc(self, start: int, end: int) -> Location:
        starts = self.line_starts
        line = bisect.bisect_right(starts, start)
        end_line = line if end <= start else bisect.bisect_right(starts, end - 1)
        # an end just past a line's last character stays on that line (exclusive column)
        return Location(
            self.path, line, start - starts[line - 1] + 1, end_line, end - starts[end_line - 1] + 1
        )

    def _header_loc(self, node: cst.FunctionDef | cst.ClassDef) -> Location:
        """``def name`` / ``class Name``: where a finding about a definition points."""
        return self._span_loc(self.starts[id(node)], self.ends[id(node.name)])

    def _value(self, node: cst.BaseExpression, val: Val) -> Value:
        start = self.starts.get(id(node), 0)
        end = self.ends.get(id(node), 0)
        literal = literal_value(node)
        is_literal = literal is not UNSET
        items = val.items
        return Value(
            self.text[start : min(end, start + TEXT_LIMIT)],
            self._span_loc(start, end),
            literal if is_literal else None,
            is_literal,
            tuple(sorted(val.sources)),
            dict_keys(node) if type(node) is cst.Dict else (),
            tuple((key, tuple(sorted(item.sources))) for key, (_, item) in items.items()) if items else (),
        )

    def _site_values(self, site: Site) -> tuple[tuple[Value, ...], tuple[tuple[str, Value], ...]]:
        if site.values is None:
            args: list[Value] = []
            kwargs: list[tuple[str, Value]] = []
            for key, node, val in site.args:
                if key is None or key == "*":
                    args.append(self._value(node, val))
                else:
                    kwargs.append((key, self._value(node, val)))
            site.values = (tuple(args), tuple(kwargs))
        return site.values

    def _lookup(self, name: str) -> Val | None:
        scope: Scope | None = self.ctx.scope
        if name in self.ctx.globals:
            scope = self.module_scope
        while scope is not None:
            val = scope.names.get(name)
            if val is not None:
                return val
            scope = scope.parent
        return None

    def _scope_of(self, name: str) -> Scope | None:
        scope: Scope | None = self.module_scope if name in self.ctx.globals else self.ctx.scope
        while scope is not None:
            if name in scope.names:
                return scope
            scope = scope.parent
        return None

    def _bind(self, name: str, val: Val) -> None:
        scope = self.module_scope if name in self.ctx.globals else self.ctx.scope
        scope.names[name] = merge(scope.names.get(name), val)

    def _mutate(self, name: str | None, sources: frozenset[Source], node: cst.CSTNode) -> None:
        """``name`` changed in place (``x[k] = v``, ``x.append(v)``): it now holds ``sources`` too,
        and a module-level container written inside a function is module state."""
        if name is None:
            return
        scope = self._scope_of(name)
        if scope is None or scope.names[name].ref:  # an imported module is not data
            return
        if sources:
            scope.names[name] = copy_val(scope.names[name], sources=scope.names[name].sources | sources)
        function = self.ctx.function
        if scope is self.module_scope and function is not None and name in self.state:
            self.state_writes.setdefault(name, []).append((function, self._loc(node)))

    def _state_access(
        self, container: cst.BaseExpression | None, op: Literal["check", "write"], key: cst.BaseExpression, val: Val, node: cst.CSTNode
    ) -> None:
        """``key in seen``, ``seen.add(key)``, ``seen[key] = ...`` inside a function, when ``seen``
        is a module-level container: what a seen-set is checked and written with."""
        function = self.ctx.function
        if function is None or type(container) is not cst.Name or container.value not in self.state:
            return
        if self._scope_of(container.value) is not self.module_scope:
            return
        access = StateAccess(op, self._value(key, val), function, self._loc(node))
        self.state_accesses.setdefault(container.value, []).append(access)

    def _note(self, what: str) -> None:
        """Record in every enclosing except clause that its body raises/returns/logs..."""
        for handler in self.ctx.handlers:
            setattr(handler, what, True)

    def _new_try(self) -> int:
        tid = self.next_try
        self.next_try += 1
        return tid

    def _guarded(self, name: str) -> bool:
        return any(name in g for g in self.ctx.guards)
