"""Handler source analysis: one source file in, one ``FileFacts`` out (see ``facts``).

    >>> facts = analyze_source("src/app.py", text, "python")
    >>> [c.name for c in facts.calls]
    ['aws.dynamodb.PutItem', 'log']

Analysers are pure functions of (path, text, language): they never touch the disk, never import
or run the code under review, and never raise for valid or invalid input (a syntax error becomes
a ``SyntaxProblem``). That makes their results cacheable by content hash and safe to compute in a
worker process. libcst and tree-sitter are imported only when a file of their language is read.

Where to look: ``facts.py`` is what the analysers produce and rules read. ``python/`` (libcst) and
``javascript/`` (tree-sitter) are one package per language, each split by concern; open their
``calls.py`` first to see how a call becomes a ``Call`` fact (the package docstrings map the
rest). The words both recognise (SDK operations, log sinks, bindings, event identifiers...) are
in ``slsreview/vocabulary/``; logic both share is in ``common.py``. ``runner.py`` analyses many
files, cached and in parallel. ``native.py`` decides whether the optional compiled build of the
JS/TS analysis runs.
"""

from __future__ import annotations

import posixpath

# first: whether the compiled JS/TS modules may run is settled before any of them is imported
from slsreview.analysis import native  # noqa: F401  # isort: skip
from slsreview.analysis.facts import FileFacts, SyntaxProblem
from slsreview.languages import Language, dialect_of
from slsreview.location import Location


def analyze_source(path: str, text: str, language: Language) -> FileFacts:
    try:
        if language == "python":
            from slsreview.analysis.python import analyze_python

            return analyze_python(path, text)
        from slsreview.analysis.javascript import analyze_javascript

        return analyze_javascript(path, text, dialect_of(path) or language)
    except RecursionError:
        facts = FileFacts(path, language, complete=False)
        facts.syntax.append(
            SyntaxProblem("nested too deeply to analyse", Location.file_start(path), fatal=False)
        )
        return facts


def local_import_candidates(importer: str, module: str, language: Language) -> list[str]:
    """Display paths a local import may refer to, most likely first. Non-local modules give []."""
    base = posixpath.dirname(importer) or "."
    if language == "python":
        if module.startswith("."):
            dots = len(module) - len(module.lstrip("."))
            rest = module[dots:]
            for _ in range(dots - 1):
                base = posixpath.dirname(base) or "."
            parts = rest.replace(".", "/") if rest else ""
        else:
            parts = module.replace(".", "/")
        if not parts:
            return [posixpath.normpath(posixpath.join(base, "__init__.py"))]
        stem = posixpath.normpath(posixpath.join(base, parts))
        return [stem + ".py", stem + "/__init__.py"]
    if not module.startswith("."):
        return []
    stem = posixpath.normpath(posixpath.join(base, module))
    if posixpath.splitext(stem)[1] in (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".jsx", ".tsx"):
        # TypeScript imports name the compiled file ("./db.js") for a source "./db.ts"
        root = posixpath.splitext(stem)[0]
        return [stem, root + ".ts", root + ".mts", root + ".tsx"]
    exts = (".ts", ".js", ".mjs", ".cjs", ".mts", ".cts", ".tsx", ".jsx")
    return [stem + ext for ext in exts] + [stem + "/index" + ext for ext in exts]
