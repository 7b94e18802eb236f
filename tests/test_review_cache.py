"""The whole-review cache (``slsreview/cache.py``, ``slsreview/inputs.py``): a replay is only ever
the report a fresh review would write.

The property test builds a small project (a SAM template with a Python and a Node function and
their local imports, a Worker with a package.json, a README, ``.gitignore`` files, a
configuration file), then applies a random sequence of edits, same-size edits (with the old
mtime put back, as a file system with one-second timestamps would leave it), renames,
deletions, new files, ``.gitignore`` and configuration changes, and ``git add``/``commit`` in a
git work tree, reviewing after each step with the cache and with ``--no-cache``: status,
stdout and stderr must be identical. Half the examples run with signatures always trusted
(and every write given a fresh mtime, so trusting them is right), so that the stat path is
tested as well as the content-hash path.

    pytest tests/test_review_cache.py
    SLSREVIEW_HYPOTHESIS_PROFILE=long pytest tests/test_review_cache.py   # 2,000 sequences
"""

from __future__ import annotations

import contextlib
import io
import marshal
import os
import pickle
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st

from slsreview import cache, inputs
from slsreview.cli import main
from tests.conftest import write_tree
from tests.hypothesis_profiles import load_chosen_profile

load_chosen_profile()

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/a/
      Runtime: {py}
      Handler: app.handler
      Events:
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt OrdersQueue.Arn{report}
  NotifyFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/b/
      Runtime: {node}
      Handler: index.{entry}
  OrdersQueue:
    Type: AWS::SQS::Queue
