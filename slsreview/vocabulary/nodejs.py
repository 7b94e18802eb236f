"""Node.js built-in modules, and how a Worker's compatibility settings make them importable.

``BUILTIN_MODULES`` is Node's own list, ``require("module").builtinModules`` of Node v20.20.2
(regenerate: ``node -p 'JSON.stringify(require("module").builtinModules)'``;
``tests/test_vocabulary.py`` compares it with the ``node`` on PATH when there is one). A bare
specifier (``"crypto"``, ``"fs/promises"``) names a built-in when its first path segment is one
of these; ``node:...`` always does.

``node_compat`` resolves a Worker's compatibility date and flags the way workerd and Wrangler do
(``resolveNodejsCompat`` / ``getNodeCompat`` in cloudflare/workers-sdk):

- from ``NODEJS_COMPAT_DEFAULT_ON_DATE`` (2026-08-04) both ``nodejs_compat`` and
  ``nodejs_compat_v2`` are on by default, turned off only by ``no_nodejs_compat`` /
  ``no_nodejs_compat_v2``;
- before it, ``nodejs_compat`` implies ``nodejs_compat_v2`` from ``NODEJS_COMPAT_V2_DATE``
  (2024-09-23); ``nodejs_compat_v2`` may also be set on its own;
- ``v2``: built-ins import with or without ``node:``; ``v1`` (``nodejs_compat`` before 2024-09-23):
  only ``node:``-prefixed imports; ``als`` (``nodejs_als`` alone): only ``node:async_hooks``;
  ``None``: no Node.js compatibility, every built-in import fails.

    >>> node_compat("2025-06-01", ["nodejs_compat"])
    'v2'
    >>> node_compat("2024-01-15", ["nodejs_compat"]), node_compat("2024-01-15", ["nodejs_als"])
    ('v1', 'als')
    >>> node_compat("2026-09-01", []), node_compat("2025-06-01", [])
    ('v2', None)
"""

from __future__ import annotations

from typing import Literal

BUILTIN_MODULES = frozenset(
    {
        "_http_agent", "_http_client", "_http_common", "_http_incoming", "_http_outgoing", "_http_server",
        "_stream_duplex", "_stream_passthrough", "_stream_readable", "_stream_transform", "_stream_wrap",
        "_stream_writable", "_tls_common", "_tls_wrap", "assert", "assert/strict", "async_hooks", "buffer",
        "child_process", "cluster", "console", "constants", "crypto", "dgram", "diagnostics_channel", "dns",
        "dns/promises", "domain", "events", "fs", "fs/promises", "http", "http2", "https", "inspector",
        "inspector/promises", "module", "net", "os", "path", "path/posix", "path/win32", "perf_hooks",
        "process", "punycode", "querystring", "readline", "readline/promises", "repl", "stream",
        "stream/consumers", "stream/promises", "stream/web", "string_decoder", "sys", "timers",
        "timers/promises", "tls", "trace_events", "tty", "url", "util", "util/types", "v8", "vm", "wasi",
        "worker_threads", "zlib",
    }
)  # fmt: skip
NODE_SOURCE = "require('module').builtinModules of Node v20.20.2"

NODEJS_COMPAT_DEFAULT_ON_DATE = "2026-08-04"
NODEJS_COMPAT_V2_DATE = "2024-09-23"

Mode = Literal["v2", "v1", "als"] | None


def builtin(specifier: str) -> str | None:
    """The built-in module a specifier names (``"node:fs/promises"`` -> ``"fs/promises"``), or None."""
    if specifier.startswith("node:"):
        return specifier[5:]
    if specifier in BUILTIN_MODULES or specifier.split("/", 1)[0] in BUILTIN_MODULES:
        return specifier
    return None


def node_compat(date: str | None, flags: list[str]) -> Mode:
    """What a compatibility date and flags enable (see the module docstring)."""
    date = date or "2000-01-01"
    default_on = date >= NODEJS_COMPAT_DEFAULT_ON_DATE
    compat = "nodejs_compat" in flags or (default_on and "no_nodejs_compat" not in flags)
    v2 = "nodejs_compat_v2" in flags or (
        "no_nodejs_compat_v2" not in flags and (default_on or (compat and date >= NODEJS_COMPAT_V2_DATE))
    )
    if v2:
        return "v2"
    if compat:
        return "v1"
    if "nodejs_als" in flags:
        return "als"
    return None


def importable(specifier: str, mode: Mode) -> bool:
    """Whether a built-in import resolves in a Worker with this Node.js compatibility mode."""
    if mode == "v2":
        return True
    if mode == "v1":
        return specifier.startswith("node:")
    if mode == "als":
        return specifier == "node:async_hooks"
    return False
