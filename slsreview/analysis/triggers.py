"""What delivers work to a function more than once: its at-least-once triggers.

Every asynchronous or polled source retries: SQS and the other pollers redeliver a message whose
batch failed or timed out, SNS/EventBridge/S3 and every asynchronous invoke retry a failed
invocation, Workers Queues redeliver an unacknowledged message, and HTTP clients and webhook
providers resend a request whose answer they did not see. Rules that ask "what happens when
this runs twice for one event" start here::

    for trigger in at_least_once(fn, project, facts):
        trigger.noun      # "SQS message (Payments)", "POST /orders request"
        trigger.retry     # "a redelivered message", "a retried request"

HTTP triggers count only for methods that create or change something (POST, PUT, PATCH, and
ANY); a function URL or an ``ANY`` route counts unless the handler code compares the request
method only with read methods. A Worker's ``fetch`` counts the same way, its methods read from the
code: comparisons on ``request.method`` and router registrations such as ``app.post("/x", ...)``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slsreview.analysis.common import required_methods
from slsreview.analysis.memo import answer_once
from slsreview.model.resources import async_permissions

if TYPE_CHECKING:
    from slsreview.analysis.facts import Call, Facts, Route
    from slsreview.location import Location
    from slsreview.model.project import Event, Function, Project, Worker

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})

# event type -> (noun, what a retry is). Every one of these delivers at least once.
_EVENT_NOUNS: dict[str, tuple[str, str]] = {
    "SQS": ("SQS message", "a redelivered message"),
    "SNS": ("SNS notification", "a redelivered notification"),
    "EventBridgeRule": ("EventBridge event", "a redelivered event"),
    "CloudWatchEvent": ("EventBridge event", "a redelivered event"),
    "Schedule": ("scheduled run", "a retried run"),
    "ScheduleV2": ("scheduled run", "a retried run"),
    "S3": ("S3 notification", "a redelivered notification"),
    "Kinesis": ("Kinesis record", "a retried batch"),
    "DynamoDB": ("DynamoDB stream record", "a retried batch"),
    "MSK": ("Kafka record", "a retried batch"),
    "SelfManagedKafka": ("Kafka record", "a retried batch"),
    "MQ": ("MQ message", "a redelivered message"),
    "DocumentDB": ("DocumentDB change event", "a retried batch"),
    "IoTRule": ("IoT rule invoke", "a retried invoke"),
    "CloudWatchLogs": ("CloudWatch Logs batch", "a retried invoke"),
    "EventSourceMapping": ("polled record", "a retried batch"),
}

@dataclass(frozen=True, slots=True)
class Trigger:
    """One way work reaches the function again: an event, a route, a queue consumer."""

    noun: str  # "SQS message (Payments)": what one delivery is, named as the configuration names it
    retry: str  # "a redelivered message": what the second delivery is called
    at: Any  # the Event, Binding, Located value or Resource that declares it
    http: bool = False
    methods: frozenset[str] = frozenset()  # HTTP: the write methods it takes (POST, PUT, PATCH) or ANY
    handler: str | None = None  # the function it runs, when not the unit's only one (a Worker's queue)

    @property
    def takes_post(self) -> bool:
        return bool(self.methods & {"POST", "ANY"})


def at_least_once(fn: Function, project: Project, facts: Facts | None) -> list[Trigger]:
    """The function's triggers that may deliver the same work twice, in template order."""
    out: list[Trigger] = []
    code_methods = methods_in_code(facts)
    for event in fn.events:
        trigger = _event_trigger(event, code_methods)
        if trigger is not None:
            out.append(trigger)
    url = fn.function_url
    if url is not None and _accepts_writes(None, code_methods):
        out.append(Trigger("function URL request", "a retried request", url, True, _write_methods(code_methods)))
    for permission, service in async_permissions(fn, project.in_template(fn.template)):
        out.append(Trigger(f"asynchronous {service} invoke ({permission.logical_id})", "a retried invoke", permission))
    if not out:
        config = project.event_invoke_config_of(fn)
        if config is not None:
            out.append(Trigger("asynchronous invoke", "a retried invoke", config))
    return out


