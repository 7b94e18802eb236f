"""The invocation event: which of its fields identify a delivery, where batches keep their
records, which maps hold headers, and how handlers are recognised by their parameters.

A place in the event becomes a ``Source`` of kind ``event`` named by its dotted path
(``body.email``, ``headers.authorization``), or of kind ``event-id`` when it identifies the
delivery, so that a write keyed by it is idempotent (``messageId``, ``headers.idempotency-key``).
The mapping itself is ``slsreview.analysis.common.event_source``.

    >>> sorted(python_event_ids())[:3]
    ['Sns.MessageId', 'dynamodb.SequenceNumber', 'eventID']
    >>> sorted(javascript_idempotency_headers())[:3]
    ['idempotency-key', 'svix-id', 'webhook-id']
"""

from __future__ import annotations

from dataclasses import dataclass

from slsreview.vocabulary.spelling import ABSENT, Absent


@dataclass(frozen=True, slots=True)
class EventId:
    """A field that identifies one delivery, and the ``event-id`` Source name each analyzer
    gives it (``ABSENT``: that analyzer calls it a plain ``event`` value).

    The Python analyzer names it by its full path inside one record (``Sns.MessageId``); the
    JavaScript analyzer by the last field of the path (``MessageId``, at any depth), except
    ``id`` (only at the top or in one record) and headers (``headers.<name>``)."""

    carrier: str  # which deliveries carry it, for people
    python: str | Absent
    javascript: str | Absent


EVENT_IDS: tuple[EventId, ...] = (
    EventId("SQS message, Workers Queues message", "messageId", "messageId"),
    EventId("SNS notification (Records[].Sns.MessageId)", "Sns.MessageId", "MessageId"),
    EventId("DynamoDB and Kinesis stream records", "eventID", "eventID"),
    EventId("EventBridge event, Workers Queues message", "id", "id"),
    EventId("Kinesis record", "kinesis.sequenceNumber", "sequenceNumber"),
    EventId("DynamoDB stream record", "dynamodb.SequenceNumber", "SequenceNumber"),
    EventId("S3 notification (Records[].s3.object.key)", "s3.key", "s3.key"),
    EventId("HTTP request with an Idempotency-Key header", "headers.idempotency-key", "headers.idempotency-key"),
    EventId("HTTP request with an X-Idempotency-Key header", "headers.x-idempotency-key", "headers.x-idempotency-key"),
    # Webhook providers name each delivery, and resend the same name when they retry it
    EventId("Standard Webhooks delivery (webhook-id header)", "headers.webhook-id", "headers.webhook-id"),
    EventId("Svix webhook delivery (svix-id header)", "headers.svix-id", "headers.svix-id"),
    EventId("GitHub webhook delivery (X-GitHub-Delivery header)", "headers.x-github-delivery", "headers.x-github-delivery"),
    EventId("Shopify webhook delivery (X-Shopify-Webhook-Id header)", "headers.x-shopify-webhook-id", "headers.x-shopify-webhook-id"),
    # Disagreement: only the JavaScript analyzer knows these two
    EventId("camel-cased eventId (Powertools data classes, custom events)", ABSENT, "eventId"),
    # An SQS receipt handle changes on every receive of the same message: it does not survive a
    # redelivery, so it is no idempotency key. The JavaScript analyzer counts it today.
    EventId("SQS message receipt handle", ABSENT, "receiptHandle"),
)

# The batch lists whose elements are one delivery each: a record's fields are named as if the
# record were the event (the Python analyzer; the JavaScript analyzer names them records.<field>)
RECORD_LISTS = frozenset({"Records", "records", "messages"})
# Maps whose keys are HTTP header names: named in lower case (headers.x-api-key)
HEADER_MAPS = frozenset({"headers", "multiValueHeaders"})
# An S3 notification's object key has a short name of its own
S3_OBJECT_KEY = ("s3", "object", "key")
S3_KEY_NAME = "s3.key"

# Powertools for AWS Lambda (Python) event data classes: attributes whose raw-event field is not
# the camel-cased attribute name ("" means the attribute is the whole event)
POWERTOOLS_EVENT_ATTRIBUTES = {"json_body": "body", "decoded_body": "body", "event_id": "eventID", "raw_event": ""}

# Request methods that read the body (Workers' Request, Python Workers' Request, Hono's c.req).
# Disagreement: bytes() is Python Workers' only; blob() and Hono's parseBody() are JavaScript's.
PYTHON_BODY_READERS = frozenset({"json", "text", "formData", "arrayBuffer", "bytes"})
JAVASCRIPT_BODY_READERS = frozenset({"json", "text", "formData", "arrayBuffer", "blob", "parseBody"})

# How a handler is recognised by its parameters, when nothing else says it is one.
# Python: (event, context)-shaped -- the first parameter's name contains "event", or the second
# contains "context" or is one of these.
PYTHON_CONTEXT_PARAMS = frozenset({"ctx", "_ctx", "_", "c"})
# JavaScript: exact names of an exported function's first and second parameters
JAVASCRIPT_EVENT_PARAMS = frozenset({"event", "evt", "ev", "input", "payload", "request", "req"})
JAVASCRIPT_CONTEXT_PARAMS = frozenset({"context", "ctx", "_context", "_ctx", "lambdaContext"})


def python_event_ids() -> frozenset[str]:
    """The ``event-id`` names of the Python analyzer (full paths inside one record)."""
    return frozenset(e.python for e in EVENT_IDS if isinstance(e.python, str))


def javascript_event_id_fields() -> frozenset[str]:
    """The last fields the JavaScript analyzer takes for identifiers at any depth."""
    return frozenset(
        e.javascript
        for e in EVENT_IDS
        if isinstance(e.javascript, str) and "." not in e.javascript and e.javascript != "id"
    )


def javascript_idempotency_headers() -> frozenset[str]:
    """Header names (lower case) the JavaScript analyzer takes for idempotency keys."""
    return frozenset(
        e.javascript[len("headers.") :]
        for e in EVENT_IDS
        if isinstance(e.javascript, str) and e.javascript.startswith("headers.")
    )
