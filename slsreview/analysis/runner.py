"""Analyse many source files: each once, cached by content, in parallel when it pays.

The cache lives in ``.slsreview_cache/`` (like ruff's): one pickle per (path, content, analyser
version), written atomically, so two runs sharing it never read a half-written entry. A process
pool is used only when there is enough Python to parse for the pool's start-up to pay off.

    >>> results = analyze_many([("src/app.py", text, "python")], jobs=2, cache_dir=Path(".slsreview_cache"))
"""

from __future__ import annotations

import functools
import gc
import hashlib
import os
import pickle
import tempfile
from collections.abc import Sequence
from pathlib import Path

from slsreview import __version__
from slsreview.analysis import Language, analyze_source
from slsreview.analysis.facts import FACTS_VERSION, FileFacts, SyntaxProblem
from slsreview.location import Location

Job = tuple[str, str, Language]

# Below this much source text a pool costs more (fork, pickling) than it saves.
POOL_THRESHOLD_BYTES = 400_000


@functools.cache
def analyser_fingerprint() -> str:
    """A hash of everything facts are computed from: the analysis layer (every file of
    ``slsreview/analysis/`` and ``slsreview/vocabulary/``, subpackages and data files included),
    the modules it builds on (locations, languages) and slsreview's version. Any change to them
    (an upgrade, a local edit, a regenerated vocabulary table) invalidates every cached result,
    so a cache can never hand back stale facts."""
    return fingerprint_of(Path(__file__).resolve().parent.parent)


def fingerprint_of(package: Path) -> str:
    """``analyser_fingerprint`` of the slsreview package at ``package``."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=32)
    files = [package / "location.py", package / "languages.py"]
    for folder in (package / "analysis", package / "vocabulary"):
        for root, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            files.extend(Path(root) / name for name in sorted(names) if not name.endswith((".pyc", ".pyo")))
    for path in files:
        digest.update(path.relative_to(package).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\1missing")
        digest.update(b"\0")
    return digest.hexdigest()


def cache_key(path: str, text: str, language: str) -> str:
    digest = hashlib.sha256()
    for part in (analyser_fingerprint(), str(FACTS_VERSION), language, path, text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class FactsCache:
    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0

    def _file(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / "facts" / key[:2] / f"{key}.pickle"

    def get(self, key: str) -> FileFacts | None:
        if self.directory is None:
            return None
        try:
            with open(self._file(key), "rb") as handle:
                value = pickle.load(handle)
        except (OSError, pickle.PickleError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            self.misses += 1
            return None
        if not isinstance(value, FileFacts):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, facts: FileFacts) -> None:
        if self.directory is None:
            return
        target = self._file(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._mark(self.directory)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as handle:
                pickle.dump(facts, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except OSError:
            pass  # a read-only checkout still gets its review, just not a cache

    @staticmethod
    def _mark(directory: Path) -> None:
        gitignore = directory / ".gitignore"
        if not gitignore.exists():
            gitignore.write_text("# Created by slsreview\n*\n", encoding="utf-8")
            (directory / "CACHEDIR.TAG").write_text(
                "Signature: 8a477f597d28d172789f06886806bc55\n# slsreview cache\n", encoding="utf-8"
            )


def _analyze(job: Job) -> FileFacts:
    """Analyse one file; an analyser bug on one file becomes a note on that file, not a crash."""
    path, text, language = job
    try:
        return analyze_source(path, text, language)
    except Exception as exc:
        if os.environ.get("SLSREVIEW_DEBUG"):
            import traceback

            traceback.print_exc()
        facts = FileFacts(path, language, complete=False)
        facts.syntax.append(
            SyntaxProblem(
                f"internal error while analysing this file ({type(exc).__name__}: {exc}); "
                "the file was only partly reviewed, please report this",
                Location.file_start(path),
                fatal=False,
            )
        )
        return facts


def analyze_many(jobs_in: Sequence[Job], jobs: int, cache: FactsCache) -> dict[str, FileFacts]:
    results: dict[str, FileFacts] = {}
    todo: list[tuple[str, Job]] = []
    for job in jobs_in:
        key = cache_key(*job)
        cached = cache.get(key)
        if cached is not None:
            results[job[0]] = cached
        else:
            todo.append((key, job))
    if not todo:
        return results
    size = sum(len(job[1]) for _, job in todo)
    if jobs > 1 and len(todo) > 1 and size >= POOL_THRESHOLD_BYTES:
        computed = _in_pool([job for _, job in todo], jobs)
    else:
        computed = [_analyze(job) for _, job in todo]
    for (key, job), facts in zip(todo, computed, strict=True):
        cache.put(key, facts)
        results[job[0]] = facts
    return results


def _in_pool(todo: list[Job], jobs: int) -> list[FileFacts]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Import the analysers before forking, so that every worker inherits them instead of
    # importing libcst and tree-sitter again (a quarter of a second each).
    languages = {job[2] for job in todo}
    if "python" in languages:
        import slsreview.analysis.python
    if languages - {"python"}:
        import slsreview.analysis.javascript  # noqa: F401
    # Largest files first so that one big file does not finish last on its own.
    order = sorted(range(len(todo)), key=lambda i: -len(todo[i][1]))
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    # Forked workers inherit the parent's heap; without freezing it, every garbage collection in
    # a worker walks (and copies, page by page) all the parent's objects, which made two workers
    # slower than one.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context) as pool:
            ordered = list(pool.map(_analyze, [todo[i] for i in order], chunksize=4))
    finally:
        gc.unfreeze()
    out: list[FileFacts | None] = [None] * len(todo)
    for index, facts in zip(order, ordered, strict=True):
        out[index] = facts
    return [f for f in out if f is not None]