"""
REPORT = "\n            FunctionResponseTypes:\n              - ReportBatchItemFailures"

VARIANTS: dict[str, list[str | None]] = {
    "template.yaml": [
        TEMPLATE.format(py="python3.12", node="nodejs20.x", entry="handler", report=REPORT),
        TEMPLATE.format(py="python3.8", node="nodejs20.x", entry="handler", report=""),
        TEMPLATE.format(py="python3.12", node="nodejs16.x", entry="missing", report=REPORT),
        TEMPLATE.format(py="python3.12  # slsreview: ignore[SLS201] moving in OPS-1", node="nodejs16.x", entry="handler", report=""),
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: [unclosed\n",
    ],
    "src/a/app.py": [
        "from helpers import failures\n\n\ndef handler(event, context):\n    return {'batchItemFailures': failures(event)}\n",
        "def handler(event, context):\n    for record in event['Records']:\n        print(record)\n",
        "def main(event, context):\n    return None\n",
        "def handler(event, context)\n    return 1\n",
    ],
    "src/a/helpers.py": [
        "def failures(event):\n    return [{'itemIdentifier': r['messageId']} for r in event['Records']]\n",
        "def failures(event):\n    return []\n",
        "import os\n\nFAILED = os.environ.get('FAILED')\n",
    ],
    "src/b/index.mjs": [
        'import { send } from "./util.mjs";\nexport const handler = async (event) => send(event);\n',
        "export const handler = async (event) => ({ batchItemFailures: [] });\n",
        "export const other = async () => {\n",
    ],
    "src/b/util.mjs": [
        "export async function send(event) {\n  return { statusCode: 200 };\n}\n",
        "export async function send(event) {\n  return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };\n}\n",
    ],
    "worker/wrangler.toml": [
        'name = "edge"\nmain = "src/index.ts"\ncompatibility_date = "2026-01-01"\n',
        'name = "edge"\nmain = "src/index.ts"\n',
        'name = "edge"\n',
        'name = "edge"\nmain = "src/main.ts"\ncompatibility_date = "2026-01-01"\n[env.production]\nname = "edge-prod"\n',
    ],
    "worker/src/index.ts": [
        "export default { async fetch(request: Request): Promise<Response> { return new Response('ok'); } };\n",
        "export default { async fetch(request: Request) { return new Response(await request.text()) } \n",
    ],
    "worker/package.json": ['{"name": "edge", "scripts": {"build": "wrangler deploy --dry-run"}}\n', '{"name": "edge", "main": "dist/index.js"}\n', "{not json\n"],
    "README.md": [
        "# Orders\n\nRemove with `sam delete`.\n",
        "# Orders\n",
        "# Orders\n\nSee [the guide](docs/guide.md#removal) and [tests](src/a/test_app.py).\n",
    ],
    "docs/guide.md": ["# Guide\n\n## Removal\n\n`make delete`\n", "# Guide\n"],
    "Makefile": ["delete:\n\tsam delete --no-prompts\n", "build:\n\tsam build\n"],
    "events/sqs.json": ['{"Records": [{"messageId": "1", "body": "{}"}]}\n', '{"version": "2.0", "rawPath": "/"}\n'],
    "src/a/test_app.py": ["from app import handler\n\n\ndef test_handler():\n    assert handler({'Records': []}, None)\n"],
    "worker/.dev.vars": ['API_TOKEN="ghp_0123456789abcdefABCDEF0123456789abcd"\n', "API_TOKEN=changeme\n"],
    ".gitignore": ["", "src/b/\n", "worker/\n", "*.mjs\n", "src/b/*\n!src/b/util.mjs\n", "README.md\n"],
    "src/.gitignore": ["a/helpers.py\n", "b\n"],
    ".slsreview.toml": [
        "select = ['SLS2']\n",
        "ignore = ['SLS201']\n",
        "[tier]\nSLS202 = 'non-blocking'\n",
        "exclude = ['worker/**']\n",
        "today = '2020-01-01'\n",
        "cache = false\n",
        "max-file-size = 200\n",
        "[per-path-ignores]\n'src/**' = ['SLS202']\n",
        "select = ['nothing']\n",  # an error: exit 2, never cached
    ],
}
# paths a rename may move a file to: each changes what the review finds
RENAME_TARGETS = ["src/a/main.py", "src/c/app.py", "worker/src/main.ts", "docs/other.md", "template2.yaml", "src/b/util.js", "events/other-event.json"]
ALL_PATHS = sorted(set(VARIANTS) | set(RENAME_TARGETS))
OPTIONAL = {".slsreview.toml", "docs/guide.md", "Makefile", "events/sqs.json", "src/a/test_app.py", "worker/.dev.vars"}
BASE = {path: variants[0] for path, variants in VARIANTS.items() if path not in OPTIONAL}

COMMANDS = [
    ["check", "-f", "json", "--fail-on", "never"],
    ["check", ".", "--today", "2026-11-27"],
    ["check", "src", "template.yaml", "-f", "json", "--select", "SLS1,SLS2"],
    ["check", "-f", "markdown", "--ignore", "SLS204"],
]
DIFF_COMMAND = ["check", "-f", "json", "--diff", "HEAD"]

operations = st.one_of(
    st.tuples(st.just("write"), st.sampled_from(sorted(VARIANTS)), st.integers(0, 8)),
    st.tuples(st.just("flip"), st.sampled_from(ALL_PATHS), st.floats(0, 1), st.sampled_from("x1 #:'")),
    st.tuples(st.just("delete"), st.sampled_from(ALL_PATHS)),
    st.tuples(st.just("rename"), st.sampled_from(ALL_PATHS), st.sampled_from(ALL_PATHS)),
    st.tuples(st.just("noop")),
    st.tuples(st.just("git"), st.sampled_from(["add", "commit"])),
)


class Clock:
    """Fresh, strictly increasing mtimes, for the examples that trust signatures."""

    def __init__(self) -> None:
        self.now = 1_600_000_000_000_000_000

    def touch(self, path: Path) -> None:
        self.now += 1_000_000_000
        os.utime(path, ns=(self.now, self.now))


def review(root: Path, argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), pytest.raises(SystemExit) as exit_info:
            main(list(argv))
    finally:
        os.chdir(previous)
    return int(exit_info.value.code or 0), out.getvalue(), err.getvalue()


@contextlib.contextmanager
def counting_replays() -> Iterator[list[int]]:
    hits: list[int] = []
    real = cache.replay

    def counted(argv: Any) -> int | None:
        status = real(argv)
        if status is not None:
            hits.append(status)
        return status

    with mock.patch.object(cache, "replay", counted):
        yield hits


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, capture_output=True, check=False, timeout=30)


HAVE_GIT = shutil.which("git") is not None


@settings(deadline=None)
@given(
    steps=st.lists(st.tuples(operations, st.integers(0, len(COMMANDS) - 1)), min_size=1, max_size=8),
    trust_signatures=st.booleans(),
    in_git=st.booleans(),
    with_config=st.booleans(),
)
def test_a_cached_review_is_always_the_fresh_review(
    steps: list[tuple[tuple[Any, ...], int]], trust_signatures: bool, in_git: bool, with_config: bool
) -> None:
    in_git = in_git and HAVE_GIT
    clock = Clock()
    with tempfile.TemporaryDirectory() as folder, counting_replays() as hits, contextlib.ExitStack() as stack:
        root = Path(folder)
        write_tree(root, {k: v for k, v in BASE.items() if v is not None})
        if with_config:
            (root / ".slsreview.toml").write_text("ignore = ['SLS204']\n")
        if trust_signatures:
            stack.enter_context(mock.patch.object(inputs, "RACY_NS", -(10**30)))
            for path in sorted(root.rglob("*"), key=lambda p: -len(p.parts)):
                clock.touch(path)
            clock.touch(root)
        if in_git:
            git(root, "init", "-q")
            git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "start", "--allow-empty")
        commands = [*COMMANDS, DIFF_COMMAND] if in_git else COMMANDS
        committed = False

        def changed(path: Path) -> None:
            """After a write, rename or deletion: what a trusted signature must see."""
            if not trust_signatures:
                return
            if path.exists():
                clock.touch(path)
            parent = path.parent
            while parent != root.parent:
                if parent.exists():
                    clock.touch(parent)
                parent = parent.parent

        for (operation, command_index) in steps:
            kind = operation[0]
            if kind == "write":
                _, name, index = operation
                variants = VARIANTS[name]
                path = root / name
                path.parent.mkdir(parents=True, exist_ok=True)
                content = variants[index % len(variants)]
                assert content is not None
                path.write_text(content)
                changed(path)
            elif kind == "flip":
                _, name, where, char = operation
                path = root / name
                if path.is_file() and path.stat().st_size:
                    before = path.stat()
                    data = bytearray(path.read_bytes())
                    data[min(int(where * len(data)), len(data) - 1)] = ord(char)
                    path.write_bytes(bytes(data))
                    if trust_signatures:
                        changed(path)
                    else:  # a file system stamping whole seconds shows the old mtime
                        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
            elif kind == "delete":
                path = root / operation[1]
                if path.is_file():
                    path.unlink()
                    changed(path)
            elif kind == "rename":
                source, target = root / operation[1], root / operation[2]
                if source.is_file() and source != target:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(source, target)
                    changed(source)
                    changed(target)
            elif kind == "git" and in_git:
                if operation[1] == "add":
                    git(root, "add", "-A")
                else:
                    git(root, "add", "-A")
                    git(root, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "step")
                    committed = True
            argv = commands[command_index % len(commands)]
            if argv is DIFF_COMMAND and not committed:
                argv = COMMANDS[0]
            cached = review(root, argv)
            fresh = review(root, [*argv, "--no-cache"])
            note(f"{operation} then {' '.join(argv)}: cached exit {cached[0]}, fresh exit {fresh[0]}")
            assert cached == fresh
        # Nothing changed since the last review: the cache must answer, unless it is off.
        argv = COMMANDS[0]
        first = review(root, argv)
        replays = len(hits)
        second = review(root, argv)
        assert second == first == review(root, [*argv, "--no-cache"])
        config = root / ".slsreview.toml"
        cache_off = config.is_file() and "cache = false" in config.read_text(errors="replace")
        if first[0] != 2 and not cache_off:
            assert len(hits) == replays + 1, "an unchanged project was not answered from the cache"


# -- targeted cases ---------------------------------------------------------------------------

SAM = VARIANTS["template.yaml"][0]
assert isinstance(SAM, str)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"  # its parent is this test's own: a configuration may go there
    write_tree(root, {k: v for k, v in BASE.items() if v is not None})
    return root


def replayed(root: Path, argv: list[str]) -> tuple[bool, tuple[int, str, str]]:
    with counting_replays() as hits:
        result = review(root, argv)
    return bool(hits), result


ARGV = ["check", "-f", "json", "--fail-on", "never", "--today", "2026-11-27"]


def test_an_unchanged_review_is_replayed_without_running_the_engine(project: Path) -> None:
    first = review(project, ARGV)
    with mock.patch("slsreview.engine.review", side_effect=AssertionError("the review ran")):
        hit, again = replayed(project, ARGV)
    assert hit and again == first


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda r: (r / "src/a/app.py").write_text("def handler(e, c):\n    pass\n"), id="source"),
        pytest.param(lambda r: (r / "src/a/helpers.py").write_text("X = 1\n"), id="local-import"),
        pytest.param(lambda r: (r / "template.yaml").write_text(SAM.replace("python3.12", "python3.8")), id="template"),
        pytest.param(lambda r: (r / "worker/wrangler.toml").write_text('name = "edge"\n'), id="wrangler"),
        pytest.param(lambda r: (r / "worker/package.json").write_text('{"main": "x.js"}\n'), id="package-json"),
        pytest.param(lambda r: (r / "README.md").unlink(), id="readme-deleted"),
        pytest.param(lambda r: write_tree(r, {"docs/ops.md": "# Ops\n"}), id="docs-added"),
        pytest.param(lambda r: (r / ".gitignore").write_text("src/b/\n"), id="gitignore"),
        pytest.param(lambda r: (r / "src/.gitignore").write_text("b/\n"), id="nested-gitignore"),
        pytest.param(lambda r: (r / ".slsreview.toml").write_text("ignore = ['SLS202']\n"), id="config-created"),
        pytest.param(lambda r: (r.parent / ".slsreview.toml").write_text("ignore = ['SLS202']\n"), id="config-above"),
        pytest.param(lambda r: write_tree(r, {"src/b/extra.py": "x = 1\n"}), id="file-added"),
        pytest.param(lambda r: os.replace(r / "src/a/app.py", r / "src/a/main.py"), id="renamed"),
        pytest.param(lambda r: (r / "src/b/util.mjs").unlink(), id="deleted"),
        pytest.param(lambda r: write_tree(r, {"samconfig.toml": "version = 0.1\n"}), id="samconfig-added"),
        pytest.param(lambda r: write_tree(r, {"template2.yaml": SAM}), id="template-added"),
        pytest.param(lambda r: (r / "src/a/pyvenv.cfg").write_text("home = /usr\n"), id="virtualenv-marker"),
    ],
)
def test_each_kind_of_input_invalidates(project: Path, change: Any) -> None:
    review(project, ARGV)
    assert replayed(project, ARGV)[0]
    change(project)
    hit, after = replayed(project, ARGV)
    assert not hit and after == review(project, [*ARGV, "--no-cache"])


def test_options_and_the_report_destination_are_part_of_the_key(project: Path) -> None:
    review(project, ARGV)
    for argv in ([*ARGV, "--select", "SLS2"], [*ARGV[:-1], "2020-01-01"], ["check", "-f", "sarif"], [*ARGV, "-o", "out.json"]):
        hit, result = replayed(project, argv)
        assert not hit and result == review(project, [*argv, "--no-cache"])
    (project / "out.json").unlink()
    hit, _ = replayed(project, [*ARGV, "-o", "out.json"])
    assert hit and (project / "out.json").read_text() == review(project, ARGV)[1]


def test_a_baseline_and_confirmations_are_inputs(project: Path) -> None:
    (project / "base.txt").write_text("# nothing\n")
    argv = [*ARGV, "--baseline", "base.txt"]
    first = review(project, argv)
    assert replayed(project, argv)[0]
    fingerprints = "".join(f"{f['fingerprint']}  x\n" for f in __import__("json").loads(first[1])["findings"])
    (project / "base.txt").write_text(fingerprints)
    hit, after = replayed(project, argv)
    assert not hit and after == review(project, [*argv, "--no-cache"]) and after != first
    write_tree(project, {".slsreview/confirmations.toml": ""})
    assert not replayed(project, argv)[0]


def test_write_baseline_is_never_replayed(project: Path) -> None:
    argv = [*ARGV, "--write-baseline", "base.txt"]
    review(project, argv)
    (project / "base.txt").unlink()
    hit, (_, _, err) = replayed(project, argv)
    assert not hit and (project / "base.txt").is_file() and "recorded" in err


def test_the_real_date_is_not_replayed_on_another_day(project: Path) -> None:
    argv = ["check", "-f", "json"]
    review(project, argv)
    assert replayed(project, argv)[0]
    with mock.patch.object(cache, "today", return_value="2999-01-01"):
        assert not replayed(project, argv)[0]
    # a pinned date is the same review on any day
    review(project, ARGV)
    with mock.patch.object(cache, "today", return_value="2999-01-01"):
        assert replayed(project, ARGV)[0]


def test_a_same_size_edit_in_the_same_second_is_seen(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file system with coarse timestamps: the edit keeps the size and the mtime. Only the
    racy-signature rule (a signature recorded within RACY_NS of the file's change is checked by
    content) stands between this and a stale replay; without it the test fails."""
    monkeypatch.setattr(inputs, "_signature", lambda s: (s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns, s.st_mode))
    app = project / "src/a/app.py"
    app.write_text("def handler(event, context):\n    return 1\n")
    first = review(project, ARGV)
    before = app.stat()
    app.write_text("def handlex(event, context):\n    return 1\n")
    os.utime(app, ns=(before.st_atime_ns, before.st_mtime_ns))
    hit, after = replayed(project, ARGV)
    assert not hit and after != first and after == review(project, [*ARGV, "--no-cache"])
    # the same edit, had the signature been trusted, is exactly a stale replay
    monkeypatch.setattr(inputs, "RACY_NS", -(10**30))
    review(project, ARGV)
    app.write_text("def handler(event, context):\n    return 1\n")
    os.utime(app, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert replayed(project, ARGV)[0]  # stale: what RACY_NS exists to prevent


def test_an_old_signature_is_trusted_and_a_racy_one_settles(project: Path) -> None:
    review(project, ARGV)
    path = next((project / cache.CACHE_DIR / "reviews").iterdir())
    racy = [p for p in marshal.loads(cache.read_sealed(str(path)) or b"")[3] if p[0] == "read" and p[4]]
    assert racy  # the files were written a moment ago
    with mock.patch.object(inputs, "RACY_NS", 0):
        assert replayed(project, ARGV)[0]
    assert not [p for p in marshal.loads(cache.read_sealed(str(path)) or b"")[3] if p[0] == "read" and p[4] and str(project) in p[1]]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"\x00garbage" * 10, id="garbage"),
        pytest.param(lambda data: marshal.dumps((cache.ENTRY_VERSION, "other-key", None, [], None, "x", 0)), id="foreign"),
        pytest.param(lambda data: marshal.dumps((cache.ENTRY_VERSION + 1,)), id="future-version"),
        pytest.param(lambda data: marshal.dumps([1, 2, 3]), id="wrong-shape"),
        pytest.param(lambda data: marshal.dumps((cache.ENTRY_VERSION, None, None, [("what?", 1)], None, "x", 0)), id="unknown-probe"),
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(project: Path, damage: Any) -> None:
    first = review(project, ARGV)
    path = next((project / cache.CACHE_DIR / "reviews").iterdir())
    data = damage(cache.read_sealed(str(path)))
    if b"other-key" in data or b"what?" in data:  # a whole entry for the right file name but the wrong contents
        key = path.name
        data = (data.replace(b"other-key", key.encode()) if b"other-key" in data else
                marshal.dumps((cache.ENTRY_VERSION, key, None, [("what?", 1)], None, "stale", 0)))
    write_sealed(path, data)  # damaged behind a good seal: what decoding the entry must survive
    hit, again = replayed(project, ARGV)
    assert not hit and again == first
    assert replayed(project, ARGV)[0]  # rewritten by the run that ignored it


