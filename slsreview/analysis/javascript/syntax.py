"""The tree-sitter node kinds the walk treats specially, and a few constants of the syntax.

Grammar facts only (JavaScript and TypeScript node names from tree-sitter-javascript and
tree-sitter-typescript); the words of SDKs and platforms are in ``tables.py``.
"""

from __future__ import annotations

from functools import cache

from slsreview.analysis import treesitter as ts

FUNCTION_TYPES = frozenset(
    {"arrow_function", "function_expression", "function", "generator_function"}
)

FUNCTION_DECLARATIONS = frozenset({"function_declaration", "generator_function_declaration"})

CLASS_TYPES = frozenset({"class_declaration", "abstract_class_declaration", "class"})

# Subtrees the analysis never needs to enter: types, comments, regular expressions
SKIPPED = frozenset(
    {
        "comment",
        "type_annotation",
        "type_arguments",
        "type_parameters",
        "type_identifier",
        "predefined_type",
        "enum_declaration",
        "ambient_declaration",
        "implements_clause",
        "regex",
        "hash_bang_line",
        "abstract_method_signature",
        "method_signature",
        "index_signature",
        "function_signature",
        "empty_statement",
        "debugger_statement",
        "break_statement",
        "continue_statement",
        "property_identifier",
        "statement_identifier",
        "import_alias",
        "asserts_annotation",
        "opting_type_annotation",
        "omitting_type_annotation",
        "decorator",
    }
)

# Statements that only hold other statements and expressions: their value is never used, so the
# walk visits what they hold without merging its sources (``Analyzer.s_block``)
BLOCKS = frozenset(
    {
        "expression_statement",
        "lexical_declaration",
        "variable_declaration",
        "statement_block",
        "else_clause",
        "finally_clause",
        "for_statement",
        "while_statement",
        "do_statement",
        "labeled_statement",
        "switch_statement",
        "switch_body",
        "switch_case",
        "switch_default",
    }
)

UNWRAP = frozenset(
    {
        "parenthesized_expression",
        "as_expression",
        "satisfies_expression",
        "non_null_expression",
        "type_assertion",
        "instantiation_expression",
    }
)

COMPARISONS = frozenset({"==", "!=", "===", "!=="})

LOGICAL = frozenset({"&&", "||", "??"})

ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


# The fields the walk asks for (their own tuple: a class mypyc compiles has no __slots__)
_FIELD_NAMES = (
    "alias",
    "alternative",
    "argument",
    "arguments",
    "body",
    "condition",
    "consequence",
    "constructor",
    "declaration",
    "finalizer",
    "function",
    "handler",
    "index",
    "key",
    "left",
    "name",
    "object",
    "operator",
    "optional_chain",
    "parameter",
    "parameters",
    "pattern",
    "property",
    "right",
    "source",
    "type",
    "value",
)


class Fields:
    """The field ids of one grammar, by name: ``_by_id(node, self.fields.body)``.

    ``child_by_field_id`` looks a number up where ``child_by_field_name`` compares the name with
    every field's; ids differ between the grammars, so each file's analyser holds its own.
    A field a grammar lacks gets id 0, which finds nothing, as its name would.
    """

    __slots__ = _FIELD_NAMES

    alias: int
    alternative: int
    argument: int
    arguments: int
    body: int
    condition: int
    consequence: int
    constructor: int
    declaration: int
    finalizer: int
    function: int
    handler: int
    index: int
    key: int
    left: int
    name: int
    object: int
    operator: int
    optional_chain: int
    parameter: int
    parameters: int
    pattern: int
    property: int
    right: int
    source: int
    type: int
    value: int

    def __init__(self, ids: dict[str, int]) -> None:
        for name in _FIELD_NAMES:
            setattr(self, name, ids.get(name, 0))


@cache
def fields_of(dialect: ts.Dialect) -> Fields:
    return Fields(ts.grammar_tables(dialect)[1])


class Kinds:
    """The kind ids of one grammar for the node kinds the walk tests most often:
    ``_kind_id(node) in self.kinds.unwrap`` instead of ``_kind(node) in UNWRAP``.

    ``type`` makes a new string for every node it is asked about, and the walk asks for most
    nodes; ``kind_id`` is a number. One name may have several ids in a grammar (aliases), so each
    entry is the set of every id that grammar gives the names.
    """

    __slots__ = (
        "await_",
        "call",
        "classes",
        "comment",
        "export",
        "function_declarations",
        "functions",
        "identifier",
        "import_",
        "member",
        "template",
        "unwrap",
    )

    def __init__(self, names: tuple[str, ...]) -> None:
        def ids(kinds: frozenset[str] | set[str]) -> frozenset[int]:
            return frozenset(i for i, name in enumerate(names) if name in kinds)

        self.unwrap = ids(UNWRAP)
        self.functions = ids(FUNCTION_TYPES)
        self.function_declarations = ids(FUNCTION_DECLARATIONS)
        self.classes = ids(CLASS_TYPES)
        self.comment = ids({"comment"})
        self.export = ids({"export_statement"})
        self.call = ids({"call_expression"})
        self.member = ids({"member_expression"})
        self.identifier = ids({"identifier"})
        self.import_ = ids({"import"})
        self.await_ = ids({"await_expression"})
        self.template = ids({"template_string"})


@cache
def kinds_of(dialect: ts.Dialect) -> Kinds:
    return Kinds(ts.grammar_tables(dialect)[0])
