from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from slsreview.cli import main
from tests.conftest import PROJECT_CHECKLIST, write_tree

SAM = """\
AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Runtime: {runtime}
      Handler: app.handler
      Timeout: 10
"""
HANDLER = "def handler(event, context):\n    return {'statusCode': 200}\n"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    out, err = capsys.readouterr()
    return int(exit_info.value.code or 0), out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_tree(tmp_path, {"template.yaml": SAM.format(runtime="nodejs16.x").replace("app.handler", "index.handler"), "src/index.mjs": "export const handler = async () => ({});\n"})
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NO_COLOR", "1")
    return tmp_path


def sub(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "slsreview", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_broken_files_each_become_one_parse_finding(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n     Properties: {}\n",
            "src/handler.py": "def handler(event, context)\n    return 1\n",
            "app.py": bytes(range(256)) * 4,
            "wrangler.toml": 'name = "x"\nmain = \n',
        },
    )
    result = sub(["check", ".", "--format", "json", "--no-cache"], tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stderr == ""
    report = json.loads(result.stdout)
    got = {(f["path"], f["rule"], f["line"]) for f in report["findings"]}
    assert got == {
        ("template.yaml", "SLS001", 5),
        ("src/handler.py", "SLS001", 1),
        ("app.py", "SLS001", 1),
        ("wrangler.toml", "SLS001", 2),
    }
    fields = {"rule", "name", "category", "tier", "message", "path", "line", "column", "end_line", "end_column", "function", "platform", "fix", "docs", "fingerprint"}
    assert all(set(f) == fields for f in report["findings"])
    assert sub(["check", ".", "--format", "json", "--no-cache"], tmp_path).stdout == result.stdout


def test_version_is_fast_and_imports_nothing_heavy(tmp_path: Path) -> None:
    code = "import sys; from slsreview.cli import main\ntry:\n main(['--version'])\nexcept SystemExit: pass\nprint(sorted(m for m in sys.modules if m.split('.')[0] in ('yaml','libcst','tree_sitter','click')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines() == ["slsreview 0.1.0", "[]"]


def test_text_report_says_what_was_reviewed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", "--today", "2026-11-27"], capsys)
    assert code == 1
    assert "Reviewed:\n  template.yaml  (template: OrdersFunction)\n  src/index.mjs  (handler of OrdersFunction)" in out
    assert "template.yaml:8:16: SLS201 [blocking] OrdersFunction uses nodejs16.x" in out
    assert "\033[" not in out
    assert out.rstrip().endswith("(2 files, 1 function reviewed)")


def test_nothing_reviewed_does_not_look_clean(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(["check"], capsys)
    assert code == 0 and out.startswith("Nothing was reviewed: no SAM/CloudFormation template or wrangler configuration")


def test_fail_on_and_output(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--fail-on", "never"], capsys)[0] == 0
    code, out, _ = run(["check", "-o", "report.json", "-f", "json"], capsys)
    assert code == 1 and out == ""
    assert json.loads((project / "report.json").read_text())["summary"]["blocking"] == 1


def test_select_and_ignore(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--ignore", "SLS201"], capsys)[0] == 0
    assert run(["check", "--ignore", "runtime"], capsys)[0] == 0
    assert run(["check", "--select", "SLS2"], capsys)[0] == 1
    assert run(["check", "--select", "docs"], capsys)[0] == 0


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[tool.slsreview]\nfail_on = 'never'\n", "unknown key 'fail_on'"),
        ("[tool.slsreview]\nignore = ['SLS999']\n", "unknown rule or category 'SLS999'"),
        ("[tool.slsreview]\nfail-on = 'sometimes'\n", "'fail-on' must be one of"),
        ("[tool.slsreview.tier]\nSLS201 = 'urgent'\n", "[tier] SLS201 must be one of"),
        ("[tool.slsreview]\ntoday = 'tomorrow'\n", "'today' must be a date"),
        ("[tool.slsreview\n", "invalid TOML"),
    ],
)
def test_bad_configuration_is_one_line_and_exit_2(project: Path, capsys: pytest.CaptureFixture[str], config: str, message: str) -> None:
    (project / "pyproject.toml").write_text(config)
    code, _, err = run(["check"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and message in err and err.startswith("slsreview: error: ")


def test_unknown_rule_on_the_command_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "--select", "SLS999"], capsys)
    assert code == 2 and "unknown rule or category 'SLS999'" in err


def test_configuration_is_found_upward_and_every_key_changes_behaviour(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    def summary(config: str, *args: str) -> dict[str, int]:
        (project / ".slsreview.toml").write_text(config)
        monkeypatch.chdir(project / "src")
        code, out, _ = run(["check", "..", "-f", "json", *args], capsys)
        monkeypatch.chdir(project)
        return {**json.loads(out)["summary"], "exit": code} if out else {"exit": code}

    base = summary("")
    assert (base["blocking"], base["exit"]) == (1, 1)
    assert summary("ignore = ['SLS201']\n")["blocking"] == 0
    assert summary("select = ['SLS202']\n")["blocking"] == 0
    assert summary("fail-on = 'never'\n")["exit"] == 0
    assert summary("[tier]\nSLS201 = 'non-blocking'\n")["non-blocking"] == base["non-blocking"] + 1
    assert summary("[per-path-ignores]\n'*.yaml' = ['SLS201']\n")["suppressed"] == 1
    assert summary("exclude = ['template.yaml']\n")["functions"] == 0
    assert summary("today = '2020-01-01'\n")["blocking"] == 0  # nodejs16.x was current then
    assert summary("max-file-size = 10\n")["functions"] == 0
    assert summary("format = 'text'\n", "--format", "json")["blocking"] == 1  # the command line wins
    (project / ".slsreview.toml").write_text("format = 'json'\noutput = 'out.json'\njobs = 1\ncache = false\n")
    run(["check"], capsys)
    assert json.loads((project / "out.json").read_text())["summary"]["blocking"] == 1
    assert not (project / ".slsreview_cache").exists()


def test_cache_is_written_and_reused(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(["check"], capsys)
    assert (project / ".slsreview_cache" / "CACHEDIR.TAG").exists()
    first = run(["check", "-f", "json"], capsys)[1]
    assert run(["check", "-f", "json", "--no-cache"], capsys)[1] == first


def test_inline_and_metadata_suppressions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    template = SAM.format(runtime="nodejs16.x  # slsreview: ignore[SLS201] migrating in OPS-12").replace("app.handler", "index.handler")
    template += "  OtherFunction:\n    Type: AWS::Serverless::Function\n    Metadata:\n      slsreview:\n        ignore:\n          - rule: SLS201\n            reason: retired next sprint\n    Properties:\n      InlineCode: 'exports.handler = async () => 1;'\n      Runtime: nodejs16.x\n      Handler: index.handler\n      Timeout: 10\n"
    write_tree(tmp_path, {"template.yaml": template, "src/index.mjs": "export const handler = async () => ({});\n"})
    monkeypatch.chdir(tmp_path)
    checklist = ",".join(PROJECT_CHECKLIST)
    code, out, _ = run(["check", "-f", "json", "--today", "2026-11-27", "--ignore", checklist], capsys)
    report = json.loads(out)
    assert code == 0 and report["findings"] == [] and report["summary"]["suppressed"] == 2
    # an expired suppression stops applying and is reported itself
    (tmp_path / "template.yaml").write_text(template.replace("ignore[SLS201] migrating", "ignore[SLS201] until=2026-01-01 migrating"))
    code, out, _ = run(["check", "-f", "json", "--today", "2026-11-27", "--ignore", checklist], capsys)
    assert code == 1
    assert sorted(f["rule"] for f in json.loads(out)["findings"]) == ["SLS004", "SLS201"]


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules"], capsys)
    assert code == 0 and "SLS201  deprecated-runtime" in out
    code, out, _ = run(["explain", "sls201"], capsys)
    assert code == 0 and out.startswith("# SLS201 deprecated-runtime") and "## Why this tier" in out and "Bad examples" in out
    code, _, err = run(["explain", "SLS999"], capsys)
    assert code == 2 and "unknown rule 'SLS999'" in err
    rows = json.loads(run(["rules", "-f", "json"], capsys)[1])
    assert {"id", "name", "category", "tier", "title", "platforms", "docs"} <= set(rows[0])


def test_paths_in_reports_are_relative_to_the_current_directory(project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project.parent)
    _, out, _ = run(["check", project.name, "-f", "json"], capsys)
    assert {f["path"] for f in json.loads(out)["findings"]} == {f"{project.name}/template.yaml"}


def test_debug_is_the_only_way_to_see_a_traceback(project: Path) -> None:
    (project / ".slsreview.toml").write_text("select = ['nope']\n")
    quiet = sub(["check"], project)
    loud = sub(["--debug", "check"], project)
    assert quiet.returncode == loud.returncode == 2
    assert "Traceback" not in quiet.stderr and "Traceback" in loud.stderr


def test_no_color_and_tty(project: Path) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "slsreview", "check"], cwd=project, capture_output=True, text=True, env=env)
    assert "\033[" not in result.stdout


def test_the_verdict_follows_fail_on(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "FAIL: 1 blocking" in run(["check"], capsys)[1]
    assert "PASS: 1 blocking" in run(["check", "--fail-on", "never"], capsys)[1]