def write_sealed(path: Path, data: bytes) -> None:
    """An entry with this user's seal: damage the cache must survive, not a planted entry."""
    assert cache.write_sealed(str(path), data)


# -- trust: a review reads only the entries this user's key sealed ---------------------------


class RunsCode:
    """A pickle that runs code when it is loaded: it creates the file ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.marker), "w"))


@contextlib.contextmanager
def user_cache(folder: Path) -> Iterator[None]:
    """Run as a user whose cache folder (and so whose sealing key) is ``folder``."""
    with mock.patch.dict(os.environ, {"XDG_CACHE_HOME": str(folder)}), mock.patch.object(cache, "_secret", []):
        yield


def test_a_cache_shipped_in_the_reviewed_folder_is_never_loaded(project: Path, tmp_path: Path) -> None:
    """A pull request may commit a .slsreview_cache/: entries under the very names this review
    looks up (they are content hashes anyone can compute), sealed with the author's own key.
    Its pickles must never be loaded (they would run code), its review entry never replayed."""
    attacker, victim, marker = tmp_path / "attacker", tmp_path / "victim", tmp_path / "code-ran"
    with user_cache(attacker):
        review(project, ARGV)
        folder = project / cache.CACHE_DIR
        for entry in folder.rglob("*.pickle"):
            assert cache.write_sealed(str(entry), pickle.dumps(RunsCode(marker)))
        (entry_file,) = (folder / "reviews").iterdir()
        stored = list(marshal.loads(cache.read_sealed(str(entry_file)) or b""))
        stored[5], stored[6] = "FORGED: nothing to report\n", 0
        assert cache.write_sealed(str(entry_file), marshal.dumps(tuple(stored)))
        assert review(project, ARGV) == (0, "FORGED: nothing to report\n", "")  # the author's key opens it
    (project / "src/a/app.py").write_text("def handler(event, context):\n    print(event)\n")
    with user_cache(victim):
        fresh = review(project, [*ARGV, "--no-cache"])
        assert review(project, ARGV) == fresh and "FORGED" not in fresh[1]
        assert not marker.exists()
        assert replayed(project, ARGV) == (True, fresh)  # its own entries replace the planted ones
    with user_cache(attacker):  # the same planted pickles, opened by the key that sealed them
        review(project, ARGV)
    assert not marker.exists()  # rewritten by the victim's run: nothing planted is left


def test_the_key_is_made_once_and_kept_private(tmp_path: Path) -> None:
    with user_cache(tmp_path / "home-cache"):
        key_file = Path(cache.user_key_path())
        sealed = cache.seal("entry", b"data")
        assert sealed is not None and key_file.is_file() and len(key_file.read_bytes()) == 32
        assert key_file.stat().st_mode & 0o077 == 0
    with user_cache(tmp_path / "home-cache"):  # a later run: the same key, the same seal
        assert cache.seal("entry", b"data") == sealed and cache.seal("other", b"data") != sealed


def test_without_a_usable_key_the_review_runs_uncached(project: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    with user_cache(blocked):
        fresh = review(project, [*ARGV, "--no-cache"])
        assert review(project, ARGV) == fresh
        assert replayed(project, ARGV) == (False, fresh)
    assert not any((project / cache.CACHE_DIR).rglob("*.pickle"))


def test_a_key_inside_the_reviewed_folder_is_refused(project: Path) -> None:
    """A checkout whose HOME is the workspace could ship its own key with entries it sealed."""
    with user_cache(project / ".cache"):
        fresh = review(project, [*ARGV, "--no-cache"])
        assert review(project, ARGV) == fresh and replayed(project, ARGV) == (False, fresh)
        assert not (project / ".cache" / "slsreview" / "key").exists()


def test_an_unreadable_cache_folder_never_fails_a_review(project: Path) -> None:
    (project / cache.CACHE_DIR).write_text("not a folder")
    result = review(project, ARGV)
    assert result == review(project, [*ARGV, "--no-cache"])
    assert not replayed(project, ARGV)[0]


def test_git_discovery_is_asked_again(project: Path) -> None:
    if not HAVE_GIT:
        pytest.skip("git is not installed")
    git(project, "init", "-q")  # nothing added: every file is untracked, so excludes apply
    review(project, ARGV)
    assert replayed(project, ARGV)[0]
    (project / ".git" / "info").mkdir(parents=True, exist_ok=True)
    (project / ".git" / "info" / "exclude").write_text("src/b/\n")  # only git knows this one
    hit, after = replayed(project, ARGV)
    assert not hit and after == review(project, [*ARGV, "--no-cache"])


def test_diff_mode_asks_git_again(project: Path) -> None:
    if not HAVE_GIT:
        pytest.skip("git is not installed")
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "start")
    argv = [*ARGV, "--diff", "HEAD"]
    first = review(project, argv)
    assert replayed(project, argv)[0]
    git(project, "-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "empty", "--allow-empty")
    assert replayed(project, argv)[0]  # HEAD moved, the diff did not change
    (project / "template.yaml").write_text(SAM.replace("python3.12", "python3.8"))
    hit, after = replayed(project, argv)
    assert not hit and after != first and after == review(project, [*argv, "--no-cache"])


def test_a_rule_pack_edit_invalidates(project: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The code that reviews is an input: here a stand-in for an edited rule file."""
    extra = tmp_path_factory.mktemp("pack") / "rule.py"
    extra.write_text("# version 1\n")
    with mock.patch("slsreview.registry.pack_locations", return_value=[str(extra)]):
        review(project, ARGV)
        assert replayed(project, ARGV)[0]
        extra.write_text("# version 2\n")
        assert not replayed(project, ARGV)[0]


