"""Powertools for AWS Lambda (TypeScript) and middy: what wraps a handler.

``makeIdempotent(fn)``, middy's ``.use(makeHandlerIdempotent(...))``, ``injectLambdaContext``,
``processPartialResponse`` and the Powertools parameter readers. Wrappers are recorded as
``Wrapper`` facts (settled at the file's end: ``makeIdempotent`` on an entry point is
``powertools.idempotent``, elsewhere ``powertools.idempotent_function``). Powertools exports are
recognised by name (``POWERTOOLS_CALLS``): they move between subpath modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from slsreview.analysis import treesitter as ts
from slsreview.analysis.facts import Source
from slsreview.analysis.javascript.state import trait
from slsreview.analysis.javascript.tables import (
    LOG_EVENT_OPTION,
    POWERTOOLS_DECRYPT,
    POWERTOOLS_FUNCTIONS,
    POWERTOOLS_MIDDLEWARES,
    POWERTOOLS_PACKAGE,
    POWERTOOLS_SECRET_READS,
)
from slsreview.analysis.javascript.values import EMPTY, Val

Node = ts.Node

if TYPE_CHECKING:
    from slsreview.analysis.javascript.analyzer import Analyzer
    from slsreview.analysis.javascript.calls import CallHandler


@trait
class Wrappers:
    """Powertools and middy wrappers."""

    def call_partial_response(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        """processPartialResponse(event, recordHandler, processor, options), in the handler."""
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        names = ("event", "record_handler", "processor", "options")
        wrapper_args = tuple(
            (name, self.value(n, v)) for name, (n, v) in zip(names, args, strict=False)
        )
        self.wrappers.append(
            (
                POWERTOOLS_FUNCTIONS[qual.rsplit(".", 1)[-1]],
                self.frame.qualname,
                self.loc(node),
                wrapper_args,
            )
        )
        return EMPTY

    def call_parameter(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        """Powertools getSecret("id"), and getParameter("/name", { decrypt: true }): the result
        is a secret (a parameter only when decrypted, as in Python)."""
        if not qual.startswith(POWERTOOLS_PACKAGE):
            return self.plain_call(node, qual, None, arguments, awaited)
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        read = POWERTOOLS_DECRYPT.get(qual.rsplit(".", 1)[-1])
        if read is not None:
            options = args[1][1] if len(args) > 1 else EMPTY
            decrypt = options.props.get(read) if options.kind == "obj" and options.props else None
            if decrypt is None or (decrypt[1].lit and decrypt[1].literal is False):
                return EMPTY
        name = args[0][1].literal if args and args[0][1].lit else None
        return Val(sources=(Source("secret", str(name or "*"), self.loc(node)),))

    def call_make_idempotent(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        target = args[0][1].fn if args else None
        options = args[1][1] if len(args) > 1 else EMPTY
        wrapper_args = (
            tuple((key, self.value(n, v)) for key, (n, v) in (options.props or {}).items())
            if options.kind == "obj"
            else ()
        )
        self.wrappers.append(("makeIdempotent", target, self.loc(node), wrapper_args))
        if target:
            self.wrapped.add(target)
        return Val("fn", fn=target) if target else EMPTY

    def call_middleware(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        """makeHandlerIdempotent / injectLambdaContext: what middy's .use() applies."""
        args = self.args(arguments)
        self.add_call(node, "", qual, args, awaited=awaited)
        name = POWERTOOLS_FUNCTIONS[qual.rsplit(".", 1)[-1]]
        options = next((v for _, v in args if v.kind == "obj"), EMPTY)
        wrapper_args = []
        log_event, log_event_js = LOG_EVENT_OPTION["python"], LOG_EVENT_OPTION["javascript"]
        for key, (n, v) in (options.props or {}).items():
            wrapper_args.append((log_event if key == log_event_js else key, self.value(n, v)))
        return Val("mw", data=(name, tuple(wrapper_args)))

    def call_middy(
        self: Analyzer, node: Node, qual: str, arguments: Node | None, awaited: bool
    ) -> Val:
        args = self.args(arguments)
        self.add_call(node, "", "middy", args, awaited=awaited)
        target = next((v.fn for _, v in args if v.kind == "fn" and v.fn), None)
        if target is not None:
            self.wrapped.add(target)
            self.wrappers.append(("middy", target, self.loc(node), ()))
        return Val("middy", fn=target, data=(self.loc(node), []))

    def middy_method(
        self: Analyzer, node: Node, rv: Val, prop: str, arguments: Node | None, awaited: bool
    ) -> Val:
        args = self.args(arguments)
        self.add_call(node, "", f"middy.{prop}", args, awaited=awaited)
        where, waiting = rv.data
        if prop == "handler":  # middy().use(...).handler(async (event) => ...)
            target = next((v.fn for _, v in args if v.kind == "fn" and v.fn), None)
            if target is not None:
                self.wrapped.add(target)
                self.wrappers.append(("middy", target, where, ()))
                self.wrappers.extend((name, target, loc, wargs) for name, wargs, loc in waiting)
            return Val("middy", fn=target, data=(where, []))
        if prop == "use":
            for n, v in args:
                if v.kind == "mw":
                    name, wargs = v.data
                    if rv.fn:
                        self.wrappers.append((name, rv.fn, self.loc(n), wargs))
                    else:
                        waiting.append((name, wargs, self.loc(n)))
        return rv


def _powertools_calls() -> dict[str, CallHandler]:
    """Powertools for AWS Lambda (TypeScript) exports, by name (they move between subpath
    modules): the vocabulary's functions and middlewares, and its parameter readers."""
    by_wrapper: dict[str, CallHandler] = {
        "powertools.idempotent": Wrappers.call_make_idempotent,  # makeIdempotent(fn)
        "powertools.process_partial_response": Wrappers.call_partial_response,
    }
    table: dict[str, CallHandler] = {}
    for name, wrapper in POWERTOOLS_FUNCTIONS.items():
        table[name] = (
            Wrappers.call_middleware if name in POWERTOOLS_MIDDLEWARES else by_wrapper[wrapper]
        )
    table.update(dict.fromkeys(POWERTOOLS_SECRET_READS, Wrappers.call_parameter))
    return table


POWERTOOLS_CALLS = _powertools_calls()
