"""Python handler analysis: one file's text in, the language-neutral ``FileFacts`` out.

    >>> facts = analyze_python("src/app.py", '''
    ... import os, boto3
    ... table = boto3.resource("dynamodb").Table(os.environ["TABLE"])
    ... def handler(event, context):
    ...     table.put_item(Item={"pk": event["id"]})
    ... ''')
    >>> [(c.name, c.callee) for c in facts.calls if c.name]
    [('aws.dynamodb.PutItem', 'boto3.resource.Table.put_item')]
    >>> [(s.kind, s.name) for s in facts.calls[-1].kwarg("Item").sources]
    [('event-id', 'id')]

How it works, and why it is built this way:

1. **One parse.** libcst's native parser is the most expensive step, so the file is parsed once
   and nothing re-parses or copies the tree.
2. **Positions without ``PositionProvider``.** libcst's provider (and the ``MetadataWrapper``
   around it) costs about twice the parse: it copies the tree, splits every token into lines and
   keeps a range for every whitespace node. ``_Spans`` runs the same code generation but only
   counts characters and keeps the *syntactic* span (exactly what ``PositionProvider`` reports)
   of the nodes that record one. Offsets become 1-based line/character columns only for the
   nodes a fact points at.
3. **One walk, no visitor machinery.** ``_Analyzer`` dispatches on node type by hand: statements
   run in order, expressions are *evaluated* into ``_Val`` (an abstract value: which ``Source``s
   reach it, what import path or object it stands for, where it sits inside the invocation
   event). Facts are recorded while evaluating. Module-level code is walked first and function
   bodies afterwards, in definition order, because module code runs at cold start before any
   handler does; a body sees the final module-level names.

Data flow is deliberately simple: per function (plus module-level names) a name holds the union
of everything ever assigned to it; a call's result carries its receiver's and arguments' sources
unless the vocabulary knows better (``uuid4()`` is a new ``random`` source, ``get_secret_value``
a ``secret``, an AWS call's result is AWS data). Nothing is inter-procedural except that calling
an already-analysed local function returns the *kind of object* it returns (``get_table()`` is a
DynamoDB table), never its sources.
"""

from __future__ import annotations

import ast
import bisect
import re
import sys
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from typing import Any, Literal

import libcst as cst

# CodegenState is not re-exported by libcst; it is the hook its own PositionProvider subclasses
# (see _Spans), and pyproject pins libcst to 1.x.
from libcst._nodes.internal import CodegenState

from slsreview.analysis.facts import (
    BindingUse,
    Call,
    Comparison,
    EntryPoint,
    EnvRead,
    FileFacts,
    Flow,
    FunctionDef,
    Import,
    ModuleState,
    Parse,
    Return,
    Source,
    SyntaxProblem,
    TryBlock,
    Value,
    Wrapper,
)
from slsreview.location import Location
from slsreview.vocabulary import (
    crypto,
    events,
    http_clients,
    logs,
    parsing,
    payments,
    powertools,
    sources,
    workers,
)
from slsreview.vocabulary.spelling import camel, spellings

__all__ = ["analyze_python"]


def analyze_python(path: str, text: str) -> FileFacts:
    """Facts of one Python source file. Never raises; never imports or runs the code."""
    if text.startswith("\ufeff"):  # libcst drops a BOM when it parses; columns count without it
        text = text[1:]
    too_deep = _depth_guard(path, text)
    if too_deep is not None:
        return too_deep
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        return _cpython_syntax_error(path, text) or _libcst_syntax_error(path, exc)
    except Exception as exc:  # e.g. UnicodeEncodeError: a lone surrogate cannot reach the parser
        return _syntax_error(path, f"invalid Python: {exc or type(exc).__name__}", 1, 1)
    try:
        return _Analyzer(path, text, module).run()
    except RecursionError:
        return _nested_too_deeply(path, 1)


# ---------------------------------------------------------------------------------------------
# The depth guard
# ---------------------------------------------------------------------------------------------
#
# libcst's native parser recurses once per nesting level, with no limit of its own: past a few
# thousand levels it overflows the C stack and the interpreter dies (a segfault), and well
# before that it turns quadratic (a 3,000-link `a.b().b()...` chain takes over 30 seconds). The
# nesting need not be brackets: `not not ... x`, `-----1`, `a + a + ... + a`, `a.b.b.b`,
# `lambda: lambda: ...`, `x if c else x if c else ...`, `a and a and ...`, `import a.b.b.b`
# and a long `elif` ladder all nest. So before libcst sees a file, CPython's own parser (which
# is bounded: it raises RecursionError or MemoryError instead of crashing) builds an ``ast``,
# and the file goes on to libcst only if that tree is at most MAX_EXPRESSION_DEPTH deep, counted
# the way libcst nests (``a and b and c`` is one ``BoolOp`` in ``ast`` but two nested
# ``BooleanOperation`` nodes in libcst). Real code stays far below the limit: the deepest file in
# a scan of 4,000 files of the standard library and popular packages is 86 levels.

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


def _depth_guard(path: str, text: str) -> FileFacts | None:
    """A finding for a file nested too deeply to hand to libcst safely, else None (parse it)."""
    if len(text) <= MAX_EXPRESSION_DEPTH:
        return None  # every nesting level takes at least one character
    dotted = _LONG_DOTTED_IMPORT.search(text)
    if dotted is not None:
        # CPython's parser is quadratic in the length of a dotted module name (a 500,000-part
        # `import a.b.b...` takes minutes), and libcst nests it one level per part.
        return _nested_too_deeply(path, text.count("\n", 0, dotted.start()) + 1)
    try:
        tree = ast.parse(text)
    except (RecursionError, MemoryError):
        # CPython's parser gave up on the nesting ("too complex", or ast construction): libcst
        # would crash on it.
        return _nested_too_deeply(path, 1)
    except (SyntaxError, ValueError) as err:
        # Invalid, or newer syntax than this interpreter reads (libcst reads PEP 695 and
        # PEP 701 code under Python 3.11). Estimate the nesting from the tokens instead.
        line = getattr(err, "lineno", None) or 1
        if _token_depth(text) <= MAX_EXPRESSION_DEPTH:
            return None
        if isinstance(err, SyntaxError) and err.msg:
            return _syntax_error(path, f"invalid Python: {err.msg}", line, err.offset or 1)
        return _nested_too_deeply(path, line)
    line = _deepest_line(tree, text)
    return None if line is None else _nested_too_deeply(path, line)


def _nested_too_deeply(path: str, line: int) -> FileFacts:
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


def _cpython_syntax_error(path: str, text: str) -> FileFacts | None:
    """Where CPython's parser stops, and why, for a file libcst rejected. ``ast.parse`` only
    parses (nothing is executed), and its messages and positions are sharper than libcst's
    (libcst puts every tokenizer error at 1:1). None when CPython accepts the file: newer syntax
    than this interpreter knows, which libcst's verdict then stands for."""
    try:
        ast.parse(text, filename=path)
    except SyntaxError as err:
        return _syntax_error(path, f"invalid Python: {err.msg}", err.lineno or 1, err.offset or 1)
    except (ValueError, RecursionError, MemoryError, OverflowError):
        return None
    return None


def _libcst_syntax_error(path: str, exc: cst.ParserSyntaxError) -> FileFacts:
    # libcst's message carries a sharper "error at LINE:COLUMN" (0-based column) than raw_line
    match = _LIBCST_POSITION.search(exc.message)
    if match:
        return _syntax_error(path, f"invalid Python: {match.group(3)}", int(match.group(1)), int(match.group(2)) + 1)
    return _syntax_error(path, f"invalid Python: {exc.message}", exc.raw_line, exc.raw_column + 1)


def _syntax_error(path: str, message: str, line: int, column: int) -> FileFacts:
    facts = FileFacts(path, "python")
    loc = Location(path, line, column, line, column)
    facts.syntax.append(SyntaxProblem(message, loc, fatal=True))
    return facts


# ---------------------------------------------------------------------------------------------
# Positions
# ---------------------------------------------------------------------------------------------

_NEWLINE = re.compile(r"\r\n?|\n")  # the line breaks libcst itself recognises

# Nodes no fact points at and no other node takes its span from (libcst hoists spans only from
# statements, suites, else/except/finally clauses, match cases and import aliases).
_UNRECORDED: frozenset[type] = frozenset(
    kind
    for kind in vars(cst).values()
    if isinstance(kind, type)
    and issubclass(kind, cst.BaseUnaryOp | cst.BaseBooleanOp | cst.BaseBinaryOp | cst.BaseCompOp | cst.BaseAugOp)
) | {
    cst.Comma,
    cst.Dot,
    cst.Colon,
    cst.Semicolon,
    cst.AssignEqual,
    cst.Arg,
    cst.Element,
    cst.DictElement,
    cst.StarredDictElement,
    cst.Param,
    cst.SubscriptElement,
    cst.AssignTarget,
    cst.Annotation,
    cst.Asynchronous,
    cst.NameItem,
    cst.From,
    cst.WithItem,
}


class _NoRecord:
    """The context manager handed out for nodes whose span nobody needs."""

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        pass


_NO_RECORD = _NoRecord()


