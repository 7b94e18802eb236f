"""Powertools for AWS Lambda (Python): decorators and calls that change what a handler does
(idempotency, batch processing, ``inject_lambda_context``), its logger, event handler resolvers,
and parameters that are secrets.

    >>> facts = analyze_python("a.py", "from aws_lambda_powertools.utilities.idempotency import idempotent\\n@idempotent(persistence_store=store)\\ndef handler(event, context):\\n    pass\\n")
    >>> [(w.name, w.target) for w in facts.wrappers]
    [('powertools.idempotent', 'handler')]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import libcst as cst

from slsreview.analysis.facts import Route, Source, Value, Wrapper
from slsreview.analysis.python.state import Site, State
from slsreview.analysis.python.syntax import dotted_name, literal_value, text_literal
from slsreview.analysis.python.tables import (
    POWERTOOLS_CLASSES,
    POWERTOOLS_DECORATORS,
    POWERTOOLS_FUNCTIONS,
    POWERTOOLS_READS,
    ROUTE_VERBS,
)
from slsreview.analysis.python.values import NOTHING, Logger, Outcome, Resolver, Val
from slsreview.vocabulary import powertools

if TYPE_CHECKING:
    from slsreview.analysis.python.analyzer import Analyzer


class Wrappers(State):
    def _decorator(self: Analyzer, decorator: cst.Decorator, target: str) -> None:
        expr = decorator.decorator
        self.last_site = None
        val = self._expr(expr)
        site = self.last_site if type(expr) is cst.Call else None
        qual = (site.qual if site is not None else val.qual) or ""
        if site is not None and site.recv is not None and isinstance(site.recv.obj, Resolver):
            self._route(site, target, decorator)
            return
        last = dotted_name(expr).rsplit(".", 1)[-1]
        name: str | None = None
        if last == powertools.PYTHON_LOGGER_DECORATOR or qual.startswith(powertools.PYTHON_PACKAGE):
            name = POWERTOOLS_DECORATORS.get(last)
        if name is None:
            return
        args = self._wrapper_args(site) if site is not None else ()
        self.facts.wrappers.append(Wrapper(name, target, self._loc(decorator), args))

    def _route(self: Analyzer, site: Site, target: str, decorator: cst.Decorator) -> None:
        """``@app.post("/orders")``, ``@app.route("/orders", method=["POST", "PUT"])`` on a
        Powertools event handler resolver: the decorated function serves those requests."""
        verb = site.method or ""
        if verb in ROUTE_VERBS:
            methods: list[str] = [verb.upper()]
        elif verb == "route":
            given = site.arg(1, "method")
            value = literal_value(given[0]) if given is not None else None
            if isinstance(value, str):
                methods = [value.upper()]
            elif isinstance(value, (list, tuple)) and all(isinstance(m, str) for m in value):
                methods = [m.upper() for m in value]
            else:
                methods = ["ANY"]
        else:
            return
        first = site.arg(0, "rule")
        path = literal_value(first[0]) if first is not None else None
        for method in methods:
            self.facts.routes.append(Route(method, path if isinstance(path, str) else None, target, self._loc(decorator)))

    def _wrapper_args(self: Analyzer, site: Site) -> tuple[tuple[str, Value], ...]:
        args, kwargs = self._site_values(site)
        return tuple((str(i), v) for i, v in enumerate(args)) + kwargs

    def _powertools(self: Analyzer, site: Site, qual: str, last: str) -> Outcome | None:
        if last == powertools.LOGGER_CLASS:
            return "", [], Val(qual=qual, obj=Logger("powertools"))
        if last in POWERTOOLS_FUNCTIONS:  # process_partial_response
            self._wrapper(site, POWERTOOLS_FUNCTIONS[last], self.ctx.function)
            return "", [], NOTHING
        if last in POWERTOOLS_CLASSES:  # BatchProcessor
            self._wrapper(site, POWERTOOLS_CLASSES[last], self.ctx.function)
            return "", [], Val(qual=qual)
        if last.endswith(powertools.PYTHON_RESOLVER_SUFFIX) or last == powertools.PYTHON_ROUTER:
            return "", [], Val(qual=qual, obj=Resolver())
        if powertools.PYTHON_PARAMETERS_MODULE in qual and last in POWERTOOLS_READS:
            decrypt_key = POWERTOOLS_READS[last].decrypt
            if decrypt_key is not None:  # a parameter is a secret when it is decrypted
                decrypt = site.arg(None, decrypt_key)
                if decrypt is None or literal_value(decrypt[0]) is False:
                    return "", [], NOTHING
            first = site.arg(0, "name") or site.arg(0, "path")
            name = text_literal(*first) if first is not None else None
            return "", [], Val(frozenset((Source("secret", name or "*", self._loc(site.node)),)))
        return None

    def _wrapper(self: Analyzer, site: Site, name: str, target: str | None) -> None:
        self.facts.wrappers.append(Wrapper(name, target, self._loc(site.node), self._wrapper_args(site)))
