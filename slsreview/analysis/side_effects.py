"""Side effects a second delivery repeats: what identifies each one, and what guards it.

A redelivered message or a retried request runs the handler again. Whether that repeats a
side effect depends on the side effect's *identity*: a DynamoDB item keyed by the message id is
overwritten with itself, one keyed by ``uuid4()`` is written a second time; an SQS message with a
deduplication id from the event is dropped by the FIFO queue, a Stripe charge without an
idempotency key is made again. This module reads language-neutral facts and answers, for every
call that changes something outside the function::

    for effect in side_effects(facts):
        effect.call        # the Call, where a finding points
        effect.action      # "writes to DynamoDB"
        effect.identity    # "fresh" | "missing" | "counter" | "stable" | "unknown"
        effect.why         # "with a fresh uuid4 key"
        effect.repeats     # True when a second run repeats it
        guard_of(effect, facts)   # the Powertools wrapper / conditional write that makes it safe

Identities:

- ``fresh``: the key or identity is made by randomness or the clock, so every run differs;
- ``missing``: the operation needs a key to be safe and none is given (a payment without an
  idempotency key, an email or text message, which nothing downstream deduplicates);
- ``counter``: an update that adds to what is there (``ADD``, ``SET n = n + :x``, ``list_append``);
- ``stable``: derived from the event (message id, object key, idempotency header, a business id)
  or constant: a repeat overwrites or is deduplicated;
- ``unknown``: the facts do not say (a key built by a helper the analysis cannot see into).

Guards, strongest first: Powertools idempotency on the handler (``@idempotent``,
``makeIdempotent``, middy ``makeHandlerIdempotent``) or on the function doing the work
(``@idempotent_function``); a *claim* earlier in the run, that is a write that fails or does
nothing for a known identity (``ConditionExpression``, ``INSERT ... ON CONFLICT DO NOTHING``,
``INSERT OR IGNORE``, a Durable Object named by the event); a *lookup* of the delivery's identity
before the work (``get_item``/``KV.get`` keyed by the message id or ``Idempotency-Key``); and an
in-memory seen-set, which SLS102 reports on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

from slsreview.analysis.facts import Call, Facts, Source, StateAccess, Value
from slsreview.analysis.memo import answer_once
from slsreview.analysis.triggers import WRITE_METHODS, Trigger, route_methods
from slsreview.model.project import Worker
from slsreview.vocabulary import sql as sql_words

Identity = Literal["fresh", "missing", "counter", "stable", "unknown"]

# time sources whose value is a day, not an instant: a key built from them is the same all day
_PERIOD_TIME = frozenset({"date.today"})
# attribute names that are (part of) an item's key, where a timestamp makes every write new
_KEY_ATTRIBUTE = re.compile(r"^(?:pk|sk|PK|SK|id|Id|ID|key|Key|KEY)$|.(?:_id|Id|ID|_key|Key)$")
_IDEMPOTENCY_HEADER = re.compile(r"idempotency[-_]?key|x-idempotency", re.IGNORECASE)
_COUNTER_UPDATE = re.compile(
    r"\bADD\b|list_append\s*\(|=\s*(?:if_not_exists\s*\([^)]*\)|[#\w.\[\]]+)\s*[+-]\s*[:\w]", re.IGNORECASE
)
_SQL_INSERT = re.compile(r"\bINSERT\b|\bREPLACE\s+INTO\b", re.IGNORECASE)
# SQLite/PostgreSQL ON CONFLICT and INSERT OR IGNORE/REPLACE; MySQL INSERT IGNORE and ON DUPLICATE KEY UPDATE
_SQL_UPSERT = re.compile(
    r"\bON\s+CONFLICT\b|\bINSERT\s+(?:OR\s+)?(?:IGNORE|REPLACE)\b|\bREPLACE\s+INTO\b|\bON\s+DUPLICATE\s+KEY\s+UPDATE\b",
    re.IGNORECASE,
)
_SQL_IGNORE = re.compile(r"\bON\s+CONFLICT\b[^;]*\bDO\s+NOTHING\b|\bINSERT\s+(?:OR\s+)?IGNORE\b", re.IGNORECASE)
_SQL_COUNTER = re.compile(r"\bUPDATE\b.*\bSET\b.*?(\w+)\s*=\s*\1\s*[+-]", re.IGNORECASE | re.DOTALL)
_SQL_SCHEMA = re.compile(r"\b(?:CREATE|DROP)\s+TABLE\b", re.IGNORECASE)
_SQL_SELECT = re.compile(r"^\s*SELECT\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class SideEffect:
    call: Call
    kind: Literal["store", "delivery", "update"]  # writes under a key / sends something / changes in place
    action: str  # "writes to DynamoDB", "sends an SQS message", ...
    identity: Identity
    why: str = ""  # "with a fresh uuid4 key", "without an idempotency key", ...
    repeat: str = ""  # what a second run does: "writes a second item", "charges again"
    fix: str = ""
    key: Value | None = None  # what identifies it: the item, the object key, the deduplication id...
    downstream_key: bool = False  # the call carries a key the receiver deduplicates on

    @property
    def repeats(self) -> bool:
        return self.identity in ("fresh", "missing", "counter")

    @property
    def keyed_by_event(self) -> bool:
        """Its identity comes from the request or message (a client-supplied id, the message id)."""
        return self.identity == "stable" and self.key is not None and _from_event(self.key) and (
            self.kind == "store" or self.downstream_key
        )


@dataclass(frozen=True, slots=True)
class Guard:
    kind: Literal["powertools", "claim", "lookup", "memory"]
    function: str | None  # the function it sits in (claims and lookups guard what runs after them)
    line: int
    path: str
    description: str
    targets: frozenset[str | None] | None = None  # the functions it can cover (None: all of them)


def side_effects(facts: Facts) -> list[SideEffect]:
    """Every reachable call that changes something outside the function, with its identity."""
    return list(answer_once(facts, "side_effects", lambda: [e for e in map(_assess, facts.calls()) if e is not None]))



_FIX_KEY = (
    "Derive the key from the event's identity (record['messageId'], the S3 object key, the Idempotency-Key "
    "header or a business id) so that a repeat overwrites, or guard the handler with Powertools idempotency."
)
_FIX_DYNAMODB = (
    "Derive the key from the message (record['messageId'] or a business id) and write with "
    "ConditionExpression='attribute_not_exists(pk)', or use Powertools @idempotent / makeIdempotent."
)
_FIX_COUNTER = (
    "Record the message id in the same transaction (TransactWriteItems with a ConditionExpression on a "
    "per-message item) or guard the handler with Powertools idempotency, so that a repeat does not add twice."
)
_FIX_MESSAGE = (
    "Carry a stable identity instead of a fresh one (the event's id or a business id), set "
    "MessageDeduplicationId on FIFO queues/topics, or guard the handler with Powertools idempotency."
)
_FIX_PAYMENT = (
    "Pass an idempotency key derived from the event (idempotency_key= in Python, {idempotencyKey} in "
    "JavaScript), such as the message id or the order id."
)
_FIX_HTTP = "Send an Idempotency-Key header derived from the event (the message id or a business id), not a fresh one."
_FIX_SQL = "Insert with a key derived from the event and INSERT ... ON CONFLICT DO NOTHING (or INSERT OR IGNORE)."
_FIX_GUARD = (
    "Record that this event was handled before acting (a conditional write keyed by the message id, "
    "or Powertools idempotency), so that a repeat stops there."
)


def _assess(call: Call) -> SideEffect | None:
    name = call.name
    if name.startswith("aws.dynamodb."):
        return _dynamodb(call)
    if name in ("aws.sqs.SendMessage", "aws.sns.Publish"):
        return _message(call)
    if name == "aws.events.PutEvents":
        return _delivery(call, call.kwarg("Entries"), "puts EventBridge events", "publishes the events again", _FIX_MESSAGE)
    if name.startswith(("aws.ses.Send", "aws.sesv2.Send")):
        return SideEffect(call, "delivery", "sends an email", "missing", "and nothing records that it was sent", "sends it again", _FIX_GUARD)
    if name == "payment.create":
        return _payment(call)
    if name == "http.request" and call.attr("method") == "POST":
        return _http_post(call)
    if name in sql_words.STATEMENT_CALLS:
        return _sql(call)
    if name in ("cf.kv.put", "cf.r2.put"):
        store = "Workers KV" if name == "cf.kv.put" else "R2"
        return _store(call, call.args[0] if call.args else None, f"writes to {store}", "writes a second entry", _FIX_KEY)
    if name == "aws.s3.PutObject":
        key = call.kwarg("Key") or (call.args[2] if len(call.args) >= 3 else None)
        return _store(call, key, "writes to S3", "writes a second object", _FIX_KEY)
    if name in ("cf.queue.send", "cf.queue.sendBatch"):
        return _delivery(call, call.args[0] if call.args else None, "sends a Queues message", "sends it again", _FIX_MESSAGE)
    return None


def not_a_queue(effect: SideEffect, worker: Worker) -> bool:
    """A ``.send()`` on a binding the Worker declares as something else than a queue producer
    (a Pipelines stream, a service): not a Queues message."""
    binding = effect.call.attr("binding")
    if not effect.call.name.startswith("cf.queue.") or not binding:
        return False
    kinds = {b.kind for b in worker.bindings if b.name == binding}
    return bool(kinds) and "queue-producer" not in kinds


def _freshness(value: Value | None) -> Source | None:
    """The random or clock source that makes a value differ on every run, if any."""
    if value is None:
        return None
    for source in value.sources:
        if source.kind == "random":
            return source
    for source in value.sources:
        if source.kind == "time" and source.name not in _PERIOD_TIME:
            return source
    return None


def _item_freshness(item: Value | None) -> Source | None:
    """Randomness anywhere in an item, or the clock in one of its key attributes (``pk``, ``sk``,
    ``id``, ``orderId``...); without per-attribute facts, randomness anywhere."""
    if item is None:
        return None
    if not item.fields:
        return _random(item)
    random = next((s for _, sources in item.fields for s in sources if s.kind == "random"), None)
    if random is not None:
        return random
    for name, sources in item.fields:
        if _KEY_ATTRIBUTE.search(name):
            clock = next((s for s in sources if s.kind == "time" and s.name not in _PERIOD_TIME), None)
            if clock is not None:
                return clock
    return None


def _random(value: Value | None) -> Source | None:
    if value is None:
        return None
    return next((s for s in value.sources if s.kind == "random"), None)


def _fresh_why(source: Source, what: str = "key") -> str:
    if source.kind == "random":
        return f"with a fresh {source.name} {what}"
    return f"with a {what} taken from the clock ({source.name})"


def _known(value: Value | None) -> bool:
    """True when the facts say where a value comes from: a literal or a tracked source."""
    return value is not None and (value.is_literal or any(s.kind in ("event", "event-id") for s in value.sources))


def _stable(known: bool) -> Identity:
    return "stable" if known else "unknown"


def _store(call: Call, key: Value | None, what: str, repeat: str, fix: str, item: bool = False) -> SideEffect:
    """A write under a key: a fresh key writes a second copy, a stable one overwrites. For a
    whole ``item`` (a DynamoDB item), the clock counts only in its key attributes: items carry
    timestamps (``createdAt``) beside a key from the event."""
    fresh = _item_freshness(key) if item else _freshness(key)
    if fresh is not None:
        return SideEffect(call, "store", what, "fresh", _fresh_why(fresh), repeat, fix, key)
    return SideEffect(call, "store", what, _stable(_known(key)), fix=fix, key=key)


def _delivery(call: Call, body: Value | None, what: str, repeat: str, fix: str) -> SideEffect:
    """Deliveries without a key of their own: only a fresh id inside the payload is certain to
    defeat a receiver's deduplication (a payload from the event carries the event's identity)."""
    fresh = _random(body)
    if fresh is not None:
        return SideEffect(call, "delivery", what, "fresh", _fresh_why(fresh, "id in the payload"), repeat, fix, body)
    return SideEffect(call, "delivery", what, _stable(_known(body)), fix=fix, key=body)


def _keyed_delivery(call: Call, key: Value, what: str, key_name: str, repeat: str, fix: str) -> SideEffect:
    """A delivery with a key the receiver deduplicates on: safe unless the key is made fresh."""
    fresh = _freshness(key)
    if fresh is not None:
        return SideEffect(call, "delivery", what, "fresh", _fresh_why(fresh, key_name), repeat, fix, key, True)
    return SideEffect(call, "delivery", what, "stable", fix=fix, key=key, downstream_key=True)


def _dynamodb(call: Call) -> SideEffect | None:
    operation = call.name.rsplit(".", 1)[-1]
    if operation == "PutItem":
        item = call.kwarg("Item")
        return _store(call, item, "writes to DynamoDB", "writes a second item", _FIX_DYNAMODB, item=True)
    if operation == "BatchWriteItem":
        items = call.kwarg("RequestItems")
        return _store(call, items, "batch-writes to DynamoDB", "writes second items", _FIX_DYNAMODB, item=True)
    if operation == "TransactWriteItems":
        token = call.kwarg("ClientRequestToken")
        if token is not None:
            return _keyed_delivery(call, token, "writes a DynamoDB transaction", "ClientRequestToken", "writes it again", _FIX_DYNAMODB)
        items = call.kwarg("TransactItems")
        return _store(call, items, "writes a DynamoDB transaction", "writes second items", _FIX_DYNAMODB, item=True)
    if operation == "UpdateItem":
        key = call.kwarg("Key")
        fresh = _random(key)
        if fresh is not None:
            return SideEffect(call, "store", "writes to DynamoDB", "fresh", _fresh_why(fresh), "writes a second item", _FIX_DYNAMODB, key)
        expression = call.kwarg("UpdateExpression")
        text = expression.literal if expression is not None and isinstance(expression.literal, str) else None
        if text is not None and call.kwarg("ConditionExpression") is None and _COUNTER_UPDATE.search(text):
            why = f"with an update that adds to what is stored ({text.strip()})"
            return SideEffect(call, "update", "updates DynamoDB", "counter", why, "adds it twice", _FIX_COUNTER, key)
        return SideEffect(call, "update", "updates DynamoDB", _stable(_known(key)), fix=_FIX_DYNAMODB, key=key)
    return None


def _message(call: Call) -> SideEffect:
    what = "sends an SQS message" if call.name == "aws.sqs.SendMessage" else "publishes to SNS"
    dedup = call.kwarg("MessageDeduplicationId")
    if dedup is not None:
        return _keyed_delivery(call, dedup, what, "deduplication id", "sends it again", _FIX_MESSAGE)
    if call.name == "aws.sns.Publish" and call.kwarg("PhoneNumber") is not None:
        return SideEffect(call, "delivery", "sends a text message", "missing", "and nothing records that it was sent", "texts again", _FIX_GUARD)
    body = call.kwarg("MessageBody") or call.kwarg("Message")
    effect = _delivery(call, body, what, "sends it again", _FIX_MESSAGE)
    # a FIFO queue or topic (MessageGroupId) without an explicit id deduplicates on the body's hash
    if call.kwarg("MessageGroupId") is not None and effect.identity != "fresh":
        return SideEffect(call, "delivery", what, "stable", fix=_FIX_MESSAGE, key=body, downstream_key=True)
    return effect


def _payment(call: Call) -> SideEffect:
    key = call.kwarg("idempotency_key")
    resource = call.attr("resource") or "payment"
    what = f"creates a Stripe {_singular(resource)}"
    if key is None:
        return SideEffect(call, "delivery", what, "missing", "without an idempotency key", "charges again", _FIX_PAYMENT)
    return _keyed_delivery(call, key, what, "idempotency key", "charges again", _FIX_PAYMENT)


def _singular(resource: str) -> str:
    words = re.sub(r"(?<!^)(?=[A-Z])", " ", resource).lower().split()
    if words and words[-1].endswith("s"):
        words[-1] = words[-1][:-1]
    return " ".join(words) or "payment"


def _http_post(call: Call) -> SideEffect:
    headers = call.kwarg("headers")
    if headers is not None and any(_IDEMPOTENCY_HEADER.search(k) for k in headers.keys):
        return _keyed_delivery(call, headers, "sends a POST request", "Idempotency-Key", "sends it again", _FIX_HTTP)
    body = call.kwarg("json") or call.kwarg("body") or call.kwarg("data") or (call.args[1] if len(call.args) >= 2 else None)
    return _delivery(call, body, "sends a POST request", "sends it again", _FIX_HTTP)


def sql_statement(call: Call) -> tuple[str | None, tuple[Value, ...], str] | None:
    """A SQL-running call's statement (when literal), the values bound to it, and the store it
    runs on ("D1", "PostgreSQL", "MySQL", "the database"): D1, the PostgreSQL/MySQL drivers
    (``sql.exec``) and the RDS Data API alike (``slsreview.vocabulary.sql``); None for others."""
    where = sql_words.STATEMENT_CALLS.get(call.name)
    if where is None:
        return None
    text_kwarg, values_kwarg, database = where
    if text_kwarg is None:
        text = call.attr("sql")
        binds = call.args[1:]
    else:
        statement = call.kwarg(text_kwarg)
        text = statement.literal if statement is not None else None
        values = call.kwarg(values_kwarg) if values_kwarg is not None else None
        binds = (values,) if values is not None else ()
    database = database or call.attr("driver")
    store = sql_words.DATABASES.get(database, sql_words.UNKNOWN_DATABASE) if isinstance(database, str) else None
    store = store or sql_words.UNKNOWN_DATABASE
    return (text if isinstance(text, str) else None), binds, store


def _sql(call: Call) -> SideEffect | None:
    found = sql_statement(call)
    if found is None:
        return None
    sql, binds, store = found
    if sql is None:
        return None  # a statement the analysis cannot read: no claim either way
    if _SQL_SCHEMA.search(sql):
        return None  # creating or dropping tables: a migration or a seed, not a per-event write
    if _SQL_COUNTER.search(sql):
        why = "with an update that adds to what is stored"
        return SideEffect(call, "update", f"updates {store}", "counter", why, "adds it twice", _FIX_COUNTER)
    if not _SQL_INSERT.search(sql):
        return None
    key = next((v for v in binds if _from_event(v) or _random(v)), binds[0] if binds else None)
    upsert = bool(_SQL_UPSERT.search(sql))
    fresh = next((f for f in (_random(v) for v in binds) if f is not None), None)
    what = f"inserts into {store}"
    if fresh is not None and not upsert:
        return SideEffect(call, "store", what, "fresh", _fresh_why(fresh), "inserts a second row", _FIX_SQL, key)
    known = all(_known(v) or not v.sources for v in binds)
    # a plain INSERT has no identity of its own (an autoincrement row); an upsert has its conflict key
    return SideEffect(call, "store" if upsert else "delivery", what, _stable(known), fix=_FIX_SQL, key=key, downstream_key=upsert)


def repeated_side_effects(triggers: list[Trigger], facts: Facts) -> list[tuple[SideEffect, list[Trigger]]]:
    """The unguarded side effects a second delivery repeats, each with the triggers whose handler
    runs it (a Worker's ``queue`` and ``fetch`` are different handlers). When every such trigger
    is an HTTP route, an email or text message without a key is left to SLS105: the retry comes
    from a client that may never send it, and the fix is the API's contract (an Idempotency-Key)."""
    if not triggers:
        return []
    found = guards(facts)
    out = []
    for effect in side_effects(facts):
        if not effect.repeats or guard_of(effect, facts, found) is not None:
            continue
        reaching = triggers_running(effect.call, triggers, facts)
        if not reaching:
            continue
        if all(t.http for t in reaching) and effect.identity == "missing" and effect.call.name != "payment.create":
            continue
        out.append((effect, reaching))
    return out


def triggers_running(
    call: Call, triggers: list[Trigger], facts: Facts, methods: frozenset[str] = WRITE_METHODS | {"ANY"}
) -> list[Trigger]:
    """The triggers whose handler runs this call (all of them for a Lambda function); an HTTP
    trigger only when the call runs for one of ``methods`` (not in a route that serves GET)."""
    graph = _call_graph(facts)
    served = route_methods(call, facts)
    return [
        t
        for t in triggers
        if (t.handler is None or call.function is None or call.function in _reach(graph, t.handler))
        and not (served is not None and (not t.http or not served & methods))  # a route's code runs for requests
    ]


def reaches(facts: Facts, caller: str, callee: str | None) -> bool:
    """True when ``caller`` runs ``callee`` (itself, or through the functions it calls)."""
    return callee in _reach(_call_graph(facts), caller)


# -- guards -------------------------------------------------------------------------------------


def guards(facts: Facts) -> list[Guard]:
    """What makes a repeat safe in this handler (see the module docstring)."""
    return list(answer_once(facts, "guards", lambda: _guards(facts)))


def _guards(facts: Facts) -> list[Guard]:
    out: list[Guard] = []
    graph = _call_graph(facts)
    entry = facts.entry()
    handler_names = {entry.qualname, entry.symbol} if entry is not None else set()
    for wrapper in facts.wrappers("powertools.idempotent", "powertools.idempotent_function"):
        if wrapper.name == "powertools.idempotent" or wrapper.target in handler_names:
            out.append(Guard("powertools", None, wrapper.loc.line, wrapper.loc.path, "Powertools idempotency", None))
        elif wrapper.target is not None:
            covered = frozenset(_reach(graph, wrapper.target))
            out.append(Guard("powertools", None, wrapper.loc.line, wrapper.loc.path, "Powertools idempotency", covered))
    found: list[tuple[Literal["claim", "lookup", "memory"], Call | StateAccess, str]] = []
    for call in facts.calls():
        description = claim_of(call)
        if description is not None:
            found.append(("claim", call, description))
            continue
        description = lookup_of(call)
        if description is not None:
            found.append(("lookup", call, description))
    for state in facts.module_state():
        for check in seen_set_checks(state.name, facts):
            found.append(("memory", check, f"the in-memory {state.name}"))
    for kind, where, description in found:
        # it guards what its function runs, and the functions that call it (a claim in a helper)
        function = where.function
        runs = _reach(graph, function) | {f for f in graph if function in _reach(graph, f)}
        out.append(Guard(kind, function, where.loc.line, where.loc.path, description, frozenset(runs)))
    return out


def guard_of(effect: SideEffect, facts: Facts, all_guards: Iterable[Guard] | None = None) -> Guard | None:
    """The guard that stops a repeat of this side effect, or None."""
    call = effect.call
    for guard in guards(facts) if all_guards is None else all_guards:
        if guard.targets is not None and call.function not in guard.targets:
            continue  # not a sibling handler: a Worker's fetch does not guard its queue
        if guard.kind == "powertools":
            return guard
        # a claim, a lookup or a seen-set check guards what runs after it
        if (guard.path, guard.line) == (call.loc.path, call.loc.line):
            continue
        if guard.function == call.function and guard.path == call.loc.path and call.loc.line < guard.line:
            continue
        return guard
    return None


def claim_of(call: Call) -> str | None:
    """A write that fails, or does nothing, when the event's identity was seen before."""
    name = call.name
    if name in ("aws.dynamodb.PutItem", "aws.dynamodb.UpdateItem"):
        condition = call.kwarg("ConditionExpression")
        key = call.kwarg("Item") if name.endswith("PutItem") else call.kwarg("Key")
        if condition is not None and key is not None and _random(key) is None:
            return "a conditional write"
    statement = sql_statement(call)
    if statement is not None:
        sql, binds, _ = statement
        if sql is not None and _SQL_IGNORE.search(sql) and not any(_random(v) for v in binds):
            return "an INSERT that ignores a known key"
    if name == "cf.do.idFromName" and call.args and _from_event(call.args[0]):
        return "a Durable Object named by the event"
    return None


def lookup_of(call: Call) -> str | None:
    """A read of the delivery's own identity before the work: a check for an earlier run."""
    name = call.name
    if name == "aws.dynamodb.GetItem" and _event_id(call.kwarg("Key")):
        return "a lookup of the event's id"
    if name == "cf.kv.get" and call.args and _event_id(call.args[0]):
        return "a KV lookup of the event's id"
    statement = sql_statement(call)
    if statement is not None:
        sql, binds, _ = statement
        if sql is not None and _SQL_SELECT.search(sql) and any(_event_id(v) for v in binds):
            return "a lookup of the event's id"
    return None


def is_seen_set(name: str, facts: Facts) -> str | None:
    """A module-level container checked for a delivery's identity and written with it: the
    in-memory idempotency store (``if id in seen: return`` ... ``seen.add(id)``). Returns what it
    remembers ("message ids", "Idempotency-Key headers"), or None."""
    checks = seen_set_checks(name, facts)
    if not checks:
        return None
    ids = {s.name for check in checks for s in check.key.sources if s.kind == "event-id"}
    return " and ".join(sorted({_identity_noun(n) for n in ids}))


def seen_set_checks(name: str, facts: Facts) -> list[StateAccess]:
    """The checks of a module-level container for a delivery's identity, when the container is
    also written with one (else it is a cache of something else, and this returns [])."""
    for state in facts.module_state():
        if state.name != name:
            continue
        keyed = [a for a in state.accesses if _event_id(a.key) and facts.reachable(a.function)]
        if any(a.op == "write" for a in keyed):
            return [a for a in keyed if a.op == "check"]
    return []


def _identity_noun(name: str) -> str:
    if name.startswith("headers."):
        header = name.split(".", 1)[1]
        return "Idempotency-Key headers" if header == "idempotency-key" else f"{header} headers"
    if name.endswith(("messageId", "eventID")) or name == "id":
        return "message ids" if name.endswith("messageId") else "event ids"
    if name.endswith("key"):
        return "object keys"
    return f"{name} values"


def _from_event(value: Value | None) -> bool:
    return value is not None and any(s.kind in ("event", "event-id") for s in value.sources)


def _event_id(value: Value | None) -> bool:
    return value is not None and any(s.kind == "event-id" for s in value.sources)


def _call_graph(facts: Facts) -> dict[str | None, tuple[str, ...]]:
    def build() -> dict[str | None, tuple[str, ...]]:
        graph: dict[str | None, tuple[str, ...]] = {None: ()}
        for file in facts.files:
            for fn in file.functions:
                graph[fn.qualname] = graph.get(fn.qualname, ()) + fn.calls
        return graph

    return dict(answer_once(facts, "call_graph", build))


def _reach(graph: dict[str | None, tuple[str, ...]], root: str | None) -> set[str | None]:
    """The functions a function runs: itself, what it calls, its nested functions. Module-level
    code (None) runs before everything."""
    if root is None:
        return set(graph)
    seen: set[str | None] = set()
    stack: list[str] = [root]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        stack.extend(graph.get(name, ()))
        stack.extend(q for q in graph if q is not None and q.startswith(name + ".") and q not in seen)
    return seen


def reads_idempotency_key(facts: Facts) -> bool:
    """True when the handler reads an idempotency key or a delivery id from the request
    (``Idempotency-Key``, ``X-Idempotency-Key``, ``webhook-id``, ``X-GitHub-Delivery``...):
    anywhere it flows, is compared, passed or returned."""
    return any(s.kind == "event-id" and s.name.startswith("headers.") for s in _sources_read(facts))


def _sources_read(facts: Facts) -> Iterator[Source]:
    for call in facts.calls():
        for value in call.args:
            yield from value.sources
        for _, value in call.kwargs:
            yield from value.sources
    for comparison in facts.comparisons():
        yield from comparison.left.sources
        yield from comparison.right.sources
    for flow in facts.flows():
        yield flow.source
    for returned in facts.returns():
        if returned.value is not None:
            yield from returned.value.sources
