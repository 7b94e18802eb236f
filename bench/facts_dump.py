"""A canonical text dump of the facts of every source file under some folders.

The byte-identity harness for work on the analyzers: dump before a change, dump after, and diff.
A refactoring (splitting a module, speeding up a walk) must leave the dump byte-identical; a
change of behaviour shows up as a readable diff, one fact per line.

    python bench/facts_dump.py tests/corpus > /tmp/before.txt
    python bench/facts_dump.py /work/corpora/templates --languages javascript,typescript -o /tmp/t.txt
    python bench/facts_dump.py tests/corpus --sort      # order inside each list ignored

Files are found by extension (``slsreview.languages``), skipping ``node_modules``, ``.git``,
``__pycache__``, ``.venv`` and ``.d.ts`` declaration files, and dumped in sorted path order. Each
file is one block: a header line, then every fact of every ``FileFacts`` list in the analyzer's
own order (order is part of the facts: findings are reported in it), one per line, with
locations shortened to ``line:col-end_line:end_col`` (the path is printed only when it is not the
file's own). An analyzer that raises prints ``!! <exception>`` instead of facts, so a crash is a
diff too. ``--sort`` sorts each list's lines first, for reviewing a change that reorders facts.

The tests' own inputs (the snippets in ``tests/analysis/``, rule examples, hostile inputs) can be
dumped too: ``--record-tests OUT.jsonl TESTPATH...`` runs pytest with ``analyze_python`` and
``analyze_javascript`` wrapped so that every distinct (path, text, dialect) they are handed is
written to OUT as JSON lines; ``--inputs OUT.jsonl`` then dumps those inputs (after the folders),
numbered in recorded order, with whatever analyzer is installed::

    python bench/facts_dump.py --record-tests /tmp/inputs.jsonl tests/analysis tests/test_corpus.py
    python bench/facts_dump.py --inputs /tmp/inputs.jsonl > /tmp/tests-before.txt
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Iterator
from typing import Any, TextIO

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from slsreview.analysis import analyze_source
from slsreview.analysis.facts import FileFacts
from slsreview.languages import Language, language_of
from slsreview.location import Location

_SKIPPED_DIRS = frozenset({"node_modules", ".git", "__pycache__", ".venv"})
# every list of facts; the scalar fields (path, language, complete, links) go in the header line
_SCALARS = ("path", "language", "complete", "links")
_LISTS = tuple(f.name for f in dataclasses.fields(FileFacts) if f.name not in _SCALARS)


def source_files(folders: list[str], languages: set[str]) -> Iterator[tuple[str, Language]]:
    """(path, language) of every source file under the folders, in sorted order per folder."""
    for folder in folders:
        found = []
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS)
            for name in names:
                language = language_of(name)
                if language is None or language not in languages or name.endswith(".d.ts"):
                    continue
                found.append((os.path.join(root, name), language))
        yield from sorted(found)


def render(value: Any, path: str) -> str:
    """One fact (or part of one) as canonical text."""
    if isinstance(value, Location):
        where = f"{value.line}:{value.column}-{value.end_line}:{value.end_column}"
        return where if value.path == path else f"{value.path}@{where}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ", ".join(
            f"{f.name}={render(getattr(value, f.name), path)}" for f in dataclasses.fields(value)
        )
        return f"{type(value).__name__}({fields})"
    if isinstance(value, tuple):
        inner = ", ".join(render(v, path) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(render(v, path) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {render(v, path)}" for k, v in value.items()) + "}"
    return repr(value)


def dump_file(
    path: str,
    language: Language,
    out: TextIO,
    *,
    sort: bool = False,
    text: str | None = None,
    dialect: str | None = None,
    label: str | None = None,
) -> None:
    if text is None:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    out.write(f"== {label or path} ({dialect or language})\n")
    try:
        if dialect is not None and dialect != "python":
            from slsreview.analysis.javascript import analyze_javascript

            facts = analyze_javascript(path, text, dialect)
        else:
            facts = analyze_source(path, text, language)
    except Exception as error:  # a crash is part of what the dump shows
        out.write(f"!! {type(error).__name__}: {error}\n")
        return
    out.write(f"complete={facts.complete} language={facts.language} links={facts.links}\n")
    for name in _LISTS:
        lines = [f"{name}: {render(item, path)}\n" for item in getattr(facts, name)]
        out.writelines(sorted(lines) if sort else lines)


def record_tests(out_path: str, test_args: list[str]) -> int:
    """Run pytest with the analyzers wrapped; write every distinct input they get to out_path."""
    import pytest

    import slsreview.analysis.javascript as javascript_module
    import slsreview.analysis.python as python_module

    seen: dict[tuple[str, str, str], None] = {}
    original_python = python_module.analyze_python
    original_javascript = javascript_module.analyze_javascript

    def analyze_python(path: str, text: str) -> FileFacts:
        seen.setdefault((path, text, "python"), None)
        return original_python(path, text)

    def analyze_javascript(path: str, text: str, dialect: str) -> FileFacts:
        seen.setdefault((path, text, dialect), None)
        return original_javascript(path, text, dialect)

    # patched before pytest collects the tests, so their `from ... import analyze_python` and
    # analyze_source's lazy import both get the wrappers
    python_module.analyze_python = analyze_python
    javascript_module.analyze_javascript = analyze_javascript
    status = pytest.main(["-q", "-p", "no:cacheprovider", *test_args])
    with open(out_path, "w", encoding="utf-8") as handle:
        for path, text, dialect in seen:
            handle.write(json.dumps({"path": path, "text": text, "dialect": dialect}) + "\n")
    print(f"recorded {len(seen)} analyzer inputs to {out_path}", file=sys.stderr)
    return int(status)


def recorded_inputs(path: str, languages: set[str]) -> Iterator[tuple[int, str, str, Language, str]]:
    """(number, path, text, language, dialect) of each input ``--record-tests`` wrote."""
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            item = json.loads(line)
            dialect = item["dialect"]
            language: Language = (
                "python"
                if dialect == "python"
                else ("javascript" if dialect == "javascript" else "typescript")
            )
            if language in languages:
                yield number, item["path"], item["text"], language, dialect


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", help="folders to dump (test paths with --record-tests)")
    parser.add_argument("--inputs", help="also dump the inputs recorded by --record-tests here")
    parser.add_argument("--record-tests", metavar="OUT", help="run pytest on FOLDERS, record inputs")
    parser.add_argument(
        "--languages",
        default="python,javascript,typescript",
        help="comma-separated languages to dump (default: all)",
    )
    parser.add_argument("-o", "--output", help="write here instead of stdout")
    parser.add_argument("--sort", action="store_true", help="sort each list of facts")
    options = parser.parse_args()
    if options.record_tests:
        raise SystemExit(record_tests(options.record_tests, options.folders))
    languages = set(options.languages.split(","))
    out = open(options.output, "w", encoding="utf-8") if options.output else sys.stdout  # noqa: SIM115
    count = 0
    try:
        for path, language in source_files(options.folders, languages):
            dump_file(path, language, out, sort=options.sort)
            count += 1
        if options.inputs:
            for number, path, text, language, dialect in recorded_inputs(options.inputs, languages):
                label = f"#{number} {path}"
                dump_file(path, language, out, sort=options.sort, text=text, dialect=dialect, label=label)
                count += 1
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"{count} files", file=sys.stderr)


if __name__ == "__main__":
    main()
