"""JavaScript/TypeScript handler analysis: one file in, one ``FileFacts`` out.

    >>> facts = analyze_javascript(
    ...     "src/app.mjs",
    ...     "export const handler = async (event) => { console.log(event.body); };",
    ...     "javascript",
    ... )
    >>> [(c.name, c.attr("logger")) for c in facts.calls]
    [('log', 'console')]
    >>> [(f.source.kind, f.source.name, f.sink) for f in facts.flows]
    [('event', 'body', 'log')]

How it works
------------
tree-sitter parses the file (``treesitter.py`` is the only module touching its bindings); then a
single pass over the tree *abstractly evaluates* it: every expression node is visited once and
yields a ``Val``, what the analysis knows about that value -- the sources that reach it, and, when
it matters, what it is (an AWS client, an SDK command, the Workers ``env`` object, a path inside
the event, an object literal's properties...). Facts are recorded as the walk meets them.

- Names resolve through a chain of scopes: imports and ``require`` give module-qualified names
  (``"@aws-sdk/lib-dynamodb.PutCommand"``, ``"crypto.randomUUID"``), and the vocabulary is looked
  up by those names (``CALLS`` in ``calls.py`` for calls, the words in ``tables.py``). Only where
  the file itself cannot say, a few deliberate heuristics use names: parameters called
  ``event``/``record`` (and ``request``/``env``/``c`` in a Worker's file), ``logger.info(...)`` on
  a logger imported from elsewhere, and a binding's name when nothing else tells its kind
  (``ORDERS_QUEUE``).
- Sources flow through calls the analysis does not know (``format(event.body)``), except the
  whole event or env object: ``return handleRequest(request, env)`` is not an echo of the input.
  Their result is *derived* from its input (``Source.via`` names the call) unless the call keeps
  the value itself (``String(x)``, ``key.trim()``: ``slsreview.vocabulary.dataflow``).
- Function bodies are analysed after the code that encloses them (module level first), so a
  handler sees module constants declared below it and knows whether it is an exported entry point
  (whose first parameter is the event). Anonymous callbacks are analysed in place, as part of the
  function that passes them: ``event.Records.map(r => ...)`` runs inside the handler.
- What can only be decided with the whole file in view -- whether ``env.X`` is a binding and of
  which kind, whether a parse sits in a try that does not re-raise -- is recorded as a pending
  record and settled in ``Analyzer.finish``.

The analysis never imports or runs the code it reads, and never raises for any input: tree-sitter
recovers from errors, and the walk analyses whatever parsed (see ``SyntaxProblem``).

Where to look
-------------
The walk is one visitor class, ``Analyzer`` (``analyzer.py``), put together from one mixin per
concern. To see how a JavaScript call becomes a ``Call`` fact, open ``calls.py`` first.

================== ==============================================================================
``calls.py``       where a call becomes a ``Call`` fact: ``x_call`` takes any call apart,
                   ``qual_call`` looks a resolved name up in ``CALLS``, ``method_call`` dispatches
                   on what the receiver is, ``x_new`` handles constructors; logs, JSON.parse,
                   constant-time comparisons, ``.catch``
``services.py``    outbound services: AWS SDK v2/v3 clients and commands, HTTP clients (fetch,
                   axios, got, undici, https), Stripe
``workers.py``     Cloudflare Workers: bindings (KV, D1, R2, Queues, ...) and how their kind is
                   settled, ``Response``, the Request and Hono's ``c.req``, itty routers,
                   ``interface Env``
``wrappers.py``    Powertools for AWS Lambda (TypeScript) and middy: idempotency, batch
                   processing, parameters and secrets, middlewares
``entries.py``     imports, ``require``, exports and entry points (``exports.handler``,
                   ``export default { fetch }``, ``addEventListener("fetch", ...)``)
``functions.py``   functions and classes: parameters and what each receives (the handler shape),
                   bodies, callbacks analysed in place
``statements.py``  declarations and destructuring, assignments, module state, control flow,
                   try/catch, returns
``expressions.py`` what an expression's value is: literals, names, members (``event.body``,
                   ``env.KV``, ``process.env.X``), operators and the guards they make
``reach.py``       whether a function's end can be reached (``FunctionDef.falls_through``)
``values.py``      the value model (``Val``), scopes, and the records that wait for the file's end
``state.py``       the walk's state (where it is, what the file is, what waits for the end),
                   ``Analyzer``'s first base; ``trait``, the mark of its other bases
``tables.py``      the words, from ``slsreview.vocabulary``, in the shapes the walk looks them up
                   in; and JavaScript's own tables (its standard functions, array methods)
``syntax.py``      the tree-sitter node kinds the walk treats specially
``analyzer.py``    the visitor class itself: dispatch by node kind, the order of the walk, ``finish``,
                   and ``analyze_javascript``
================== ==============================================================================

Each mixin's methods annotate ``self: Analyzer``: they are parts of one class, so mypy checks
every call between them (pyproject.toml silences the one complaint mypy has about the pattern).
Each mixin is marked ``@trait`` and holds no state (``State`` is ``Analyzer``'s first base and
holds it all): mypyc needs both to compile the class.

Compiled build
--------------
mypyc can compile every module here but this one (with ``treesitter.py``): the same facts in a
little over half the time beyond the parse. ``slsreview/analysis/native.py`` says how, and keeps
a build from running once its sources have changed; ``COMPILED`` says which build runs.
"""

from slsreview.analysis.javascript.analyzer import analyze_javascript
from slsreview.analysis.native import COMPILED

__all__ = ["COMPILED", "analyze_javascript"]