def test_probes_leave_out_only_what_a_listing_answers(tmp_path: Path) -> None:
    """Compaction never drops a question whose answer is not implied by a recorded listing."""
    write_tree(tmp_path, {"a/b/c.py": "x", "a/d.txt": "y"})
    os.symlink(tmp_path / "a" / "b", tmp_path / "a" / "link")
    recorder = inputs.Inputs()
    recorder.scandir(tmp_path / "a")
    for name in ("a/b/c.py", "a/d.txt", "a/missing.py", "a/missing/deeper.py", "a/link", "a/link/c.py", "zzz"):
        recorder.kind(tmp_path / name)
        recorder.realpath(tmp_path / name)
    kept = {(p[0], p[1]) for p in recorder.probes()}
    root = str(tmp_path)
    assert ("kind", f"{root}/a/d.txt") not in kept and ("kind", f"{root}/a/missing/deeper.py") not in kept
    assert ("kind", f"{root}/a/b/c.py") in kept  # a/b was not listed
    assert ("real", f"{root}/a/link") in kept and ("real", f"{root}/a/link/c.py") in kept
    assert ("kind", f"{root}/zzz") in kept  # its folder was not listed
    assert inputs.still_valid(recorder.probes())[0]
    (tmp_path / "a" / "missing.py").write_text("")
    assert not inputs.still_valid(recorder.probes())[0]


