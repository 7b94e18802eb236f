"""The state of the walk over one file, shared by every part of ``Analyzer``.

Where the walk is (scope, function frame, enclosing tries and catch clause, guards in force),
hints for naming anonymous functions, what the file is (a Worker's, a Hono app's), and the
records that wait for the end of the file (``Analyzer.finish``) before they become facts.

``trait`` marks each mixin of ``Analyzer``: a class of methods only, holding no state of its own
(``State`` holds it all). mypyc, which compiles this package when asked to (the package
docstring says how), needs the mark to let one class inherit several; plain Python ignores it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from slsreview.analysis import treesitter as ts
from slsreview.analysis.facts import EntryPoint, FileFacts, Source, StateAccess, Value
from slsreview.analysis.javascript.syntax import Fields, Kinds
from slsreview.analysis.javascript.values import (
    EMPTY,
    Catch,
    Frame,
    PendingBindingCall,
    PendingEnvRead,
    Scope,
    Val,
)
from slsreview.location import Location

Node = ts.Node

try:
    from mypy_extensions import trait
except ImportError:  # installed with mypy; without it nothing compiles this package anyway
    _C = TypeVar("_C", bound=type)

    def trait(cls: _C) -> _C:
        return cls


# How deep the walk follows the syntax: each nesting level it enters counts one. A file nested
# deeper is "nested too deeply to analyse" (FileFacts.complete is False), at the same depth
# whatever calls the analyzer and in both builds: Python's own recursion limit would stop the
# pure-Python walk at a depth that depends on how many frames are below it and on the shape of
# the code, and the compiled walk's calls between its own functions do not check it at all
# (a long enough `a.b().c()...` chain would overflow the C stack). The deepest of the 5,134
# JS/TS files in the field-trial corpora reaches 48. Every shape of nesting tried (calls,
# chains, arrays, objects, callbacks, patterns, ifs...) reaches this limit before Python's, with
# 250 frames and pytest's below the analyzer (tests/analysis/test_javascript_build.py); a
# pure-Python level takes about three frames, so keep 3 * MAX_DEPTH well under the 1000.
MAX_DEPTH = 180
TOO_DEEP = f"the syntax nests more than {MAX_DEPTH} levels deep"


class State:
    """What every part of the walk reads and updates (the mixins of ``Analyzer`` inherit it)."""

    def __init__(
        self,
        path: str,
        tree: ts.SyntaxTree,
        facts: FileFacts,
        dispatch: list[Callable[[Any, Node], Val]],
        fields: Fields,
        kinds: Kinds,
    ) -> None:
        self.path = path
        self.tree = tree
        self.facts = facts
        self.module_scope = Scope(None)
        self.scope = self.module_scope
        self.module = Frame(None, entry=False)
        self.frame = self.module
        self.depth = 0  # nesting levels the walk is inside (see MAX_DEPTH and deeper)
        self.try_stack: list[int] = []
        self.loops: list[str] = []  # what each enclosing loop of this function iterates
        self.catch: Catch | None = None  # the catch body being walked: calls, logs, returns
        self.throw_to: Catch | None = None  # where a `throw` goes (None inside a try body)
        self.guards: frozenset[str] = frozenset()  # env names tested for presence around here
        self.methods: tuple[str, ...] = ()  # HTTP methods an enclosing if requires of the request
        self.tests: tuple[str, ...] = ()  # callees of the calls enclosing ifs test (Call.tests)
        self.this: Val = EMPTY
        self.next_try = 1
        self.hint: str | None = None  # a module-level name for the next anonymous function
        self.hinted: Val | None = None  # the object literal of methods that took the hint
        self.hint_ref: str | None = None  # the first function passed as an argument under a hint
        self.param_roles: list[Val | None] | None = None  # for the next callback visited
        self.worker_file = False
        self.hono = False
        # settled in finish
        self.env_reads: list[PendingEnvRead] = []
        self.binding_calls: list[PendingBindingCall] = []
        self.binding_uses_pending: list[PendingBindingCall] = []
        self.axios_timeout: Val | None = None  # axios.defaults.timeout = ...
        self.binding_props: list[tuple[str, str, Location, str | None, bool]] = []
        self.binding_types: dict[str, str] = {}
        # (where, function, what is parsed, enclosing tries): guarded once the tries are known
        self.parses: list[tuple[Location, str | None, tuple[Source, ...], tuple[int, ...]]] = []
        self.try_outcomes: dict[int, str] = {}
        self.wrappers: list[tuple[str, str | None, Location, tuple[tuple[str, Value], ...]]] = []
        self.containers: dict[str, tuple[str, Location]] = {}
        self.container_writes: dict[str, list[tuple[str, Location]]] = {}
        self.container_accesses: dict[str, list[StateAccess]] = {}
        self.entries: dict[str, EntryPoint] = {}
        self.entry_refs: dict[str, list[str]] = {}  # synthetic FunctionDefs for default objects
        self.entry_qualnames: set[str] = set()
        self.entry_kinds: dict[str, str] = {}  # qualname -> EntryPoint.kind
        self.wrapped: set[str] = set()  # functions wrapped by middy/makeIdempotent
        self.module_refs: list[str] = []
        self.globals: dict[str, Val] = {}
        # the file's own text and position readers (see SyntaxTree.readers)
        self.text: Callable[[Node], str]
        self.text_prefix: Callable[[Node, int], str]
        self.loc: Callable[[Node], Location]
        self.text, self.text_prefix, self.loc = tree.readers(path)
        # the grammar's tables: node kind id -> the method that evaluates such a node, field ids
        self.dispatch = dispatch
        self.fields = fields
        self.kinds = kinds

    def deeper(self) -> int:
        """One level deeper into the syntax, or RecursionError past ``MAX_DEPTH``; the caller
        sets ``self.depth`` back to the value returned minus one when it leaves the level."""
        depth = self.depth = self.depth + 1
        if depth > MAX_DEPTH:
            raise RecursionError(TOO_DEEP)
        return depth
