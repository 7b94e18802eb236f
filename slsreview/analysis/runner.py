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
from collections.abc import Sequence
from pathlib import Path

from slsreview.analysis import Language, analyze_source
from slsreview.analysis.facts import FACTS_VERSION, FileFacts, SyntaxProblem
from slsreview.cache import Store, code_fingerprint
from slsreview.location import Location

Job = tuple[str, str, Language]

# Below this much source text a pool costs more (fork, pickling) than it saves.
POOL_THRESHOLD_BYTES = 400_000


ANALYSIS_CODE = ("analysis", "vocabulary", "location.py", "languages.py")


@functools.cache
def analyser_fingerprint() -> str:
    """A hash of everything facts are computed from: the analysis layer (every file of
    ``slsreview/analysis/`` and ``slsreview/vocabulary/``, subpackages and data files included),
    the modules it builds on (locations, languages) and slsreview's version. Any change to them
    (an upgrade, a local edit, a regenerated vocabulary table) invalidates every cached result,
    so a cache can never hand back stale facts."""
    return code_fingerprint(Path(__file__).resolve().parent.parent, ANALYSIS_CODE)


def cache_key(path: str, text: str, language: str) -> str:
    digest = hashlib.sha256()
    for part in (analyser_fingerprint(), str(FACTS_VERSION), language, path, text):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\0")
    return digest.hexdigest()


class FactsCache(Store):
    """Facts by ``cache_key``, under ``.slsreview_cache/facts/``."""

    def __init__(self, directory: Path | None) -> None:
        super().__init__(directory, "facts", FileFacts)

    def get(self, key: str) -> FileFacts | None:
        value: FileFacts | None = super().get(key)
        return value


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


def analyze_many(
    jobs_in: Sequence[Job], jobs: int, cache: FactsCache, workers: Workers | None = None
) -> dict[str, FileFacts]:
    """Facts of every job: from the cache, else computed (in ``workers`` when given, in a pool
    of its own when there is enough source to pay for one, else here)."""
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
    own = None
    if workers is None and jobs > 1 and len(todo) > 1 and size >= POOL_THRESHOLD_BYTES:
        workers = own = Workers(jobs, {job[2] for _, job in todo})
    try:
        if workers is not None:
            for (_key, job), facts in zip(todo, workers.analyze(todo, cache), strict=True):
                results[job[0]] = facts
            return results
    finally:
        if own is not None:
            own.close()
    for key, job in todo:
        facts = _analyze(job)
        cache.put(key, facts)
        results[job[0]] = facts
    return results


def _analyze_pickled(task: tuple[str, Job, FactsCache]) -> bytes:
    """In a worker: analyse, pickle once, and write the cache entry there, so that the parent
    (the one process every result passes through) only unpickles."""
    key, job, cache = task
    data = pickle.dumps(_analyze(job), protocol=pickle.HIGHEST_PROTOCOL)
    cache.put_pickled(key, data)
    return data


def _import_analysers(languages: frozenset[str]) -> None:
    if "python" in languages:
        import slsreview.analysis.python
    if languages - {"python"}:
        import slsreview.analysis.javascript  # noqa: F401


class Workers:
    """A process pool of analysers. Started as soon as a review knows it will need one, so
    that its workers import libcst and tree-sitter (a sixth of a second) while the parent is
    still loading the configuration, and the parent never imports them at all.

        >>> workers = Workers(2, {"python", "javascript"})   # forks now
        >>> facts = workers.analyze(todo, cache)
        >>> workers.close()
    """

    def __init__(self, jobs: int, languages: set[str]) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
        self.pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method))
        # Forked workers inherit the parent's heap; without freezing it, every garbage collection
        # in a worker walks (and copies, page by page) all the parent's objects, which made two
        # workers slower than one. With fork, the first submit starts every worker at once.
        frozen = gc.get_freeze_count()
        gc.freeze()
        try:
            self.warm = [self.pool.submit(_import_analysers, frozenset(languages)) for _ in range(jobs)]
        finally:
            if not frozen:  # the command line froze its imports on purpose: leave them so
                gc.unfreeze()

    def analyze(self, todo: list[tuple[str, Job]], cache: FactsCache) -> list[FileFacts]:
        # Largest files first so that one big file does not finish last on its own.
        order = sorted(range(len(todo)), key=lambda i: -len(todo[i][1][1]))
        tasks = [(todo[i][0], todo[i][1], cache) for i in order]
        out: list[FileFacts | None] = [None] * len(todo)
        # Unpickled as each result arrives, while the workers go on with the rest.
        for index, data in zip(order, self.pool.map(_analyze_pickled, tasks, chunksize=4), strict=True):
            out[index] = pickle.loads(data)
        return [f for f in out if f is not None]

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
