"""The JS/TS analysis's optional compiled build (slsreview/analysis/native.py, setup.py), and
the walk's depth limit, which makes deep files come out the same in both builds.

mypyc compiles the package only while its shape allows (the mixins are traits holding no state,
``State`` first among ``Analyzer``'s bases); a build is used only for the sources it was made
from; and where a build is installed, it gives the facts the sources give.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import slsreview.analysis.javascript as package
from slsreview.analysis.javascript import COMPILED, analyze_javascript
from slsreview.analysis.javascript.analyzer import Analyzer
from slsreview.analysis.javascript.state import MAX_DEPTH, State
from slsreview.analysis.native import built_from_these_sources, compiled_sources, write_manifest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = Path(package.__file__).parent


def test_the_mixins_are_traits_and_state_comes_first() -> None:
    assert Analyzer.__bases__[0] is State
    sources = {p.stem: p.read_text(encoding="utf-8") for p in PACKAGE.glob("*.py")}
    for mixin in Analyzer.__bases__[1:]:
        assert "__init__" not in vars(mixin), f"{mixin.__name__} holds no state: State does"
        module = sources[mixin.__module__.rsplit(".", 1)[1]]
        assert re.search(rf"^@trait\nclass {mixin.__name__}:", module, re.M), (
            f"{mixin.__name__} is marked @trait (from state.py), with no base: mypyc needs both"
        )


def test_a_build_counts_only_for_the_sources_it_was_made_from(tmp_path: Path) -> None:
    (tmp_path / "javascript").mkdir()
    (tmp_path / "treesitter.py").write_text("T = 0\n", encoding="utf-8")
    (tmp_path / "javascript" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "javascript" / "calls.py").write_text("X = 1\n", encoding="utf-8")
    (tmp_path / "javascript" / "values.py").write_text("Y = 2\n", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in compiled_sources(tmp_path)] == [
        "treesitter.py",
        "javascript/calls.py",
        "javascript/values.py",
    ]
    assert not built_from_these_sources(tmp_path)  # never built
    write_manifest(tmp_path)
    assert built_from_these_sources(tmp_path)
    (tmp_path / "javascript" / "__init__.py").write_text("# never compiled\n", encoding="utf-8")
    assert built_from_these_sources(tmp_path)
    (tmp_path / "javascript" / "calls.py").write_text("X = 3\n", encoding="utf-8")
    assert not built_from_these_sources(tmp_path)  # edited after the build
    write_manifest(tmp_path)
    (tmp_path / "treesitter.py").write_text("T = 1\n", encoding="utf-8")
    assert not built_from_these_sources(tmp_path)
    write_manifest(tmp_path)
    (tmp_path / "javascript" / "routes.py").write_text("Z = 4\n", encoding="utf-8")
    assert not built_from_these_sources(tmp_path)  # a module the build does not have
    (tmp_path / "compiled.json").write_text("{not json", encoding="utf-8")
    assert not built_from_these_sources(tmp_path)


def _dump(pure: bool) -> str:
    env = dict(os.environ)
    env.pop("SLSREVIEW_PURE_PYTHON", None)
    if pure:
        env["SLSREVIEW_PURE_PYTHON"] = "1"
    script = ROOT / "bench" / "facts_dump.py"
    folders = [str(ROOT / "tests" / "corpus"), str(ROOT / "sample_projects")]
    result = subprocess.run(
        [sys.executable, str(script), *folders, "--languages", "javascript,typescript"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return result.stdout


def test_the_facts_dump_runs_in_every_checkout() -> None:
    # the byte-identity harness itself, so that a new field of FileFacts cannot break it
    # unnoticed where no compiled build is installed to run the test below
    dump = _dump(pure=True)
    headers = [line for line in dump.splitlines() if line.startswith("== ")]
    assert len(headers) > 20
    assert dump.count("\ncomplete=True language=") == len(headers)
    assert "\ncalls: Call(name='log', callee='console.log'" in dump


@pytest.mark.skipif(not COMPILED, reason="no compiled build installed (SLSREVIEW_COMPILE=1)")
def test_the_compiled_build_gives_the_facts_of_the_sources() -> None:
    compiled, pure = _dump(pure=False), _dump(pure=True)
    assert compiled.count("\n") > 100
    assert compiled == pure


# -- how deep the walk goes: the same in both builds, whatever calls it (state.MAX_DEPTH) ------

SHAPES = {
    "calls": lambda d: "f(" + "g(" * d + ")" * d + ")",
    "chain": lambda d: "x" + ".a()" * d + ";",
    "members": lambda d: "x" + ".a" * d + ";",
    "arrays": lambda d: "const x = " + "[" * d + "1" + "]" * d + ";",
    "objects": lambda d: "const o = " + "{a: " * d + "1" + "}" * d + ";",
    "patterns": lambda d: "const " + "{a: " * d + "b" + "}" * d + " = x;",
    "operators": lambda d: "x = " + "(1 + " * d + "1" + ")" * d + ";",
    "ifs": lambda d: "if (a) {" * d + "}" * d,
    "functions": lambda d: "function a(){" * d + "}" * d,
    "callbacks": lambda d: "f(" + "() => { g(" * d + ")}" * d + ");",
    "loop": lambda d: "function q(){ while (true) {" + "if (a) {" * d + "}" * d + "} }",
}


def _below(frames: int, run: Callable[[], bool]) -> bool:
    return run() if frames == 0 else _below(frames - 1, run)


def _deepest_complete(make: Callable[[int], str], frames: int) -> int:
    low, high = 1, 4 * MAX_DEPTH
    while low < high:
        mid = (low + high + 1) // 2
        source = make(mid)
        if _below(frames, lambda s=source: analyze_javascript("deep.mjs", s, "javascript").complete):
            low = mid
        else:
            high = mid - 1
    return low


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_the_depth_limit_is_the_walks_own(shape: str) -> None:
    """The walk stops at its counted limit, not at Python's recursion limit: the deepest file it
    analyses is the same with 250 more frames below it (and so in both builds)."""
    deepest = _deepest_complete(SHAPES[shape], 0)
    assert 20 < deepest < 4 * MAX_DEPTH
    assert _deepest_complete(SHAPES[shape], 250) == deepest


@pytest.mark.parametrize(
    "source",
    [
        "x" + ".a()" * 100_000 + ";",
        "function a(){" * 20_000 + "}" * 20_000,
        "const " + "{a: " * 20_000 + "b" + "}" * 20_000 + " = x;",
        "function q(){ if (!process.env.X) " + "{" * 20_000 + "return" + "}" * 20_000 + " }",
        "function q(){ while (true) { let x: " + "A<" * 10_000 + "B" + ">" * 10_000 + "; } }",
    ],
    ids=["chain", "functions", "pattern", "blocks", "loop-type"],
)
def test_hostile_nesting_is_refused_not_crashed(source: str) -> None:
    """A compiled walk does not check Python's recursion limit on its own calls: without the
    counted limit these would overflow the C stack."""
    facts = analyze_javascript("hostile.ts", source, "typescript")
    assert not facts.complete
    assert [p.message for p in facts.syntax] == ["nested too deeply to analyse"]
