"""The whole-review cache: a review is replayed when nothing it depended on has changed.

A review is a function of its command line, where it runs, the date (unless ``today`` is
pinned), the code that reviews (slsreview itself, its rule packs, what is installed beside
them) and the disk as the review saw it. ``slsreview check`` asks the disk everything through one
``Inputs`` (``slsreview.inputs``), which records every answer: each file read (templates,
wrangler configs, samconfig, package.json, sources and the local modules they import, READMEs
and docs, ``.gitignore`` files, the configuration found upward and the closer ones that were
not there, the baseline and confirmations), each path checked for existence, each folder listed
by discovery, each ``git`` command (``ls-files`` for discovery, ``diff`` for ``--diff``). The
rendered report, its destination and the exit status are stored with those answers in
``.slsreview_cache/reviews/<key>``, the key being a hash of the command line and where it runs.

The next ``check`` with the same key asks every question again (a stat per file, a content hash
where a stat cannot be trusted, ``git`` again in a git work tree) and, when every answer is the
same, writes the stored report and exits with the stored status, before the rest of slsreview
is even imported. Any difference, an unreadable or truncated entry, or a different day runs the
review; its per-file facts (``slsreview.analysis.runner``) are still cached, so only the files
that changed are analysed again.

    >>> code = replay(["check", ".", "-f", "json"])   # None: run the review
    >>> record(key, inputs, ...)                      # after a review, for the next run

Entries are written atomically (a unique temporary file, then ``os.replace``), so concurrent
runs sharing a cache never read half an entry; the last writer wins, and every entry is whole.
``marshal`` is used rather than pickle: it is built in, fast, and cannot run code.

**Only entries this user wrote are read.** ``.slsreview_cache/`` lives in the reviewed folder, so
a pull request can ship one: a planted pickle would run its code when loaded, and a planted review
entry would print a clean report (or write its text wherever it says) for a change that is not
clean. Every entry is therefore sealed with a keyed hash (``seal``): the key is 32 random bytes
made on first use in the user's own cache folder (``$XDG_CACHE_HOME/slsreview/key``, else
``~/.cache/slsreview/key``; ``%LOCALAPPDATA%`` on Windows), outside anything a review reads (a key
under the folder the review runs in is refused: the folder could have shipped it). An entry whose
seal does not verify is a miss and is rewritten. Without a usable key the review runs uncached,
never trusting the folder.
"""

from __future__ import annotations

import contextlib  # already imported by site: free
import marshal
import os
import sys
import time
from _operator import _compare_digest  # hmac.compare_digest, without hmac's hashlib on a warm run
from collections.abc import Iterable, Sequence

from slsreview.inputs import Inputs, blake2b, still_valid

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing is a tenth of a warm run
if TYPE_CHECKING:
    from typing import Any

    from slsreview.inputs import Probe

CACHE_DIR = ".slsreview_cache"
ENTRY_VERSION = 1
# Folders that never hold an input: the cache itself, bytecode, VCS and dependency folders.
INERT_FOLDERS = frozenset({"__pycache__", CACHE_DIR, ".git", ".mypy_cache", ".pytest_cache", ".ruff_cache"})


def replayable(argv: Sequence[str]) -> bool:
    """Whether a command line may be answered from the cache at all: a review (``check``) that
    neither bypasses the cache nor writes a baseline (a side effect a replay would not repeat)."""
    if not argv or argv[0] != "check":
        return False
    return not any(
        arg in ("--no-cache", "-h", "--help") or arg.startswith("--write-baseline") for arg in argv[1:]
    )


def replay_key(argv: Sequence[str], cwd: str) -> str:
    """Everything outside the disk that a review's report depends on: the command line, where
    it runs, the interpreter, and how the report reaches the reader (a terminal gets colour)."""
    stdout = sys.stdout
    isatty = getattr(stdout, "isatty", None)
    basis = (
        ENTRY_VERSION,
        sys.version,
        sys.executable,
        tuple(sys.path),  # where slsreview, its packs and its libraries are imported from
        os.path.dirname(os.path.abspath(__file__)),
        cwd,
        tuple(argv),
        bool(isatty and isatty()),
        str(getattr(stdout, "encoding", "")),
        bool(os.environ.get("NO_COLOR")),
        bool(os.environ.get("SLSREVIEW_DEBUG")),
        os.environ.get("GIT_DIR"),  # discovery asks git only when it can answer
    )
    # repr, not marshal: marshal's bytes depend on reference counts, repr's only on the values
    return blake2b(repr(basis).encode("utf-8", "backslashreplace"), digest_size=20).hexdigest()


