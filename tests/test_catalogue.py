"""Meta-tests over the rule catalogue: what every rule must carry."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from slsreview.explain import render_reference
from slsreview.registry import load_rules
from slsreview.rule import Rule

ROOT = Path(__file__).parent.parent
RULES = load_rules()


def test_ids_are_unique_and_every_rule_is_well_formed() -> None:
    assert len({r.id for r in RULES}) == len(RULES)
    assert len({r.name for r in RULES}) == len(RULES)
    problems = {r.id: r.problems() for r in RULES if r.problems()}
    assert problems == {}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_one_rule_per_file_grouped_by_category(rule: type[Rule]) -> None:
    module = sys.modules[rule.__module__]
    assert module.__file__ is not None
    path = Path(module.__file__)
    assert sum(1 for v in vars(module).values() if isinstance(v, type) and issubclass(v, Rule) and v is not Rule and v.__module__ == module.__name__) == 1
    folder = path.parent.name
    # A folder is a package name, so the category local-proof lives in rules/local_proof/.
    assert folder == rule.category.replace("-", "_") or (folder, rule.category) == ("parse", "docs"), f"{rule.id} lives in rules/{folder}/"


def test_a_rule_problem_is_caught() -> None:
    class Broken(Rule):
        """no sections"""

        id = "X1"
        name = "Not Kebab"
        category = "nope"
        tier = "blocking"
        title = "t"
        fix = "f"
        docs = ("d",)

    problems = Broken.problems()
    assert any("SLS + three digits" in p for p in problems)
    assert any("kebab-case" in p for p in problems)
    assert any("## What it does" in p for p in problems)
    assert "no bad examples" in problems


def test_rule_reference_is_current() -> None:
    checked_in = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert checked_in == render_reference(RULES), "regenerate: slsreview rules --format markdown > docs/rules.md"


def test_rules_folder_cannot_be_imported_under_its_folder_name() -> None:
    result = subprocess.run([sys.executable, "-c", "import rules"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "installed as 'slsreview_rules'" in result.stderr


def test_readme_lists_every_rule() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| {rule.id} | {rule.name} | {rule.category} | {rule.tier} |" in readme, f"add {rule.id} to the README's rule table"
