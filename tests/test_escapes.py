"""A review reads only what lies under the current folder or a reviewed path."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import PROJECT_CHECKLIST, run_review, write_tree


def test_code_uri_escaping_the_project_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_tree(outside, {"app.py": "def handler(event, context)\n"})  # a syntax error nobody may see
    project = tmp_path / "project"
    template = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      CodeUri: ../outside/\n      Runtime: python3.13\n      Handler: app.handler\n      Timeout: 10\n"
    )
    write_tree(project, {"template.yaml": template})
    result = run_review(project, ignore=PROJECT_CHECKLIST)
    assert result.findings == []
    assert "../outside/: outside the reviewed folder, not read" in result.not_reviewed()


def test_not_reviewed_lines_reach_the_json_report(tmp_path: Path) -> None:
    template = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      CodeUri: s3://bucket/key.zip\n      Runtime: python3.13\n      Handler: app.handler\n      Timeout: 10\n"
    )
    write_tree(tmp_path, {"template.yaml": template})
    out = subprocess.run([sys.executable, "-m", "slsreview", "check", ".", "-f", "json", "--no-cache"], cwd=tmp_path, capture_output=True, text=True).stdout
    assert json.loads(out)["not_reviewed"] == ["Fn: code at s3://bucket/key.zip"]


def test_an_import_outside_the_project_is_not_read_and_a_missing_one_not_reported(tmp_path: Path) -> None:
    """`import "../../shared/db.js"` leaves the project: the file outside is never analysed,
    while the candidates that are not there at all (``../../shared/missing.ts``...) say nothing."""
    write_tree(tmp_path / "shared", {"db.js": "export function save(item {\n"})  # a syntax error nobody may see
    template = (
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      CodeUri: src/\n      Runtime: nodejs22.x\n      Handler: index.handler\n      Timeout: 10\n"
    )
    handler = (
        'import { save } from "../../shared/db.js";\nimport { log } from "../../shared/missing";\n\n'
        "export const handler = async (event) => save(log(event));\n"
    )
    project = tmp_path / "project"
    write_tree(project, {"template.yaml": template, "src/index.mjs": handler})
    result = run_review(project, ignore=PROJECT_CHECKLIST)
    assert not [f for f in result.findings if "shared" in f.path]
    assert result.not_reviewed() == ["../shared/db.js: outside the reviewed folder, not read"]