def test_the_analyser_fingerprint_covers_subpackages_and_data(tmp_path: Path) -> None:
    from slsreview.analysis.runner import ANALYSIS_CODE, analyser_fingerprint
    from slsreview.cache import code_fingerprint

    package = Path(__file__).resolve().parent.parent / "slsreview"
    assert analyser_fingerprint() == code_fingerprint(package, ANALYSIS_CODE)
    files = {
        "analysis/__init__.py": "",
        "analysis/javascript/calls.py": "A = 1\n",
        "analysis/python/values.py": "B = 1\n",
        "vocabulary/data/aws_operations.json": "{}\n",
        "vocabulary/aws.py": "",
        "location.py": "",
        "languages.py": "",
        "reporters/text.py": "",
    }
    write_tree(tmp_path, files)
    before = code_fingerprint(tmp_path, ANALYSIS_CODE)
    write_tree(tmp_path, {"analysis/javascript/__pycache__/calls.cpython-311.pyc": b"\0", "reporters/text.py": "X = 2\n"})
    assert code_fingerprint(tmp_path, ANALYSIS_CODE) == before  # bytecode and other layers do not count
    for name in ("analysis/javascript/calls.py", "analysis/python/values.py", "vocabulary/data/aws_operations.json", "location.py"):
        write_tree(tmp_path, {name: "changed\n"})
        after = code_fingerprint(tmp_path, ANALYSIS_CODE)
        assert after != before, name
        before = after
    write_tree(tmp_path, {"vocabulary/data/new_table.json": "[]\n"})
    assert code_fingerprint(tmp_path, ANALYSIS_CODE) != before


