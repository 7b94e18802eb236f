"""Every question a review asks the disk, answered once and written down.

Discovery, configuration, the engine and ``--diff`` ask the disk through one ``Inputs``: what a
path is (``kind``), where it really is (``realpath``), what a folder holds (``scandir``), what a
file says (``read``), what ``git`` answers (``run``). Each answer is recorded as a *probe*, a
plain tuple; ``still_valid(probes)`` asks each question again, as cheaply as it can, and says
whether every answer would be the same. That is what lets the whole-review cache
(``slsreview.cache``) replay a review: same answers, same review.

    >>> inputs = Inputs()
    >>> data = inputs.read("/repo/template.yaml")
    >>> still_valid(inputs.probes())[0]
    True

A file is re-checked by its stat signature (device, inode, size, mtime, ctime, mode) and, when
that signature cannot be trusted, by a hash of its content. A signature cannot be trusted when
the file changed within ``RACY_NS`` of the moment it was recorded: a file system stamps times
in ticks (a jiffy on Linux, a second on ext3 and HFS+, two on FAT), and a second edit of the same
size in the same tick leaves the signature as it was (git calls such entries "racily clean").
Such a probe is checked by content until it is old enough; ``still_valid`` then hands back the
probe with a trusted signature, and the caller stores that, so the next check is a stat.

This module must stay light: the cache imports it before anything else on a warm run.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Iterable

try:  # the C module behind hashlib.blake2b, without hashlib's 2 ms of start-up
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always has it
    from hashlib import blake2b

TYPE_CHECKING = False  # not typing.TYPE_CHECKING: importing typing is a tenth of a warm run
if TYPE_CHECKING:
    from typing import Any

    Probe = tuple[Any, ...]  # a question and its answer, as plain data (marshal can store it)

# A signature recorded this close to the file's last change may miss a second change.
RACY_NS = 2_000_000_000

# kind answers: what the path is, following symlinks, and whether the last component is one
MISSING, FILE, DIR, OTHER = "missing", "file", "dir", "other"


def _digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=16).digest()


def _signature(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode)


def _racy(st: os.stat_result, now: int) -> bool:
    return max(st.st_mtime_ns, st.st_ctime_ns) >= now - RACY_NS


def _kind(path: str) -> str:
    try:
        st = os.lstat(path)
    except (OSError, ValueError):
        return MISSING
    prefix = ""
    if stat.S_ISLNK(st.st_mode):
        prefix = "link-"
        try:
            st = os.stat(path)
        except (OSError, ValueError):
            return "link-" + MISSING
    mode = st.st_mode
    return prefix + (FILE if stat.S_ISREG(mode) else DIR if stat.S_ISDIR(mode) else OTHER)


def _read(path: str, limit: int) -> tuple[bytes, tuple[int, ...], bool]:
    """(content, signature, racy) of a regular file. Opened non-blocking and checked with fstat
    first: a FIFO named like a template would otherwise block the review forever. The signature
    is taken before the content is read, so a change during the read shows as a change later."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        now = time.time_ns()
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise OSError(22, "not a regular file")
        chunks = []
        remaining = st.st_size + 1 if limit < 0 else limit
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20) if limit >= 0 else 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            if limit >= 0:
                remaining -= len(chunk)
        return b"".join(chunks), _signature(st), _racy(st, now)
    finally:
        os.close(fd)


def _error(exc: OSError) -> bytes:
    return b"E" + str(exc.errno or exc.strerror or type(exc).__name__).encode()


def _entry_kind(entry: os.DirEntry[str]) -> str:
    """What ``_kind`` would answer for the entry's path, mostly without a system call."""
    try:
        if entry.is_symlink():
            return _kind(entry.path)
        return DIR if entry.is_dir() else FILE if entry.is_file() else OTHER
    except OSError:
        return _kind(entry.path)


def _listing(path: str, skip: tuple[str, ...]) -> tuple[list[os.DirEntry[str]], bytes, dict[str, str]]:
    """A folder's entries sorted by name, a digest of their names and kinds, and the kinds by
    name. Folders named in ``skip`` (real folders, not symlinks) are left out: the caller never
    looks inside them, so their coming and going (a cache, ``node_modules``) changes nothing."""
    entries = sorted(os.scandir(path), key=lambda e: e.name)
    kinds = {}
    for entry in entries:
        kind = _entry_kind(entry)
        if kind == DIR and entry.name in skip:
            continue
        kinds[entry.name] = kind
    text = "\0\0".join(f"{name}\0{kind}" for name, kind in kinds.items())
    return entries, _digest(text.encode("utf-8", "surrogateescape")), kinds


def _has_links(kinds: dict[str, str]) -> bool:
    # a symlink's target can change without its folder changing: such a listing is re-read
    return any(kind.startswith("link-") for kind in kinds.values())


