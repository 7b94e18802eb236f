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


class Fields:
    """The field ids of one grammar, by name: ``_by_id(node, self.fields.body)``.

    ``child_by_field_id`` looks a number up where ``child_by_field_name`` compares the name with
    every field's; ids differ between the grammars, so each file's analyser holds its own.
    A field a grammar lacks gets id 0, which finds nothing, as its name would.
    """

    __slots__ = (
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
        for name in self.__slots__:
            setattr(self, name, ids.get(name, 0))


@cache
def fields_of(dialect: ts.Dialect) -> Fields:
    return Fields(ts.grammar_tables(dialect)[1])
