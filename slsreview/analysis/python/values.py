"""The abstract values the walk evaluates expressions into, and the kinds of object they know.

A ``Val`` is what an expression holds as far as the facts care: the ``Source``s reaching it, the
import path it names (``qual``), the kind of object it is (``obj``: an AWS client, a logger, a
Workers binding, a local function or class...), where it sits in the event (``path``), a literal it
certainly holds (``const``) and a dict literal's items. ``Scope`` maps names to values; a name
assigned twice holds both values' sources (``merge``). The type aliases the mixins share live
here too.

    >>> from slsreview.location import Location
    >>> a = Val(frozenset({Source("env", "KEY", Location("a.py"))}))
    >>> sorted(s.name for s in union_sources([a, NOTHING]))
    ['KEY']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import libcst as cst

from slsreview.analysis.facts import Source

NO_SOURCES: frozenset[Source] = frozenset()
UNSET: Any = object()  # "no literal/constant value"


class Val:
    """What an expression (or a name) holds, as far as the facts care.

    ``sources``: every tracked Source reaching it. ``qual``: the dotted import path it resolves
    to, calls elided (``boto3.client`` for ``boto3.client("s3")``), which is also what callees
    are named by. ``ref``: ``qual`` is a plain reference to an imported name (so calling it calls
    that name). ``obj``: a known kind of object (an AWS client, a logger, a Workers binding...).
    ``path``/``path_src``: where inside the invocation event the value sits, and the Source that
    place produced (replaced, not accumulated, when a subscript narrows the path). ``const``: a
    literal it certainly holds (``TIMEOUT = 5``). ``items``: the elements of a dict literal by key.
    """

    __slots__ = ("const", "items", "obj", "path", "path_src", "qual", "ref", "sources")

    def __init__(
        self,
        sources: frozenset[Source] = NO_SOURCES,
        qual: str | None = None,
        *,
        ref: bool = False,
        obj: object = None,
        path: tuple[str, ...] | None = None,
        path_src: Source | None = None,
        const: Any = UNSET,
        items: dict[str, tuple[cst.BaseExpression, Val]] | None = None,
    ) -> None:
        self.sources = sources
        self.qual = qual
        self.ref = ref
        self.obj = obj
        self.path = path
        self.path_src = path_src
        self.const = const
        self.items = items

    def carried(self) -> Val:
        """The data of this value without its identity (what ``str(x)``, ``x + y`` carry)."""
        return Val(self.sources) if self.sources else NOTHING


NOTHING = Val()


def merge(old: Val | None, new: Val) -> Val:
    """A name assigned again holds both values' sources; the newest wins for everything else."""
    if old is None or old is new or not old.sources or old.sources <= new.sources:
        if old is not None and old.const is not UNSET and old.const != new.const:
            return copy_val(new, const=UNSET)
        return new
    const = new.const if old.const == new.const else UNSET
    return copy_val(new, sources=old.sources | new.sources, const=const)


def copy_val(val: Val, **changes: Any) -> Val:
    fields = {name: getattr(val, name) for name in Val.__slots__}
    fields.update(changes)
    sources = fields.pop("sources")
    qual = fields.pop("qual")
    return Val(sources, qual, **fields)


def union_sources(vals: Iterable[Val]) -> frozenset[Source]:
    out = NO_SOURCES
    for val in vals:
        if val.sources:
            out = out | val.sources if out else val.sources
    return out


# Kinds of objects a value can be. Small and immutable, compared by type.


@dataclass(frozen=True, slots=True)
class Aws:
    # client, session, meta, batch (writer), paginator, collection; for resources: "resource" (the
    # service resource) or a type of boto3's resource model ("Table", "Bucket", "Object"...)
    role: str
    service: str  # boto3's client name; "*" when a variable names it
    op: str | None = None  # the operation a paginator or collection lists with
    item: str | None = None  # the resource type of a collection's items
    # made with explicit credentials (aws_access_key_id=..., or from such a Session): its calls
    # are not the function's role's
    credentials: bool = False


@dataclass(frozen=True, slots=True)
class Http:
    client: str  # requests, httpx, aiohttp, urllib3
    has_timeout: bool
    seconds: Any


@dataclass(frozen=True, slots=True)
class Timeout:  # httpx.Timeout(...), aiohttp.ClientTimeout(...), AbortSignal.timeout(ms)
    seconds: Any


@dataclass(frozen=True, slots=True)
class UrlRequest:  # urllib.request.Request(url, data, method=...)
    method: str | None


@dataclass(frozen=True, slots=True)
class Logger:
    kind: str  # logging, powertools


@dataclass(frozen=True, slots=True)
class Sql:  # a PostgreSQL/MySQL connection, pool or cursor (slsreview.vocabulary.sql)
    driver: str


@dataclass(frozen=True, slots=True)
class Stripe:  # a StripeClient, or one of its resource services
    resource: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class WorkerEnv:  # Python Workers' ``env`` / ``self.env``
    pass


@dataclass(frozen=True, slots=True)
class Binding:  # env.NAME
    name: str


@dataclass(frozen=True, slots=True)
class D1:  # env.DB.prepare(sql)[.bind(...)]
    binding: str
    sql: str | None
    args: tuple[tuple[cst.BaseExpression, Val], ...]


@dataclass(frozen=True, slots=True)
class DoId:  # env.NS.idFromName(...)
    binding: str


@dataclass(frozen=True, slots=True)
class Response:  # a Python Workers Response
    pass


@dataclass(frozen=True, slots=True)
class Resolver:  # a Powertools event handler resolver: app.current_event is the event
    pass


@dataclass(frozen=True, slots=True)
class Fn:  # a function defined in this file
    qualname: str


@dataclass(frozen=True, slots=True)
class EventRoot:  # a handler parameter holding the event (or one record of it)
    path: tuple[str, ...]


@dataclass(eq=False)
class ClassInfo:
    qualname: str
    worker: bool  # WorkerEntrypoint / DurableObject / WorkflowEntrypoint subclass
    methods: list[str] = field(default_factory=list)
    scope: Scope | None = None  # class body names, and self.X assigned in methods


@dataclass(frozen=True, slots=True, eq=False)
class Class:
    info: ClassInfo


@dataclass(frozen=True, slots=True, eq=False)
class Instance:  # self, or an instance of a class defined here
    info: ClassInfo


class Scope:
    __slots__ = ("names", "parent")

    def __init__(self, parent: Scope | None) -> None:
        self.names: dict[str, Val] = {}
        self.parent = parent


Outcome = tuple[str, list[tuple[str, Any]], Val]  # (Call.name, Call.attrs, the call's result)
StateKind = Literal["dict", "set", "list"]
OnError = Literal["reraise", "return-error", "record-failure", "swallow", "log-only"]
Via = Literal["os.environ", "worker-env"]
