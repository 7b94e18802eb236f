"""Each sample project reviewed end to end and compared with its checked-in JSON report.

When behaviour changes on purpose, regenerate with ``pytest tests/test_sample_projects.py
--update-snapshots`` and read the diff of ``tests/snapshots/`` as the review of the change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slsreview.reporters import ReportOptions, get_reporter
from tests.conftest import run_review

ROOT = Path(__file__).parent.parent
SAMPLES = sorted(p for p in (ROOT / "sample_projects").iterdir() if p.is_dir())
SNAPSHOTS = Path(__file__).parent / "snapshots"
CAREFUL = {"careful-orders", "careful-worker"}


def report(sample: Path) -> str:
    return get_reporter("json")(run_review(sample), ReportOptions())


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_matches_snapshot(sample: Path, request: pytest.FixtureRequest) -> None:
    got = report(sample)
    snapshot = SNAPSHOTS / f"{sample.name}.json"
    if request.config.getoption("--update-snapshots"):
        snapshot.write_text(got, encoding="utf-8")
    assert snapshot.exists(), f"no snapshot for {sample.name}; run pytest --update-snapshots"
    assert got == snapshot.read_text(encoding="utf-8")


@pytest.mark.parametrize("sample", [s for s in SAMPLES if s.name in CAREFUL], ids=lambda p: p.name)
def test_careful_projects_pass(sample: Path) -> None:
    summary = json.loads(report(sample))["summary"]
    assert summary["blocking"] == 0 and summary["non-blocking"] == 0
    assert summary["functions"] >= 2


def test_there_are_bad_and_careful_samples() -> None:
    names = {s.name for s in SAMPLES}
    assert names >= CAREFUL and len(names - CAREFUL) >= 3


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_deterministic(sample: Path) -> None:
    assert report(sample) == report(sample)
