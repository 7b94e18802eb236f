"""Meta-tests over the rule catalogue: what every rule must carry."""

from __future__ import annotations

import subprocess
import sys
import tomllib
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
    assert folder == rule.category or (folder, rule.category) == ("parse", "docs"), f"{rule.id} lives in rules/{folder}/"


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


def test_every_rule_package_is_in_the_wheel() -> None:
    packages = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    folders = {
        "slsreview_rules" + ("." + ".".join(p.relative_to(ROOT / "rules").parts) if p != ROOT / "rules" else "")
        for p in [ROOT / "rules", *(d for d in (ROOT / "rules").rglob("*") if d.is_dir() and (d / "__init__.py").exists())]
    }
    engine = {
        "slsreview" + ("." + ".".join(p.relative_to(ROOT / "slsreview").parts) if p != ROOT / "slsreview" else "")
        for p in [ROOT / "slsreview", *(d for d in (ROOT / "slsreview").rglob("*") if d.is_dir() and (d / "__init__.py").exists())]
    }
    assert folders | engine <= set(packages)


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
