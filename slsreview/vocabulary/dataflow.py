"""How values move through calls the analyzers know nothing else about.

A call outside the vocabulary gives a result that depends on what it was given, so the sources of
its arguments (and of the object it is called on) reach the result, but not all in the same way.
Some calls hand back the value itself in another form: ``str(key)``, ``JSON.stringify(event)``,
``token.strip()``, ``f"{a}{b}"``-style formatting, an array filtered or joined. Their result *is*
the source: logging it logs the secret. Every other call only *derives* something from its input:
``fetchCatalog(url, password)`` returns a catalog, ``new Client({ password })`` a client,
``invoke(event)`` the invocation's answer. Their result carries the sources marked with
``Source.via`` (the call's name), so that a rule that asks "is this the secret?" (SLS304, SLS305,
SLS307) can tell them apart, and one that asks "does this depend on the message id?" (SLS101)
still sees them.

Local functions are not in this table: the analysis follows their parameters and returned values
(``slsreview.analysis.facts``). The words:

- ``PRESERVING_FUNCTIONS``: functions whose result is their argument in another form (a
  conversion, an encoding, a copy, a string format);
- ``PRESERVING_METHODS``: methods whose result holds (part of) the object they are called on or
  of their arguments: string methods, array and dict methods that select, copy or join, a promise's
  ``then``. Keyed by the name both languages share, one column per language.

    >>> from slsreview.vocabulary.spelling import spellings
    >>> spellings(PRESERVING_FUNCTIONS, "python")["json.dumps"], spellings(PRESERVING_FUNCTIONS, "javascript")["JSON.stringify"]
    ('serialise', 'serialise')
    >>> "strip" in preserving_methods("python"), "trim" in preserving_methods("javascript")
    (True, True)
"""

from __future__ import annotations

from slsreview.vocabulary.spelling import ABSENT, Absent, Side, Word

PRESERVING_FUNCTIONS: tuple[Word, ...] = (
    Word("serialise", python=("json.dumps", "simplejson.dumps", "orjson.dumps", "ujson.dumps", "pickle.dumps"), javascript=("JSON.stringify", "util.inspect")),
    Word(
        "convert",
        python=("str", "repr", "ascii", "bytes", "bytearray", "int", "float", "format"),
        javascript=("String", "Number", "Buffer.from"),
    ),
    Word(
        "encode",
        python=(
            "base64.b64encode",
            "base64.b64decode",
            "base64.urlsafe_b64encode",
            "base64.urlsafe_b64decode",
            "base64.b32encode",
            "base64.b16encode",
            "binascii.hexlify",
            "binascii.b2a_base64",
            "urllib.parse.quote",
            "urllib.parse.quote_plus",
            "urllib.parse.unquote",
            "urllib.parse.unquote_plus",
            "urllib.parse.urlencode",
            "html.escape",
            "shlex.quote",
        ),
        javascript=("encodeURIComponent", "encodeURI", "decodeURIComponent", "decodeURI", "btoa", "atob", "escape", "unescape"),
    ),
    Word("select", python=("sorted", "reversed", "enumerate", "iter", "next", "zip", "map", "filter", "min", "max", "itertools.chain")),
    Word("format", python=("string.Template", "textwrap.dedent", "textwrap.indent"), javascript=("util.format", "String.raw")),
    Word(
        "copy",
        python=("dict", "list", "tuple", "set", "frozenset", "copy.copy", "copy.deepcopy", "dataclasses.asdict", "vars"),
        javascript=(
            "Object.assign",
            "Object.entries",
            "Object.values",
            "Object.keys",
            "Object.fromEntries",
            "structuredClone",
            "Array.from",
            "Array.of",
            "Promise.resolve",
            # constructors (`new Map([...request.headers])`): a container of what they are given
            "Map",
            "Set",
            "Array",
            "Headers",
            "URLSearchParams",
            "FormData",
            "Uint8Array",
            "Blob",
        ),
    ),
)

