"""--diff against a real temporary git repository, baselines, and confirmations."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from slsreview.cli import main
from slsreview.gitdiff import parse_diff
from tests.conftest import PROJECT_CHECKLIST, write_tree

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs16.x
      Handler: index.handler
      Timeout: 10
      InlineCode: "exports.handler = async () => 1;"
  RefundsFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Timeout: 10
      InlineCode: "exports.handler = async () => 1;"
"""


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "config", "user.email", "t@example.com")
    git(tmp_path, "config", "user.name", "t")
    write_tree(tmp_path, {"template.yaml": TEMPLATE})
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "first")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    with pytest.raises(SystemExit) as exit_info:
        main(["check", "-f", "json", "--today", "2026-11-27", "--no-cache", "--ignore", ",".join(PROJECT_CHECKLIST), *args])
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), json.loads(out) if out else {"error": err}


def test_diff_keeps_only_findings_on_changed_lines(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = check(capsys, "--diff", "HEAD")
    assert report["findings"] == [] and report["summary"]["outside_diff"] == 2 and code == 0
    # change the refund function's runtime: only that line is in the diff
    (repo / "template.yaml").write_text(TEMPLATE.replace("nodejs22.x", "nodejs18.x"))
    code, report = check(capsys, "--diff", "HEAD")
    assert [(f["line"], f["function"]) for f in report["findings"]] == [(14, "RefundsFunction")]
    assert report["summary"]["outside_diff"] == 1 and code == 1
    # committed changes count against an older ref too
    git(repo, "commit", "-qam", "second")
    code, report = check(capsys, "--diff", "HEAD~1")
    assert [f["line"] for f in report["findings"]] == [14]


def test_a_new_file_counts_as_changed_as_a_whole(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(repo, {"billing/template.yaml": TEMPLATE})  # untracked
    _, report = check(capsys, "--diff", "HEAD")
    assert {f["path"] for f in report["findings"]} == {"billing/template.yaml"}
    git(repo, "add", "-A")
    _, staged = check(capsys, "--diff", "HEAD")
    assert staged["findings"] == report["findings"]


def test_text_summary_says_how_many_were_left_out(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--diff", "HEAD", "--today", "2026-11-27", "--ignore", ",".join(PROJECT_CHECKLIST)])
    assert "2 on unchanged lines left out" in capsys.readouterr().out


def test_a_bad_ref_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = check(capsys, "--diff", "no-such-ref")
    assert code == 2 and report["error"].startswith("slsreview: error: --diff no-such-ref:")


def test_parse_diff() -> None:
    diff = (
        "diff --git a/t.yaml b/t.yaml\n--- a/t.yaml\n+++ b/t.yaml\n@@ -3 +3,2 @@\n-x\n+y\n+z\n@@ -10,2 +11,0 @@\n-gone\n"
        "diff --git a/new.py b/new.py\nnew file mode 100644\n--- /dev/null\n+++ b/new.py\n@@ -0,0 +1,2 @@\n+a\n+b\n"
        "diff --git a/old.py b/old.py\ndeleted file mode 100644\n--- a/old.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n"
    )
    assert parse_diff(diff) == {"t.yaml": {3, 4}, "new.py": None}


def test_baseline_survives_lines_inserted_above(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = check(capsys, "--write-baseline", "baseline.txt")
    assert code == 1
    lines = (repo / "baseline.txt").read_text().splitlines()
    assert lines[0].startswith("# slsreview baseline") and len(lines) == 3 and lines[1:] == sorted(lines[1:])
    shifted = TEMPLATE.replace("Resources:\n", "Description: orders\nParameters:\n  Stage: {Type: String}\nResources:\n")
    (repo / "template.yaml").write_text(shifted)
    code, report = check(capsys, "--baseline", "baseline.txt")
    assert code == 0 and report["findings"] == [] and report["summary"]["baselined"] == 2
    # a new finding is not hidden by the old baseline
    (repo / "template.yaml").write_text(shifted.replace("Runtime: nodejs22.x", "Runtime: nodejs18.x"))
    code, report = check(capsys, "--baseline", "baseline.txt")
    assert code == 1 and [f["function"] for f in report["findings"]] == ["RefundsFunction"]


def test_missing_baseline_file_is_an_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = check(capsys, "--baseline", "nope.txt")
    assert code == 2 and "cannot read the baseline" in report["error"]


PLACEHOLDER = TEMPLATE.replace("nodejs16.x", "NODE_RUNTIME").replace("nodejs22.x", "nodejs24.x")


def test_confirmations_sign_off_human_confirmation_findings(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "template.yaml").write_text(PLACEHOLDER)
    code, report = check(capsys, "--fail-on", "human-confirmation")
    (finding,) = report["findings"]
    assert code == 1 and finding["tier"] == "human-confirmation" and "confirmation" not in finding
    assert check(capsys, "--require-confirmations")[0] == 1
    confirm = f'[[confirm]]\nfingerprint = "{finding["fingerprint"]}"\nby = "kim@example.com"\nat = 2026-11-20\nreason = "deploy.sh substitutes nodejs24.x"\n'
    write_tree(repo, {".slsreview/confirmations.toml": confirm})
    code, report = check(capsys, "--require-confirmations", "--fail-on", "human-confirmation")
    assert code == 0
    assert report["findings"][0]["confirmation"] == {"by": "kim@example.com", "at": "2026-11-20", "reason": "deploy.sh substitutes nodejs24.x"}
    assert report["summary"]["confirmed"] == 1
    # an expired confirmation comes back
    write_tree(repo, {".slsreview/confirmations.toml": confirm + "until = 2026-11-01\n"})
    code, report = check(capsys, "--require-confirmations")
    assert code == 1 and "confirmation" not in report["findings"][0]


def test_malformed_confirmations_are_an_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(repo, {".slsreview/confirmations.toml": '[[confirm]]\nfingerprint = "abc"\nby = "x"\n'})
    code, report = check(capsys)
    assert code == 2 and "needs 'at'" in report["error"]