class _Spans(CodegenState):
    """Code generation that only counts characters, recording each node's syntactic span.

    ``starts[id(node)]`` and ``ends[id(node)]`` are character offsets into the module's text
    (libcst code generation reproduces its input exactly), the same span PositionProvider
    reports. Every expression and statement records one through ``record_syntactic_position``;
    whitespace nodes do not, and operators and argument wrappers are skipped (``_UNRECORDED``).

    Cheap by construction, because this runs over every node of every file: keys are
    ``id(node)`` (the module keeps every node alive, and ``CSTNode.__hash__`` is a Python-level
    call), and offsets go into two dicts and a flat stack rather than tuples, so that nothing
    here allocates objects the garbage collector tracks while the whole tree is alive.
    """

    def __init__(self, module: cst.Module) -> None:
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.offset = 0
        self.starts: dict[int, int] = {}
        self.ends: dict[int, int] = {}
        self._open: list[Any] = []  # node id, start node, end node, start offset; repeated

    @classmethod
    def of(cls, module: cst.Module) -> tuple[dict[int, int], dict[int, int]]:
        state = cls(module)
        module._codegen(state)
        return state.starts, state.ends

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.offset += len(token)

    def add_token(self, value: str) -> None:
        self.offset += len(value)

    def pop_trailing_newline(self) -> None:
        pass  # only shortens the module's last line; no span depends on it

    # libcst uses this as ``with state.record_syntactic_position(node, ...)``; returning self
    # with a stack avoids allocating a generator-based context manager per node.
    def record_syntactic_position(  # type: ignore[override]
        self,
        node: cst.CSTNode,
        *,
        start_node: cst.CSTNode | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> _Spans | _NoRecord:
        if type(node) in _UNRECORDED:
            return _NO_RECORD
        self._open += (id(node), start_node, end_node, self.offset)
        return self

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        stack = self._open
        start = stack.pop()
        end_node = stack.pop()
        start_node = stack.pop()
        key = stack.pop()
        if start_node is not None:
            start = self.starts[id(start_node)]
        end = self.offset
        if end_node is not None:
            # an end node without a span of its own (a closing paren) was just emitted
            end = self.ends.get(id(end_node), end)
        self.starts[key] = start
        self.ends[key] = end


# ---------------------------------------------------------------------------------------------
# Abstract values
# ---------------------------------------------------------------------------------------------

_NO_SOURCES: frozenset[Source] = frozenset()
_UNSET: Any = object()  # "no literal/constant value"


class _Val:
    """What an expression (or a name) holds, as far as the facts care.

    ``sources``: every tracked Source reaching it. ``qual``: the dotted import path it resolves
    to, calls elided (``boto3.client`` for ``boto3.client("s3")``), which is also what callees
    are named by. ``ref``: ``qual`` is a plain reference to an imported name (so calling it calls
    that name). ``obj``: a known kind of object (an AWS client, a logger, a Workers binding...).
    ``path``/``path_src``: where inside the invocation event the value sits, and the Source that
    place produced (replaced, not accumulated, when a subscript narrows the path). ``const``: a
    literal it certainly holds (``TIMEOUT = 5``). ``items``: the elements of a dict literal by key.
    """

    __slots__ = ("const", "items", "obj", "path", "path_src", "qual", "ref", "sources")

    def __init__(
        self,
        sources: frozenset[Source] = _NO_SOURCES,
        qual: str | None = None,
        *,
        ref: bool = False,
        obj: object = None,
        path: tuple[str, ...] | None = None,
        path_src: Source | None = None,
        const: Any = _UNSET,
        items: dict[str, tuple[cst.BaseExpression, _Val]] | None = None,
    ) -> None:
        self.sources = sources
        self.qual = qual
        self.ref = ref
        self.obj = obj
        self.path = path
        self.path_src = path_src
        self.const = const
        self.items = items

    def carried(self) -> _Val:
        """The data of this value without its identity (what ``str(x)``, ``x + y`` carry)."""
        return _Val(self.sources) if self.sources else _NOTHING


_NOTHING = _Val()


def _merge(old: _Val | None, new: _Val) -> _Val:
    """A name assigned again holds both values' sources; the newest wins for everything else."""
    if old is None or old is new or not old.sources or old.sources <= new.sources:
        if old is not None and old.const is not _UNSET and old.const != new.const:
            return _copy(new, const=_UNSET)
        return new
    const = new.const if old.const == new.const else _UNSET
    return _copy(new, sources=old.sources | new.sources, const=const)


def _copy(val: _Val, **changes: Any) -> _Val:
    fields = {name: getattr(val, name) for name in _Val.__slots__}
    fields.update(changes)
    sources = fields.pop("sources")
    qual = fields.pop("qual")
    return _Val(sources, qual, **fields)


def _union(vals: Iterable[_Val]) -> frozenset[Source]:
    out = _NO_SOURCES
    for val in vals:
        if val.sources:
            out = out | val.sources if out else val.sources
    return out


# Kinds of objects a value can be. Small and immutable, compared by type.


@dataclass(frozen=True, slots=True)
class _Aws:
    role: str  # client, resource, session, table, bucket, object, queue, topic, batch, paginator
    service: str
    op: str | None = None  # the paginated operation


@dataclass(frozen=True, slots=True)
class _Http:
    client: str  # requests, httpx, aiohttp, urllib3
    has_timeout: bool
    seconds: Any


@dataclass(frozen=True, slots=True)
class _Timeout:  # httpx.Timeout(...), aiohttp.ClientTimeout(...), AbortSignal.timeout(ms)
    seconds: Any


@dataclass(frozen=True, slots=True)
class _UrlRequest:  # urllib.request.Request(url, data, method=...)
    method: str | None


@dataclass(frozen=True, slots=True)
class _Logger:
    kind: str  # logging, powertools


@dataclass(frozen=True, slots=True)
class _Stripe:  # a StripeClient, or one of its resource services
    resource: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _WorkerEnv:  # Python Workers' ``env`` / ``self.env``
    pass


@dataclass(frozen=True, slots=True)
class _Binding:  # env.NAME
    name: str


@dataclass(frozen=True, slots=True)
class _D1:  # env.DB.prepare(sql)[.bind(...)]
    binding: str
    sql: str | None
    args: tuple[tuple[cst.BaseExpression, _Val], ...]


@dataclass(frozen=True, slots=True)
class _DoId:  # env.NS.idFromName(...)
    binding: str


@dataclass(frozen=True, slots=True)
class _Response:  # a Python Workers Response
    pass


@dataclass(frozen=True, slots=True)
class _Resolver:  # a Powertools event handler resolver: app.current_event is the event
    pass


@dataclass(frozen=True, slots=True)
class _Fn:  # a function defined in this file
    qualname: str


@dataclass(frozen=True, slots=True)
class _EventRoot:  # a handler parameter holding the event (or one record of it)
    path: tuple[str, ...]


@dataclass(eq=False)
class _ClassInfo:
    qualname: str
    worker: bool  # WorkerEntrypoint / DurableObject / WorkflowEntrypoint subclass
    methods: list[str] = field(default_factory=list)
    scope: _Scope | None = None  # class body names, and self.X assigned in methods


@dataclass(frozen=True, slots=True, eq=False)
class _Class:
    info: _ClassInfo


@dataclass(frozen=True, slots=True, eq=False)
class _Instance:  # self, or an instance of a class defined here
    info: _ClassInfo


# ---------------------------------------------------------------------------------------------
# Vocabulary tables
# ---------------------------------------------------------------------------------------------

# The words live in slsreview.vocabulary; these are the Python analyzer's views of them.
_HTTP_VERBS = http_clients.HTTP_VERBS
_HTTP_MODULES = http_clients.PYTHON_HTTP_MODULES
_HTTP_SESSIONS = http_clients.PYTHON_HTTP_SESSIONS
_HTTP_FUNCTIONS = http_clients.PYTHON_HTTP_FUNCTIONS
_VERB_ARGUMENT_METHODS = http_clients.PYTHON_VERB_ARGUMENT_METHODS  # requests.request(...)
_SESSION_VERB_ARGUMENT = (*_VERB_ARGUMENT_METHODS, http_clients.PYTHON_POOL_URLOPEN)
_DEFAULT_TIMEOUT = http_clients.DEFAULT_TIMEOUT_SECONDS
_TIMEOUT_TYPES = http_clients.PYTHON_TIMEOUT_TYPES
_TIMEOUT_SIGNALS = frozenset(http_clients.TIMEOUT_SIGNAL.python)

_LOG_LEVELS = logs.method_levels("python")
_LOGGING_LEVEL_NAMES = logs.PYTHON_LEVEL_CONSTANTS
_LOGGER_NAMES = logs.PYTHON_LOGGER_NAMES
_LOG_CALLS = logs.sinks("python", "call")  # print, sys.stdout.write
_LOG_MODULES = logs.sinks("python", "module")  # logging.info(...)
_LOGGER_FACTORIES = logs.sinks("python", "factory")  # logging.getLogger()
_CHILD_LOGGER = logs.CHILD_LOGGER_METHOD["python"]
_POWERTOOLS_LOG_METHODS = powertools.PYTHON_LOGGER_LOG_METHODS

# boto3 methods that are not API operations
_AWS_HELPERS = {
    "get_paginator",
    "get_waiter",
    "generate_presigned_url",
    "generate_presigned_post",
    "can_paginate",
    "close",
    "load",
    "reload",
    "wait_until_exists",
    "wait_until_not_exists",
    "get_available_subresources",
}
# s3 transfer helpers and resource actions whose operation name is not the Pascal-cased method
_AWS_OPERATIONS = {
    ("s3", "upload_file"): "PutObject",
    ("s3", "upload_fileobj"): "PutObject",
    ("s3", "download_file"): "GetObject",
    ("s3", "download_fileobj"): "GetObject",
    ("s3", "copy"): "CopyObject",
    ("object", "put"): "PutObject",
    ("object", "get"): "GetObject",
    ("object", "delete"): "DeleteObject",
    ("object", "copy_from"): "CopyObject",
    ("queue", "send_messages"): "SendMessageBatch",
    ("queue", "receive_messages"): "ReceiveMessage",
    ("queue", "delete_messages"): "DeleteMessageBatch",
    ("sqs", "get_queue_by_name"): "GetQueueUrl",
}
# resource sub-objects: (service, factory method) -> role
_AWS_RESOURCES = {
    ("dynamodb", "Table"): "table",
    ("s3", "Bucket"): "bucket",
    ("s3", "Object"): "object",
    ("sqs", "Queue"): "queue",
    ("sqs", "get_queue_by_name"): "queue",
    ("sns", "Topic"): "topic",
}
_AWS_WRITES = (
    "Put",
    "Update",
    "Delete",
    "BatchWrite",
    "TransactWrite",
    "Send",
    "Publish",
    "Create",
    "Start",
    "Invoke",
    "Upload",
    "Copy",
    "Modify",
    "Write",
    "Execute",
    "Restore",
    "Add",
    "Remove",
    "Set",
    "Tag",
    "Untag",
    "Stop",
    "Terminate",
    "Run",
)

_BINDING_METHODS = workers.python_binding_methods()  # method -> kind; None when kinds share it
_BINDING_CALLS = workers.python_binding_calls()  # (kind, method) -> Call.name
_CF_WRITES = workers.python_binding_writes()
_HYPERDRIVE_PROPS = workers.HYPERDRIVE_PROPERTIES
_R2_OPTIONS = workers.R2_OPTIONS
_D1_RUN = workers.D1_STATEMENT_RUN
_D1_EXEC = _BINDING_CALLS[("d1", "exec")]  # every D1 query's Call.name
_WORKER_BASES = workers.worker_bases("python")
# handler methods of a Workers class, whose first parameter is the event
_WORKER_HANDLERS = workers.python_class_handlers()
_WORKER_MODULES = workers.PYTHON_WORKER_MODULES
_RESPONSES = frozenset(workers.RESPONSE.python)

_RANDOM = spellings(sources.RANDOM, "python")
_TIME = spellings(sources.TIME, "python")
_JSON_PARSERS = spellings(parsing.JSON_PARSERS, "python")
_COMPARE_DIGEST = spellings(crypto.CONSTANT_TIME, "python")
_SECRET_READS = sources.SECRET_READS
_POWERTOOLS_READS = {r.python: r for r in sources.POWERTOOLS_SECRET_READS if isinstance(r.python, str)}
_POWERTOOLS_DECORATORS = powertools.python_decorators()
_POWERTOOLS_FUNCTIONS = powertools.python_functions()
_POWERTOOLS_CLASSES = powertools.python_classes()
_STRIPE_CLIENTS = frozenset(payments.STRIPE_CLIENT.python)
# builtins whose result carries no data of their arguments
_OPAQUE_BUILTINS = {"len", "bool", "isinstance", "issubclass", "hasattr", "callable", "id", "type", "hash"}
# builtins whose result holds the elements of their argument (for loops keep the event path)
_ITERATING_BUILTINS = {"enumerate", "sorted", "list", "reversed", "iter", "tuple", "set", "filter"}
_MUTATORS = {
    "add",
    "append",
    "extend",
    "insert",
    "update",
    "setdefault",
    "pop",
    "popitem",
    "remove",
    "discard",
    "clear",
    "appendleft",
    "extendleft",
    "__setitem__",
}
_CONTAINERS: dict[str, _StateKind] = {
    "dict": "dict",
    "set": "set",
    "list": "list",
    "collections.defaultdict": "dict",
    "collections.OrderedDict": "dict",
    "collections.Counter": "dict",
    "collections.deque": "list",
}
_EVENT_IDS = events.python_event_ids()
_RECORD_LISTS = events.RECORD_LISTS
_HEADER_MAPS = events.HEADER_MAPS
_EVENT_ATTRS = events.POWERTOOLS_EVENT_ATTRIBUTES
_BODY_READERS = events.PYTHON_BODY_READERS
_S3_OBJECT_KEY = ".".join(events.S3_OBJECT_KEY)
_JSON_ERRORS = {"Exception", "BaseException", "ValueError", "JSONDecodeError"}
_BROAD_ERRORS = {"Exception", "BaseException"}

# Imported names from these top-level modules are never local helpers worth linking calls to.
_LIBRARY_ROOTS = set(sys.stdlib_module_names) | {
    "boto3",
    "botocore",
    "requests",
    "httpx",
    "aiohttp",
    "urllib3",
    "stripe",
    "aws_lambda_powertools",
    "workers",
    "js",
    "pyodide",
    "pydantic",
}


# ---------------------------------------------------------------------------------------------
# Literals
# ---------------------------------------------------------------------------------------------


def _literal(node: cst.BaseExpression) -> Any:
    """The Python value of a fully literal expression, or ``_UNSET``."""
    if type(node) is cst.SimpleString:
        return _string(node)
    if type(node) is cst.Integer:
        try:
            return int(node.value, 0)
        except ValueError:  # leading zeros such as "00" are valid Python but not int(..., 0)
            # ...and more than 4,300 digits are refused by int() and literal_eval alike
            # (CVE-2020-10735): then it is no literal we can hold.
            return _literal_eval(node.value)
    if type(node) is cst.Float:
        return float(node.value.replace("_", ""))
    if type(node) is cst.Name:
        return _NAMED_CONSTANTS.get(node.value, _UNSET)
    if type(node) is cst.ConcatenatedString:
        left = _literal(node.left)
        right = _literal(node.right)
        return left + right if isinstance(left, str) and isinstance(right, str) else _UNSET
    if type(node) is cst.UnaryOperation and type(node.operator) is cst.Minus:
        inner = _literal(node.expression)
        return -inner if type(inner) in (int, float) else _UNSET
    if type(node) is cst.Dict:
        out: dict[Any, Any] = {}
        for element in node.elements:
            if type(element) is not cst.DictElement:
                return _UNSET
            key = _literal(element.key)
            value = _literal(element.value)
            if value is _UNSET or not isinstance(key, str | int | float | bool):
                return _UNSET
            out[key] = value
        return out
    if type(node) is cst.List or type(node) is cst.Tuple:
        items = []
        for item in node.elements:
            value = _literal(item.value) if type(item) is cst.Element else _UNSET
            if value is _UNSET:
                return _UNSET
            items.append(value)
        return items
    return _UNSET


_NAMED_CONSTANTS = {"True": True, "False": False, "None": None}


def _string(node: cst.SimpleString) -> Any:
    raw = node.value
    start = 0
    while raw[start] not in "'\"":
        start += 1
    prefix = raw[:start].lower()
    if "b" in prefix:
        return _UNSET  # bytes are not one of the literal kinds a Value holds
    quote = 3 if raw[start : start + 3] in ('"""', "'''") else 1
    body = raw[start + quote : len(raw) - quote]
    if "r" in prefix or "\\" not in body:
        return body
    return _literal_eval(raw)


def _literal_eval(source: str) -> Any:
    """``ast.literal_eval`` of one literal's source, or ``_UNSET``. Quiet: an escape such as
    ``"\\d"`` draws a DeprecationWarning (a SyntaxWarning on stderr from Python 3.12), which is
    the reviewed code's business, not our output's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return ast.literal_eval(source)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return _UNSET


def _text_literal(node: cst.BaseExpression, val: _Val) -> str | None:
    """A string an argument certainly holds: a literal, or a name bound to one."""
    value = _literal(node)
    if value is _UNSET:
        value = val.const
    return value if isinstance(value, str) else None


def _dict_keys(node: cst.Dict) -> tuple[str, ...]:
    keys = []
    for element in node.elements:
        if type(element) is cst.DictElement:
            key = _literal(element.key)
            if isinstance(key, str):
                keys.append(key)
    return tuple(keys)


def _dotted(node: cst.BaseExpression) -> str:
    """``a.b.c`` for a name chain, with calls and subscripts elided (``get().put`` -> ``get.put``)."""
    if type(node) is cst.Name:
        return node.value
    if type(node) is cst.Attribute:
        return f"{_dotted(node.value)}.{node.attr.value}"
    if type(node) is cst.Call:
        return _dotted(node.func)
    if type(node) is cst.Subscript:
        return _dotted(node.value)
    if type(node) is cst.Await:
        return _dotted(node.expression)
    return "?"


def _root_name(node: cst.BaseExpression) -> str | None:
    """The variable at the bottom of ``x``, ``x[k]``, ``x.a[k].b``."""
    while type(node) is cst.Subscript or type(node) is cst.Attribute:
        node = node.value
    return node.value if type(node) is cst.Name else None


def _receiver(call: cst.Call) -> cst.BaseExpression | None:
    """``x`` in ``x.method(...)``."""
    return call.func.value if type(call.func) is cst.Attribute else None


def _pairwise(
    target: cst.BaseExpression, value: cst.BaseExpression
) -> list[tuple[cst.BaseExpression, cst.BaseExpression]] | None:
    """``a, b = x, y``: the (target, value) pairs, when both sides are plain sequences alike."""
    if not (isinstance(target, cst.Tuple | cst.List) and isinstance(value, cst.Tuple | cst.List)):
        return None
    if len(target.elements) != len(value.elements):
        return None
    if not all(isinstance(e, cst.Element) for e in (*target.elements, *value.elements)):
        return None
    return [(t.value, v.value) for t, v in zip(target.elements, value.elements, strict=True)]


_MATCH_NODES = (
    cst.MatchPattern,
    cst.MatchStar,
    cst.MatchSequenceElement,
    cst.MatchMappingElement,
    cst.MatchKeywordElement,
    cst.MatchOrElement,
)


def _pascal(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


def _param_names(params: cst.Parameters) -> tuple[list[str], list[str]]:
    """(positional parameter names, all parameter names)."""
    positional = [p.name.value for p in (*params.posonly_params, *params.params)]
    names = list(positional)
    if isinstance(params.star_arg, cst.Param):
        names.append(params.star_arg.name.value)
    names.extend(p.name.value for p in params.kwonly_params)
    if params.star_kwarg is not None:
        names.append(params.star_kwarg.name.value)
    return positional, names


def _lambda_shaped(params: Sequence[str]) -> bool:
    """``(event, context)``: how Lambda calls a handler, however its parameters are spelled."""
    if not params:
        return False
    if "event" in params[0].lower():
        return True
    if len(params) < 2:
        return False
    second = params[1].lower()
    return "context" in second or second in events.PYTHON_CONTEXT_PARAMS


def _event_source(path: tuple[str, ...], loc: Location) -> Source:
    """The Source for a place in the event: ``("headers", "X-Key")`` -> event ``headers.x-key``."""
    segments = path
    whole = "event"
    if segments and segments[0] in _RECORD_LISTS:
        # one record of a batch: name what is inside it as if it were the event
        if len(segments) == 1 or segments[1] not in ("[]", "*"):
            return Source("event", "records", loc)
        segments = segments[2:]
        whole = "records"
    parts: list[str] = []
    previous = ""
    for segment in segments:
        if segment != "[]":
            parts.append(segment.lower() if previous in _HEADER_MAPS else segment)
        previous = segment
    name = ".".join(parts) or whole
    if name == _S3_OBJECT_KEY:
        name = events.S3_KEY_NAME
    return Source("event-id" if name in _EVENT_IDS else "event", name, loc)


# ---------------------------------------------------------------------------------------------
# The walk
# ---------------------------------------------------------------------------------------------


class _Scope:
    __slots__ = ("names", "parent")

    def __init__(self, parent: _Scope | None) -> None:
        self.names: dict[str, _Val] = {}
        self.parent = parent


@dataclass(eq=False)
class _Handler:
    """What an except clause does, collected while its body is walked."""

    raised: bool = False
    returned: bool = False
    returned_ok: bool = False  # returned a literal 2xx/3xx status
    failure: bool = False
    logged: bool = False

    def on_error(self) -> _OnError:
        if self.raised:
            return "reraise"
        if self.failure:
            return "record-failure"
        if self.returned:
            return "swallow" if self.returned_ok else "return-error"
        return "log-only" if self.logged else "swallow"


@dataclass(eq=False)
class _Ctx:
    """Where the walk is: the function whose code this is, and its per-function state."""

    function: str | None  # qualname; None at module level
    scope: _Scope
    prefix: str  # qualname prefix of definitions made here
    cls: _ClassInfo | None = None  # set while walking a class body
    entry: bool = False  # a handler: what it returns is a response
    calls: dict[str, None] = field(default_factory=dict)
    tries: list[int] = field(default_factory=list)  # enclosing try bodies, innermost last
    handlers: list[_Handler] = field(default_factory=list)  # enclosing except clauses
    guards: list[set[str]] = field(default_factory=list)  # env names checked by enclosing ifs
    globals: set[str] = field(default_factory=set)


@dataclass(eq=False)
class _Pending:
    """A function whose body is walked once the code around it has been."""

    node: cst.FunctionDef
    qualname: str
    parent: _Scope  # the enclosing function's or the module's scope (a class body's is skipped)
    roots: dict[str, _Val]  # what parameters hold when the platform calls it
    entry: bool  # a handler: what it returns is a response
    loc: Location
    params: tuple[str, ...]
    exported: bool


class _Site:
    """A call being classified: its receiver, callee and evaluated arguments."""

    __slots__ = ("args", "awaited", "fn", "method", "node", "qual", "recv", "ref", "values")

    def __init__(
        self,
        node: cst.Call,
        recv: _Val | None,
        method: str | None,
        fn: _Val,
        args: list[tuple[str | None, cst.BaseExpression, _Val]],
        awaited: bool,
    ) -> None:
        self.node = node
        self.recv = recv
        self.method = method
        self.fn = fn
        self.qual = fn.qual
        self.ref = fn.ref
        self.args = args
        self.awaited = awaited
        self.values: tuple[tuple[Value, ...], tuple[tuple[str, Value], ...]] | None = None

    def arg(self, index: int | None, keyword: str | None = None) -> tuple[cst.BaseExpression, _Val] | None:
        position = 0
        for key, node, val in self.args:
            if key is None:
                if position == index:
                    return node, val
                position += 1
            elif key == keyword:
                return node, val
        return None

    def has(self, keyword: str) -> bool:
        return any(key == keyword for key, _, _ in self.args)

    def all_sources(self) -> frozenset[Source]:
        return _union(val for _, _, val in self.args)


_Outcome = tuple[str, list[tuple[str, Any]], _Val]  # (Call.name, Call.attrs, the call's result)
_StateKind = Literal["dict", "set", "list"]
_OnError = Literal["reraise", "return-error", "record-failure", "swallow", "log-only"]
_Via = Literal["os.environ", "worker-env"]


class _Analyzer:
    def __init__(self, path: str, text: str, module: cst.Module) -> None:
        self.path = path
        self.text = text
        self.module = module
        self.starts, self.ends = _Spans.of(module)
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self.facts = FileFacts(path, "python")
        self.module_scope = _Scope(None)
        self.ctx = _Ctx(None, self.module_scope, "")
        self.pending: deque[_Pending] = deque()
        self.workers = False  # the module imports the Python Workers runtime
        self.next_try = 1
        self.try_handlers: dict[int, list[tuple[bool, _OnError]]] = {}  # id -> (catches JSON errors, on_error)
        self.parses: list[tuple[Location, str | None, tuple[Source, ...], tuple[int, ...]]] = []
        self.state: dict[str, tuple[_StateKind, Location]] = {}  # module containers by name
        self.state_writes: dict[str, list[tuple[str, Location]]] = {}
        self.bindings: set[str] = set()  # env names used as Workers bindings
        self.returns_obj: dict[str, _Val] = {}  # what kind of object each local function returns
        self.handlers: list[tuple[str, Location]] = []  # top-level (event, context) functions
        self.guard_names: set[str] | None = None  # collecting env names read by an if test
        self.last_site: _Site | None = None
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
        self.expr_dispatch: dict[type, Callable[[Any], _Val]] = {
            cst.Name: self._name,
            cst.Attribute: self._attribute,
            cst.Call: self._call,
            cst.Subscript: self._subscript,
            cst.SimpleString: self._nothing,
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

    # -- driver ------------------------------------------------------------------------------
    def run(self) -> FileFacts:
        for stmt in self.module.body:
            self._stmt(stmt)
        while self.pending:
            self._function(self.pending.popleft())
        return self._finish()

    def _function(self, pending: _Pending) -> None:
        node = pending.node
        scope = _Scope(pending.parent)
        for name in pending.params:
            scope.names[name] = pending.roots.get(name, _NOTHING)
        ctx = _Ctx(pending.qualname, scope, pending.qualname + ".", entry=pending.entry)
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
            )
        )

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
                facts.module_state.append(ModuleState(name, kind, loc, tuple(writes)))

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

    # -- positions and values ----------------------------------------------------------------
    def _loc(self, node: cst.CSTNode) -> Location:
        key = id(node)
        start = self.starts.get(key)
        if start is None:
            return Location.file_start(self.path)
        return self._span_loc(start, self.ends[key])

    def _span_loc(self, start: int, end: int) -> Location:
        starts = self.line_starts
        line = bisect.bisect_right(starts, start)
        end_line = line if end <= start else bisect.bisect_right(starts, end - 1)
        # an end just past a line's last character stays on that line (exclusive column)
        return Location(
            self.path, line, start - starts[line - 1] + 1, end_line, end - starts[end_line - 1] + 1
        )

    def _header_loc(self, node: cst.FunctionDef | cst.ClassDef) -> Location:
        """``def name`` / ``class Name``: where a finding about a definition points."""
        return self._span_loc(self.starts[id(node)], self.ends[id(node.name)])

    def _value(self, node: cst.BaseExpression, val: _Val) -> Value:
        start = self.starts.get(id(node), 0)
        end = self.ends.get(id(node), 0)
        literal = _literal(node)
        is_literal = literal is not _UNSET
        return Value(
            self.text[start : min(end, start + 120)],
            self._span_loc(start, end),
            literal if is_literal else None,
            is_literal,
            tuple(sorted(val.sources)),
            _dict_keys(node) if type(node) is cst.Dict else (),
        )

    def _site_values(self, site: _Site) -> tuple[tuple[Value, ...], tuple[tuple[str, Value], ...]]:
        if site.values is None:
            args: list[Value] = []
            kwargs: list[tuple[str, Value]] = []
            for key, node, val in site.args:
                if key is None or key == "*":
                    args.append(self._value(node, val))
                else:
                    kwargs.append((key, self._value(node, val)))
            site.values = (tuple(args), tuple(kwargs))
        return site.values

    # -- scopes ------------------------------------------------------------------------------
    def _lookup(self, name: str) -> _Val | None:
        scope: _Scope | None = self.ctx.scope
        if name in self.ctx.globals:
            scope = self.module_scope
        while scope is not None:
            val = scope.names.get(name)
            if val is not None:
                return val
            scope = scope.parent
        return None

    def _scope_of(self, name: str) -> _Scope | None:
        scope: _Scope | None = self.module_scope if name in self.ctx.globals else self.ctx.scope
        while scope is not None:
            if name in scope.names:
                return scope
            scope = scope.parent
        return None

    def _bind(self, name: str, val: _Val) -> None:
        scope = self.module_scope if name in self.ctx.globals else self.ctx.scope
        scope.names[name] = _merge(scope.names.get(name), val)

    def _mutate(self, name: str | None, sources: frozenset[Source], node: cst.CSTNode) -> None:
        """``name`` changed in place (``x[k] = v``, ``x.append(v)``): it now holds ``sources`` too,
        and a module-level container written inside a function is module state."""
        if name is None:
            return
        scope = self._scope_of(name)
        if scope is None or scope.names[name].ref:  # an imported module is not data
            return
        if sources:
            scope.names[name] = _copy(scope.names[name], sources=scope.names[name].sources | sources)
        function = self.ctx.function
        if scope is self.module_scope and function is not None and name in self.state:
            self.state_writes.setdefault(name, []).append((function, self._loc(node)))

    # -- statements --------------------------------------------------------------------------
    def _stmt(self, node: cst.BaseStatement) -> None:
        handler = self.stmt_dispatch.get(type(node))
        if handler is not None:
            handler(node)

    def _suite(self, suite: cst.BaseSuite) -> None:
        if type(suite) is cst.IndentedBlock:
            for stmt in suite.body:
                self._stmt(stmt)
        elif type(suite) is cst.SimpleStatementSuite:
            for small in suite.body:
                self._small(small)

    def _simple_line(self, node: cst.SimpleStatementLine) -> None:
        for small in node.body:
            self._small(small)

    def _small(self, node: cst.BaseSmallStatement) -> None:
        handler = self.small_dispatch.get(type(node))
        if handler is not None:
            handler(node)

    def _expr_stmt(self, node: cst.Expr) -> None:
        self._expr(node.value)

    def _assert(self, node: cst.Assert) -> None:
        self._expr(node.test)
        if node.msg is not None:
            self._expr(node.msg)

    def _global(self, node: cst.Global | cst.Nonlocal) -> None:
        if isinstance(node, cst.Global):
            self.ctx.globals.update(item.name.value for item in node.names)

    def _del(self, node: cst.Del) -> None:
        target = node.target
        targets = [e.value for e in target.elements] if isinstance(target, cst.Tuple | cst.List) else [target]
        for item in targets:
            if isinstance(item, cst.Subscript):
                self._expr(item.value)
                self._index(item)
                self._mutate(_root_name(item), _NO_SOURCES, item)

    def _assign(self, node: cst.Assign) -> None:
        value = node.value
        targets = [t.target for t in node.targets]
        pairs = _pairwise(targets[0], value) if len(targets) == 1 else None
        if pairs is not None:  # a, b = x, y
            vals = [self._expr(right) for _, right in pairs]
            for (left, _), val in zip(pairs, vals, strict=True):
                self._target(left, val)
            return
        val = self._constant(value, self._expr(value))
        for target in targets:
            self._target(target, val)
        if self.ctx.function is None and self.ctx.cls is None and len(targets) == 1:
            self._module_container(targets[0], value, val, node)

    def _ann_assign(self, node: cst.AnnAssign) -> None:
        if node.value is None:
            return
        val = self._constant(node.value, self._expr(node.value))
        self._target(node.target, val)
        if self.ctx.function is None and self.ctx.cls is None:
            self._module_container(node.target, node.value, val, node)

    def _aug_assign(self, node: cst.AugAssign) -> None:
        val = self._expr(node.value)
        target = node.target
        if type(target) is cst.Name:
            current = self._lookup(target.value)
            self._bind(target.value, _Val((current.sources if current else _NO_SOURCES) | val.sources))
            if self._scope_of(target.value) is self.module_scope:
                self._mutate(target.value, _NO_SOURCES, node)
        elif type(target) is cst.Subscript or type(target) is cst.Attribute:
            self._expr(target.value)
            if type(target) is cst.Subscript:
                self._index(target)
            self._mutate(_root_name(target), val.sources, node)

    @staticmethod
    def _constant(node: cst.BaseExpression, val: _Val) -> _Val:
        """``TIMEOUT = 5``: a name assigned a literal remembers it (literals evaluate lazily)."""
        if type(node) in (cst.SimpleString, cst.Integer, cst.Float, cst.ConcatenatedString):
            return _Val(const=_literal(node))
        return val

    def _module_container(
        self, target: cst.BaseExpression, value: cst.BaseExpression, val: _Val, node: cst.CSTNode
    ) -> None:
        """Remember module-level ``NAME = {}`` / ``set()`` / ``defaultdict(...)``: if a function
        writes to it, it is state that outlives an invocation."""
        if type(target) is not cst.Name:
            return
        kind: _StateKind | None = None
        value_type = type(value)
        if value_type in (cst.Dict, cst.DictComp):
            kind = "dict"
        elif value_type in (cst.List, cst.ListComp):
            kind = "list"
        elif value_type in (cst.Set, cst.SetComp):
            kind = "set"
        elif value_type is cst.Call and self.last_site is not None and self.last_site.node is value:
            kind = _CONTAINERS.get(self.last_site.qual or "")
        if kind is None:
            self.state.pop(target.value, None)
        else:
            self.state[target.value] = (kind, self._loc(node))

    def _target(self, target: cst.BaseExpression, val: _Val) -> None:
        """Bind an assignment (or for, with, except) target to what is assigned."""
        if type(target) is cst.Name:
            self._bind(target.value, val)
            if target.value in self.ctx.globals and target.value in self.state and self.ctx.function:
                # `global cache; cache = {...}` replaces module state from inside a function
                self.state_writes.setdefault(target.value, []).append((self.ctx.function, self._loc(target)))
        elif type(target) is cst.Tuple or type(target) is cst.List:
            element_val = self._element(val, target)
            for element in target.elements:
                self._target(element.value, element_val)
        elif type(target) is cst.StarredElement:
            self._target(target.value, val)
        elif type(target) is cst.Subscript:
            self._expr(target.value)
            self._index(target)
            self._mutate(_root_name(target), val.sources, target)
        elif type(target) is cst.Attribute:
            owner = self._expr(target.value)
            if isinstance(owner.obj, _Instance) and owner.obj.info.scope is not None:
                names = owner.obj.info.scope.names  # self.x = ...: an attribute of the class
                names[target.attr.value] = _merge(names.get(target.attr.value), val)
            else:
                self._mutate(_root_name(target), val.sources, target)

    def _if(self, node: cst.If) -> None:
        names = self._test(node.test)
        if names:
            self.ctx.guards.append(names)
        self._suite(node.body)
        if names:
            self.ctx.guards.pop()
        orelse = node.orelse
        if type(orelse) is cst.If:
            self._if(orelse)
        elif orelse is not None:
            self._suite(orelse.body)

    def _test(self, test: cst.BaseExpression) -> set[str]:
        """Evaluate an if/while test; the env names it reads guard the body."""
        saved, self.guard_names = self.guard_names, set()
        self._expr(test)
        names, self.guard_names = self.guard_names, saved
        return names

    def _while(self, node: cst.While) -> None:
        self._test(node.test)
        self._suite(node.body)
        if node.orelse is not None:
            self._suite(node.orelse.body)

    def _for(self, node: cst.For) -> None:
        self._target(node.target, self._element(self._expr(node.iter), node.iter))
        self._suite(node.body)
        if node.orelse is not None:
            self._suite(node.orelse.body)

    def _element(self, val: _Val, node: cst.CSTNode) -> _Val:
        """One element of an iterable value: a record of ``event["Records"]`` keeps its place."""
        if val.path is not None:
            path = (*val.path, "[]")
            src = _event_source(path, self._loc(node))
            return _Val(self._replace_path_src(val, src), path=path, path_src=src)
        return val.carried()

    def _with(self, node: cst.With) -> None:
        suppress: cst.WithItem | None = None
        for item in node.items:
            val = self._expr(item.item, awaited=node.asynchronous is not None)
            if val.qual == "contextlib.suppress":
                suppress = item
            if item.asname is not None:
                self._target(item.asname.name, val)
        if suppress is None:
            self._suite(node.body)
            return
        # `with suppress(...)` is a try whose handler does nothing
        tid = self._new_try()
        self.ctx.tries.append(tid)
        self._suite(node.body)
        self.ctx.tries.pop()
        caught: set[str] = set()
        if isinstance(suppress.item, cst.Call):
            for arg in suppress.item.args:
                caught |= self._caught(arg.value)
        self.try_handlers[tid] = [(bool(caught & _JSON_ERRORS), "swallow")]
        where = self._loc(suppress.item)
        self.facts.tries.append(TryBlock(tid, self._loc(node), self.ctx.function, "swallow", where))

    def _match(self, node: cst.Match) -> None:
        subject = self._expr(node.subject)
        for case in node.cases:
            self._pattern(case.pattern, subject)
            if case.guard is not None:
                self._expr(case.guard)
            self._suite(case.body)

    def _pattern(self, pattern: cst.CSTNode, subject: _Val) -> None:
        """Bind the names a case pattern captures, each to the subject's data."""
        if isinstance(pattern, cst.MatchValue):
            self._expr(pattern.value)
            return
        for capture in (getattr(pattern, "name", None), getattr(pattern, "rest", None)):
            if isinstance(capture, cst.Name):
                self._bind(capture.value, subject.carried())
        for child in pattern.children:
            if isinstance(child, _MATCH_NODES):
                self._pattern(child, subject)

    # -- try ---------------------------------------------------------------------------------
    def _new_try(self) -> int:
        tid = self.next_try
        self.next_try += 1
        return tid

    def _try(self, node: cst.Try | cst.TryStar) -> None:
        ctx = self.ctx
        tid = self._new_try()
        ctx.tries.append(tid)
        self._suite(node.body)
        ctx.tries.pop()
        outcomes: list[tuple[cst.CSTNode, set[str], _OnError]] = []
        handler: cst.CSTNode
        on_error: _OnError
        for clause in node.handlers:
            caught = self._caught(clause.type)
            if clause.type is not None:
                self._expr(clause.type)
            if clause.name is not None:
                self._target(clause.name.name, _NOTHING)
            state = _Handler()
            ctx.handlers.append(state)
            self._suite(clause.body)
            ctx.handlers.pop()
            outcomes.append((clause, caught, state.on_error()))
        if node.orelse is not None:
            self._suite(node.orelse.body)
        if node.finalbody is not None:
            self._suite(node.finalbody.body)
        self.try_handlers[tid] = [(bool(caught & _JSON_ERRORS), on_error) for _, caught, on_error in outcomes]
        if outcomes:
            # the handler that catches what an SDK or HTTP call raises: the first broad one
            handler, _, on_error = next((o for o in outcomes if o[1] & _BROAD_ERRORS), outcomes[-1])
        elif node.finalbody is not None:
            handler, on_error = node.finalbody, "reraise"  # try/finally: the error propagates
        else:
            return
        self.facts.tries.append(
            TryBlock(tid, self._loc(node), ctx.function, on_error, self._loc(handler))
        )

    def _caught(self, node: cst.BaseExpression | None) -> set[str]:
        """Short names of the exception types an except clause catches (bare: BaseException)."""
        if node is None:
            return {"BaseException"}
        if type(node) is cst.Tuple:
            out: set[str] = set()
            for element in node.elements:
                out |= self._caught(element.value)
            return out
        return {_dotted(node).rsplit(".", 1)[-1]}

    def _note(self, what: str) -> None:
        """Record in every enclosing except clause that its body raises/returns/logs..."""
        for handler in self.ctx.handlers:
            setattr(handler, what, True)

    def _raise(self, node: cst.Raise) -> None:
        if node.exc is not None:
            self._expr(node.exc)
        if node.cause is not None:
            self._expr(node.cause.item)
        self._note("raised")

    # -- definitions -------------------------------------------------------------------------
    def _def(self, node: cst.FunctionDef) -> None:
        ctx = self.ctx
        name = node.name.value
        qualname = ctx.prefix + name
        for decorator in node.decorators:
            self._decorator(decorator, qualname)
        for param in (*node.params.params, *node.params.kwonly_params, *node.params.posonly_params):
            if param.default is not None:
                self._expr(param.default)
        positional, params = _param_names(node.params)
        cls = ctx.cls
        top_level = ctx.function is None and cls is None
        loc = self._header_loc(node)
        if cls is not None:
            cls.methods.append(name)
        self._bind(name, _Val(qual=qualname, obj=_Fn(qualname)))
        if top_level:
            self.facts.entry_points.append(EntryPoint(name, qualname, "function", loc))
            if name == workers.PYTHON_ON_FETCH:  # the Python Workers module-level form of a fetch handler
                self.facts.entry_points.append(EntryPoint("default", qualname, "on-fetch", loc))
        roots = self._roots(node, name, positional, cls, top_level)
        if top_level and not self.workers and any(type(v.obj) is _EventRoot for v in roots.values()):
            self.handlers.append((qualname, loc))
        parent = ctx.scope.parent if cls is not None and ctx.scope.parent is not None else ctx.scope
        self.pending.append(
            _Pending(
                node,
                qualname,
                parent,
                roots,
                any(isinstance(v.obj, _EventRoot) for v in roots.values()),
                loc,
                tuple(params),
                top_level and not name.startswith("_"),
            )
        )

    def _roots(
        self,
        node: cst.FunctionDef,
        name: str,
        positional: list[str],
        cls: _ClassInfo | None,
        top_level: bool,
    ) -> dict[str, _Val]:
        """What a function's parameters hold when the platform calls it."""
        roots: dict[str, _Val] = {}
        params = positional
        if cls is not None and params and params[0] in ("self", "cls"):
            roots[params[0]] = _Val(qual=cls.qualname, obj=_Instance(cls))
            params = params[1:]
            if cls.worker and name in _WORKER_HANDLERS and params:
                roots[params[0]] = _Val(obj=_EventRoot(()))
        elif top_level and params and ((self.workers and name.startswith(workers.PYTHON_HANDLER_PREFIX)) or _lambda_shaped(params)):
            roots[params[0]] = _Val(obj=_EventRoot(()))
        # Powertools data classes say what a parameter is: a whole event or one record of it
        for param in (*node.params.posonly_params, *node.params.params):
            if param.annotation is not None and param.name.value not in roots:
                annotation = _dotted(param.annotation.annotation)
                if annotation.endswith("Record"):
                    roots[param.name.value] = _Val(obj=_EventRoot(("Records", "[]")))
                elif annotation.endswith("Event") and annotation[:1].isupper():
                    roots[param.name.value] = _Val(obj=_EventRoot(()))
        if self.workers:
            _, all_params = _param_names(node.params)
            for param_name in all_params:
                if param_name == workers.ENV_NAME:
                    roots[param_name] = _Val(qual="env", obj=_WorkerEnv())
        return roots

    def _class(self, node: cst.ClassDef) -> None:
        ctx = self.ctx
        qualname = ctx.prefix + node.name.value
        bases = [self._expr(arg.value) for arg in node.bases]
        for decorator in node.decorators:
            self._expr(decorator.decorator)
        # class Default(WorkerEntrypoint), also when the base is imported under another name
        worker = any(
            name.rsplit(".", 1)[-1] in _WORKER_BASES
            for arg, base in zip(node.bases, bases, strict=True)
            for name in (base.qual or "", _dotted(arg.value))
        )
        scope = _Scope(ctx.scope)
        info = _ClassInfo(qualname, worker, scope=scope)
        self._bind(node.name.value, _Val(qual=qualname, obj=_Class(info)))
        body_ctx = replace(ctx, scope=scope, prefix=qualname + ".", cls=info)
        self.ctx = body_ctx
        self._suite(node.body)
        self.ctx = ctx
        if worker and ctx.function is None and ctx.cls is None:
            name = node.name.value
            symbol = "default" if name == "Default" else name
            methods = tuple(m for m in info.methods if not m.startswith("_"))
            self.facts.entry_points.append(
                EntryPoint(symbol, qualname, "worker-entrypoint", self._header_loc(node), methods)
            )

    def _decorator(self, decorator: cst.Decorator, target: str) -> None:
        expr = decorator.decorator
        self.last_site = None
        val = self._expr(expr)
        site = self.last_site if type(expr) is cst.Call else None
        qual = (site.qual if site is not None else val.qual) or ""
        last = _dotted(expr).rsplit(".", 1)[-1]
        name: str | None = None
        if last == powertools.PYTHON_LOGGER_DECORATOR or qual.startswith(powertools.PYTHON_PACKAGE):
            name = _POWERTOOLS_DECORATORS.get(last)
        if name is None:
            return
        args = self._wrapper_args(site) if site is not None else ()
        self.facts.wrappers.append(Wrapper(name, target, self._loc(decorator), args))

    def _wrapper_args(self, site: _Site) -> tuple[tuple[str, Value], ...]:
        args, kwargs = self._site_values(site)
        return tuple((str(i), v) for i, v in enumerate(args)) + kwargs

    # -- imports -----------------------------------------------------------------------------
    def _import(self, node: cst.Import) -> None:
        loc = self._loc(node)
        for alias in node.names:
            module = _dotted(alias.name)
            if alias.asname is not None:
                local = _dotted(alias.asname.name)
                self._bind(local, _Val(qual=module, ref=True))
                names: tuple[tuple[str, str], ...] = (("*", local),)
            else:
                root = module.split(".")[0]
                self._bind(root, _Val(qual=root, ref=True))
                names = (("*", module),)
            self._note_module(module)
            self.facts.imports.append(Import(module, names, loc))

    def _import_from(self, node: cst.ImportFrom) -> None:
        module = "." * len(node.relative) + (_dotted(node.module) if node.module is not None else "")
        self._note_module(module)
        if isinstance(node.names, cst.ImportStar):
            self.facts.imports.append(Import(module, (("*", "*"),), self._loc(node)))
            return
        names = []
        for alias in node.names:
            name = _dotted(alias.name)
            local = _dotted(alias.asname.name) if alias.asname is not None else name
            qual = module + name if module.endswith(".") else f"{module}.{name}"
            self._bind(local, _Val(qual=qual, ref=True))
            names.append((name, local))
        self.facts.imports.append(Import(module, tuple(names), self._loc(node)))

    def _note_module(self, module: str) -> None:
        if module.split(".")[0] in _WORKER_MODULES:
            self.workers = True

    # -- returns -----------------------------------------------------------------------------
    def _return(self, node: cst.Return) -> None:
        ctx = self.ctx
        value_node = node.value
        val = self._expr(value_node) if value_node is not None else None
        status = None
        if val is not None and val.items is not None:
            status = self._status(val.items.get("statusCode"))
        self._note("returned")
        if status is not None and status < 400:
            self._note("returned_ok")
        if val is not None and val.items is not None and "batchItemFailures" in val.items:
            self._note("failure")
        if ctx.function is None:
            return
        if val is not None and val.obj is not None:
            self.returns_obj[ctx.function] = _Val(qual=val.qual, obj=val.obj)
        if val is not None and isinstance(val.obj, _Response):
            return  # recorded where the Response was built
        loc = self._loc(node)
        value = self._value(value_node, val) if value_node is not None and val is not None else None
        keys: tuple[str, ...] = ()
        body = None
        if val is not None and val.items is not None:
            keys = tuple(val.items)
            if "body" in val.items:
                body_node, body_val = val.items["body"]
                body = self._value(body_node, body_val)
        self.facts.returns.append(Return(loc, ctx.function, status, value, keys, body))
        if val is not None and val.sources and (ctx.entry or "statusCode" in keys):
            for src in sorted(val.sources):
                self.facts.flows.append(Flow(src, "response", loc, ctx.function))

    def _status(self, item: tuple[cst.BaseExpression, _Val] | None) -> int | None:
        if item is None:
            return None
        value = _literal(item[0])
        if value is _UNSET:
            value = item[1].const
        return value if type(value) is int else None

    # -- expressions -------------------------------------------------------------------------
    def _expr(self, node: cst.BaseExpression, awaited: bool = False) -> _Val:
        if awaited and type(node) is cst.Call:
            return self._call(node, awaited=True)
        handler = self.expr_dispatch.get(type(node))
        if handler is None:
            return self._generic(node)
        return handler(node)

    def _generic(self, node: cst.CSTNode) -> _Val:
        vals = [self._expr(c) for c in node.children if isinstance(c, cst.BaseExpression)]
        return _Val(_union(vals)) if vals else _NOTHING

    def _nothing(self, node: cst.BaseExpression) -> _Val:
        return _NOTHING

    def _name(self, node: cst.Name) -> _Val:
        val = self._lookup(node.value)
        if val is None:
            return _Val(qual=node.value)  # a builtin, or defined where we cannot see
        obj = val.obj
        if isinstance(obj, _Fn):
            # a local function named (called, or handed to something that will call it:
            # process_partial_response(record_handler=fn), executor.submit(fn)) is reachable
            self.ctx.calls[obj.qualname] = None
        elif isinstance(obj, _EventRoot):
            src = _event_source(obj.path, self._loc(node))
            return _Val(frozenset((src,)), path=obj.path, path_src=src)
        if val.qual == "os.environ" and not val.sources:
            return self._environ(val, node)
        return val

    def _environ(self, val: _Val, node: cst.CSTNode) -> _Val:
        """``os.environ`` as a whole holds every environment value."""
        return _copy(val, sources=frozenset((Source("env", "*", self._loc(node)),)))

    def _attribute(self, node: cst.Attribute) -> _Val:
        return self._member(self._expr(node.value), node.attr.value, node)

    def _member(self, val: _Val, attr: str, node: cst.CSTNode) -> _Val:
        """``val.attr`` read as a value (``val.attr(...)`` is a call: see ``_call``)."""
        obj = val.obj
        if isinstance(obj, _WorkerEnv):
            return self._binding_read(attr, node)
        if isinstance(obj, _Binding):
            return self._binding_property(obj, attr, node)
        if isinstance(obj, _Instance):
            info = obj.info
            if info.worker and attr == workers.ENV_NAME:
                return _Val(qual="env", obj=_WorkerEnv())
            if info.scope is not None and attr in info.scope.names:
                return info.scope.names[attr]
            return _Val(qual=f"{info.qualname}.{attr}")
        if isinstance(obj, _Aws) and attr == "meta":  # resource.meta.client
            return _Val(qual=f"{val.qual}.meta", obj=_Aws("meta", obj.service))
        if isinstance(obj, _Aws) and obj.role == "meta" and attr == "client":
            return _Val(qual=f"{val.qual}.client", obj=_Aws("client", obj.service))
        if isinstance(obj, _Stripe):  # client.payment_intents, client.v1.payment_intents
            if attr in payments.STRIPE_API_VERSIONS:
                return val
            return _Val(qual=f"{val.qual}.{attr}", obj=_Stripe((*obj.resource, attr)))
        if isinstance(obj, _Resolver) and attr == "current_event":
            src = _event_source((), self._loc(node))
            return _Val(frozenset((src,)), path=(), path_src=src)
        if val.path is not None:
            segment = _EVENT_ATTRS.get(attr, camel(attr))
            return self._narrow(val, segment, node) if segment else val
        if val.qual is not None:
            qual = f"{val.qual}.{attr}"
            if qual == "os.environ":
                return self._environ(_Val(qual=qual, ref=True), node)
            if qual.startswith("http.HTTPStatus.") and attr in HTTPStatus.__members__:
                return _Val(qual=qual, ref=val.ref, const=HTTPStatus[attr].value)
            if qual.startswith("logging.") and attr in _LOGGING_LEVEL_NAMES:
                return _Val(qual=qual, ref=True, const=attr.lower())
            return _Val(val.sources, qual, ref=val.ref)
        return val.carried()

    def _narrow(self, val: _Val, segment: str, node: cst.CSTNode) -> _Val:
        """``event["headers"]``: a deeper place in the event replaces the shallower source."""
        path = (*val.path, segment) if val.path is not None else (segment,)
        src = _event_source(path, self._loc(node))
        return _Val(self._replace_path_src(val, src), path=path, path_src=src)

    @staticmethod
    def _replace_path_src(val: _Val, src: Source) -> frozenset[Source]:
        """The sources of a deeper place: the shallower place (read here or in an earlier
        assignment to the same name, such as a reused loop variable) gives way to ``src``."""
        sources = val.sources
        shallow = val.path_src
        if shallow is not None:
            sources = frozenset(s for s in sources if s.name != shallow.name or s.kind != shallow.kind)
        return sources | {src}

    def _index(self, node: cst.Subscript) -> tuple[Any, bool]:
        """Evaluate a subscript's index; (its literal key, whether it is a single index)."""
        first = node.slice[0].slice
        if len(node.slice) == 1 and type(first) is cst.Index:
            key = _literal(first.value)
            return (self._expr(first.value).const if key is _UNSET else key), True
        for element in node.slice:
            inner = element.slice
            if type(inner) is cst.Index:
                parts: tuple[cst.BaseExpression | None, ...] = (inner.value,)
            elif type(inner) is cst.Slice:
                parts = (inner.lower, inner.upper, inner.step)
            else:
                parts = ()
            for part in parts:
                if part is not None:
                    self._expr(part)
        return _UNSET, False

    def _subscript(self, node: cst.Subscript) -> _Val:
        val = self._expr(node.value)
        key, single = self._index(node)
        if val.qual == "os.environ":
            name = key if isinstance(key, str) else "*"
            return self._env_read(name, node, "os.environ", throws=True)
        if type(val.obj) is _WorkerEnv:
            return self._binding_read(key if isinstance(key, str) else "*", node)
        if val.path is not None:
            if not single:
                return _copy(val, qual=None, obj=None)  # a slice: the same place
            if isinstance(key, str):
                return self._narrow(val, key, node)
            return self._narrow(val, "[]" if isinstance(key, int) else "*", node)
        if val.items is not None and isinstance(key, str) and key in val.items:
            return val.items[key][1]
        if type(val.obj) is _Aws or val.qual is None:
            return val.carried()
        return _Val(val.sources, f"{val.qual}[]")

    def _concatenated(self, node: cst.ConcatenatedString) -> _Val:
        left = self._expr(node.left)
        right = self._expr(node.right)
        return _Val(left.sources | right.sources) if left.sources or right.sources else _NOTHING

    def _fstring(self, node: cst.FormattedString) -> _Val:
        vals = []
        for part in node.parts:
            if type(part) is cst.FormattedStringExpression:
                vals.append(self._expr(part.expression))
                if part.format_spec:
                    for spec in part.format_spec:
                        if type(spec) is cst.FormattedStringExpression:
                            vals.append(self._expr(spec.expression))
        sources = _union(vals)
        return _Val(sources) if sources else _NOTHING

    def _dict(self, node: cst.Dict) -> _Val:
        items: dict[str, tuple[cst.BaseExpression, _Val]] = {}
        vals = []
        for element in node.elements:
            if type(element) is cst.DictElement:
                key_val = self._expr(element.key)
                val = self._expr(element.value)
                vals.append(key_val)
                vals.append(val)
                key = _literal(element.key)
                if isinstance(key, str):
                    items[key] = (element.value, val)
            else:
                vals.append(self._expr(element.value))  # **spread
        return _Val(_union(vals), items=items)

    def _sequence(self, node: cst.List | cst.Tuple | cst.Set) -> _Val:
        sources = _union([self._expr(element.value) for element in node.elements])
        return _Val(sources) if sources else _NOTHING

    def _binary(self, node: cst.BinaryOperation) -> _Val:
        # `a + b + c` nests to the left; walk the chain without recursing once per operand
        operands = [node.right]
        left = node.left
        while type(left) is cst.BinaryOperation:
            operands.append(left.right)
            left = left.left
        operands.append(left)
        sources = _union([self._expr(operand) for operand in reversed(operands)])
        return _Val(sources) if sources else _NOTHING

    def _boolean(self, node: cst.BooleanOperation) -> _Val:
        # `a or b` is one of them: keep what either is (a client, a place in the event)
        left = self._expr(node.left)
        right = self._expr(node.right)
        if not right.sources and right.obj is None:
            return left
        if not left.sources and left.obj is None:
            return right
        return _Val(
            left.sources | right.sources,
            left.qual or right.qual,
            obj=left.obj or right.obj,
            path=left.path,
            path_src=left.path_src,
        )

    def _unary(self, node: cst.UnaryOperation) -> _Val:
        val = self._expr(node.expression)
        return _NOTHING if type(node.operator) is cst.Not else val.carried()

    def _ifexp(self, node: cst.IfExp) -> _Val:
        self._expr(node.test)  # the condition decides, it does not flow
        body = self._expr(node.body)
        orelse = self._expr(node.orelse)
        return _Val(body.sources | orelse.sources) if body.sources or orelse.sources else _NOTHING

    def _await(self, node: cst.Await) -> _Val:
        return self._expr(node.expression, awaited=True)

    def _lambda(self, node: cst.Lambda) -> _Val:
        self._expr(node.body)
        return _NOTHING

    def _yield(self, node: cst.Yield) -> _Val:
        value = node.value
        if isinstance(value, cst.From):
            self._expr(value.item)
        elif value is not None:
            self._expr(value)
        return _NOTHING

    def _walrus(self, node: cst.NamedExpr) -> _Val:
        val = self._expr(node.value)
        self._target(node.target, val)
        return val

    def _comprehension(self, node: cst.BaseComp) -> _Val:
        comp: cst.CompFor | None = node.for_in
        while comp is not None:
            self._target(comp.target, self._element(self._expr(comp.iter), comp.iter))
            for condition in comp.ifs:
                self._expr(condition.test)
            comp = comp.inner_for_in
        if isinstance(node, cst.DictComp):
            sources = self._expr(node.key).sources | self._expr(node.value).sources
        elif isinstance(node, cst.BaseSimpleComp):
            sources = self._expr(node.elt).sources
        else:
            sources = _NO_SOURCES
        return _Val(sources) if sources else _NOTHING

    def _comparison(self, node: cst.Comparison) -> _Val:
        left_node: cst.BaseExpression = node.left
        left = self._expr(left_node)
        for target in node.comparisons:
            right_node = target.comparator
            right = self._expr(right_node)
            operator = type(target.operator)
            if operator is cst.Equal or operator is cst.NotEqual:
                self.facts.comparisons.append(
                    Comparison(
                        "==" if operator is cst.Equal else "!=",
                        self._value(left_node, left),
                        self._value(right_node, right),
                        self._loc(node),
                        self.ctx.function,
                    )
                )
            elif operator in (cst.In, cst.NotIn) and right.qual == "os.environ":
                name = _text_literal(left_node, left)
                if name is not None:  # "X" in os.environ: a presence check
                    self._env_read(name, node, "os.environ", guarded=True)
            left_node, left = right_node, right
        return _NOTHING

    # -- environment -------------------------------------------------------------------------
    def _env_read(
        self,
        name: str,
        node: cst.CSTNode,
        via: _Via,
        *,
        throws: bool = False,
        guarded: bool = False,
        has_default: bool = False,
    ) -> _Val:
        loc = self._loc(node)
        in_test = self.guard_names is not None
        if self.guard_names is not None:
            self.guard_names.add(name)  # the body of this if/while may rely on it
        guarded = (
            guarded or has_default or (in_test and not throws) or any(name in g for g in self.ctx.guards)
        )
        self.facts.env_reads.append(EnvRead(name, loc, self.ctx.function, via, "value", guarded, has_default))
        return _Val(frozenset((Source("env", name, loc),)))

    def _binding_read(self, name: str, node: cst.CSTNode) -> _Val:
        val = self._env_read(name, node, "worker-env")
        return _Val(val.sources, f"env.{name}", obj=_Binding(name))

    def _binding_property(self, binding: _Binding, prop: str, node: cst.CSTNode) -> _Val:
        """``env.HYPERDRIVE.connectionString``: reading a binding's property."""
        loc = self._loc(node)
        self.bindings.add(binding.name)
        kind = "hyperdrive" if prop in _HYPERDRIVE_PROPS else "unknown"
        self.facts.binding_uses.append(
            BindingUse(binding.name, prop, kind, loc, self.ctx.function, self._guarded(binding.name))
        )
        return _Val(frozenset((Source("binding", f"{binding.name}.{prop}", loc),)))

    def _guarded(self, name: str) -> bool:
        return any(name in g for g in self.ctx.guards)

    # -- calls -------------------------------------------------------------------------------
    def _call(self, node: cst.Call, awaited: bool = False) -> _Val:
        func = node.func
        recv: _Val | None
        if type(func) is cst.Attribute:
            recv = self._expr(func.value)
            method: str | None = func.attr.value
            qual = f"{recv.qual}.{method}" if recv.qual is not None else None
            fn = _Val(qual=qual, ref=recv.ref and qual is not None)
        else:
            recv = None
            method = None
            fn = self._expr(func)
        gathering = awaited and fn.qual in ("asyncio.gather", "asyncio.wait")
        args: list[tuple[str | None, cst.BaseExpression, _Val]] = []
        for arg in node.args:
            key = arg.keyword.value if arg.keyword is not None else (arg.star or None)
            args.append((key, arg.value, self._expr(arg.value, awaited=gathering)))
        site = _Site(node, recv, method, fn, args, awaited)
        name, attrs, result = self._vocabulary(site)
        self._record_call(site, name, attrs)
        self.last_site = site
        return result

    def _record_call(self, site: _Site, name: str, attrs: list[tuple[str, Any]]) -> None:
        ctx = self.ctx
        loc = self._loc(site.node)
        callee = site.qual if site.qual is not None else _dotted(site.node.func)
        args: tuple[Value, ...] = ()
        kwargs: tuple[tuple[str, Value], ...] = ()
        if name:
            args, kwargs = self._site_values(site)
            if name == payments.PAYMENT_CREATE and not site.has(payments.IDEMPOTENCY_KEY):
                kwargs = kwargs + self._stripe_options_key(site)
        call = Call(
            name,
            callee,
            loc,
            ctx.function,
            args,
            kwargs,
            tuple(attrs),
            ctx.tries[-1] if ctx.tries else None,
            site.awaited,
        )
        self.facts.calls.append(call)
        if not name:
            return
        sinks = self._sinks(name, call)
        if not sinks:
            return
        sources: set[Source] = set()
        for value in (*args, *(v for _, v in kwargs)):
            sources.update(value.sources)
        for src in sorted(sources):
            for sink in sinks:
                self.facts.flows.append(Flow(src, sink, loc, ctx.function, call))

    @staticmethod
    def _sinks(name: str, call: Call) -> tuple[str, ...]:
        """The flow sinks a named call's arguments reach: its own name (so ``flows(sink=...)``
        answers for any Call.name prefix, "http" included), plus "write" for writes."""
        if name == "log" or name == "http.request" or name == "payment.create":
            return (name,)
        if name.startswith("aws."):
            operation = name.rsplit(".", 1)[1]
            return (name, "write") if operation.startswith(_AWS_WRITES) else (name,)
        if name == _D1_EXEC:
            sql = call.attr("sql")
            reads = isinstance(sql, str) and sql.lstrip().lower().startswith(workers.D1_READ_STATEMENTS)
            return (name,) if reads else (name, "write")
        if name.startswith("cf."):
            return (name, "write") if name in _CF_WRITES else (name,)
        return ()

    def _stripe_options_key(self, site: _Site) -> tuple[tuple[str, Value], ...]:
        """StripeClient passes the idempotency key in ``options={"idempotency_key": ...}``."""
        options = site.arg(None, payments.PYTHON_OPTIONS_ARGUMENT)
        if options is not None and options[1].items is not None:
            item = options[1].items.get(payments.IDEMPOTENCY_KEY_OPTION["python"])
            if item is not None:
                return ((payments.IDEMPOTENCY_KEY, self._value(item[0], item[1])),)
        return ()

    def _vocabulary(self, site: _Site) -> _Outcome:
        """Name a call, describe it, and say what it returns."""
        recv = site.recv
        if recv is not None:
            obj = recv.obj
            if obj is not None:
                outcome = self._method_of(site, obj)
                if outcome is not None:
                    return outcome
            if recv.path is not None:
                return self._event_method(site, recv)
        fn_obj = site.fn.obj
        if fn_obj is not None:
            outcome = self._local_call(site, fn_obj)
            if outcome is not None:
                return outcome
        qual = site.qual
        if qual is not None:
            outcome = self._known_function(site, qual)
            if outcome is not None:
                return outcome
        if site.ref and qual is not None and qual.split(".")[0].lstrip(".") not in _LIBRARY_ROOTS:
            self.ctx.calls[qual.rsplit(".", 1)[-1]] = None  # linked to a sibling module's function
        method = site.method
        receiver = _receiver(site.node)
        if method is not None and receiver is not None:
            if method in _LOG_LEVELS and _dotted(receiver).rsplit(".", 1)[-1] in _LOGGER_NAMES:
                return self._log(site, "logging", method)
            if method in _MUTATORS:
                self._mutate(_root_name(receiver), site.all_sources(), site.node)
                if method in ("append", "add", "extend") and self._records_failure(site, receiver):
                    self._note("failure")
        return "", [], self._propagate(site)

    def _propagate(self, site: _Site) -> _Val:
        """An unknown call's result carries its receiver's and arguments' data."""
        recv = site.recv
        if recv is not None and recv.items is not None and site.method == "get":
            key = site.arg(0)
            name = _text_literal(*key) if key is not None else None
            if name is not None and name in recv.items:  # {"a": x}.get("a") is x
                return recv.items[name][1]
        if recv is not None and recv.path is not None:
            sources = recv.sources | site.all_sources()
            return _Val(sources, path=recv.path, path_src=recv.path_src)
        sources = site.all_sources()
        if recv is not None:
            sources = recv.sources | sources
        return _Val(sources, site.qual) if sources or site.qual else _NOTHING

    def _records_failure(self, site: _Site, receiver: cst.BaseExpression) -> bool:
        """``failures.append({"itemIdentifier": ...})``: a batch item reported as failed."""
        if "fail" in _dotted(receiver).lower():
            return True
        first = site.arg(0)
        return first is not None and first[1].items is not None and "itemIdentifier" in first[1].items

    def _local_call(self, site: _Site, obj: object) -> _Outcome | None:
        if isinstance(obj, _Fn):
            return self._call_local(site, obj.qualname)
        if isinstance(obj, _Class):
            info = obj.info
            if "__init__" in info.methods:
                self.ctx.calls[f"{info.qualname}.__init__"] = None
            return "", [], _Val(qual=info.qualname, obj=_Instance(info))
        return None

    def _call_local(self, site: _Site, qualname: str) -> _Outcome:
        """A call to a function of this file: link it, and say what kind of object it returns."""
        self.ctx.calls[qualname] = None
        result = self._propagate(site)
        summary = self.returns_obj.get(qualname)
        if summary is not None:
            result = _Val(result.sources, summary.qual, obj=summary.obj)
        return "", [], result

    def _method_of(self, site: _Site, obj: object) -> _Outcome | None:
        """A method called on an object the vocabulary knows."""
        method = site.method
        assert method is not None
        if isinstance(obj, _Aws):
            return self._aws_method(site, obj)
        if isinstance(obj, _Http):
            return self._http_method(site, obj)
        if isinstance(obj, _Logger):
            if method in _LOG_LEVELS or (method in _POWERTOOLS_LOG_METHODS and obj.kind == "powertools"):
                return self._log(site, obj.kind, method)
            return "", [], (_Val(qual=site.qual, obj=obj) if method == _CHILD_LOGGER else _NOTHING)
        if isinstance(obj, _Binding):
            return self._binding_method(site, obj)
        if isinstance(obj, _D1):
            return self._d1_method(site, obj)
        if isinstance(obj, _Stripe):
            return self._payment(site, obj.resource) if method == "create" else ("", [], _NOTHING)
        if isinstance(obj, _Instance | _Class) and method in obj.info.methods:
            return self._call_local(site, f"{obj.info.qualname}.{method}")
        if isinstance(obj, _Response):
            return "", [], _NOTHING
        return None

    def _event_method(self, site: _Site, recv: _Val) -> _Outcome:
        """``event.get("body")``, ``request.headers.get("X")``, ``await request.json()``."""
        method = site.method
        if method == "get":
            key = site.arg(0, "key")
            default = site.arg(1, "default")
            name = _text_literal(*key) if key is not None else None
            result = self._narrow(recv, name if name is not None else "*", site.node)
            if default is not None and default[1].sources:
                result = _copy(result, sources=result.sources | default[1].sources)
            return "", [], result
        if method in _BODY_READERS and recv.path == ():
            # a Workers request's body
            src = _event_source(("body",), self._loc(site.node))
            result = _Val(frozenset((src,)), path=("body",), path_src=src)
            if method == parsing.BODY_JSON_READER:
                self._parse(site, result.sources)
                return parsing.JSON_PARSE, [], result
            return "", [], result
        if method in ("items", "values", "keys"):
            return "", [], self._element(recv, site.node)
        return "", [], self._propagate(site)

    # -- module functions ------------------------------------------------------------------
    def _known_function(self, site: _Site, qual: str) -> _Outcome | None:
        module, _, last = qual.rpartition(".")
        if qual in _LOG_CALLS:
            return self._log(site, _LOG_CALLS[qual], None)
        if module in _LOG_MODULES and last in _LOG_LEVELS:
            return self._log(site, _LOG_MODULES[module], last)
        if qual in _LOGGER_FACTORIES:
            return "", [], _Val(qual=qual, obj=_Logger(_LOGGER_FACTORIES[qual]))
        if module.startswith(powertools.PYTHON_PACKAGE):
            return self._powertools(site, qual, last)
        if module in ("boto3", "boto3.session") or qual.startswith("boto3."):
            return self._boto3(site, qual, last)
        if qual in _JSON_PARSERS:
            first = site.arg(0, "s") or site.arg(0, "obj")
            result = first[1] if first is not None else _NOTHING
            self._parse(site, result.sources)
            return _JSON_PARSERS[qual], [], _Val(result.sources, path=result.path, path_src=result.path_src)
        if qual in _COMPARE_DIGEST:
            return self._compare_digest(site, _COMPARE_DIGEST[qual])
        if qual in _RANDOM or module in sources.PYTHON_RANDOM_MODULES:
            name = _RANDOM.get(qual, qual)
            return "", [], _Val(frozenset((Source("random", name, self._loc(site.node)),)))
        if qual in _TIME:
            return "", [], _Val(frozenset((Source("time", _TIME[qual], self._loc(site.node)),)))
        if qual in ("os.getenv", "os.environ.get", "os.environ.setdefault"):
            return self._getenv(site)
        if qual in _HTTP_SESSIONS:
            return self._http_session(site, _HTTP_SESSIONS[qual])
        if module in _HTTP_MODULES and (last in _HTTP_VERBS or last in _VERB_ARGUMENT_METHODS):
            return self._http(site, _HTTP_MODULES[module], None, last)
        if qual in _HTTP_FUNCTIONS:  # urlopen, urllib3.request, Python Workers' fetch
            client, method = _HTTP_FUNCTIONS[qual]
            return self._http(site, client, None, method)
        if qual == http_clients.PYTHON_URL_REQUEST:
            return "", [], _Val(qual=qual, obj=_UrlRequest(self._request_method(site)))
        if qual in _TIMEOUT_TYPES:
            return "", [], _Val(qual=qual, obj=_Timeout(self._timeout_parts(site)))
        if qual in _TIMEOUT_SIGNALS:
            first = site.arg(0)
            ms = _literal(first[0]) if first is not None else _UNSET
            return "", [], _Val(obj=_Timeout(ms / 1000 if type(ms) in (int, float) else None))
        if qual in _RESPONSES or module in _RESPONSES:
            return self._response(site, last)
        if qual.startswith(payments.STRIPE_MODULE + ".") and last == payments.CREATE and qual.count(".") >= 2:
            return self._payment(site, tuple(qual.split(".")[1:-1]))
        if qual in _STRIPE_CLIENTS:
            return "", [], _Val(qual=qual, obj=_Stripe(()))
        if qual in _OPAQUE_BUILTINS:
            return "", [], _NOTHING
        if qual in _ITERATING_BUILTINS:
            first = site.arg(0)
            if first is not None and first[1].path is not None:
                return "", [], first[1]  # a for loop over it takes the elements
        if qual == "getattr" or qual == "hasattr":
            return self._getattr(site, qual)
        return None

    # -- logging -----------------------------------------------------------------------------
    def _log(self, site: _Site, logger: str, method: str | None) -> _Outcome:
        level = _LOG_LEVELS.get(method) if method is not None else None
        if method == "log":  # logger.log(logging.INFO, ...)
            first = site.arg(0, "level")
            const = first[1].const if first is not None else None
            if isinstance(const, str):
                level = _LOG_LEVELS.get(const, const)
        self._note("logged")
        return "log", [("logger", logger), ("level", level)], _NOTHING

    # -- AWS ---------------------------------------------------------------------------------
    def _boto3(self, site: _Site, qual: str, last: str) -> _Outcome | None:
        """``boto3.client("sqs")``, ``boto3.resource(...)``, ``boto3.Session()``; a service named
        by a variable is ``*`` (``aws.*.PutItem``)."""
        if last in ("client", "resource"):
            service = site.arg(0, "service_name")
            name = _text_literal(*service) if service is not None else None
            return "", [], _Val(qual=qual, obj=_Aws(last, (name or "*").lower()))
        if last == "Session":
            return "", [], _Val(qual=qual, obj=_Aws("session", "*"))
        return None

    def _aws_method(self, site: _Site, aws: _Aws) -> _Outcome:
        """A method of a boto3 client, resource or sub-resource: ``put_item`` is ``PutItem``."""
        method = site.method
        assert method is not None
        role, service = aws.role, aws.service
        qual = site.qual
        if role == "session":
            if method in ("client", "resource"):
                svc = site.arg(0, "service_name")
                name = _text_literal(*svc) if svc is not None else None
                return "", [], _Val(qual=qual, obj=_Aws(method, (name or "*").lower()))
            return "", [], _NOTHING
        if role == "resource" and (service, method) in _AWS_RESOURCES:
            result = _Val(qual=qual, obj=_Aws(_AWS_RESOURCES[(service, method)], service))
            operation = _AWS_OPERATIONS.get((service, method))
            return (f"aws.{service}.{operation}" if operation else ""), [], result
        if role == "bucket" and method == "Object":
            return "", [], _Val(qual=qual, obj=_Aws("object", service))
        if role == "table" and method == "batch_writer":
            return "", [], _Val(qual=qual, obj=_Aws("batch", service))
        if role == "batch":
            if method in ("put_item", "delete_item"):
                return f"aws.{service}.BatchWriteItem", [("op", method)], _NOTHING
            return "", [], _NOTHING
        if role == "paginator":
            if method == "paginate" and aws.op:
                return f"aws.{service}.{aws.op}", [], _NOTHING
            return "", [], _NOTHING
        if method == "get_paginator":
            first = site.arg(0, "operation_name")
            op = _text_literal(*first) if first is not None else None
            return "", [], _Val(qual=qual, obj=_Aws("paginator", service, _pascal(op) if op else None))
        if method in _AWS_HELPERS or method.startswith("_"):
            return "", [], _NOTHING
        operation = (
            _AWS_OPERATIONS.get((role, method)) or _AWS_OPERATIONS.get((service, method)) or _pascal(method)
        )
        return f"aws.{service}.{operation}", [], self._aws_result(site, service, operation)

    def _aws_result(self, site: _Site, service: str, operation: str) -> _Val:
        """Secrets Manager and SecureString parameters are secrets; other results are AWS data."""
        read = _SECRET_READS.get((service, operation))
        if read is None:
            return _NOTHING
        if read.decrypt_key is not None:  # a parameter is a secret when it is decrypted
            decrypt = site.arg(None, read.decrypt_key)
            if decrypt is None or _literal(decrypt[0]) is False:
                return _NOTHING
        secret_id = site.arg(None, read.name_key)
        name = _text_literal(*secret_id) if secret_id is not None else None
        return _Val(frozenset((Source("secret", name or "*", self._loc(site.node)),)))

    def _powertools(self, site: _Site, qual: str, last: str) -> _Outcome | None:
        if last == powertools.LOGGER_CLASS:
            return "", [], _Val(qual=qual, obj=_Logger("powertools"))
        if last in _POWERTOOLS_FUNCTIONS:  # process_partial_response
            self._wrapper(site, _POWERTOOLS_FUNCTIONS[last], self.ctx.function)
            return "", [], _NOTHING
        if last in _POWERTOOLS_CLASSES:  # BatchProcessor
            self._wrapper(site, _POWERTOOLS_CLASSES[last], self.ctx.function)
            return "", [], _Val(qual=qual)
        if last.endswith(powertools.PYTHON_RESOLVER_SUFFIX) or last == powertools.PYTHON_ROUTER:
            return "", [], _Val(qual=qual, obj=_Resolver())
        if powertools.PYTHON_PARAMETERS_MODULE in qual and last in _POWERTOOLS_READS:
            decrypt_key = _POWERTOOLS_READS[last].decrypt
            if decrypt_key is not None:  # a parameter is a secret when it is decrypted
                decrypt = site.arg(None, decrypt_key)
                if decrypt is None or _literal(decrypt[0]) is False:
                    return "", [], _NOTHING
            first = site.arg(0, "name") or site.arg(0, "path")
            name = _text_literal(*first) if first is not None else None
            return "", [], _Val(frozenset((Source("secret", name or "*", self._loc(site.node)),)))
        return None

    def _wrapper(self, site: _Site, name: str, target: str | None) -> None:
        self.facts.wrappers.append(Wrapper(name, target, self._loc(site.node), self._wrapper_args(site)))

    # -- HTTP --------------------------------------------------------------------------------
    def _http_session(self, site: _Site, client: str) -> _Outcome:
        timeout = site.arg(None, "timeout")
        if timeout is not None:
            has, seconds = self._timeout(timeout)
        elif client in _DEFAULT_TIMEOUT:
            has, seconds = True, _DEFAULT_TIMEOUT[client]
        else:
            has, seconds = False, None
        return "", [], _Val(qual=site.qual, obj=_Http(client, has, seconds))

    def _http_method(self, site: _Site, session: _Http) -> _Outcome:
        method = site.method
        assert method is not None
        if method in _HTTP_VERBS or method in _SESSION_VERB_ARGUMENT:
            return self._http(site, session.client, session, method)
        return "", [], _NOTHING

    def _http(self, site: _Site, client: str, session: _Http | None, method: str) -> _Outcome:
        verb: str | None
        if method in _HTTP_VERBS:
            verb = _HTTP_VERBS[method]
        elif method in _SESSION_VERB_ARGUMENT and client != "urllib":
            first = site.arg(0, "method")
            text = _text_literal(*first) if first is not None else None
            verb = text.upper() if text else None
        elif client == "urllib":
            verb = self._urlopen_method(site)
        else:  # fetch(url, method="POST")
            given = site.arg(None, "method")
            text = _text_literal(*given) if given is not None else None
            verb = text.upper() if text else "GET"
        timeout = site.arg(2, "timeout") if client == "urllib" else site.arg(None, "timeout")
        if client == "fetch":
            timeout = site.arg(None, "signal")
        if timeout is not None:
            has, seconds = self._timeout(timeout)
        elif session is not None:
            has, seconds = session.has_timeout, session.seconds
        elif client in _DEFAULT_TIMEOUT:
            has, seconds = True, _DEFAULT_TIMEOUT[client]
        else:
            has, seconds = False, None
        attrs = [("method", verb), ("client", client), ("has_timeout", has), ("timeout_seconds", seconds)]
        return "http.request", attrs, _NOTHING

    def _urlopen_method(self, site: _Site) -> str | None:
        """``urlopen(url)`` GETs, ``urlopen(url, data)`` POSTs, a Request says its method."""
        first = site.arg(0, "url")
        if first is not None and type(first[1].obj) is _UrlRequest:
            return first[1].obj.method
        data = site.arg(1, "data")
        if data is not None and _literal(data[0]) is not None:
            return "POST"
        return "GET" if first is not None and first[1].obj is None else None

    def _request_method(self, site: _Site) -> str | None:
        """The method of ``urllib.request.Request(url, data=None, method=None)``."""
        method = site.arg(None, "method")
        if method is not None:
            text = _text_literal(*method)
            return text.upper() if text else None
        data = site.arg(1, "data")
        return "POST" if data is not None and _literal(data[0]) is not None else "GET"

    def _timeout(self, arg: tuple[cst.BaseExpression, _Val]) -> tuple[bool, Any]:
        node, val = arg
        value = _literal(node)
        if value is _UNSET:
            value = val.const
        if value is None:
            return False, None
        if type(value) in (int, float):
            return True, value
        if isinstance(value, list):
            numbers = [v for v in value if type(v) in (int, float)]
            return (True, max(numbers)) if numbers else (False, None)
        if type(val.obj) is _Timeout:
            return True, val.obj.seconds
        return True, None

    def _timeout_parts(self, site: _Site) -> Any:
        """Seconds of ``httpx.Timeout(10, connect=5)`` / ``ClientTimeout(total=10)``: the total
        when given, else the longest of the parts."""
        total = site.arg(0, "total") or site.arg(0, "timeout")
        if total is not None:
            value = _literal(total[0])
            if type(value) in (int, float):
                return value
        numbers = [v for _, node, _ in site.args if type(v := _literal(node)) in (int, float)]
        return max(numbers) if numbers else None

    # -- crypto, JSON, env -------------------------------------------------------------------
    def _compare_digest(self, site: _Site, op: str) -> _Outcome:
        args, _ = self._site_values(site)
        if len(args) == 2:
            self.facts.comparisons.append(
                Comparison(op, args[0], args[1], self._loc(site.node), self.ctx.function, True)
            )
        return crypto.CRYPTO_COMPARE, [], _NOTHING

    def _parse(self, site: _Site, of: frozenset[Source]) -> None:
        self.parses.append((self._loc(site.node), self.ctx.function, tuple(sorted(of)), tuple(self.ctx.tries)))

    def _getenv(self, site: _Site) -> _Outcome:
        """``os.getenv("X", d)``, ``os.environ.get("X", d)``: reads that cannot raise."""
        key = site.arg(0, "key")
        default = site.arg(1, "default")
        name = _text_literal(*key) if key is not None else None
        val = self._env_read(name or "*", site.node, "os.environ", guarded=True, has_default=default is not None)
        if default is not None and default[1].sources:
            val = _Val(val.sources | default[1].sources)
        return "", [], val

    def _getattr(self, site: _Site, qual: str) -> _Outcome | None:
        """``getattr(env, "X", None)`` / ``hasattr(self.env, "X")`` in Python Workers."""
        owner = site.arg(0)
        key = site.arg(1)
        if owner is None or key is None or type(owner[1].obj) is not _WorkerEnv:
            return None
        name = _text_literal(*key) or "*"
        has_default = site.arg(2) is not None
        val = self._env_read(name, site.node, "worker-env", guarded=True, has_default=has_default)
        if qual == "hasattr":
            return "", [], _NOTHING
        return "", [], _Val(val.sources, f"env.{name}", obj=_Binding(name))

    # -- payments ----------------------------------------------------------------------------
    def _payment(self, site: _Site, resource: tuple[str, ...]) -> _Outcome:
        return payments.PAYMENT_CREATE, [("resource", payments.stripe_resource(resource))], _NOTHING

    # -- Cloudflare Workers ------------------------------------------------------------------
    def _binding_method(self, site: _Site, binding: _Binding) -> _Outcome | None:
        """``env.NAME.method(...)``: a binding used as its kind is used (or a plain value's
        method, ``env.REGION.strip()``, which is not a binding use)."""
        method = site.method
        assert method is not None
        if method not in _BINDING_METHODS:
            return None  # env.NAME.strip(): a plain value
        kind = _BINDING_METHODS[method] or self._storage_kind(site, binding.name)
        self.bindings.add(binding.name)
        loc = self._loc(site.node)
        self.facts.binding_uses.append(
            BindingUse(binding.name, method, kind, loc, self.ctx.function, self._guarded(binding.name))
        )
        attrs: list[tuple[str, Any]] = [("binding", binding.name)]
        if kind == "d1":
            if method == "prepare":
                first = site.arg(0)
                sql = _text_literal(*first) if first is not None else None
                pieces = tuple((node, val) for key, node, val in site.args if key is None)
                return "", [], _Val(qual=site.qual, obj=_D1(binding.name, sql, pieces))
            first = site.arg(0)
            sql = _text_literal(*first) if first is not None and method == "exec" else None
            return _BINDING_CALLS[("d1", method)], [*attrs, ("sql", sql), ("op", method)], _NOTHING
        name = _BINDING_CALLS.get((kind, method))
        if kind in ("kv", "r2"):  # getWithMetadata is cf.kv.get with attrs method=getWithMetadata
            attrs.append(("method", method))
            return name or "", attrs, _NOTHING
        if kind == "durable-object":
            result = _Val(obj=_DoId(binding.name)) if method != "get" else _NOTHING
            # put/delete/list handed a namespace's id are not in the table: named all the same
            return name or f"{workers.BINDINGS[kind].prefix}.{method}", attrs, result
        return name or "", attrs, _NOTHING

    def _storage_kind(self, site: _Site, name: str) -> str:
        """KV and R2 share get/put/delete/list; the binding's name or options tell them apart."""
        first = site.arg(0)
        if first is not None and type(first[1].obj) is _DoId:
            return "durable-object"
        upper = name.upper()
        for hint, kind in workers.PYTHON_STORAGE_NAME_HINTS:
            if hint in upper:
                return kind
        keywords = {key for key, _, _ in site.args if key}
        for _, _, val in site.args:
            if val.items is not None:
                keywords.update(val.items)
        if keywords & _R2_OPTIONS:
            return "r2"
        return workers.PYTHON_STORAGE_DEFAULT  # the most common binding with these methods

    def _d1_method(self, site: _Site, stmt: _D1) -> _Outcome:
        """``stmt.bind(...)`` adds values; ``.run()/.first()/.all()/.raw()`` runs the query."""
        method = site.method
        if method == workers.D1_STATEMENT_BIND:
            pieces = stmt.args + tuple((node, val) for key, node, val in site.args if key is None)
            return "", [], _Val(qual=site.qual, obj=_D1(stmt.binding, stmt.sql, pieces))
        if method in _D1_RUN:
            # the query runs here: name this call with the statement's SQL and bound values
            site.values = (tuple(self._value(node, val) for node, val in stmt.args), ())
            attrs = [("binding", stmt.binding), ("sql", stmt.sql), ("op", method)]
            return _D1_EXEC, attrs, _NOTHING
        return "", [], _NOTHING

    def _response(self, site: _Site, last: str) -> _Outcome:
        """A Workers ``Response``: what it carries is what the Worker answers."""
        status_arg = site.arg(None, "status")
        if status_arg is None and last == workers.REDIRECT:
            status_arg = site.arg(1)
        if status_arg is None:
            init = site.arg(1)
            if init is not None and init[1].items is not None:
                status_arg = init[1].items.get("status")
        status = self._status(status_arg)
        if status is None and last == workers.REDIRECT:
            status = workers.REDIRECT_STATUS
        body = site.arg(0)
        body_value = self._value(body[0], body[1]) if body is not None else None
        loc = self._loc(site.node)
        function = self.ctx.function
        result = _Val(qual=site.qual, obj=_Response())
        self.facts.returns.append(
            Return(loc, function, status, self._value(site.node, _Val(site.all_sources())), (), body_value)
        )
        if body is not None:
            for src in sorted(body[1].sources):
                self.facts.flows.append(Flow(src, "response", loc, function))
        return "", [], result
