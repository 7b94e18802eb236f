"""The visitor: its state, dispatch by node kind, the order of the walk, and the file's end.

``Analyzer`` is assembled from one mixin per concern (the package docstring has the map). This
module holds what ties them together:

- ``visit``/``generic``: ``_HANDLERS`` maps a node kind to the method that evaluates it; any other
  node is walked generically, its value carrying the sources of its children;
- ``run``: module level first, then each named function's body (``defer``/``run_pending``);
- ``finish``: what needs the whole file in view (binding kinds, parse guards, sorted facts).

    >>> facts = analyze_javascript("w.ts", "export default { fetch() {} }", "typescript")
    >>> [(e.symbol, e.kind, e.methods) for e in facts.entry_points]
    [('default', 'default-export', ('fetch',))]
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from operator import attrgetter
from typing import Any

from slsreview.analysis import treesitter as ts
from slsreview.analysis.common import TEXT_LIMIT
from slsreview.analysis.facts import (
    EnvRead,
    FileFacts,
    FunctionDef,
    ModuleState,
    Parse,
    Source,
    SyntaxProblem,
    Value,
    Wrapper,
)
from slsreview.analysis.javascript.calls import Calls
from slsreview.analysis.javascript.entries import Entries
from slsreview.analysis.javascript.expressions import Expressions
from slsreview.analysis.javascript.functions import Functions
from slsreview.analysis.javascript.services import Services
from slsreview.analysis.javascript.state import MAX_DEPTH, TOO_DEEP, State
from slsreview.analysis.javascript.statements import Statements
from slsreview.analysis.javascript.syntax import (
    BLOCKS,
    CLASS_TYPES,
    FUNCTION_DECLARATIONS,
    FUNCTION_TYPES,
    SKIPPED,
    UNWRAP,
    fields_of,
    kinds_of,
)
from slsreview.analysis.javascript.values import (
    EMPTY,
    FALSE,
    TRUE,
    UNDEFINED,
    ClassInfo,
    Frame,
    Val,
    sorted_sources,
    union,
)
from slsreview.analysis.javascript.workers import Workers
from slsreview.analysis.javascript.wrappers import Wrappers
from slsreview.location import Location

Node = ts.Node
_kind = ts.kind
_named = ts.named_children
_by_id = ts.field_by_id
_kind_id = ts.kind_id


class Analyzer(
    State, Calls, Services, Workers, Wrappers, Entries, Functions, Statements, Expressions
):
    """The visitor of one file: walks the tree once and records its facts in ``facts``."""

    # -- positions and values ---------------------------------------------------------------
    def value(self, node: Node, v: Val) -> Value:
        sources = v.sources
        if len(sources) > 1:
            sources = sorted_sources(sources)
        props = v.props if v.kind == "obj" else None
        keys = tuple(props) if props else ()
        fields = tuple((key, sorted_sources(item.sources)) for key, (_, item) in props.items()) if props else ()
        return Value(
            self.text_prefix(node, TEXT_LIMIT),
            self.loc(node),
            v.literal if v.lit else None,
            v.lit,
            sources,
            keys,
            fields,
        )

    # -- dispatch ---------------------------------------------------------------------------
    # ``_HANDLERS`` (after the class) maps node types to the methods below; other nodes go
    # through ``generic``. Statements return EMPTY.
    def x_skip(self, node: Node) -> Val:
        return EMPTY

    def x_this(self, node: Node) -> Val:
        return self.this

    def x_meta(self, node: Node) -> Val:
        if self.text(node).startswith("import"):
            self.module_syntax("esm", "import.meta", node)
        return Val("mod", qual=self.text(node))  # import.meta

    def visit(self, node: Node) -> Val:
        depth = self.depth = self.depth + 1  # self.deeper(), inlined: the hottest paths
        if depth > MAX_DEPTH:
            raise RecursionError(TOO_DEEP)
        v = self.dispatch[_kind_id(node)](self, node)
        self.depth = depth - 1
        return v

    def generic(self, node: Node) -> Val:
        """Any other node: visit what it contains; its value carries their sources."""
        depth = self.depth = self.depth + 1  # self.deeper(), inlined: the hottest paths
        if depth > MAX_DEPTH:
            raise RecursionError(TOO_DEEP)
        out: tuple[Source, ...] = ()
        dispatch = self.dispatch
        for child in _named(node):
            # visit() inlined: this loop runs for most nodes of the file
            v = dispatch[_kind_id(child)](self, child)
            if v.sources:
                out = union(out, v.sources)
        self.depth = depth - 1
        return Val(sources=out) if out else EMPTY

    def s_block(self, node: Node) -> Val:
        """A statement holding statements or expressions: visit each; a statement has no value."""
        depth = self.depth = self.depth + 1  # self.deeper(), inlined: the hottest paths
        if depth > MAX_DEPTH:
            raise RecursionError(TOO_DEEP)
        dispatch = self.dispatch
        for child in _named(node):
            dispatch[_kind_id(child)](self, child)
        self.depth = depth - 1
        return EMPTY

    def unwrap(self, node: Node) -> Node:
        unwrap = self.kinds.unwrap
        while _kind_id(node) in unwrap:
            inner = _named(node)
            if not inner:
                break
            # `<T>x` puts the type first; `x as T`, `x!`, `(x)` put the expression first
            node = inner[-1] if _kind(node) == "type_assertion" else inner[0]
        return node

    def x_unwrap(self, node: Node) -> Val:
        inner = self.unwrap(node)
        return EMPTY if inner is node else self.visit(inner)

    # -- the program ------------------------------------------------------------------------
    def run(self) -> None:
        statements = _named(self.tree.root)
        self.hoist(statements, "")
        for statement in statements:
            self.visit(statement)
        self.run_pending(self.module)
        self.finish()

    def hoist(self, statements: list[Node], prefix: str) -> None:
        """Declare function and class names first: JavaScript hoists them."""
        declare = self.scope.vars
        declarations, exports = self.kinds.function_declarations, self.kinds.export
        for statement in statements:
            node = statement
            if _kind_id(node) in exports:
                node = _by_id(node, self.fields.declaration) or node
            if _kind_id(node) in declarations:
                name = _by_id(node, self.fields.name)
                if name is not None:
                    declare[self.text(name)] = Val("fn", fn=prefix + self.text(name))

    def run_pending(self, frame: Frame) -> None:
        while frame.pending:
            node, qualname, scope, cls, roles = frame.pending.pop(0)
            self.run_function(node, qualname, scope, cls=cls, roles=roles)

    def defer(
        self,
        node: Node,
        qualname: str,
        cls: ClassInfo | None = None,
        roles: list[Val | None] | None = None,
    ) -> Val:
        self.frame.pending.append((node, qualname, self.scope, cls, roles))
        return Val("fn", fn=qualname)

    def prefix(self) -> str:
        q = self.frame.qualname
        return q + "." if q else ""

    def at_module_level(self) -> bool:
        return self.frame is self.module and self.module.callback_depth == 0

    # -- the end of the file ----------------------------------------------------------------
    def finish(self) -> None:
        """Settle what needs the whole file in view, then sort the facts by position."""
        facts = self.facts
        binding_names = self.settle_bindings()
        for read in self.env_reads:
            read_kind: Any = (
                "binding" if read.via == "worker-env" and read.name in binding_names else "value"
            )
            facts.env_reads.append(
                EnvRead(
                    read.name,
                    read.loc,
                    read.function,
                    read.via,  # type: ignore[arg-type]
                    read_kind,
                    read.guarded,
                    read.has_default,
                )
            )
        # a binding passed around is not an environment *value*: drop what flowed as one
        facts.flows = [
            f
            for f in facts.flows
            if not (f.source.kind == "env" and f.source.name in binding_names)
        ]
        for loc, function, of, try_ids in self.parses:
            guarded = any(self.try_outcomes.get(t) not in (None, "reraise") for t in try_ids)
            facts.parses.append(Parse(loc, function, sorted_sources(of), guarded))
        for name, target, loc, args in self.wrappers:
            if name == "makeIdempotent":
                wraps_entry = target is not None and any(
                    e.qualname == target for e in self.entries.values()
                )
                name = "powertools.idempotent" if wraps_entry else "powertools.idempotent_function"
            facts.wrappers.append(Wrapper(name, target, loc, args))
        for name, writes in self.container_writes.items():
            kind, loc = self.containers[name]
            accesses = tuple(self.container_accesses.get(name, ()))
            facts.module_state.append(ModuleState(name, kind, loc, tuple(writes), accesses))  # type: ignore[arg-type]
        facts.entry_points.extend(self.entries.values())
        defined = {f.qualname for f in facts.functions}
        for entry in self.entries.values():
            if entry.qualname in defined or entry.kind == "worker-entrypoint":
                continue
            if entry.kind in ("default-export", "on-fetch"):
                refs = tuple(dict.fromkeys(self.entry_refs.get(entry.qualname, ())))
                facts.functions.append(
                    FunctionDef(entry.qualname, entry.loc, (), False, refs, True)
                )
        position = attrgetter("loc.line", "loc.column")
        for items in (
            facts.calls,
            facts.env_reads,
            facts.binding_uses,
            facts.flows,
            facts.returns,
            facts.comparisons,
            facts.parses,
            facts.functions,
            facts.wrappers,
            facts.imports,
        ):
            if len(items) > 1:
                items.sort(key=position)
        facts.tries.sort(key=lambda t: t.id)


def _handler_table() -> dict[str, Callable[[Analyzer, Node], Val]]:
    a = Analyzer
    table: dict[str, Callable[[Analyzer, Node], Val]] = dict.fromkeys(SKIPPED, a.x_skip)
    table.update(dict.fromkeys(UNWRAP, a.x_unwrap))
    table.update(dict.fromkeys(BLOCKS, a.s_block))
    table.update(dict.fromkeys(FUNCTION_TYPES, a.x_function))
    table.update(dict.fromkeys(FUNCTION_DECLARATIONS, a.s_function_declaration))
    table.update(dict.fromkeys(CLASS_TYPES, a.s_class))
    table.update(
        {
            "identifier": a.x_identifier,
            "shorthand_property_identifier": a.x_identifier,
            "this": a.x_this,
            "undefined": lambda self, node: UNDEFINED,
            "null": lambda self, node: UNDEFINED,
            "true": lambda self, node: TRUE,
            "false": lambda self, node: FALSE,
            "number": a.x_number,
            "string": a.x_string,
            "template_string": a.x_template,
            "object": a.x_object,
            "array": a.x_array,
            "member_expression": a.x_member,
            "subscript_expression": a.x_subscript,
            "call_expression": a.x_call,
            "new_expression": a.x_new,
            "await_expression": a.x_await,
            "binary_expression": a.x_binary,
            "unary_expression": a.x_unary,
            "ternary_expression": a.x_ternary,
            "assignment_expression": a.x_assignment,
            "augmented_assignment_expression": a.x_augmented,
            "meta_property": a.x_meta,
            "variable_declarator": a.s_declarator,
            "return_statement": a.s_return,
            "throw_statement": a.s_throw,
            "if_statement": a.s_if,
            "for_in_statement": a.s_for_in,
            "for_statement": a.s_loop,
            "while_statement": a.s_loop,
            "do_statement": a.s_loop,
            "try_statement": a.s_try,
            "import_statement": a.s_import,
            "export_statement": a.s_export,
            "interface_declaration": a.s_type_declaration,
            "type_alias_declaration": a.s_type_declaration,
        }
    )
    return table


_HANDLERS = _handler_table()
_generic = Analyzer.generic


@cache
def dispatch_table(dialect: ts.Dialect) -> list[Callable[[Analyzer, Node], Val]]:
    """``_HANDLERS`` indexed by the grammar's kind ids. Every possible id (a 16-bit number; ERROR
    nodes have the largest) has an entry, ``generic`` when nothing else, so the walk indexes the
    table without a test."""
    kinds, _ = ts.grammar_tables(dialect)
    table = [_HANDLERS.get(name, _generic) for name in kinds]
    table.extend([_generic] * (ts.KIND_IDS - len(table)))
    return table


def analyze_javascript(path: str, text: str, dialect: str) -> FileFacts:
    """Facts of one JavaScript (``dialect="javascript"``) or TypeScript (``"typescript"``,
    ``"tsx"``) file. Never raises for any input."""
    language: Any = "javascript" if dialect == "javascript" else "typescript"
    grammar: ts.Dialect = (
        "tsx" if dialect == "tsx" else ("javascript" if dialect == "javascript" else "typescript")
    )
    facts = FileFacts(path, language)
    tree = ts.parse(text, grammar)
    problem = tree.first_problem()
    analyzer = Analyzer(
        path, tree, facts, dispatch_table(grammar), fields_of(grammar), kinds_of(grammar)
    )
    try:
        analyzer.run()
    except RecursionError:
        # complete=False: nothing of the file was analysed, so no rule may conclude from the
        # absence of a fact (an entry point "missing" from a file that was never read).
        facts = FileFacts(path, language, complete=False)
        facts.syntax.append(
            SyntaxProblem("nested too deeply to analyse", Location.file_start(path), fatal=False)
        )
        return facts
    if problem is not None:
        what = (
            f"tree-sitter expected {_kind(problem)!r} here"
            if ts.is_missing(problem)
            else "tree-sitter error node"
        )
        facts.syntax.append(
            SyntaxProblem(
                f"could not parse part of this file ({what})", analyzer.loc(problem), fatal=False
            )
        )
    return facts
