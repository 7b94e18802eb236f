"""The tree-sitter node kinds the walk treats specially, and a few constants of the syntax.

Grammar facts only (JavaScript and TypeScript node names from tree-sitter-javascript and
tree-sitter-typescript); the words of SDKs and platforms are in ``tables.py``.
"""

from __future__ import annotations

from slsreview.analysis import treesitter as ts

Node = ts.Node
_kind = ts.kind
_named = ts.named_children
_field = ts.field

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

TEXT_LIMIT = 120