# name -> (python, javascript): ABSENT where that language's objects have no such method (or it
# does not hand back its input, as Python's list.sort(), which returns None)
_METHODS: dict[str, tuple[str | Absent, str | Absent]] = {
    # strings
    "strip": ("strip", ABSENT),
    "lstrip": ("lstrip", ABSENT),
    "rstrip": ("rstrip", ABSENT),
    "trim": (ABSENT, "trim"),
    "trimStart": (ABSENT, "trimStart"),
    "trimEnd": (ABSENT, "trimEnd"),
    "lower": ("lower", ABSENT),
    "upper": ("upper", ABSENT),
    "casefold": ("casefold", ABSENT),
    "title": ("title", ABSENT),
    "capitalize": ("capitalize", ABSENT),
    "swapcase": ("swapcase", ABSENT),
    "toLowerCase": (ABSENT, "toLowerCase"),
    "toUpperCase": (ABSENT, "toUpperCase"),
    "toLocaleLowerCase": (ABSENT, "toLocaleLowerCase"),
    "toLocaleUpperCase": (ABSENT, "toLocaleUpperCase"),
    "normalize": (ABSENT, "normalize"),
    "replace": ("replace", "replace"),
    "replaceAll": (ABSENT, "replaceAll"),
    "split": ("split", "split"),
    "rsplit": ("rsplit", ABSENT),
    "splitlines": ("splitlines", ABSENT),
    "partition": ("partition", ABSENT),
    "rpartition": ("rpartition", ABSENT),
    "removeprefix": ("removeprefix", ABSENT),
    "removesuffix": ("removesuffix", ABSENT),
    "zfill": ("zfill", ABSENT),
    "center": ("center", ABSENT),
    "ljust": ("ljust", ABSENT),
    "rjust": ("rjust", ABSENT),
    "expandtabs": ("expandtabs", ABSENT),
    "translate": ("translate", ABSENT),
    "padStart": (ABSENT, "padStart"),
    "padEnd": (ABSENT, "padEnd"),
    "repeat": (ABSENT, "repeat"),
    "substring": (ABSENT, "substring"),
    "substr": (ABSENT, "substr"),
    "charAt": (ABSENT, "charAt"),
    "at": (ABSENT, "at"),
    "encode": ("encode", "encode"),  # str.encode(), new TextEncoder().encode(s)
    "decode": ("decode", "decode"),
    "format": ("format", ABSENT),  # "{}: {}".format(a, b): the receiver and the arguments
    "format_map": ("format_map", ABSENT),
    "toString": (ABSENT, "toString"),
    "toJSON": (ABSENT, "toJSON"),
    "valueOf": (ABSENT, "valueOf"),
    "concat": (ABSENT, "concat"),
    "join": ("join", "join"),  # ", ".join(parts) / parts.join(", ")
    # containers: what they hold, selected, copied or reordered
    "slice": (ABSENT, "slice"),
    "filter": (ABSENT, "filter"),
    "find": (ABSENT, "find"),
    "map": (ABSENT, "map"),  # an array's elements through a callback the walk analyses in place
    "flatMap": (ABSENT, "flatMap"),
    "reduce": (ABSENT, "reduce"),
    "findLast": (ABSENT, "findLast"),
    "flat": (ABSENT, "flat"),
    "reverse": (ABSENT, "reverse"),
    "toReversed": (ABSENT, "toReversed"),
    "sort": (ABSENT, "sort"),
    "toSorted": (ABSENT, "toSorted"),
    "entries": (ABSENT, "entries"),
    "values": ("values", "values"),
    "keys": ("keys", "keys"),
    "items": ("items", ABSENT),
    "get": ("get", ABSENT),  # a dict's value (a Map's get is the JS analyzer's container access)
    "copy": ("copy", ABSENT),
    "pop": ("pop", "pop"),
    "shift": (ABSENT, "shift"),
    # promises: the value they settle with
    "then": (ABSENT, "then"),
    "finally": (ABSENT, "finally"),
}


def preserving_methods(side: Side) -> frozenset[str]:
    """The method names whose result holds their receiver's or arguments' data, in one language."""
    return frozenset(spelled for spelled in (row[0 if side == "python" else 1] for row in _METHODS.values()) if isinstance(spelled, str))


PRESERVING_METHODS = _METHODS
