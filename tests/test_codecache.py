"""Dataclass methods compiled once per user (``slsreview/codecache.py``): the same functions as
``dataclasses`` compiles itself, kept only where this user's key sealed them."""

from __future__ import annotations

import builtins
import dataclasses
import marshal
import os
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from slsreview import cache, codecache

SOURCE = '''
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, order=True)
class Point:
    x: int
    y: int = 0
    tags: tuple[str, ...] = field(default=())


@dataclass
class Box:
    items: list[int] = field(default_factory=list)
'''


@pytest.fixture
def user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A user of their own (cache folder, key) and empty tables, with writing allowed."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setattr(cache, "_secret", [])
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    for name in ("_tables", "_used"):
        monkeypatch.setattr(codecache, name, {})
    monkeypatch.setattr(codecache, "_grown", set())
    yield tmp_path / "user-cache"


def define(hooked: bool) -> dict[str, object]:
    """SOURCE run as module ``sample.points``, its dataclasses compiled through the tables or not."""
    module = types.ModuleType("sample.points")
    with (
        mock.patch.dict(sys.modules, {module.__name__: module}),
        mock.patch.object(dataclasses, "exec", codecache._exec if hooked else builtins.exec, create=True),
    ):
        exec(compile(SOURCE, "points.py", "exec"), module.__dict__)
    return module.__dict__


def methods(cls: type) -> dict[str, object]:
    out = {}
    for name, value in sorted(vars(cls).items()):
        code = getattr(value, "__code__", None)
        if code is not None:
            out[name] = (code.co_code, code.co_consts, code.co_names, code.co_varnames, code.co_flags, code.co_filename)
    return out


def test_the_tables_give_the_functions_dataclasses_compiles(user: Path) -> None:
    plain, first = define(hooked=False), define(hooked=True)
    codecache.save()
    codecache._tables.clear()
    codecache._grown.clear()
    again = define(hooked=True)
    assert not codecache._grown  # the second definition compiled nothing: it read the table
    for name in ("Point", "Box"):
        assert methods(plain[name]) == methods(first[name]) == methods(again[name])  # type: ignore[arg-type]
    Point = again["Point"]
    p = Point(1, tags=("a",))  # type: ignore[operator]
    assert p == Point(1, 0, ("a",)) and p < Point(2) and hash(p) == hash(Point(1, 0, ("a",)))  # type: ignore[operator]
    assert repr(p) == "Point(x=1, y=0, tags=('a',))"
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.x = 3  # type: ignore[attr-defined]
    assert again["Box"]().items == []  # type: ignore[operator]


def test_a_planted_table_is_never_loaded(user: Path) -> None:
    """A table holds code: one this user's key did not seal is not read, whatever it holds."""
    define(hooked=True)
    codecache.save()
    path = Path(codecache._path("sample"))
    texts = marshal.loads(cache.read_sealed(str(path)) or b"")
    evil = compile("def __create_fn__(*a, **k):\n    raise SystemExit('planted code ran')\n", "<string>", "exec")
    path.write_bytes(marshal.dumps(dict.fromkeys(texts, evil)))  # unsealed
    codecache._tables.clear()
    assert methods(define(hooked=True)["Point"]) == methods(define(hooked=False)["Point"])  # type: ignore[arg-type]


def test_nothing_is_written_when_bytecode_is_not(user: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    define(hooked=True)
    codecache.save()
    assert not Path(codecache._path("sample")).exists()


def test_a_review_keeps_the_tables_and_reads_them_next_time(tmp_path: Path) -> None:
    project = Path(__file__).resolve().parent.parent / "sample_projects" / "careful-orders"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "user-cache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    command = [sys.executable, "-m", "slsreview", "check", ".", "--no-cache", "-f", "json", "--fail-on", "never"]
    first = subprocess.run(command, cwd=project, env=env, capture_output=True, timeout=120)
    tables = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "user-cache" / "slsreview" / "dataclasses").rglob("*.marshal")}
    assert {"libcst.marshal", "slsreview.marshal"} <= set(tables)
    again = subprocess.run(command, cwd=project, env=env, capture_output=True, timeout=120)
    assert first.returncode == again.returncode == 0 and first.stdout == again.stdout and first.stdout
    after = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "user-cache" / "slsreview" / "dataclasses").rglob("*.marshal")}
    assert after == tables  # the second review found every method in the tables: nothing new to write
