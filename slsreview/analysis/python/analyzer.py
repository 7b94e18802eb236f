"""The visitor: ``Analyzer`` assembled from its mixins, the order of the walk, and the file's end.

- ``__init__``: dispatch tables from node type to the method that walks a statement, a small
  statement or an expression (far cheaper than libcst's visitor machinery);
- ``run``: module-level code first, then each function body in definition order (``Pending``),
  because module code runs at cold start before any handler does;
- ``_finish``: what needs the whole file in view (binding names, parse guards, module state), and
  every list of facts in source order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import libcst as cst

from slsreview.analysis import links
from slsreview.analysis.facts import FileFacts, FunctionDef, ModuleState, Parse, Source
from slsreview.analysis.python.calls import Calls
from slsreview.analysis.python.entries import Entries
from slsreview.analysis.python.expressions import Expressions
from slsreview.analysis.python.guards import (
    cpython_syntax_error,
    depth_guard,
    libcst_syntax_error,
    nested_too_deeply,
    syntax_error,
)
from slsreview.analysis.python.reach import falls_through
from slsreview.analysis.python.services import Services
from slsreview.analysis.python.state import Ctx, Pending, State
from slsreview.analysis.python.statements import Statements
from slsreview.analysis.python.values import NOTHING, Scope, Val
from slsreview.analysis.python.workers import Workers
from slsreview.analysis.python.wrappers import Wrappers


def analyze_python(path: str, text: str) -> FileFacts:
    """Facts of one Python source file. Never raises; never imports or runs the code."""
    if text.startswith("\ufeff"):  # libcst drops a BOM when it parses; columns count without it
        text = text[1:]
    too_deep = depth_guard(path, text)
    if too_deep is not None:
        return too_deep
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return cpython_syntax_error(path, text) or libcst_syntax_error(path, exc)
    except Exception as exc:  # e.g. UnicodeEncodeError: a lone surrogate cannot reach the parser
        return syntax_error(path, f"invalid Python: {exc or type(exc).__name__}", 1, 1)
    try:
        return Analyzer(path, text, module).run()
    except RecursionError:
        return nested_too_deeply(path, 1)


class Analyzer(Calls, Services, Workers, Wrappers, Entries, Statements, Expressions, State):
    def __init__(self, path: str, text: str, module: cst.Module) -> None:
        super().__init__(path, text, module)
        # hand-written dispatch on node type: far cheaper than libcst's visitor machinery
        self.stmt_dispatch: dict[type, Callable[[Any], None]] = {
            cst.SimpleStatementLine: self._simple_line,
            cst.FunctionDef: self._def,
            cst.ClassDef: self._class,
            cst.If: self._if,
            cst.For: self._for,
            cst.While: self._while,
            cst.Try: self._try,
            cst.TryStar: self._try,
            cst.With: self._with,
            cst.Match: self._match,
        }
        self.small_dispatch: dict[type, Callable[[Any], None]] = {
            cst.Expr: self._expr_stmt,
            cst.Assign: self._assign,
            cst.AnnAssign: self._ann_assign,
            cst.AugAssign: self._aug_assign,
            cst.Return: self._return,
            cst.Raise: self._raise,
            cst.Import: self._import,
            cst.ImportFrom: self._import_from,
            cst.Global: self._global,
            cst.Nonlocal: self._global,
            cst.Assert: self._assert,
            cst.Del: self._del,
        }
        self.expr_dispatch: dict[type, Callable[[Any], Val]] = {
            cst.Name: self._name,
            cst.Attribute: self._attribute,
            cst.Call: self._call,
            cst.Subscript: self._subscript,
            cst.SimpleString: self._string,
            cst.Integer: self._nothing,
            cst.Float: self._nothing,
            cst.Imaginary: self._nothing,
            cst.Ellipsis: self._nothing,
            cst.ConcatenatedString: self._concatenated,
            cst.FormattedString: self._fstring,
            cst.Dict: self._dict,
            cst.List: self._sequence,
            cst.Tuple: self._sequence,
            cst.Set: self._sequence,
            cst.BinaryOperation: self._binary,
            cst.BooleanOperation: self._boolean,
            cst.UnaryOperation: self._unary,
            cst.Comparison: self._comparison,
            cst.IfExp: self._ifexp,
            cst.Await: self._await,
            cst.Lambda: self._lambda,
            cst.ListComp: self._comprehension,
            cst.SetComp: self._comprehension,
            cst.GeneratorExp: self._comprehension,
            cst.DictComp: self._comprehension,
            cst.NamedExpr: self._walrus,
            cst.Yield: self._yield,
        }

    def run(self) -> FileFacts:
        self.may_yield = "yield" in self.text
        for stmt in self.module.body:
            self._stmt(stmt)
        while self.pending:
            self._function(self.pending.popleft())
        return self._finish()

    def _function(self, pending: Pending) -> None:
        node = pending.node
        scope = Scope(pending.parent)
        for name in pending.params:
            scope.names[name] = pending.roots.get(name, NOTHING)
        # what a parameter the platform does not fill holds: whatever the callers pass (linked
        # by Facts, slsreview.analysis.links), a symbolic source until then
        for key, param in self._linked_params(node.params):
            if param.name.value not in pending.roots:
                src = Source(links.PARAM, f"{pending.qualname}#{key}", self._loc(param.name))
                scope.names[param.name.value] = Val(frozenset((src,)))
                self.facts.links = True
        ctx = Ctx(pending.qualname, scope, pending.qualname + ".", entry=pending.entry)
        saved, self.ctx = self.ctx, ctx
        self._suite(node.body)
        self.ctx = saved
        self.facts.functions.append(
            FunctionDef(
                pending.qualname,
                pending.loc,
                pending.params,
                node.asynchronous is not None,
                tuple(ctx.calls),
                pending.exported,
                falls_through(node, self.may_yield),
            )
        )

    @staticmethod
    def _linked_params(params: cst.Parameters) -> list[tuple[str, cst.Param]]:
        """The parameters a caller's arguments reach, keyed as ``param`` sources name them: the
        index in ``FunctionDef.params`` (``"=name"`` for a keyword-only one); not ``*args`` and
        ``**kwargs``."""
        positional = [*params.posonly_params, *params.params]
        out = [(str(index), param) for index, param in enumerate(positional)]
        out.extend((f"={param.name.value}", param) for param in params.kwonly_params)
        return out

    def _finish(self) -> FileFacts:
        facts = self.facts
        if self.bindings:
            facts.env_reads = [
                replace(r, kind="binding") if r.via == "worker-env" and r.name in self.bindings else r
                for r in facts.env_reads
            ]
            # env.KV is a binding, not a value: what it hands back is not an environment value
            facts.flows = [
                f for f in facts.flows if not (f.source.kind == "env" and f.source.name in self.bindings)
            ]
        for loc, function, of, tries in self.parses:
            guarded = any(
                catches and on_error != "reraise"
                for tid in tries
                for catches, on_error in self.try_handlers.get(tid, ())
            )
            facts.parses.append(Parse(loc, function, of, guarded))
        for name, (kind, loc) in self.state.items():
            writes = self.state_writes.get(name)
            if writes:
                accesses = tuple(self.state_accesses.get(name, ()))
                facts.module_state.append(ModuleState(name, kind, loc, tuple(writes), accesses))

        # in source order, whatever order the walk found them in (function bodies come last)
        lists: list[list[Any]] = [
            facts.functions,
            facts.calls,
            facts.env_reads,
            facts.binding_uses,
            facts.flows,
            facts.tries,
            facts.returns,
            facts.comparisons,
            facts.parses,
        ]
        for items in lists:
            items.sort(key=lambda item: (item.loc.line, item.loc.column))
        return facts
