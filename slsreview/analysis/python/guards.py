"""The depth guard, and what a file that cannot be parsed becomes.

libcst's native parser recurses once per nesting level, with no limit of its own: past a few
thousand levels it overflows the C stack and the interpreter dies (a segfault), and well before
that it turns quadratic (a 3,000-link ``a.b().b()...`` chain takes over 30 seconds). The nesting
need not be brackets: ``not not ... x``, ``-----1``, ``a + a + ... + a``, ``a.b.b.b``,
``lambda: lambda: ...``, ``x if c else x if c else ...``, ``a and a and ...``, ``import a.b.b.b``
and a long ``elif`` ladder all nest. So before libcst sees a file, CPython's own parser (which is
bounded: it raises RecursionError or MemoryError instead of crashing) builds an ``ast``, and the
file goes on to libcst only if that tree is at most ``MAX_EXPRESSION_DEPTH`` deep, counted the way
libcst nests (``a and b and c`` is one ``BoolOp`` in ``ast`` but two nested ``BooleanOperation``
nodes in libcst). Real code stays far below the limit: the deepest file in a scan of 4,000 files
of the standard library and popular packages is 86 levels.

A syntax error becomes a fatal ``SyntaxProblem`` at CPython's position (sharper than libcst's);
a file too deep to parse safely becomes a non-fatal one, with ``complete=False``.

    >>> depth_guard("a.py", "x = 1\\n") is None
    True
    >>> nested_too_deeply("a.py", 3).syntax[0].loc.line
    3
"""

from __future__ import annotations

import ast
import re

import libcst as cst

from slsreview.analysis.facts import FileFacts, SyntaxProblem
from slsreview.location import Location

MAX_EXPRESSION_DEPTH = 200
_SPACE = r"[ \t\f\\\r\n]*"  # what may sit between the parts of a dotted name (loosely)
_LONG_DOTTED_IMPORT = re.compile(
    rf"\b(?:import|from){_SPACE}[.\s]*\w+(?:{_SPACE}\.{_SPACE}\w+){{{MAX_EXPRESSION_DEPTH}}}"
)
_NEWLINES = re.compile(r"\r\n?|\n")  # line breaks as CPython's tokenizer counts them


def _libcst_extra(node: ast.AST) -> int:
    """Levels libcst nests where ``ast`` keeps a flat list."""
    if isinstance(node, ast.BoolOp):
        return len(node.values) - 2  # BooleanOperation(BooleanOperation(a, b), c)
    if isinstance(node, ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp):
        return len(node.generators) - 1  # CompFor(inner_for_in=CompFor(...))
    if isinstance(node, ast.alias):
        return node.name.count(".")  # import a.b.c: Attribute(Attribute(a, b), c)
    if isinstance(node, ast.ImportFrom):
        return (node.module or "").count(".")
    return 0


_EXTRA_TYPES = (
    ast.BoolOp,
    ast.ListComp,
    ast.SetComp,
    ast.DictComp,
    ast.GeneratorExp,
    ast.alias,
    ast.ImportFrom,
)


def depth_guard(path: str, text: str) -> FileFacts | None:
    """A finding for a file nested too deeply to hand to libcst safely, else None (parse it)."""
    if len(text) <= MAX_EXPRESSION_DEPTH:
        return None  # every nesting level takes at least one character
    dotted = _LONG_DOTTED_IMPORT.search(text)
    if dotted is not None:
        # CPython's parser is quadratic in the length of a dotted module name (a 500,000-part
        # `import a.b.b...` takes minutes), and libcst nests it one level per part.
        return nested_too_deeply(path, text.count("\n", 0, dotted.start()) + 1)
    try:
        tree = ast.parse(text)
    except (RecursionError, MemoryError):
        # CPython's parser gave up on the nesting ("too complex", or ast construction): libcst
        # would crash on it.
        return nested_too_deeply(path, 1)
    except (SyntaxError, ValueError) as err:
        # Invalid, or newer syntax than this interpreter reads (libcst reads PEP 695 and
        # PEP 701 code under Python 3.11). Estimate the nesting from the tokens instead.
        line = getattr(err, "lineno", None) or 1
        if _token_depth(text) <= MAX_EXPRESSION_DEPTH:
            return None
        if isinstance(err, SyntaxError) and err.msg:
            return syntax_error(path, f"invalid Python: {err.msg}", line, err.offset or 1)
        return nested_too_deeply(path, line)
    line = _deepest_line(tree, text)
    return None if line is None else nested_too_deeply(path, line)


def nested_too_deeply(path: str, line: int) -> FileFacts:
    # complete=False: nothing of the file was analysed, so no rule may conclude from the absence
    # of a fact (a handler "missing" from a file that was never read).
    facts = FileFacts(path, "python", complete=False)
    message = f"nested too deeply to analyse (over {MAX_EXPRESSION_DEPTH} levels); the file was not reviewed"
    facts.syntax.append(SyntaxProblem(message, Location(path, line, 1, line, 1), fatal=False))
    return facts


