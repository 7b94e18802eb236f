"""The facts cache keys on the analysers' own files: every one of them, and nothing else."""

from __future__ import annotations

from pathlib import Path

from slsreview.analysis import runner


def _package(root: Path) -> Path:
    files = {
        "analysis/__init__.py": "a",
        "analysis/python/__init__.py": "p",
        "analysis/python/calls.py": "c",
        "analysis/javascript/calls.py": "j",
        "vocabulary/__init__.py": "v",
        "vocabulary/workers.py": "w",
        "vocabulary/data/aws_operations.json": "{}",
        "model/project.py": "not an analyser",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_every_analyser_and_vocabulary_file_counts(tmp_path: Path) -> None:
    package = _package(tmp_path)
    before = runner.fingerprint_of(package)
    for name in ("analysis/python/calls.py", "analysis/javascript/calls.py", "vocabulary/data/aws_operations.json"):
        file = package / name
        original = file.read_text()
        file.write_text(original + " ")
        assert runner.fingerprint_of(package) != before, name
        file.write_text(original)
    assert runner.fingerprint_of(package) == before


def test_a_moved_file_counts_and_caches_and_other_layers_do_not(tmp_path: Path) -> None:
    package = _package(tmp_path)
    before = runner.fingerprint_of(package)
    (package / "model/project.py").write_text("changed")
    (package / "analysis/python/__pycache__").mkdir()
    (package / "analysis/python/__pycache__/calls.cpython-311.pyc").write_bytes(b"\0")
    assert runner.fingerprint_of(package) == before
    (package / "analysis/python/calls.py").rename(package / "analysis/python/values.py")
    assert runner.fingerprint_of(package) != before


def test_the_installed_package_is_covered() -> None:
    package = Path(runner.__file__).parent.parent
    names = {f.relative_to(package).as_posix() for folder in ("analysis", "vocabulary") for f in runner._source_files(package / folder)}
    assert {"analysis/facts.py", "analysis/javascript/calls.py", "vocabulary/workers.py", "vocabulary/data/aws_operations.json"} <= names
    assert not any("__pycache__" in name for name in names)
