"""Questions about secrets and personal data that the log and response rules ask of facts.

    describe_secret(Source("env", "STRIPE_SECRET_KEY", loc))      # 'the STRIPE_SECRET_KEY secret'
    describe_secret(Source("event", "headers.authorization", loc)) # 'the authorization header'
    describe_personal(Source("event", "body.customer.email", loc)) # 'email address'
    masked(facts, flow)            # the value passes a mask/hash call inside the sink's arguments

The words (secret names and headers, personal-data fields, masking calls) are in
``slsreview.vocabulary.secrets`` and ``slsreview.vocabulary.personal_data``; this module only
applies them to ``Source`` and ``Flow`` facts, the same for both languages.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from slsreview.analysis.facts import Facts, Flow, Source
from slsreview.location import Location
from slsreview.vocabulary.personal_data import masking_call, personal_field
from slsreview.vocabulary.secrets import (
    SECRET_BINDING_PROPERTIES,
    is_secret_field,
    is_secret_header,
    secret_name,
)

# Parts of the event that hold what the caller sent (headers are SLS304's when they carry a
# credential, the rest of the event is what SLS305 and SLS307 read).
_FIELD_ROOTS = frozenset({"body", "queryStringParameters", "multiValueQueryStringParameters", "query", "searchParams", "pathParameters", "params", "form", "formData", "detail"})


def describe_secret(source: Source, secret_env: Collection[str] = ()) -> str | None:
    """How a message names a source that is a secret, or None when it is not one: a Secrets
    Manager or SSM read, an environment value with a secret's name (or named in
    ``secret_env``, the names the configuration says are secrets), a Hyperdrive binding's
    connection string or password, a request header or field that carries a credential."""
    kind, name = source.kind, source.name
    if kind == "secret":
        return f"the secret {name}" if name not in ("*", "") else "a value read from Secrets Manager or SSM"
    if kind == "env":
        if name != "*" and (name in secret_env or secret_name(name) == "strong"):
            return f"the {name} secret"
        return None
    if kind == "binding":
        binding, _, prop = name.partition(".")
        if prop in SECRET_BINDING_PROPERTIES:
            return f"{binding}.{prop} (it holds the database password)"
        return None
    if kind == "event":
        head, _, rest = name.partition(".")
        if head.lower() in ("headers", "multivalueheaders") and rest and "." not in rest and is_secret_header(rest):
            return f"the {rest} header"
        if head in _FIELD_ROOTS and rest and is_secret_field(rest.rsplit(".", 1)[-1]):
            return f"the request's {rest} field"
    return None


def describe_personal(source: Source) -> str | None:
    """The kind of personal data a request source names (``email address``), or None."""
    if source.kind != "event":
        return None
    head, _, rest = source.name.partition(".")
    if head.lower() == "headers":
        return personal_field(rest) if rest and "." not in rest else None
    if head == "requestContext" or head == "cf":
        return personal_field(source.name)
    if head in _FIELD_ROOTS or head == "records" or head == "Records":
        return personal_field(source.name) if rest else None
    return None


def masked(facts: Facts, flow: Flow) -> bool:
    """True when the flow's source reaches the sink only through calls whose names say they
    hide their input (``mask_email(body["email"])``, ``hashlib.sha256(key)``): every argument
    of the sink call that carries the source holds such a call, itself given the source."""
    call = flow.call
    if call is None:
        return False
    key = (flow.source.kind, flow.source.name)
    carrying = [v for v in (*call.args, *(v for _, v in call.kwargs)) if any((s.kind, s.name) == key for s in v.sources)]
    if not carrying:
        return False
    maskers = []
    for inner in facts.calls():
        if inner is call or inner.loc.path != call.loc.path or not masking_call(inner.callee):
            continue
        given = [*inner.args, *(v for _, v in inner.kwargs)]
        # Calls outside the vocabulary carry no argument facts: then the call's place decides.
        if not given or any((s.kind, s.name) == key for value in given for s in value.sources):
            maskers.append(inner)
    return all(any(_within(inner.loc, value.loc) for inner in maskers) for value in carrying)


_VERIFY_WORDS = frozenset({"verify", "validate", "decode", "authenticate", "authorize", "introspect"})


def after_verification(facts: Facts, flow: Flow) -> bool:
    """True when, in the function of the flow's sink, a call that verifies or decodes a
    credential (``validate_jwt(token)``, ``jwt.verify``, ``verifyToken``) runs after the
    credential is read and before the sink: what is logged then is most likely a claim of the
    verified token (a user id), which the facts cannot tell from the token itself."""
    read, sink = flow.source.loc, flow.loc
    for call in facts.calls():
        if call.function != flow.function or call.loc.path != sink.path:
            continue
        last = call.callee.rsplit(".", 1)[-1]
        words = {w for w in _WORDS.split(_CAMEL.sub("_", last).lower()) if w}
        if not words & _VERIFY_WORDS:
            continue
        if (read.line, read.column) <= (call.loc.line, call.loc.column) < (sink.line, sink.column):
            return True
    return False


_WORDS = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def _within(inner: Location, outer: Location) -> bool:
    start = (inner.line, inner.column)
    end = (inner.end_line or inner.line, inner.end_column or inner.column)
    return (outer.line, outer.column) <= start and end <= (outer.end_line or outer.line, outer.end_column or outer.column)