def entry_path(cwd: str, key: str) -> str:
    return os.path.join(cwd, CACHE_DIR, "reviews", key)


def today() -> str:
    """The real date, as ``datetime.date.today().isoformat()`` gives it (local time)."""
    return time.strftime("%Y-%m-%d")


def replay(argv: Sequence[str]) -> int | None:
    """Write the cached report of this exact review and return its exit status; None when there
    is no valid entry (the caller then runs the review)."""
    if not replayable(argv):
        return None
    cwd = os.getcwd()
    key = replay_key(argv, cwd)
    path = entry_path(cwd, key)
    entry = _load(path, key)
    if entry is None:
        return None
    date, probes, destination, text, status = entry
    if date is not None and date != today():
        return None
    valid, refreshed = still_valid(probes)
    if not valid:
        return None
    try:
        if destination is not None:
            with open(destination, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except OSError:
        return None  # let the review run and report the problem itself
    if refreshed != probes:
        _store(path, (ENTRY_VERSION, key, date, refreshed, destination, text, status))
    return status


def record(
    key: str,
    cwd: str,
    inputs: Inputs,
    *,
    date: str | None,
    destination: str | None,
    text: str,
    status: int,
    code: Iterable[str] = (),
) -> None:
    """Store a finished review for ``replay``. ``date`` is the real date when the review used
    it (``today`` not pinned), else None. ``code`` names the files and folders of the code that
    reviewed (rule packs); slsreview's own package and what is installed beside it are added
    here. A review that saw a file change under it is not stored."""
    if inputs.unstable:
        return
    probes = inputs.probes() + code_probes(tuple(sorted(code)), os.path.join(cwd, CACHE_DIR))
    _store(entry_path(cwd, key), (ENTRY_VERSION, key, date, probes, destination, text, status))


_code_probes: dict[tuple[str, ...], list[Probe]] = {}


def code_probes(extra: tuple[str, ...] = (), cache_dir: str | None = None) -> list[Probe]:
    """Probes on the code that reviews: slsreview's own package, the ``extra`` files and
    folders (rule packs), and what is installed on ``sys.path``. Reading and hashing all of it
    (the vocabulary tables are megabytes) is done once: the probes are kept in ``cache_dir``
    and in this process, and checked again (a stat per file) before they are used again."""
    package = os.path.dirname(os.path.abspath(__file__))
    basis = (ENTRY_VERSION, sys.version, package, extra, tuple(sys.path))
    key = blake2b(repr(basis).encode("utf-8", "backslashreplace"), digest_size=20).hexdigest()
    known = _code_probes.get(extra)
    if known is not None and still_valid(known)[0]:
        return known
    path = os.path.join(cache_dir, "code", key) if cache_dir else None
    if path is not None:
        try:
            data = read_sealed(path)
            stored = None if data is None else marshal.loads(data)
            valid, refreshed = still_valid(stored) if isinstance(stored, list) else (False, [])
        except Exception:
            valid, refreshed = False, []
        if valid:
            _code_probes[extra] = refreshed
            return refreshed
    inputs = Inputs()
    add_code_probes(inputs, [package, *extra])
    probes = _code_probes[extra] = inputs.probes()
    if path is not None:
        write_sealed(path, marshal.dumps(probes))
    return probes


def add_code_probes(inputs: Inputs, roots: Iterable[str]) -> None:
    """Probes on the code itself: every file under each root (recursively), and what is
    installed on ``sys.path`` (a new or upgraded package changes its folder's listing, a changed
    entry point its ``entry_points.txt``), so that an upgrade or a local edit is never replayed
    over."""
    seen: set[str] = set()
    for root in roots:
        if os.path.isdir(root):
            _add_tree(inputs, root, seen)
        elif os.path.isfile(root):
            _read_quietly(inputs, root)
    for folder in sys.path:
        if not folder or not os.path.isdir(folder) or folder in seen:
            continue
        seen.add(folder)
        try:
            entries = inputs.scandir(folder, skip=INERT_FOLDERS)
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith((".dist-info", ".egg-info")):
                _read_quietly(inputs, os.path.join(entry.path, "entry_points.txt"))
            elif entry.name.endswith(".pth"):  # editable installs map packages to folders here
                _read_quietly(inputs, entry.path)


def _add_tree(inputs: Inputs, root: str, seen: set[str]) -> None:
    stack = [root]
    while stack:
        folder = stack.pop()
        if folder in seen:
            continue
        seen.add(folder)
        try:
            entries = inputs.scandir(folder, skip=INERT_FOLDERS)
        except OSError:
            continue
        for entry in entries:
            if entry.name in INERT_FOLDERS or entry.name.endswith(".pyc"):
                continue
            if entry.is_dir():
                stack.append(entry.path)
            elif entry.is_file():
                _read_quietly(inputs, entry.path)


def _read_quietly(inputs: Inputs, path: str) -> None:
    with contextlib.suppress(OSError):  # recorded: a file's absence is an answer too
        inputs.read(path)


def _load(path: str, key: str) -> tuple[str | None, list[Probe], str | None, str, int] | None:
    """The entry at ``path``, or None for a missing, truncated, foreign or corrupt one."""
    data = read_sealed(path)
    if data is None:
        return None
    try:
        value: Any = marshal.loads(data)
        version, stored_key, date, probes, destination, text, status = value
    except Exception:  # marshal raises EOFError, ValueError or TypeError on a damaged file
        return None
    if (
        version != ENTRY_VERSION
        or stored_key != key
        or not (date is None or isinstance(date, str))
        or not isinstance(probes, list)
        or not all(isinstance(p, tuple) and p and isinstance(p[0], str) for p in probes)
        or not (destination is None or isinstance(destination, str))
        or not isinstance(text, str)
        or not isinstance(status, int)
        or isinstance(status, bool)
    ):
        return None
    return date, probes, destination, text, status


def _store(path: str, value: tuple[Any, ...]) -> None:
    if write_sealed(path, marshal.dumps(value)):
        mark_cache_dir(os.path.dirname(os.path.dirname(path)))


_SEAL = 32  # bytes of keyed blake2b in front of every entry
_secret: list[bytes | None] = []  # the user's key, read (or made) once per process


def user_key_path() -> str:
    """Where the key that seals this user's cache entries lives: outside every reviewed folder."""
    base = os.environ.get("XDG_CACHE_HOME") or (
        os.environ.get("LOCALAPPDATA") if os.name == "nt" else None
    ) or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "slsreview", "key")


