"""The one door to the tree-sitter Python bindings.

py-tree-sitter changed its API between minor versions (how a ``Language`` is built, how a
``Parser`` gets one, how queries run), so every call into it lives here and is tested against the
versions pinned in pyproject.toml. The rest of the code base sees:

- ``parse(text, dialect)`` -> ``SyntaxTree``: the root node, node text, 1-based line and
  1-based *character* columns (tree-sitter counts bytes; the conversion happens here, once), and
  the first error or missing node, if any;
- a handful of node accessors (``kind``, ``named_children``, ``children``, ``field``, ``parent``,
  ``is_named``, ``is_missing``, ``start_byte``, ``end_byte``). They are the bindings' own C-level
  getters, re-exported under stable names, because the analyser calls them for every node and a
  Python wrapper object per node would cost more than parsing itself;
- ``dialect_for_path``: which grammar reads a file.

    >>> tree = parse("const é = 1; f(é)", "javascript")
    >>> call = named_children(named_children(tree.root)[1])[0]
    >>> kind(call), tree.text(call), tree.span(call)
    ('call_expression', 'f(é)', (1, 14, 1, 18))

Grammars and parsers are built lazily, once per process, on first use.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from functools import cache
from itertools import accumulate
from operator import attrgetter

import tree_sitter

from slsreview.languages import Dialect, dialect_of

# The node handle other modules pass around. It is opaque to them: they use only the accessors
# below, never its attributes, so a binding change is fixed here.
Node = tree_sitter.Node

# (line, column, end_line, end_column), 1-based, character columns, end column exclusive
Span = tuple[int, int, int, int]

# -- node accessors -----------------------------------------------------------------------------
kind: Callable[[Node], str] = attrgetter("type")
children: Callable[[Node], list[Node]] = attrgetter("children")
named_children: Callable[[Node], list[Node]] = attrgetter("named_children")
is_named: Callable[[Node], bool] = attrgetter("is_named")
start_byte: Callable[[Node], int] = attrgetter("start_byte")
end_byte: Callable[[Node], int] = attrgetter("end_byte")
field: Callable[[Node, str], Node | None] = tree_sitter.Node.child_by_field_name
parent: Callable[[Node], Node | None] = attrgetter("parent")
is_missing: Callable[[Node], bool] = attrgetter("is_missing")


def dialect_for_path(path: str) -> Dialect | None:
    """The grammar for a file name, or None when it is not JavaScript or TypeScript."""
    return dialect_of(path)


@cache
def _parser(dialect: Dialect) -> tree_sitter.Parser:
    # Imported here so that a review of a Python-only project never loads the grammars.
    if dialect == "javascript":
        import tree_sitter_javascript

        language = tree_sitter.Language(tree_sitter_javascript.language())
    else:
        import tree_sitter_typescript

        capsule = (
            tree_sitter_typescript.language_tsx()
            if dialect == "tsx"
            else tree_sitter_typescript.language_typescript()
        )
        language = tree_sitter.Language(capsule)
    return tree_sitter.Parser(language)


def parse(text: str, dialect: Dialect) -> SyntaxTree:
    """Parse source text. Never raises for bad input: tree-sitter recovers with error nodes."""
    source = text.encode("utf-8", errors="surrogatepass")
    return SyntaxTree(_parser(dialect).parse(source), source)


class SyntaxTree:
    """A parsed file: its root node, and positions converted to lines and character columns."""

    __slots__ = ("_ascii", "_line_starts", "_source", "_tree", "root")

    def __init__(self, tree: tree_sitter.Tree, source: bytes) -> None:
        self._tree = tree  # keeps the nodes' memory alive
        self._source = source
        self.root: Node = tree.root_node
        # Byte offset where each line starts. Positions come from byte offsets and this table:
        # cheaper than the bindings' Point objects, and in an ASCII file a byte column already
        # is a character column.
        self._line_starts = [0, *accumulate(len(line) + 1 for line in source.split(b"\n"))][:-1]
        self._ascii = source.isascii()

    def text(self, node: Node) -> str:
        return self._source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def text_prefix(self, node: Node, limit: int) -> str:
        """The node's text cut at ``limit`` characters, without decoding a huge node whole."""
        start, end = node.start_byte, node.end_byte
        # a UTF-8 character is at most 4 bytes: 4 * limit bytes always hold `limit` characters
        raw = self._source[start : min(end, start + 4 * limit)]
        return raw.decode("utf-8", errors="replace")[:limit]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and character column of a byte offset."""
        starts = self._line_starts
        row = bisect_right(starts, offset) - 1
        begin = starts[row]
        if self._ascii:
            return row + 1, offset - begin + 1
        prefix = self._source[begin:offset]
        column = offset - begin if prefix.isascii() else len(prefix.decode("utf-8", "replace"))
        return row + 1, column + 1

    def span(self, node: Node) -> Span:
        """1-based line and character column of the node's start, and its exclusive end."""
        start, end = node.start_byte, node.end_byte
        if self._ascii:
            starts = self._line_starts
            row = bisect_right(starts, start) - 1
            end_row = bisect_right(starts, end, row) - 1
            return row + 1, start - starts[row] + 1, end_row + 1, end - starts[end_row] + 1
        return (*self.position(start), *self.position(end))

    def first_problem(self) -> Node | None:
        """The first ERROR or MISSING node in source order, or None for a clean tree.

        Follows ``has_error`` down from the root, so a clean file costs one check and a file
        with an error costs one path through the tree.
        """
        node = self.root
        if not node.has_error:
            return None
        while True:
            for child in node.children:
                if child.is_error or child.is_missing:
                    return child
                if child.has_error:
                    node = child
                    break
            else:
                # has_error with no offending child: the node itself is the problem
                return node
