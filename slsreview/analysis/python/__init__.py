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
   keeps a range for every whitespace node. ``Spans`` runs the same code generation but only
   counts characters and keeps the *syntactic* span (exactly what ``PositionProvider`` reports)
   of the nodes that record one. Offsets become 1-based line/character columns only for the
   nodes a fact points at.
3. **One walk, no visitor machinery.** ``Analyzer`` dispatches on node type by hand: statements
   run in order, expressions are *evaluated* into ``Val`` (an abstract value: which ``Source``s
   reach it, what import path or object it stands for, where it sits inside the invocation
   event). Facts are recorded while evaluating. Module-level code is walked first and function
   bodies afterwards, in definition order, because module code runs at cold start before any
   handler does; a body sees the final module-level names.

Data flow is deliberately simple: per function (plus module-level names) a name holds the union
of everything ever assigned to it; a call's result carries its receiver's and arguments' sources
unless the vocabulary knows better (``uuid4()`` is a new ``random`` source, ``get_secret_value``
a ``secret``, an AWS call's result is AWS data), marked as derived through the call
(``Source.via``) unless the call keeps the value itself (``str(x)``, ``key.strip()``:
``slsreview.vocabulary.dataflow``). Nothing is inter-procedural except that calling
an already-analysed local function returns the *kind of object* it returns (``get_table()`` is a
DynamoDB table), never its sources.

Where to look
-------------
The walk is one class, ``Analyzer`` (``analyzer.py``), put together from one mixin per concern
over a shared ``State``. To see how a Python call becomes a ``Call`` fact, open ``calls.py`` first.

================== ==============================================================================
``calls.py``       where a call becomes a ``Call`` fact: ``_call`` evaluates it into a ``Site``,
                   ``_vocabulary`` names it (asking the receiver's kind, the event, local
                   functions, then the import path in ``_known_function``), ``_record_call``
                   records it and the flows of its arguments to sinks; logs, JSON, env reads
``services.py``    outbound services: AWS (boto3 clients, resources, paginators, secrets), HTTP
                   clients and timeouts, Stripe
``workers.py``     Python Workers (Cloudflare): ``env`` and its bindings, D1 statements, ``Response``
``wrappers.py``    Powertools for AWS Lambda: decorators, batch processing, logger, resolvers,
                   parameters
``entries.py``     entry points and the handler's shape: definitions (what each parameter holds),
                   classes, imports, returns
``statements.py``  assignments and module state, control flow and guards, ``with``, ``match``,
                   ``try``/``except`` and what a handler does on error
``expressions.py`` what an expression's value is: names, attributes and subscripts (places in the
                   event), operators, comprehensions, comparisons, environment reads
``reach.py``       whether a function's end can be reached (``FunctionDef.falls_through``)
``values.py``      the abstract value (``Val``), the kinds of object it can be, ``Scope``
``state.py``       the walk's state (``Ctx``: where it is; ``Site``: a call) and the helpers every
                   mixin uses (positions, ``Value`` facts, scopes)
``tables.py``      the words: the Python analyzer's views of ``slsreview.vocabulary`` and Python's
                   built-in semantics (AWS operations: ``slsreview.vocabulary.aws``)
``syntax.py``      what a libcst node says by itself: literal values, dotted names
``positions.py``   ``Spans``: node positions without libcst's ``PositionProvider``
``guards.py``      the depth guard (libcst crashes on deep nesting) and syntax errors
``analyzer.py``    the visitor class itself: dispatch tables, the order of the walk, ``_finish``,
                   and ``analyze_python``
================== ==============================================================================

Shared with the JavaScript analyzer: ``slsreview/analysis/common.py`` (how a place in the event is
named) and the words in ``slsreview/vocabulary/``. Each mixin's methods annotate
``self: Analyzer``: they are parts of one class, so mypy checks every call between them
(pyproject.toml silences the one complaint mypy has about the pattern).
"""

from slsreview.analysis.python.analyzer import analyze_python
from slsreview.analysis.python.guards import MAX_EXPRESSION_DEPTH
from slsreview.analysis.python.positions import Spans

_Spans = Spans  # the name tests/analysis/test_python_analyzer.py imports

__all__ = ["MAX_EXPRESSION_DEPTH", "Spans", "analyze_python"]