def worker_at_least_once(worker: Worker, facts: Facts | None) -> list[Trigger]:
    """A Worker's queue consumers (with a ``queue`` handler) and its ``fetch`` when it takes writes."""
    out: list[Trigger] = []
    entry = facts.entry() if facts is not None else None
    handlers = set(entry.methods) if entry is not None else set()
    defined = {f.qualname for f in facts.functions()} if facts is not None else set()

    def handler(method: str) -> str | None:
        # `export default { queue() {...} }` defines default.queue; `export default app` (Hono)
        # dispatches through the app, whose routes its qualname reaches
        assert entry is not None
        name = f"{entry.qualname}.{method}"
        return name if name in defined else entry.qualname

    if entry is not None and "queue" in handlers:
        for consumer in worker.queue_consumers:
            if not consumer.pull:
                noun = f"Queues message ({consumer.queue})"
                out.append(Trigger(noun, "a redelivered message", consumer.binding, handler=handler("queue")))
    if entry is not None and "fetch" in handlers:
        code_methods = methods_in_code(facts)
        if _accepts_writes(None, code_methods):
            verbs = sorted(code_methods & WRITE_METHODS) if code_methods else []
            noun = f"{'/'.join(verbs)} request" if verbs else "request"
            methods = _write_methods(code_methods)
            out.append(Trigger(noun, "a retried request", entry, True, methods, handler("fetch")))
    return out


def methods_in_code(facts: Facts | None) -> set[str]:
    """HTTP methods the handler code tells apart: literals compared with the request method
    (``request.method === "POST"``, ``event["httpMethod"] == "POST"``, ``routeKey == "POST /x"``)
    and router registrations (``app.post("/orders", ...)``, ``@app.post("/orders")``). Empty when
    the code says nothing."""
    if facts is None:
        return set()
    return set(answer_once(facts, "methods_in_code", lambda: _methods_in_code(facts)))


def _methods_in_code(facts: Facts) -> set[str]:
    found: set[str] = set()
    for comparison in facts.comparisons():
        for side, other in ((comparison.left, comparison.right), (comparison.right, comparison.left)):
            if not isinstance(other.literal, str):
                continue
            names = {s.name.lower() for s in side.sources if s.kind == "event"}
            if any(n == "method" or n.endswith("method") for n in names):
                found.add(other.literal.upper())
            elif any(n.endswith("routekey") for n in names):
                found.add(other.literal.split(" ", 1)[0].upper())
    found.update(route.method for route in facts.routes())
    return {m for m in found if m.isalpha()}


def routes_running(call: Call, facts: Facts) -> list[Route]:
    """The routes whose handler runs this call: an inline handler holding it, or a named handler
    reaching its function."""
    from slsreview.analysis.side_effects import reaches

    return [
        r
        for r in facts.routes()
        if (r.handler is None and call.function is None and r.contains(call.loc))
        or (r.handler is not None and reaches(facts, r.handler, call.function))
    ]


def route_methods(call: Call, facts: Facts, depth: int = 2) -> set[str] | None:
    """The HTTP methods a call runs for, as far as the code tells: an enclosing
    ``if (request.method === "GET")``, the routes whose handler runs it, or, for a helper, the
    methods every call of it runs for (``if method == "GET": return update_token()``). None when
    nothing says: then it runs for whatever the function is invoked with."""
    if call.methods:
        return set(call.methods)
    tested = predicate_methods(call, facts)
    if tested:
        return tested
    found = {r.method for r in routes_running(call, facts)}
    if found:
        return found
    if depth == 0 or call.function is None:
        return None
    name = call.function
    sites = [c for c in facts.calls() if c.callee == name or c.callee.endswith("." + name)]
    if not sites:
        return None
    served: set[str] = set()
    for site in sites:
        methods = route_methods(site, facts, depth - 1)
        if methods is None:
            return None
        served |= methods
    return served


