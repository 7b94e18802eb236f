"""Positions without libcst's ``PositionProvider``: ``Spans`` counts characters instead.

libcst's provider (and the ``MetadataWrapper`` around it) costs about twice the parse: it copies
the tree, splits every token into lines and keeps a range for every whitespace node. ``Spans``
runs the same code generation but only counts characters and keeps the *syntactic* span (exactly
what ``PositionProvider`` reports) of the nodes that record one. ``State._loc`` turns an offset
into a 1-based line and character column, only for the nodes a fact points at.

    >>> module = cst.parse_module("x = f(1)\\n")
    >>> starts, ends = Spans.of(module)
    >>> call = module.body[0].body[0].value
    >>> starts[id(call)], ends[id(call)]
    (4, 8)
"""

from __future__ import annotations

import re
from typing import Any

import libcst as cst

# CodegenState is not re-exported by libcst; it is the hook its own PositionProvider subclasses
# (see Spans), and pyproject pins libcst to 1.x.
from libcst._nodes.internal import CodegenState

NEWLINE = re.compile(r"\r\n?|\n")  # the line breaks libcst itself recognises
# Nodes no fact points at and no other node takes its span from (libcst hoists spans only from
# statements, suites, else/except/finally clauses, match cases and import aliases).
_UNRECORDED: frozenset[type] = frozenset(
    kind
    for kind in vars(cst).values()
    if isinstance(kind, type)
    # the MRO, not issubclass: libcst's bases are ABCs, and a first issubclass against one
    # walks its registry (a third of this package's import time, for every type of libcst)
    and any(base in kind.__mro__ for base in (cst.BaseUnaryOp, cst.BaseBooleanOp, cst.BaseBinaryOp, cst.BaseCompOp, cst.BaseAugOp))
) | {
    cst.Comma,
    cst.Dot,
    cst.Colon,
    cst.Semicolon,
    cst.AssignEqual,
    cst.Arg,
    cst.Element,
    cst.DictElement,
    cst.StarredDictElement,
    cst.Param,
    cst.SubscriptElement,
    cst.AssignTarget,
    cst.Annotation,
    cst.Asynchronous,
    cst.NameItem,
    cst.From,
    cst.WithItem,
}


class _NoRecord:
    """The context manager handed out for nodes whose span nobody needs."""

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        pass


_NO_RECORD = _NoRecord()


class Spans(CodegenState):
    """Code generation that only counts characters, recording each node's syntactic span.

    ``starts[id(node)]`` and ``ends[id(node)]`` are character offsets into the module's text
    (libcst code generation reproduces its input exactly), the same span PositionProvider
    reports. Every expression and statement records one through ``record_syntactic_position``;
    whitespace nodes do not, and operators and argument wrappers are skipped (``_UNRECORDED``).

    Cheap by construction, because this runs over every node of every file: keys are
    ``id(node)`` (the module keeps every node alive, and ``CSTNode.__hash__`` is a Python-level
    call), and offsets go into two dicts and a flat stack rather than tuples, so that nothing
    here allocates objects the garbage collector tracks while the whole tree is alive.
    """

    def __init__(self, module: cst.Module) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.offset = 0
        self.starts: dict[int, int] = {}
        self.ends: dict[int, int] = {}
        self._open: list[Any] = []  # node id, start node, end node, start offset; repeated

    @classmethod
    def of(cls, module: cst.Module) -> tuple[dict[int, int], dict[int, int]]:
        state = cls(module)
        module._codegen(state)
        return state.starts, state.ends

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.offset += len(token)

    def add_token(self, value: str) -> None:
        self.offset += len(value)

    def pop_trailing_newline(self) -> None:
        pass  # only shortens the module's last line; no span depends on it

    # libcst uses this as ``with state.record_syntactic_position(node, ...)``; returning self
    # with a stack avoids allocating a generator-based context manager per node.
    def record_syntactic_position(  # type: ignore[override]
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> Spans | _NoRecord:
        if type(node) in _UNRECORDED:
            return _NO_RECORD
        self._open += (id(node), start_node, end_node, self.offset)
        return self

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        stack = self._open
        start = stack.pop()
        end_node = stack.pop()
        start_node = stack.pop()
        key = stack.pop()
        if start_node is not None:
            start = self.starts[id(start_node)]
        end = self.offset
        if end_node is not None:
            # an end node without a span of its own (a closing paren) was just emitted
            end = self.ends.get(id(end_node), end)
        self.starts[key] = start
        self.ends[key] = end
