"""The pre-commit hook stops a commit that adds an SQS consumer writing with a random key, and lets
a careful project through.

pre-commit runs the hook exactly as ``.pre-commit-hooks.yaml`` defines it (entry, args, files,
pass_filenames), except that it is declared ``repo: local`` with ``language: system`` and the
entry runs this interpreter's slsreview: pre-commit would otherwise build a virtualenv and
download the hook's dependencies, which a test must not need.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
SAMPLES = ROOT / "sample_projects"


def _pre_commit() -> str:
    found = shutil.which("pre-commit") or shutil.which("pre-commit", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("pre-commit is not installed (it is in the test extras)")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    return found


def _hook() -> dict[str, object]:
    (hook,) = [h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text()) if h["id"] == "slsreview"]
    entry = str(hook["entry"]).split()
    assert entry[0] == "slsreview", "the hook's entry runs the slsreview command"
    return {**hook, "language": "system", "entry": " ".join([shlex.quote(sys.executable), "-m", "slsreview", *entry[1:]])}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def _run_hook(sample: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """A repository whose last commit lacks the sample, with the sample staged for the next one."""
    pre_commit = _pre_commit()
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "dev@example.com")
    _git(repo, "config", "user.name", "Dev")
    _git(repo, "config", "commit.gpgsign", "false")
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump({"repos": [{"repo": "local", "hooks": [_hook()]}]}))
    _git(repo, "add", ".pre-commit-config.yaml")
    _git(repo, "commit", "-q", "-m", "start")
    shutil.copytree(SAMPLES / sample, repo / sample)
    _git(repo, "add", "-A")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    return subprocess.run([pre_commit, "run", "--all-files", "--color", "never"], cwd=repo, env=env, capture_output=True, text=True, timeout=300)


def test_hook_fails_on_an_sqs_consumer_that_writes_with_a_random_key(tmp_path: Path) -> None:
    done = _run_hook("payment-events-sqs", tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "slsreview" in done.stdout and "Failed" in done.stdout
    assert (
        "payment-events-sqs/src/payments/record.py:19:9: SLS101 [blocking] RecordPaymentFunction writes to DynamoDB "
        "for every SQS message (Payments) with a fresh uuid4 key" in done.stdout
    )


def test_hook_passes_on_a_careful_project(tmp_path: Path) -> None:
    done = _run_hook("careful-orders", tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout
