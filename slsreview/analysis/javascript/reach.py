"""Whether the end of a function body can be reached: control falls off it and the function
returns ``undefined``.

A statement list ends the function when one of its statements does: ``return``, ``throw``,
``process.exit()``; an ``if`` whose branches both do; a block that does; a ``try`` whose body and
``catch`` do, or whose ``finally`` does; a ``switch`` with a ``default``, no ``break`` and a last
case that does (the cases before it fall into the next); ``while (true)`` / ``for (;;)`` without
``break``. Anything else may continue: loops, calls (a helper that always throws is not seen
through). An arrow function's expression body and a generator never fall off.

The analyzer calls ``falls_through`` once per named function, with its reader of node text.
Like the walk, it follows at most ``MAX_DEPTH`` levels of nesting (``state.py`` says why).
"""

from __future__ import annotations

from collections.abc import Callable

from slsreview.analysis import treesitter as ts
from slsreview.analysis.javascript.state import MAX_DEPTH, TOO_DEEP

Node = ts.Node
_kind = ts.kind
_named = ts.named_children

_LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})
_NESTED = _LOOPS | frozenset(
    {
        "function_declaration",
        "function_expression",
        "function",
        "arrow_function",
        "method_definition",
        "class_declaration",
        "class",
        "generator_function_declaration",
        "generator_function",
        "switch_statement",
    }
)


def falls_through(function: Node, body: Node | None, text: Callable[[Node], str]) -> bool:
    """True when control can reach the end of ``body``, a function's statement block."""
    if body is None or _kind(body) != "statement_block" or "generator" in _kind(function):
        return False
    return not _ends(_named(body), text, 0)


def _ends(statements: list[Node], text: Callable[[Node], str], depth: int) -> bool:
    return any(_statement_ends(s, text, depth) for s in statements)


def _statement_ends(node: Node, text: Callable[[Node], str], depth: int) -> bool:
    depth += 1
    if depth > MAX_DEPTH:
        raise RecursionError(TOO_DEEP)
    kind = _kind(node)
    if kind in ("return_statement", "throw_statement"):
        return True
    if kind == "statement_block":
        return _ends(_named(node), text, depth)
    if kind == "expression_statement":
        return text(node).replace(" ", "").startswith("process.exit(")
    if kind == "if_statement":
        consequence, alternative = node.child_by_field_name("consequence"), node.child_by_field_name("alternative")
        if consequence is None or alternative is None:
            return False
        branch = [c for c in _named(alternative) if _kind(c) != "comment"] if _kind(alternative) == "else_clause" else [alternative]
        return _statement_ends(consequence, text, depth) and bool(branch) and _statement_ends(branch[0], text, depth)
    if kind == "try_statement":
        body = handler = finalizer = None
        for child in _named(node):
            child_kind = _kind(child)
            if child_kind == "statement_block":
                body = child
            elif child_kind == "catch_clause":
                handler = next((c for c in _named(child) if _kind(c) == "statement_block"), None)
            elif child_kind == "finally_clause":
                finalizer = next((c for c in _named(child) if _kind(c) == "statement_block"), None)
        if finalizer is not None and _statement_ends(finalizer, text, depth):
            return True
        return (
            body is not None
            and _statement_ends(body, text, depth)
            and (handler is None or _statement_ends(handler, text, depth))
        )
    if kind == "switch_statement":
        cases = [c for b in _named(node) if _kind(b) == "switch_body" for c in _named(b) if _kind(c) in ("switch_case", "switch_default")]
        if not any(_kind(c) == "switch_default" for c in cases) or any(_breaks(c, depth) for c in cases):
            return False
        last = [s for s in _named(cases[-1]) if _kind(s).endswith("statement") or _kind(s) == "statement_block"]
        return _ends(last, text, depth)
    if kind in ("while_statement", "for_statement"):
        source = text(node)
        header = source[: source.find("{")] if "{" in source else source[:40]
        endless = "while(true)" in header.replace(" ", "") or "for(;;)" in header.replace(" ", "")
        return endless and not _breaks(node, depth)
    return False


def _breaks(node: Node, depth: int) -> bool:
    """A ``break`` out of this statement (not of a loop or switch nested in it)."""
    depth += 1
    if depth > MAX_DEPTH:
        raise RecursionError(TOO_DEEP)
    for child in _named(node):
        kind = _kind(child)
        if kind == "break_statement":
            return True
        if kind in _NESTED:
            continue
        if _breaks(child, depth):
            return True
    return False
