"""Dataclass methods compiled once per user, not once per run.

Python compiles a ``.py`` file once and keeps its bytecode in ``__pycache__``, but a
``@dataclass`` writes the source of its ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``
and, when frozen, ``__setattr__``/``__delattr__`` at import time and compiles each with
``exec``, in every run. libcst defines some 250 node classes this way, slsreview's facts and
model some 70: compiling those methods was half of importing libcst (127 ms of a review whose
handler is Python) and a third of importing the engine.

``install()`` gives the ``dataclasses`` module an ``exec`` of its own (a module global, so only
``dataclasses`` sees it) that looks the source text up in a table of code objects compiled for
it before, and compiles only what is new. A code object compiled from the same text with the
same flags is the same function, so nothing but the time changes. The tables are kept one per
top-level package (a review of JavaScript never loads libcst's) in the user's cache folder,
sealed with the user's key like every cache entry (``slsreview.cache``: code is only ever loaded
from what this user wrote), under the interpreter's version and bytecode magic number.
``save()`` writes the tables that grew, unless ``sys.dont_write_bytecode`` says not to write
compiled code, as Python's own bytecode cache would not.
"""

from __future__ import annotations

import builtins
import marshal
import os
import sys
from importlib._bootstrap_external import MAGIC_NUMBER  # frozen: already loaded
from types import CodeType
from typing import Any

_MAX_ENTRIES = 4096  # a table that outgrew this (upgrades leave old texts) is rebuilt from this run's
_tables: dict[str, dict[str, CodeType]] = {}
_used: dict[str, set[str]] = {}
_grown: set[str] = set()


def install() -> None:
    """Route ``dataclasses``' compilation through the tables (once per process)."""
    import dataclasses

    if getattr(dataclasses, "exec", None) is not _exec:
        dataclasses.exec = _exec  # type: ignore[attr-defined]


def _exec(source: Any, globals: dict[str, Any] | None = None, locals: Any = None, /) -> None:
    if type(source) is str:
        package = str((globals or {}).get("__name__") or "").partition(".")[0]
        table = _tables.get(package)
        if table is None:
            table = _tables[package] = _load(package)
        code = table.get(source)
        if code is None:
            # dataclasses' exec(text) inherits no __future__ flags (dataclasses.py has none) and
            # names the file "<string>": compile exactly so, whatever this module's flags are
            code = table[source] = compile(source, "<string>", "exec", dont_inherit=True)
            _grown.add(package)
        _used.setdefault(package, set()).add(source)
        source = code
    builtins.exec(source, globals, locals)


def _path(package: str) -> str:
    from slsreview.cache import user_key_path

    tag = f"{sys.implementation.cache_tag}-{MAGIC_NUMBER.hex()}-{marshal.version}"
    return os.path.join(os.path.dirname(user_key_path()), "dataclasses", tag, f"{package or '_'}.marshal")


def _load(package: str) -> dict[str, CodeType]:
    from slsreview.cache import read_sealed

    data = read_sealed(_path(package))
    try:
        table = marshal.loads(data) if data else {}
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(table, dict) or not all(type(v) is CodeType for v in table.values()):
        return {}
    return table


def save() -> None:
    """Write the tables that gained code this run (each sealed, written whole)."""
    if sys.dont_write_bytecode:
        return
    from slsreview.cache import write_sealed

    for package in sorted(_grown):
        table = _tables[package]
        if len(table) > _MAX_ENTRIES:
            used = _used.get(package, set())
            table = {text: code for text, code in table.items() if text in used}
        write_sealed(_path(package), marshal.dumps(table))
    _grown.clear()
