"""Logic both analyzers share: how a place in the invocation event is named as a ``Source``,
and how much of a value's source text a ``Value`` keeps.

    >>> def named(*path): return (s := event_source(path, Location("a.py"))).kind, s.name
    >>> named("headers", "X-Api-Key")
    ('event', 'headers.x-api-key')
    >>> named("Records", "[]", "messageId"), named("Records", "[]", "s3", "object", "key")
    (('event-id', 'messageId'), ('event-id', 's3.key'))

The Python analyzer uses everything here; the JavaScript analyzer ``TEXT_LIMIT`` and
``required_methods``. For its own ``event_source`` (``slsreview/analysis/javascript/values.py``),
these are the differences to settle before it switches, all recorded in
``slsreview/vocabulary/events.py`` and pinned by ``tests/analysis/test_vocabulary_words.py``:

- a path here is raw: subscripts and attributes as written, ``"[]"`` for an element of a list and
  ``"*"`` for a key the analysis cannot read; the JavaScript analyzer builds normalised paths as
  it goes (``records`` for ``Records``, header names lower-cased on the way);
- one record of a batch (``Records[]``, ``records[]``, ``messages[]``) is named as if it were the
  event (``body``, ``messageId``); JavaScript names it ``records.body``;
- identifiers are recognised by their full path inside one record (``Sns.MessageId``,
  ``kinesis.sequenceNumber``: ``events.python_event_ids()``); JavaScript takes the last field at
  any depth (``MessageId``), and also ``x-idempotency-key``, ``eventId`` and ``receiptHandle``.

Source unions are not shared: the Python analyzer keeps a value's sources in a ``frozenset``, the
JavaScript analyzer in a tuple deduplicated by identity; both sort them the same way (by kind,
name and position) when they become facts.
"""

from __future__ import annotations

from collections.abc import Iterable

from slsreview.analysis.facts import Comparison, Source
from slsreview.location import Location
from slsreview.vocabulary import events

TEXT_LIMIT = 120  # Value.text: the source snippet, cut at this many characters

_EVENT_IDS = events.python_event_ids()
_RECORD_LISTS = events.RECORD_LISTS
_HEADER_MAPS = events.HEADER_MAPS
_S3_OBJECT_KEY = ".".join(events.S3_OBJECT_KEY)


def event_source(path: tuple[str, ...], loc: Location) -> Source:
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


def deeper_place(source: Source, segment: str, loc: Location | None = None) -> Source:
    """A field of an event place known only by its source, named as ``event_source`` names
    places (at ``loc``, else where the source is): what a value that holds several places gives
    for ``[segment]`` (``body = json.loads(event["body"]) if ... else event``, then
    ``body["amount"]``: ``body.amount`` and ``amount``), and what a helper's parameter gives for
    a field of the event its caller passed (``slsreview.analysis.links``).

        >>> deeper_place(Source("event", "body", Location("a.py")), "amount").name
        'body.amount'
        >>> deeper_place(Source("event", "event", Location("a.py")), "amount").name
        'amount'
    """
    if source.name == "event":
        path: tuple[str, ...] = ()
    elif source.name == "records":
        path = ("Records", "[]")
    else:
        path = tuple(source.name.split("."))
    return event_source((*path, segment), loc if loc is not None else source.loc)


def derived(sources: Iterable[Source], via: str) -> frozenset[Source]:
    """The sources of a value a call outside the vocabulary made from these (``Source.via``):
    each marked with the call's name, unless it already went through another."""
    return frozenset(s if s.via else Source(s.kind, s.name, s.loc, via) for s in sources)


def required_methods(comparisons: Iterable[Comparison]) -> frozenset[str]:
    """The HTTP methods an if test requires: the literals it compares the request method with
    by equality (``request.method === "POST"``, ``event["httpMethod"] == "POST"``)."""
    found: set[str] = set()
    for comparison in comparisons:
        if comparison.op not in ("==", "==="):
            continue
        for side, other in ((comparison.left, comparison.right), (comparison.right, comparison.left)):
            if isinstance(other.literal, str) and other.literal.isalpha() and any(
                s.kind == "event" and s.name.lower().endswith("method") for s in side.sources
            ):
                found.add(other.literal.upper())
    return frozenset(found)
