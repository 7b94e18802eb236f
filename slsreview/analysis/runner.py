"""Analyse many source files: each once, cached by content, in parallel when it pays.

The cache lives in ``.slsreview_cache/`` (like ruff's): one pickle per (path, content, analyser
version), written atomically, so two runs sharing it never read a half-written entry. A process
pool is used only when there is enough Python to parse for the pool's start-up to pay off.

    >>> results = analyze_many([("src/app.py", text, "python")], jobs=2, cache_dir=Path(".slsreview_cache"))
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import os
import pickle
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from slsreview.analysis import Language, analyze_source
from slsreview.analysis.facts import FACTS_VERSION, FileFacts, SyntaxProblem
from slsreview.cache import Store, code_files, code_fingerprint
from slsreview.location import Location

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

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
    return fingerprint_of(Path(__file__).resolve().parent.parent)


def fingerprint_of(package: Path) -> str:
    """``analyser_fingerprint`` of a ``slsreview`` package folder."""
    return code_fingerprint(package, ANALYSIS_CODE)


def _source_files(folder: Path) -> list[Path]:
    """Every file below ``folder`` the fingerprint reads, sorted by relative path."""
    return [Path(path) for path in code_files(folder)]


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
        return _unreviewed(
            path,
            language,
            f"internal error while analysing this file ({type(exc).__name__}: {exc}); "
            "the file was only partly reviewed, please report this",
        )


def _unreviewed(path: str, language: Language, why: str) -> FileFacts:
    """Facts of a file the analyser could not finish: nothing but a note saying why."""
    facts = FileFacts(path, language, complete=False)
    facts.syntax.append(SyntaxProblem(why, Location.file_start(path), fatal=False))
    return facts


def analyze_many(
    jobs_in: Sequence[Job], jobs: int, cache: FactsCache, workers: Workers | None = None, keys: dict[str, str] | None = None
) -> dict[str, FileFacts]:
    """Facts of every job: from the cache, else computed (in ``workers`` when given, in a pool
    of its own when there is enough source to pay for one, else here). ``keys`` holds the
    ``cache_key`` of jobs the caller has already worked out."""
    results: dict[str, FileFacts] = {}
    todo: list[tuple[str, Job]] = []
    for job in jobs_in:
        key = (keys or {}).get(job[0]) or cache_key(*job)
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


SecretJob = tuple[str, str, bool]  # (path, text, names): what ``scan_text`` is asked


def scan_secrets_cached(jobs: Sequence[SecretJob], store: Store, workers: Workers | None = None) -> list[list[Any]]:
    """``secret_scan.scan_text`` of every job, once per content: kept in ``store`` by the same
    fingerprint as facts, computed in ``workers`` when given (a cold review). Stored without the
    secret values themselves (the cache holds where each is, never what it is); they are cut
    from the text again when an entry is used."""
    from dataclasses import replace

    from slsreview.analysis.secret_scan import scan_text

    results: list[list[Any] | None] = []
    todo: list[tuple[int, str]] = []
    for index, (path, text, names) in enumerate(jobs):
        digest = hashlib.blake2b(digest_size=20)
        for part in (analyser_fingerprint(), "secrets", path, "names" if names else "formats", text):
            digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
        key = digest.hexdigest()
        found = _with_values(store.get(key), text)
        results.append(found)
        if found is None:
            todo.append((index, key))
    if todo:
        tasks = [jobs[index] for index, _ in todo]
        if workers is not None and len(tasks) > 8:
            computed = workers.scan(tasks)
        else:
            computed = [scan_text(path, text, names=names) for path, text, names in tasks]
        for (index, key), found in zip(todo, computed, strict=True):
            store.put(key, [replace(s, value="") for s in found])
            results[index] = found
    return [r or [] for r in results]


def _with_values(stored: list[Any] | None, text: str) -> list[Any] | None:
    """Stored secret literals with their values cut from ``text`` again (None when an entry
    does not fit the text: recompute)."""
    if stored is None:
        return None
    from dataclasses import replace

    from slsreview.redact import mask

    starts = [0]
    index = text.find("\n")
    while index >= 0:
        starts.append(index + 1)
        index = text.find("\n", index + 1)
    out = []
    for literal in stored:
        loc = getattr(literal, "loc", None)
        if loc is None or not (1 <= loc.line <= len(starts) and 1 <= loc.end_line <= len(starts)):
            return None
        value = text[starts[loc.line - 1] + loc.column - 1 : starts[loc.end_line - 1] + loc.end_column - 1]
        if len(value) != literal.length or mask(value) != literal.shown:
            return None
        out.append(replace(literal, value=value))
    return out


def _scan(job: SecretJob) -> list[Any]:
    from slsreview.analysis.secret_scan import scan_text

    path, text, names = job
    return scan_text(path, text, names=names)


def _import_analysers(languages: frozenset[str]) -> None:
    if "python" in languages:
        import slsreview.analysis.python
    if languages - {"python"}:
        import slsreview.analysis.javascript  # noqa: F401
    # ...and the generated AWS operation table (a tenth of a second to load), which they read,
    # and the secret scan's formats, which they run over every file afterwards
    from slsreview.analysis.secret_scan import scan_text
    from slsreview.vocabulary import aws

    aws.services()
    scan_text("", "")
    from slsreview import codecache

    with contextlib.suppress(Exception):  # a forked worker never runs the command line's save
        codecache.save()


def _pool(jobs: int) -> ProcessPoolExecutor:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method))


class Workers:
    """A process pool of analysers. Started as soon as a review knows it will need one, so
    that its workers import libcst and tree-sitter (a sixth of a second) while the parent is
    still loading the configuration, and the parent never imports them at all.

        >>> workers = Workers(2, {"python", "javascript"})   # forks now
        >>> facts = workers.analyze(todo, cache)
        >>> workers.close()
    """

    def __init__(self, jobs: int, languages: set[str]) -> None:
        self.pool, self.single = _pool(jobs), False  # single: one worker, analysing file by file
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
        from concurrent.futures.process import BrokenProcessPool

        # Unpickled as each result arrives, while the workers go on with the rest.
        done = 0
        try:
            for data in self.pool.map(_analyze_pickled, tasks, chunksize=4):
                out[order[done]] = pickle.loads(data)
                done += 1
        except BrokenProcessPool:
            # A worker died (a native parser's fault on some file, or the OOM killer): the rest is
            # analysed one file at a time in one worker, so the file it dies on again is known.
            for position in range(done, len(tasks)):
                out[order[position]] = self._alone(tasks[position])
        return [f for f in out if f is not None]

    def _alone(self, task: tuple[str, Job, FactsCache]) -> FileFacts:
        """One file's facts in a worker of its own; a note on the file when that worker dies too."""
        from concurrent.futures.process import BrokenProcessPool

        if not self.single:  # the pool is broken, or has more than one worker
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool, self.single = _pool(1), True
        try:
            return pickle.loads(self.pool.submit(_analyze_pickled, task).result())
        except BrokenProcessPool:
            self.single = False
            path, _text, language = task[1]
            return _unreviewed(  # not cached: the next review tries again
                path,
                language,
                "the analyser's process died on this file (a fault in a native parser, or out of "
                "memory); the file was not reviewed, please report this",
            )

    def scan(self, jobs: list[SecretJob]) -> list[list[Any]]:
        """``scan_text`` of each job, in the workers (here, when they have died)."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return list(self.pool.map(_scan, jobs, chunksize=8))
        except BrokenProcessPool:
            return [_scan(job) for job in jobs]  # pure Python: nothing native to fault

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