def _realpath(path: str, memo: dict[str, str]) -> str:
    """``os.path.realpath(path)`` for an absolute path, one ``lstat`` per component not yet in
    ``memo`` (realpath itself walks every component from the root, every time)."""
    answer = memo.get(path)
    if answer is not None:
        return answer
    folder, name = os.path.split(path)
    if folder == path:  # the root
        answer = path
    elif name in ("", ".", ".."):
        answer = os.path.realpath(path)
    else:
        answer = os.path.join(_realpath(folder, memo), name)
        try:
            if stat.S_ISLNK(os.lstat(answer).st_mode):
                answer = os.path.realpath(path)
        except (OSError, ValueError):
            pass  # realpath keeps a missing component as it is
    memo[path] = answer
    return answer


def _run(argv: tuple[str, ...], cwd: str, timeout: float) -> tuple[int, bytes, bytes]:
    import subprocess

    result = subprocess.run(list(argv), cwd=cwd, capture_output=True, check=False, timeout=timeout)
    return result.returncode, result.stdout, result.stderr


def _run_digest(returncode: int, stdout: bytes) -> bytes:
    return _digest(str(returncode).encode() + b"\0" + stdout)


def utf8_text(data: bytes) -> str:
    """What ``Path.read_text(encoding="utf-8")`` gives for these bytes (universal newlines)."""
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


def _absolute(path: str | os.PathLike[str]) -> str:
    text = os.fspath(path)
    # Not abspath: it drops "link/.." without asking the disk, the kernel does not.
    return text if os.path.isabs(text) else os.path.join(os.getcwd(), text)


