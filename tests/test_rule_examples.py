"""Every rule's bad and good examples, run as tests (``pytest -k SLS201``).

A bad example must produce exactly the findings it pins (path, line, column, message, and tier
when given) from its rule; a good example must produce none from its rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ALL_RULES, run_review, write_tree

CASES = [
    pytest.param(rule, kind, example, id=f"{rule.id}-{kind}-{example.name or index}")
    for rule in ALL_RULES
    for kind, examples in (("bad", rule.bad), ("good", rule.good))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize(("rule", "kind", "example"), CASES)
def test_example(rule, kind, example, tmp_path: Path) -> None:
    write_tree(tmp_path, example.files)
    result = run_review(tmp_path, select=[rule.id], today=example.today)
    got = [
        (f.path, f.line, f.column, f.message) + ((f.tier,) if kind == "bad" else ())
        for f in result.findings
        if f.rule == rule.id
    ]
    if kind == "good":
        assert got == [], f"{rule.id} good example produced findings"
        return
    expected = [
        (e.path, e.line, e.column, e.message, e.tier or rule.tier) for e in example.expect
    ]
    assert sorted(got) == sorted(expected)
