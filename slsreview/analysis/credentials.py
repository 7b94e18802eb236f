"""Questions about callers and secrets that several rules ask of a handler's facts.

    is_secret_name("WEBHOOK_SECRET")        # True;  "PAYMENTS_SECRET_ID", "PRIMARY_KEY": False
    secret_sources(comparison.left)         # the secrets flowing into a value
    request_sources(comparison.right)       # the request data flowing into a value
    credential_check(facts)                 # where the handler checks its caller, or None
    does_work(facts, ignore={"ASSETS"})     # does it touch data or spend money at all?
    fetch_handler(facts)                    # ("default.fetch", <where>) of a Worker, or None

The words are in ``slsreview.vocabulary.credentials`` (credential headers, verifying calls) and
``slsreview.vocabulary.secrets`` (secret names); this module only applies them to ``Facts``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from slsreview.analysis.facts import Call, Facts, Source, Value
from slsreview.analysis.memo import answer_kept
from slsreview.location import Location
from slsreview.vocabulary.credentials import (
    AUTH_MODULES,
    CREDENTIAL_HEADER_SUFFIXES,
    CREDENTIAL_HEADERS,
    CREDENTIAL_QUERY_PARAMS,
    VERIFY_CALLEES,
)
from slsreview.vocabulary.secrets import secret_name

_HEADER_READS = ("headers.get", "headers.has", "req.header", "get_header", "headers.__getitem__")


def is_secret_name(name: str) -> bool:
    """True when an environment or binding name says it holds a secret value (the words are
    ``slsreview.vocabulary.secrets``'s, shared with the secrets rules)."""
    return secret_name(name) == "strong"


def is_secret_source(source: Source) -> bool:
    """A value read from a secret store, or an environment value whose name says it is secret."""
    if source.kind == "secret":
        return True
    return source.kind == "env" and is_secret_name(source.name)


def secret_sources(value: Value) -> list[Source]:
    return [s for s in value.sources if is_secret_source(s)]


def request_sources(value: Value) -> list[Source]:
    """Request data (headers, body, query, path) flowing into a value."""
    return [s for s in value.sources if s.kind in ("event", "event-id") and s.name not in ("event", "records")]


def is_credential_field(name: str) -> bool:
    """True for an event field that carries a credential: ``headers.authorization``,
    ``headers.x-hub-signature-256``, ``queryStringParameters.token``."""
    head, _, field = name.lower().partition(".")
    if head == "headers" and field:
        return field in CREDENTIAL_HEADERS or field.endswith(CREDENTIAL_HEADER_SUFFIXES)
    if head in ("querystringparameters", "query", "searchparams") and field:
        return field in CREDENTIAL_QUERY_PARAMS
    return False


def values_of(facts: Facts) -> Iterator[Value]:
    """Every argument, compared operand and returned value in the reachable code."""
    for call in facts.calls():
        yield from call.args
        for _, value in call.kwargs:
            yield value
    for comparison in facts.comparisons():
        yield comparison.left
        yield comparison.right
    for ret in facts.returns():
        if ret.value is not None:
            yield ret.value


def credential_check(facts: Facts) -> Location | None:
    """Where the handler checks who is calling, or None when nothing says it does.

    Evidence, in the reachable code: a comparison involving a credential header or a secret and
    request data; a constant-time comparison; a call that verifies a token or a signature; a call
    into an authentication module (Hono's ``bearerAuth``, ``jose``...); reading a credential
    header (``request.headers.get("Authorization")``), which code does to check it or to pass it
    to a service that does. Asked by several rules; answered once per handler's content.
    """
    found: Location | None = answer_kept(facts, "credential_check", _credential_check)
    return found


def _credential_check(facts: Facts) -> Location | None:
    for comparison in facts.comparisons():
        sides = (comparison.left, comparison.right)
        if comparison.constant_time:
            return comparison.loc
        if any(is_credential_field(s.name) for side in sides for s in request_sources(side)):
            return comparison.loc
        if any(secret_sources(a) and request_sources(b) for a, b in (sides, sides[::-1])):
            return comparison.loc
    for call in facts.calls():
        if call.name == "crypto.compare" or _verifies(call):
            return call.loc
        first = call.args[0].literal if call.args else None
        if call.callee.endswith(_HEADER_READS) and isinstance(first, str) and is_credential_field("headers." + first):
            return call.loc
    for value in values_of(facts):
        for source in request_sources(value):
            if is_credential_field(source.name):
                return source.loc
    return None


def _verifies(call: Call) -> bool:
    callee = call.callee
    parts = callee.split(".")
    if callee in VERIFY_CALLEES or parts[-1] in VERIFY_CALLEES or ".".join(parts[-2:]) in VERIFY_CALLEES:
        return True
    return callee.startswith(AUTH_MODULES)


def does_work(facts: Facts, ignore: Iterable[str] = ()) -> bool:
    """True when the handler touches data or spends money: an AWS or Cloudflare binding call, an
    outbound request, a payment, a binding used, or a secret read. A handler that only builds a
    response from the request (hello world, a redirect) does none of these. ``ignore`` names
    bindings that do not count (a static-assets binding)."""
    skip = set(ignore)
    return bool(answer_kept(facts, f"does_work {sorted(skip)}", functools.partial(_does_work, skip=skip)))


def _does_work(facts: Facts, skip: set[str]) -> bool:
    for call in facts.calls("aws", "cf", "http.request", "payment"):
        if call.attr("binding") not in skip:
            return True
    if any(name not in skip for name in facts.bindings_used()):
        return True
    return any(is_secret_name(read.name) for read in facts.env_reads())


def fetch_handler(facts: Facts) -> tuple[str, Location] | None:
    """The qualified name and place of a Worker's fetch handler, or None when the entry has none."""
    found: tuple[str, Location] | None = answer_kept(facts, "fetch_handler", _fetch_handler)
    return found


def _fetch_handler(facts: Facts) -> tuple[str, Location] | None:
    entry = facts.entry()
    if entry is None or ("fetch" not in entry.methods and entry.kind != "on-fetch"):
        return None
    qualname = f"{entry.qualname}.fetch"
    for function in facts.functions():
        if function.qualname == qualname:
            return qualname, function.loc
    return qualname, entry.loc