class Inputs:
    """The disk as one review sees it. With ``record`` (the default) every answer is kept as a
    probe; answers to ``kind`` and ``realpath`` are remembered, so a run sees one consistent
    disk however often it asks. A read whose content differs from an earlier read of the same
    file marks the record ``unstable``: a review that saw a file change under it is not cached."""

    def __init__(self, record: bool = True) -> None:
        self.record = record
        self.unstable = False
        self._kinds: dict[str, str] = {}
        self._reals: dict[str, str] = {}
        self._real_memo: dict[str, str] = {}
        self._sizes: dict[str, int] = {}
        self._probes: dict[tuple[Any, ...], Probe] = {}
        self._asked: list[tuple[Any, ...]] = []  # every question in order, repeats too (for marks)
        # folder -> (names left out, kinds by name): what compaction reads
        self._listed: dict[str, tuple[frozenset[str], dict[str, str]]] = {}

    # -- questions --------------------------------------------------------------------------
    def kind(self, path: str | os.PathLike[str]) -> str:
        """``file``, ``dir``, ``other`` or ``missing``, following symlinks; ``link-`` before it
        when the path itself is a symlink."""
        key = _absolute(path)
        answer = self._kinds.get(key)
        if answer is None:
            answer = self._kinds[key] = _kind(key)
            self._note(("kind", key), ("kind", key, answer))
        elif self.record:
            self._asked.append(("kind", key))
        return answer

    def is_file(self, path: str | os.PathLike[str]) -> bool:
        return self.kind(path).endswith(FILE)

    def is_dir(self, path: str | os.PathLike[str]) -> bool:
        return self.kind(path).endswith(DIR)

    def exists(self, path: str | os.PathLike[str]) -> bool:
        return not self.kind(path).endswith(MISSING)

    def is_link(self, path: str | os.PathLike[str]) -> bool:
        return self.kind(path).startswith("link-")

    def realpath(self, path: str | os.PathLike[str]) -> str:
        """``os.path.realpath``, with one ``lstat`` per path component this run has not met."""
        key = _absolute(path)
        answer = self._reals.get(key)
        if answer is None:
            folder, name = os.path.split(key)
            if name in ("", ".", "..") or folder == key or self.is_link(key):
                answer = _realpath(key, self._real_memo)
            else:  # its own lstat is the kind's, asked once (import candidates: thousands)
                answer = os.path.join(_realpath(folder, self._real_memo), name)
            self._reals[key] = answer
            self._note(("real", key), ("real", key, answer))
        elif self.record:
            self._asked.append(("real", key))
        return answer

    def size(self, path: str | os.PathLike[str]) -> int:
        """The size of a file in bytes (``OSError`` when it cannot be stat'ed)."""
        key = _absolute(path)
        answer = self._sizes.get(key)
        if answer is None:
            try:
                answer = os.stat(key).st_size
            except OSError as exc:
                self._note(("size", key), ("size", key, -1))
                raise exc
            self._sizes[key] = answer
            self._note(("size", key), ("size", key, answer))
        elif self.record:
            self._asked.append(("size", key))
        return answer

    def read(self, path: str | os.PathLike[str], limit: int = -1) -> bytes:
        """The bytes of a regular file (at most ``limit`` of them when ``limit`` >= 0). Raises
        ``OSError`` for anything else; that answer is recorded too."""
        key = _absolute(path)
        try:
            data, signature, racy = _read(key, limit)
        except OSError as exc:
            self._note(("read", key, limit), ("read", key, limit, None, False, _error(exc)))
            raise
        if self.record:
            self._note(("read", key, limit), ("read", key, limit, signature, racy, _digest(data)))
        return data

    def scandir(self, path: str | os.PathLike[str], skip: Iterable[str] = ()) -> list[os.DirEntry[str]]:
        """A folder's entries, sorted by name (``OSError`` when it cannot be listed). Folders
        named in ``skip`` are returned but not recorded: the caller promises never to look in."""
        key = _absolute(path)
        skipped = tuple(sorted(skip))
        now = time.time_ns()
        try:
            st = os.stat(key)
            entries, digest, kinds = _listing(key, skipped)
        except OSError as exc:
            self._note(("list", key, skipped), ("list", key, skipped, None, False, _error(exc)))
            raise
        racy = _has_links(kinds) or _racy(st, now)
        self._note(("list", key, skipped), ("list", key, skipped, _signature(st), racy, digest))
        if self.record:
            self._listed.setdefault(key, (frozenset(skipped), kinds))
        return entries

    def run(
        self, argv: list[str], cwd: str | os.PathLike[str], timeout: float = 60, *, only_status: bool = False
    ) -> tuple[int, bytes, bytes]:
        """(returncode, stdout, stderr) of a command that only reads (``git ls-files``, ``git
        diff``). ``OSError`` or ``subprocess.SubprocessError`` when it cannot run. With
        ``only_status`` the caller promises to use the status alone (``git rev-parse --verify``)."""
        key = (tuple(argv), _absolute(cwd))
        try:
            returncode, stdout, stderr = _run(key[0], key[1], timeout)
        except Exception:
            self._note(("run", *key), ("run", key[0], key[1], timeout, only_status, b"E"))
            raise
        answer = _run_digest(returncode, b"" if only_status else stdout)
        self._note(("run", *key), ("run", key[0], key[1], timeout, only_status, answer))
        return returncode, stdout, stderr

    # -- the record -------------------------------------------------------------------------
    def _note(self, key: tuple[Any, ...], probe: Probe) -> None:
        if not self.record:
            return
        self._asked.append(key)
        old = self._probes.get(key)
        if old is not None and not _same_answer(old, probe):
            self.unstable = True
        self._probes.setdefault(key, probe)

    def mark(self) -> int:
        """A position in the record: ``probes(since=mark)`` is what was asked after it (asked
        again included, though answered from memory)."""
        return len(self._asked)

    def _since(self, since: int) -> dict[tuple[Any, ...], None]:
        return dict.fromkeys(self._asked[since:])

    def listings(self, since: int = 0) -> dict[str, tuple[frozenset[str], dict[str, str]]]:
        """The folders listed since ``since``, with what each held (for ``adopt``)."""
        asked = self._since(since)
        return {k: v for k, v in self._listed.items() if ("list", k, tuple(sorted(v[0]))) in asked}

    def adopt(self, probes: list[Probe], listings: dict[str, tuple[frozenset[str], dict[str, str]]]) -> None:
        """Take over the record of an earlier review's stage whose every probe was just found
        still valid (``still_valid``), as if this review had asked those questions itself."""
        if not self.record:
            return
        for probe in probes:
            key = _probe_key(probe)
            self._asked.append(key)
            self._probes.setdefault(key, probe)
        for folder, (skip, kinds) in listings.items():
            self._listed.setdefault(folder, (skip, kinds))

    def probes(self, since: int = 0) -> list[Probe]:
        """Everything asked so far, in the order first asked, less what a recorded folder
        listing already answers: the kind of a folder's entry (and of anything under an entry
        that is not there), and the real path of a path whose every component below a recorded
        real path is known not to be a symlink. A review asks thousands of such questions (each
        import and handler candidate); checking the listings answers them all at once."""
        implied: dict[str, str | None] = {}
        listed = self.listings(since) if since else self._listed

        def kind_of(path: str) -> str | None:
            """The kind of ``path`` as the listings tell it, or None when they do not."""
            if path in implied:
                return implied[path]
            answer: str | None = None
            cut = path.rfind("/")
            folder, name = path[:cut] or "/", path[cut + 1 :]
            if cut > 0 and name and name not in (".", "..") and ("//" not in path and "/./" not in path and "/../" not in path):
                listing = listed.get(folder)
                if listing is not None:
                    if name not in listing[0]:
                        answer = listing[1].get(name, MISSING)
                else:
                    above = kind_of(folder)
                    if above is not None and not above.endswith(DIR):
                        answer = MISSING  # under a missing path, or a file: missing too
            implied[path] = answer
            return answer

        tops: dict[str, str] = {}

        def anchor(path: str) -> str:
            """The nearest path at or above ``path`` whose real path the listings do not give."""
            top = tops.get(path)
            if top is None:
                kind = kind_of(path)
                top = path if kind is None or kind.startswith("link-") else anchor(path[: path.rfind("/")] or "/")
                tops[path] = top
            return top

        out: list[Probe] = []
        reals_out: set[str] = set()
        recorded = [self._probes[k] for k in self._since(since) if k in self._probes] if since else self._probes.values()
        for probe in recorded:
            what = probe[0]
            if what == "kind":
                if kind_of(probe[1]) == probe[2]:
                    continue
            elif what == "read":
                if probe[3] is None and probe[5] in (b"E2", b"E20") and kind_of(probe[1]) == MISSING:
                    continue
            elif what == "size":
                read = self._probes.get(("read", probe[1], -1))
                if read is not None and read[3] is not None and read[3][2] == probe[2]:
                    continue  # the read's signature has the size, and its content hash the rest
            elif what == "real":
                path = probe[1]
                if path in reals_out:
                    continue
                top = anchor(path)
                if top != path:
                    real = self._probes.get(("real", top)) or ("real", top, _realpath(top, self._real_memo))
                    if real[2].rstrip("/") + path[len(top) :] == probe[2]:
                        if top not in reals_out:
                            reals_out.add(top)
                            out.append(real)
                        continue
                reals_out.add(path)
            out.append(probe)
        return out

    def all_probes(self) -> list[Probe]:
        """Every probe, none left out (for tests of ``probes``)."""
        return list(self._probes.values())


