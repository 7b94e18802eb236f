from __future__ import annotations

import os
from pathlib import Path

from slsreview.discovery import discover

SAM = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources: {}\n"


def make(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_templates_are_recognised_by_content(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            "infra/stack.yml": SAM,
            "cfn/plain.json": '{"Resources": {"F": {"Type": "AWS::Lambda::Function"}}}',
            "package.json": '{"name": "x"}',
            "k8s/deploy.yaml": "apiVersion: v1\nkind: Pod\n",
            "svc/wrangler.jsonc": "{}",
            "svc/README.md": "# svc",
            "samconfig.toml": 'version = 0.1\n[default.deploy.parameters]\ntemplate_file = "odd-name.txt"\n',
            "odd-name.txt": SAM,
            "src/app.py": "",
        },
    )
    found = discover([tmp_path], cwd=tmp_path)
    assert found.templates == ["cfn/plain.json", "infra/stack.yml", "odd-name.txt"]
    assert found.wranglers == ["svc/wrangler.jsonc"]
    assert found.samconfigs == ["samconfig.toml"]
    assert found.docs == ["svc/README.md"]
    assert found.sources == ["src/app.py"]


def test_ignored_folders_and_gitignore(tmp_path: Path) -> None:
    make(
        tmp_path,
        {
            ".gitignore": "generated/\n*.bak.yaml\n!keep.bak.yaml\n",
            "template.yaml": SAM,
            "generated/template.yaml": SAM,
            "old.bak.yaml": SAM,
            "keep.bak.yaml": SAM,
            "node_modules/lib/template.yaml": SAM,
            ".aws-sam/build/template.yaml": SAM,
            ".wrangler/tmp/wrangler.toml": "",
            "cdk.out/x.template.json": SAM,
            "env/pyvenv.cfg": "",
            "env/lib/template.yaml": SAM,
            "sub/.gitignore": "local.yaml\n",
            "sub/local.yaml": SAM,
            "sub/kept.yaml": SAM,
        },
    )
    found = discover([tmp_path], cwd=tmp_path, excludes=["sub/kept.yaml"])
    assert found.templates == ["keep.bak.yaml", "template.yaml"]


def test_symlinks_out_of_the_root_and_loops_are_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    make(outside, {"template.yaml": SAM})
    root = tmp_path / "root"
    make(root, {"template.yaml": SAM})
    os.symlink(outside, root / "escape")
    os.symlink(root, root / "loop")
    found = discover([root], cwd=root)
    assert found.templates == ["template.yaml"]
    assert any("escape" in s and "out of the reviewed folder" in s for s in found.skipped)


def test_paths_are_relative_to_the_current_directory(tmp_path: Path) -> None:
    make(tmp_path, {"a/b/template.yaml": SAM})
    found = discover([tmp_path / "a"], cwd=tmp_path)
    assert found.templates == ["a/b/template.yaml"]
    below = discover([tmp_path / "a"], cwd=tmp_path / "a" / "b")
    assert below.templates == ["template.yaml"]
    elsewhere = discover([tmp_path / "a"], cwd=tmp_path / "other")
    assert elsewhere.templates == [(tmp_path / "a/b/template.yaml").as_posix()]


def test_a_missing_path_is_reported(tmp_path: Path) -> None:
    found = discover([tmp_path / "nope"], cwd=tmp_path)
    assert found.skipped == ["nope: no such file or directory"]


def test_inside_git_the_same_files_are_found_and_tracked_files_count(tmp_path: Path) -> None:
    import subprocess

    files = {
        ".gitignore": "generated/\n*.bak.yaml\n!keep.bak.yaml\n",
        "template.yaml": SAM,
        "generated/template.yaml": SAM,
        "old.bak.yaml": SAM,
        "keep.bak.yaml": SAM,
        "node_modules/lib/template.yaml": SAM,
        "env/pyvenv.cfg": "",
        "env/lib/template.yaml": SAM,
        "sub/.gitignore": "local.yaml\n",
        "sub/local.yaml": SAM,
        "sub/kept.yaml": SAM,
    }
    make(tmp_path, files)
    walked = discover([tmp_path], cwd=tmp_path, excludes=["sub/kept.yaml"]).templates
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    assert discover([tmp_path], cwd=tmp_path, excludes=["sub/kept.yaml"]).templates == walked
    # a file git tracks is reviewed even when a .gitignore pattern matches it
    subprocess.run(["git", "add", "-f", "old.bak.yaml"], cwd=tmp_path, check=True)
    assert "old.bak.yaml" in discover([tmp_path], cwd=tmp_path).templates