def predicate_methods(call: Call, facts: Facts) -> set[str]:
    """The HTTP methods the local predicates an enclosing if tests require: a call inside
    ``if (isPreviewUpdate(request, url)) {...}`` runs only for GET when ``isPreviewUpdate``
    returns ``request.method === "GET" && ...``. Only the comparisons in what the predicate
    returns count, and only a callee that names exactly one function of the facts."""
    found: set[str] | None = None
    for callee in call.tests:
        methods: frozenset[str] = answer_once(facts, f"predicate_methods:{callee}", functools.partial(_predicate, callee, facts))
        if methods:
            found = set(methods) if found is None else found & methods
    return found or set()


def _predicate(callee: str, facts: Facts) -> frozenset[str]:
    """The methods the one local function ``callee`` names requires in what it returns."""
    name = callee.rsplit(".", 1)[-1]
    functions = [f.qualname for f in facts.functions() if f.qualname.rsplit(".", 1)[-1] == name]
    if len(functions) != 1:
        return frozenset()
    returned = [r.loc for r in facts.returns() if r.function == functions[0]]
    return required_methods(c for c in facts.comparisons() if c.function == functions[0] and any(_inside(c.loc, r) for r in returned))


def _inside(inner: Location, outer: Location) -> bool:
    return (outer.line, outer.column) <= (inner.line, inner.column) and (inner.end_line, inner.end_column) <= (
        outer.end_line,
        outer.end_column,
    )


def _event_trigger(event: Event, code_methods: set[str]) -> Trigger | None:
    if event.type in ("Api", "HttpApi"):
        method = event.properties.get("Method")
        path = event.properties.get("Path")
        if not _accepts_writes(method, code_methods):
            return None
        verb = method.upper() if isinstance(method, str) and method.upper() in WRITE_METHODS else "ANY"
        where = path if isinstance(path, str) else ""
        if verb == "ANY":
            noun = f"request to {where}" if where else "request"
            methods = _write_methods(code_methods)
        else:
            noun = f"{verb} {where} request" if where else f"{verb} request"
            methods = frozenset({verb})
        return Trigger(f"{noun} ({event.name})", "a retried request", event, True, methods)
    nouns = _EVENT_NOUNS.get(event.type)
    if nouns is None:
        return None
    return Trigger(f"{nouns[0]} ({event.name})", nouns[1], event)


def _write_methods(code_methods: set[str]) -> frozenset[str]:
    """The write methods a route that takes any method serves, as far as the code tells."""
    named = code_methods & (WRITE_METHODS | {"ANY"})
    return frozenset(named) if named else frozenset({"ANY"})


def _accepts_writes(method: Any, code_methods: set[str]) -> bool:
    """A route takes writes when its method is POST/PUT/PATCH, or when it takes any method
    (ANY, a function URL, an HttpApi catch-all) and the code does not limit it to reads."""
    if isinstance(method, str) and method.lower() not in ("any", "x-amazon-apigateway-any-method"):
        return method.upper() in WRITE_METHODS
    if not code_methods:
        return True
    return bool(code_methods & (WRITE_METHODS | {"ANY"})) or not code_methods <= READ_METHODS


def describe(triggers: Iterable[Trigger], routes: Iterable[Route] = ()) -> tuple[str, str]:
    """("SQS message (Payments) and POST /orders request (Create)", "a redelivery or retry").
    When every trigger is HTTP and the call runs in routes, the routes name the requests."""
    items = list(triggers)
    nouns = [t.noun for t in items]
    named = [f"{r.method} {r.path} request" if r.path else f"{r.method} request" for r in routes if r.method in WRITE_METHODS | {"ANY"}]
    if named and all(t.http for t in items):
        nouns = list(dict.fromkeys(named))
    text = nouns[0] if len(nouns) == 1 else ", ".join(nouns[:-1]) + " and " + nouns[-1]
    retries = {t.retry for t in items}
    retry = items[0].retry if len(retries) == 1 else "a redelivery or retry"
    return text, retry