def _deepest_line(tree: ast.AST, text: str) -> int | None:
    """The line where the tree first gets deeper than MAX_EXPRESSION_DEPTH (libcst's way of
    counting), or None. Iterative. A subtree whose source is too short to nest that deep (each
    level takes at least one character) is not walked, which leaves little but the skeleton of
    compound statements to visit in ordinary code."""
    starts: list[int] | None = None
    limit = MAX_EXPRESSION_DEPTH
    stack: list[tuple[ast.AST, int, int]] = [(tree, 0, 1)]
    iter_children = ast.iter_child_nodes
    while stack:
        node, depth, line = stack.pop()
        end_line = getattr(node, "end_lineno", None)
        if end_line is not None:
            line = node.lineno  # type: ignore[attr-defined]
            end_col = node.end_col_offset or 0  # type: ignore[attr-defined]
            if end_line == line:
                extent = end_col  # a byte offset: never fewer than the characters before it
            else:
                if starts is None:
                    starts = [0, *(m.end() for m in _NEWLINES.finditer(text))]
                last = len(starts)
                extent = starts[min(end_line, last) - 1] - starts[min(line, last) - 1] + end_col
            if depth + extent <= limit:
                continue
        if isinstance(node, _EXTRA_TYPES):
            depth += _libcst_extra(node)
        if depth >= limit:
            return line
        stack.extend((child, depth + 1, line) for child in iter_children(node))
    return None


def _token_depth(text: str) -> int:
    """An upper bound of how deeply libcst may nest a file CPython's parser rejects: the most
    tokens in one logical line, plus the indentation and ``elif`` ladder it sits in.

    Python 3.11's tokenizer predates PEP 701, so an f-string that nests its own quotes
    (``f"{d["k"]}"``) comes out as several string tokens with code between them; once a line
    holds an f-string token with unbalanced braces, every later string in that line counts one
    level per character. A tokenizer error counts the rest of the file as one line."""
    import io
    import tokenize

    best = current = indent = 0
    split_fstring = False
    at_line_start = True
    ladders: dict[int, int] = {}  # indentation -> elifs in a row at that indentation
    position = (1, 0)
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            kind = token.type
            position = token.end
            if kind == tokenize.NEWLINE or kind == tokenize.ENDMARKER:
                best = max(best, current + 2 * indent + ladders.get(indent, 0))
                current, split_fstring, at_line_start = 0, False, True
            elif kind == tokenize.INDENT:
                indent += 1
            elif kind == tokenize.DEDENT:
                ladders.pop(indent, None)
                indent = max(0, indent - 1)
            elif kind not in (tokenize.NL, tokenize.COMMENT):
                if at_line_start:
                    at_line_start = False
                    ladders[indent] = ladders.get(indent, 0) + 1 if token.string == "elif" else 0
                current += 1
                if kind == tokenize.STRING:
                    literal = token.string
                    if not split_fstring and "f" in literal[: literal.find(literal[-1])].lower():
                        split_fstring = literal.count("{") != literal.count("}")
                    if split_fstring:
                        current += len(literal)
    except (tokenize.TokenError, SyntaxError):
        starts = [0, *(m.end() for m in re.finditer("\n", text))]
        row, column = position
        consumed = starts[min(row, len(starts)) - 1] + column
        best = max(best, current + 2 * indent + len(text) - consumed)
    return best


_LIBCST_POSITION = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def cpython_syntax_error(path: str, text: str) -> FileFacts | None:
    """Where CPython's parser stops, and why, for a file libcst rejected. ``ast.parse`` only
    parses (nothing is executed), and its messages and positions are sharper than libcst's
    (libcst puts every tokenizer error at 1:1). None when CPython accepts the file: newer syntax
    than this interpreter knows, which libcst's verdict then stands for."""
    try:
        ast.parse(text, filename=path)
    except SyntaxError as err:
        return syntax_error(path, f"invalid Python: {err.msg}", err.lineno or 1, err.offset or 1)
    except (ValueError, RecursionError, MemoryError, OverflowError):
        return None
    return None


def libcst_syntax_error(path: str, exc: cst.ParserSyntaxError) -> FileFacts:
    # libcst's message carries a sharper "error at LINE:COLUMN" (0-based column) than raw_line
    match = _LIBCST_POSITION.search(exc.message)
    if match:
        return syntax_error(path, f"invalid Python: {match.group(3)}", int(match.group(1)), int(match.group(2)) + 1)
    return syntax_error(path, f"invalid Python: {exc.message}", exc.raw_line, exc.raw_column + 1)


def syntax_error(path: str, message: str, line: int, column: int) -> FileFacts:
    facts = FileFacts(path, "python")
    loc = Location(path, line, column, line, column)
    facts.syntax.append(SyntaxProblem(message, loc, fatal=True))
    return facts
