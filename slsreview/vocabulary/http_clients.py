"""Outbound HTTP: which calls make a request, with which client and verb, and the timeouts the
libraries apply when the code sets none.

A request is the ``Call`` named ``http.request`` with ``attrs["method"]`` (``GET``...),
``attrs["client"]`` (a ``client`` below), ``attrs["has_timeout"]`` and ``attrs["timeout_seconds"]``.

    >>> HTTP_VERBS["post"], DEFAULT_TIMEOUT_SECONDS["httpx"]
    ('POST', 5)
    >>> JAVASCRIPT_HTTP_FUNCTIONS["axios.post"]
    ('axios', 'post')
"""

from __future__ import annotations

from slsreview.vocabulary.spelling import Word

# The methods named after the verb they send: requests.post, httpx.get, axios.put, got.delete,
# session.patch...; both languages
HTTP_VERBS = {
    "get": "GET",
    "post": "POST",
    "put": "PUT",
    "patch": "PATCH",
    "delete": "DELETE",
    "head": "HEAD",
    "options": "OPTIONS",
}
# Functions and methods that take the verb as their first argument. Python: requests.request(
# "POST", url), httpx's stream, and on a session/pool urllib3's urlopen(method, url) too;
# JavaScript: axios.request({method}).
PYTHON_VERB_ARGUMENT_METHODS = ("request", "stream")
PYTHON_POOL_URLOPEN = "urlopen"
JAVASCRIPT_VERB_ARGUMENT_METHODS = ("request",)

# Library defaults that apply when neither the call nor its client sets a timeout: httpx times
# out after 5 s, aiohttp after 300 s in total. requests, urllib and urllib3 wait forever, and so
# do fetch, axios, got, undici and node's https as the JavaScript analyzer reads them.
DEFAULT_TIMEOUT_SECONDS = {"httpx": 5, "aiohttp": 300}

# -- Python ------------------------------------------------------------------------------------
# Modules whose verb functions (and request/stream) send a request -> client
PYTHON_HTTP_MODULES = {
    "requests": "requests",
    "botocore.vendored.requests": "requests",
    "httpx": "httpx",
    "aiohttp": "aiohttp",
}
# Constructors of a session/client whose verb methods send requests -> client
PYTHON_HTTP_SESSIONS = {
    "requests.Session": "requests",
    "requests.session": "requests",
    "botocore.vendored.requests.Session": "requests",
    "httpx.Client": "httpx",
    "httpx.AsyncClient": "httpx",
    "aiohttp.ClientSession": "aiohttp",
    "urllib3.PoolManager": "urllib3",
    "urllib3.ProxyManager": "urllib3",
    "urllib3.HTTPConnectionPool": "urllib3",
    "urllib3.HTTPSConnectionPool": "urllib3",
    # the standard library's connection: conn.request("GET", path) sends, and waits forever
    # unless the connection was given a timeout
    "http.client.HTTPConnection": "http.client",
    "http.client.HTTPSConnection": "http.client",
}
# Functions that send a request themselves -> (client, the method it stands for)
PYTHON_HTTP_FUNCTIONS = {
    "urllib.request.urlopen": ("urllib", "urlopen"),
    "urllib3.request": ("urllib3", "request"),
    "workers.fetch": ("fetch", "fetch"),  # Python Workers: the JavaScript fetch
    "js.fetch": ("fetch", "fetch"),
}
# urllib's Request object: urlopen(Request(url, data, method=...)) sends what it says
PYTHON_URL_REQUEST = "urllib.request.Request"
# Timeout objects whose seconds the request then has: httpx.Timeout(10, connect=5)...
PYTHON_TIMEOUT_TYPES = frozenset({"httpx.Timeout", "aiohttp.ClientTimeout", "urllib3.Timeout", "urllib3.util.Timeout"})

# -- JavaScript --------------------------------------------------------------------------------
# Functions that send a request -> (client, the verb the function's name fixes, or None)
JAVASCRIPT_HTTP_FUNCTIONS: dict[str, tuple[str, str | None]] = {
    "fetch": ("fetch", None),
    "node-fetch": ("fetch", None),
    "cross-fetch": ("fetch", None),
    "isomorphic-fetch": ("fetch", None),
    "undici.fetch": ("undici", None),
    "undici.request": ("undici", None),
    "axios": ("axios", None),
    "axios.request": ("axios", "request"),
    "got": ("got", None),
    "https.request": ("https", None),
    "https.get": ("https", "get"),
    "http.request": ("https", None),
    "http.get": ("https", "get"),
    **{f"axios.{verb}": ("axios", verb) for verb in HTTP_VERBS},
    **{f"got.{verb}": ("got", verb) for verb in HTTP_VERBS},
}
# Functions that make a client instance sharing its options (a timeout among them)
JAVASCRIPT_HTTP_INSTANCES = frozenset({"axios.create", "got.extend"})

# -- both --------------------------------------------------------------------------------------
# An AbortSignal that aborts after a number of milliseconds (fetch's timeout); Python Workers
# reach it through the `js` (or `workers`) module.
TIMEOUT_SIGNAL = Word(
    "AbortSignal.timeout",
    python=("js.AbortSignal.timeout", "workers.AbortSignal.timeout"),
    javascript=("AbortSignal.timeout",),
)
# A signal that aborts when any of its signals does: JavaScript only
ANY_SIGNAL = Word("AbortSignal.any", javascript=("AbortSignal.any",))
