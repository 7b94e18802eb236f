"""Whether the end of a function body can be reached: control falls off it and the function
returns ``None``.

A statement list ends the function when one of its statements does: ``return``, ``raise``,
``sys.exit()``; an ``if`` whose every branch does (an ``else`` included); a ``try`` whose body (or
``else``) and every handler do, or whose ``finally`` does; a ``with`` whose body does; a
``match`` with a wildcard case whose every case does; ``while True:`` without ``break``. Anything
else may continue: loops, calls (a helper that always raises is not seen through).

    >>> import libcst as cst
    >>> falls_through(cst.parse_statement("def f(x):\\n    if x:\\n        return 1\\n"))
    True
"""

from __future__ import annotations

import libcst as cst

_EXITS = frozenset({"sys.exit", "exit", "quit", "os._exit"})


def falls_through(node: cst.FunctionDef, may_yield: bool = True) -> bool:
    """True when control can reach the end of the function's body (generators never "fall").
    ``may_yield``: False when the file's text has no ``yield`` (spares walking the body)."""
    body = node.body
    statements = body.body if isinstance(body, cst.IndentedBlock) else (body,)
    return not _ends(statements) and not (may_yield and _yields(node))


def _ends(statements: object) -> bool:
    return any(_statement_ends(s) for s in statements)  # type: ignore[attr-defined]


def _statement_ends(node: cst.CSTNode) -> bool:
    kind = type(node)
    if kind is cst.SimpleStatementLine or kind is cst.SimpleStatementSuite:
        return any(_small_ends(s) for s in node.body)  # type: ignore[attr-defined]
    if kind is cst.If:
        return _block_ends(node.body) and node.orelse is not None and _else_ends(node.orelse)  # type: ignore[attr-defined]
    if kind is cst.Try or kind is cst.TryStar:
        if node.finalbody is not None and _block_ends(node.finalbody.body):  # type: ignore[attr-defined]
            return True
        main = _block_ends(node.body) or (node.orelse is not None and _block_ends(node.orelse.body))  # type: ignore[attr-defined]
        return main and all(_block_ends(h.body) for h in node.handlers)  # type: ignore[attr-defined]
    if kind is cst.With:
        return _block_ends(node.body)  # type: ignore[attr-defined]
    if kind is cst.Match:
        cases = node.cases  # type: ignore[attr-defined]
        wildcard = any(type(c.pattern) is cst.MatchAs and c.pattern.pattern is None and c.guard is None for c in cases)
        return wildcard and all(_block_ends(c.body) for c in cases)
    if kind is cst.While:
        test = node.test  # type: ignore[attr-defined]
        return type(test) is cst.Name and test.value == "True" and not _breaks(node.body)  # type: ignore[attr-defined]
    return False


def _small_ends(node: cst.CSTNode) -> bool:
    kind = type(node)
    if kind is cst.Return or kind is cst.Raise:
        return True
    if kind is cst.Expr and type(node.value) is cst.Call:  # type: ignore[attr-defined]
        return _dotted(node.value.func) in _EXITS  # type: ignore[attr-defined]
    return False


def _block_ends(block: cst.BaseSuite) -> bool:
    statements = block.body if isinstance(block, cst.IndentedBlock) else (block,)
    return _ends(statements)


def _else_ends(orelse: cst.If | cst.Else) -> bool:
    if type(orelse) is cst.If:
        return _statement_ends(orelse)
    return _block_ends(orelse.body)


def _breaks(node: cst.CSTNode) -> bool:
    """A ``break`` of this loop (not of a loop nested in it, not in a nested function)."""
    for child in node.children:
        kind = type(child)
        if kind is cst.Break:
            return True
        if kind in (cst.For, cst.While, cst.FunctionDef, cst.ClassDef, cst.Lambda):
            continue
        if _breaks(child):
            return True
    return False


def _yields(node: cst.CSTNode) -> bool:
    for child in node.children:
        kind = type(child)
        if kind is cst.Yield:
            return True
        if kind in (cst.FunctionDef, cst.ClassDef, cst.Lambda):
            continue
        if _yields(child):
            return True
    return False


def _dotted(node: cst.BaseExpression) -> str:
    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Attribute:
        return f"{_dotted(node.value)}.{node.attr.value}"
    return ""
