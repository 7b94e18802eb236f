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
- the same by number for hot paths: ``kind_id`` and ``field_by_id``, with ``grammar_tables``
  (the kind name of each id, the id of each field name, per grammar: ids differ between them);
- ``SyntaxTree.readers(path)``: text, text prefix and ``Location`` of a node as closures made for
  one file (an ASCII file slices its str; elsewhere only non-ASCII lines are decoded);
- ``dialect_for_path``: which grammar reads a file;
- ``query(dialect, pattern)``: a tree-sitter query compiled once, as a function from a node to
  its captures by name (the analyser walks the tree itself; the query-driven floor of
  ``bench/bench_js_analysis.py --floors`` uses this).

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
from itertools import accumulate, count
from operator import add, attrgetter

import tree_sitter

from slsreview.languages import Dialect, dialect_of
from slsreview.location import Location

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
# The same by numbers (see ``grammar_tables``): no string to compare or look up on a hot path
kind_id: Callable[[Node], int] = attrgetter("kind_id")
KIND_IDS = 0x10000  # kind ids are 16-bit; an ERROR node's is the largest, outside every grammar's
field_by_id: Callable[[Node, int], Node | None] = tree_sitter.Node.child_by_field_id
parent: Callable[[Node], Node | None] = attrgetter("parent")
is_missing: Callable[[Node], bool] = attrgetter("is_missing")


def dialect_for_path(path: str) -> Dialect | None:
    """The grammar for a file name, or None when it is not JavaScript or TypeScript."""
    return dialect_of(path)


@cache
def grammar_tables(dialect: Dialect) -> tuple[tuple[str, ...], dict[str, int]]:
    """The node kind named by each ``kind_id``, and the id of each field name, in a grammar.

    Ids differ between grammars (the TypeScript grammars have more kinds and fields), so tables
    keyed by id are built per dialect. ERROR nodes have an id outside the table.
    """
    language = _parser(dialect).language
    assert language is not None
    kinds = tuple(language.node_kind_for_id(i) or "" for i in range(language.node_kind_count))
    fields = {
        name: i
        for i in range(1, language.field_count + 1)
        if (name := language.field_name_for_id(i)) is not None
    }
    return kinds, fields


@cache
def query(dialect: Dialect, pattern: str) -> Callable[[Node], dict[str, list[Node]]]:
    """The captures of ``pattern`` (tree-sitter query syntax) under a node, by capture name,
    each list in document order. The query is compiled once per dialect and pattern.

        >>> calls = query("javascript", "(call_expression function: (identifier) @callee)")
        >>> [kind(n) for n in calls(parse("f(1); g(h(2))", "javascript").root)["callee"]]
        ['identifier', 'identifier', 'identifier']
    """
    language = _parser(dialect).language
    assert language is not None
    compiled = tree_sitter.Query(language, pattern)

    def captures(node: Node) -> dict[str, list[Node]]:
        return tree_sitter.QueryCursor(compiled).captures(node)

    return captures


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
    return SyntaxTree(_parser(dialect).parse(source), source, text)


class SyntaxTree:
    """A parsed file: its root node, and positions converted to lines and character columns."""

    __slots__ = ("_ascii", "_ascii_lines", "_line_starts", "_source", "_text", "_tree", "root")

    def __init__(self, tree: tree_sitter.Tree, source: bytes, text: str | None = None) -> None:
        self._tree = tree  # keeps the nodes' memory alive
        self._source = source
        self.root: Node = tree.root_node
        # Byte offset where each line starts. Positions come from byte offsets and this table:
        # cheaper than the bindings' Point objects, and in an ASCII file a byte column already
        # is a character column. (Built from C-level iterators: no Python call per line.)
        lines = source.split(b"\n")
        self._line_starts = list(map(add, accumulate(map(len, lines), initial=0), count()))[:-1]
        self._ascii = source.isascii()
        # In an ASCII file byte offsets are character offsets: node text is a slice of the str;
        # elsewhere only the lines that are not ASCII need decoding to count characters
        self._text = text if self._ascii and text is not None else None
        self._ascii_lines = None if self._ascii else list(map(bytes.isascii, lines))

    def text(self, node: Node) -> str:
        if self._text is not None:
            return self._text[node.start_byte : node.end_byte]
        return self._source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def text_prefix(self, node: Node, limit: int) -> str:
        """The node's text cut at ``limit`` characters, without decoding a huge node whole."""
        start, end = node.start_byte, node.end_byte
        if self._text is not None:
            return self._text[start : min(end, start + limit)]
        # a UTF-8 character is at most 4 bytes: 4 * limit bytes always hold `limit` characters
        raw = self._source[start : min(end, start + 4 * limit)]
        return raw.decode("utf-8", errors="replace")[:limit]

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and character column of a byte offset."""
        starts = self._line_starts
        row = bisect_right(starts, offset) - 1
        begin = starts[row]
        if self._ascii_lines is None or self._ascii_lines[row]:
            return row + 1, offset - begin + 1
        prefix = self._source[begin:offset]
        column = offset - begin if prefix.isascii() else len(prefix.decode("utf-8", "replace"))
        return row + 1, column + 1

    def span(self, node: Node) -> Span:
        """1-based line and character column of the node's start, and its exclusive end."""
        start, end = node.start_byte, node.end_byte
        starts = self._line_starts
        row = bisect_right(starts, start) - 1
        end_row = bisect_right(starts, end, row) - 1
        flags = self._ascii_lines
        if flags is None or (flags[row] and flags[end_row]):
            return row + 1, start - starts[row] + 1, end_row + 1, end - starts[end_row] + 1
        return (*self.position(start), *self.position(end))

    def readers(
        self, path: str
    ) -> tuple[Callable[[Node], str], Callable[[Node, int], str], Callable[[Node], Location]]:
        """``text``, ``text_prefix`` and a ``Location`` maker for ``path``, as closures made for
        this file (ASCII or not): the analyser calls them for most nodes it visits, and a closure
        over the tables costs less than a method that looks them up and tests the file's kind."""
        starts, flags, text, position = (
            self._line_starts,
            self._ascii_lines,
            self._text,
            self.position,
        )

        def locate(node: Node) -> Location:
            start, end = node.start_byte, node.end_byte
            row = bisect_right(starts, start) - 1
            end_row = bisect_right(starts, end, row) - 1
            if flags is None or (flags[row] and flags[end_row]):
                return Location(
                    path, row + 1, start - starts[row] + 1, end_row + 1, end - starts[end_row] + 1
                )
            return Location(path, *position(start), *position(end))

        if text is None:
            return self.text, self.text_prefix, locate

        def node_text(node: Node) -> str:
            return text[node.start_byte : node.end_byte]

        def node_text_prefix(node: Node, limit: int) -> str:
            start = node.start_byte
            return text[start : min(node.end_byte, start + limit)]

        return node_text, node_text_prefix, locate

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