def _user_key() -> bytes | None:
    if _secret:
        return _secret[0]
    path = user_key_path()
    key: bytes | None = None
    if _inside(os.path.realpath(path), os.path.realpath(os.getcwd())):
        _secret.append(None)  # a key the reviewed folder could have shipped is no key
        return None
    for _attempt in range(2):
        try:
            with open(path, "rb") as handle:
                key = handle.read(_SEAL + 1)
            break
        except FileNotFoundError:
            _make_user_key(path)
        except OSError:
            break
    _secret.append(key if key is not None and len(key) == _SEAL else None)
    return _secret[0]


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _make_user_key(path: str) -> None:
    """A new random key, published whole (a temporary file linked into place), so that two
    first runs at once agree on one key and none reads half of it."""
    folder = os.path.dirname(path)
    temporary = os.path.join(folder, f".key-{os.getpid()}-{time.monotonic_ns()}")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(_SEAL))
        try:
            os.link(temporary, path)
        except FileExistsError:  # another first run won: its key is the key
            pass
        except OSError:  # a file system without hard links
            os.replace(temporary, path)
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _tag(key: bytes, name: str, data: bytes) -> bytes:
    digest = blake2b(name.encode("utf-8", "surrogateescape") + b"\0", key=key, digest_size=_SEAL)
    digest.update(data)
    return digest.digest()


def seal(path: str, data: bytes) -> bytes | None:
    """``data`` with this user's seal in front, bound to the entry's file name; None without a key."""
    key = _user_key()
    return None if key is None else _tag(key, os.path.basename(path), data) + data


def read_sealed(path: str) -> bytes | None:
    """The data of an entry this user sealed, or None: missing, unreadable, or not sealed by this
    user's key (damaged, written by another version, or planted in the reviewed folder)."""
    key = _user_key()
    if key is None:
        return None
    try:
        with open(path, "rb") as handle:
            blob = handle.read()
    except OSError:
        return None
    data = blob[_SEAL:]
    return data if _compare_digest(blob[:_SEAL], _tag(key, os.path.basename(path), data)) else None


