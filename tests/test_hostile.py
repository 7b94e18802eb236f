"""Hostile inputs through the real command line, each bounded in wall time and peak memory.

Every case runs ``python -m slsreview check . -f json --no-cache`` in a subprocess, started from
a fresh small wrapper process (as ``bench/run.py`` does) so that the wrapper's
``RUSAGE_CHILDREN`` peak is this one run's peak and nothing else's. A crash of the interpreter,
a hang (killed at the timeout), a traceback or an internal error fails the test.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import write_tree

ROOT = Path(__file__).resolve().parent.parent
CLI = [sys.executable, "-m", "slsreview", "check", ".", "-f", "json", "--no-cache"]
CLI_TEXT = [*CLI[:5], "-f", "text", "--no-cache"]  # the text report lists what was not reviewed
PEAK_MIB = 300  # the memory bound every run must stay under
SECONDS = 20.0  # the wall-time bound of every run (most take about one second)

TEMPLATE_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nTransform: AWS::Serverless-2016-10-31\n'

# The wrapper: runs the command in its own session (so a timeout kills pool workers too) and
# reports the exit status, wall time and the peak resident memory of the process tree it waited
# for, as JSON on stdout. Output goes to files, so a huge report cannot fill a pipe.
_WRAPPER = textwrap.dedent(
    """
    import json, os, resource, signal, subprocess, sys, time
    out, err, timeout, argv = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:]
    start = time.perf_counter()
    with open(out, "wb") as o, open(err, "wb") as e:
        child = subprocess.Popen(argv, stdout=o, stderr=e, stdin=subprocess.DEVNULL, start_new_session=True)
        try:
            code = child.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            code = "timeout"
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"code": code, "seconds": seconds, "peak_mib": peak}))
    """
)


@dataclass
class Run:
    code: int | str
    seconds: float
    peak_mib: float
    stdout: str
    stderr: str

    @property
    def report(self) -> dict[str, Any]:
        return json.loads(self.stdout)

    def findings(self, path: str | None = None, category: str | None = None) -> list[dict[str, Any]]:
        return [
            f
            for f in self.report["findings"]
            if (path is None or f["path"] == path) and (category is None or f["category"] == category)
        ]


def run_cli(
    root: Path,
    *extra: str,
    command: list[str] | None = None,
    timeout: float = SECONDS,
    preexec: Callable[[], None] | None = None,
) -> Run:
    """One bounded, measured run of the command line in ``root``. Asserts the common promises:
    it finished, exit 0 or 1 (2 only for usage errors, which these tests never make), no
    traceback, no internal error, memory and time within bounds."""
    argv = [*(command or CLI), *extra]
    out, err = root.parent / f".{root.name}.out", root.parent / f".{root.name}.err"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SLSREVIEW_DEBUG", None)
    probe = subprocess.run(
        # -P: the wrapper runs in the reviewed folder and must not import its json.py either
        [sys.executable, "-P", "-c", _WRAPPER, str(out), str(err), str(timeout), *argv],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        preexec_fn=preexec,
        timeout=timeout + 30,
    )
    stats = json.loads(probe.stdout)
    run = Run(stats["code"], stats["seconds"], stats["peak_mib"], out.read_text("utf-8"), err.read_text("utf-8"))
    out.unlink()
    err.unlink()
    assert run.code != "timeout", f"{' '.join(argv)} did not finish within {timeout:.0f} s"
    assert run.code in (0, 1), f"exit {run.code}; stderr:\n{run.stderr[-3000:]}"
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr[-3000:]
    assert run.seconds < timeout, f"{run.seconds:.1f} s"
    assert run.peak_mib < PEAK_MIB, f"peak memory {run.peak_mib:.0f} MiB"
    assert "please report this" not in run.stdout, run.stdout[-3000:]  # a rule or analyser crashed
    if "-f" in argv and argv[argv.index("-f") + 1] == "json":
        for finding in run.report["findings"]:
            assert "please report this" not in finding["message"], finding
            assert "\n" not in finding["message"], finding
    return run


def functions_reviewed(text_report: str) -> int:
    """The function count on the last line of a text report."""
    match = re.search(r"(\d+) functions? reviewed\)$", text_report.strip())
    assert match, text_report[-500:]
    return int(match.group(1))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    return root


def function_template(handler: str = "app.handler", runtime: str = "python3.12", extra: str = "") -> str:
    return TEMPLATE_HEAD + textwrap.dedent(
        f"""\
        Resources:
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Handler: {handler}
              Runtime: {runtime}
              Timeout: 30
              Events:
                Jobs:
                  Type: SQS
                  Properties:
                    Queue: !GetAtt Jobs.Arn
          Jobs:
            Type: AWS::SQS::Queue
        """
    ) + extra


HANDLER = "def handler(event, context):\n    print(event)\n    return {'statusCode': 200}\n"


# -- bombs and sizes -----------------------------------------------------------------------------


def test_billion_laughs_fails_fast_with_one_finding(project: Path) -> None:
    lines = [TEMPLATE_HEAD.rstrip("\n"), "Metadata:", '  l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, 10):
        lines.append(f"  l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    lines.append("Resources: {Q: {Type: AWS::SQS::Queue, Properties: {Tags: *l9}}}")
    write_tree(project, {"template.yaml": "\n".join(lines) + "\n"})
    run = run_cli(project, timeout=10)
    (finding,) = run.findings("template.yaml")
    assert finding["category"] == "parse" and "expands to more than 2,000,000 values" in finding["message"]
    assert run.seconds < 5 and run.peak_mib < 150


def test_thirty_levels_of_top_level_aliases_fail_fast(project: Path) -> None:
    # 9**30 values if expanded; the anchors are top-level keys, not inside any resource
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", 'a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 30)]
    write_tree(project, {"template.yaml": "\n".join(lines) + "\n"})
    run = run_cli(project, timeout=10)
    (finding,) = run.findings("template.yaml")
    assert "alias expansion" in finding["message"]
    assert run.seconds < 5 and run.peak_mib < 150


def test_aliases_expanding_just_under_the_bound_stay_fast(project: Path) -> None:
    """1.8 million values reachable through aliases (below MAX_NODES), read by every rule that
    walks Environment, Tags and Policies: the values are shared, never copied, and no rule
    walks them exponentially."""
    lines = [TEMPLATE_HEAD.rstrip("\n"), "Metadata:", "  l0: &l0 [a, b, c, d, e, f, g, h, i, j, k, l]"]
    for level in range(1, 5):
        lines.append(f"  l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 12) + "]")
    lines.append("  l5: [*l4, *l4, *l4, *l4]")
    body = function_template(
        extra="  Other:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n"
        "      Runtime: python3.12\n      Environment: {Variables: {BIG: *l4}}\n      Tags: {X: *l3}\n"
        "      Policies: [{Statement: *l4}]\n      Events: {Api: {Type: Api, Properties: *l3}}\n",
    ).removeprefix(TEMPLATE_HEAD)
    write_tree(project, {"template.yaml": "\n".join(lines) + "\n" + body, "app.py": HANDLER})
    run = run_cli(project, timeout=15)
    assert run.report["summary"]["functions"] == 2
    assert run.seconds < 10


def _write_big(path: Path, head: str, line: str, size: int) -> None:
    """Write a file of about ``size`` bytes without holding it in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    chunk = (line * (1024 * 1024 // len(line) + 1)).encode()
    with open(path, "wb") as handle:
        handle.write(head.encode())
        written = len(head)
        while written < size:
            handle.write(chunk)
            written += len(chunk)


def test_50_megabyte_files_are_refused_unread(project: Path) -> None:
    """A 50 MB template, a 50 MB handler and a 50 MB wrangler.toml: one "too large" line each,
    in seconds, without ever reading them (the peak memory stays near an ordinary run's)."""
    size = 50 * 1024 * 1024
    _write_big(project / "big" / "template.yaml", TEMPLATE_HEAD + "Resources:\n",
               "  Q{}:\n    Type: AWS::SQS::Queue\n".replace("{}", "x" * 8), size)
    write_tree(project, {"svc/template.yaml": function_template(), "svc/requirements.txt": ""})
    _write_big(project / "svc" / "app.py", HANDLER, "x = 'padding padding padding padding padding'\n", size)
    _write_big(project / "worker" / "wrangler.toml", 'name = "w"\nmain = "index.js"\n', "# padding padding padding\n", size)
    write_tree(project, {"worker/index.js": "export default { fetch() { return new Response('ok') } }\n"})
    run = run_cli(project, timeout=15)
    too_large = {f["path"]: f for f in run.report["findings"] if "limit (max-file-size)" in f["message"]}
    assert set(too_large) == {"big/template.yaml", "svc/app.py", "worker/wrangler.toml"}
    for finding in too_large.values():
        assert finding["category"] == "parse" and finding["line"] == 1
        assert "MiB, over the 1.0 MiB limit" in finding["message"]
    assert run.seconds < 8
    assert run.peak_mib < 120, f"{run.peak_mib:.0f} MiB: was a 50 MB file read?"


def test_ten_thousand_files_in_one_folder(project: Path) -> None:
    folder = project / "many"
    folder.mkdir()
    suffixes = (".py", ".json", ".yaml", ".txt", ".mjs")
    seeds = {suffix: project.parent / f"seed{suffix}" for suffix in suffixes}
    for suffix, seed in seeds.items():
        seed.write_text("{}\n" if suffix in (".json", ".yaml") else "x = 1\n")
    for i in range(10_000):
        # hard links: 10,000 regular files to discover and sniff, made in a fraction of a second
        # (writing 10,000 new files takes this machine's file system several seconds)
        os.link(seeds[suffixes[i % 5]], folder / f"f{i:05d}{suffixes[i % 5]}")
    write_tree(project, {"template.yaml": function_template(handler="many/app.handler"), "many/app.py": HANDLER})
    run = run_cli(project, timeout=30)
    assert run.report["summary"]["functions"] == 1
    assert run.seconds < 15


# -- the file system -----------------------------------------------------------------------------


def _git_init(root: Path) -> None:
    """Make ``root`` a git work tree (discovery then asks git which files exist)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)


@pytest.mark.parametrize("repository", [False, True], ids=["folder", "git"])
def test_symlink_loops_are_not_followed(project: Path, repository: bool) -> None:
    write_tree(project, {"template.yaml": function_template(), "app.py": HANDLER, "a/b/keep.py": "x = 1\n"})
    (project / "a" / "b" / "up").symlink_to(project / "a")  # a directory loop
    (project / "a" / "self.yaml").symlink_to(project / "a" / "self.yaml")  # a link to itself
    (project / "x.yaml").symlink_to(project / "y.yaml")  # two links to each other
    (project / "y.yaml").symlink_to(project / "x.yaml")
    (project / "gone.py").symlink_to(project / "nowhere.py")  # dangling
    if repository:
        _git_init(project)
    text = run_cli(project, command=CLI_TEXT, timeout=10).stdout
    assert functions_reviewed(text) == 1
    if not repository:  # git lists a link, never what is behind it: nothing to loop round
        assert "a/b/up: symlink loop, not followed" in text
    for name in ("a/self.yaml", "x.yaml", "y.yaml", "gone.py"):
        assert f"{name}: a symlink that leads nowhere (dangling, or a loop), not read" in text


@pytest.mark.parametrize("repository", [False, True], ids=["folder", "git"])
def test_symlinks_out_of_the_reviewed_folder_are_not_followed_and_are_mentioned(
    tmp_path: Path, project: Path, repository: bool
) -> None:
    outside = tmp_path / "outside"
    write_tree(outside, {"template.yaml": function_template(), "app.py": HANDLER, "secret.py": "TOKEN = 'x'\n"})
    write_tree(project, {"README.md": "# nothing here\n"})
    (project / "linked").symlink_to(outside)
    (project / "template.yaml").symlink_to(outside / "template.yaml")
    if repository:
        _git_init(project)
    text = run_cli(project, command=CLI_TEXT, timeout=10).stdout
    assert "Nothing was reviewed" in text and functions_reviewed(text) == 0
    assert "linked: symlink out of the reviewed folder, not followed" in text
    assert "template.yaml: symlink out of the reviewed folder, not followed" in text


def _without_file_permission_override() -> None:
    """As root, drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set, so that the
    command run next honours file modes as any user would (prctl PR_CAPBSET_DROP)."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def _can_drop_permission_override(folder: Path) -> bool:
    probe = folder / ".probe"
    probe.write_text("x")
    probe.chmod(0)
    try:
        result = subprocess.run(
            [sys.executable, "-c", f"open({str(probe)!r}).read()"],
            preexec_fn=_without_file_permission_override,
            capture_output=True,
            check=False,
        )
        return result.returncode != 0
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        probe.unlink()


def test_unreadable_files_and_folders_get_one_clear_line(tmp_path: Path, project: Path) -> None:
    write_tree(project, {
        "svc/template.yaml": function_template(),
        "svc/app.py": HANDLER,
        "locked/template.yaml": function_template(),
        "other/template.yaml": function_template(),
    })
    preexec = None
    if os.geteuid() == 0:
        if not _can_drop_permission_override(tmp_path):
            pytest.skip("running as root without CAP_SETPCAP: file modes cannot be enforced")
        preexec = _without_file_permission_override
    (project / "svc" / "app.py").chmod(0)  # a handler the template names
    (project / "other" / "template.yaml").chmod(0)  # a template
    (project / "locked").chmod(0)  # a folder
    try:
        text = run_cli(project, command=CLI_TEXT, timeout=10, preexec=preexec).stdout
    finally:
        (project / "locked").chmod(0o755)
        (project / "other" / "template.yaml").chmod(0o644)
        (project / "svc" / "app.py").chmod(0o644)
    assert "svc/app.py:1:1: SLS001 [blocking] cannot be read: Permission denied\n" in text
    assert "locked: cannot be read (Permission denied)" in text
    assert "other/template.yaml: cannot be read (Permission denied)" in text


@pytest.mark.parametrize("repository", [False, True], ids=["folder", "git"])
def test_fifos_sockets_and_devices_are_never_opened(project: Path, repository: bool) -> None:
    """Opening a FIFO for reading blocks forever: one named like a template, a handler, a
    .gitignore or a configuration file must be passed over, not read. (A FIFO .gitignore used
    to hang the review.)"""
    write_tree(project, {"template.yaml": function_template(handler="src/app.handler")})
    if repository:
        _git_init(project)
    (project / "src").mkdir()
    os.mkfifo(project / "src" / "app.py")
    os.mkfifo(project / "wrangler.toml")
    os.mkfifo(project / "other.template")
    for name in ("pyproject.toml", ".slsreview.toml", "slsreview.confirmations.toml"):
        os.mkfifo(project / name)
    if not repository:
        # git itself blocks on a FIFO .gitignore (`git status` too; a clone never holds one),
        # so only the walk outside a repository can be asked to pass over one
        os.mkfifo(project / ".gitignore")
        os.mkfifo(project / "src" / ".gitignore")
    (project / "dev.yaml").symlink_to("/dev/zero")
    (project / "tty.json").symlink_to("/dev/tty")
    server = socket.socket(socket.AF_UNIX)
    with contextlib.suppress(OSError):  # a path too long for a socket: the FIFOs make the point
        server.bind(str(project / "sock.yaml"))
    try:
        text = run_cli(project, command=CLI_TEXT, timeout=15).stdout
    finally:
        server.close()
    assert functions_reviewed(text) == 1
    if not repository:  # git lists no FIFO at all; the walk sees them and says so
        for name in ("src/app.py", "wrangler.toml", "other.template"):
            assert f"{name}: not a regular file, not read" in text


# -- templates cfn-lint crashed on, and duplicate keys ---------------------------------------------


def test_empty_sections_and_duplicate_keys(project: Path) -> None:
    write_tree(project, {
        "empty-resources/template.yaml": TEMPLATE_HEAD + "Resources:\n",
        "empty-parameters/template.yaml": TEMPLATE_HEAD + "Parameters:\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n",
        "empty-everything/template.yaml": TEMPLATE_HEAD + "Parameters:\nConditions:\nGlobals:\nResources:\nOutputs:\n",
        "empty-json/template.json": '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}, "Parameters": null}',
        "duplicates/template.yaml": TEMPLATE_HEAD + textwrap.dedent(
            """\
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Runtime: python3.12
                  Timeout: 10
                  Timeout: 900
                  Environment:
                    Variables:
                      API_KEY: sk_live_0123456789abcdefghijklmn
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Runtime: python3.7
                  Environment:
                    Variables:
                      API_KEY: sk_live_0123456789abcdefghijklmn
            """
        ),
        "duplicates/app.py": HANDLER,
    })
    run = run_cli(project, timeout=10)
    duplicates = run.findings("duplicates/template.yaml", category="parse")
    assert len(duplicates) >= 1 and all("duplicate key" in f["message"] for f in duplicates)
    # ...and the rest of that template is still reviewed: its deprecated runtime is found
    others = [f for f in run.findings("duplicates/template.yaml") if f["category"] != "parse"]
    assert any(f["rule"] == "SLS201" and "python3.7" in f["message"] for f in others), others
    assert all("sk_live_0123456789abcdefghijklmn" not in f["message"] for f in run.report["findings"])
    for folder in ("empty-resources", "empty-parameters", "empty-everything", "empty-json"):
        assert not [f for f in run.report["findings"] if f["path"].startswith(folder) and f["category"] == "parse"]


# -- reviewed code is never run ----------------------------------------------------------------------


def _marker_code(marker: Path) -> dict[str, str | bytes]:
    """Files whose import, evaluation or execution would create ``marker``."""
    py = f"open({str(marker)!r}, 'w').write('imported')\n"
    js = f"require('fs').writeFileSync({json.dumps(str(marker))}, 'x');\n"
    return {
        "src/app.py": py + HANDLER,
        "src/__init__.py": py,
        "src/helpers.py": py,
        "src/lib/__init__.py": py,
        "conftest.py": py,
        "setup.py": py,
        "sitecustomize.py": py,
        "node/index.js": js + "const h = require('./util');\nexports.handler = async (e) => h(e);\n",
        "node/util.js": js + "module.exports = (e) => e;\n",
        "node/package.json": json.dumps({"scripts": {"postinstall": f"touch {marker}", "deploy": "wrangler deploy x.js"}}),
        "worker/src/index.ts": f"import {{ writeFileSync }} from 'node:fs';\nwriteFileSync({json.dumps(str(marker))}, 'x');\n"
        "export default { async fetch() { return new Response('ok'); } };\n",
        "worker/wrangler.toml": 'name = "w"\nmain = "src/index.ts"\ncompatibility_date = "2024-09-23"\n',
        "worker/vite.config.ts": js,
        "template.yaml": TEMPLATE_HEAD + textwrap.dedent(
            f"""\
            Resources:
              Py:
                Type: AWS::Serverless::Function
                Properties: {{CodeUri: src/, Handler: app.handler, Runtime: python3.12}}
              Node:
                Type: AWS::Serverless::Function
                Properties: {{CodeUri: node/, Handler: index.handler, Runtime: nodejs20.x}}
              Inline:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: python3.12
                  Handler: index.handler
                  InlineCode: |
                    open({str(marker)!r}, 'w').write('inline')
                    def handler(event, context):
                        return event
            """
        ),
    }


def test_reviewed_code_is_never_imported_or_executed(tmp_path: Path, project: Path) -> None:
    marker = tmp_path / "MARKER"
    files = _marker_code(marker)
    write_tree(project, files)
    run = run_cli(project, timeout=15)
    assert run.report["summary"]["functions"] == 4  # Py, Node, Inline and the Worker
    assert not marker.exists(), f"reviewed code ran: {marker.read_text()}"


def test_modules_in_the_reviewed_folder_never_shadow_our_own(tmp_path: Path, project: Path) -> None:
    """A repository with its own yaml.py, click.py or libcst/ must not get them imported. The
    installed ``slsreview`` command never puts the reviewed folder on sys.path; ``python -m``
    does (that is Python's rule for ``-m``), so this runs with ``-P`` (Python 3.11's "safe path"),
    the way to run a module inside an untrusted checkout."""
    marker = tmp_path / "MARKER"
    py = f"open({str(marker)!r}, 'w').write(__name__)\n"
    shadows = {name: py for name in ("yaml.py", "click.py", "pathspec.py", "tomllib.py", "json.py", "libcst/__init__.py", "tree_sitter.py")}
    write_tree(project, {**shadows, "template.yaml": function_template(), "app.py": HANDLER})
    run = run_cli(project, command=[sys.executable, "-P", *CLI[1:]], timeout=15)
    assert run.report["summary"]["functions"] == 1
    assert not marker.exists(), f"a module of the reviewed folder was imported: {marker.read_text()}"


# -- determinism -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """bench/synthetic.py's monorepo (3 services of 6 functions, 2 Workers) plus every sample
    project, with enough source (over runner.POOL_THRESHOLD_BYTES) that -j 2 uses the pool."""
    sys.path.insert(0, str(ROOT))
    try:
        from bench.synthetic import generate
    finally:
        sys.path.remove(str(ROOT))
    root = tmp_path_factory.mktemp("determinism") / "tree"
    generate(root, services=3, functions=6, workers=2)
    shutil.copytree(ROOT / "sample_projects", root / "sample_projects")
    # one long string per source file: cheap to parse, and it makes the jobs big enough
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".mjs", ".js", ".ts") and path.is_file():
            pad = "PADDING = '" if path.suffix == ".py" else "export const PADDING = '"
            path.write_text(path.read_text(encoding="utf-8") + pad + "p" * 25_000 + "'\n", encoding="utf-8")
    yield root


def test_reports_are_byte_identical_across_runs_jobs_and_cache(big_tree: Path) -> None:
    from slsreview.analysis.runner import POOL_THRESHOLD_BYTES

    # Enough handler source that -j 2 takes the process pool (26 of these files are handlers;
    # checked with a spy on runner._in_pool when this test was written).
    source = sum(
        p.stat().st_size
        for p in big_tree.rglob("*")
        if p.suffix in (".py", ".mjs", ".js", ".ts") and not {"test", "tests"} & set(p.parts)
    )
    assert source > 1.5 * POOL_THRESHOLD_BYTES
    shutil.rmtree(big_tree / ".slsreview_cache", ignore_errors=True)
    serial = run_cli(big_tree, "-j", "1", "--fail-on", "never", timeout=60)
    parallel = run_cli(big_tree, "-j", "2", "--fail-on", "never", timeout=60)
    cached = CLI[:-1]  # the same command without --no-cache
    cold = run_cli(big_tree, "-j", "2", "--fail-on", "never", command=cached, timeout=60)
    warm = run_cli(big_tree, "-j", "1", "--fail-on", "never", command=cached, timeout=60)
    shutil.rmtree(big_tree / ".slsreview_cache", ignore_errors=True)
    assert serial.report["summary"]["functions"] >= 20 and serial.report["findings"]
    for other in (parallel, cold, warm):
        assert other.stdout == serial.stdout
    assert warm.seconds < cold.seconds * 1.5 + 1


def test_the_measurement_harness_reports_memory_and_time(project: Path) -> None:
    """The bounds above mean something: a run that allocates 200 MiB is seen as such."""
    write_tree(project, {"template.yaml": function_template(), "app.py": HANDLER})
    hog = [sys.executable, "-c", "import time; b = bytearray(200 * 1024 * 1024); b[::4096] = b'x' * len(b[::4096]); time.sleep(0.2); print('{\"findings\": []}')"]
    start = time.perf_counter()
    run = run_cli(project, command=hog, timeout=10)
    assert 190 < run.peak_mib < PEAK_MIB and 0.2 <= run.seconds <= time.perf_counter() - start


def test_absolute_code_paths_in_configs_are_not_read(tmp_path: Path, project: Path) -> None:
    """Regression: an esbuild EntryPoints, CodeUri or wrangler main written as an absolute path
    made the review read (and report on) any file of the machine, such as a CI runner's
    credentials. SAM and Wrangler resolve these against the config's folder; we stop there."""
    private = tmp_path / "private"
    write_tree(private, {"credentials.txt": "[default]\naws_secret_access_key = x\n", "app.py": HANDLER, "index.js": "x\n"})
    write_tree(project, {
        "template.yaml": TEMPLATE_HEAD + textwrap.dedent(
            f"""\
            Resources:
              Bundled:
                Type: AWS::Serverless::Function
                Properties: {{CodeUri: ./, Handler: index.handler, Runtime: nodejs22.x}}
                Metadata:
                  BuildMethod: esbuild
                  BuildProperties: {{EntryPoints: [{private / "credentials.txt"}]}}
              Absolute:
                Type: AWS::Serverless::Function
                Properties: {{CodeUri: {private}, Handler: app.handler, Runtime: python3.12}}
            """
        ),
        "index.mjs": "export const handler = async () => 1;\n",
        "worker/wrangler.toml": f'name = "w"\nmain = "{private / "index.js"}"\ncompatibility_date = "2024-09-23"\n',
    })
    text = run_cli(project, command=CLI_TEXT, timeout=10).stdout
    assert str(private) + "/" not in text.replace(f"CodeUri {private} is", "").replace(f"main {private}/index.js is", "")
    assert f"Absolute: CodeUri {private} is an absolute path; code outside the project is not read" in text
    assert "index.mjs  (handler of Bundled)" in text


# -- a worker process that dies ------------------------------------------------------------------


@pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(), reason="needs fork")
def test_a_worker_that_dies_on_one_file_costs_only_that_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A native parser's fault kills the worker process, not an exception: before, the broken pool
    ended the whole review with exit 2. Now every other file is analysed as it would have been,
    the fatal one gets a note, and the pool goes on working for what the review asks next."""
    import faulthandler
    import signal

    from slsreview.analysis import runner

    real = runner.analyze_source

    def faulty(path: str, text: str, language: Any) -> Any:
        if "native-fault" in path:
            faulthandler.disable()  # pytest's: it would print the worker's stack
            os.kill(os.getpid(), signal.SIGSEGV)
        return real(path, text, language)

    jobs = [(f"src/f{i}.py", f"def handler(event, context):\n    print(event['n{i}'])\n", "python") for i in range(9)]
    jobs.insert(4, ("src/native-fault.py", "x = 1\n", "python"))
    todo = [(runner.cache_key(*job), job) for job in jobs]
    expected = [runner._analyze(job) for job in jobs if "fault" not in job[0]]
    monkeypatch.setattr(runner, "analyze_source", faulty)  # before the fork: the workers inherit it
    workers = runner.Workers(2, {"python"})
    try:
        facts = workers.analyze(todo, runner.FactsCache(None))
        after = workers.analyze(todo[:2], runner.FactsCache(None))
        scans = workers.scan([("a.py", "TOKEN = 'x'\n", frozenset())])
    finally:
        workers.close()
    assert [f.path for f in facts] == [job[0] for job in jobs]
    (fault,) = [f for f in facts if not f.complete]
    assert fault.path == "src/native-fault.py" and "process died on this file" in fault.syntax[0].message
    assert [f for f in facts if f.complete] == expected
    assert after == expected[:2] and scans == [runner._scan(("a.py", "TOKEN = 'x'\n", frozenset()))]
