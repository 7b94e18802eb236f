from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from slsreview.config import Settings
from slsreview.engine import Review, review
from slsreview.registry import load_rules
from tests.hypothesis_profiles import register_profiles

# Cache entries are sealed with a key kept in the user's cache folder (slsreview.cache): the suite,
# and every slsreview it starts, uses a folder of its own rather than the real home's.
os.environ["XDG_CACHE_HOME"] = _USER_CACHE = tempfile.mkdtemp(prefix="slsreview-tests-cache-home-")
atexit.register(shutil.rmtree, _USER_CACHE, True)

register_profiles()  # before collection, so that `pytest --hypothesis-profile long` finds it

ALL_RULES = load_rules()

# The checklist rules about a whole project (alarms, log groups, removal steps, docs, event
# fixtures, tests) fire on every minimal fixture: tests about another mechanism (suppressions,
# diffs, baselines, escapes) ignore them rather than padding each fixture with a careful project.
PROJECT_CHECKLIST = ["SLS5"]


def write_tree(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def run_review(root: Path, *, select: list[str] | None = None, today: str = "2026-11-27", **options: object) -> Review:
    settings = Settings(select=select or [], today=dt.date.fromisoformat(today), cache=False, jobs=1)
    for key, value in options.items():
        setattr(settings, key, value)
    return review([root], settings, ALL_RULES, cwd=root)


@pytest.fixture
def tree(tmp_path: Path):
    def make(files: dict[str, str | bytes]) -> Path:
        write_tree(tmp_path, files)
        return tmp_path

    return make


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite tests/snapshots/*.json from the current behaviour (then review the diff)",
    )