def write_sealed(path: str, data: bytes) -> bool:
    """``write_atomic`` of a sealed entry; False when it is not written (no key, no room)."""
    sealed = seal(path, data)
    return sealed is not None and write_atomic(path, sealed)


def write_atomic(path: str, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file of the same folder and
    ``os.replace``: a reader sees the old file or the new one, never half of either. False when
    it cannot be written (a read-only checkout still gets its review, just not a cache)."""
    folder = os.path.dirname(path)
    temporary = os.path.join(folder, f".tmp-{os.getpid()}-{time.monotonic_ns()}")
    try:
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileNotFoundError:  # the first entry of its folder (makedirs first costs every write)
            os.makedirs(folder, exist_ok=True)
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True


class Store:
    """Pickled values by key under ``<cache>/<folder>/``, for results computed from content (a
    file's facts, a loaded configuration). A missing, truncated or foreign entry is a miss, and
    the caller's ``put`` rewrites it. ``directory`` None is a store that never holds anything."""

    def __init__(self, directory: str | os.PathLike[str] | None, folder: str, kind: type) -> None:
        self.directory = None if directory is None else os.fspath(directory)
        self.folder = folder
        self.kind = kind
        self.hits = 0
        self.misses = 0

    def path(self, key: str) -> str:
        assert self.directory is not None
        return os.path.join(self.directory, self.folder, key[:2], f"{key}.pickle")

    def get(self, key: str) -> Any:
        if self.directory is None:
            return None
        import pickle

        data = read_sealed(self.path(key))  # never unpickle what this user did not write
        try:
            value = None if data is None else pickle.loads(data)
        except Exception:  # truncated, corrupt, or pickled by another version: recompute
            value = None
        if not isinstance(value, self.kind):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, key: str, value: Any) -> None:
        if self.directory is None:
            return
        import pickle

        try:
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # too deep to pickle (RecursionError), or not picklable: not cached
            return
        self.put_pickled(key, data)

    def put_pickled(self, key: str, data: bytes) -> None:
        if self.directory is not None and write_sealed(self.path(key), data):
            mark_cache_dir(self.directory)


def code_fingerprint(package: str | os.PathLike[str], parts: Iterable[str]) -> str:
    """A hash of slsreview's version and of every file (recursively, bytecode aside) of the
    given ``parts`` (folders or files, relative to the slsreview package at ``package``): what
    a per-content cache of computed results is keyed by, so that a code change invalidates it."""
    from slsreview import __version__

    root = os.fspath(package)
    digest = blake2b(__version__.encode(), digest_size=32)
    files: list[str] = []
    for part in parts:
        top = os.path.join(root, part)
        files.extend(code_files(top) if os.path.isdir(top) else [top])
    for path in files:
        digest.update(os.path.relpath(path, root).replace(os.sep, "/").encode("utf-8", "surrogateescape") + b"\0")
        try:
            with open(path, "rb") as handle:
                digest.update(handle.read())
        except OSError:
            digest.update(b"\1missing")
        digest.update(b"\0")
    return digest.hexdigest()


def code_files(folder: str | os.PathLike[str]) -> list[str]:
    """Every file below ``folder`` but caches and bytecode, sorted by relative path."""
    top = os.fspath(folder)
    found: list[str] = []
    for current, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if d not in INERT_FOLDERS]
        found.extend(os.path.join(current, n) for n in names if not n.endswith((".pyc", ".pyo")))
    return sorted(found, key=lambda path: os.path.relpath(path, top).replace(os.sep, "/"))


def mark_cache_dir(directory: str) -> None:
    """Tell git and backup tools that the folder is a cache (as ruff and cargo do)."""
    gitignore = os.path.join(directory, ".gitignore")
    if os.path.exists(gitignore):
        return
    try:
        with open(gitignore, "w", encoding="utf-8") as handle:
            handle.write("# Created by slsreview\n*\n")
        with open(os.path.join(directory, "CACHEDIR.TAG"), "w", encoding="utf-8") as handle:
            handle.write("Signature: 8a477f597d28d172789f06886806bc55\n# slsreview cache\n")
    except OSError:
        pass