def test_rule_packs_are_found_as_importlib_metadata_finds_them() -> None:
    from importlib.metadata import entry_points

    from slsreview.registry import GROUP, pack_entry_points

    ours = sorted((ep.name, ep.value) for ep in pack_entry_points())
    assert ours == sorted((ep.name, ep.value) for ep in entry_points(group=GROUP)) and ours


def test_a_damaged_configuration_cache_entry_is_recomputed(project: Path) -> None:
    first = review(project, [*ARGV, "-f", "text"])
    entries = list((project / cache.CACHE_DIR / "configs").rglob("*.pickle"))
    assert entries
    for entry in entries:
        write_sealed(entry, (cache.read_sealed(str(entry)) or b"")[:10])  # truncated behind its seal
    (project / "README.md").write_text("# Orders, again\n")  # the replay must not hide the test
    assert review(project, [*ARGV, "-f", "text"]) == review(project, [*ARGV, "-f", "text", "--no-cache"]) != ()
    assert first[0] == review(project, [*ARGV, "-f", "text"])[0]


@contextlib.contextmanager
def counting_model_restores() -> Iterator[list[bool]]:
    from slsreview import engine

    seen: list[bool] = []
    real = engine._Run.restore_model

    def counted(self: Any, paths: Any) -> bool:
        restored = real(self, paths)
        seen.append(restored)
        return restored

    with mock.patch.object(engine._Run, "restore_model", counted):
        yield seen


