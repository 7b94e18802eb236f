"""Input parsing: the calls that turn a request body (text) into data. Each is the ``Call``
named ``json.parse`` and a ``Parse`` fact (whether it is guarded against malformed input).

    >>> from slsreview.vocabulary.spelling import spellings
    >>> sorted(spellings(JSON_PARSERS, "python"))[:2]
    ['json.loads', 'orjson.loads']
"""

from __future__ import annotations

from slsreview.vocabulary.spelling import Word

JSON_PARSE = "json.parse"

JSON_PARSERS: tuple[Word, ...] = (
    Word(
        "json.parse",
        python=("json.loads", "simplejson.loads", "orjson.loads", "ujson.loads"),
        javascript=("JSON.parse",),
    ),
)
# A request's json() (Workers, Python Workers, Hono) parses too: see events.*_BODY_READERS
BODY_JSON_READER = "json"