def _probe_key(probe: Probe) -> tuple[Any, ...]:
    what = probe[0]
    if what in ("read", "list"):
        return probe[:3]
    if what == "run":
        return ("run", probe[1], probe[2])
    return probe[:2]


def _same_answer(old: Probe, new: Probe) -> bool:
    if old[0] == "read":
        return old[5] == new[5]
    if old[0] == "list":
        return old[5] == new[5]
    return old[-1] == new[-1]


def check(probe: Probe, memo: dict[str, str] | None = None) -> Probe | None:
    """Ask a probe's question again. The probe (refreshed when its signature became
    trustworthy) when the answer is the same; None when it changed. ``memo`` carries real
    paths between the checks of one pass."""
    what = probe[0]
    if what == "kind":
        return probe if _kind(probe[1]) == probe[2] else None
    if what == "read":
        _, path, limit, signature, racy, digest = probe
        if signature is not None and not racy:
            try:
                if _signature(os.stat(path)) == signature:
                    return probe
            except OSError:
                return None
        try:
            data, now_signature, now_racy = _read(path, limit)
        except OSError as exc:
            return probe if signature is None and _error(exc) == digest else None
        if signature is None or _digest(data) != digest:
            return None
        return ("read", path, limit, now_signature, now_racy, digest)
    if what == "list":
        _, path, skip, signature, racy, digest = probe
        now = time.time_ns()
        try:
            st = os.stat(path)
        except OSError as exc:
            return probe if signature is None and _error(exc) == digest else None
        if signature is not None and not racy and _signature(st) == signature:
            return probe
        try:
            _entries, now_digest, kinds = _listing(path, skip)
        except OSError:
            return None
        if signature is None or now_digest != digest:
            return None
        return ("list", path, skip, _signature(st), _has_links(kinds) or _racy(st, now), digest)
    if what == "real":
        return probe if _realpath(probe[1], {} if memo is None else memo) == probe[2] else None
    if what == "size":
        try:
            size = os.stat(probe[1]).st_size
        except OSError:
            size = -1
        return probe if size == probe[2] else None
    if what == "run":
        _, argv, cwd, timeout, only_status, digest = probe
        try:
            returncode, stdout, _stderr = _run(argv, cwd, timeout)
        except Exception:
            return probe if digest == b"E" else None
        return probe if _run_digest(returncode, b"" if only_status else stdout) == digest else None
    return None  # a probe of a kind this version does not know: never trust it


def answers(probes: list[Probe]) -> list[Probe]:
    """The probes without their stat signatures: the questions and their answers only, what a
    digest of the state they describe must be made of (a touched file, or a signature that
    became trustworthy, changes a signature but not an answer)."""
    return [(p[0], p[1], p[2], p[5]) if p[0] in ("read", "list") else p for p in probes]


def still_valid(probes: list[Probe]) -> tuple[bool, list[Probe]]:
    """Whether every probe still gets its recorded answer, and the probes with any racy
    signature that became trustworthy refreshed (so that the next check is a stat)."""
    out = []
    memo: dict[str, str] = {}
    for probe in probes:
        checked = check(probe, memo)
        if checked is None:
            return False, probes
        out.append(checked)
    return True, out