def test_a_changed_handler_reuses_the_model_and_a_changed_template_does_not(project: Path) -> None:
    review(project, ARGV)
    (project / "src/a/app.py").write_text("def handler(event, context):\n    return None\n")
    with counting_model_restores() as restores:
        after = review(project, ARGV)
    assert restores == [True] and after == review(project, [*ARGV, "--no-cache"])
    (project / "template.yaml").write_text(SAM.replace("python3.12", "python3.8"))
    with counting_model_restores() as restores:
        after = review(project, ARGV)
    assert restores == [False] and after == review(project, [*ARGV, "--no-cache"])


def test_a_damaged_model_entry_is_ignored(project: Path) -> None:
    first = review(project, ARGV)
    for entry in (project / cache.CACHE_DIR / "models").rglob("*.pickle"):
        write_sealed(entry, b"\x80\x05garbage")
    (project / "src/a/app.py").write_text("def handler(event, context):\n    return None\n")
    with counting_model_restores() as restores:
        after = review(project, ARGV)
    assert restores == [False] and after == review(project, [*ARGV, "--no-cache"]) and after != first


def test_concurrent_runs_sharing_the_cache_agree(project: Path) -> None:
    """Cold, warm and after an edit, three runs at once: every report is the fresh one."""
    import sys

    command = [sys.executable, "-m", "slsreview", *ARGV]

    def together() -> set[bytes]:
        runs = [subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE) for _ in range(3)]
        return {run.communicate(timeout=120)[0] for run in runs}

    fresh = subprocess.run([*command, "--no-cache"], cwd=project, capture_output=True, timeout=120).stdout
    assert together() == {fresh}
    assert together() == {fresh}
    (project / "src/a/app.py").write_text("def handler(event, context):\n    return None\n")
    fresh = subprocess.run([*command, "--no-cache"], cwd=project, capture_output=True, timeout=120).stdout
    assert together() == {fresh}
    assert together() == {fresh}


def test_secret_scans_are_cached_without_the_secrets(project: Path) -> None:
    token = "ghp_" + "a1B2c3D4" * 4 + "e5F6g7H8"
    (project / "src/a/app.py").write_text(f'TOKEN = "{token}"\n\n\ndef handler(event, context):\n    return TOKEN\n')
    (project / "worker/wrangler.toml").write_text(f'name = "edge"\nmain = "src/index.ts"\ncompatibility_date = "2026-01-01"\n[vars]\nGITHUB = "{token}"\n')
    first = review(project, ARGV)
    assert "SLS301" in first[1] and token not in first[1]
    (project / "README.md").write_text("# Orders, edited\n")  # not replayed: the scans come from the cache
    after = review(project, ARGV)
    assert after == review(project, [*ARGV, "--no-cache"]) and after[1].count("SLS301") == first[1].count("SLS301")
    stored = b"".join(p.read_bytes() for p in (project / cache.CACHE_DIR / "secrets").rglob("*.pickle"))
    assert stored and token.encode() not in stored
    # nor do the findings kept with the rule results (their messages are masked)
    results = b"".join(p.read_bytes() for p in (project / cache.CACHE_DIR / "results").rglob("*.pickle"))
    assert b"SLS301" in results and token.encode() not in results


# -- rule results, replayed per call (slsreview/results.py) ---------------------------------


@contextlib.contextmanager
def counting_rule_calls() -> Iterator[tuple[list[Any], list[str]]]:
    """The rule calls the engine ran rather than replayed, and the files whose facts it loaded."""
    from slsreview import engine, results

    ran: list[Any] = []
    loaded: list[str] = []
    replay, file_facts = results.Results.replay, engine._Run.file_facts

    def counted(self: Any, ref: Any, current: Any) -> Any:
        found = replay(self, ref, current)
        if found is None:
            ran.append(ref)
        return found

    def loading(self: Any, path: str) -> Any:
        if path not in self.facts:
            loaded.append(path)
        return file_facts(self, path)

    with mock.patch.object(results.Results, "replay", counted), mock.patch.object(engine._Run, "file_facts", loading):
        yield ran, loaded


def test_a_changed_handler_reruns_only_the_rules_that_read_it(project: Path) -> None:
    with counting_rule_calls() as (cold, _):
        review(project, ARGV)
    (project / "src/b/util.mjs").write_text(VARIANTS["src/b/util.mjs"][1] or "")
    with counting_rule_calls() as (ran, loaded):
        after = review(project, ARGV)
    assert after == review(project, [*ARGV, "--no-cache"])
    # NotifyFunction (src/b) changed; OrdersFunction (src/a) did not, nor did the Worker
    units = {ref for _, ref in ran}
    assert ("function", 1) in units and ("function", 0) not in units and ("worker", 0) not in units
    assert ("project",) in units  # the rules that look at every function at once run again...
    assert not any(path.startswith("src/a/") for path in loaded)  # ...on answers kept for the rest
    assert len(ran) < len(cold) / 3


def test_a_changed_template_reruns_every_rule(project: Path) -> None:
    review(project, ARGV)
    (project / "template.yaml").write_text(SAM.replace("nodejs20.x", "nodejs18.x"))
    with counting_rule_calls() as (ran, _):
        after = review(project, ARGV)
    assert after == review(project, [*ARGV, "--no-cache"])
    assert ("SLS101", ("function", 0)) in ran and ("SLS101", ("worker", 0)) in ran


def test_a_kept_answer_follows_the_content_it_was_given_for(project: Path) -> None:
    """Two functions run one handler file; editing it must change both functions' findings."""
    shared = SAM.replace("CodeUri: src/b/", "CodeUri: src/a/").replace("Handler: index.handler", "Handler: app.handler")
    (project / "template.yaml").write_text(shared)
    (project / "src/a/app.py").write_text("def handler(event, context):\n    return None\n")
    first = review(project, ARGV)
    (project / "src/a/app.py").write_text("def handler(event, context):\n    print(event)\n    return None\n")
    after = review(project, ARGV)
    assert after == review(project, [*ARGV, "--no-cache"]) and "SLS305" in after[1] and "SLS305" not in first[1]
    (project / "src/a/app.py").write_text("def handler(event, context):\n    return None\n")
    assert review(project, ARGV) == first


def test_a_damaged_results_entry_is_ignored(project: Path) -> None:
    review(project, ARGV)
    entries = list((project / cache.CACHE_DIR / "results").rglob("*.pickle"))
    assert entries
    for entry in entries:
        write_sealed(entry, b"\x80\x05garbage")
    (project / "src/a/app.py").write_text("def handler(event, context):\n    return None\n")
    assert review(project, ARGV) == review(project, [*ARGV, "--no-cache"])


# Handler-only edits leave the model as it was: every change then goes through the per-call
# replay of rule results and the kept answers, the layer a stale replay would come from.
HANDLERS_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/a/
      Runtime: python3.12
      Handler: app.handler
      Environment:
        Variables:
          TABLE: orders
          API_KEY: "{{resolve:secretsmanager:api}}"
      Events:
        Queue:
          Type: SQS
          Properties:
            Queue: !GetAtt OrdersQueue.Arn
  AuditFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/a/
      Runtime: python3.12
      Handler: audit.handler
      Events:
        Api:
          Type: Api
          Properties:
            Path: /audit
            Method: post
  NotifyFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/b/
      Runtime: nodejs20.x
      Handler: index.handler
      Events:
        Api:
          Type: HttpApi
          Properties:
            Path: /notify
            Method: post
  OrdersQueue:
    Type: AWS::SQS::Queue
"""
HANDLER_VARIANTS: dict[str, list[str]] = {
    "src/a/app.py": [
        "from shared import save\n\n\ndef handler(event, context):\n    for record in event['Records']:\n        save(record)\n",
        "import json\n\n\ndef handler(event, context):\n    print(event)\n    return json.loads(event['Records'][0]['body'])\n",
        "import os\nfrom shared import save\n\n\ndef handler(event, context):\n    print(os.environ['API_KEY'])\n    save(event)\n",
        "def handler(event, context):\n    return None\n",
    ],
    "src/a/audit.py": [
        "from shared import save\n\n\ndef handler(event, context):\n    save(event)\n    return {'statusCode': 200}\n",
        "import json\nimport requests\n\n\ndef handler(event, context):\n    body = json.loads(event['body'])\n    requests.post('https://x.example', json=body)\n    print(body['email'])\n",
        "def handler(event, context):\n    if event['headers'].get('x-token') == 'abc':\n        return {'statusCode': 200}\n",
    ],
    "src/a/shared.py": [
        "import uuid\nimport boto3\n\nTABLE = boto3.resource('dynamodb').Table('orders')\n\n\ndef save(item):\n    TABLE.put_item(Item={'pk': str(uuid.uuid4()), 'v': item})\n",
        "import boto3\n\nTABLE = boto3.resource('dynamodb').Table('orders')\n\n\ndef save(item):\n    TABLE.put_item(Item={'pk': item['id']}, ConditionExpression='attribute_not_exists(pk)')\n",
        "def save(item):\n    print(item)\n",
    ],
    "src/b/index.mjs": [
        'import { randomUUID } from "node:crypto";\nexport const handler = async (event) => {\n  const body = JSON.parse(event.body);\n  await fetch("https://x.example", { method: "POST", body: JSON.stringify({ id: randomUUID(), body }) });\n  return { statusCode: 200 };\n};\n',
        'export const handler = async (event) => {\n  console.log(event);\n  return { statusCode: 200, headers: { "Access-Control-Allow-Origin": "*" } };\n};\n',
        "export const handler = async () => ({ statusCode: 204 });\n",
    ],
}


@settings(deadline=None)
@given(steps=st.lists(st.tuples(st.sampled_from(sorted(HANDLER_VARIANTS)), st.integers(0, 3)), min_size=1, max_size=6))
def test_handler_edits_are_never_answered_from_stale_rule_results(steps: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_tree(root, {"template.yaml": HANDLERS_TEMPLATE, **{p: v[0] for p, v in HANDLER_VARIANTS.items()}})
        review(root, ARGV)
        for path, index in steps:
            variants = HANDLER_VARIANTS[path]
            (root / path).write_text(variants[index % len(variants)])
            cached = review(root, ARGV)
            note(f"{path} <- variant {index % len(variants)}")
            assert cached == review(root, [*ARGV, "--no-cache"])
